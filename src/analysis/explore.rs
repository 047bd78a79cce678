//! Exploring the texts as corpus linguists do: frequency lists, collocates and keyness over a
//! selection, on one tokenisation.
//!
//! **One tokenisation.** A word is a token of the one normalisation (`extract::normalize`:
//! Unicode-aware alphanumeric runs, NFKC, case folded) with at least one letter (numbers are not
//! words), in the units the scope counts (no contents unless `--include-toc`; footnotes unless
//! `--no-footnotes`). A term of the lexicon is one token, written as the lexicon writes it
//! ("local authorities"), matched by the same matcher and longest-match rule as `count`, so the
//! frequency of "cities" here is `count --term cities` (a test checks every term). Names of
//! instruments ("New Urban Agenda") are kept apart: not words at all unless `--names`, then one
//! token each. Positions for spans count every token, stop words included; a name left apart
//! is a gap no n-gram crosses.

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::lexicon::{Lexicon, Matcher};
use crate::analysis::roles::Role;
use crate::analysis::scope::Scope;
use crate::analysis::stats;
use crate::analysis::words::{Tok, for_each_word, stop_words, unit_tokens};
use crate::error::Result;
use crate::extract::segment::Unit;
use crate::index::tally::WordTally;
use crate::index::{DocHead, Store};

/// Adds one to `word`'s count, allocating only for a word not seen before.
fn bump(map: &mut HashMap<String, usize>, word: &str) {
    match map.get_mut(word) {
        Some(c) => *c += 1,
        None => {
            map.insert(word.to_owned(), 1);
        }
    }
}

/// One matcher per language, built once rather than once per document.
struct Matchers([(Matcher, Vec<String>); 3]);

impl Matchers {
    fn new(lexicon: &Lexicon) -> Matchers {
        let one = |lang: &str| {
            let m = lexicon.matcher(lang);
            let lowered = m.terms().iter().map(|t| t.text.to_lowercase()).collect();
            (m, lowered)
        };
        Matchers([one("en"), one("es"), one("fr")])
    }

    fn slot(lang: &str) -> usize {
        match lang {
            "es" => 1,
            "fr" => 2,
            _ => 0,
        }
    }

    fn of(&self, lang: &str) -> &Matcher {
        &self.0[Self::slot(lang)].0
    }

    fn lowered(&self, lang: &str) -> &[String] {
        &self.0[Self::slot(lang)].1
    }
}

/// Where each document's words come from: the tally `index` made ([`WordTally`]) when it was
/// made with this lexicon, else the stored text tokenised now (a lexicon with ad hoc terms, or
/// an index of another lexicon). Both give the same words: the tally is [`for_each_word`] run
/// at index time. Documents are handed over one at a time ([`DocWords::each`]), so adding up
/// any number of them takes memory for the vocabulary, not for the documents.
pub struct DocWords<'a> {
    store: &'a Store,
    matchers: Matchers,
    fingerprint: String,
    alike: Option<String>,
}

/// What [`DocWords::each`] hands over: a document (its index in the selection) and its words.
pub type EachDoc<'f> = dyn FnMut(usize, &HashMap<String, usize>) + 'f;

