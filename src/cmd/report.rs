//! `menutable report`: the self-contained HTML report.

use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome, select_records};
use rayon::prelude::*;

use crate::analysis::count::{DocCount, Source, count_doc};
use crate::analysis::kwic::{KwicLine, KwicOptions, kwic_doc};
use crate::analysis::role_counts::{RoleCounts, role_counts};
use crate::cli::ReportArgs;
use crate::render::output::Format;
use crate::render::report::{Extras, Missing, ReportDoc, render, shows_lines, urban_named};

/// Runs the command.
pub fn run(env: &Env, args: &ReportArgs, _format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let mut timing = super::Timing::start();
    let store = env.store()?;
    let g = gather(
        env,
        &store,
        &args.select,
        args.scope,
        Depth::Whole,
        &mut timing,
    )?;
    let html = render(
        &g.report_docs(),
        &g.extras,
        &env.lexicon,
        &super::fetch::now_utc(),
    );
    timing.phase("render");
    crate::render::atomic::write(&args.out, html.as_bytes())?;
    timing.phase("write");
    let files: std::collections::BTreeSet<&str> = g.docs.iter().map(|d| d.file.as_str()).collect();
    writeln!(
        out,
        "report of {} document{}{} written to {}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        if files.len() == g.docs.len() {
            String::new()
        } else {
            format!(
                " ({} texts: a document with several instruments is each of them)",
                g.docs.len()
            )
        },
        args.out.display()
    )?;
    Ok(Outcome::Found)
}

/// How much of the report to gather: all of it, or what its answer needs (the figures, the
/// mentions it names and the missing documents: `serve`'s overview).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Every section.
    Whole,
    /// The answer and the table of instruments.
    Answer,
}

/// What the report is made of, one struct per document and the sections beside them.
pub struct Gathered {
    /// The texts, in the report's order (a document with parts as its parts).
    pub docs: Vec<crate::index::DocRecord>,
    /// Each text's counts and roles.
    figures: Vec<(DocCount, RoleCounts)>,
    /// Each text's mentions in context and characters, where the report shows them.
    lines: Vec<(Vec<KwicLine>, usize)>,
    /// The sections beside the documents.
    pub extras: Extras,
    /// What the index holds (every indexed id, the documents that failed and why).
    pub indexed: super::Indexed,
}

impl Gathered {
    /// The documents as the renderer takes them.
    pub fn report_docs(&self) -> Vec<ReportDoc<'_>> {
        self.docs
            .iter()
            .zip(&self.figures)
            .zip(&self.lines)
            .map(|((record, (counts, roles)), (mentions, chars))| ReportDoc {
                record,
                counts,
                roles,
                mentions,
                chars: *chars,
            })
            .collect()
    }
}

