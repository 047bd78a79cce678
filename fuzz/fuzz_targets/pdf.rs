//! Any bytes through the PDF path: extraction must return Ok or a reason, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pdf) = menutable::extract::pdf::extract_bytes(data) {
        let _ = menutable::extract::furniture::classify(pdf);
    }
});