impl<'a> DocWords<'a> {
    /// The words of documents of `store`, tokenised with `lexicon`. `alike` names another
    /// lexicon fingerprint whose tallies hold the same words (the lexicon this one adds a
    /// one-word ad hoc term to: that word is one token either way).
    pub fn new(store: &'a Store, lexicon: &Lexicon, alike: Option<&str>) -> DocWords<'a> {
        DocWords {
            store,
            matchers: Matchers::new(lexicon),
            fingerprint: lexicon.fingerprint().to_string(),
            alike: alike.map(str::to_string),
        }
    }

    /// Calls `f(k, words)` once for each document `docs[k]`, in no set order: its word
    /// frequencies in `scope`, stop words of its language left out when asked (lexicon terms
    /// never). Tallies are read one at a time from the index; the documents without a usable
    /// tally are then tokenised, a few at a time on the rayon pool.
    pub fn each(
        &self,
        docs: &[DocHead],
        scope: Scope,
        drop_stop_words: bool,
        f: &mut EachDoc,
    ) -> Result<()> {
        let at: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .map(|(k, d)| (d.id.as_str(), k))
            .collect();
        let mut done = vec![false; docs.len()];
        self.store.each_word_tally(256, |batch| {
            let fits = |t: &WordTally| {
                t.lexicon == self.fingerprint || self.alike.as_ref() == Some(&t.lexicon)
            };
            let words: Vec<(usize, HashMap<String, usize>)> = batch
                .par_iter()
                .filter_map(|t| Some((*at.get(t.id.as_str())?, t)).filter(|_| fits(t)))
                .map(|(k, t)| (k, tally_words(t, &docs[k], scope, drop_stop_words)))
                .collect();
            for (k, m) in words {
                if !done[k] {
                    done[k] = true;
                    f(k, &m);
                }
            }
        })?;
        let rest: Vec<usize> = (0..docs.len()).filter(|&k| !done[k]).collect();
        for chunk in rest.chunks(32) {
            let maps: Vec<HashMap<String, usize>> = chunk
                .par_iter()
                .map(|&k| doc_words(self.store, &docs[k], &self.matchers, scope, drop_stop_words))
                .collect::<Result<_>>()?;
            for (&k, m) in chunk.iter().zip(&maps) {
                f(k, m);
            }
        }
        Ok(())
    }
}

/// A document's words in `scope` from its tally (the words [`doc_words`] gives from its text).
fn tally_words(
    tally: &WordTally,
    d: &DocHead,
    scope: Scope,
    drop_stop_words: bool,
) -> HashMap<String, usize> {
    let stop = stop_words(&d.language);
    let mut out: HashMap<String, usize> = HashMap::default();
    for (p, part) in tally.parts.iter().enumerate() {
        if !scope.counts_part(p) {
            continue;
        }
        let mut add = |list: &[(String, u32)], droppable: bool| {
            for (w, c) in list {
                if !(droppable && drop_stop_words && stop.contains(w.as_str())) {
                    match out.get_mut(w.as_str()) {
                        Some(n) => *n += *c as usize,
                        None => {
                            out.insert(w.clone(), *c as usize);
                        }
                    }
                }
            }
        };
        add(&part.words, true);
        add(&part.terms, false);
        if scope.names {
            add(&part.names, true);
        }
    }
    out
}

/// The units of a document the scope counts, with the matcher of its language.
fn counted_units(store: &Store, doc: &DocHead, scope: Scope) -> Result<Vec<Unit>> {
    Ok(store
        .units_text(&doc.id)?
        .into_iter()
        .filter(|u| scope.counts(u))
        .collect())
}

/// Options of a frequency list.
#[derive(Debug, Clone, Copy)]
pub struct FreqOptions {
    /// Which text.
    pub scope: Scope,
    /// Word sequences of this length (1 = words).
    pub ngram: usize,
    /// Leave stop words out (an n-gram that begins or ends with one).
    pub drop_stop_words: bool,
}

/// One row of a frequency list.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct FreqRow {
    /// The word (or n-gram, words joined by a space; a lexicon term as the lexicon writes it).
    pub word: String,
    /// Occurrences in the selection.
    pub frequency: usize,
    /// Per 10,000 words of the selection (its words as `count` counts them).
    pub per_10k: f64,
    /// Documents containing it.
    pub range: usize,
    /// Gries's DP over the selection's documents (0 even, near 1 concentrated).
    pub dp: Option<f64>,
    /// Rank by frequency, ties "min" (1, 2, 2, 4).
    pub rank: usize,
}

