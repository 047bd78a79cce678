//! Exact counts of mentions per document and per unit.
//!
//! tantivy finds the candidate units (those containing any term's tokens, as phrases); the
//! counts and offsets come from the lexicon's one matcher run over each candidate's stored,
//! normalised text. tantivy alone would count matching units, not occurrences, and cannot
//! apply the longest-term rule. A unit tantivy does not return has no mention, since every
//! mention's tokens are in the index as a phrase.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::error::Result;
use crate::index::{DocRecord, Store};
use crate::lexicon::{Lexicon, Matcher, Mention};
use crate::segment::{Unit, UnitKind};

/// Mentions counted when a document is indexed, so that `count` need not read its text.
///
/// Units fall in three disjoint parts (body, table of contents, footnotes) so that every
/// [`Scope`] is a sum of parts. Term and concept indexes are positions in the lexicon's
/// `terms(language)` and `concepts`; `lexicon` is the fingerprint they belong to: a lexicon with
/// another fingerprint ignores the tally and counts from the stored text.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Default)]
pub struct Tally {
    /// [`Lexicon::fingerprint`] of the lexicon the counts were made with.
    pub lexicon: String,
    /// Body, table of contents, footnotes.
    pub parts: [TallyPart; 3],
}

/// The counts of one part of a document: only non-zero entries.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Default)]
pub struct TallyPart {
    /// (term index, mentions).
    pub terms: Vec<(u32, u32)>,
    /// (concept index, units with at least one mention of the concept).
    pub units: Vec<(u32, u32)>,
}

fn part_of(kind: UnitKind) -> usize {
    match kind {
        UnitKind::Toc => 1,
        UnitKind::Footnote => 2,
        _ => 0,
    }
}

impl Tally {
    /// Counts the mentions in `units` with the matcher of `language`: the same matcher and the
    /// same per-unit rules as [`count_doc`] applies to the stored text.
    pub fn of(lexicon: &Lexicon, language: &str, units: &[Unit]) -> Tally {
        let matcher = lexicon.matcher(language);
        let concepts = lexicon.concept_ids();
        let concept_of: Vec<usize> = matcher
            .terms()
            .iter()
            .map(|t| concepts.iter().position(|c| *c == t.concept).unwrap_or(0))
            .collect();
        let mut terms = vec![[0u32; 3]; matcher.terms().len()];
        let mut units_of = vec![[0u32; 3]; concepts.len()];
        let mut seen = vec![false; concepts.len()];
        for u in units {
            let mentions = matcher.find(&u.text);
            if mentions.is_empty() {
                continue;
            }
            let p = part_of(u.kind);
            seen.fill(false);
            for m in mentions {
                terms[m.term][p] += 1;
                seen[concept_of[m.term]] = true;
            }
            for (c, s) in seen.iter().enumerate() {
                units_of[c][p] += u32::from(*s);
            }
        }
        let sparse = |v: &[[u32; 3]], p: usize| -> Vec<(u32, u32)> {
            v.iter()
                .enumerate()
                .filter(|(_, n)| n[p] > 0)
                .map(|(i, n)| (i as u32, n[p]))
                .collect()
        };
        Tally {
            lexicon: lexicon.fingerprint().to_string(),
            parts: std::array::from_fn(|p| TallyPart {
                terms: sparse(&terms, p),
                units: sparse(&units_of, p),
            }),
        }
    }
}

/// The mentions of one unit.
pub struct UnitMentions {
    /// The unit.
    pub unit: Unit,
    /// Its mentions, left to right.
    pub mentions: Vec<Mention>,
}

/// A query matching units that contain any of `terms` (as token phrases).
pub fn candidates_query(store: &Store, matcher: &Matcher) -> Box<dyn Query> {
    let mut analyzer = crate::schema::analyzer();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for t in matcher.terms() {
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

/// Which parts of a document are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// Tables of contents (off by default: they repeat the body's headings).
    pub toc: bool,
    /// Footnotes (on by default).
    pub footnotes: bool,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            toc: false,
            footnotes: true,
        }
    }
}

impl Scope {
    /// Whether a unit is counted.
    pub fn counts(&self, unit: &Unit) -> bool {
        match unit.kind {
            UnitKind::Toc => self.toc,
            UnitKind::Footnote => self.footnotes,
            _ => true,
        }
    }

