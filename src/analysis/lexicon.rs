//! Concepts, their terms per language, and the one matcher that finds mentions.
//!
//! The matcher works on tokens (the same alphanumeric runs tantivy indexes), so a term is
//! always matched as whole words: "city" is not found in "capacity", "urban" not in "Durban".
//! At each token it tries the terms that start there, longest first; the first that fits is
//! the mention and matching resumes after it. This is the "longest wins, counted once" rule.
//! The test oracle (tests/) finds the same mentions by a different route, a substring scan
//! with overlap resolution, and the counts are compared.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::corpus::LANGUAGES;
use crate::error::{Error, Result};
use crate::extract::normalize::tokens;

/// The built-in lexicon (corpus/lexicon.toml).
pub const BUILTIN: &str = include_str!("../../corpus/lexicon.toml");

/// One concept with its terms.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Stable key, e.g. `local_government`.
    pub id: String,
    /// What it stands for, in words.
    #[serde(default)]
    pub description: String,
    /// English terms (case-insensitive).
    #[serde(default)]
    pub en: Vec<String>,
    /// Spanish terms.
    #[serde(default)]
    pub es: Vec<String>,
    /// French terms.
    #[serde(default)]
    pub fr: Vec<String>,
    /// Proper names, case-sensitive, in every language.
    #[serde(default)]
    pub names: Vec<String>,
    /// Whether its mentions can put cities at the table (count in the at-the-table share's
    /// denominator): cities and their governments can, the adjective "urban" cannot.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub at_the_table: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Concept {
    fn terms(&self, lang: &str) -> &[String] {
        of_lang(lang, &self.en, &self.es, &self.fr)
    }
}

/// The list of `lang` among per-language lists (English for any other language).
fn of_lang<'a>(lang: &str, en: &'a [String], es: &'a [String], fr: &'a [String]) -> &'a [String] {
    match lang {
        "es" => es,
        "fr" => fr,
        _ => en,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    concept: Vec<Concept>,
    #[serde(default)]
    names: Names,
}

/// Names of instruments, bodies and events that contain a lexicon word ("the New Urban
/// Agenda", "World Urban Forum"): they name something, they say nothing about what cities do.
/// They are matched like terms (longest first, so the name wins over the word inside it) and
/// counted apart from the concept's mentions (like the negative labels of a concept store).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// English names (case-insensitive).
    #[serde(default)]
    pub en: Vec<String>,
    /// Spanish names.
    #[serde(default)]
    pub es: Vec<String>,
    /// French names.
    #[serde(default)]
    pub fr: Vec<String>,
}

impl Names {
    fn of(&self, lang: &str) -> &[String] {
        of_lang(lang, &self.en, &self.es, &self.fr)
    }
}

/// All concepts, in their file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    /// The concepts.
    pub concepts: Vec<Concept>,
    /// Names of instruments, bodies and events, counted apart.
    pub names: Names,
    /// sha256 (16 hex digits) of the concepts and names: what index-time counts were made with.
    fingerprint: String,
    /// `terms(lang)` for en (and any other language), es, fr: built once.
    terms_by_lang: [Vec<Term>; 3],
    keys: [Keys; 3],
}

/// The sorted names a document's counts are keyed by, shared by every document of a language
/// (see [`crate::analysis::count::Keyed`]), and where each term and concept lands among them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys {
    /// Concept ids, sorted.
    pub concepts: Arc<[String]>,
    /// Term texts of the language, sorted and deduplicated (names not included).
    pub terms: Arc<[String]>,
    /// Names of the language, sorted and deduplicated.
    pub names: Arc<[String]>,
    /// For each term of `terms_of(lang)`: its slot in `terms`, or for a name in `names`.
    pub term_slot: Vec<usize>,
    /// For each term of `terms_of(lang)`: its concept's slot in `concepts`.
    pub term_concept_slot: Vec<usize>,
    /// For each concept in lexicon order: its slot in `concepts`.
    pub concept_slot: Vec<usize>,
}