/// A frequency list of the selection, with the selection's words.
pub fn freq(
    store: &Store,
    lexicon: &Lexicon,
    docs: &[DocHead],
    opts: FreqOptions,
) -> Result<(Vec<FreqRow>, usize)> {
    let words: usize = docs.iter().map(|d| opts.scope.words(d)).sum();
    let mut rows = if opts.ngram <= 1 {
        let source = DocWords::new(store, lexicon, None);
        freq_rows(docs, opts.scope, words, |f| {
            source.each(docs, opts.scope, opts.drop_stop_words, f)
        })?
    } else {
        let maps = ngrams(store, lexicon, docs, opts)?;
        freq_rows(docs, opts.scope, words, |f| {
            for (k, m) in maps.iter().enumerate() {
                f(k, m);
            }
            Ok(())
        })?
    };
    rank(&mut rows);
    Ok((rows, words))
}

/// The rows of a frequency list from each document's words (`each` hands them over, and is
/// called twice): each word's frequency and range first, then its DP, which needs the
/// frequency. Memory holds the vocabulary, never every document's words at once.
fn freq_rows(
    docs: &[DocHead],
    scope: Scope,
    words: usize,
    each: impl Fn(&mut EachDoc) -> Result<()>,
) -> Result<Vec<FreqRow>> {
    let mut seen: HashMap<String, (usize, usize, stats::DpSum)> = HashMap::default();
    each(&mut |_, m| {
        for (w, c) in m {
            match seen.get_mut(w.as_str()) {
                Some(e) => {
                    e.0 += c;
                    e.1 += 1;
                }
                None => {
                    seen.insert(w.clone(), (*c, 1, stats::DpSum::default()));
                }
            }
        }
    })?;
    let total = words as f64;
    each(&mut |k, m| {
        let s = scope.words(&docs[k]) as f64 / total;
        for (w, c) in m {
            if let Some(e) = seen.get_mut(w.as_str()) {
                e.2.add(*c as f64 / e.0 as f64, s);
            }
        }
    })?;
    Ok(seen
        .into_iter()
        .map(|(word, (frequency, range, dp))| FreqRow {
            word,
            frequency,
            per_10k: stats::round(crate::analysis::count::per_10k(frequency, words), 2),
            range,
            dp: (words > 0).then(|| stats::round(dp.dp(), 3)),
            rank: 0,
        })
        .collect())
}

