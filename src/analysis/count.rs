//! Exact counts of mentions per document and per unit.
//!
//! tantivy finds the candidate units (those containing any term's tokens, as phrases); the
//! counts and offsets come from the lexicon's one matcher run over each candidate's stored,
//! normalised text. tantivy alone would count matching units, not occurrences, and cannot
//! apply the longest-term rule. A unit tantivy does not return has no mention, since every
//! mention's tokens are in the index as a phrase.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::analysis::lexicon::{Lexicon, Matcher, Mention};
use crate::analysis::scope::Scope;
use crate::error::Result;
use crate::extract::segment::Unit;
use crate::index::tally::Tally;
use crate::index::{DocHead, Store};

/// The mentions of one unit.
pub struct UnitMentions {
    /// The unit.
    pub unit: Unit,
    /// Its mentions, left to right.
    pub mentions: Vec<Mention>,
}

/// A query matching units that contain any of the matcher's terms (as token phrases).
pub fn candidates_query(store: &Store, matcher: &Matcher) -> Box<dyn Query> {
    terms_query(store, matcher.terms())
}

/// A query matching units that contain any of `terms` (as token phrases): every unit with a
/// mention of one of them matches, since the index holds each mention's tokens as a phrase.
pub fn terms_query(store: &Store, terms: &[crate::analysis::lexicon::Term]) -> Box<dyn Query> {
    let mut analyzer = crate::index::schema::analyzer();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for t in terms {
        let mut stream = analyzer.token_stream(&t.text);
        let mut terms = Vec::new();
        while let Some(tok) = stream.next() {
            terms.push(Term::from_field_text(store.fields.text, &tok.text));
        }
        let q: Box<dyn Query> = match terms.len() {
            0 => continue,
            1 => Box::new(TermQuery::new(terms.remove(0), IndexRecordOption::Basic)),
            _ => Box::new(PhraseQuery::new(terms)),
        };
        clauses.push((Occur::Should, q));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Every unit of document `id` (in `language`) with at least one mention, with its mentions,
/// within `scope`.
pub fn scan_doc(
    store: &Store,
    lexicon: &Lexicon,
    id: &str,
    language: &str,
    scope: Scope,
) -> Result<(Matcher, Vec<UnitMentions>)> {
    let matcher = lexicon.matcher(language);
    let units = store.units(id, Some(candidates_query(store, &matcher)))?;
    let mut out = Vec::new();
    for unit in units {
        if !scope.counts(&unit) {
            continue;
        }
        let mentions = matcher.find(&unit.text);
        if !mentions.is_empty() {
            out.push(UnitMentions { unit, mentions });
        }
    }
    Ok((matcher, out))
}

/// Figures keyed by name, in name order, serialised as a JSON object: the names are one shared
/// sorted list per language ([`crate::analysis::lexicon::Keys`]), so a document's counts are a vector, not
/// a map of owned strings (at 10,000 documents the maps were most of `count`'s time).
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<V> {
    keys: Arc<[String]>,
    values: Vec<V>,
}

impl<V: Default + Clone> Keyed<V> {
    /// Every key with a default (zero) value.
    pub fn zeros(keys: Arc<[String]>) -> Keyed<V> {
        let values = vec![V::default(); keys.len()];
        Keyed { keys, values }
    }
}

impl<V> Keyed<V> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.slot(key).map(|i| &self.values[i])
    }

    /// The value of `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.slot(key).map(|i| &mut self.values[i])
    }

    fn slot(&self, key: &str) -> Option<usize> {
        self.keys.binary_search_by(|k| k.as_str().cmp(key)).ok()
    }

    /// (name, value) in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.keys.iter().map(String::as_str).zip(&self.values)
    }

    /// Values in name order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.values.iter()
    }

    /// Values in name order, to change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.values.iter_mut()
    }

    /// Keeps the entries `keep` says yes to (the kept names get a list of their own).
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &V) -> bool) {
        let keepers: Vec<bool> = self.iter().map(|(k, v)| keep(k, v)).collect();
        let keys: Vec<String> = self
            .keys
            .iter()
            .zip(&keepers)
            .filter(|(_, k)| **k)
            .map(|(s, _)| s.clone())
            .collect();
        let mut flags = keepers.iter();
        self.values.retain(|_| *flags.next().unwrap_or(&false));
        self.keys = keys.into();
    }
}

