//! `menutable worker`: one JSON line per file of the corpus folder, holding what `index`
//! makes of it (see [`crate::index::worker`]); the Spark job runs it on each partition's files.

use std::io::Write;

use anyhow::{Context, Result};

use super::{Env, Outcome};
use crate::cli::WorkerArgs;
use crate::render::output::Format;

/// Runs the command: exit 0 when every file was read, 3 when some failed (their lines say
/// why).
pub fn run(env: &Env, _args: &WorkerArgs, _format: Format, out: &mut dyn Write) -> Result<Outcome> {
    if !env.corpus.is_dir() {
        anyhow::bail!("corpus folder {} does not exist", env.corpus.display());
    }
    let mut failed = false;
    crate::index::worker::each_line(&env.corpus, &env.manifest, &env.lexicon, &mut |line| {
        failed |= line.status != "indexed";
        serde_json::to_writer(&mut *out, line).map_err(|e| crate::Error::Usage(e.to_string()))?;
        out.write_all(b"\n")
            .map_err(|e| crate::Error::io(std::path::Path::new("<stdout>"), e))
    })
    .with_context(|| format!("reading {}", env.corpus.display()))?;
    out.flush()?;
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Found
    })
}