/// Each document's n-grams (n ≥ 2) from its text: none crosses a name kept apart, and one
/// that begins or ends with a stop word is left out when asked.
fn ngrams(
    store: &Store,
    lexicon: &Lexicon,
    docs: &[DocHead],
    opts: FreqOptions,
) -> Result<Vec<HashMap<String, usize>>> {
    let n = opts.ngram;
    let matchers = Matchers::new(lexicon);
    docs.par_iter()
        .map(|d| -> Result<HashMap<String, usize>> {
            let matcher = matchers.of(&d.language);
            let stop = stop_words(&d.language);
            let mut here: HashMap<String, usize> = HashMap::default();
            for u in counted_units(store, d, opts.scope)? {
                let ut = unit_tokens(&u.text, matcher, opts.scope.names);
                for i in 0..ut.toks.len() {
                    if i + n > ut.toks.len() || ut.gap_before[i + 1..i + n].iter().any(|g| *g) {
                        continue;
                    }
                    let seq = &ut.toks[i..i + n];
                    let is_stop = |t: &Tok| t.concept.is_none() && stop.contains(t.word.as_str());
                    if opts.drop_stop_words && (is_stop(&seq[0]) || is_stop(&seq[n - 1])) {
                        continue;
                    }
                    let key = seq
                        .iter()
                        .map(|t| t.word.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    *here.entry(key).or_default() += 1;
                }
            }
            Ok(here)
        })
        .collect()
}

/// Sorts by frequency (then word) and ranks with ties "min".
fn rank(rows: &mut [FreqRow]) {
    rows.sort_by(|a, b| b.frequency.cmp(&a.frequency).then(a.word.cmp(&b.word)));
    let mut last = (usize::MAX, 0);
    for (i, r) in rows.iter_mut().enumerate() {
        if r.frequency != last.0 {
            last = (r.frequency, i + 1);
        }
        r.rank = last.1;
    }
}

/// What a collocation search looks for: a concept or one word or term (case folded).
#[derive(Debug, Clone)]
pub enum Node {
    /// Every term of a concept.
    Concept(String),
    /// One token: a word, a lexicon term, or an ad hoc phrase added to the lexicon.
    Word(String),
}

impl Node {
    fn is(&self, t: &Tok) -> bool {
        match self {
            Node::Concept(c) => t.concept.as_deref() == Some(c),
            Node::Word(w) => t.word == *w,
        }
    }
}

/// Options of a collocation search.
#[derive(Debug, Clone)]
pub struct CollocateOptions {
    /// The node.
    pub node: Node,
    /// Positions looked at on each side (never across a unit).
    pub span: usize,
    /// Which text.
    pub scope: Scope,
    /// Only node mentions with this role.
    pub role: Option<Role>,
    /// Least observed frequency in the span.
    pub min_freq: usize,
    /// Hide stop words from the list (they still count as positions).
    pub drop_stop_words: bool,
    /// Another lexicon fingerprint whose word tallies hold the same words (see
    /// [`DocWords::new`]).
    pub alike: Option<String>,
}

/// One collocate with its raw frequencies and statistics.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CollocateRow {
    /// The collocate.
    pub collocate: String,
    /// O: occurrences in the node's spans.
    pub observed: usize,
    /// Of those, left of the node.
    pub left: usize,
    /// Right of the node.
    pub right: usize,
    /// Its frequency in the selection.
    pub frequency: usize,
    /// E = frequency · W / N.
    pub expected: f64,
    /// log2(O / E).
    pub mi: Option<f64>,
    /// (O − E) / √O.
    pub t_score: Option<f64>,
    /// 14 + log2(2·O / (f_node + frequency)).
    pub log_dice: Option<f64>,
    /// Log-likelihood of in-span against outside (four cells), signed.
    pub g2: f64,
}

/// The figures every collocate's statistics share.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CollocateTotals {
    /// f_node: occurrences of the node (with the role asked for).
    pub node_frequency: usize,
    /// N: tokens in the selection.
    pub tokens: usize,
    /// W: positions in all the node's spans.
    pub span_positions: usize,
}

/// The collocates of a node over the selection.
///
/// N and each collocate's frequency are the selection's word frequencies ([`DocWords`]: the
/// index-time tallies); only the units that hold the node (found by tantivy, as `count`
/// finds its candidates) are tokenised with positions for the spans.
pub fn collocates(
    store: &Store,
    lexicon: &Lexicon,
    docs: &[DocHead],
    opts: &CollocateOptions,
) -> Result<(Vec<CollocateRow>, CollocateTotals)> {
    let words = DocWords::new(store, lexicon, opts.alike.as_deref());
    let (freq, _) = word_counts(&words, docs, opts.scope, false)?;
    collocates_with(store, &words, &freq, docs, opts)
}

/// [`collocates`] with the selection's word frequencies already added up (`freq`: the
/// [`word_counts`] of `docs` in `opts.scope`, stop words kept), so that several nodes over one
/// selection (the report's) read the tallies once.
pub fn collocates_with(
    store: &Store,
    words: &DocWords,
    freq: &HashMap<String, usize>,
    docs: &[DocHead],
    opts: &CollocateOptions,
) -> Result<(Vec<CollocateRow>, CollocateTotals)> {
    let mut out = collocates_by_role(store, words, freq, docs, opts, &[opts.role])?;
    Ok(out.pop().unwrap_or_default())
}

