//! `menutable extract`: raw text of files, without an index, for comparing with pdftotext and
//! for timing the extractor (files are read in parallel, one per core).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use rayon::prelude::*;

use super::Outcome;
use crate::cli::ExtractArgs;

/// Runs the command.
pub fn run(args: &ExtractArgs, out: &mut dyn Write) -> Result<Outcome> {
    if args.work {
        return work(args, out);
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    }
    let results: Vec<(PathBuf, crate::Result<String>)> = args
        .files
        .par_iter()
        .map(|f| (f.clone(), crate::extract::raw_text(f)))
        .collect();
    let mut failed = 0;
    for (path, result) in results {
        match result {
            Ok(text) => match &args.out {
                Some(dir) => {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let target = dir.join(format!("{name}.txt"));
                    std::fs::write(&target, text).map_err(|e| crate::Error::io(&target, e))?;
                }
                None => out.write_all(text.as_bytes())?,
            },
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

/// `extract --work`: the cost of reading each file, one JSON line each.
fn work(args: &ExtractArgs, out: &mut dyn Write) -> Result<Outcome> {
    let results: Vec<(PathBuf, crate::Result<crate::extract::budget::Work>)> = args
        .files
        .par_iter()
        .map(|f| (f.clone(), crate::extract::work(f)))
        .collect();
    let mut failed = 0;
    for (path, result) in results {
        match result {
            Ok(work) => {
                let row = FileWork {
                    file: path.display().to_string(),
                    work,
                };
                writeln!(out, "{}", serde_json::to_string(&row)?)?;
            }
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
