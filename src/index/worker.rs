//! The worker's lines: one JSON object per file of a corpus folder, holding exactly what
//! `index` makes of the file (its documents and parts with their records, units, text and
//! tallies, or why it fails), plus each document's mentions in context for tables. A cluster
//! (Spark) runs `menutable worker` on its share of the files; `index --from` reads the lines
//! back into the same update `index` runs, in place of reading the files: scanning,
//! identification, duplicates, planning and writing are `index`'s own, and extraction is the
//! same function ([`super::update::extract_file`]) with the same budgets, so an index built
//! from the lines is the index `index` builds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::update::{EXTRACTION_VERSION, Extracted, Report, Skip};
use crate::analysis::kwic::KwicLine;
use crate::analysis::lexicon::Lexicon;
use crate::corpus::manifest::Manifest;
use crate::corpus::{Found, Meta};
use crate::error::{Error, Result};

/// One file, as the worker writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileLine {
    /// Path relative to the corpus folder, with forward slashes.
    pub file: String,
    /// sha256 of its bytes ("" when it could not be read).
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: Option<u64>,
    /// `indexed` (its documents follow), `failed` (extraction failed: `reason`),
    /// `unreadable` (could not be read or is past its size budget) or `skipped` (not a
    /// document `index` reads).
    pub status: String,
    /// Why it failed or was skipped.
    pub reason: Option<String>,
    /// The extraction version that made it ([`EXTRACTION_VERSION`]).
    pub extraction_version: u32,
    /// Fingerprint of the lexicon its mentions were counted with.
    pub lexicon: String,
    /// Fingerprint of the role rules its mentions were classified with.
    pub roles: String,
    /// The lexicon's concepts, in its order (a table of counts has a row for each, zeros
    /// included).
    pub concepts: Vec<String>,
    /// The manifest's metadata it was read with (none: inferred from the text).
    pub meta: Option<Meta>,
    /// The document, then each of its parts.
    pub documents: Vec<DocLine>,
}

/// One document (or part) of a file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocLine {
    /// What `index` writes for it.
    #[serde(flatten)]
    pub extracted: Extracted,
    /// Every mention in context (tables of contents and names of instruments included,
    /// flagged), with role and citation: the rows of Spark's `mentions` table (`index
    /// --from` has no use for them: it reads the units and tallies).
    #[serde(skip_deserializing)]
    pub mentions: Vec<KwicLine>,
    /// Its counts per concept, term and name of an instrument, in `count`'s default scope
    /// and shape (`count --format json`'s document), from the same tally.
    #[serde(skip_deserializing)]
    pub counts: Option<crate::analysis::count::DocCount>,
}

/// Files read at once: the lines of one chunk are in memory, never the whole corpus's.
const CHUNK: usize = 32;

/// The line of every file in `corpus` (as `index` scans it; or of the files `only` names),
/// handed to `each` in order as they are made, [`CHUNK`] files at a time on the rayon pool: memory holds one chunk's lines.
pub fn each_line(
    corpus: &Path,
    manifest: &Manifest,
    lexicon: &Lexicon,
    only: Option<&[String]>,
    each: &mut dyn FnMut(&FileLine) -> Result<()>,
) -> Result<()> {
    use rayon::prelude::*;
    let mut report = Report::default();
    // The files named (paths relative to the corpus folder), or the folder scanned.
    let found = match only {
        Some(rels) => {
            let mut found = Vec::new();
            for rel in rels {
                match crate::corpus::found_at(corpus, rel) {
                    Ok(f) => found.push(f),
                    Err(u) => report.failed.push(Skip {
                        file: u.rel,
                        reason: u.reason,
                    }),
                }
            }
            found
        }
        None => super::update::scan(corpus, &Default::default(), &mut report)?,
    };
    let mut others: Vec<FileLine> = report
        .failed
        .iter()
        .map(|s| (s, "unreadable"))
        .chain(report.skipped.iter().map(|s| (s, "skipped")))
        .map(|(s, status)| FileLine {
            status: status.into(),
            reason: Some(s.reason.clone()),
            ..blank(&s.file, lexicon)
        })
        .collect();
    others.sort_by(|a, b| a.file.cmp(&b.file));
    for chunk in found.chunks(CHUNK) {
        let lines: Vec<FileLine> = chunk
            .par_iter()
            .map(|f| line_of(f, manifest, lexicon))
            .collect();
        for l in &lines {
            each(l)?;
        }
    }
    for l in &others {
        each(l)?;
    }
    Ok(())
}

fn blank(file: &str, lexicon: &Lexicon) -> FileLine {
    FileLine {
        file: file.to_string(),
        sha256: String::new(),
        bytes: 0,
        mtime: None,
        status: String::new(),
        reason: None,
        extraction_version: EXTRACTION_VERSION,
        lexicon: lexicon.fingerprint().to_string(),
        roles: crate::analysis::roles::fingerprint(lexicon),
        concepts: lexicon
            .concept_ids()
            .into_iter()
            .map(str::to_string)
            .collect(),
        meta: None,
        documents: Vec::new(),
    }
}

