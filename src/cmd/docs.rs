//! `menutable docs`: every document the manifest or the index knows, with its status.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::{Env, Outcome};
use crate::cli::DocsArgs;
use crate::index::Store;
use crate::render::output::{Format, Table, write_json};

/// One row of `docs`.
#[derive(Debug, Clone, Serialize)]
pub struct DocRow {
    /// Id.
    pub id: String,
    /// For a file the manifest does not list: the `[[document]]` entry to paste into
    /// `corpus/manifest.toml` to give it a title, year and kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_entry: Option<String>,
    /// Short name.
    pub short: String,
    /// UN symbol.
    pub symbol: String,
    /// Year.
    pub year: Option<u32>,
    /// Kind.
    pub kind: String,
    /// Binding?
    pub binding: bool,
    /// Language.
    pub language: String,
    /// Pages.
    pub pages: u32,
    /// Words counted.
    pub words: usize,
    /// Units.
    pub units: usize,
    /// indexed, missing, failed, stale (old version indexed, new file failed), or
    /// not indexed (the file is in the folder but `index` has not been run since).
    pub status: String,
    /// Why, when not indexed; failed pages otherwise.
    pub reason: String,
    /// File, relative to the corpus folder.
    pub file: String,
    /// Official address.
    pub url: String,
    /// sha256.
    pub sha256: String,
    /// Extraction quality (indexed documents only): pages read and failed, share of function
    /// words, long tokens, garbled and recovered pages, and a flag when the text should not be
    /// trusted as it is.
    pub quality: Option<crate::extract::quality::Quality>,
    /// For a part: the document it is part of (`null` for documents).
    pub part_of: Option<String>,
    /// For a part: its pages in the document ("21-36").
    pub page_span: Option<String>,
    /// Stray spaces inside words repaired (texts from PDFs; `text --raw` lists them).
    pub repairs: usize,
    /// Counted in totals over the corpus (false for parts and superseded texts).
    pub in_totals: bool,
}

