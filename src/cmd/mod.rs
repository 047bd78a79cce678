//! One file per subcommand. Each `run` writes to `out` and says whether it found anything
//! (exit 0) or nothing (exit 1); errors go up as anyhow errors (exit 2).

pub mod claims;
pub mod collocates;
pub mod count;
pub mod docs;
pub mod export;
pub mod extract;

pub mod fetch;
pub mod freq;

pub mod index;
pub mod keyness;
pub mod kwic;
pub mod progress;
pub mod report;
pub mod roles;

pub mod search;
pub mod serve;
pub mod synth;
pub mod text;
pub mod worker;

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::analysis::lexicon::{Asked, Lexicon};
use crate::analysis::scope::{Scope, Selection};
use crate::cli::Global;
use crate::corpus::manifest::{self, Manifest};
use crate::index::{DocHead, DocRecord, Store};
use crate::render::output::{Format, Table};

/// Whether a command found what it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Something matched: exit 0.
    Found,
    /// A query or filter matched nothing: exit 1.
    Nothing,
    /// The work was done but some inputs failed (an index update with failed files): exit 3.
    Partial,
}

/// Resolved paths and loaded configuration shared by the commands.
pub struct Env {
    /// Corpus folder.
    pub corpus: PathBuf,
    /// Index folder.
    pub index: PathBuf,
    /// The manifest (empty when there is none).
    pub manifest: Manifest,
    /// The lexicon.
    pub lexicon: Lexicon,
    /// Threads for extraction and indexing.
    pub threads: usize,
    /// A progress bar may be drawn (not `--quiet`, not `--format json`).
    pub progress: bool,
}

/// Phase timings on stderr when `MENUTABLE_TIMING` is set: what the benchmarks report as
/// in-process time, apart from process start and output.
pub struct Timing {
    on: bool,
    started: std::time::Instant,
    last: std::time::Instant,
    phases: Vec<(&'static str, f64)>,
}

impl Timing {
    /// Starts the clock.
    pub fn start() -> Timing {
        let now = std::time::Instant::now();
        Timing {
            on: std::env::var_os("MENUTABLE_TIMING").is_some(),
            started: now,
            last: now,
            phases: Vec::new(),
        }
    }

