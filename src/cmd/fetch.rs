//! `menutable fetch` and `menutable update`: bring the corpus folder and the index up to date,
//! for a person or for cron.

use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Result;

use super::{Env, Outcome};
use crate::cli::{FetchArgs, UpdateArgs};
use crate::corpus::fetch::{FetchOptions, Fetched, fetch_one};
use crate::render::output::{Format, Table, write_json};

fn fetch_all(env: &Env, ids: &[String], timeout: u64) -> Result<Vec<Fetched>> {
    for id in ids {
        if env.manifest.by_id(id).is_none() {
            anyhow::bail!(crate::Error::Usage(format!(
                "no document {id:?} in the manifest"
            )));
        }
    }
    let opts = FetchOptions {
        timeout: Duration::from_secs(timeout.max(1)),
        ..FetchOptions::default()
    };
    std::fs::create_dir_all(&env.corpus).map_err(|e| crate::Error::io(&env.corpus, e))?;
    let entries: Vec<_> = env
        .manifest
        .entries
        .iter()
        .filter(|e| ids.is_empty() || ids.contains(&e.id))
        .collect();
    let bar = super::progress::Progress::new(entries.len() as u64, "documents", env.progress);
    let fetched = entries
        .into_iter()
        .map(|e| {
            let f = fetch_one(e, &env.corpus, &opts);
            bar.inc(1);
            f
        })
        .collect();
    bar.finish();
    Ok(fetched)
}

/// `menutable fetch`
pub fn run_fetch(
    env: &Env,
    args: &FetchArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let results = fetch_all(env, &args.docs, args.timeout)?;
    match format {
        Format::Json => write_json(&serde_json::json!({ "documents": results }), out)?,
        _ => {
            let mut t = Table::new(&["document", "status", "detail"]);
            for r in &results {
                t.row(vec![r.id.clone(), r.status.clone(), r.detail.clone()]);
            }
            t.write(format, out)?;
        }
    }
    for r in results.iter().filter(|r| r.status == "failed") {
        eprintln!("menutable: {}: {}", r.id, r.detail);
    }
    Ok(if results.iter().any(|r| r.status == "failed") {
        Outcome::Partial
    } else {
        Outcome::Found
    })
}

/// UTC time as RFC 3339, from the system clock (no time-zone database needed).
pub(crate) fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `menutable update`: fetch (unless --offline), then index; one log line per run.
pub fn run_update(
    env: &Env,
    args: &UpdateArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let started = Instant::now();
    let fetched = if args.offline {
        Vec::new()
    } else {
        fetch_all(env, &[], args.timeout)?
    };
    let fetch_failed = fetched.iter().filter(|r| r.status == "failed").count();
    let new_files = fetched.iter().filter(|r| r.status == "fetched").count();
    let (outcome, report) = super::index::update_index(env, false)?;
    let changed = report.added.len() + report.replaced.len() + report.removed.len();
    let line = format!(
        "{} menutable update: {}; fetched {new_files}, fetch failed {fetch_failed}; index added {}, replaced {}, removed {}, failed {}, flagged {}; {:.1}s",
        now_utc(),
        if changed == 0 && new_files == 0 && fetch_failed == 0 && report.failed.is_empty() {
            "up to date, nothing changed"
        } else {
            "updated"
        },
        report.added.len(),
        report.replaced.len(),
        report.removed.len(),
        report.failed.len(),
        report.flagged.len(),
        started.elapsed().as_secs_f64()
    );
    // The summary, then one indented line per thing that went wrong, naming it.
    let mut lines = vec![line.clone()];
    for r in fetched.iter().filter(|r| r.status == "failed") {
        lines.push(format!("  fetch failed {}: {}", r.id, r.detail));
    }
    lines.extend(
        super::index::problems(&report)
            .iter()
            .map(|l| format!("  {l}")),
    );
    match &args.log {
        Some(path) => {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| crate::Error::io(path, e))?;
            for l in &lines {
                writeln!(f, "{l}").map_err(|e| crate::Error::io(path, e))?;
            }
        }
        None => {
            for l in &lines {
                eprintln!("{l}");
            }
        }
    }
    if format == Format::Json {
        write_json(
            &serde_json::json!({ "fetched": fetched, "index": report, "log": line }),
            out,
        )?;
    }
    Ok(if fetch_failed > 0 || outcome == Outcome::Partial {
        Outcome::Partial
    } else {
        Outcome::Found
    })
}
