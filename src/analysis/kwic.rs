//! Keyword in context: every mention with its citation and the text around it.

use serde::Serialize;

use crate::analysis::count::scan_doc;
use crate::analysis::lexicon::Lexicon;
use crate::analysis::scope::Scope;
use crate::error::Result;
use crate::index::{DocRecord, Store};

/// One mention in context.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct KwicLine {
    /// Document id.
    pub doc: String,
    /// Unit label.
    pub unit: String,
    /// Page of the mention itself (not only of its unit).
    pub page: Option<u32>,
    /// The lexicon term (or the name, for a name of an instrument or body).
    pub term: String,
    /// Whether the match is a name of an instrument, body or event, not a mention.
    pub name: bool,
    /// Its concept.
    pub concept: String,
    /// Text before, up to the width, on one line.
    pub left: String,
    /// The text matched, as written.
    #[serde(rename = "match")]
    pub matched: String,
    /// Text after.
    pub right: String,
    /// Character offset of the match in the document text (`menutable` normalised text).
    pub offset: usize,
    /// Whether the mention is in a table of contents (shown only with --include-toc).
    pub toc: bool,
    /// The mention's role (see roles.rs and ../shared/roles/GUIDELINES.md).
    pub role: crate::analysis::roles::Role,
    /// The rule that decided it.
    pub rule: &'static str,
    /// The cue words the rule used.
    pub cues: Vec<String>,
    /// The sentence makes the part conditional on the state.
    pub deferential: bool,
    /// How to cite it: "Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19".
    pub citation: String,
}

/// What to show.
pub struct KwicOptions<'a> {
    /// Only this concept.
    pub concept: Option<&'a str>,
    /// Only this term (case-insensitive).
    pub term: Option<&'a str>,
    /// Characters of context each side.
    pub width: usize,
    /// Which parts of the document, and whether names of instruments are listed too ("the
    /// New Urban Agenda", role `none`).
    pub scope: Scope,
    /// Only mentions with this role.
    pub role: Option<crate::analysis::roles::Role>,
    /// Only deferential mentions (the action subject to national law, policy or jurisdiction:
    /// "in accordance with national legislation"; see `roles`).
    pub deferential: bool,
    /// Context bounded by the mention's sentence (never beyond it).
    pub sentence: bool,
}

impl KwicOptions<'_> {
    /// Whether mentions of `t` are asked for (by concept and term; roles are judged later).
    pub fn wants(&self, t: &crate::analysis::lexicon::Term) -> bool {
        // The term asked for is resolved first (`Lexicon::resolve`: normalised, as the
        // lexicon writes it); case is never significant.
        let this_term = |x: &str| x == t.text || x.to_lowercase() == t.text.to_lowercase();
        // With --names, a name is shown for the term inside it ("urban" in "New Urban Agenda").
        let inside = |x: &str| {
            let x = x.to_lowercase();
            let name = t.text.to_lowercase();
            crate::extract::normalize::tokens(&name).any(|(a, b)| name[a..b] == x)
        };
        let named_term = self.term.is_some_and(this_term);
        (!t.name || self.scope.names || named_term)
            && self.concept.is_none_or(|c| c == t.concept)
            && self
                .term
                .is_none_or(|x| this_term(x) || (t.name && self.scope.names && inside(x)))
    }

    /// Every mention, of every concept and role, in `scope`, with `width` characters of
    /// context.
    pub fn every_mention(width: usize, scope: Scope) -> Self {
        KwicOptions {
            concept: None,
            term: None,
            width,
            scope,
            role: None,
            deferential: false,
            sentence: false,
        }
    }
}

/// The mentions of one document.
pub fn kwic_doc(
    store: &Store,
    lexicon: &Lexicon,
    doc: &DocRecord,
    opts: &KwicOptions,
) -> Result<Vec<KwicLine>> {
    let (matcher, found) = scan_doc(store, lexicon, &doc.meta.id, &doc.meta.language, opts.scope)?;
    kwic_found(&|| store.doc_text(&doc.meta.id), &matcher, doc, found, opts)
}

/// The mentions of one document in `units` (its units that may hold one, in document order,
/// as tantivy found them for the terms asked about), with `matcher`, its language's.
pub fn kwic_units(
    store: &Store,
    matcher: &crate::analysis::lexicon::Matcher,
    doc: &DocRecord,
    units: Vec<crate::extract::segment::Unit>,
    opts: &KwicOptions,
) -> Result<Vec<KwicLine>> {
    let found = mentioned_units(matcher, units, opts);
    kwic_found(&|| store.doc_text(&doc.meta.id), matcher, doc, found, opts)
}

/// The units the scope counts that hold a match, with their matches.
fn mentioned_units(
    matcher: &crate::analysis::lexicon::Matcher,
    units: impl IntoIterator<Item = crate::extract::segment::Unit>,
    opts: &KwicOptions,
) -> Vec<crate::analysis::count::UnitMentions> {
    units
        .into_iter()
        .filter(|u| opts.scope.counts(u))
        .filter_map(|unit| {
            let mentions = matcher.find(&unit.text);
            (!mentions.is_empty())
                .then_some(crate::analysis::count::UnitMentions { unit, mentions })
        })
        .collect()
}

/// The mentions of a document not in an index yet (`menutable worker`): its units and whole
/// text as extraction made them, matched and classified as [`kwic_units`] does.
pub fn kwic_extracted(
    matcher: &crate::analysis::lexicon::Matcher,
    doc: &DocRecord,
    units: &[crate::extract::segment::Unit],
    text: &str,
    opts: &KwicOptions,
) -> Result<Vec<KwicLine>> {
    let found = mentioned_units(matcher, units.iter().cloned(), opts);
    kwic_found(&|| Ok(text.to_string()), matcher, doc, found, opts)
}

