//! The one normalisation: used when indexing, counting, showing context and in the test oracle.
//!
//! - NFKC, which folds ligatures ("ﬁ" → "fi"), full-width forms and no-break spaces;
//! - typographic quotes and apostrophes to ASCII, the Unicode hyphens (U+2010, U+2011) to "-",
//!   soft hyphens removed;
//! - whitespace folded to single spaces;
//! - line-end hyphens decided per document (see [`HyphenVocabulary`]).
//!
//! Tokens are maximal runs of alphanumeric characters (`char::is_alphanumeric`), which is what
//! tantivy's `SimpleTokenizer` produces, so the index and the exact matcher agree on what a word is.

use std::collections::HashSet;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// Normalises one piece of text (a line, or lines already joined): NFKC, quotes, hyphens,
/// whitespace folded and trimmed.
pub fn normalize(s: &str) -> String {
    // NFKC leaves ASCII as it is: skip its tables for the common case (measured: a sixth of
    // indexing time on English text went to NFKC lookups).
    if s.is_ascii() {
        fold(s.chars(), s.len())
    } else {
        fold(unglue_marks(s).nfkc(), s.len())
    }
}

/// Characters that are no text: soft hyphen, zero-width space, joiners and non-joiners, word
/// joiner and invisible operators, direction marks and embeddings, byte-order mark, and the
/// lowest control characters. All are dropped alike, so "cit\u{200D}ies" is "cities" whichever
/// of them a producer put there.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{0}'..='\u{8}')
}

/// Superscript and subscript digits are footnote marks (or exponents): NFKC makes "¹" a "1",
/// which glued "cities¹" into the one token "cities1". A space before such a run keeps the mark
/// a token of its own.
fn unglue_marks(s: &str) -> impl Iterator<Item = char> + '_ {
    let script = |c: char| matches!(c, '\u{00B9}' | '\u{00B2}' | '\u{00B3}' | '\u{2070}' | '\u{2074}'..='\u{2079}' | '\u{2080}'..='\u{2089}');
    let mut prev = ' ';
    s.chars().flat_map(move |c| {
        let space = script(c) && !script(prev) && prev.is_alphanumeric();
        prev = c;
        [space.then_some(' '), Some(c)].into_iter().flatten()
    })
}

fn fold(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut space = false;
    for c in chars {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => '"',
            '\u{2010}' | '\u{2011}' => '-',
            c if invisible(c) => continue,
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Byte ranges of the tokens of `s`: maximal runs of alphanumeric characters.
pub fn tokens(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    // Whether the character at byte `i` is alphanumeric, and its length: ASCII without
    // decoding (most of every corpus), the rest through `char`.
    let alnum_at = move |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        }
    };
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (yes, n) = alnum_at(i);
            if yes {
                break;
            }
            i += n;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (yes, n) = alnum_at(i);
            if !yes {
                break;
            }
            i += n;
        }
        Some((start, i))
    })
}

/// Words for the per-10,000 rates: tokens with at least one letter (so "2015" and "10,000"
/// are not words, "CO2" is).
pub fn word_count(s: &str) -> usize {
    tokens(s)
        .filter(|&(a, b)| {
            let w = &s[a..b];
            if w.is_ascii() {
                w.bytes().any(|c| c.is_ascii_alphabetic())
            } else {
                w.chars().any(char::is_alphabetic)
            }
        })
        .count()
}

/// What a document's own text says about its hyphenated compounds.
///
/// A line that ends in "-" before a lowercase letter is either a compound broken at its hyphen
/// ("capacity-\nbuilding") or a word hyphenated by the typesetter ("manage-\nment"). Measured on
/// the 73 UNFCCC reports: of 512 such breaks, 384 are compounds written with the hyphen elsewhere
/// in the same document, 5 are words written joined elsewhere, and 123 are neither, nearly all
/// compounds ("cost-effective", "science-based"): the UN's Word files do not hyphenate words.
/// A document set by TeX or groff is the other way round: most breaks split words. So a break
/// whose compound occurs elsewhere keeps its hyphen, one whose joined word occurs elsewhere is
/// joined, and one with no evidence follows the document's habit: joined when its attested
/// breaks are mostly split words, kept otherwise. (poppler's pdftotext joins them all:
/// "capacitybuilding".)
#[derive(Debug, Default)]
pub struct HyphenVocabulary {
    words: HashSet<String>,
    compounds: HashSet<String>,
    /// The document hyphenates words (more attested joined breaks than attested compounds).
    typeset: bool,
}

