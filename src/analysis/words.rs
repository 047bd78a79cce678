//! The one tokenisation every count of words shares: `freq`, `collocates`, `keyness` at query
//! time and the word tallies `index` keeps ([`crate::index::tally::WordTally`]). A word is a
//! token of the one normalisation (`extract::normalize::tokens`) with at least one letter,
//! case folded; a lexicon term is one token, written as the lexicon writes it, lowered; a name
//! of an instrument is one token only when names are asked for, else a gap. Apart from
//! `explore.rs` so that the index stage can tally words without depending on the views that
//! read the index.

use crate::analysis::lexicon::{Matcher, Mention};
use crate::extract::normalize::tokens;

/// One token of a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    /// The word, case folded, or the lexicon's term.
    pub word: String,
    /// The term's concept, for a token that is a lexicon term.
    pub concept: Option<String>,
    /// Byte range in the unit's text.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// Index of the lexicon mention in the unit (for its role), for a term.
    pub mention: Option<usize>,
}

/// The tokens of one unit, and where a name kept apart breaks the run (`gaps[i]`: a gap before
/// token i).
#[derive(Debug, Default)]
pub struct UnitTokens {
    /// The tokens in order.
    pub toks: Vec<Tok>,
    /// A name kept apart stands before token i.
    pub gap_before: Vec<bool>,
}

/// The tokens of `text` (see the module docs).
pub fn unit_tokens(text: &str, matcher: &Matcher, names: bool) -> UnitTokens {
    let mentions = matcher.find(text);
    let mut out = UnitTokens::default();
    let mut m = mentions.iter().enumerate().peekable();
    let mut gap = false;
    for (a, b) in tokens(text) {
        // Tokens inside a mention are that mention's one token (or nothing, for a name kept
        // apart).
        while m.peek().is_some_and(|(_, x)| x.end <= a) {
            m.next();
        }
        if let Some(&(k, x)) = m.peek()
            && x.start <= a
            && a < x.end
        {
            if x.start == a {
                let t = &matcher.terms()[x.term];
                if t.name && !names {
                    gap = true;
                } else {
                    out.toks.push(Tok {
                        word: t.text.to_lowercase(),
                        concept: (!t.name).then(|| t.concept.clone()),
                        start: x.start,
                        end: x.end,
                        mention: Some(k),
                    });
                    out.gap_before.push(std::mem::take(&mut gap));
                }
            }
            continue;
        }
        let w = &text[a..b];
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        out.toks.push(Tok {
            word: w.to_lowercase(),
            concept: None,
            start: a,
            end: b,
            mention: None,
        });
        out.gap_before.push(std::mem::take(&mut gap));
    }
    out
}

/// Calls `f(word, concept, is_name)` for every word of `text` in order (the same words as
/// [`unit_tokens`], without building them): a word is borrowed from the text when it is
/// already lower case, else lowercased into one reused buffer; a lexicon term is its lowered
/// text (`lowered[term]`).
pub fn for_each_word(
    text: &str,
    mentions: &[Mention],
    matcher: &Matcher,
    lowered: &[String],
    names: bool,
    mut f: impl FnMut(&str, Option<&str>, bool),
) {
    let mut buf = String::new();
    let mut m = mentions.iter().peekable();
    for (a, b) in tokens(text) {
        while m.peek().is_some_and(|x| x.end <= a) {
            m.next();
        }
        if let Some(&&x) = m.peek()
            && x.start <= a
            && a < x.end
        {
            if x.start == a {
                let t = &matcher.terms()[x.term];
                if !t.name || names {
                    f(
                        &lowered[x.term],
                        (!t.name).then_some(t.concept.as_str()),
                        t.name,
                    );
                }
            }
            continue;
        }
        let w = &text[a..b];
        let ascii = w.is_ascii();
        let letter = if ascii {
            w.bytes().any(|c| c.is_ascii_alphabetic())
        } else {
            w.chars().any(char::is_alphabetic)
        };
        if !letter {
            continue;
        }
        if ascii && !w.bytes().any(|c| c.is_ascii_uppercase()) {
            f(w, None, false);
        } else {
            buf.clear();
            buf.extend(w.chars().flat_map(char::to_lowercase));
            f(&buf, None, false);
        }
    }
}

/// The stop words of a language: NLTK's lists for English, Spanish and French (Bird, Klein and
/// Loper 2009; via the `stop-words` crate), case folded.
pub fn stop_words(lang: &str) -> rustc_hash::FxHashSet<&'static str> {
    let code = match lang {
        "es" | "fr" => lang,
        _ => "en",
    };
    stop_words::get(code).iter().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lexicon::Lexicon;

    #[test]
    fn a_term_is_one_token_a_name_is_a_gap_and_numbers_are_no_words() {
        let lex = Lexicon::builtin();
        let m = lex.matcher("en");
        let text = "The local authorities of 12 cities and the New Urban Agenda; cities.";
        let ut = unit_tokens(text, &m, false);
        let words: Vec<&str> = ut.toks.iter().map(|t| t.word.as_str()).collect();
        assert_eq!(
            words,
            [
                "the",
                "local authorities",
                "of",
                "cities",
                "and",
                "the",
                "cities"
            ]
        );
        assert_eq!(ut.toks[1].concept.as_deref(), Some("local_government"));
        assert!(ut.gap_before[6], "the name stands before the last word");
        let with = unit_tokens(text, &m, true);
        assert!(with.toks.iter().any(|t| t.word == "new urban agenda"));
    }
}
