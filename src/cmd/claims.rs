//! `menutable claims [FILE]`: published claims checked against the text, with the citation
//! of every mention behind each figure.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::{Env, Outcome};
use crate::claims::{self, Claim, Verdict};
use crate::cli::ClaimsArgs;
use crate::kwic::{KwicOptions, kwic_doc};
use crate::output::{Format, Table, write_json};

/// One checked claim.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// Claim id.
    pub id: String,
    /// The claim in words.
    pub claim: String,
    /// Who made it.
    pub source: String,
    /// The document or part.
    pub doc: String,
    /// What is counted.
    pub what: String,
    /// The figure the claim asserts ("= 0").
    pub expected: String,
    /// The figure in the text (`null` when it cannot be checked).
    pub figure: Option<usize>,
    /// holds, fails or cannot check.
    pub verdict: Verdict,
    /// Why a claim cannot be checked, or how it fails.
    pub detail: String,
    /// The citation of every mention counted.
    pub citations: Vec<String>,
}

/// Runs the command: exit 0 whenever the claims were checked, whatever the verdicts.
pub fn run(env: &Env, args: &ClaimsArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let path = args.file.clone().unwrap_or_else(claims::default_path);
    let list = claims::load(&path)?;
    let store = env.store()?;
    let docs = store.docs()?;
    let mut rows = Vec::with_capacity(list.len());
    for c in &list {
        rows.push(check(env, &store, &docs, c)?);
    }
    match format {
        Format::Json => write_json(&serde_json::json!({ "claims": rows }), out)?,
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

/// Checks one claim: its figure is the number of mentions kwic shows for the same query
/// (default scope: body and footnotes, no contents, no names of instruments).
pub fn check(
    env: &Env,
    store: &crate::index::Store,
    docs: &[crate::index::DocRecord],
    c: &Claim,
) -> Result<Checked> {
    let mut row = Checked {
        id: c.id.clone(),
        claim: c.claim.clone(),
        source: c.source.clone(),
        doc: c.doc.clone(),
        what: c.what(),
        expected: c.expected(),
        figure: None,
        verdict: Verdict::CannotCheck,
        detail: String::new(),
        citations: Vec::new(),
    };
    let Some(doc) = docs.iter().find(|d| d.meta.id == c.doc && d.units > 0) else {
        let known: Vec<&str> = docs.iter().map(|d| d.meta.id.as_str()).collect();
        row.detail = super::not_indexed(env, &c.doc, &known);
        return Ok(row);
    };
    let role =
        match &c.role {
            None => None,
            Some(r) => Some(crate::roles::Role::parse(r).ok_or_else(|| {
                crate::Error::Usage(format!("claim {}: unknown role {r:?}", c.id))
            })?),
        };
    let mut opts = KwicOptions::every_mention(0, false);
    opts.concept = c.concept.as_deref();
    opts.term = c.term.as_deref();
    opts.role = role;
    opts.names = false;
    let lines = kwic_doc(store, &env.lexicon, doc, &opts)?;
    let figure = lines.len();
    row.figure = Some(figure);
    row.citations = lines.into_iter().map(|l| l.citation).collect();
    if c.holds(figure) {
        row.verdict = Verdict::Holds;
    } else {
        row.verdict = Verdict::Fails;
        row.detail = format!("the text has {figure}, the claim says {}", c.expected());
    }
    Ok(row)
}
