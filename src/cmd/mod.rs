//! One file per subcommand. Each `run` writes to `out` and says whether it found anything
//! (exit 0) or nothing (exit 1); errors go up as anyhow errors (exit 2).

pub mod claims;
pub mod count;
pub mod docs;
pub mod export;
pub mod extract;

pub mod fetch;

pub mod index;
pub mod kwic;
pub mod report;
pub mod roles;

pub mod search;
pub mod synth;
pub mod text;

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::analysis::lexicon::Lexicon;
use crate::cli::Global;
use crate::corpus::manifest::{self, Manifest};
use crate::index::{DocHead, DocRecord, Store};

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
        })
    }

    /// Opens the existing index.
    pub fn store(&self) -> Result<Store> {
        Store::open(&self.index, false)
            .with_context(|| format!("opening the index in {}", self.index.display()))
    }
}

/// The indexed documents to work on: those named (each must exist), or all those counted in
/// totals (documents, not their parts; no text superseded by a fuller one).
pub fn select_docs(env: &Env, store: &Store, ids: &[String]) -> Result<Vec<DocRecord>> {
    select(
        env,
        store.docs()?,
        ids,
        |d| &d.meta.id,
        |d| d.units > 0 && d.meta.in_totals(),
    )
}

/// [`select_docs`] for document heads (what `count` reads).
pub fn select_heads(env: &Env, store: &Store, ids: &[String]) -> Result<Vec<DocHead>> {
    select(
        env,
        store.heads()?,
        ids,
        |d| &d.id,
        |d| d.units > 0 && d.in_totals,
    )
}

fn select<T: Clone>(
    env: &Env,
    all: Vec<T>,
    ids: &[String],
    id_of: impl Fn(&T) -> &str,
    by_default: impl Fn(&T) -> bool,
) -> Result<Vec<T>> {
    if ids.is_empty() {
        return Ok(all.into_iter().filter(by_default).collect());
    }
    let mut out = Vec::new();
    for id in ids {
        match all.iter().find(|d| id_of(d) == id) {
            Some(d) => out.push(d.clone()),
            None => {
                let known: Vec<&str> = all.iter().map(&id_of).collect();
                anyhow::bail!(crate::Error::Usage(not_indexed(env, id, &known)));
            }
        }
    }
    Ok(out)
}

/// The manifest's documents that are not indexed, each with why and where to get it: every
/// output over the whole corpus lists them, since an absence is a finding (`[]` when a
/// selection names documents).
pub fn missing_docs(env: &Env, store: &Store, ids: &[String]) -> Result<Vec<serde_json::Value>> {
    if !ids.is_empty() {
        return Ok(Vec::new());
    }
    // The head column (ids and sizes only), not the full records: `count` reads nothing more.
    let indexed: Vec<String> = store
        .heads()?
        .into_iter()
        .filter(|d| d.units > 0)
        .map(|d| d.id)
        .collect();
    let known: Vec<&str> = indexed.iter().map(String::as_str).collect();
    Ok(env
        .manifest
        .entries
        .iter()
        .filter(|e| !indexed.contains(&e.id))
        .map(|e| {
            serde_json::json!({
                "id": e.id, "symbol": e.symbol, "url": e.url,
                "reason": not_indexed(env, &e.id, &known),
            })
        })
        .collect())
}

/// Why `id` is not in the index, and what to do: a manifest document whose file is missing
/// says where to get it (and which partial text there is); an unknown id suggests the closest.
pub fn not_indexed(env: &Env, id: &str, known: &[&str]) -> String {
    if let Some(e) = env.manifest.by_id(id) {
        let partial: Vec<&str> = env
            .manifest
            .entries
            .iter()
            .filter(|x| x.superseded_by.as_deref() == Some(id) && known.contains(&x.id.as_str()))
            .map(|x| x.id.as_str())
            .collect();
        let partial = if partial.is_empty() {
            String::new()
        } else {
            format!(" (a partial text is indexed: {})", partial.join(", "))
        };
        return format!(
            "{id} ({}) is missing: its file {} is not in the corpus folder {}{partial}; get it from {} (`menutable fetch --doc {id}`), then run `menutable index`",
            e.symbol,
            e.file,
            env.corpus.display(),
            e.url
        );
    }
    let mut near: Vec<(usize, &str)> = known
        .iter()
        .map(|k| {
            let d = if k.contains(id) || id.contains(k) {
                0
            } else {
                edit_distance(id, k)
            };
            (d, *k)
        })
        .collect();
    near.sort();
    let near: Vec<&str> = near.iter().take(3).map(|(_, k)| *k).collect();
    format!(
        "no indexed document {id:?}; did you mean {}? (`menutable docs` lists them all)",
        near.join(", ")
    )
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