    /// Ends a phase.
    pub fn phase(&mut self, name: &'static str) {
        if self.on {
            let now = std::time::Instant::now();
            self.phases
                .push((name, (now - self.last).as_secs_f64() * 1000.0));
            self.last = now;
        }
    }
}

impl Drop for Timing {
    fn drop(&mut self) {
        if self.on {
            let parts: Vec<String> = self
                .phases
                .iter()
                .map(|(n, ms)| format!("{n}={ms:.2}"))
                .collect();
            eprintln!(
                "timing-ms: {} total={:.2}",
                parts.join(" "),
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// The most threads asked for that is accepted (`--threads 100000` once ran for minutes
/// starting threads).
pub const MAX_THREADS: usize = 256;

/// Threads to use: `--threads`, else `MENUTABLE_THREADS`, else one per core.
pub fn threads(g: &Global) -> Result<usize> {
    let n = match g.threads {
        Some(n) => n as usize,
        None => match std::env::var("MENUTABLE_THREADS") {
            Ok(v) => v.trim().parse().map_err(|_| {
                crate::Error::Usage(format!("MENUTABLE_THREADS={v:?} is not a number"))
            })?,
            Err(_) => std::thread::available_parallelism().map_or(1, usize::from),
        },
    };
    if !(1..=MAX_THREADS).contains(&n) {
        anyhow::bail!(crate::Error::Usage(format!(
            "threads must be 1 to {MAX_THREADS}, not {n}"
        )));
    }
    Ok(n)
}

/// Runs a command that reads the index (every one but `extract`, `synth` and `serve`, which
/// the binary runs itself) with its output to `out`: the one dispatch the binary and the web
/// application share, so a page's CSV or JSON is the command line's, byte for byte.
pub fn dispatch(
    env: &Env,
    command: &crate::cli::Command,
    f: crate::render::output::Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    use crate::cli::Command;
    if let Some(why) = refused_format(command, f) {
        anyhow::bail!(crate::Error::Usage(why.into()));
    }
    match command {
        Command::Index(a) => index::run(env, a, f, out),
        Command::Docs(a) => docs::run(env, a, f, out),
        Command::Count(a) => count::run(env, a, f, out),
        Command::Claims(a) => claims::run(env, a, f, out),
        Command::Kwic(a) => kwic::run(env, a, f, out),
        Command::Search(a) => search::run(env, a, f, out),
        Command::Text(a) => text::run(env, a, f, out),
        Command::Extract(a) => extract::run(a, out),
        Command::Roles(a) => roles::run(env, a, f, out),
        Command::Fetch(a) => fetch::run_fetch(env, a, f, out),
        Command::Export(a) => export::run(env, a, f, out),
        Command::Report(a) => report::run(env, a, f, out),
        Command::Update(a) => fetch::run_update(env, a, f, out),
        Command::Synth(a) => synth::run(a, f, out),
        Command::Freq(a) => freq::run(env, a, f, out),
        Command::Collocates(a) => collocates::run(env, a, f, out),
        Command::Keyness(a) => keyness::run(env, a, f, out),
        Command::Worker(a) => worker::run(env, a, f, out),
        Command::Serve(_) => anyhow::bail!(crate::Error::Usage(
            "serve runs from the command line only".into()
        )),
    }
}

/// A `--format` a command cannot honour is refused, never ignored (`report --format csv` once
/// wrote HTML, `export --format md` CSV).
fn refused_format(
    command: &crate::cli::Command,
    f: crate::render::output::Format,
) -> Option<&'static str> {
    use crate::cli::Command;
    use crate::render::output::Format;
    match (command, f) {
        (Command::Report(_), Format::Table) => None,
        (Command::Report(_), _) => Some(
            "report writes one HTML file (--out) and takes no --format; for tables use `export` (csv, json, jsonl) or `count`",
        ),
        (Command::Export(_), Format::Md) => {
            Some("export writes csv (the default), json or jsonl files; not md")
        }
        (Command::Export(_), _) => None,
        (Command::Worker(_), Format::Table | Format::Jsonl) => None,
        (Command::Worker(_), _) => {
            Some("worker writes JSON lines, one per file; it takes no --format")
        }
        (_, Format::Jsonl) => Some("--format jsonl is for `export`; use json"),
        (_, Format::Parquet) => Some("--format parquet is for `export`; use csv or json"),
        _ => None,
    }
}

impl Env {
    /// Resolves flags, environment and defaults.
    pub fn new(g: &Global) -> Result<Env> {
        let manifest_path = g.manifest.clone().unwrap_or_else(manifest::default_path);
        let manifest = Manifest::load_or_empty(&manifest_path)?;
        let lexicon = match &g.lexicon {
            Some(p) => Lexicon::load(p)?,
            None => Lexicon::builtin(),
        };
        Ok(Env {
            corpus: g.corpus.clone().unwrap_or_else(crate::corpus::default_dir),
            index: g.index.clone().unwrap_or_else(crate::index::default_dir),
            manifest,
            lexicon,
            threads: threads(g)?,
            progress: !g.quiet && g.format != crate::render::output::Format::Json,
        })
    }

    /// Opens the existing index (the store pinned for this thread's request, under `serve`).
    pub fn store(&self) -> Result<Store> {
        if let Some(s) = PINNED.with(|p| p.borrow().clone()) {
            return Ok(s);
        }
        Store::open(&self.index, false)
            .with_context(|| format!("opening the index in {}", self.index.display()))
    }
}

thread_local! {
    static PINNED: std::cell::RefCell<Option<Store>> = const { std::cell::RefCell::new(None) };
}

/// Makes [`Env::store`] on this thread answer `store` (or open the index again, with `None`):
/// `serve` pins one store for the whole of a request, so a page that runs several commands
/// reads one committed state.
pub fn pin_store(store: Option<Store>) {
    PINNED.with(|p| *p.borrow_mut() = store);
}

impl Env {}

/// A selection applied: the documents chosen, in its order, and the id of every document
/// with something indexed (what the manifest is compared with for [`missing_entries`]), so
/// the index is read once.
pub struct Selected<T> {
    /// The documents chosen.
    pub docs: Vec<T>,
    /// What the index holds: every indexed id, and the documents whose file failed.
    pub indexed: Indexed,
}

/// What the index holds, as the "missing" and "failed" lines need it.
#[derive(Debug, Clone, Default)]
pub struct Indexed {
    /// Every document with something indexed.
    pub ids: Vec<String>,
    /// Documents with nothing indexed because their file failed: id → (file, reason).
    pub failed: std::collections::BTreeMap<String, (String, String)>,
}

impl Indexed {
    /// From (id, units, file, error) of every record or head.
    pub fn of<'a>(
        all: impl Iterator<Item = (&'a str, usize, &'a str, Option<&'a str>)>,
    ) -> Indexed {
        let mut out = Indexed::default();
        for (id, units, file, error) in all {
            if units > 0 {
                out.ids.push(id.to_string());
            } else {
                let reason = error.unwrap_or("no text").to_string();
                out.failed
                    .insert(id.to_string(), (file.to_string(), reason));
            }
        }
        out
    }

    /// Whether `id` has something indexed.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|x| x == id)
    }

    /// "failed: could not be indexed from FILE: REASON" for a document whose file failed.
    pub fn failure(&self, id: &str) -> Option<String> {
        self.failed.get(id).map(|(file, reason)| {
            format!("{id} could not be indexed from {file}: {reason} (`menutable docs` lists every document's status)")
        })
    }
}

/// The indexed documents a selection chooses (see [`Selection`]), in its order; an id asked
/// for that is not indexed is an error that says why and what to do.
pub fn select_docs(env: &Env, store: &Store, select: &Selection) -> Result<Selected<DocRecord>> {
    select_records(env, store.docs()?, select)
}

/// [`select_docs`] over records already read (the report needs them all besides).
pub fn select_records(
    env: &Env,
    all: crate::index::Shared<DocRecord>,
    select: &Selection,
) -> Result<Selected<DocRecord>> {
    check_filters(select, all.iter().map(|d| d.meta.kind.as_str()))?;
    check_sort(select)?;
    let indexed = Indexed::of(all.iter().map(|d| {
        (
            d.meta.id.as_str(),
            d.units,
            d.file.as_str(),
            d.error.as_deref(),
        )
    }));
    if let Some(id) = select.unknown(&all) {
        return Err(usage(not_indexed(env, &id, &indexed)));
    }
    let what = Inventory::of(all.iter().map(|d| (d.meta.year, d.meta.language.as_str())));
    let docs = select.pick(all);
    what.say_if_empty(docs.is_empty(), select);
    Ok(Selected { docs, indexed })
}

/// The years and languages of the index, for the note that explains an empty selection.
struct Inventory {
    years: Option<(u32, u32)>,
    langs: std::collections::BTreeSet<String>,
    docs: usize,
}

impl Inventory {
    fn of<'a>(all: impl Iterator<Item = (Option<u32>, &'a str)>) -> Inventory {
        let mut inv = Inventory {
            years: None,
            langs: Default::default(),
            docs: 0,
        };
        for (year, lang) in all {
            inv.docs += 1;
            // (A language is allocated once, not once per document.)
            if !inv.langs.contains(lang) {
                inv.langs.insert(lang.to_string());
            }
            if let Some(y) = year {
                inv.years = Some(inv.years.map_or((y, y), |(a, b)| (a.min(y), b.max(y))));
            }
        }
        inv
    }