impl HyphenVocabulary {
    /// Learns the words and hyphenated compounds of a document from its lines, in order.
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        let lines: Vec<&str> = lines.into_iter().collect();
        let mut v = HyphenVocabulary::default();
        // Only a line ending in a hyphen ever asks; most text files have none.
        if !lines.iter().any(|l| may_end_with_hyphen(l)) {
            return v;
        }
        // The pieces of a word broken at a line end are not words of the document: "munici"
        // must not be evidence for "munici-" being a word of its own.
        let broken: Vec<bool> = lines
            .windows(2)
            .map(|p| line_end_break(p[0], p[1]).is_some())
            .chain([false])
            .collect();
        for (k, line) in lines.iter().enumerate() {
            let lower = line.to_lowercase();
            let toks: Vec<(usize, usize)> = tokens(&lower).collect();
            let cut_start = k > 0 && broken[k - 1];
            for (i, &(a, b)) in toks.iter().enumerate() {
                let piece = (cut_start && i == 0) || (broken[k] && i + 1 == toks.len());
                if !piece {
                    v.words.insert(lower[a..b].to_string());
                }
                if let Some(&(c, d)) = toks.get(i + 1)
                    && &lower[b..c] == "-"
                {
                    v.compounds.insert(lower[a..d].to_string());
                }
            }
        }
        let (mut joined, mut kept) = (0, 0);
        for pair in lines.windows(2) {
            if let Some((l, r)) = line_end_break(pair[0], pair[1]) {
                if v.compounds.contains(&format!("{l}-{r}")) {
                    kept += 1;
                } else if v.words.contains(&format!("{l}{r}")) {
                    joined += 1;
                }
            }
        }
        v.typeset = joined > kept;
        v
    }

    /// Whether "left-" at a line end followed by "right" keeps its hyphen.
    pub fn keeps_hyphen(&self, left: &str, right: &str) -> bool {
        let (l, r) = (left.to_lowercase(), right.to_lowercase());
        if self.compounds.contains(&format!("{l}-{r}")) {
            return true;
        }
        if self.words.contains(&format!("{l}{r}")) {
            return false;
        }
        !self.typeset
    }
}

/// A stray space inside a word, repaired: "loca l" became "local" (pdftotext's slips in the
/// UN's own text extractions: "loca l laws", "New Ur ban Agenda", "subnationa l").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// Page of the line (None for documents without pages).
    pub page: Option<u32>,
    /// The two pieces as written, with the space.
    pub from: String,
    /// The word they were joined into.
    pub to: String,
}

/// What a document's own words say about stray spaces: the same kind of evidence as
/// [`HyphenVocabulary`]. Two pieces separated by one space are joined only when the joined form
/// is a word the document writes whole elsewhere and neither piece is a word it uses on its own
/// (a piece of one letter counts as a word only if it is "a": "(i)" and "(r)" make every
/// letter a token of UN texts). So "loca l" joins ("local" is written whole, "loca" and "l"
/// are not words of the document), "so urces" does not ("so" is a word): a missed repair costs
/// at most one mention, a wrong one could invent a word.
#[derive(Debug, Default)]
pub struct SpaceRepairs {
    counts: std::collections::HashMap<String, usize>,
}

impl SpaceRepairs {
    /// Learns the words of a document from all its lines.
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        let mut counts = std::collections::HashMap::new();
        for line in lines {
            for (a, b) in tokens(line) {
                *counts.entry(line[a..b].to_lowercase()).or_default() += 1;
            }
        }
        SpaceRepairs { counts }
    }

    fn is_word(&self, piece: &str) -> bool {
        if piece.chars().count() == 1 {
            return piece == "a";
        }
        self.counts.get(piece).copied().unwrap_or(0) > 1
    }

    /// The line with its stray spaces repaired, and the repairs made (empty when none).
    pub fn repair(&self, line: &str) -> (String, Vec<(String, String)>) {
        let toks: Vec<(usize, usize)> = tokens(line).collect();
        let mut out = String::with_capacity(line.len());
        let mut made = Vec::new();
        let mut copied = 0;
        let mut i = 0;
        while i + 1 < toks.len() {
            let ((a, b), (c, d)) = (toks[i], toks[i + 1]);
            let (left, right) = (&line[a..b], &line[c..d]);
            let alphabetic = |w: &str| w.chars().all(char::is_alphabetic);
            let (l, r) = (left.to_lowercase(), right.to_lowercase());
            if &line[b..c] == " "
                && alphabetic(left)
                && alphabetic(right)
                && self.counts.contains_key(&format!("{l}{r}"))
                && !self.is_word(&l)
                && !self.is_word(&r)
            {
                out.push_str(&line[copied..b]);
                out.push_str(right);
                copied = d;
                made.push((line[a..d].to_string(), format!("{left}{right}")));
                i += 2;
            } else {
                i += 1;
            }
        }
        out.push_str(&line[copied..]);
        (out, made)
    }
}