impl Keys {
    fn build(concepts: &[Concept], terms: &[Term]) -> Keys {
        let mut cs: Vec<String> = concepts.iter().map(|c| c.id.clone()).collect();
        cs.sort();
        cs.dedup();
        let sorted = |name: bool| {
            let mut v: Vec<String> = terms
                .iter()
                .filter(|t| t.name == name)
                .map(|t| t.text.clone())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let (ts, ns) = (sorted(false), sorted(true));
        let slot = |v: &[String], k: &str| v.binary_search_by(|x| x.as_str().cmp(k)).unwrap_or(0);
        Keys {
            term_slot: terms
                .iter()
                .map(|t| slot(if t.name { &ns } else { &ts }, &t.text))
                .collect(),
            names: ns.into(),
            term_concept_slot: terms.iter().map(|t| slot(&cs, &t.concept)).collect(),
            concept_slot: concepts.iter().map(|c| slot(&cs, &c.id)).collect(),
            concepts: cs.into(),
            terms: ts.into(),
        }
    }
}

/// A term of one language, as the matcher and the outputs know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The term as written in the lexicon: the key in outputs.
    pub text: String,
    /// The concept's id.
    pub concept: String,
    /// Matched with its case (a proper name) or not.
    pub exact: bool,
    /// The name of an instrument, body or event containing a term of `concept` ("the New
    /// Urban Agenda"): counted apart, never as a mention of the concept.
    pub name: bool,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        // The built-in file is part of the source and tested; it cannot fail to parse.
        Lexicon::parse(BUILTIN, Path::new("corpus/lexicon.toml")).expect("built-in lexicon parses")
    }

    /// Reads a lexicon file.
    pub fn load(path: &Path) -> Result<Lexicon> {
        let text = crate::extract::read_config(path)?;
        Lexicon::parse(&text, path)
    }

    /// Parses lexicon TOML; checks that no term belongs to two concepts in one language.
    pub fn parse(text: &str, path: &Path) -> Result<Lexicon> {
        let config = |reason: String| Error::Config {
            path: path.to_path_buf(),
            reason,
        };
        let mut file: LexiconFile = toml::from_str(text).map_err(|e| config(e.to_string()))?;
        check_and_normalize(&mut file).map_err(config)?;
        let fingerprint = crate::corpus::sha256_hex(
            serde_json::to_string(&(&file.concept, &file.names))
                .unwrap_or_default()
                .as_bytes(),
        )[..16]
            .to_string();
        let mut lex = Lexicon {
            concepts: file.concept,
            names: file.names,
            fingerprint,
            terms_by_lang: Default::default(),
            keys: Default::default(),
        };
        lex.terms_by_lang = [
            lex.build_terms("en").map_err(config)?,
            lex.build_terms("es").map_err(config)?,
            lex.build_terms("fr").map_err(config)?,
        ];
        lex.keys = std::array::from_fn(|i| Keys::build(&lex.concepts, &lex.terms_by_lang[i]));
        for lang in LANGUAGES {
            let mut seen: HashMap<String, String> = HashMap::new();
            for t in lex.terms_of(lang) {
                let key = if t.exact {
                    t.text.clone()
                } else {
                    t.text.to_lowercase()
                };
                if let Some(other) = seen.insert(key, t.concept.clone())
                    && other != t.concept
                {
                    return Err(config(format!(
                        "term {:?} ({lang}) is in both {other} and {}",
                        t.text, t.concept
                    )));
                }
            }
        }
        Ok(lex)
    }

    /// The terms that apply to documents of `lang`, concept by concept, in lexicon order.
    pub fn terms(&self, lang: &str) -> Vec<Term> {
        self.terms_of(lang).to_vec()
    }

    /// The terms that apply to documents of `lang`, without copying them.
    pub fn terms_of(&self, lang: &str) -> &[Term] {
        &self.terms_by_lang[lang_slot(lang)]
    }

    /// The sorted count keys of `lang`'s documents.
    pub fn keys(&self, lang: &str) -> &Keys {
        &self.keys[lang_slot(lang)]
    }

    fn build_terms(&self, lang: &str) -> std::result::Result<Vec<Term>, String> {
        let mut out = Vec::new();
        for c in &self.concepts {
            for t in c.terms(lang) {
                out.push(Term {
                    text: t.clone(),
                    concept: c.id.clone(),
                    exact: false,
                    name: false,
                });
            }
            for t in &c.names {
                out.push(Term {
                    text: t.clone(),
                    concept: c.id.clone(),
                    exact: true,
                    name: false,
                });
            }
        }
        // A name belongs to the concept of the first term inside it.
        let terms = Matcher::new(out.clone());
        for n in self.names.of(lang) {
            let Some(m) = terms.find(n).into_iter().next() else {
                return Err(format!(
                    "name {n:?} ({lang}) contains no term of the lexicon: it can never hide a mention"
                ));
            };
            out.push(Term {
                text: n.clone(),
                concept: terms.terms()[m.term].concept.clone(),
                exact: false,
                name: true,
            });
        }
        Ok(out)
    }

    /// Identifies the lexicon's content (concepts, terms, order): counts made at index time are
    /// used only by a lexicon with the same fingerprint.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Concept ids in order.
    pub fn concept_ids(&self) -> Vec<&str> {
        self.concepts.iter().map(|c| c.id.as_str()).collect()
    }

    /// Whether mentions of `concept` can put cities at the table (see [`Concept::at_the_table`]).
    pub fn can_sit(&self, concept: &str) -> bool {
        self.concepts
            .iter()
            .any(|c| c.id == concept && c.at_the_table)
    }

    /// The concepts whose mentions can put cities at the table: the share's denominator.
    pub fn table_concepts(&self) -> Vec<&str> {
        self.concepts
            .iter()
            .filter(|c| c.at_the_table)
            .map(|c| c.id.as_str())
            .collect()
    }

    /// A matcher for documents of `lang`.
    pub fn matcher(&self, lang: &str) -> Matcher {
        Matcher::new(self.terms(lang))
    }
}

