//! Any text as a criteria file: refused with its position or read.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = csu_assess::criteria::parse("fuzz.toml", text);
    }
});
