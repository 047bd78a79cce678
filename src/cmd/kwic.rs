//! `menutable kwic`: every mention in context, with its citation.

use std::io::Write;

use anyhow::Result;

use rayon::prelude::*;

use super::{Env, Outcome, select_docs};
use crate::analysis::kwic::{KwicLine, KwicOptions, kwic_units};
use crate::cli::KwicArgs;
use crate::render::output::{Format, JsonRows, RowStream, Table};

/// Runs the command.
pub fn run(env: &Env, args: &KwicArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let asking = super::asking(env, args.concept.as_deref(), args.term.as_deref())?;
    let store = env.store()?;
    // A concordance key orders the lines, not the documents: they are read by year.
    let mut by_doc = args.select.clone();
    if by_doc.sort.is_concordance() {
        by_doc.sort = crate::analysis::scope::Sort::Year;
    }
    let mut docs = select_docs(env, &store, &by_doc)?.docs;
    let selected: Vec<crate::corpus::Meta> = docs.iter().map(|d| d.meta.clone()).collect();
    let opts = KwicOptions {
        concept: args.concept.as_deref(),
        term: asking.term_text(),
        width: args.width as usize,
        role: match &args.role {
            None => None,
            Some(r) => Some(crate::analysis::roles::Role::parse(r).ok_or_else(|| {
                crate::Error::Usage(format!(
                    "unknown role {r:?}: actor, target, level, setting, ceremonial or none"
                ))
            })?),
        },
        scope: args.scope,
        sentence: args.sentence,
        deferential: args.deferential,
    };
    // One search finds the units that may hold a mention of the terms asked about (a
    // mention's tokens are always in the index as a phrase); each document's are then read and
    // matched, a few documents at a time on the rayon pool, and written as they come.
    let wanted: Vec<crate::analysis::lexicon::Term> = crate::corpus::LANGUAGES
        .iter()
        .flat_map(|l| asking.lexicon.terms_of(l))
        .filter(|t| opts.wants(t))
        .cloned()
        .collect();
    let searcher = store.searcher();
    let mut addrs = store.unit_addresses(
        &searcher,
        crate::analysis::count::terms_query(&store, &wanted),
    )?;
    docs.retain(|d| addrs.contains_key(&d.meta.id));
    let matchers: std::collections::HashMap<&str, crate::analysis::lexicon::Matcher> =
        crate::corpus::LANGUAGES
            .iter()
            .map(|l| (*l, asking.lexicon.matcher(l)))
            .collect();
    let lines_of =
        |d: &crate::index::DocRecord, at: Vec<tantivy::DocAddress>| -> Result<Vec<KwicLine>> {
            let mut units = at
                .into_iter()
                .map(|a| store.unit_text_at(&searcher, a))
                .collect::<crate::Result<Vec<_>>>()?;
            units.sort_by_key(|u| u.ordinal);
            let matcher = matchers
                .get(d.meta.language.as_str())
                .unwrap_or(&matchers["en"]);
            Ok(kwic_units(&store, matcher, d, units, &opts)?)
        };
    let mut sink = Sink::new(format, args, out)?;
    if args.select.sort.is_concordance() {
        // A concordance order needs every line before the first.
        let mut lines = Vec::new();
        for d in &docs {
            let at = addrs.remove(&d.meta.id).unwrap_or_default();
            lines.extend(lines_of(d, at)?);
        }
        crate::analysis::kwic::sort_lines(&mut lines, args.select.sort);
        for l in &lines {
            if !sink.take(l)? {
                break;
            }
        }
    } else {
        'docs: for chunk in docs.chunks(16) {
            let work: Vec<(&crate::index::DocRecord, Vec<tantivy::DocAddress>)> = chunk
                .iter()
                .map(|d| (d, addrs.remove(&d.meta.id).unwrap_or_default()))
                .collect();
            let found: Vec<Vec<KwicLine>> = work
                .into_par_iter()
                .map(|(d, at)| lines_of(d, at))
                .collect::<Result<_>>()?;
            for l in found.iter().flatten() {
                if !sink.take(l)? {
                    break 'docs;
                }
            }
        }
    }
    let (shown, seen) = (sink.shown, sink.seen);
    sink.finish(&args.select, &args.scope, &asking)?;
    if shown == 0 {
        if seen > 0 {
            eprintln!(
                "menutable: no line past --offset {} ({seen} in all)",
                args.offset
            );
        } else {
            let what = match (&args.concept, asking.term_text()) {
                (_, Some(t)) => format!("{t:?}"),
                (Some(c), None) => format!("concept {c}"),
                (None, None) => "anything".into(),
            };
            let role = args
                .role
                .as_ref()
                .map(|r| format!(" with role {r}"))
                .unwrap_or_default();
            let metas: Vec<&crate::corpus::Meta> = selected.iter().collect();
            eprintln!(
                "menutable: {}{role}",
                super::why_nothing(&metas, &asking, &what)
            );
        }
    }
    Ok(if shown == 0 {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}

/// Where lines go: written as they come (CSV, JSON), or gathered for a table; lines before
/// `--offset` are counted, not written, and the sink is full after `--limit`.
struct Sink<'o> {
    out: Form<'o>,
    offset: u64,
    limit: u64,
    /// Lines offered.
    seen: u64,
    /// Lines written.
    shown: u64,
}