/// Whether `line`, once normalised, could end in "-" (the last character that normalisation
/// keeps is a hyphen or folds to one).
fn may_end_with_hyphen(line: &str) -> bool {
    line.chars()
        .rev()
        .find(|&c| !(c.is_whitespace() || invisible(c)))
        .is_some_and(|c| normalize(c.encode_utf8(&mut [0; 4])).ends_with('-'))
}

/// The word parts around a line-end hyphen before a lowercase letter, lowercased.
fn line_end_break(line: &str, next: &str) -> Option<(String, String)> {
    let stem = line.trim_end().strip_suffix('-')?;
    let left: String = stem
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let next = next.trim_start();
    if left.is_empty() || !next.starts_with(char::is_lowercase) {
        return None;
    }
    let right: String = next.chars().take_while(|c| c.is_alphanumeric()).collect();
    Some((left.to_lowercase(), right.to_lowercase()))
}

/// Joins the lines of one unit into normalised text, deciding line-end hyphens with `vocab`.
/// Returns the text and, for each line, the byte offset in the text where it starts (so that
/// page breaks inside a unit can be mapped to offsets).
pub fn join_lines(lines: &[&str], vocab: &HyphenVocabulary) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut starts = Vec::with_capacity(lines.len());
    let mut glue_next = false;
    for (i, raw) in lines.iter().enumerate() {
        let line = normalize(raw);
        if !out.is_empty() && !glue_next && !line.is_empty() {
            out.push(' ');
        }
        starts.push(out.len());
        out.push_str(&line);
        glue_next = false;
        // A line-end hyphen inside a word: glue the next line on, and before a lowercase letter
        // decide whether the hyphen stays ("non-\nParty" always keeps it).
        if let Some(stem) = out.strip_suffix('-')
            && let Some(next) = lines.get(i + 1).map(|n| normalize(n))
            && next.starts_with(char::is_alphabetic)
        {
            let left_start = stem
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(j, c)| j + c.len_utf8());
            let left = &stem[left_start..];
            let right: String = next.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !left.is_empty() && !right.is_empty() {
                if next.starts_with(char::is_lowercase) && !vocab.keeps_hyphen(left, &right) {
                    out.pop();
                }
                glue_next = true;
            }
        }
    }
    (out, starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_folds_the_fi_ligature_and_quotes() {
        assert_eq!(
            normalize("bene\u{FB01}ts of \u{201C}cities\u{201D}\u{00A0} and  Parties\u{2019}"),
            "benefits of \"cities\" and Parties'"
        );
    }

    #[test]
    fn marks_and_invisible_characters_never_change_a_word() {
        for glue in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{00AD}', '\u{FEFF}',
        ] {
            assert_eq!(normalize(&format!("cit{glue}ies")), "cities", "{glue:?}");
        }
        assert_eq!(
            normalize("cities\u{00B9} and towns\u{00B2}\u{00B3}"),
            "cities 1 and towns 23"
        );
        assert_eq!(normalize("CO\u{2082}"), "CO 2");
        assert_eq!(
            normalize("sub\u{2011}national \u{FF43}ities"),
            "sub-national cities"
        );
    }

    #[test]
    fn a_piece_of_a_broken_word_is_no_evidence() {
        // "munici" occurs only as the piece before the break: it is not a word of the document,
        // so "municipalities" elsewhere decides.
        let lines = ["The munici-", "palities; the municipalities."];
        let v = HyphenVocabulary::from_lines(lines);
        assert!(!v.keeps_hyphen("munici", "palities"));
        assert!(!v.words.contains("munici") && !v.words.contains("palities"));
    }

    #[test]
    fn tokens_are_alphanumeric_runs() {
        let s = "sub-national, l'urbain C40 10,000";
        let t: Vec<&str> = tokens(s).map(|(a, b)| &s[a..b]).collect();
        assert_eq!(t, ["sub", "national", "l", "urbain", "C40", "10", "000"]);
        assert_eq!(word_count(s), 5);
    }

    #[test]
    fn fast_tokens_and_ascii_normalisation_equal_the_plain_definitions() {
        // The plain definitions: runs of `char::is_alphanumeric`, and NFKC for every input.
        fn plain_tokens(s: &str) -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in s.char_indices() {
                match (c.is_alphanumeric(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(a)) => {
                        out.push((a, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(a) = start {
                out.push((a, s.len()));
            }
            out
        }
        let alphabet = [
            "a", "Z", "9", " ", "-", ",", "é", "ß", "ﬁ", "\u{00A0}", "\t", "\n", "’", "城", "٣",
            "\u{0301}", "`", "\u{1}", "x-", "Ⅻ",
        ];
        let mut rng = crate::synth::Rng::new(3);
        for _ in 0..5000 {
            let n = rng.below(12) as usize;
            let s: String = (0..n)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(tokens(&s).collect::<Vec<_>>(), plain_tokens(&s), "{s:?}");
            assert_eq!(normalize(&s), fold(s.nfkc(), s.len()), "{s:?}");
            let line_ends = normalize(&s).ends_with('-');
            assert!(!line_ends || may_end_with_hyphen(&s), "{s:?}");
        }
    }

    #[test]
    fn compound_hyphen_at_line_end_is_kept_when_the_document_writes_it() {
        let lines = [
            "support for capacity-",
            "building of cities",
            "and capacity-building again",
        ];
        let vocab = HyphenVocabulary::from_lines(lines);
        assert_eq!(
            join_lines(&lines, &vocab).0,
            "support for capacity-building of cities and capacity-building again"
        );
    }

    #[test]
    fn word_hyphenated_by_the_typesetter_is_joined_when_the_document_writes_it_whole() {
        let lines = ["the munici-", "palities and other municipalities"];
        let vocab = HyphenVocabulary::from_lines(lines);
        let (text, starts) = join_lines(&lines, &vocab);
        assert_eq!(text, "the municipalities and other municipalities");
        assert_eq!(starts, [0, 10]);
    }

    #[test]
    fn a_typeset_document_joins_unattested_breaks() {
        // Two breaks whose words occur whole elsewhere: this document hyphenates words, so
        // "tech-\nnical" (attested nowhere) is joined too.
        let lines = [
            "local govern-",
            "ments and munici-",
            "palities need tech-",
            "nical help; local governments and municipalities",
        ];
        let vocab = HyphenVocabulary::from_lines(lines);
        assert_eq!(
            join_lines(&lines, &vocab).0,
            "local governments and municipalities need technical help; local governments and municipalities"
        );
    }

    #[test]
    fn stray_spaces_join_only_where_the_document_writes_the_word_whole() {
        let lines = [
            "so the loca l laws and local authorities, subnationa l plans",
            "subnational plans so urces; sources; (i) i n; in the Ur ban Agenda",
        ];
        let r = SpaceRepairs::from_lines(lines);
        let (a, made) = r.repair(lines[0]);
        assert_eq!(
            a,
            "so the local laws and local authorities, subnational plans"
        );
        assert_eq!(made.len(), 2);
        assert_eq!(made[0], ("loca l".to_string(), "local".to_string()));
        // "so" is a word of the document; "urban" is never written whole here.
        let (b, made) = r.repair(lines[1]);
        assert_eq!(
            b,
            "subnational plans so urces; sources; (i) in; in the Ur ban Agenda"
        );
        assert_eq!(made, [("i n".to_string(), "in".to_string())]);
    }

    #[test]
    fn unknown_compound_keeps_its_hyphen_and_uppercase_never_joins() {
        let lines = ["city-", "wide plans for non-", "Party stakeholders"];
        let vocab = HyphenVocabulary::from_lines(lines);
        assert_eq!(
            join_lines(&lines, &vocab).0,
            "city-wide plans for non-Party stakeholders"
        );
    }
}
