//! `menutable extract`: raw text of files, without an index, for comparing with pdftotext and
//! for timing the extractor (files are read in parallel, one per core); `--work` prints what
//! reading each file cost, the measure the extraction budgets are derived from.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use super::Outcome;
use crate::cli::ExtractArgs;

/// Runs the command.
pub fn run(args: &ExtractArgs, out: &mut dyn Write) -> Result<Outcome> {
    if args.work {
        return each_file(args, crate::extract::work, |path, work| {
            let row = FileWork {
                file: path.display().to_string(),
                work,
            };
            writeln!(out, "{}", serde_json::to_string(&row)?)?;
            Ok(())
        });
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    }
    each_file(args, crate::extract::raw_text, |path, text| {
        match &args.out {
            Some(dir) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let target = dir.join(format!("{name}.txt"));
                std::fs::write(&target, text).map_err(|e| crate::Error::io(&target, e))?;
            }
            None => out.write_all(text.as_bytes())?,
        }
        Ok(())
    })
}

/// Reads every file with `read` on all cores, then hands each result to `write` in the order
/// given; a file that fails is named on stderr and the command fails after the others.
fn each_file<T: Send>(
    args: &ExtractArgs,
    read: fn(&Path) -> crate::Result<T>,
    mut write: impl FnMut(&Path, T) -> Result<()>,
) -> Result<Outcome> {
    let results: Vec<(PathBuf, crate::Result<T>)> = args
        .files
        .par_iter()
        .map(|f| (f.clone(), read(f)))
        .collect();
    let mut failed = 0;
    for (path, result) in results {
        match result {
            Ok(v) => write(&path, v)?,
            Err(e) => {
                failed += 1;
                eprintln!("menutable: {e}");
            }
        }
    }
    if failed > 0 {
        anyhow::bail!(
            "{failed} of {} file(s) could not be extracted",
            args.files.len()
        );
    }
    Ok(Outcome::Found)
}

/// One file's cost, as `extract --work` prints it.
#[derive(serde::Serialize)]
struct FileWork {
    file: String,
    #[serde(flatten)]
    work: crate::extract::budget::Work,
}