/// [`collocates_with`] for each of `roles` in turn (`opts.role` is not read): the node's units
/// are read, tokenised and its mentions classified once for all of them.
pub fn collocates_by_role(
    store: &Store,
    words: &DocWords,
    freq: &HashMap<String, usize>,
    docs: &[DocHead],
    opts: &CollocateOptions,
    roles: &[Option<crate::analysis::roles::Role>],
) -> Result<Vec<(Vec<CollocateRow>, CollocateTotals)>> {
    let matchers = &words.matchers;
    // The units that may hold the node, by document (one search, as kwic finds its units);
    // each selected document's are read and tokenised on the rayon pool.
    let searcher = store.searcher();
    let mut addrs = store.unit_addresses(&searcher, node_query(store, matchers, &opts.node))?;
    let found: Vec<(&DocHead, Vec<tantivy::DocAddress>)> = docs
        .iter()
        .filter_map(|d| Some((d, addrs.remove(&d.id)?)))
        .collect();
    let mut stop_all = rustc_hash::FxHashSet::default();
    for d in docs {
        stop_all.extend(stop_words(&d.language));
    }
    // Documents a few dozen at a time, merged as they come: memory holds the collocates seen,
    // not every document's.
    let mut merged: Vec<Spans> = vec![Spans::default(); roles.len()];
    for chunk in found.chunks(64) {
        let parts: Vec<Vec<Spans>> = chunk
            .par_iter()
            .map(|(d, at)| -> Result<Vec<Spans>> {
                let units = at
                    .iter()
                    .map(|a| store.unit_text_at(&searcher, *a))
                    .filter(|u| u.as_ref().map_or(true, |u| opts.scope.counts(u)))
                    .collect::<Result<Vec<Unit>>>()?;
                Ok(spans(d, &units, matchers, opts, roles))
            })
            .collect::<Result<_>>()?;
        for doc in parts {
            for (into, (s, t)) in merged.iter_mut().zip(doc) {
                for (k, (l, r)) in s {
                    let e = into.0.entry(k).or_default();
                    e.0 += l;
                    e.1 += r;
                }
                into.1.node_frequency += t.node_frequency;
                into.1.span_positions += t.span_positions;
            }
        }
    }
    Ok(merged
        .into_iter()
        .map(|(seen, mut totals)| {
            totals.tokens = freq.values().sum();
            (rows_of(seen, &totals, freq, opts, &stop_all), totals)
        })
        .collect())
}

/// Each collocate's (left, right) times in the node's spans, and the totals.
type Spans = (HashMap<String, (usize, usize)>, CollocateTotals);