enum Form<'o> {
    Json(JsonRows<&'o mut dyn Write>),
    Csv(RowStream<KwicLine, &'o mut dyn Write>),
    Table(Format, Table, &'o mut dyn Write),
}

impl<'o> Sink<'o> {
    fn new(format: Format, args: &KwicArgs, out: &'o mut dyn Write) -> Result<Sink<'o>> {
        let out = match format {
            Format::Json => Form::Json(JsonRows::begin(
                out,
                &[(
                    "scope",
                    serde_json::to_value(crate::analysis::scope::describe(
                        &args.select,
                        &args.scope,
                    ))?,
                )],
                "mentions",
            )?),
            Format::Csv => Form::Csv(RowStream::new(out, format)),
            _ => Form::Table(
                format,
                Table::new(&[
                    "doc",
                    "unit",
                    "page",
                    "left",
                    "match",
                    "right",
                    "role",
                    "deferential",
                    "rule",
                ]),
                out,
            ),
        };
        Ok(Sink {
            out,
            offset: args.offset,
            limit: args.limit,
            seen: 0,
            shown: 0,
        })
    }

    /// Offers a line; false once the page is full.
    fn take(&mut self, l: &KwicLine) -> Result<bool> {
        self.seen += 1;
        if self.seen <= self.offset {
            return Ok(true);
        }
        match &mut self.out {
            Form::Json(j) => j.push(l)?,
            Form::Csv(c) => c.push(l)?,
            Form::Table(_, t, _) => t.row(vec![
                l.doc.clone(),
                l.unit.clone(),
                l.page.map(|p| p.to_string()).unwrap_or_default(),
                l.left.clone(),
                l.matched.clone(),
                l.right.clone(),
                l.role.as_str().to_string(),
                if l.deferential { "yes" } else { "" }.to_string(),
                l.rule.to_string(),
            ]),
        }
        self.shown += 1;
        Ok(self.limit == 0 || self.shown < self.limit)
    }

    fn finish(
        self,
        select: &crate::analysis::scope::Selection,
        scope: &crate::analysis::scope::Scope,
        asking: &super::Asking,
    ) -> Result<()> {
        match self.out {
            Form::Json(j) => {
                j.finish()?;
            }
            Form::Csv(c) => {
                c.finish()?;
            }
            Form::Table(format, t, out) => {
                super::write_table(&t, format, select, scope, out)?;
                if let Some(t) = asking.term.as_ref().filter(|t| t.is_ad_hoc()) {
                    writeln!(
                        out,
                        "ad hoc: {:?} is not in the lexicon; matched as whole words with the lexicon's normalisation (a longer lexicon term that contains it wins); its role is none",
                        t.text()
                    )?;
                }
            }
        }
        Ok(())
    }
}
