//! `menutable index`: build or update the index, and say what changed.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};

use super::{Env, Outcome};
use crate::cli::IndexArgs;
use crate::index::{Report, Store, UNCHANGED, UpdateOptions, update};

use crate::render::output::{Format, Table, write_json};

/// Updates the index under its lock: (Found, or Partial when some files failed; the report).
pub fn update_index(env: &Env, rebuild: bool) -> Result<(Outcome, Report)> {
    update_index_from(env, rebuild, None)
}

/// [`update_index`], from the worker's lines in `from` when given (`index --from`).
pub fn update_index_from(
    env: &Env,
    rebuild: bool,
    from: Option<&std::path::Path>,
) -> Result<(Outcome, Report)> {
    let prepared = from
        .map(|dir| crate::index::worker::Prepared::read(dir, &env.lexicon))
        .transpose()?;
    if prepared.is_none() && !env.corpus.is_dir() {
        anyhow::bail!(
            "corpus folder {} does not exist: fill it with scripts/get-corpus.sh, or pass --corpus (without flags the folders are those of {})",
            env.corpus.display(),
            crate::corpus::project::looked()
        );
    }
    let _lock = crate::corpus::lock::Lock::acquire(&env.index)?;
    let mut store = Store::open(&env.index, true)
        .with_context(|| format!("opening the index in {}", env.index.display()))?;
    if rebuild {
        // `--rebuild` is the way out of any index state: one whose records cannot be read
        // (left by a broken or older run) is built again from the corpus folder.
        if let Err(e) = store.docs() {
            eprintln!(
                "menutable: the index in {} cannot be read ({e}); building it again from the corpus",
                env.index.display()
            );
            drop(store);
            store = Store::recreate(&env.index)
                .with_context(|| format!("recreating the index in {}", env.index.display()))?;
        }
    }
    let bar = super::progress::Progress::new(0, "files", env.progress);
    let tell = |done: usize, total: usize| bar.at(done as u64, total as u64);
    let report = update(
        &store,
        &UpdateOptions {
            corpus: &env.corpus,
            manifest: &env.manifest,
            rebuild,
            lexicon: &env.lexicon,
            threads: env.threads,
            progress: Some(&tell),
            from: prepared.as_ref(),
        },
    );
    bar.finish();
    let report = report?;
    let outcome = if report.failed.is_empty() {
        Outcome::Found
    } else {
        Outcome::Partial
    };
    Ok((outcome, report))
}

/// Runs the command.
pub fn run(env: &Env, args: &IndexArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let started = Instant::now();
    let (outcome, report) = update_index_from(env, args.rebuild, args.from.as_deref())?;
    match format {
        Format::Json => write_json(&report, out)?,
        _ => {
            let mut t = Table::new(&["action", "document", "reason"]);
            for id in &report.added {
                t.row(vec!["added".into(), id.clone(), String::new()]);
            }
            for id in &report.replaced {
                t.row(vec!["replaced".into(), id.clone(), String::new()]);
            }
            for m in &report.moved {
                t.row(vec!["moved".into(), m.file.clone(), m.reason.clone()]);
            }
            for id in &report.removed {
                t.row(vec![
                    "removed".into(),
                    id.clone(),
                    "file no longer in the corpus folder".into(),
                ]);
            }
            // Quiet by default: what changed, and why anything was not read; not the long
            // list of unchanged files (the summary counts them).
            for s in &report.skipped {
                if args.verbose || s.reason != UNCHANGED {
                    t.row(vec!["skipped".into(), s.file.clone(), s.reason.clone()]);
                }
            }
            for s in &report.failed {
                t.row(vec!["failed".into(), s.file.clone(), s.reason.clone()]);
            }
            for s in &report.flagged {
                t.row(vec!["flagged".into(), s.file.clone(), s.reason.clone()]);
            }
            t.write(format, out)?;
        }
    }
    eprintln!(
        "menutable index: {} added, {} replaced, {}{} removed, {} skipped, {} failed, {} flagged in {:.1}s ({})",
        report.added.len(),
        report.replaced.len(),
        if report.moved.is_empty() {
            String::new()
        } else {
            format!("{} moved, ", report.moved.len())
        },
        report.removed.len(),
        report.skipped.len(),
        report.failed.len(),
        report.flagged.len(),
        started.elapsed().as_secs_f64(),
        env.index.display()
    );
    for line in problems(&report) {
        eprintln!("menutable: {line}");
    }
    dropped_files(env, &report);
    Ok(outcome)
}

/// One line per file that failed or was flagged, with its reason: what a cron mail must say.
pub fn problems(report: &Report) -> Vec<String> {
    let failed = report.failed.iter().map(|s| ("failed", s));
    let flagged = report.flagged.iter().map(|s| ("flagged", s));
    failed
        .chain(flagged)
        .map(|(what, s)| format!("{what} {}: {}", s.file, s.reason))
        .collect()
}

/// Files added that the manifest does not list get their next step: the entry to paste (the
/// first few; `menutable docs` shows every one).
fn dropped_files(env: &Env, report: &Report) {
    let unlisted: Vec<&String> = report
        .added
        .iter()
        .filter(|id| env.manifest.by_id(id).is_none())
        .collect();
    if unlisted.is_empty() {
        return;
    }
    let Ok(docs) = Store::open(&env.index, false).and_then(|s| s.docs()) else {
        return;
    };
    const SHOWN: usize = 3;
    for id in unlisted.iter().take(SHOWN) {
        if let Some(d) = docs
            .iter()
            .find(|d| &&d.meta.id == id && d.meta.part_of.is_none())
        {
            eprintln!(
                "menutable: {} is not in the manifest (kind \"unknown\"); to give it a title, year and kind, add to corpus/manifest.toml:\n{}",
                d.file,
                crate::corpus::manifest::entry_to_paste(&d.meta, &d.file, &d.sha256)
            );
        }
    }
    if unlisted.len() > SHOWN {
        eprintln!(
            "menutable: {} more files are not in the manifest; `menutable docs` shows the entry to paste for each",
            unlisted.len() - SHOWN
        );
    }
}