impl<V: Serialize> Serialize for Keyed<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// One concept's figures in one document.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ConceptCount {
    /// Mentions (substantive: names of instruments and bodies are not mentions).
    pub count: usize,
    /// Occurrences inside names of instruments, bodies and events ("the New Urban Agenda"),
    /// counted apart from `count`.
    pub names: usize,
    /// Mentions per 10,000 words.
    pub per_10k: f64,
    /// Units with at least one mention.
    pub units: usize,
}

/// One unit's figures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitCount {
    /// Citation label.
    pub unit: String,
    /// Position in the document.
    pub ordinal: u32,
    /// First page.
    pub page: Option<u32>,
    /// Last page.
    pub page_end: Option<u32>,
    /// Mentions per concept (only concepts with mentions).
    pub concepts: BTreeMap<String, usize>,
    /// Mentions per term (only terms with mentions).
    pub terms: BTreeMap<String, usize>,
    /// Names of instruments and bodies in the unit (only those present).
    pub names: BTreeMap<String, usize>,
}

/// One document's figures: every concept and every term of its language, zeros included.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocCount {
    /// Document id.
    pub id: String,
    /// Short name.
    pub short: String,
    /// UN symbol.
    pub symbol: String,
    /// Year of adoption.
    pub year: Option<u32>,
    /// File, relative to the corpus folder.
    pub file: String,
    /// Language.
    pub language: String,
    /// Words counted (body and footnotes; plus the table of contents with --include-toc).
    pub words: usize,
    /// Pages.
    pub pages: u32,
    /// Per concept.
    pub concepts: Keyed<ConceptCount>,
    /// Per term (substantive mentions).
    pub terms: Keyed<usize>,
    /// Per name of an instrument, body or event: counted apart from every concept's `count`.
    pub names: Keyed<usize>,
    /// Per unit (with --by unit): units with at least one mention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<UnitCount>>,
}

/// How `count_doc` gets its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// From the counts made at index time when they were made with this lexicon, else from
    /// the stored text.
    Auto,
    /// Always from the stored text (`count --rescan`): the check on the index-time counts.
    Rescan,
}

/// Counts one document: from its index-time [`Tally`] when it was made with this lexicon and
/// no per-unit rows are asked for, else by matching the stored text of its candidate units.
pub fn count_doc(
    store: &Store,
    lexicon: &Lexicon,
    doc: &DocHead,
    scope: Scope,
    by_unit: bool,
    source: Source,
) -> Result<DocCount> {
    if !by_unit
        && source == Source::Auto
        && let Some(tally) = doc
            .tally
            .as_ref()
            .filter(|t| t.lexicon == lexicon.fingerprint())
    {
        return Ok(from_tally(lexicon, doc, tally, scope));
    }
    let (matcher, found) = scan_doc(store, lexicon, &doc.id, &doc.language, scope)?;
    let keys = lexicon.keys(&doc.language);
    let mut c = empty_count(doc, scope, keys);
    let mut units = Vec::new();
    for um in &found {
        let mut uc = UnitCount {
            unit: um.unit.label.clone(),
            ordinal: um.unit.ordinal,
            page: um.unit.page_start,
            page_end: um.unit.page_end,
            concepts: BTreeMap::new(),
            terms: BTreeMap::new(),
            names: BTreeMap::new(),
        };
        for m in &um.mentions {
            let t = &matcher.terms()[m.term];
            add(&mut c, keys, t, m.term, 1);
            if t.name {
                *uc.names.entry(t.text.clone()).or_default() += 1;
            } else {
                *uc.terms.entry(t.text.clone()).or_default() += 1;
                *uc.concepts.entry(t.concept.clone()).or_default() += 1;
            }
        }
        for k in uc.concepts.keys() {
            if let Some(cc) = c.concepts.get_mut(k) {
                cc.units += 1;
            }
        }
        units.push(uc);
    }
    c.units = by_unit.then_some(units);
    Ok(with_rates(c))
}

