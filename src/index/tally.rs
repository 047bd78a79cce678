//! Mentions counted when a document is indexed, so that `count` need not read its text: the
//! same matcher over the same units, stored in the document's head with the lexicon's
//! fingerprint (another lexicon counts from the stored text instead). [`WordTally`] does the
//! same for every word, for the exploring views (`freq`, `keyness`, `collocates`), and
//! [`RoleTally`] for the role of every mention (`roles`, the report).

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::analysis::lexicon::Lexicon;
use crate::extract::segment::{Unit, UnitKind};

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
    /// [`crate::analysis::roles::fingerprint`] of the [`RoleTally`] made with it: a document
    /// whose role tally was made by other rules is read again by the next `index`.
    #[serde(default)]
    pub roles: String,
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

/// The tally part of a unit of `kind`: 0 body, 1 table of contents, 2 footnotes.
pub fn part_of(kind: UnitKind) -> usize {
    match kind {
        UnitKind::Toc => 1,
        UnitKind::Footnote => 2,
        _ => 0,
    }
}

/// Every word of a document counted when it is indexed, so that `freq`, `keyness` and the
/// frequencies `collocates` divides by need not read and tokenise its text: the words of
/// [`crate::analysis::words::for_each_word`], in three parts like [`Tally`]'s so that every
/// [`crate::analysis::scope::Scope`] is a sum of parts. Stored in a column of its own
/// ([`crate::index::schema::WORDS`]), read only by those views: a document's words are tens of
/// times its head, and `count` must not pay for them. `lexicon` is the fingerprint the terms
/// were tokenised with; another lexicon tokenises the stored text instead.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Default)]
pub struct WordTally {
    /// The document's id.
    pub id: String,
    /// [`Lexicon::fingerprint`] of the lexicon the words were tokenised with.
    pub lexicon: String,
    /// Body, table of contents, footnotes.
    pub parts: [WordPart; 3],
}

/// The words of one part of a document, each with its occurrences, sorted.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Default)]
pub struct WordPart {
    /// Words that are no lexicon term, case folded.
    pub words: Vec<(String, u32)>,
    /// Lexicon terms (one token each, lowered), never left out as stop words.
    pub terms: Vec<(String, u32)>,
    /// Names of instruments (words only with `--names`).
    pub names: Vec<(String, u32)>,
}

/// The role of every mention of a document, classified when it is indexed, so that `roles`
/// and the report need not read its text: per part (like [`Tally`]'s), per lexicon term, the
/// mentions in each role and how many with a role defer to the state. Stored in a column of its
/// own ([`crate::index::schema::ROLES`]). `fingerprint` is
/// [`crate::analysis::roles::fingerprint`]: the lexicon's and the role rules' own; a tally made
/// with other rules or another lexicon is not used (the mentions are classified again).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Default)]
pub struct RoleTally {
    /// The document's id.
    pub id: String,
    /// [`crate::analysis::roles::fingerprint`] of the lexicon and rules it was made with.
    pub fingerprint: String,
    /// Body, table of contents, footnotes: (term index, mentions per role in
    /// [`crate::analysis::roles::Role::ALL`] order, mentions with a role that are deferential).
    pub parts: [Vec<(u32, [u32; 6], u32)>; 3],
}

/// What indexing counts of one document: mentions, words, roles.
pub struct Tallies {
    /// Mentions per term and units per concept (the head's).
    pub tally: Tally,
    /// Every word.
    pub words: WordTally,
    /// The role of every mention.
    pub roles: RoleTally,
}

impl Tally {
    /// Counts the mentions in `units` with the matcher of `language`: the same matcher and the
    /// same per-unit rules as [`crate::analysis::count::count_doc`] applies to the stored text.
    pub fn of(lexicon: &Lexicon, language: &str, units: &[Unit]) -> Tally {
        Tally::all(lexicon, language, units, "").tally
    }

