//! `menutable report`: the self-contained HTML report.

use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome, select_docs};
use crate::cli::ReportArgs;
use crate::count::{Scope, Source, count_doc};
use crate::kwic::{KwicOptions, kwic_doc};
use crate::output::Format;
use crate::report::{ReportDoc, render};

/// Runs the command.
pub fn run(env: &Env, args: &ReportArgs, _format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let store = env.store()?;
    let mut docs = select_docs(env, &store, &args.docs)?;
    // Oldest first: the report reads as a history.
    docs.sort_by(|a, b| {
        a.meta
            .year
            .cmp(&b.meta.year)
            .then_with(|| a.meta.id.cmp(&b.meta.id))
    });

    let opts = KwicOptions::every_mention(60, true);
    let mut counts = Vec::new();
    let mut mentions = Vec::new();
    let mut chars = Vec::new();
    for d in &docs {
        counts.push(count_doc(
            &store,
            &env.lexicon,
            &d.head(),
            Scope::default(),
            false,
            Source::Auto,
        )?);
        mentions.push(kwic_doc(&store, &env.lexicon, d, &opts)?);
        chars.push(store.doc_text(&d.meta.id)?.chars().count());
    }
    let rdocs: Vec<ReportDoc> = docs
        .iter()
        .zip(&counts)
        .zip(&mentions)
        .zip(&chars)
        .map(|(((record, counts), mentions), chars)| ReportDoc {
            record,
            counts,
            mentions,
            chars: *chars,
        })
        .collect();
    let html = render(&rdocs, &env.lexicon, &super::fetch::now_utc());
    std::fs::write(&args.out, html).map_err(|e| crate::Error::io(&args.out, e))?;
    writeln!(
        out,
        "report of {} documents written to {}",
        docs.len(),
        args.out.display()
    )?;
    Ok(Outcome::Found)
}
