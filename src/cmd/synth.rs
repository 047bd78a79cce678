//! `menutable synth`: writes the deterministic synthetic corpus the benchmarks run on
//! (`scripts/bench.sh`); see `synth.rs` for what it looks like and why.

use std::io::Write;

use anyhow::Result;

use super::Outcome;
use crate::cli::SynthArgs;
use crate::render::output::{Format, Table, write_json};
use crate::synth::{self, Options};

/// Runs the command.
pub fn run(args: &SynthArgs, format: Format, out: &mut dyn Write) -> Result<Outcome> {
    let opts = Options {
        docs: args.docs,
        units_per_doc: args.units_per_doc,
        seed: args.seed,
    };
    let summary = if args.ms {
        synth::write_ms(&args.out, &opts)?
    } else {
        synth::write_text(&args.out, &opts)?
    };
    match format {
        Format::Json => write_json(&summary, out)?,
        _ => {
            let mut t = Table::new(&["files", "bytes", "words", "units", "planted"]);
            t.row(vec![
                summary.files.to_string(),
                summary.bytes.to_string(),
                summary.words.to_string(),
                summary.units.to_string(),
                summary.planted.to_string(),
            ]);
            t.write(format, out)?;
        }
    }
    Ok(Outcome::Found)
}
