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
    TextStats::of(text).common_share()
}

/// [`COMMON`] as an open-addressing table of keys (a word's lowercase bytes packed into a
/// `u64`; all are at most six bytes): a lookup is one multiply and, nearly always, one compare.
static COMMON_TABLE: std::sync::LazyLock<[u64; 256]> = std::sync::LazyLock::new(|| {
    let mut t = [0u64; 256];
    for k in COMMON.iter().filter_map(|w| key(w.as_bytes())) {
        let mut i = slot(k);
        while t[i] != 0 && t[i] != k {
            i = (i + 1) % 256;
        }
        t[i] = k;
    }
    t
});

fn slot(k: u64) -> usize {
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// Lowercase ASCII bytes of a word of at most seven bytes, packed with its length.
fn key(w: &[u8]) -> Option<u64> {
    if w.len() > 7 || !w.is_ascii() {
        return None;
    }
    let mut k = w.len() as u64;
    for &c in w {
        k = (k << 8) | u64::from(c.to_ascii_lowercase());
    }
    Some(k)
}

/// Whether a word of at most six bytes is in [`COMMON`], any case (ASCII without allocating).
fn is_common(w: &str) -> bool {
    match key(w.as_bytes()) {
        Some(k) => {
            let t = &*COMMON_TABLE;
            let mut i = slot(k);
            // Keys are never 0 (the length is packed in), so 0 marks an empty slot.
            while t[i] != 0 {
                if t[i] == k {
                    return true;
                }
                i = (i + 1) % 256;
            }
            false
        }
        None => COMMON.contains(&w.to_lowercase().as_str()),
    }
}

/// What the quality signals are made of, from one pass over a text's tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextStats {
    /// Words (tokens with a letter).
    pub words: usize,
    /// Function words ([`COMMON`]).
    pub common: usize,
    /// Capitals-only words of four letters or more.
    pub caps: usize,
    /// Tokens longer than 25 characters.
    pub long: usize,
}

impl TextStats {
    /// The stats of `text`.
    pub fn of(text: &str) -> TextStats {
        let mut s = TextStats::default();
        for (a, b) in tokens(text) {
            let w = &text[a..b];
            // Characters, letters and capitals in one pass: over bytes for ASCII tokens
            // (nearly all), over chars for the rest.
            let (mut chars, mut alpha, mut upper) = (0, 0, 0);
            if w.is_ascii() {
                chars = w.len();
                for &c in w.as_bytes() {
                    if c.is_ascii_alphabetic() {
                        alpha += 1;
                        upper += usize::from(c.is_ascii_uppercase());
                    }
                }
            } else {
                for c in w.chars() {
                    chars += 1;
                    if c.is_alphabetic() {
                        alpha += 1;
                        upper += usize::from(c.is_uppercase());
                    }
                }
            }
            s.long += usize::from(chars > 25);
            if alpha == 0 {
                continue;
            }
            s.words += 1;
            s.common += usize::from(w.len() <= 6 && is_common(w));
            // Capitals-only words of four letters or more: acronyms are shorter ("HFC").
            s.caps += usize::from(alpha >= 4 && upper == alpha);
        }
        s
    }

    /// Adds another text's stats (texts joined by a line break: no token spans the join).
    pub fn add(&mut self, o: TextStats) {
        self.words += o.words;
        self.common += o.common;
        self.caps += o.caps;
        self.long += o.long;
    }

    /// Function words per word (0 without words).
    pub fn common_share(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.common as f64 / self.words as f64
        }
    }
}

/// (words, function words, words of four letters or more in capitals only).
fn word_stats(text: &str) -> (usize, usize, usize) {
    let s = TextStats::of(text);
    (s.words, s.common, s.caps)
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

    /// The plain definitions: every token's letters and case through `char`, function words by
    /// lowercasing and a linear search.
    fn plain(text: &str) -> TextStats {
        let mut s = TextStats::default();
        for (a, b) in tokens(text) {
            let w = &text[a..b];
            if w.chars().count() > 25 {
                s.long += 1;
            }
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.is_empty() {
                continue;
            }
            s.words += 1;
            if COMMON.contains(&w.to_lowercase().as_str()) {
                s.common += 1;
            }
            if letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase()) {
                s.caps += 1;
            }
        }
        s
    }

    #[test]
    fn one_pass_stats_equal_the_plain_definitions() {
        let pieces = [
            "the",
            "The",
            "THE",
            "de",
            "Là",
            "où",
            "et",
            "UNFCCC",
            "CO2",
            "HFC",
            "WKH",
            "ÉTÉ",
            "Straße",
            "2015",
            "x1",
            "capacitybuildingandtechnologytransferforall",
            "ñññññññññññññññññññññññññññ",
            "AND",
            "and",
            "Pour",
            "ESTO",
            "ÀÉÎÕ",
            "αβγδ",
            "-",
            "\n",
            " ",
            ",",
            "l'homme",
            "décisions",
        ];
        let mut rng = crate::synth::Rng::new(11);
        let mut joined_stats = TextStats::default();
        let mut texts = Vec::new();
        for _ in 0..300 {
            let mut t = String::new();
            for _ in 0..rng.range(0, 40) {
                t.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
                if rng.below(3) > 0 {
                    t.push(' ');
                }
            }
            assert_eq!(TextStats::of(&t), plain(&t), "{t:?}");
            joined_stats.add(TextStats::of(&t));
            texts.push(t);
        }
        // Summing unit by unit equals the joined text (as `index` computes quality).
        assert_eq!(joined_stats, plain(&texts.join("\n")));
    }

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
            TextStats::of("capacitybuildingandtechnologytransfer is glued").long,
            1
        );
    }
}
