//! Any bytes as an assessment file, and merged with itself: refused or
//! read, the rules re-checked, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(a) = csu_assess::store::from_bytes(std::path::Path::new("fuzz.csuassess"), data) {
        let _ = csu_assess::assessment::merge(&[a.clone(), a]);
    }
});
