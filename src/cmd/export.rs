//! `menutable export`: tidy tables for R and pandas — documents, units, mentions — with stable
//! column names, one row per mention carrying its document, unit, role and citation, so
//! nothing needs re-joining by hand.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::{Env, Outcome, select_docs};
use crate::analysis::kwic::{KwicOptions, kwic_doc};
use crate::cli::ExportArgs;
use crate::render::atomic::AtomicFile;
use crate::render::output::{Format, RowStream};
use crate::render::parquet::{Columns, Kind, ParquetRows};

#[derive(Default, Serialize)]
struct DocumentRow {
    doc: String,
    short: String,
    title: String,
    symbol: String,
    year: Option<u32>,
    kind: String,
    binding: bool,
    language: String,
    file: String,
    url: String,
    sha256: String,
    pages: u32,
    words: usize,
    units: usize,
    status: String,
    /// For a part: the document it is part of.
    part_of: Option<String>,
    /// Counted in totals (false for parts and superseded texts).
    in_totals: bool,
    /// Actor mentions of cities and their governments / `at_the_table_of` (empty when that is
    /// 0): the one definition of the share (`analysis::roles::TableShare`), as `roles` gives it.
    at_the_table: Option<f64>,
    /// The share's denominator: mentions of cities and their governments with a role.
    at_the_table_of: usize,
}

#[derive(Default, Serialize)]
struct UnitRow {
    doc: String,
    ordinal: u32,
    unit: String,
    kind: String,
    page_start: Option<u32>,
    page_end: Option<u32>,
    words: usize,
    text: String,
}

#[derive(Default, Serialize)]
struct MentionRow {
    doc: String,
    unit: String,
    page: Option<u32>,
    term: String,
    concept: String,
    /// A name of an instrument or body ("the New Urban Agenda", role none), not a mention.
    name: bool,
    matched: String,
    offset: usize,
    role: String,
    rule: String,
    deferential: bool,
    toc: bool,
    citation: String,
    left: String,
    right: String,
    /// Counted in the at-the-table share's denominator (a mention of cities and their
    /// governments with a role; not "urban", not a name): `actor` among these rows over
    /// these rows is the share.
    in_share: bool,
}

/// The Parquet columns of each table: the rows' fields, typed (a year INT32, counts INT64,
/// nulls where the CSV is empty).
const DOCUMENT_COLUMNS: Columns = &[
    ("doc", Kind::Text, false),
    ("short", Kind::Text, false),
    ("title", Kind::Text, false),
    ("symbol", Kind::Text, false),
    ("year", Kind::Int32, true),
    ("kind", Kind::Text, false),
    ("binding", Kind::Bool, false),
    ("language", Kind::Text, false),
    ("file", Kind::Text, false),
    ("url", Kind::Text, false),
    ("sha256", Kind::Text, false),
    ("pages", Kind::Int, false),
    ("words", Kind::Int, false),
    ("units", Kind::Int, false),
    ("status", Kind::Text, false),
    ("part_of", Kind::Text, true),
    ("in_totals", Kind::Bool, false),
    ("at_the_table", Kind::Float, true),
    ("at_the_table_of", Kind::Int, false),
];
const UNIT_COLUMNS: Columns = &[
    ("doc", Kind::Text, false),
    ("ordinal", Kind::Int, false),
    ("unit", Kind::Text, false),
    ("kind", Kind::Text, false),
    ("page_start", Kind::Int, true),
    ("page_end", Kind::Int, true),
    ("words", Kind::Int, false),
    ("text", Kind::Text, false),
];
const MENTION_COLUMNS: Columns = &[
    ("doc", Kind::Text, false),
    ("unit", Kind::Text, false),
    ("page", Kind::Int, true),
    ("term", Kind::Text, false),
    ("concept", Kind::Text, false),
    ("name", Kind::Bool, false),
    ("matched", Kind::Text, false),
    ("offset", Kind::Int, false),
    ("role", Kind::Text, false),
    ("rule", Kind::Text, false),
    ("deferential", Kind::Bool, false),
    ("toc", Kind::Bool, false),
    ("citation", Kind::Text, false),
    ("left", Kind::Text, false),
    ("right", Kind::Text, false),
    ("in_share", Kind::Bool, false),
];

/// Where a table's rows go: a text stream (CSV, JSON, JSON Lines) or a Parquet file.
enum Sink<T> {
    Text(RowStream<T, AtomicFile>),
    Parquet(Box<ParquetRows<T, AtomicFile>>),
}

/// One table of an export being written: rows streamed into a temporary file that becomes
/// `NAME.EXT` only when the whole export has been written.
struct Out<T> {
    rows: Sink<T>,
    path: std::path::PathBuf,
}

impl<T: Serialize + Default> Out<T> {
    fn create(dir: &Path, name: &str, format: Format, columns: Columns) -> Result<Out<T>> {
        let ext = match format {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
            _ => "csv",
        };
        let path = dir.join(format!("{name}.{ext}"));
        let file = AtomicFile::create(&path)?;
        let rows = match format {
            Format::Parquet => Sink::Parquet(Box::new(
                ParquetRows::new(file, name, columns).map_err(|e| crate::Error::io(&path, e))?,
            )),
            _ => Sink::Text(RowStream::new(file, format)),
        };
        Ok(Out { rows, path })
    }

    fn push(&mut self, row: &T) -> Result<()> {
        match &mut self.rows {
            Sink::Text(r) => r.push(row),
            Sink::Parquet(r) => r.push(row),
        }
        .map_err(|e| crate::Error::io(&self.path, e).into())
    }