/// Fills in every concept's mentions per 10,000 words.
fn with_rates(mut c: DocCount) -> DocCount {
    for cc in c.concepts.values_mut() {
        cc.per_10k = per_10k(cc.count, c.words);
    }
    c
}

fn empty_count(doc: &DocHead, scope: Scope, keys: &crate::analysis::lexicon::Keys) -> DocCount {
    DocCount {
        id: doc.id.clone(),
        short: doc.short.clone(),
        symbol: doc.symbol.clone(),
        year: doc.year,
        file: doc.file.clone(),
        language: doc.language.clone(),
        words: scope.words(doc),
        pages: doc.pages,
        concepts: Keyed::zeros(keys.concepts.clone()),
        terms: Keyed::zeros(keys.terms.clone()),
        names: Keyed::zeros(keys.names.clone()),
        units: None,
    }
}

/// A document's counts from its index-time tally (no text read), as `count` gives them.
pub fn from_tally(lexicon: &Lexicon, doc: &DocHead, tally: &Tally, scope: Scope) -> DocCount {
    let keys = lexicon.keys(&doc.language);
    let mut c = empty_count(doc, scope, keys);
    for (p, part) in tally.parts.iter().enumerate() {
        if !scope.counts_part(p) {
            continue;
        }
        for &(t, n) in &part.terms {
            if let Some(term) = lexicon.terms_of(&doc.language).get(t as usize) {
                add(&mut c, keys, term, t as usize, n as usize);
            }
        }
        for &(k, n) in &part.units {
            if let Some(&cs) = keys.concept_slot.get(k as usize) {
                c.concepts.values[cs].units += n as usize;
            }
        }
    }
    with_rates(c)
}

/// Adds `n` occurrences of term `i` (of the document's language): to the term and its
/// concept's count, or, for a name, to the name and the concept's `names`.
fn add(
    c: &mut DocCount,
    keys: &crate::analysis::lexicon::Keys,
    term: &crate::analysis::lexicon::Term,
    i: usize,
    n: usize,
) {
    let (Some(&slot), Some(&cs)) = (keys.term_slot.get(i), keys.term_concept_slot.get(i)) else {
        return;
    };
    if term.name {
        c.names.values[slot] += n;
        c.concepts.values[cs].names += n;
    } else {
        c.terms.values[slot] += n;
        c.concepts.values[cs].count += n;
    }
}

/// Mentions per 10,000 words, to two decimals.
pub fn per_10k(count: usize, words: usize) -> f64 {
    if words == 0 {
        return 0.0;
    }
    (count as f64 * 10_000.0 / words as f64 * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_is_a_sorted_map() {
        let keys: Arc<[String]> = ["cities", "mayors", "urban"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut k: Keyed<usize> = Keyed::zeros(keys);
        *k.get_mut("urban").unwrap() += 2;
        *k.get_mut("cities").unwrap() += 1;
        assert!(k.get_mut("towns").is_none());
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            r#"{"cities":1,"mayors":0,"urban":2}"#
        );
        k.retain(|name, n| name != "mayors" && *n > 0);
        assert_eq!(
            k.iter().collect::<Vec<_>>(),
            vec![("cities", &1), ("urban", &2)]
        );
        assert_eq!(k.get("urban"), Some(&2));
        assert_eq!(k.get("mayors"), None);
    }
}