/// The rows of the collocates seen in the spans, with their statistics, most observed first.
fn rows_of(
    seen: HashMap<String, (usize, usize)>,
    totals: &CollocateTotals,
    freq: &HashMap<String, usize>,
    opts: &CollocateOptions,
    stop_all: &rustc_hash::FxHashSet<&str>,
) -> Vec<CollocateRow> {
    let (n, w, f_node) = (
        totals.tokens as f64,
        totals.span_positions as f64,
        totals.node_frequency as f64,
    );
    let mut rows: Vec<CollocateRow> = seen
        .into_iter()
        .filter(|(word, (l, r))| {
            l + r >= opts.min_freq && !(opts.drop_stop_words && stop_all.contains(word.as_str()))
        })
        .map(|(collocate, (left, right))| {
            let o = (left + right) as f64;
            let f = freq.get(&collocate).copied().unwrap_or(0);
            let e = if n > 0.0 { f as f64 * w / n } else { 0.0 };
            let g = stats::g2(o, f as f64 - o, w, n - w);
            CollocateRow {
                collocate,
                observed: left + right,
                left,
                right,
                frequency: f,
                expected: stats::round(e, 4),
                mi: stats::mi(o, e).map(|x| stats::round(x, 3)),
                t_score: stats::t_score(o, e).map(|x| stats::round(x, 3)),
                log_dice: stats::log_dice(o, f_node, f as f64).map(|x| stats::round(x, 3)),
                g2: stats::round(stats::signed(g, o, f as f64 - o, w, n - w), 3),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.observed
            .cmp(&a.observed)
            .then(a.collocate.cmp(&b.collocate))
    });
    rows
}

/// A query for the units that may hold the node: any of its terms in any language, as
/// `count` finds candidates (a superset: the node is then found by the document's matcher).
fn node_query(store: &Store, matchers: &Matchers, node: &Node) -> Box<dyn tantivy::query::Query> {
    let mut terms: Vec<crate::analysis::lexicon::Term> = matchers
        .0
        .iter()
        .flat_map(|(m, _)| m.terms())
        .filter(|t| match node {
            Node::Concept(c) => !t.name && t.concept == *c,
            Node::Word(w) => t.text.to_lowercase() == *w,
        })
        .cloned()
        .collect();
    if let (true, Node::Word(w)) = (terms.is_empty(), node) {
        terms.push(crate::analysis::lexicon::Term {
            text: w.clone(),
            concept: String::new(),
            exact: false,
            name: false,
        });
    }
    crate::analysis::count::terms_query(store, &terms)
}

/// The spans of the node in one document's units: each word's occurrences left and right of
/// a node, the node's occurrences and the positions looked at.
fn spans(
    d: &DocHead,
    units: &[Unit],
    matchers: &Matchers,
    opts: &CollocateOptions,
    roles: &[Option<crate::analysis::roles::Role>],
) -> Vec<Spans> {
    let matcher = matchers.of(&d.language);
    let mut out: Vec<Spans> = vec![Spans::default(); roles.len()];
    for u in units {
        let ut = unit_tokens(&u.text, matcher, opts.scope.names);
        let nodes: Vec<usize> = (0..ut.toks.len())
            .filter(|&i| opts.node.is(&ut.toks[i]))
            .collect();
        if nodes.is_empty() {
            continue;
        }
        let by_role = roles.iter().any(Option::is_some);
        let mentions = matcher.find(&u.text);
        let sentences = if by_role {
            crate::analysis::roles::sentence_starts(&u.text)
        } else {
            Vec::new()
        };
        for i in nodes {
            // The node's role, classified once (None: not a lexicon mention).
            let role = by_role.then(|| {
                ut.toks[i].mention.map(|k| {
                    let m = mentions[k];
                    crate::analysis::roles::classify_in(
                        &u.text,
                        &sentences,
                        m.start,
                        m.end,
                        &matcher.terms()[m.term],
                        &d.language,
                        u.is_toc(),
                    )
                    .role
                })
            });
            for (want, (seen, totals)) in roles.iter().zip(out.iter_mut()) {
                if want.is_some() && role.flatten() != *want {
                    continue;
                }
                totals.node_frequency += 1;
                let lo = i.saturating_sub(opts.span);
                let hi = (i + opts.span).min(ut.toks.len() - 1);
                for j in lo..=hi {
                    if j == i {
                        continue;
                    }
                    totals.span_positions += 1;
                    let e = seen.entry(ut.toks[j].word.clone()).or_default();
                    if j < i {
                        e.0 += 1;
                    } else {
                        e.1 += 1;
                    }
                }
            }
        }
    }
    out
}

/// One row of a keyness table.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct KeyRow {
    /// The word (or concept).
    pub word: String,
    /// a: its frequency in the target.
    pub freq_target: usize,
    /// b: in the reference.
    pub freq_reference: usize,
    /// Per 10,000 words of the target.
    pub per_10k_target: f64,
    /// Per 10,000 words of the reference.
    pub per_10k_reference: f64,
    /// Four-cell log-likelihood, signed (+ more frequent in the target).
    pub g2: f64,
    /// P(χ²₁ ≥ |G2|).
    pub p: f64,
    /// log2((a/c)/(b/d)), a zero frequency counted as 0.5.
    pub log_ratio: Option<f64>,
}

