//! Any bytes through the whole extract path, budgets on: PDF (lopdf, layout, furniture) and
//! text (pages from form feeds, furniture, stray-space repairs), then segmentation into citable
//! units and the index-time tally. Every step must return a value or a reason, never panic,
//! hang or take the memory: libFuzzer's -timeout and -rss_limit_mb enforce the last two.
#![no_main]

use libfuzzer_sys::fuzz_target;
use menutable::extract::{furniture, pdf, text};

static LEXICON: std::sync::OnceLock<menutable::analysis::lexicon::Lexicon> = std::sync::OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let lexicon = LEXICON.get_or_init(menutable::analysis::lexicon::Lexicon::builtin);
    if let Ok(p) = pdf::extract_bytes(data) {
        let ex = furniture::classify(p);
        let seg = menutable::extract::segment::segment(&ex);
        let _ = menutable::index::tally::Tally::of(lexicon, "en", &seg.units);
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let ex = text::from_str(s);
        let seg = menutable::extract::segment::segment(&ex);
        let _ = menutable::index::tally::Tally::of(lexicon, "en", &seg.units);
    }
});