fn kwic_found(
    whole_text: &dyn Fn() -> Result<String>,
    matcher: &crate::analysis::lexicon::Matcher,
    doc: &DocRecord,
    found: Vec<crate::analysis::count::UnitMentions>,
    opts: &KwicOptions,
) -> Result<Vec<KwicLine>> {
    // The whole text (for context across unit edges) only once a line is kept.
    let mut text: Option<String> = None;
    let mut out = Vec::new();
    // Characters before the last mention, counted on from there (mentions come in text order):
    // counting from the start for each one was quadratic in a long document.
    let mut chars = CharCursor::default();
    for um in found {
        let sentences = crate::analysis::roles::sentence_starts(&um.unit.text);
        for m in um.mentions {
            let t = &matcher.terms()[m.term];
            if !opts.wants(t) {
                continue;
            }
            let role = crate::analysis::roles::classify_in(
                &um.unit.text,
                &sentences,
                m.start,
                m.end,
                t,
                &doc.meta.language,
                um.unit.is_toc(),
            );
            if opts.role.is_some_and(|r| r != role.role) || (opts.deferential && !role.deferential)
            {
                continue;
            }
            let text = match &mut text {
                Some(t) => t,
                None => text.insert(whole_text()?),
            };
            let (a, b) = (um.unit.start + m.start, um.unit.start + m.end);
            // With --sentence the context stops at the mention's sentence (UAX #29).
            let (lo, hi) = if opts.sentence {
                let k = sentences
                    .partition_point(|&x| x <= m.start)
                    .saturating_sub(1);
                let s = sentences.get(k).copied().unwrap_or(0);
                let e = sentences.get(k + 1).copied().unwrap_or(um.unit.text.len());
                (um.unit.start + s, um.unit.start + e)
            } else {
                (0, text.len())
            };
            out.push(KwicLine {
                doc: doc.meta.id.clone(),
                unit: um.unit.label.clone(),
                page: um.unit.page_at(m.start),
                term: t.text.clone(),
                name: t.name,
                concept: t.concept.clone(),
                left: one_line(tail_chars(&text[lo..a], opts.width)),
                matched: text[a..b].to_string(),
                right: one_line(head_chars(&text[b..hi], opts.width))
                    .trim_end()
                    .to_string(),
                offset: chars.at(text, a),
                toc: um.unit.is_toc(),
                role: role.role,
                rule: role.rule,
                cues: role.cues,
                deferential: role.deferential,
                citation: crate::analysis::cite::citation(
                    &doc.meta,
                    &um.unit.label,
                    um.unit.page_at(m.start),
                ),
            });
        }
    }
    Ok(out)
}

/// Character offsets of byte offsets that mostly come in increasing order.
#[derive(Default)]
struct CharCursor {
    byte: usize,
    chars: usize,
}

impl CharCursor {
    /// The number of characters in `text[..byte]`.
    fn at(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            *self = CharCursor::default();
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

fn tail_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if n == 0 { "" } else { &s[start..] }
}

fn head_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn one_line(s: &str) -> String {
    s.replace('\n', " ").replace("  ", " ")
}

/// Sorts concordance lines as AntConc does: by the word at the key position (case-insensitive),
/// then by the next positions outwards (L1: L1, L2, L3; R1: R1, R2, R3; match: match, R1, R2;
/// L3: L3, L2, L1; ...), stably, so lines with equal keys keep their document order. A line
/// whose context has no word there sorts first.
pub fn sort_lines(lines: &mut [KwicLine], key: crate::analysis::scope::Sort) {
    use crate::analysis::scope::Sort;
    let words = |s: &str| -> Vec<String> {
        crate::extract::normalize::tokens(s)
            .map(|(a, b)| s[a..b].to_lowercase())
            .collect()
    };
    let left = |l: &KwicLine, k: usize| {
        words(&l.left)
            .iter()
            .rev()
            .nth(k - 1)
            .cloned()
            .unwrap_or_default()
    };
    let right = |l: &KwicLine, k: usize| words(&l.right).get(k - 1).cloned().unwrap_or_default();
    let keys = |l: &KwicLine| -> Vec<String> {
        match key {
            Sort::L1 => vec![left(l, 1), left(l, 2), left(l, 3)],
            Sort::L2 => vec![left(l, 2), left(l, 1), left(l, 3)],
            Sort::L3 => vec![left(l, 3), left(l, 2), left(l, 1)],
            Sort::R1 => vec![right(l, 1), right(l, 2), right(l, 3)],
            Sort::R2 => vec![right(l, 2), right(l, 3), right(l, 1)],
            Sort::R3 => vec![right(l, 3), right(l, 1), right(l, 2)],
            Sort::Match => vec![l.matched.to_lowercase(), right(l, 1), right(l, 2)],
            Sort::Year | Sort::Id => Vec::new(),
        }
    };
    let mut keyed: Vec<(Vec<String>, KwicLine)> =
        lines.iter().map(|l| (keys(l), l.clone())).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (slot, (_, l)) in lines.iter_mut().zip(keyed) {
        *slot = l;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_cut_by_characters_not_bytes() {
        assert_eq!(tail_chars("señor ciudad", 6), "ciudad");
        assert_eq!(head_chars("ñañaña", 2), "ña");
        assert_eq!(tail_chars("ab", 5), "ab");
    }
}