/// The concept id of a word or phrase asked for that the lexicon does not have (`--term
/// migrants`, a claim's `term`): counted with the lexicon's normalisation, word boundaries and
/// longest-match rule, and marked as ad hoc in every output.
pub const AD_HOC: &str = "ad_hoc";

/// A term asked for, resolved against the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// A term of the lexicon, as the lexicon writes it, with the languages it is a term of.
    Lexicon {
        /// The term as the lexicon writes it.
        text: String,
        /// Languages whose documents it is matched in.
        languages: Vec<&'static str>,
    },
    /// Any other word or phrase, normalised: matched in documents of every language.
    AdHoc(String),
}

impl Asked {
    /// Whether it is not in the lexicon.
    pub fn is_ad_hoc(&self) -> bool {
        matches!(self, Asked::AdHoc(_))
    }

    /// The term as matched and shown.
    pub fn text(&self) -> &str {
        match self {
            Asked::Lexicon { text, .. } | Asked::AdHoc(text) => text,
        }
    }

    /// Whether documents of `lang` can have it: a lexicon term only in its languages.
    pub fn applies_to(&self, lang: &str) -> bool {
        match self {
            Asked::Lexicon { languages, .. } => languages.contains(&lang),
            Asked::AdHoc(_) => true,
        }
    }

    /// Why documents of `lang` cannot have it, if they cannot.
    pub fn language_note(&self, lang: &str) -> Option<String> {
        match self {
            Asked::Lexicon { text, languages } if !languages.contains(&lang) => Some(format!(
                "{text:?} is a term of the lexicon in {} only and is never matched in a document in {}; ask for a term of that language (see corpus/lexicon.toml) or the concept",
                language_names(languages),
                language_name(lang),
            )),
            _ => None,
        }
    }
}

fn language_name(lang: &str) -> &'static str {
    match lang {
        "es" => "Spanish",
        "fr" => "French",
        _ => "English",
    }
}