    /// [`Tally::of`], the document's [`WordTally`] and its [`RoleTally`] (for document `id`),
    /// from one pass of the matcher over each unit; each mention is classified as
    /// [`crate::analysis::kwic`] classifies it (same unit text, sentences and rules).
    pub fn all(lexicon: &Lexicon, language: &str, units: &[Unit], id: &str) -> Tallies {
        let matcher = lexicon.matcher(language);
        let lowered: Vec<String> = matcher
            .terms()
            .iter()
            .map(|t| t.text.to_lowercase())
            .collect();
        let mut words: [[FxHashMap<String, u32>; 3]; 3] = Default::default();
        let concepts = lexicon.concept_ids();
        let concept_of: Vec<usize> = matcher
            .terms()
            .iter()
            .map(|t| concepts.iter().position(|c| *c == t.concept).unwrap_or(0))
            .collect();
        let mut terms = vec![[0u32; 3]; matcher.terms().len()];
        let mut units_of = vec![[0u32; 3]; concepts.len()];
        let mut seen = vec![false; concepts.len()];
        let mut roles = vec![[([0u32; 6], 0u32); 3]; matcher.terms().len()];
        for u in units {
            let mentions = matcher.find(&u.text);
            let p = part_of(u.kind);
            crate::analysis::words::for_each_word(
                &u.text,
                &mentions,
                &matcher,
                &lowered,
                true,
                |w, concept, name| {
                    let kind = if name {
                        2
                    } else {
                        usize::from(concept.is_some())
                    };
                    match words[p][kind].get_mut(w) {
                        Some(c) => *c += 1,
                        None => {
                            words[p][kind].insert(w.to_owned(), 1);
                        }
                    }
                },
            );
            if mentions.is_empty() {
                continue;
            }
            seen.fill(false);
            let sentences = crate::analysis::roles::sentence_starts(&u.text);
            for m in &mentions {
                let t = &matcher.terms()[m.term];
                let c = crate::analysis::roles::classify_in(
                    &u.text,
                    &sentences,
                    m.start,
                    m.end,
                    t,
                    language,
                    u.is_toc(),
                );
                let cell = &mut roles[m.term][p];
                cell.0[crate::analysis::roles::Role::ALL
                    .iter()
                    .position(|r| *r == c.role)
                    .unwrap_or(5)] += 1;
                cell.1 += u32::from(c.deferential && c.role != crate::analysis::roles::Role::None);
            }
            for m in mentions {
                terms[m.term][p] += 1;
                // A name is counted, but does not make its unit one with a mention.
                seen[concept_of[m.term]] |= !matcher.terms()[m.term].name;
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
        let tally = Tally {
            lexicon: lexicon.fingerprint().to_string(),
            roles: crate::analysis::roles::fingerprint(lexicon),
            parts: std::array::from_fn(|p| TallyPart {
                terms: sparse(&terms, p),
                units: sparse(&units_of, p),
            }),
        };
        let sorted = |m: &mut FxHashMap<String, u32>| -> Vec<(String, u32)> {
            let mut v: Vec<(String, u32)> = m.drain().collect();
            v.sort_unstable();
            v
        };
        let word_tally = WordTally {
            id: id.to_string(),
            lexicon: lexicon.fingerprint().to_string(),
            parts: std::array::from_fn(|p| {
                let [w, t, n] = &mut words[p];
                WordPart {
                    words: sorted(w),
                    terms: sorted(t),
                    names: sorted(n),
                }
            }),
        };
        let role_tally = RoleTally {
            id: id.to_string(),
            fingerprint: crate::analysis::roles::fingerprint(lexicon),
            parts: std::array::from_fn(|p| {
                roles
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r[p].0.iter().any(|n| *n > 0))
                    .map(|(t, r)| (t as u32, r[p].0, r[p].1))
                    .collect()
            }),
        };
        Tallies {
            tally,
            words: word_tally,
            roles: role_tally,
        }
    }
}