    /// Whether units of tally part `p` (body, toc, footnotes) are counted.
    fn counts_part(&self, p: usize) -> bool {
        match p {
            1 => self.toc,
            2 => self.footnotes,
            _ => true,
        }
    }

    /// The words of a document in this scope.
    pub fn words(&self, doc: &DocRecord) -> usize {
        doc.words + if self.toc { doc.toc_words } else { 0 }
            - if self.footnotes {
                0
            } else {
                doc.footnote_words.min(doc.words)
            }
    }
}

/// Every unit of `doc` with at least one mention, with its mentions, within `scope`.
pub fn scan_doc(
    store: &Store,
    lexicon: &Lexicon,
    doc: &DocRecord,
    scope: Scope,
) -> Result<(Matcher, Vec<UnitMentions>)> {
    let matcher = lexicon.matcher(&doc.meta.language);
    let units = store.units(&doc.meta.id, Some(candidates_query(store, &matcher)))?;
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

/// One concept's figures in one document.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ConceptCount {
    /// Mentions.
    pub count: usize,
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
    pub concepts: BTreeMap<String, ConceptCount>,
    /// Per term.
    pub terms: BTreeMap<String, usize>,
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
    doc: &DocRecord,
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
    let (matcher, found) = scan_doc(store, lexicon, doc, scope)?;
    let mut c = empty_count(lexicon, doc, scope, matcher.terms());
    let mut units = Vec::new();
    for um in &found {
        let mut uc = UnitCount {
            unit: um.unit.label.clone(),
            ordinal: um.unit.ordinal,
            page: um.unit.page_start,
            page_end: um.unit.page_end,
            concepts: BTreeMap::new(),
            terms: BTreeMap::new(),
        };
        for m in &um.mentions {
            let t = &matcher.terms()[m.term];
            *c.terms.entry(t.text.clone()).or_default() += 1;
            *uc.terms.entry(t.text.clone()).or_default() += 1;
            *uc.concepts.entry(t.concept.clone()).or_default() += 1;
        }
        for (k, n) in &uc.concepts {
            let cc = c.concepts.entry(k.clone()).or_default();
            cc.count += n;
            cc.units += 1;
        }
        units.push(uc);
    }
    for cc in c.concepts.values_mut() {
        cc.per_10k = per_10k(cc.count, c.words);
    }
    c.units = by_unit.then_some(units);
    Ok(c)
}

fn empty_count(
    lexicon: &Lexicon,
    doc: &DocRecord,
    scope: Scope,
    terms: &[crate::lexicon::Term],
) -> DocCount {
    DocCount {
        id: doc.meta.id.clone(),
        short: doc.meta.short.clone(),
        symbol: doc.meta.symbol.clone(),
        year: doc.meta.year,
        file: doc.file.clone(),
        language: doc.meta.language.clone(),
        words: scope.words(doc),
        pages: doc.pages,
        concepts: lexicon
            .concept_ids()
            .into_iter()
            .map(|c| (c.to_string(), ConceptCount::default()))
            .collect(),
        terms: terms.iter().map(|t| (t.text.clone(), 0)).collect(),
        units: None,
    }
}

fn from_tally(lexicon: &Lexicon, doc: &DocRecord, tally: &Tally, scope: Scope) -> DocCount {
    let terms = lexicon.terms_of(&doc.meta.language);
    let mut c = empty_count(lexicon, doc, scope, terms);
    let concepts = lexicon.concept_ids();
    for (p, part) in tally.parts.iter().enumerate() {
        if !scope.counts_part(p) {
            continue;
        }
        for &(t, n) in &part.terms {
            if let Some(term) = terms.get(t as usize) {
                if let Some(x) = c.terms.get_mut(&term.text) {
                    *x += n as usize;
                }
                if let Some(cc) = c.concepts.get_mut(&term.concept) {
                    cc.count += n as usize;
                }
            }
        }
        for &(k, n) in &part.units {
            if let Some(cc) = concepts
                .get(k as usize)
                .and_then(|id| c.concepts.get_mut(*id))
            {
                cc.units += n as usize;
            }
        }
    }
    for cc in c.concepts.values_mut() {
        cc.per_10k = per_10k(cc.count, c.words);
    }
    c
}

/// Mentions per 10,000 words, to two decimals.
pub fn per_10k(count: usize, words: usize) -> f64 {
    if words == 0 {
        return 0.0;
    }
    (count as f64 * 10_000.0 / words as f64 * 100.0).round() / 100.0
}
