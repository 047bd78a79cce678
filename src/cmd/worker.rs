//! `menutable worker`: one JSON line per file of the corpus folder, holding what `index`
//! makes of it (see [`crate::index::worker`]); the Spark job runs it on each partition's files.

use std::io::Write;

use anyhow::{Context, Result};

use super::{Env, Outcome};
use crate::cli::WorkerArgs;
use crate::render::output::Format;

/// Runs the command: exit 0 when every file was read, 3 when some failed (their lines say
/// why).
pub fn run(env: &Env, args: &WorkerArgs, _format: Format, out: &mut dyn Write) -> Result<Outcome> {
    if !env.corpus.is_dir() {
        anyhow::bail!("corpus folder {} does not exist", env.corpus.display());
    }
    let only: Option<Vec<String>> = if args.stdin {
        let mut rels = Vec::new();
        for line in std::io::stdin().lines() {
            let line = line.context("reading the file list on standard input")?;
            let rel = line.trim().trim_start_matches("./");
            if !rel.is_empty() {
                rels.push(rel.to_string());
            }
        }
        Some(rels)
    } else {
        None
    };
    use crate::index::worker::Files;
    let which = match (&only, args.shard) {
        (Some(rels), _) => Files::Named(rels),
        (None, Some(s)) => Files::Shard(s),
        (None, None) => Files::All,
    };
    if args.list {
        let listed = crate::index::worker::listed(&env.corpus, which)
            .with_context(|| format!("reading {}", env.corpus.display()))?;
        for rel in listed {
            writeln!(out, "{rel}")?;
        }
        out.flush()?;
        return Ok(Outcome::Found);
    }
    let mut failed = false;
    // A write that fails (a closed pipe: `| head`) stops the run and is returned as itself, so
    // a broken pipe is the success it is everywhere else.
    let mut write_error: Option<std::io::Error> = None;
    let read = crate::index::worker::each_line(
        &env.corpus,
        &env.manifest,
        &env.lexicon,
        which,
        &mut |line| {
            failed |= line.status != "indexed";
            let wrote = serde_json::to_writer(&mut *out, line)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"));
            wrote.map_err(|e| {
                write_error = Some(e);
                crate::Error::Usage("stopped: the output cannot be written".into())
            })
        },
    );
    if let Some(e) = write_error {
        return Err(e.into());
    }
    read.with_context(|| format!("reading {}", env.corpus.display()))?;
    out.flush()?;
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Found
    })
}
