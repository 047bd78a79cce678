//! Mentions counted when a document is indexed, so that `count` need not read its text: the
//! same matcher over the same units, stored in the document's head with the lexicon's
//! fingerprint (another lexicon counts from the stored text instead).

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

impl Tally {
    /// Counts the mentions in `units` with the matcher of `language`: the same matcher and the
    /// same per-unit rules as [`crate::analysis::count::count_doc`] applies to the stored text.
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
        Tally {
            lexicon: lexicon.fingerprint().to_string(),
            parts: std::array::from_fn(|p| TallyPart {
                terms: sparse(&terms, p),
                units: sparse(&units_of, p),
            }),
        }
    }
}