fn language_names(langs: &[&str]) -> String {
    langs
        .iter()
        .map(|l| language_name(l))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Characters that make a term a pattern (a regular expression or a glob), which menutable
/// does not support: it counts words and phrases, exactly.
const PATTERN: &[char] = &[
    '*', '?', '(', ')', '|', '[', ']', '{', '}', '\\', '^', '$', '+',
];

impl Lexicon {
    /// What a term asked for is: a term of the lexicon (compared case-insensitively, after the
    /// one normalisation, so "local  authorities" is "local authorities"), or any other word or
    /// phrase (ad hoc). A pattern ("cit*", "cit(y|ies)", "urb.*") or a term with punctuation at
    /// its edges is refused with the reason.
    pub fn resolve(&self, term: &str) -> std::result::Result<Asked, String> {
        if let Some(c) = term.chars().find(|c| PATTERN.contains(c)) {
            return Err(format!(
                "{term:?} looks like a pattern ({c:?}): menutable counts words and phrases exactly, not patterns or wildcards; give each word form as a term of its own (for cities: \"city\", \"cities\"), or use the concept (--concept city)"
            ));
        }
        if term.contains(".*") || term.contains(".+") {
            return Err(format!(
                "{term:?} looks like a regular expression: menutable counts words and phrases exactly; give each word form as a term"
            ));
        }
        let t = checked_term(term).map_err(|why| format!("the term {term:?} {why}"))?;
        let lower = t.to_lowercase();
        let languages: Vec<&'static str> = LANGUAGES
            .iter()
            .copied()
            .filter(|l| {
                self.terms_of(l)
                    .iter()
                    .any(|x| x.text.to_lowercase() == lower)
            })
            .collect();
        // The term as written first (a case-sensitive name such as "EUROCITIES" beside
        // "Eurocities"), else any case.
        let all = || LANGUAGES.iter().flat_map(|l| self.terms_of(l));
        match all()
            .find(|x| x.text == t)
            .or_else(|| all().find(|x| x.text.to_lowercase() == lower))
        {
            Some(x) => Ok(Asked::Lexicon {
                text: x.text.clone(),
                languages,
            }),
            None => Ok(Asked::AdHoc(t)),
        }
    }

    /// This lexicon with the ad hoc terms among `asked` added: a concept [`AD_HOC`] holding
    /// them in every language (so the longest-match rule applies between them and the
    /// lexicon's terms: "local" is not counted inside "local authorities"). Its fingerprint
    /// differs, so counts are made from the stored text.
    pub fn with(&self, asked: &[Asked]) -> Result<Lexicon> {
        let mut ad_hoc: Vec<String> = asked
            .iter()
            .filter_map(|a| match a {
                Asked::AdHoc(t) => Some(t.clone()),
                Asked::Lexicon { .. } => None,
            })
            .collect();
        ad_hoc.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
        if ad_hoc.is_empty() {
            return Ok(self.clone());
        }
        let mut concepts = self.concepts.clone();
        concepts.push(Concept {
            id: AD_HOC.into(),
            description: "words or phrases asked for that are not in the lexicon".into(),
            en: ad_hoc.clone(),
            es: ad_hoc.clone(),
            fr: ad_hoc,
            names: Vec::new(),
            at_the_table: false,
        });
        let file = toml::to_string(&LexiconOut {
            concept: &concepts,
            names: &self.names,
        })
        .unwrap_or_default();
        Lexicon::parse(&file, Path::new("(the lexicon with ad hoc terms)"))
    }
}

#[derive(Serialize)]
struct LexiconOut<'a> {
    concept: &'a [Concept],
    names: &'a Names,
}

/// Checks a lexicon file before anything is built from it, and writes every term and name as
/// the text is written (the one normalisation: "ﬁnance" is "finance", U+2011 is "-", a
/// full-width letter is its ASCII form), so a term never silently counts 0 for its spelling.
fn check_and_normalize(file: &mut LexiconFile) -> std::result::Result<(), String> {
    let mut ids = std::collections::HashSet::new();
    for c in &mut file.concept {
        if c.id.trim().is_empty() || c.id.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
            return Err(format!(
                "concept id {:?}: give a word (letters, digits, _ or -), without spaces",
                c.id
            ));
        }
        if !ids.insert(c.id.clone()) {
            return Err(format!(
                "two concepts have the id {:?}: give each its own",
                c.id
            ));
        }
        let id = c.id.clone();
        for list in [&mut c.en, &mut c.es, &mut c.fr, &mut c.names] {
            for t in list.iter_mut() {
                *t = checked_term(t).map_err(|why| format!("concept {id}: term {t:?} {why}"))?;
            }
        }
    }
    let Names { en, es, fr } = &mut file.names;
    for list in [en, es, fr] {
        for t in list.iter_mut() {
            *t = checked_term(t).map_err(|why| format!("name {t:?} {why}"))?;
        }
    }
    Ok(())
}

