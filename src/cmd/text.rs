//! `menutable text`: the text menutable counted, unit by unit, so anyone can check a figure.

use std::io::Write;

use anyhow::Result;

use super::{Env, Outcome, select_docs};
use crate::cli::TextArgs;
use crate::render::output::{Format, Table, pages, write_json};

/// Runs the command.
pub fn run(env: &Env, args: &TextArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let store = env.store()?;
    let one = crate::analysis::scope::Selection {
        docs: vec![args.id.clone()],
        ..Default::default()
    };
    let doc = select_docs(env, &store, &one)?.docs.remove(0);
    let range = match &args.pages {
        None => None,
        Some(p) => {
            let (a, b) = p.split_once('-').unwrap_or((p, p));
            let parse = |s: &str| {
                s.trim()
                    .parse::<u32>()
                    .map_err(|_| crate::Error::Usage(format!("--pages {p:?}: expected N or N-M")))
            };
            Some((parse(a)?, parse(b)?))
        }
    };
    if args.raw {
        return raw(env, &doc, range, format, out);
    }
    let units: Vec<_> = store
        .units(&doc.meta.id, None)?
        .into_iter()
        .filter(|u| match (range, u.page_start, u.page_end) {
            (None, _, _) => true,
            (Some((a, b)), Some(s), Some(e)) => s <= b && e >= a,
            _ => false,
        })
        .collect();
    match format {
        Format::Json => write_json(
            &serde_json::json!({ "doc": doc.meta.id, "units": units }),
            out,
        )?,
        Format::Csv | Format::Md | Format::Jsonl => {
            let mut t = Table::new(&["ordinal", "unit", "kind", "pages", "text"]);

            for u in &units {
                let kind = serde_json::to_value(u.kind)?
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                t.row(vec![
                    u.ordinal.to_string(),
                    u.label.clone(),
                    kind,
                    pages(u.page_start, u.page_end),
                    u.text.clone(),
                ]);
            }
            t.write(format, out)?;
        }
        Format::Table => {
            for u in &units {
                let kind = serde_json::to_value(u.kind)?
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                writeln!(
                    out,
                    "[{}] {} ({}, p. {})",
                    u.ordinal,
                    u.label,
                    kind,
                    pages(u.page_start, u.page_end)
                )?;
                writeln!(out, "{}\n", u.text)?;
            }
        }
    }
    Ok(if units.is_empty() {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}

/// The file's lines as extracted, before normalisation, with what each was taken for.
fn raw(
    env: &Env,
    doc: &crate::index::DocRecord,
    range: Option<(u32, u32)>,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let path = env.corpus.join(&doc.file);
    let ex = crate::extract::extract(&path)?;
    let lines: Vec<_> = ex
        .raw_lines
        .into_iter()
        .filter(|(p, _, _)| match (range, p) {
            (None, _) => true,
            (Some((a, b)), Some(p)) => (a..=b).contains(p),
            _ => false,
        })
        .collect();
    match format {
        Format::Json => {
            let rows: Vec<_> = lines
                .iter()
                .map(|(p, k, t)| serde_json::json!({"page": p, "kind": k, "text": t}))
                .collect();
            write_json(
                &serde_json::json!({ "doc": doc.meta.id, "file": doc.file, "lines": rows }),
                out,
            )?;
        }
        _ => {
            let mut t = Table::new(&["page", "kind", "text"]);
            for (p, k, text) in &lines {
                t.row(vec![
                    p.map(|p| p.to_string()).unwrap_or_default(),
                    k.to_string(),
                    text.clone(),
                ]);
            }
            t.write(format, out)?;
        }
    }
    Ok(if lines.is_empty() {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}
