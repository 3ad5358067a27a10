//! Any bytes as a plan workbook: refused in a sentence or read, never a
//! panic, a hang or unbounded memory.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = csu_assess::plan::import_bytes("fuzz.xlsx", data);
});
