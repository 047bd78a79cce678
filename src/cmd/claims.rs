//! `menutable claims [FILE]`: published claims checked against the text, with the citation
//! of every mention behind each figure.

use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome};
use crate::analysis::claims::{self, Checked, Claim};
use crate::cli::ClaimsArgs;
use crate::render::output::{Format, Table, write_json};

/// Runs the command: exit 0 whenever the claims were checked, whatever the verdicts.
pub fn run(env: &Env, args: &ClaimsArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let path = args.file.clone().unwrap_or_else(claims::default_path);
    let list = claims::load(&path)?;
    let store = env.store()?;
    let docs = store.docs()?;
    let mut rows = Vec::with_capacity(list.len());
    for c in list
        .iter()
        .filter(|c| args.docs.is_empty() || args.docs.contains(&c.doc))
    {
        rows.push(check(env, &store, &docs, c)?);
    }
    match format {
        Format::Json => write_json(
            &serde_json::json!({
                "scope": crate::analysis::scope::describe(&Default::default(), &Default::default()),
                "claims": rows,
            }),
            out,
        )?,
        _ => {
            let mut t = Table::new(&[
                "claim",
                "doc",
                "what",
                "expected",
                "figure",
                "verdict",
                "detail",
                "citations",
            ]);
            for r in &rows {
                t.row(vec![
                    r.id.clone(),
                    r.doc.clone(),
                    r.what.clone(),
                    r.expected.clone(),
                    r.figure.map(|n| n.to_string()).unwrap_or_default(),
                    r.verdict.as_str().to_string(),
                    r.detail.clone(),
                    r.citations.join("; "),
                ]);
            }
            t.write(format, out)?;
        }
    }
    Ok(Outcome::Found)
}

/// Checks one claim ([`claims::check`]); a claim about a document not in the index says why
/// and how to get it.
pub fn check(
    env: &Env,
    store: &crate::index::Store,
    docs: &[crate::index::DocRecord],
    c: &Claim,
) -> Result<Checked> {
    let mut row = claims::check(store, &env.lexicon, docs, c)?;
    if row.figure.is_none() && row.detail.is_empty() {
        let indexed = super::Indexed::of(docs.iter().map(|d| {
            (
                d.meta.id.as_str(),
                d.units,
                d.file.as_str(),
                d.error.as_deref(),
            )
        }));
        row.detail = super::not_indexed(env, &c.doc, &indexed);
    }
    Ok(row)
}