/// A term as the matcher needs it: normalised like the text, with a letter or digit, and
/// starting and ending with one. The matcher matches words: a "+" after "c" would be dropped
/// and "c++" would count every "c", so a term with punctuation at its edges is refused; between
/// its words a term may have any punctuation, matched literally ("sub-national", "C40").
pub fn checked_term(term: &str) -> std::result::Result<String, String> {
    let t = crate::extract::normalize::normalize(term);
    let Some((first, _)) = tokens(&t).next() else {
        return Err("has no letters or digits".into());
    };
    let last = tokens(&t).last().map_or(0, |(_, b)| b);
    if first > 0 || last < t.len() {
        let edge: String = t[..first].chars().chain(t[last..].chars()).collect();
        return Err(format!(
            "has {edge:?} outside its words: menutable matches whole words, so it cannot count that literally; write the words alone"
        ));
    }
    Ok(t)
}

fn lang_slot(lang: &str) -> usize {
    match lang {
        "es" => 1,
        "fr" => 2,
        _ => 0,
    }
}

/// One mention in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset where the mention starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// Index into [`Matcher::terms`].
    pub term: usize,
}

struct Pattern {
    /// Lowercased tokens (as written for exact terms).
    tokens: Vec<String>,
    /// What stands between consecutive tokens in the term: a space matches any whitespace.
    seps: Vec<String>,
    term: usize,
    exact: bool,
}

/// Finds mentions of one language's terms.
pub struct Matcher {
    terms: Vec<Term>,
    /// Patterns by their first token (lowercased), longest first.
    by_first: rustc_hash::FxHashMap<String, Vec<Pattern>>,
    /// For each first byte of a lowercased first token, a bit per token length (63 = longer):
    /// lets `find` pass over most tokens without lowercasing or hashing them.
    first: Box<[u64; 256]>,
}

/// The bit of a token length in [`Matcher::first`].
fn len_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// Whether `s` lowercased is `want` (without allocating for ASCII).
fn lower_eq(s: &str, want: &str) -> bool {
    if s.is_ascii() {
        s.len() == want.len()
            && s.bytes()
                .zip(want.bytes())
                .all(|(x, y)| x.to_ascii_lowercase() == y)
    } else {
        s.to_lowercase() == want
    }
}

impl Matcher {
    /// Builds a matcher for these terms.
    pub fn new(terms: Vec<Term>) -> Matcher {
        let mut by_first: rustc_hash::FxHashMap<String, Vec<Pattern>> = Default::default();
        for (i, t) in terms.iter().enumerate() {
            let spans: Vec<(usize, usize)> = tokens(&t.text).collect();
            let toks: Vec<String> = spans
                .iter()
                .map(|&(a, b)| {
                    if t.exact {
                        t.text[a..b].to_string()
                    } else {
                        t.text[a..b].to_lowercase()
                    }
                })
                .collect();
            let seps = spans
                .windows(2)
                .map(|w| t.text[w[0].1..w[1].0].to_string())
                .collect();
            by_first
                .entry(toks[0].to_lowercase())
                .or_default()
                .push(Pattern {
                    tokens: toks,
                    seps,
                    term: i,
                    exact: t.exact,
                });
        }
        for list in by_first.values_mut() {
            let len = |p: &Pattern| {
                p.tokens.iter().map(String::len).sum::<usize>()
                    + p.seps.iter().map(String::len).sum::<usize>()
            };
            list.sort_by(|a, b| {
                b.tokens
                    .len()
                    .cmp(&a.tokens.len())
                    .then(len(b).cmp(&len(a)))
                    .then(a.term.cmp(&b.term))
            });
        }
        let mut first = Box::new([0u64; 256]);
        for key in by_first.keys() {
            first[usize::from(key.as_bytes()[0])] |= len_bit(key.len());
        }
        Matcher {
            terms,
            by_first,
            first,
        }
    }