    /// An empty selection is never a silent empty table: one line on stderr says so, with
    /// what the index has.
    fn say_if_empty(&self, empty: bool, select: &Selection) {
        if !empty || self.docs == 0 {
            return;
        }
        let years = self
            .years
            .map_or("no years".to_string(), |(a, b)| format!("years {a} to {b}"));
        let langs: Vec<&str> = self.langs.iter().map(String::as_str).collect();
        eprintln!(
            "menutable: no document in the selection ({}); the index has {} documents, {years}, languages {}",
            crate::analysis::scope::sentence(select, &Scope::default())
                .trim_start_matches("scope: ")
                .split(';')
                .next()
                .unwrap_or(""),
            self.docs,
            langs.join(", ")
        );
    }
}

/// [`select_docs`] for document heads (what `count` reads).
pub fn select_heads(env: &Env, store: &Store, select: &Selection) -> Result<Selected<DocHead>> {
    let all = store.heads()?;
    check_filters(select, all.iter().map(|d| d.kind.as_str()))?;
    check_sort(select)?;
    let indexed = Indexed::of(
        all.iter()
            .map(|d| (d.id.as_str(), d.units, d.file.as_str(), d.error.as_deref())),
    );
    if let Some(id) = select.unknown(&all) {
        return Err(usage(not_indexed(env, &id, &indexed)));
    }
    let what = Inventory::of(all.iter().map(|d| (d.year, d.language.as_str())));
    let docs = select.pick(all);
    what.say_if_empty(docs.is_empty(), select);
    Ok(Selected { docs, indexed })
}

/// A concordance key (`--sort R1`) orders kwic's lines; elsewhere it is refused, not ignored.
fn check_sort(select: &Selection) -> Result<()> {
    if select.sort.is_concordance() {
        anyhow::bail!(crate::Error::Usage(format!(
            "--sort {:?} orders concordance lines (kwic); this command orders rows by year or id",
            select.sort
        )));
    }
    Ok(())
}

/// A kind no indexed document has, or a language without a lexicon, is a typo, not an
/// empty answer.
fn check_filters<'a>(select: &Selection, kinds: impl Iterator<Item = &'a str>) -> Result<()> {
    let kinds: std::collections::BTreeSet<&str> = kinds.collect();
    if let Some(k) = select
        .kinds
        .iter()
        .find(|k| !kinds.iter().any(|x| x.eq_ignore_ascii_case(k)))
    {
        let known: Vec<&str> = kinds.into_iter().collect();
        anyhow::bail!(crate::Error::Usage(format!(
            "no indexed document is of kind {k:?}; the kinds are {}",
            known.join(", ")
        )));
    }
    if let Some(l) = select
        .langs
        .iter()
        .find(|l| !crate::corpus::LANGUAGES.contains(&l.to_lowercase().as_str()))
    {
        anyhow::bail!(crate::Error::Usage(format!(
            "unknown language {l:?}; the corpus languages are {}",
            crate::corpus::LANGUAGES.join(", ")
        )));
    }
    Ok(())
}