    /// Ends the table: the file, complete but not yet in place.
    fn finish(self) -> Result<(AtomicFile, usize)> {
        let (n, file) = match self.rows {
            Sink::Text(r) => (r.rows(), r.finish()),
            Sink::Parquet(r) => (r.rows(), r.finish()),
        };
        let file = file.map_err(|e| crate::Error::io(&self.path, e))?;
        Ok((file, n))
    }
}

/// Runs the command.
///
/// Rows are written as each document is read (memory holds one document's units and
/// mentions, whatever the corpus size). The four files are written beside their final names
/// and renamed into place together once all are complete, so a failure (a full disk) leaves
/// the previous export whole and names the file it could not write; the folder is locked
/// meanwhile, so two exports into one folder never splice (the second fails naming the first).
pub fn run(env: &Env, args: &ExportArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let format = match format {
        Format::Json | Format::Jsonl | Format::Parquet => format,
        _ => Format::Csv,
    };
    let store = env.store()?;
    let super::Selected { docs, indexed } = select_docs(env, &store, &args.select)?;
    let _lock = crate::corpus::lock::Lock::acquire_for(
        &args.out,
        &format!("export folder {} is being written", args.out.display()),
    )?;
    let mut documents: Out<DocumentRow> =
        Out::create(&args.out, "documents", format, DOCUMENT_COLUMNS)?;
    let mut units: Out<UnitRow> = Out::create(&args.out, "units", format, UNIT_COLUMNS)?;
    let mut mentions: Out<MentionRow> =
        Out::create(&args.out, "mentions", format, MENTION_COLUMNS)?;
    let opts = KwicOptions::every_mention(60, args.scope);
    let bar = super::progress::Progress::new(docs.len() as u64, "documents", env.progress);
    for d in &docs {
        bar.inc(1);
        let lines = kwic_doc(&store, &env.lexicon, d, &opts)?;
        let table = crate::analysis::roles::TableShare::of_mentions(
            &env.lexicon,
            lines.iter().map(|l| (l.concept.as_str(), l.role)),
        );
        documents.push(&DocumentRow {
            doc: d.meta.id.clone(),
            short: d.meta.short.clone(),
            title: d.meta.title.clone(),
            symbol: d.meta.symbol.clone(),
            year: d.meta.year,
            kind: d.meta.kind.clone(),
            binding: d.meta.binding,
            language: d.meta.language.clone(),
            file: d.file.clone(),
            url: d.meta.url.clone(),
            sha256: d.sha256.clone(),
            pages: d.pages,
            words: d.words,
            units: d.units,
            status: d.status().to_string(),
            part_of: d.meta.part_of.clone(),
            in_totals: d.meta.in_totals(),
            at_the_table: table.share().map(|x| (x * 1000.0).round() / 1000.0),
            at_the_table_of: table.of,
        })?;
        for u in store.units(&d.meta.id, None)? {
            units.push(&UnitRow {
                doc: d.meta.id.clone(),
                ordinal: u.ordinal,
                kind: serde_json::to_value(u.kind)?
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                unit: u.label,
                page_start: u.page_start,
                page_end: u.page_end,
                words: u.words,
                text: u.text,
            })?;
        }
        for m in lines {
            mentions.push(&MentionRow {
                in_share: m.role != crate::analysis::roles::Role::None
                    && env.lexicon.can_sit(&m.concept),
                doc: m.doc,
                unit: m.unit,
                page: m.page,
                term: m.term,
                concept: m.concept,
                name: m.name,
                matched: m.matched,
                offset: m.offset,
                role: m.role.as_str().to_string(),
                rule: m.rule.to_string(),
                deferential: m.deferential,
                toc: m.toc,
                citation: m.citation,
                left: m.left,
                right: m.right,
            })?;
        }
    }
    // The manifest's documents this corpus lacks (the GCR) are rows too: an absence is a
    // finding, and a table that silently lacks them would read as complete.
    for e in super::missing_entries(env, &args.select, &indexed) {
        if docs.iter().any(|d| d.meta.id == e.id) {
            continue; // its record is a row already (status failed)
        }
        documents.push(&DocumentRow {
            doc: e.id.clone(),
            short: e.short.clone(),
            title: e.title.clone(),
            symbol: e.symbol.clone(),
            year: e.year(),
            kind: e.kind.clone(),
            binding: e.binding,
            language: e.language.clone(),
            file: e.file.clone(),
            url: e.url.clone(),
            sha256: e.sha256.clone(),
            pages: 0,
            words: 0,
            units: 0,
            status: if indexed.failed.contains_key(&e.id) {
                "failed"
            } else {
                "missing"
            }
            .into(),
            part_of: None,
            in_totals: e.in_totals(),
            at_the_table: None,
            at_the_table_of: 0,
        })?;
    }
    // What the figures are about, beside them: a reader of mentions.csv knows its scope.
    let scope = crate::analysis::scope::describe(&args.select, &args.scope);
    let mut scope_file = AtomicFile::create(&args.out.join("scope.json"))?;
    scope_file.put((serde_json::to_string_pretty(&scope)? + "\n").as_bytes())?;
    let (documents, n_documents) = documents.finish()?;
    let (units, n_units) = units.finish()?;
    let (mentions, n_mentions) = mentions.finish()?;
    bar.finish();
    // Everything is written: now into place, one rename each.
    for f in [documents, units, mentions, scope_file] {
        f.commit()?;
    }
    writeln!(
        out,
        "{n_documents} documents, {n_units} units, {n_mentions} mentions written to {} ({})",
        args.out.display(),
        crate::analysis::scope::sentence(&args.select, &args.scope)
    )?;
    Ok(Outcome::Found)
}