/// Reads what the report (or, at [`Depth::Answer`], its answer) shows, for a selection and
/// scope, from `store`: every figure by the commands' own functions.
pub fn gather(
    env: &Env,
    store: &crate::index::Store,
    select: &crate::analysis::scope::Selection,
    scope: crate::analysis::scope::Scope,
    depth: Depth,
    timing: &mut super::Timing,
) -> Result<Gathered> {
    let all = store.docs()?;
    timing.phase("records");
    let super::Selected { mut docs, indexed } = select_records(env, all.clone(), select)?;
    // The rows are instruments: a document with parts is shown as its parts (which cover it
    // once), so decision 1/CP.21 and the Paris Agreement each have their row and binding flag.
    if select.docs.is_empty() {
        let mut parts_of: std::collections::HashMap<&str, Vec<&crate::index::DocRecord>> =
            Default::default();
        for p in all.iter() {
            if let Some(whole) = p.meta.part_of.as_deref() {
                parts_of.entry(whole).or_default().push(p);
            }
        }
        docs = docs
            .into_iter()
            .flat_map(|d| match parts_of.get(d.meta.id.as_str()) {
                Some(parts) => parts.iter().map(|p| (*p).clone()).collect(),
                None => vec![d],
            })
            .collect();
    }
    // Oldest first by default (`--sort`): the report reads as a history.
    select.order(&mut docs);

    // The mentions of the same scope as the counts (names of instruments are counted in
    // their own column): every figure from the role tallies made at index time; the lines
    // (context, citation) only of the documents whose mentions the report shows.
    let opts = KwicOptions::every_mention(60, scope);
    let ids = docs.iter().map(|d| d.meta.id.as_str()).collect();
    let tallies = store.role_tallies_of(&ids)?;
    let progress = env.progress && depth == Depth::Whole;
    let bar = super::progress::Progress::new(docs.len() as u64, "documents", progress);
    let figures: Vec<(DocCount, RoleCounts, Option<Vec<KwicLine>>)> = docs
        .par_iter()
        .map(|d| {
            bar.inc(1);
            let counts = count_doc(store, &env.lexicon, &d.head(), scope, false, Source::Auto)?;
            let (roles, lines) =
                role_counts(store, &env.lexicon, d, &opts, tallies.get(&d.meta.id))?;
            Ok((counts, roles, lines))
        })
        .collect::<Result<_>>()?;
    bar.finish();
    timing.phase("figures");
    let no_lines = Vec::new();
    let pick = match depth {
        Depth::Whole => shows_lines,
        Depth::Answer => urban_named,
    };
    let shows = pick(
        &docs
            .iter()
            .zip(&figures)
            .map(|(record, (counts, roles, _))| ReportDoc {
                record,
                counts,
                roles,
                mentions: &no_lines,
                chars: 0,
            })
            .collect::<Vec<_>>(),
    );
    // Characters place a mention in its report (the dispersion plot of the UNFCCC series):
    // read for the documents drawn only. The answer needs the lines of a rare "urban" only.
    let lines: Vec<(Vec<KwicLine>, usize)> = docs
        .par_iter()
        .zip(&figures)
        .zip(&shows)
        .map(|((d, (_, _, lines)), shows)| {
            if !shows {
                return Ok((Vec::new(), 0));
            }
            let lines = match lines {
                Some(l) => l.clone(),
                None => kwic_doc(store, &env.lexicon, d, &opts)?,
            };
            let series = d.meta.kind == "decision" && d.meta.year.is_some();
            let chars = if series && !lines.is_empty() && depth == Depth::Whole {
                store.doc_text(&d.meta.id)?.chars().count()
            } else {
                0
            };
            Ok((lines, chars))
        })
        .collect::<Result<_>>()?;
    timing.phase("lines");
    let missing = super::missing_entries(env, select, &indexed)
        .into_iter()
        .map(|e| Missing {
            id: e.id.clone(),
            title: e.title.clone(),
            short: e.short.clone(),
            symbol: e.symbol.clone(),
            binding: e.binding,
            how: super::not_indexed(env, &e.id, &indexed),
        })
        .collect();
    let mut extras = Extras {
        missing,
        scope: crate::analysis::scope::sentence(select, &scope),
        ..Extras::default()
    };
    if depth == Depth::Whole {
        whole_extras(
            env,
            store,
            &all,
            &docs,
            (select, scope),
            &mut extras,
            timing,
        )?;
    }
    Ok(Gathered {
        figures: figures.into_iter().map(|(c, r, _)| (c, r)).collect(),
        docs,
        lines,
        extras,
        indexed,
    })
}

/// The sections only the whole report has: texts left out, the claims, and exploring.
fn whole_extras(
    env: &Env,
    store: &crate::index::Store,
    all: &[crate::index::DocRecord],
    docs: &[crate::index::DocRecord],
    (select, scope): (
        &crate::analysis::scope::Selection,
        crate::analysis::scope::Scope,
    ),
    extras: &mut Extras,
    timing: &mut super::Timing,
) -> Result<()> {
    // Texts that would count twice (a translation, an extract of a report that is there
    // whole): named in the report, since a reader may look for them.
    if !select.narrowed() {
        extras.left_out = all
            .iter()
            .filter(|d| d.units > 0 && d.meta.part_of.is_none() && !d.meta.in_totals())
            .map(|d| {
                let why = match (&d.meta.translation_of, &d.meta.superseded_by) {
                    (Some(of), _) => format!("a translation of {of}"),
                    (None, Some(by)) => format!("an extract of {by}, which is counted whole"),
                    (None, None) => String::new(),
                };
                (d.meta.short.clone(), why, d.meta.kind.clone())
            })
            .collect();
    }
    // A claims file that cannot be read is said in the report, never a section that silently
    // is not there; no file at all is no section.
    let path = crate::analysis::claims::default_path();
    if !select.narrowed() && path.exists() {
        match crate::analysis::claims::load(&path) {
            Ok(list) => {
                extras.claims = list
                    .iter()
                    .map(|c| super::claims::check(env, store, all, c))
                    .collect::<Result<Vec<_>>>()?;
            }
            Err(e) => {
                eprintln!("menutable: the claims were not checked: {e}");
                extras.claims_note = Some(format!("The claims were not checked: {e}"));
            }
        }
    }
    timing.phase("claims");
    let (surrounds, marks) = explore(env, store, docs, scope)?;
    extras.surrounds = surrounds;
    extras.marks = marks;
    timing.phase("explore");
    Ok(())
}

