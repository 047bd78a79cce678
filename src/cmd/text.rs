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
            &serde_json::json!({
                "doc": doc.meta.id,
                "offsets": "characters",
                "units": in_characters(&store.doc_text(&doc.meta.id)?, units.clone()),
            }),
            out,
        )?,
        Format::Csv | Format::Md | Format::Jsonl | Format::Parquet => {
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
                let p = pages(u.page_start, u.page_end);
                let p = if p.is_empty() {
                    String::new()
                } else {
                    format!(", p. {p}")
                };
                writeln!(out, "[{}] {} ({kind}{p})", u.ordinal, u.label)?;
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

/// Units with their offsets in characters, the one convention of every output (kwic's
/// `offset`, export, claims): a unit's `start` in the document text and its page breaks in
/// its own text. Stored offsets are bytes; given as bytes, 333 of the NUA's 340 mentions
/// were misplaced by a reader combining the two.
fn in_characters(
    doc_text: &str,
    mut units: Vec<crate::extract::segment::Unit>,
) -> Vec<crate::extract::segment::Unit> {
    let chars_to = |s: &str, byte: usize| s.get(..byte).map_or(0, |p| p.chars().count());
    let (mut byte, mut chars) = (0usize, 0usize);
    for u in &mut units {
        // Units come in document order: count on from the last one.
        if u.start >= byte && doc_text.is_char_boundary(u.start) {
            chars += doc_text.get(byte..u.start).map_or(0, |s| s.chars().count());
            byte = u.start;
            u.start = chars;
        } else {
            u.start = chars_to(doc_text, u.start);
        }
        for (off, _) in &mut u.page_breaks {
            *off = chars_to(&u.text, *off);
        }
    }
    units
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
