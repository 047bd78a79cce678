//! A document's mentions per concept and role, what `roles` and the report add up: from the
//! role tally `index` made ([`RoleTally`]) when it was made with this lexicon and these rules,
//! else from kwic's lines, each mention classified again from the stored text. Both roads
//! classify the same unit text with the same rules, so they give the same figures; a test
//! compares them for every document of the real corpus and every scope.

use std::collections::BTreeMap;

use crate::analysis::kwic::{KwicLine, KwicOptions, kwic_doc};
use crate::analysis::lexicon::Lexicon;
use crate::analysis::roles::{Role, TableShare};
use crate::error::Result;
use crate::index::tally::RoleTally;
use crate::index::{DocRecord, Store};

/// Mentions per concept and role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleCounts {
    /// (concept, whether a name of an instrument) → mentions per role, in [`Role::ALL`] order.
    pub cells: BTreeMap<(String, bool), [usize; 6]>,
    /// Mentions with a role (not `none`) whose sentence defers to the state.
    pub deferential: usize,
}

/// The position of `role` in [`Role::ALL`].
pub fn slot(role: Role) -> usize {
    Role::ALL.iter().position(|r| *r == role).unwrap_or(5)
}

impl RoleCounts {
    /// The figures of kwic's lines.
    pub fn of_lines<'a>(lines: impl IntoIterator<Item = &'a KwicLine>) -> RoleCounts {
        let mut c = RoleCounts::default();
        for l in lines {
            c.cells.entry((l.concept.clone(), l.name)).or_default()[slot(l.role)] += 1;
            c.deferential += usize::from(l.deferential && l.role != Role::None);
        }
        c
    }

    /// The figures of a role tally, for the mentions `opts` asks for (its scope's parts, its
    /// concept and term; names only with `--names`), as [`kwic_doc`] would list them.
    pub fn of_tally(
        lexicon: &Lexicon,
        language: &str,
        tally: &RoleTally,
        opts: &KwicOptions,
    ) -> RoleCounts {
        let terms = lexicon.terms_of(language);
        let mut c = RoleCounts::default();
        for (p, part) in tally.parts.iter().enumerate() {
            if !opts.scope.counts_part(p) {
                continue;
            }
            for (t, roles, deferential) in part {
                let Some(term) = terms.get(*t as usize).filter(|t| opts.wants(t)) else {
                    continue;
                };
                let cell = c
                    .cells
                    .entry((term.concept.clone(), term.name))
                    .or_default();
                for (k, n) in roles.iter().enumerate() {
                    cell[k] += *n as usize;
                }
                c.deferential += *deferential as usize;
            }
        }
        c.cells.retain(|_, v| v.iter().any(|n| *n > 0));
        c
    }

    /// Adds another document's figures.
    pub fn add(&mut self, other: &RoleCounts) {
        for (k, v) in &other.cells {
            let cell = self.cells.entry(k.clone()).or_default();
            for (a, b) in cell.iter_mut().zip(v) {
                *a += b;
            }
        }
        self.deferential += other.deferential;
    }

    /// Mentions in each role, every concept, names included (their role is `none`).
    pub fn per_role(&self) -> [usize; 6] {
        let mut out = [0; 6];
        for v in self.cells.values() {
            for (a, b) in out.iter_mut().zip(v) {
                *a += b;
            }
        }
        out
    }

    /// Every mention listed (what kwic prints for the same options).
    pub fn lines(&self) -> usize {
        self.per_role().iter().sum()
    }

    /// Mentions with a role (all but `none`).
    pub fn counted(&self) -> usize {
        let r = self.per_role();
        r.iter().sum::<usize>() - r[slot(Role::None)]
    }

    /// Mentions of `concept` (not names) with `role`.
    pub fn of(&self, concept: &str, role: Role) -> usize {
        self.cells
            .get(&(concept.to_string(), false))
            .map_or(0, |v| v[slot(role)])
    }

    /// The at-the-table share of these mentions (its one definition, [`TableShare::add`]).
    pub fn table(&self, lexicon: &Lexicon) -> TableShare {
        let mut t = TableShare::default();
        for ((concept, _), v) in &self.cells {
            for (k, n) in v.iter().enumerate() {
                t.add_n(lexicon, concept, Role::ALL[k], *n);
            }
        }
        t
    }
}

/// Whether `tally` was made with `lexicon` and today's rules, so its figures stand for the text.
pub fn fits(lexicon: &Lexicon, tally: &RoleTally) -> bool {
    tally.fingerprint == crate::analysis::roles::fingerprint(lexicon)
}

/// A document's role figures for `opts`: from `tally` when it fits (and no role filter asks
/// for what a tally does not split: deferential mentions per role), else from its lines, which
/// are then handed back too.
pub fn role_counts(
    store: &Store,
    lexicon: &Lexicon,
    doc: &DocRecord,
    opts: &KwicOptions,
    tally: Option<&RoleTally>,
) -> Result<(RoleCounts, Option<Vec<KwicLine>>)> {
    if opts.role.is_none()
        && let Some(t) = tally.filter(|t| fits(lexicon, t))
    {
        return Ok((
            RoleCounts::of_tally(lexicon, &doc.meta.language, t, opts),
            None,
        ));
    }
    let lines = kwic_doc(store, lexicon, doc, opts)?;
    Ok((RoleCounts::of_lines(&lines), Some(lines)))
}
