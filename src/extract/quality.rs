//! Is this text language? Cheap signals that an extraction went wrong.
//!
//! In running prose of English, Spanish or French, a third or more of the tokens are a few
//! dozen function words ("the", "of", "de", "la", "et"...). A page whose font maps glyphs to the
//! wrong letters ("WKH" for "the", as in COP 5's report) has almost none; glued words show up
//! as very long tokens. Measured on the UNFCCC reports: readable pages score 0.25–0.45, the
//! garbled pages of 1_22_CP_5.pdf below 0.10.

use serde::{Deserialize, Serialize};

use super::normalize::tokens;

/// Function words of the three languages, lowercase (the lists overlap on purpose: a page is
/// judged without knowing its language).
const COMMON: &[&str] = &[
    // English
    "the", "of", "and", "to", "in", "for", "on", "by", "with", "that", "be", "as", "at", "is",
    "are", "this", "its", "from", "or", "which", "shall", "not", "an", "their", "it", "has",
    "have", "was", "were", "all", "other", "under", "into", "also", // Spanish
    "de", "la", "el", "los", "las", "en", "que", "del", "para", "por", "con", "se", "su", "sus",
    "al", "una", "un", "lo", "como", // French
    "le", "les", "des", "du", "et", "pour", "dans", "par", "sur", "une", "est", "qui", "aux", "au",
    "ses", "ou",
];

/// Share of a text's words (tokens with a letter) that are common function words of two or
/// more letters (0 when it has no words). Numbers do not count either way, so a budget table is
/// not mistaken for garbage, nor can shifted digits pass for words.
pub fn common_share(text: &str) -> f64 {
    let (n, common, _) = word_stats(text);
    if n == 0 {
        0.0
    } else {
        common as f64 / n as f64
    }
}

static COMMON_SORTED: std::sync::LazyLock<Vec<&'static [u8]>> = std::sync::LazyLock::new(|| {
    let mut v: Vec<&[u8]> = COMMON.iter().map(|w| w.as_bytes()).collect();
    v.sort_unstable();
    v
});

/// Whether a word of at most six bytes is in [`COMMON`], any case (ASCII without allocating).
fn is_common(w: &str) -> bool {
    if w.is_ascii() {
        let mut buf = [0u8; 6];
        let lower = &mut buf[..w.len()];
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        COMMON_SORTED.binary_search(&&*lower).is_ok()
    } else {
        COMMON.contains(&w.to_lowercase().as_str())
    }
}

/// (words, function words, words of four letters or more in capitals only).
fn word_stats(text: &str) -> (usize, usize, usize) {
    let (mut n, mut common, mut caps) = (0, 0, 0);
    for (a, b) in tokens(text) {
        let w = &text[a..b];
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        n += 1;
        if w.len() <= 6 && is_common(w) {
            common += 1;
        }
        // Capitals-only words of four letters or more: acronyms are shorter ("HFC", "CO").
        if w.len() >= 4
            && w.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && w.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        {
            caps += 1;
        }
    }
    (n, common, caps)
}

/// Whether a page's text looks like a font mapping gone wrong: enough words, almost no
/// function words, and mostly capitals (shifted lowercase letters land on capitals and
/// punctuation: "WKH" for "the").
pub fn garbled(text: &str) -> bool {
    let (n, common, caps) = word_stats(text);
    n >= MIN_TOKENS && (common as f64) < GARBLED_BELOW * n as f64 && caps * 3 > n
}

/// Function words minus words in capitals, per word: highest for ordinary prose, so that a
/// shift that turns garbage into capitals ("THE") loses to one that gives "the".
pub fn language_score(text: &str) -> f64 {
    let (n, common, caps) = word_stats(text);
    if n == 0 {
        0.0
    } else {
        (common as f64 - caps as f64) / n as f64
    }
}

/// Share of words that are capitals-only words of four letters or more.
pub fn caps_share(text: &str) -> f64 {
    let (n, _, caps) = word_stats(text);
    if n == 0 { 0.0 } else { caps as f64 / n as f64 }
}

/// Whether a (recovered) text reads as language.
pub fn reads_as_language(text: &str) -> bool {
    let (n, common, caps) = word_stats(text);
    n > 0 && common as f64 >= 0.2 * n as f64 && (caps as f64) < 0.3 * n as f64
}

/// Tokens longer than 25 characters: usually words glued together.
pub fn long_tokens(text: &str) -> usize {
    tokens(text)
        .filter(|&(a, b)| b - a > 25 && text[a..b].chars().count() > 25)
        .count()
}

/// Below this share of function words, a page of at least [`MIN_TOKENS`] words may be garbled.
pub const GARBLED_BELOW: f64 = 0.08;
/// Pages with fewer words (tables, title pages) are not judged.
pub const MIN_TOKENS: usize = 60;

/// What a document's extraction looks like, for `menutable docs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Pages with text.
    pub pages_extracted: u32,
    /// Pages that failed.
    pub pages_failed: u32,
    /// Share of tokens that are function words, over the whole counted text.
    pub common_share: f64,
    /// Tokens over 25 characters.
    pub long_tokens: usize,
    /// Pages whose text is still not language (wrong font mapping), with no recovery.
    pub garbled_pages: Vec<u32>,
    /// Pages recovered by undoing a constant shift of a font's character codes: (page, shift).
    pub recovered_pages: Vec<(u32, i32)>,
    /// Why the document is flagged, or None when its text can be counted as it is.
    pub flag: Option<String>,
}

impl Quality {
    /// Decides the flag from the figures.
    pub fn judge(mut self) -> Self {
        let mut why = Vec::new();
        if !self.garbled_pages.is_empty() {
            why.push(format!(
                "{} garbled page(s) ({})",
                self.garbled_pages.len(),
                pages_list(&self.garbled_pages)
            ));
        }
        if self.pages_failed > 0 {
            why.push(format!("{} page(s) failed", self.pages_failed));
        }
        if self.common_share < 0.15 && self.pages_extracted > 0 {
            why.push(format!(
                "few function words ({:.2}): not prose, or not read right",
                self.common_share
            ));
        }
        self.flag = (!why.is_empty()).then(|| why.join("; "));
        self
    }
}

fn pages_list(p: &[u32]) -> String {
    let shown: Vec<String> = p.iter().take(8).map(|n| format!("p. {n}")).collect();
    if p.len() > 8 {
        format!("{}, ...", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_scores_high_and_shifted_text_low() {
        let prose = "Guidelines for the technical review of greenhouse gas inventories from Parties included in Annex I to the Convention";
        let shifted = "*XLGHOLQHV IRU WKH WHFKQLFDO UHYLHZ RI JUHHQKRXVH JDV LQYHQWRULHV IURP 3DUWLHV LQFOXGHG LQ $QQH[ , WR WKH &RQYHQWLRQ";
        assert!(common_share(prose) > 0.25, "{}", common_share(prose));
        assert!(common_share(shifted) < GARBLED_BELOW);
        let page = |s: &str| [s; 6].join(" ");
        assert!(garbled(&page(shifted)));
        assert!(!garbled(&page(prose)));
        assert!(reads_as_language(prose) && !reads_as_language(shifted));
        // A budget table: numbers and a few labels, neither garbled nor language.
        let table = "2010 2011 Total 1 234 5 678 Programme 9 101 ".repeat(20);
        assert!(!garbled(&table));
        assert_eq!(
            long_tokens("capacitybuildingandtechnologytransfer is glued"),
            1
        );
    }
}