/// The report's exploring sections: what surrounds cities by role (`collocates`), and what
/// marks each instrument against the rest of the report's texts (`keyness`), both computed by
/// the commands' own functions.
fn explore(
    env: &Env,
    store: &crate::index::Store,
    docs: &[crate::index::DocRecord],
    scope: crate::analysis::scope::Scope,
) -> Result<(
    Vec<crate::render::report::Surround>,
    Vec<crate::render::report::Marks>,
)> {
    use crate::analysis::explore::{
        CollocateOptions, DocWords, Node, collocates_by_role, keyness_rows,
    };
    use crate::analysis::roles::Role;
    let heads: Vec<crate::index::DocHead> = docs.iter().map(|d| d.head()).collect();
    let mut surrounds = Vec::new();
    // One pass over the word tallies: every word's frequency (what each collocate is divided
    // by, in the six tables), and, stop words left out, the keyness counts: the whole's and
    // each instrument's. A stop word is dropped as `keyness` drops it (a plain word of the
    // document's language's list; a lexicon term never: no single-word term is a stop word, so
    // a word and a term never share a key).
    let instrument = |d: &crate::index::DocRecord| {
        let session = d.meta.kind == "decision" && d.meta.part_of.is_none();
        !session && d.meta.in_manifest
    };
    let words = DocWords::new(store, &env.lexicon, None);
    let mut freq: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut counts: Vec<(rustc_hash::FxHashMap<String, usize>, usize)> = heads
        .iter()
        .map(|h| (Default::default(), scope.words(h)))
        .collect();
    let mut all: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut stops: std::collections::HashMap<String, rustc_hash::FxHashSet<&str>> =
        Default::default();
    let terms: std::collections::HashSet<String> = crate::corpus::LANGUAGES
        .iter()
        .flat_map(|l| env.lexicon.terms_of(l))
        .filter(|t| !t.name)
        .map(|t| t.text.to_lowercase())
        .collect();
    words.each(&heads, scope, false, &mut |k, m| {
        let stop = stops
            .entry(heads[k].language.clone())
            .or_insert_with_key(|l| crate::analysis::words::stop_words(l));
        let mine = instrument(&docs[k]);
        for (w, v) in m {
            match freq.get_mut(w.as_str()) {
                Some(n) => *n += v,
                None => {
                    freq.insert(w.clone(), *v);
                }
            }
            if stop.contains(w.as_str()) && !terms.contains(w) {
                continue;
            }
            match all.get_mut(w.as_str()) {
                Some(n) => *n += v,
                None => {
                    all.insert(w.clone(), *v);
                }
            }
            if mine {
                counts[k].0.insert(w.clone(), *v);
            }
        }
    })?;
    for concept in ["city", "local_government"] {
        if !env.lexicon.concept_ids().contains(&concept) {
            continue;
        }
        let roles = [Role::Actor, Role::Target, Role::Ceremonial];
        let opts = CollocateOptions {
            node: Node::Concept(concept.into()),
            span: 5,
            scope,
            role: None,
            min_freq: 3,
            drop_stop_words: true,
            alike: None,
        };
        let wanted: Vec<Option<Role>> = roles.iter().copied().map(Some).collect();
        let tables = collocates_by_role(store, &words, &freq, &heads, &opts, &wanted)?;
        for (role, (mut rows, totals)) in roles.into_iter().zip(tables) {
            if totals.node_frequency == 0 {
                continue;
            }
            rows.sort_by(|a, b| {
                b.log_dice
                    .partial_cmp(&a.log_dice)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.observed.cmp(&a.observed))
                    .then(a.collocate.cmp(&b.collocate))
            });
            rows.truncate(8);
            surrounds.push(crate::render::report::Surround {
                concept: concept.into(),
                role: role.as_str().into(),
                nodes: totals.node_frequency,
                rows,
                command: format!("menutable collocates {concept} --role {}", role.as_str()),
            });
        }
    }
    // Keywords: each instrument (not a UNFCCC session report) against every other text (the
    // rest: the whole less the instrument).
    let all_words: usize = counts.iter().map(|c| c.1).sum();
    let mut marks = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if !instrument(d) || heads.len() < 2 {
            continue;
        }
        let mut rest = all.clone();
        for (k, v) in &counts[i].0 {
            if let Some(n) = rest.get_mut(k) {
                *n -= v;
            }
        }
        rest.retain(|_, n| *n > 0);
        let rest_words = all_words - counts[i].1;
        let mut rows = keyness_rows(&counts[i].0, &rest, (counts[i].1, rest_words), 3);
        rows.retain(|r| r.g2 > 0.0);
        rows.truncate(6);
        marks.push(crate::render::report::Marks {
            id: d.meta.id.clone(),
            label: d.meta.short.clone(),
            rows,
            command: format!("menutable keyness --target {}", d.meta.id),
        });
    }
    Ok((surrounds, marks))
}