    /// The terms, indexed by [`Mention::term`].
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Every mention in `text`, left to right, none overlapping.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let toks: Vec<(usize, usize)> = tokens(text).collect();
        let mut out = Vec::new();
        let mut lower = String::new();
        let mut i = 0;
        while i < toks.len() {
            let mut advanced = false;
            let word = &text[toks[i].0..toks[i].1];
            // An ASCII token can only start a term if its first byte and length say so; any
            // other token takes the general path.
            let maybe = !word.is_ascii()
                || self.first[usize::from(word.as_bytes()[0].to_ascii_lowercase())]
                    & len_bit(word.len())
                    != 0;
            let list = if maybe {
                lower.clear();
                if word.is_ascii() {
                    lower.extend(word.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    lower.push_str(&word.to_lowercase());
                }
                self.by_first.get(&lower)
            } else {
                None
            };
            if let Some(list) = list {
                for p in list {
                    if self.fits(p, text, &toks, i) {
                        let last = i + p.tokens.len() - 1;
                        out.push(Mention {
                            start: toks[i].0,
                            end: toks[last].1,
                            term: p.term,
                        });
                        i = last + 1;
                        advanced = true;
                        break;
                    }
                }
            }
            if !advanced {
                i += 1;
            }
        }
        out
    }

    fn fits(&self, p: &Pattern, text: &str, toks: &[(usize, usize)], i: usize) -> bool {
        if i + p.tokens.len() > toks.len() {
            return false;
        }
        for (k, want) in p.tokens.iter().enumerate() {
            let (a, b) = toks[i + k];
            let ok = if p.exact {
                &text[a..b] == want
            } else {
                lower_eq(&text[a..b], want)
            };
            if !ok {
                return false;
            }
            if k > 0 {
                let between = &text[toks[i + k - 1].1..a];
                let sep = &p.seps[k - 1];
                let ok = if sep.trim().is_empty() {
                    !between.is_empty() && between.chars().all(char::is_whitespace)
                } else {
                    between == sep
                };
                if !ok {
                    return false;
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(lang: &str, text: &str) -> Vec<(String, String)> {
        let m = Lexicon::builtin().matcher(lang);
        m.find(text)
            .into_iter()
            .map(|x| {
                (
                    m.terms()[x.term].text.clone(),
                    text[x.start..x.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn builtin_has_the_required_english_keys() {
        let lex = Lexicon::builtin();
        let en: Vec<(String, String)> = lex
            .terms("en")
            .into_iter()
            .map(|t| (t.concept, t.text))
            .collect();
        for (c, t) in [
            ("city", "city"),
            ("city", "cities"),
            ("mayor", "mayors"),
            ("local_government", "local authorities"),
            ("local_government", "municipal"),
            ("subnational", "sub-national"),
            ("subnational", "subnational authorities"),
            ("urban", "urban"),
            ("network", "United Cities and Local Governments"),
        ] {
            assert!(en.contains(&(c.to_string(), t.to_string())), "{c}: {t}");
        }
    }

    #[test]
    fn whole_tokens_only() {
        assert!(found("en", "capacity-building in Durban, suburban areas").is_empty());
        assert_eq!(found("en", "the city's plans and CITIES")[0].0, "city");
        assert_eq!(found("en", "the city's plans and CITIES")[1].1, "CITIES");
    }

    #[test]
    fn longest_term_wins_and_counts_once() {
        let f = found(
            "en",
            "cities and other subnational authorities, local\n governments, Mayors for Peace",
        );
        let terms: Vec<&str> = f.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            terms,
            [
                "cities",
                "subnational authorities",
                "local governments",
                "Mayors for Peace"
            ]
        );
    }

    #[test]
    fn hyphen_must_be_a_hyphen() {
        assert_eq!(
            found("en", "sub-national and sub national")[0].0,
            "sub-national"
        );
        assert_eq!(found("en", "sub-national and sub national").len(), 1);
    }

    #[test]
    fn spanish_mayor_is_never_a_mention() {
        assert!(found("es", "una mayor ambición y mayores esfuerzos").is_empty());
        assert_eq!(found("es", "el alcalde de la ciudad")[1].0, "ciudad");
    }

    #[test]
    fn names_keep_their_case() {
        assert_eq!(
            found("en", "the Metropolis network and ICLEI")[0].0,
            "Metropolis"
        );
        assert!(found("en", "a growing metropolis").is_empty());
        assert_eq!(found("fr", "le réseau C40 et les villes").len(), 2);
    }

    #[test]
    fn a_term_in_two_concepts_is_refused() {
        let bad =
            "[[concept]]\nid = \"a\"\nen = [\"city\"]\n[[concept]]\nid = \"b\"\nen = [\"City\"]\n";
        let err = Lexicon::parse(bad, Path::new("x.toml")).unwrap_err();
        assert!(err.to_string().contains("in both a and b"), "{err}");
    }
}