/// The keyness of every word with `a + b >= min_freq`, from the two sides' frequencies and
/// sizes (c, d).
pub fn keyness_rows(
    target: &HashMap<String, usize>,
    reference: &HashMap<String, usize>,
    (c, d): (usize, usize),
    min_freq: usize,
) -> Vec<KeyRow> {
    let mut words: Vec<&String> = target.keys().chain(reference.keys()).collect();
    words.sort();
    words.dedup();
    let (cf, df) = (c as f64, d as f64);
    let mut rows: Vec<KeyRow> = words
        .into_iter()
        .filter_map(|w| {
            let a = target.get(w).copied().unwrap_or(0);
            let b = reference.get(w).copied().unwrap_or(0);
            if a + b < min_freq {
                return None;
            }
            let g = stats::g2(a as f64, b as f64, cf, df);
            let g = stats::signed(g, a as f64, b as f64, cf, df);
            Some(KeyRow {
                word: w.clone(),
                freq_target: a,
                freq_reference: b,
                per_10k_target: stats::round(crate::analysis::count::per_10k(a, c), 2),
                per_10k_reference: stats::round(crate::analysis::count::per_10k(b, d), 2),
                g2: stats::round(g, 3),
                p: stats::p_value(g),
                log_ratio: stats::log_ratio(a as f64, b as f64, cf, df).map(|x| stats::round(x, 3)),
            })
        })
        .collect();
    rows.sort_by(|x, y| {
        y.g2.partial_cmp(&x.g2)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.word.cmp(&y.word))
    });
    rows
}

/// One document's word frequencies (the words of [`for_each_word`]; stop words left out when
/// asked): what `freq` and `keyness` add up.
fn doc_words(
    store: &Store,
    d: &DocHead,
    matchers: &Matchers,
    scope: Scope,
    drop_stop_words: bool,
) -> Result<HashMap<String, usize>> {
    let (matcher, lowered) = (matchers.of(&d.language), matchers.lowered(&d.language));
    let stop = stop_words(&d.language);
    let mut out: HashMap<String, usize> = HashMap::default();
    for u in counted_units(store, d, scope)? {
        let mentions = matcher.find(&u.text);
        for_each_word(
            &u.text,
            &mentions,
            matcher,
            lowered,
            scope.names,
            |w, concept, _| {
                if !(drop_stop_words && concept.is_none() && stop.contains(w)) {
                    bump(&mut out, w);
                }
            },
        );
    }
    Ok(out)
}

/// Word frequencies (stop words left out when asked) and the words of documents as `count`
/// counts them (so a rate per 10,000 words here is `count`'s), for keyness.
pub fn word_counts(
    words: &DocWords,
    docs: &[DocHead],
    scope: Scope,
    drop_stop_words: bool,
) -> Result<(HashMap<String, usize>, usize)> {
    let total = docs.iter().map(|d| scope.words(d)).sum();
    let mut out: HashMap<String, usize> = HashMap::default();
    words.each(docs, scope, drop_stop_words, &mut |_, m| {
        for (w, c) in m {
            match out.get_mut(w.as_str()) {
                Some(n) => *n += c,
                None => {
                    out.insert(w.clone(), *c);
                }
            }
        }
    })?;
    Ok((out, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_tie_at_the_minimum() {
        let mut rows: Vec<FreqRow> = [("a", 3), ("b", 2), ("c", 2), ("d", 1)]
            .iter()
            .map(|(w, f)| FreqRow {
                word: w.to_string(),
                frequency: *f,
                per_10k: 0.0,
                range: 1,
                dp: None,
                rank: 0,
            })
            .collect();
        rank(&mut rows);
        let ranks: Vec<usize> = rows.iter().map(|r| r.rank).collect();
        assert_eq!(ranks, [1, 2, 2, 4]);
    }
}