fn usage(message: String) -> anyhow::Error {
    anyhow::Error::new(crate::Error::Usage(message))
}

/// The manifest's documents the selection would hold that have nothing indexed — the one
/// answer every output gives (count and roles JSON and tables, export rows, the report), since
/// an absence is a finding. None when the selection names documents.
pub fn missing_entries<'a>(
    env: &'a Env,
    select: &Selection,
    indexed: &Indexed,
) -> Vec<&'a crate::corpus::manifest::Entry> {
    if !select.docs.is_empty() {
        return Vec::new();
    }
    env.manifest
        .entries
        .iter()
        .filter(|e| !indexed.contains(&e.id))
        .filter(|e| select.matches(e.year(), &e.kind, e.binding, &e.language))
        .collect()
}

/// [`missing_entries`] as JSON, each with why and where to get it.
pub fn missing_docs(env: &Env, select: &Selection, indexed: &Indexed) -> Vec<serde_json::Value> {
    missing_entries(env, select, indexed)
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id, "symbol": e.symbol, "url": e.url,
                "status": if indexed.failed.contains_key(&e.id) { "failed" } else { "missing" },
                "reason": not_indexed(env, &e.id, indexed),
            })
        })
        .collect()
}

/// What a command was asked to find, resolved: the lexicon to match with (the project's, with
/// an ad hoc term added) and the term as it is matched.
pub struct Asking {
    /// The lexicon the command matches with.
    pub lexicon: Lexicon,
    /// The term asked for (`--term`), resolved.
    pub term: Option<Asked>,
}

impl Asking {
    /// The term as matched (`KwicOptions::term`).
    pub fn term_text(&self) -> Option<&str> {
        self.term.as_ref().map(Asked::text)
    }
}

/// Resolves `--concept` and `--term`: a concept must be the lexicon's; a term may be any word
/// or phrase (a term of the lexicon, or ad hoc: counted with the same normalisation, word
/// boundaries and longest-match rule), never a pattern.
pub fn asking(env: &Env, concept: Option<&str>, term: Option<&str>) -> Result<Asking> {
    if let Some(c) = concept {
        check_concept(env, c)?;
    }
    let term = match term {
        None => None,
        Some(t) => Some(env.lexicon.resolve(t).map_err(crate::Error::Usage)?),
    };
    let lexicon = env.lexicon.with(term.as_slice())?;
    Ok(Asking { lexicon, term })
}