/// Runs the command.
pub fn run(env: &Env, args: &DocsArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let indexed = if env.index.join("meta.json").exists() {
        // The request's store under `serve` (one state per page), else the index opened.
        env.store()?.docs()?
    } else if env.manifest.entries.is_empty() {
        // Neither an index nor a manifest: outside a project, an empty table would read as
        // an empty corpus.
        return Err(Store::open(&env.index, false).err().map_or_else(
            || anyhow::anyhow!("no index in {}", env.index.display()),
            anyhow::Error::new,
        ));
    } else {
        Default::default()
    };
    let mut rows = Vec::new();
    for e in &env.manifest.entries {
        let rec = indexed.iter().find(|d| d.meta.id == e.id);
        let on_disk = std::iter::once(&e.file)
            .chain(&e.aliases)
            .any(|f| env.corpus.join(f).is_file());
        let (status, reason) = match rec {
            Some(r) => (r.status().to_string(), reason_of(r)),
            None if on_disk => (
                "not indexed".into(),
                "in the corpus folder; run `menutable index`".into(),
            ),
            None => (
                "missing".into(),
                format!(
                    "no file {} in {}; {}",
                    e.file,
                    env.corpus.display(),
                    super::how_to_get(e)
                ),
            ),
        };
        let reason = match (&e.superseded_by, &e.translation_of) {
            (Some(by), _) => {
                format!("superseded by {by}: left out of totals (name it with --doc)")
                    + &prefix_sep(&reason)
            }
            (None, Some(of)) => {
                format!(
                    "translation of {of}: left out of totals (select it with --lang {} or --doc)",
                    e.language
                ) + &prefix_sep(&reason)
            }
            (None, None) => reason,
        };
        rows.push(DocRow {
            manifest_entry: None,
            id: e.id.clone(),
            short: e.short.clone(),
            symbol: e.symbol.clone(),
            year: e.year(),
            kind: e.kind.clone(),
            binding: e.binding,
            language: e.language.clone(),
            pages: rec.map_or(0, |r| r.pages),
            words: rec.map_or(0, |r| r.words),
            units: rec.map_or(0, |r| r.units),
            status,
            reason,
            file: e.file.clone(),
            url: e.url.clone(),
            sha256: rec.map_or_else(|| e.sha256.clone(), |r| r.sha256.clone()),
            quality: rec.map(|r| r.quality.clone()),
            part_of: None,
            page_span: None,
            repairs: rec.map_or(0, |r| r.repairs),
            in_totals: e.in_totals(),
        });
        // A part is its document's row with its own id, names, kind, binding and figures.
        let document = rows[rows.len() - 1].clone();
        for p in &e.parts {
            let rec = indexed.iter().find(|d| d.meta.id == p.id);
            let span = rec.and_then(|r| r.meta.page_span.clone());
            rows.push(DocRow {
                id: p.id.clone(),
                short: p.short.clone(),
                kind: p.kind.clone(),
                binding: p.binding,
                pages: rec.map_or(0, |r| r.pages),
                words: rec.map_or(0, |r| r.words),
                units: rec.map_or(0, |r| r.units),
                status: rec.map_or_else(|| "missing".to_string(), |r| r.status().to_string()),
                reason: format!(
                    "part of {}{}",
                    e.id,
                    span.as_ref()
                        .map_or(String::new(), |s| format!(", pp. {s}"))
                ),
                quality: rec.map(|r| r.quality.clone()),
                part_of: Some(e.id.clone()),
                page_span: span,
                repairs: 0,
                in_totals: false,
                ..document.clone()
            });
        }
    }
    // (Documents not named are left out before their row is made: the paste-ready manifest
    // entry is the costly part, and `serve`'s instrument page asks for one document of many.)
    let named = |id: &str| args.select.docs.is_empty() || args.select.docs.iter().any(|d| d == id);
    for r in indexed.iter().filter(|r| {
        named(&r.meta.id) && env.manifest.by_id(&r.meta.id).is_none() && r.meta.part_of.is_none()
    }) {
        rows.push(DocRow {
            manifest_entry: Some(crate::corpus::manifest::entry_to_paste(
                &r.meta, &r.file, &r.sha256,
            )),
            id: r.meta.id.clone(),
            short: r.meta.short.clone(),
            symbol: r.meta.symbol.clone(),
            year: r.meta.year,
            kind: r.meta.kind.clone(),
            binding: r.meta.binding,
            language: r.meta.language.clone(),
            pages: r.pages,
            words: r.words,
            units: r.units,
            status: r.status().to_string(),
            reason: format!(
                "not in the manifest (language from {})",
                r.meta.language_source
            ) + &prefix_sep(&reason_of(r)),
            file: r.file.clone(),
            url: String::new(),
            sha256: r.sha256.clone(),
            quality: Some(r.quality.clone()),
            part_of: None,
            page_span: None,
            repairs: r.repairs,
            in_totals: r.meta.in_totals(),
        });
    }
    // Every document known, whatever its status, narrowed by the selection's filters.
    let select = &args.select;
    rows.retain(|r| {
        (select.docs.is_empty() || select.docs.contains(&r.id))
            && select.matches(r.year, &r.kind, r.binding, &r.language)
    });
    select.order_with(&mut rows, |r| (r.year, r.id.as_str()));
    match format {
        Format::Json => write_json(&serde_json::json!({ "documents": rows }), out)?,
        _ => {
            let mut t = Table::new(&[
                "id", "short", "symbol", "year", "kind", "binding", "lang", "pages", "words",
                "units", "status", "quality", "reason",
            ]);
            for r in &rows {
                t.row(vec![
                    r.id.clone(),
                    r.short.clone(),
                    r.symbol.clone(),
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                    r.kind.clone(),
                    r.binding.to_string(),
                    r.language.clone(),
                    r.pages.to_string(),
                    r.words.to_string(),
                    r.units.to_string(),
                    r.status.clone(),
                    match &r.quality {
                        // A document that failed has no quality to speak of: never "ok".
                        _ if r.status == "failed" => "failed".to_string(),
                        None => String::new(),
                        Some(q) => q
                            .flag
                            .clone()
                            .map_or_else(|| "ok".to_string(), |f| format!("FLAGGED: {f}")),
                    },
                    r.reason.clone(),
                ]);
            }
            t.write(format, out)?;
            if format == Format::Table {
                for r in &rows {
                    if let Some(entry) = &r.manifest_entry {
                        writeln!(
                            out,
                            "\n# {} is not in the manifest: to give it a title, year and kind, add to corpus/manifest.toml\n{entry}",
                            r.file
                        )?;
                    }
                }
            }
        }
    }
    Ok(Outcome::Found)
}

fn prefix_sep(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; {s}")
    }
}

fn reason_of(r: &crate::index::DocRecord) -> String {
    let mut parts = Vec::new();
    if let Some(e) = &r.error {
        parts.push(e.clone());
    }
    if !r.failed_pages.is_empty() {
        let pages: Vec<String> = r
            .failed_pages
            .iter()
            .map(|p| format!("p. {}: {}", p.page, p.reason))
            .collect();
        parts.push(format!(
            "{} page(s) failed: {}",
            r.failed_pages.len(),
            pages.join("; ")
        ));
    }
    parts.join("; ")
}
