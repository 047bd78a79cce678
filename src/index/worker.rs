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
    /// The extraction version that made it ([`EXTRACTION_VERSION`]); none in the line the
    /// Spark job writes for a file no worker gave a line for (it killed the worker).
    pub extraction_version: Option<u32>,
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

/// Which files of a corpus folder a worker reads.
#[derive(Debug, Clone, Copy)]
pub enum Files<'a> {
    /// Every file, as `index` scans the folder.
    All,
    /// The files of one share of the folder, as `index` scans it (`--shard K/N`).
    Shard(crate::corpus::Shard),
    /// The files named, by path relative to the folder (`--stdin`).
    Named(&'a [String]),
}

/// The files `which` selects, found (read and hashed) as `index` finds them; the others
/// (unreadable, refused) in `report`.
fn found(corpus: &Path, which: Files, report: &mut Report) -> Result<Vec<Found>> {
    Ok(match which {
        Files::Named(rels) => {
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
        Files::All => super::update::scan(corpus, &Default::default(), None, report)?,
        Files::Shard(s) => super::update::scan(corpus, &Default::default(), Some(&s), report)?,
    })
}

/// The files `which` selects that a worker would extract (`worker --list`), by path relative
/// to the folder, in the order it reads them.
pub fn listed(corpus: &Path, which: Files) -> Result<Vec<String>> {
    let mut report = Report::default();
    Ok(found(corpus, which, &mut report)?
        .into_iter()
        .map(|f| f.rel)
        .collect())
}

/// The line of every file `which` selects in `corpus`, handed to `each` as they are made:
/// first the files that cannot be read or are refused (cheap, so a worker that dies later has
/// said them already), then the documents, [`CHUNK`] files at a time on the rayon pool:
/// memory holds one chunk's lines.
pub fn each_line(
    corpus: &Path,
    manifest: &Manifest,
    lexicon: &Lexicon,
    which: Files,
    each: &mut dyn FnMut(&FileLine) -> Result<()>,
) -> Result<()> {
    use rayon::prelude::*;
    let mut report = Report::default();
    let found = found(corpus, which, &mut report)?;
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
    for l in &others {
        each(l)?;
    }
    for chunk in found.chunks(CHUNK) {
        let lines: Vec<FileLine> = chunk
            .par_iter()
            .map(|f| line_of(f, manifest, lexicon))
            .collect();
        for l in &lines {
            each(l)?;
        }
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
        extraction_version: Some(EXTRACTION_VERSION),
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

/// The worker's lines read back (`index --from`): where each file's line is, never the lines
/// themselves. A line holds a file's whole text and units (850 MB of lines for 10,000
/// documents): reading them all first made `index --from` hold them all (1.2 GB at 10,000,
/// a hundred times that at a million documents), so each is read again when its file's turn
/// comes, and memory holds a batch of lines at most, as `index` holds a batch of files.
pub struct Prepared {
    /// Where they were read from (named in errors).
    pub dir: PathBuf,
    /// The line files, in the order read.
    files: Vec<PathBuf>,
    /// Each line's head, in the order read.
    heads: Vec<Head>,
    /// Each file's line (the last, when a file has several): which line file, at what offset,
    /// how long.
    at: HashMap<String, (usize, u64, usize)>,
    /// This run's lexicon and role-rule fingerprints: a line counted with others is refused.
    lexicon: String,
    roles: String,
}

/// The first fields of a line, all `scan` needs (serde skips the documents).
#[derive(Deserialize)]
struct Head {
    file: String,
    sha256: String,
    bytes: u64,
    mtime: Option<u64>,
    status: String,
    reason: Option<String>,
}

impl Prepared {
    /// Reads the head of every worker line under `dir`: files named `*.jsonl`, or `part-*`
    /// (Spark's text output) that are not Parquet. A line that does not parse is an error
    /// naming its file and line.
    pub fn read(dir: &Path, lexicon: &Lexicon) -> Result<Prepared> {
        let mut files = Vec::new();
        collect(dir, &mut files)?;
        if files.is_empty() {
            return Err(Error::Usage(format!(
                "no worker lines in {}: `--from` takes the folder the Spark job wrote (its jsonl/ part files) or .jsonl files of `menutable worker`",
                dir.display()
            )));
        }
        let mut p = Prepared {
            dir: dir.to_path_buf(),
            files: Vec::new(),
            heads: Vec::new(),
            at: HashMap::new(),
            lexicon: lexicon.fingerprint().to_string(),
            roles: crate::analysis::roles::fingerprint(lexicon),
        };
        for path in files {
            p.read_heads(&path)?;
            p.files.push(path);
        }
        Ok(p)
    }

    /// The heads of one line file's lines, and where each line is.
    fn read_heads(&mut self, path: &Path) -> Result<()> {
        use std::io::BufRead;
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut input = std::io::BufReader::with_capacity(1 << 20, file);
        let (mut raw, mut offset, mut k) = (Vec::new(), 0u64, 0usize);
        loop {
            raw.clear();
            let n = input
                .read_until(b'\n', &mut raw)
                .map_err(|e| Error::io(path, e))?;
            if n == 0 {
                return Ok(());
            }
            k += 1;
            let at = offset;
            offset += n as u64;
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let head: Head = serde_json::from_slice(&raw).map_err(|e| not_a_line(path, k, e))?;
            self.at.insert(head.file.clone(), (self.files.len(), at, n));
            self.heads.push(head);
        }
    }

    /// The whole line of `rel`, read again from its line file.
    fn line(&self, rel: &str) -> std::result::Result<FileLine, String> {
        use std::io::{Read, Seek};
        let &(k, at, len) = self
            .at
            .get(rel)
            .ok_or_else(|| format!("no worker line for {rel}"))?;
        let path = &self.files[k];
        let mut raw = vec![0; len];
        std::fs::File::open(path)
            .and_then(|mut f| {
                f.seek(std::io::SeekFrom::Start(at))?;
                f.read_exact(&mut raw)
            })
            .map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_slice(&raw)
            .map_err(|e| format!("{}: not a worker line: {e}", path.display()))
    }

    /// The files as `index`'s scan would have found them; those the worker could not read or
    /// skipped go to the report, as the scan's would.
    pub fn scan(&self, report: &mut Report) -> Vec<Found> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for l in &self.heads {
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
        let line = self.line(&f.rel)?;
        if line.status != "indexed" {
            // Nothing of it is indexed: why is all there is to keep.
            return Err(line.reason.unwrap_or_else(|| "failed".into()));
        }
        if let Some(why) = self.differs(&line, f, meta) {
            return Err(format!(
                "the worker read {} with {why}: run the worker (the Spark job) again with this menutable, manifest and lexicon",
                f.rel
            ));
        }
        Ok(line.documents.into_iter().map(|d| d.extracted).collect())
    }

    /// How `line` was made otherwise than this run would make it, if it was.
    fn differs(&self, line: &FileLine, f: &Found, meta: Option<&Meta>) -> Option<String> {
        let hash = |m: Option<&Meta>| m.map(super::update::meta_fingerprint);
        if line.sha256 != f.sha256 {
            Some("other bytes".to_string())
        } else if line.extraction_version != Some(EXTRACTION_VERSION) {
            Some(format!(
                "extraction version {} (this menutable's is {EXTRACTION_VERSION})",
                line.extraction_version.unwrap_or(0)
            ))
        } else if line.lexicon != self.lexicon {
            Some("another lexicon than this run's".into())
        } else if line.roles != self.roles {
            Some("other role rules than this menutable's".into())
        } else if hash(line.meta.as_ref()) != hash(meta) {
            Some("other metadata than this manifest gives it".into())
        } else {
            None
        }
    }
}

fn not_a_line(path: &Path, k: usize, e: serde_json::Error) -> Error {
    Error::Usage(format!(
        "{} line {k}: not a worker line: {e}",
        path.display()
    ))
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