/// A concept asked for must be the lexicon's.
pub fn check_concept(env: &Env, c: &str) -> Result<()> {
    if !env.lexicon.concept_ids().contains(&c) {
        anyhow::bail!(crate::Error::Usage(format!(
            "unknown concept {c:?}; the lexicon has {}",
            env.lexicon.concept_ids().join(", ")
        )));
    }
    Ok(())
}

/// Why a search for mentions found none, in one line for stderr: an empty answer is never
/// silent.
pub fn why_nothing(docs: &[&crate::corpus::Meta], asking: &Asking, what: &str) -> String {
    if docs.is_empty() {
        return "no document in the selection (see `menutable docs`)".into();
    }
    if let Some(t) = &asking.term
        && let Some(note) = docs.iter().find_map(|d| t.language_note(&d.language))
        && docs.iter().all(|d| !t.applies_to(&d.language))
    {
        return note;
    }
    format!(
        "no mention of {what} in the {} document{} selected",
        docs.len(),
        if docs.len() == 1 { "" } else { "s" }
    )
}

/// Writes the table or CSV, and under a table the scope in one line (CSV stays only rows,
/// for R and pandas; JSON carries `"scope"`).
pub fn write_table(
    t: &Table,
    format: Format,
    select: &Selection,
    scope: &Scope,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    t.write(format, out)?;
    if format == Format::Table {
        writeln!(out, "\n{}", crate::analysis::scope::sentence(select, scope))?;
    }
    Ok(())
}

/// Under a table over the corpus, one line per manifest document it lacks: a table that
/// silently leaves out the GCR would read as complete (JSON has them under `missing`).
pub fn write_missing(
    env: &Env,
    select: &Selection,
    indexed: &Indexed,
    format: Format,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    if format != Format::Table {
        return Ok(());
    }
    for e in missing_entries(env, select, indexed) {
        match indexed.failed.get(&e.id) {
            Some((file, reason)) => {
                writeln!(out, "failed: {} ({}): {file}: {reason}", e.id, e.symbol)?
            }
            None => writeln!(
                out,
                "missing: {} ({}), not in the corpus folder; `menutable docs` says where to get it",
                e.id, e.symbol
            )?,
        }
    }
    Ok(())
}

/// Why `id` is not in the index, and what to do: a manifest document whose file is missing
/// says where to get it (and which partial text there is); an unknown id suggests the closest.
pub fn not_indexed(env: &Env, id: &str, indexed: &Indexed) -> String {
    if let Some(failed) = indexed.failure(id) {
        return failed;
    }
    let known = &indexed.ids;
    if let Some(e) = env.manifest.by_id(id) {
        let partial: Vec<&str> = env
            .manifest
            .entries
            .iter()
            .filter(|x| x.superseded_by.as_deref() == Some(id) && known.contains(&x.id))
            .map(|x| x.id.as_str())
            .collect();
        let partial = if partial.is_empty() {
            String::new()
        } else {
            format!(" (a partial text is indexed: {})", partial.join(", "))
        };
        return format!(
            "{id} ({}) is missing: its file {} is not in the corpus folder {}{partial}; {}",
            e.symbol,
            e.file,
            env.corpus.display(),
            how_to_get(e)
        );
    }
    let mut near: Vec<(usize, &str)> = known
        .iter()
        .map(|k| {
            let d = if k.contains(id) || id.contains(k.as_str()) {
                0
            } else {
                edit_distance(id, k)
            };
            (d, k.as_str())
        })
        .collect();
    near.sort();
    let near: Vec<&str> = near.iter().take(3).map(|(_, k)| *k).collect();
    format!(
        "no indexed document {id:?}; did you mean {}? (`menutable docs` lists them all)",
        near.join(", ")
    )
}

/// What to do about a manifest document that is not in the corpus folder: fetch it from its
/// address, or (without one) put its file in place. Never an empty "get it from".
pub fn how_to_get(e: &crate::corpus::manifest::Entry) -> String {
    if e.url.trim().is_empty() {
        format!(
            "the manifest gives no address for it (no url): put its file at {} in the corpus folder, then run `menutable index`",
            e.file
        )
    } else {
        format!(
            "get it from {} (`menutable fetch --doc {}`), then run `menutable index`",
            e.url, e.id
        )
    }
}

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