/// The line of one file: identified by the manifest as `index` identifies it, extracted by
/// `index`'s own function.
pub fn line_of(f: &Found, manifest: &Manifest, lexicon: &Lexicon) -> FileLine {
    let meta = super::update::identify(manifest, f);
    let mut line = FileLine {
        sha256: f.sha256.clone(),
        bytes: f.bytes,
        mtime: f.mtime,
        meta: meta.clone(),
        ..blank(&f.rel, lexicon)
    };
    match super::update::extract_file(f, meta, lexicon) {
        Ok(exs) => {
            line.status = "indexed".into();
            line.documents = exs
                .into_iter()
                .map(|ex| DocLine {
                    mentions: mentions_of(&ex, lexicon),
                    counts: ex.record.tally.as_ref().map(|t| {
                        crate::analysis::count::from_tally(
                            lexicon,
                            &ex.record.head(),
                            t,
                            Default::default(),
                        )
                    }),
                    extracted: ex,
                })
                .collect();
        }
        Err(reason) => {
            line.status = "failed".into();
            line.reason = Some(reason);
        }
    }
    line
}

/// Every mention of a document, tables of contents and names included (flagged), as `kwic`
/// would list them with `--include-toc --names`.
fn mentions_of(ex: &Extracted, lexicon: &Lexicon) -> Vec<KwicLine> {
    let scope = crate::analysis::scope::Scope {
        toc: true,
        footnotes: true,
        names: true,
    };
    let opts = crate::analysis::kwic::KwicOptions::every_mention(60, scope);
    let matcher = lexicon.matcher(&ex.record.meta.language);
    crate::analysis::kwic::kwic_extracted(&matcher, &ex.record, &ex.seg.units, &ex.seg.text, &opts)
        .unwrap_or_default()
}

/// The worker's lines read back (`index --from`), by file.
pub struct Prepared {
    lines: Mutex<HashMap<String, FileLine>>,
    /// Where they were read from (named in errors).
    pub dir: PathBuf,
    listed: Vec<FileLine>,
}

impl Prepared {
    /// Reads every worker line under `dir`: files named `*.jsonl`, or `part-*` (Spark's text
    /// output) that are not Parquet. A line that does not parse is an error naming its file
    /// and line.
    pub fn read(dir: &Path) -> Result<Prepared> {
        let mut files = Vec::new();
        collect(dir, &mut files)?;
        if files.is_empty() {
            return Err(Error::Usage(format!(
                "no worker lines in {}: `--from` takes the folder the Spark job wrote (its jsonl/ part files) or .jsonl files of `menutable worker`",
                dir.display()
            )));
        }
        let mut lines = HashMap::new();
        let mut listed = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            for (k, raw) in text.lines().enumerate() {
                if raw.trim().is_empty() {
                    continue;
                }
                let line: FileLine = serde_json::from_str(raw).map_err(|e| {
                    Error::Usage(format!(
                        "{} line {}: not a worker line: {e}",
                        path.display(),
                        k + 1
                    ))
                })?;
                listed.push(FileLine {
                    documents: Vec::new(),
                    ..line.clone()
                });
                lines.insert(line.file.clone(), line);
            }
        }
        Ok(Prepared {
            lines: Mutex::new(lines),
            dir: dir.to_path_buf(),
            listed,
        })
    }

    /// The files as `index`'s scan would have found them; those the worker could not read or
    /// skipped go to the report, as the scan's would.
    pub fn scan(&self, report: &mut Report) -> Vec<Found> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for l in &self.listed {
            if !seen.insert(l.file.clone()) {
                continue;
            }
            let skip = || Skip {
                file: l.file.clone(),
                reason: l.reason.clone().unwrap_or_default(),
            };
            match l.status.as_str() {
                "unreadable" => report.failed.push(skip()),
                "skipped" => report.skipped.push(skip()),
                _ => out.push(Found {
                    path: self.dir.join(&l.file),
                    rel: l.file.clone(),
                    sha256: l.sha256.clone(),
                    bytes: l.bytes,
                    mtime: l.mtime,
                }),
            }
        }
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        out
    }

    /// What the worker made of `f`, read with `meta` (the metadata this run's manifest gives
    /// it), or why it cannot be used: another extraction version, lexicon, role rules or
    /// metadata than this run's would make another index.
    pub fn take(
        &self,
        f: &Found,
        meta: Option<&Meta>,
    ) -> std::result::Result<Vec<Extracted>, String> {
        let line = self
            .lines
            .lock()
            .ok()
            .and_then(|mut l| l.remove(&f.rel))
            .ok_or_else(|| format!("no worker line for {}", f.rel))?;
        let hash = |m: Option<&Meta>| m.map(super::update::meta_fingerprint);
        let differs = if line.sha256 != f.sha256 {
            Some("other bytes".to_string())
        } else if line.extraction_version != EXTRACTION_VERSION {
            Some(format!(
                "extraction version {} (this menutable's is {EXTRACTION_VERSION})",
                line.extraction_version
            ))
        } else if hash(line.meta.as_ref()) != hash(meta) {
            Some("other metadata than this manifest gives it".into())
        } else {
            None
        };
        if let Some(why) = differs {
            return Err(format!(
                "the worker read {} with {why}: run the worker (the Spark job) again with this menutable and manifest",
                f.rel
            ));
        }
        match line.status.as_str() {
            "indexed" => Ok(line.documents.into_iter().map(|d| d.extracted).collect()),
            _ => Err(line.reason.unwrap_or_else(|| "failed".into())),
        }
    }
}

/// Every worker-line file under `dir`, sorted.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            collect(&p, out)?;
        } else if name.ends_with(".jsonl")
            || (name.starts_with("part-") && !name.ends_with(".parquet") && !name.ends_with(".crc"))
        {
            out.push(p);
        }
    }
    Ok(())
}
