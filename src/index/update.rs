//! `update`: the corpus folder into the index, incrementally, one file per id, failures
//! keeping the last good version, all in one commit.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::schema::{self, Fields};
use crate::corpus::manifest::Manifest;
use crate::corpus::{self, Found, Meta};
use crate::error::{Error, Result};
use crate::extract;
use crate::extract::segment::{self, Unit, UnitKind};

use super::tally::{RoleTally, WordTally};
use super::{DocRecord, Store};

/// What one `update` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Ids of documents indexed for the first time.
    pub added: Vec<String>,
    /// Ids of documents whose file or metadata changed.
    pub replaced: Vec<String>,
    /// Ids of documents whose file is gone.
    pub removed: Vec<String>,
    /// Documents whose file is still there under another id (a dropped file given its
    /// manifest entry): the old id, and what it is now.
    pub moved: Vec<Skip>,
    /// Files not read again or not indexed, with why.
    pub skipped: Vec<Skip>,
    /// Files that failed, with why.
    pub failed: Vec<Skip>,
    /// Files indexed with something a reader should know: a quality flag, a sha256 that is
    /// not the manifest's, a document whose file changed.
    pub flagged: Vec<Skip>,
}

/// The reason of a file skipped because nothing about it changed.
pub const UNCHANGED: &str = "unchanged";

/// A file and a reason.
#[derive(Debug, Clone, Serialize)]
pub struct Skip {
    /// The file (relative to the corpus folder) or document id.
    pub file: String,
    /// Why.
    pub reason: String,
}

/// Options of an index update.
pub struct UpdateOptions<'a> {
    /// The corpus folder.
    pub corpus: &'a Path,
    /// The manifest.
    pub manifest: &'a Manifest,
    /// Re-read every file even when unchanged.
    pub rebuild: bool,
    /// The lexicon whose mentions are counted at index time.
    pub lexicon: &'a crate::analysis::lexicon::Lexicon,
    /// Threads for extraction and for tantivy's indexing.
    pub threads: usize,
    /// Told (files written, files to read) after each file (a progress bar).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Files already extracted by `menutable worker` (`index --from`): the corpus folder is
    /// not read, these are; everything else is as `index` does it.
    pub from: Option<&'a super::worker::Prepared>,
}

/// Files are extracted and handed to the index writer in batches of about this many input
/// bytes, so memory stays bounded whatever the corpus size (the writer's own budget is
/// [`WRITER_BUDGET`]).
const BATCH_BYTES: u64 = 32 << 20;
/// At most this many files per batch.
const BATCH_FILES: usize = 512;
/// tantivy's indexing memory, all threads together.
const WRITER_BUDGET: usize = 128 << 20;

/// What `index` makes of one document (or part) of a file: its record, units and text, and
/// its word and role tallies. `menutable worker` writes it as JSON; `index --from` reads it
/// back and writes it to the index as `index` would have.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Extracted {
    /// The document's record (metadata, figures, mention tally).
    pub record: DocRecord,
    /// Its units and whole text.
    pub seg: segment::Segmented,
    /// Every word's count, per part.
    pub words: WordTally,
    /// Mentions per role, per part and term.
    pub roles: RoleTally,
}

/// Bump when extraction, normalisation or segmentation changes what a file yields: documents
/// indexed by another version are then read again by the next `index`, unchanged or not.
pub const EXTRACTION_VERSION: u32 = 20;

/// Fingerprint of what a document was indexed with: its metadata and the extraction version.
fn meta_hash(meta: &Meta) -> String {
    let json = serde_json::to_string(meta).unwrap_or_default();
    corpus::sha256_hex(format!("{EXTRACTION_VERSION}\n{json}").as_bytes())[..16].to_string()
}

/// Brings the index up to date with the corpus folder: scan, identify, decide what to read,
/// then read in batches feeding the writer, and commit once.
pub fn update(store: &Store, opts: &UpdateOptions) -> Result<Report> {
    let mut report = Report::default();
    let previous: HashMap<String, DocRecord> = store
        .docs()?
        .iter()
        .map(|d| (d.meta.id.clone(), d.clone()))
        .collect();
    // A file read well last time, with the same size and modification time, keeps its sha256
    // without being read (`--rebuild` hashes every file).
    let known: corpus::Known = if opts.rebuild {
        corpus::Known::default()
    } else {
        previous
            .values()
            .filter(|r| r.error.is_none())
            .filter_map(|r| Some((r.file.clone(), (r.bytes, r.mtime?, r.sha256.clone()))))
            .collect()
    };
    let found = match opts.from {
        Some(p) => p.scan(&mut report),
        None => scan(opts.corpus, &known, None, &mut report)?,
    };
    if found.is_empty() {
        return Err(Error::EmptyCorpus {
            path: opts.corpus.to_path_buf(),
            refused: report.failed.len() + report.skipped.len(),
            indexed: previous.len(),
        });
    }
    let todo = identify_all(opts.manifest, &found, &mut report);
    let (todo, collided) = one_file_per_id(opts.manifest, todo, &mut report);
    let files_now: HashMap<String, String> = todo
        .iter()
        .map(|(f, meta)| (f.rel.clone(), id_of(f, meta.as_ref())))
        .collect();
    let (work, present) = plan(opts, &previous, todo, collided, &mut report);

    // Batches of files: each is extracted in parallel (one file per task; pages inside a file
    // stay in order), then handed to the writer, whose threads index it while the next batch
    // is extracted. One commit at the end; files the last run died reading are read after a
    // first commit, one at a time (see `journal`).
    let (journal, leftovers) = crate::index::journal::Journal::open(&store.dir, opts.rebuild)?;
    let (work, alone) = triage(work, &leftovers);
    if work.is_empty() && alone.is_empty() && previous.keys().all(|id| present.contains(id)) {
        // Nothing to read and nothing gone (a cron job's usual run): no writer, no commit.
        // Opening tantivy's writer and committing nothing took 50 ms of a 60 ms run at 100
        // documents.
        journal.finish();
        return Ok(report);
    }
    let to_read = work.len() + alone.len();
    let mut read = 0;
    let mut batches = batches_of(work);
    let first_alone = batches.len();
    batches.extend(alone.into_iter().map(|job| vec![job]));

    let threads = opts.threads.clamp(1, 8);
    let mut writer: IndexWriter = store
        .index
        .writer_with_num_threads(threads, WRITER_BUDGET.max(threads * (16 << 20)))
        .map_err(|e| store.err(e))?;
    // Files a killed or failed run left behind (segments never committed) take disk space:
    // the last commit does not reference them, so they go.
    let _ = writer.garbage_collect_files().wait();
    // Extraction of the next batch (on the rayon pool) overlaps with adding this one to the
    // writer: a producer thread hands over one batch at a time (at most two in memory).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(1);
    let (ack_tx, ack_rx) = std::sync::mpsc::channel::<()>();
    let lexicon = opts.lexicon;
    let journal_ref = &journal;
    let extract_all = move || {
        for (k, batch) in batches.into_iter().enumerate() {
            let alone = k >= first_alone;
            if alone && k > 0 {
                // Everything read so far is committed before each suspect is read again.
                if tx.send(Msg::Commit).is_err() || ack_rx.recv().is_err() {
                    break;
                }
            }
            let results: Batch = batch
                .into_par_iter()
                .map(|(id, f, meta)| {
                    let r = meta.and_then(|m| match opts.from {
                        Some(p) => p.take(&f, m.as_ref()),
                        None => read_one(journal_ref, &f, m, lexicon, alone),
                    });
                    (id, f, r)
                })
                .collect();
            if tx.send(Msg::Batch(results)).is_err() {
                break; // the writer stopped (an error): no more work
            }
        }
    };
    let mut write = |rx: std::sync::mpsc::Receiver<Msg>| -> Result<()> {
        for msg in rx {
            let results = match msg {
                Msg::Batch(b) => b,
                Msg::Commit => {
                    writer.commit().map_err(|e| store.err(e))?;
                    let _ = ack_tx.send(());
                    continue;
                }
            };
            for (id, f, result) in results {
                let mut w = Writing {
                    store,
                    writer: &mut writer,
                    opts,
                    previous: &previous,
                    report: &mut report,
                };
                match result {
                    Ok(exs) => w.indexed(&f, exs)?,
                    Err(reason) => w.failed(&id, &f, &reason)?,
                }
                read += 1;
                if let Some(tell) = opts.progress {
                    tell(read, to_read);
                }
            }
        }
        for (id, rec) in &previous {
            if !present.contains(id) {
                writer.delete_term(Term::from_field_text(store.fields.doc_id, id));
                // The file is still there under another id (its manifest entry was added):
                // a move, not a removal.
                match files_now.get(rec.file.as_str()) {
                    Some(now) if now != id && rec.meta.part_of.is_none() => {
                        report.moved.push(Skip {
                            file: id.clone(),
                            reason: format!("now {now}: {} is listed in the manifest", rec.file),
                        })
                    }
                    _ => report.removed.push(id.clone()),
                }
            }
        }
        writer.commit().map_err(|e| store.err(e))?;
        Ok(())
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let written = std::thread::scope(|s| {
        s.spawn(extract_all);
        s.spawn(|| watchdog(&journal, &done));
        let w = write(rx);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        w
    });
    if let Err(e) = written {
        // A failed write (a full disk) leaves the last commit as it was; drop what this run
        // wrote so the next run has the room.
        let _ = writer.rollback();
        let _ = writer.garbage_collect_files().wait();
        return Err(e);
    }
    writer.wait_merging_threads().map_err(|e| store.err(e))?;
    super::store::shareable(&store.dir)?;
    store.reader.reload().map_err(|e| store.err(e))?;
    // Only a run that wrote something has something to read back: `update` with nothing
    // changed (a cron job's usual run) stays as cheap as it was.
    let wrote = !(report.added.is_empty()
        && report.replaced.is_empty()
        && report.removed.is_empty()
        && report.moved.is_empty()
        && report.failed.is_empty());
    if wrote {
        read_back(store, &report)?;
    }
    journal.finish();
    Ok(report)
}

/// Reads the committed records and heads back before the run reports success: a record the
/// readers could not parse must fail this run, loudly, not every command after it.
fn read_back(store: &Store, report: &Report) -> Result<()> {
    let heads = store.heads()?;
    let docs = store.docs()?;
    let ids: BTreeSet<&str> = docs.iter().map(|d| d.meta.id.as_str()).collect();
    let written = report.added.iter().chain(&report.replaced);
    if let Some(lost) = written.into_iter().find(|id| !ids.contains(id.as_str())) {
        return Err(Error::Usage(format!(
            "index {}: document {lost} was written but cannot be read back; run `menutable index --rebuild`",
            store.dir.display()
        )));
    }
    let words = store.word_tallies()?;
    let roles = store.role_tallies()?;
    if heads.len() != docs.len() || words.len() != docs.len() || roles.len() != docs.len() {
        return Err(Error::Usage(format!(
            "index {}: {} document heads, {} word tallies and {} role tallies but {} records were read back; run `menutable index --rebuild`",
            store.dir.display(),
            heads.len(),
            words.len(),
            roles.len(),
            docs.len()
        )));
    }
    Ok(())
}

/// The corpus folder's files; those it cannot read or refuses are in the report.
pub(super) fn scan(
    corpus: &Path,
    known: &corpus::Known,
    shard: Option<&corpus::Shard>,
    report: &mut Report,
) -> Result<Vec<Found>> {
    let corpus::Scan {
        found,
        unreadable,
        refused,
    } = corpus::scan_shard(corpus, known, shard)?;
    for u in unreadable {
        report.failed.push(Skip {
            file: u.rel,
            reason: u.reason,
        });
    }
    for u in refused {
        report.skipped.push(Skip {
            file: u.rel,
            reason: u.reason,
        });
    }
    Ok(found)
}

/// Each file with its manifest metadata (if the manifest knows it). The same bytes twice are
/// one document: files the manifest names by path come first, so they win over copies and
/// aliases. A file whose sha256 is not the manifest's is flagged and indexed as found.
fn identify_all(
    manifest: &Manifest,
    found: &[Found],
    report: &mut Report,
) -> Vec<(Found, Option<Meta>)> {
    let mut by_sha: HashMap<String, String> = HashMap::new();
    let mut todo = Vec::new();
    let mut ordered: Vec<&Found> = found.iter().collect();
    ordered.sort_by_key(|f| {
        (
            manifest.by_file(&f.rel).is_none_or(|e| e.file != f.rel),
            f.rel.clone(),
        )
    });
    for f in ordered {
        if let Some(first) = by_sha.get(&f.sha256) {
            report.skipped.push(Skip {
                file: f.rel.clone(),
                reason: format!("same bytes as {first}"),
            });
            continue;
        }
        by_sha.insert(f.sha256.clone(), f.rel.clone());
        let entry = corpus::identify(manifest, f);
        if let Some(e) = entry
            && !e.sha256.is_empty()
            && e.sha256 != f.sha256
        {
            report.flagged.push(Skip {
                file: f.rel.clone(),
                reason: format!(
                    "sha256 {} differs from the manifest's {} for {}; indexed as found",
                    &f.sha256[..12],
                    &e.sha256[..12.min(e.sha256.len())],
                    e.id
                ),
            });
        }
        todo.push((f.clone(), entry.map(Meta::from_entry)));
    }
    todo
}

/// What needs reading (new or changed files, and the files that share an id, which fail),
/// and every id still present (documents and their parts): the others are removed.
fn plan(
    opts: &UpdateOptions,
    previous: &HashMap<String, DocRecord>,
    todo: Vec<(Found, Option<Meta>)>,
    collided: Vec<(String, Found, String)>,
    report: &mut Report,
) -> (Vec<Job>, BTreeSet<String>) {
    let mut work: Vec<Job> = Vec::new();
    let mut present = BTreeSet::new();
    let roles_fingerprint = crate::analysis::roles::fingerprint(opts.lexicon);
    // Files that share an id are not read; the id keeps its last good version.
    for (id, f, reason) in collided {
        present.insert(id.clone());
        work.push((id, f, Err(reason)));
    }
    for (f, meta) in todo {
        let id = id_of(&f, meta.as_ref());
        if let Some(p) = previous.get(&id)
            && p.file != f.rel
            && p.error.is_none()
        {
            report.flagged.push(Skip {
                file: f.rel.clone(),
                reason: format!("document {id} was read from {} until now", p.file),
            });
        }
        let parts = part_ids(opts.manifest, &id);
        let unchanged = previous.get(&id).is_some_and(|p| {
            p.sha256 == f.sha256
                && p.file == f.rel
                && p.error.is_none()
                && meta.as_ref().is_none_or(|m| p.meta_hash == meta_hash(m))
                // Counted with another lexicon (names added, say), or its roles classified by
                // other rules: count again.
                && p.tally.as_ref().is_some_and(|t| {
                    t.lexicon == opts.lexicon.fingerprint() && t.roles == roles_fingerprint
                })
        }) && parts.iter().all(|p| previous.contains_key(p));
        present.insert(id.clone());
        present.extend(parts);
        if unchanged && !opts.rebuild {
            report.skipped.push(Skip {
                file: f.rel.clone(),
                reason: UNCHANGED.into(),
            });
        } else {
            work.push((id, f, Ok(meta)));
        }
    }
    (work, present)
}

/// The writer's side of an update: what it writes for one file read, or failed.
struct Writing<'a, 'w> {
    store: &'a Store,
    writer: &'w mut IndexWriter,
    opts: &'a UpdateOptions<'a>,
    previous: &'a HashMap<String, DocRecord>,
    report: &'w mut Report,
}

impl Writing<'_, '_> {
    /// A file read: the document, then each of its parts (indexed like documents), each
    /// replacing what was indexed under its id.
    fn indexed(&mut self, f: &Found, exs: Vec<Extracted>) -> Result<()> {
        if let Some(flag) = exs.first().and_then(|ex| ex.record.quality.flag.clone()) {
            self.report.flagged.push(Skip {
                file: f.rel.clone(),
                reason: flag,
            });
        }
        for ex in exs {
            let id = ex.record.meta.id.clone();
            self.writer
                .delete_term(Term::from_field_text(self.store.fields.doc_id, &id));
            add(self.store, self.writer, &ex)?;
            if self.previous.contains_key(&id) {
                self.report.replaced.push(id);
            } else {
                self.report.added.push(id);
            }
        }
        Ok(())
    }

    /// A file that failed: the document and its parts keep their last good version; only
    /// their records learn of the failure (a never-indexed file gets a record with no units).
    fn failed(&mut self, id: &str, f: &Found, reason: &str) -> Result<()> {
        self.report.failed.push(Skip {
            file: f.rel.clone(),
            reason: reason.to_string(),
        });
        for part in part_ids(self.opts.manifest, id) {
            if let Some(p) = self.previous.get(&part) {
                keep_last_good(self.store, self.writer, p.clone(), reason)?;
            }
        }
        let rec = match self.previous.get(id) {
            Some(p) => p.clone(),
            None => never_indexed(self.opts.manifest, f),
        };
        keep_last_good(self.store, self.writer, rec, reason)
    }
}

/// The record of a file that failed before anything was indexed for it.
fn never_indexed(manifest: &Manifest, f: &Found) -> DocRecord {
    let meta = corpus::identify(manifest, f)
        .map_or_else(|| Meta::infer(&f.rel, None, ""), Meta::from_entry);
    DocRecord {
        meta_hash: meta_hash(&meta),
        meta,
        file: f.rel.clone(),
        sha256: f.sha256.clone(),
        bytes: f.bytes,
        mtime: f.mtime,
        pages: 0,
        words: 0,
        units: 0,
        failed_pages: Vec::new(),
        furniture_lines: 0,
        repairs: 0,
        toc_words: 0,
        footnote_words: 0,
        quality: Default::default(),
        error: None,
        tally: None,
    }
}

type Batch = Vec<(String, Found, std::result::Result<Vec<Extracted>, String>)>;

/// What the extracting thread hands the writer.
enum Msg {
    /// Extracted files (or why not).
    Batch(Batch),
    /// Commit now, and say so on the acknowledgement channel.
    Commit,
}

/// Splits the jobs into those read as usual and the suspects the last run died reading
/// (read alone, last); condemned files fail with their recorded reason.
fn triage(work: Vec<Job>, left: &crate::index::journal::Leftovers) -> (Vec<Job>, Vec<Job>) {
    let mut usual = Vec::new();
    let mut alone = Vec::new();
    for (id, f, meta) in work {
        if let Some(reason) = left.condemned(&f.rel, &f.sha256) {
            let reason = reason.to_string();
            usual.push((id, f, Err(reason)));
        } else if meta.is_ok() && left.suspect(&f.rel, &f.sha256) {
            alone.push((id, f, meta));
        } else {
            usual.push((id, f, meta));
        }
    }
    (usual, alone)
}

/// Jobs in batches of about [`BATCH_BYTES`] and at most [`BATCH_FILES`].
fn batches_of(work: Vec<Job>) -> Vec<Vec<Job>> {
    let mut batches: Vec<Vec<Job>> = Vec::new();
    let mut size = 0;
    for w in work {
        if batches.is_empty()
            || size >= BATCH_BYTES
            || batches.last().is_some_and(|b| b.len() >= BATCH_FILES)
        {
            batches.push(Vec::new());
            size = 0;
        }
        size += w.1.bytes;
        if let Some(b) = batches.last_mut() {
            b.push(w);
        }
    }
    batches
}

/// Reads one file under the journal (so a run killed while reading it is known next time),
/// with [`extract_file`] (where the tests' `MENUTABLE_ABORT_ON` and `MENUTABLE_STALL_ON` act).
fn read_one(
    journal: &crate::index::journal::Journal,
    f: &Found,
    meta: Option<Meta>,
    lexicon: &crate::analysis::lexicon::Lexicon,
    alone: bool,
) -> std::result::Result<Vec<Extracted>, String> {
    journal.start(&f.rel, &f.sha256, alone);
    // The file is named beside the reason wherever it is shown: the reason alone.
    let r = extract_file(f, meta, lexicon);
    journal.done(&f.rel, &f.sha256);
    r
}

/// Watches the files being read: one that takes longer than
/// [`crate::index::journal::file_seconds`] is recorded as condemned, the lock is released, and the
/// process exits with 3 (a thread cannot be stopped, and the run must end). The next run
/// indexes everything else and reports the file as failed.
fn watchdog(journal: &crate::index::journal::Journal, done: &std::sync::atomic::AtomicBool) {
    let limit = crate::index::journal::file_seconds();
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        if let Some((file, sha, secs)) = journal.overdue(limit) {
            let reason = format!(
                "reading took more than {:.0} s (abandoned after {secs:.1} s): not read again until the file changes or `index --rebuild`",
                limit.as_secs_f64()
            );
            let _ = journal.condemn(&file, &sha, &reason);
            // The lock goes with the process (the kernel releases it).
            eprintln!(
                "menutable: failed {file}: {reason}; run index again to index the other files"
            );
            std::process::exit(3);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A file to read: its id, the file, and its manifest metadata (or why it is not read).
type Job = (String, Found, std::result::Result<Option<Meta>, String>);

/// A file's document id: the manifest's, else the one its path gives.
fn id_of(f: &Found, meta: Option<&Meta>) -> String {
    meta.map_or_else(|| Meta::infer(&f.rel, None, "").id, |m| m.id.clone())
}

/// Files that would share a document id. A file the manifest does not know never takes a
/// manifest id (a dropped `paris-2015.txt` once replaced the Paris Agreement): it fails,
/// naming the manifest's file. Other files that share an id (`a-b.txt` and `a/b.txt`) all
/// fail, naming each other, unless one is the manifest's own file, which is read. Returns the
/// files to read and the (id, file, reason) of those that collided on an id they may keep.
/// Files found, with their manifest metadata when the manifest knows them.
type Todo = Vec<(Found, Option<Meta>)>;

fn one_file_per_id(
    manifest: &Manifest,
    todo: Todo,
    report: &mut Report,
) -> (Todo, Vec<(String, Found, String)>) {
    // Positions kept: the files are read in the order found (the order balances the two cores
    // better than ids do: sorted by id, a fresh index took 15% longer).
    let mut by_id: BTreeMap<String, Vec<(usize, Found, Option<Meta>)>> = BTreeMap::new();
    for (pos, (f, meta)) in todo.into_iter().enumerate() {
        let id = id_of(&f, meta.as_ref());
        if meta.is_none()
            && let Some(owner) = manifest_owner(manifest, &id)
        {
            report.failed.push(Skip {
                file: f.rel.clone(),
                reason: format!(
                    "its name gives the id {id}, which is the manifest's ({owner}): put the file there, or rename it"
                ),
            });
            continue;
        }
        by_id.entry(id).or_default().push((pos, f, meta));
    }
    let mut keep = Vec::new();
    let mut collided = Vec::new();
    for (id, mut files) in by_id {
        if files.len() == 1 {
            keep.extend(files);
            continue;
        }
        let own = files
            .iter()
            .position(|(_, f, _)| manifest.by_id(&id).is_some_and(|e| e.file == f.rel));
        let names: Vec<String> = files.iter().map(|(_, f, _)| f.rel.clone()).collect();
        if let Some(i) = own {
            keep.push(files.remove(i));
        }
        for (_, f, _) in files {
            let others: Vec<&str> = names
                .iter()
                .filter(|n| **n != f.rel)
                .map(String::as_str)
                .collect();
            let reason = format!(
                "{} and {} would both be document {id}: rename one (only one file per id is read)",
                f.rel,
                others.join(", ")
            );
            collided.push((id.clone(), f, reason));
        }
    }
    keep.sort_by_key(|(pos, _, _)| *pos);
    let keep = keep.into_iter().map(|(_, f, m)| (f, m)).collect();
    (keep, collided)
}

/// The manifest file that owns `id` (a document's, or a part's document's).
fn manifest_owner(manifest: &Manifest, id: &str) -> Option<String> {
    if let Some(e) = manifest.by_id(id) {
        return Some(e.file.clone());
    }
    manifest
        .entries
        .iter()
        .find(|e| e.parts.iter().any(|p| p.id == id))
        .map(|e| format!("{}, part {id}", e.file))
}

/// Ids of the parts the manifest defines for document `id`.
fn part_ids(manifest: &Manifest, id: &str) -> Vec<String> {
    manifest
        .by_id(id)
        .map(|e| e.parts.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default()
}

/// Writes a document's last good version again, its record marked with the failure.
fn keep_last_good(
    store: &Store,
    writer: &mut IndexWriter,
    mut rec: DocRecord,
    reason: &str,
) -> Result<()> {
    rec.error = Some(reason.to_string());
    let id = rec.meta.id.clone();
    let text = if rec.units > 0 {
        store.doc_text(&id)?
    } else {
        String::new()
    };
    let words = store.word_tally(&id)?.unwrap_or_else(|| WordTally {
        id: id.clone(),
        ..WordTally::default()
    });
    let roles = store.role_tally(&id)?.unwrap_or_else(|| RoleTally {
        id: id.clone(),
        ..RoleTally::default()
    });
    writer.delete_term(Term::from_field_text(store.fields.doc_id, &id));
    if rec.units > 0 {
        // Re-add the old units exactly as they were.
        for u in &store.units(&id, None)? {
            writer
                .add_document(unit_doc(store.fields, &rec, u))
                .map_err(|e| store.err(e))?;
        }
    }
    writer
        .add_document(doc_record(store.fields, &rec, &text, (&words, &roles)))
        .map_err(|e| store.err(e))?;
    Ok(())
}

/// Extracts one file as `index` does (what `menutable worker` runs for each file): the
/// document and its parts, or why it fails.
pub fn extract_file(
    f: &Found,
    meta: Option<Meta>,
    lexicon: &crate::analysis::lexicon::Lexicon,
) -> std::result::Result<Vec<Extracted>, String> {
    // The tests' stand-ins for a file that kills the process (`MENUTABLE_ABORT_ON=<file>`, as
    // the kernel would) and for one that never finishes (`MENUTABLE_STALL_ON`, a parser loop:
    // the watchdog must end the run whatever the machine's speed, so no test depends on how
    // long a file takes). Here, so that `index` and the worker meet them alike.
    if std::env::var_os("MENUTABLE_ABORT_ON").is_some_and(|v| v == f.rel.as_str()) {
        std::process::abort();
    }
    if std::env::var_os("MENUTABLE_STALL_ON").is_some_and(|v| v == f.rel.as_str()) {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
    extract_one(f, meta, lexicon).map_err(|e| match e {
        Error::Extract { reason, .. } => reason,
        e => e.to_string(),
    })
}

/// The manifest's metadata of a file, as `index` finds it (by path, then by sha256).
pub fn identify(manifest: &Manifest, f: &Found) -> Option<Meta> {
    corpus::identify(manifest, f).map(Meta::from_entry)
}

/// Fingerprint of what a document was indexed with (see [`meta_hash`]), for the worker's
/// lines.
pub fn meta_fingerprint(meta: &Meta) -> String {
    meta_hash(meta)
}

fn extract_one(
    f: &Found,
    meta: Option<Meta>,
    lexicon: &crate::analysis::lexicon::Lexicon,
) -> Result<Vec<Extracted>> {
    let ex = extract::extract(&f.path)?;
    if let Some(reason) = damaged(&ex) {
        return Err(Error::Extract {
            path: f.path.clone(),
            reason,
        });
    }
    let seg = segment::segment(&ex);
    if seg.units.is_empty() {
        let reason = if ex.furniture_lines > 0 {
            format!(
                "every line ({}) was taken for running headers, footers or page numbers: nothing left to count (see `menutable extract` for the raw text)",
                ex.furniture_lines
            )
        } else if ex.pages > 0 && ex.work.ops == 0 {
            "no page has content that could be read (empty or broken content streams, such as a wrong /Length): not a scan; get a clean copy".to_string()
        } else if ex.pages > 0 {
            "no text layer (a scanned or image-only PDF?): run OCR first".to_string()
        } else {
            "no text".to_string()
        };
        return Err(Error::Extract {
            path: f.path.clone(),
            reason,
        });
    }
    let meta = meta.unwrap_or_else(|| Meta::infer(&f.rel, ex.title.as_deref(), &seg.text));
    let parts = split_parts(&meta, &seg).map_err(|reason| Error::Extract {
        path: f.path.clone(),
        reason,
    })?;
    let (record, words, roles) = record_of(f, &ex, meta, &seg, lexicon);
    let whole = Extracted {
        record,
        seg,
        words,
        roles,
    };
    let mut out = Vec::with_capacity(1 + parts.len());
    for (meta, seg) in parts {
        let (mut record, words, roles) = record_of(f, &ex, meta, &seg, lexicon);
        // A part's pages are its own span; file-level figures stay the document's.
        record.pages = match (seg.units.first(), seg.units.last()) {
            (Some(a), Some(b)) => match (a.page_start, b.page_end) {
                (Some(x), Some(y)) => y + 1 - x,
                _ => 0,
            },
            _ => 0,
        };
        out.push(Extracted {
            record,
            seg,
            words,
            roles,
        });
    }
    out.insert(0, whole);
    Ok(out)
}

/// Pages of a PDF that may fail, at most, for what was read to still be the document: one in
/// twenty. A failed page is text lost, and a count from a document missing more than that is
/// a wrong count (a truncated upload with 14 of 15 pages unreadable once counted as a
/// 63-word document); fewer are indexed, flagged, and named in `docs` and `index`.
const MAX_FAILED_SHARE: f64 = 0.05;

/// Why a document with failed pages is not the document, when it is not.
fn damaged(ex: &extract::Extracted) -> Option<String> {
    let failed = ex.failed_pages.len();
    if failed == 0 || failed as f64 <= MAX_FAILED_SHARE * f64::from(ex.pages) {
        return None;
    }
    let first = &ex.failed_pages[0];
    Some(if failed as u32 == ex.pages {
        format!(
            "no page could be read (page {}: {})",
            first.page, first.reason
        )
    } else {
        format!(
            "{failed} of {} pages could not be read, more than one in {}: not indexed as this document (page {}: {})",
            ex.pages,
            (1.0 / MAX_FAILED_SHARE).round(),
            first.page,
            first.reason
        )
    })
}

/// The parts the manifest defines for a document, each with its units (see
/// [`crate::corpus::manifest::Part`]): a part starts at the first unit with its `starts` label and
/// runs to the next part's start, so the parts cover the document once.
fn split_parts(
    meta: &Meta,
    seg: &segment::Segmented,
) -> std::result::Result<Vec<(Meta, segment::Segmented)>, String> {
    let mut starts = Vec::with_capacity(meta.parts.len());
    for p in &meta.parts {
        let at = match &p.starts {
            None => 0,
            Some(label) => seg
                .units
                .iter()
                .position(|u| &u.label == label)
                .ok_or_else(|| {
                    format!(
                        "part {}: no unit labelled {label:?} to start at (see `menutable text {}`)",
                        p.id, meta.id
                    )
                })?,
        };
        if starts.last().is_some_and(|&last| at <= last) {
            return Err(format!(
                "part {}: starts at or before the part before it",
                p.id
            ));
        }
        starts.push(at);
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, p) in meta.parts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(seg.units.len());
        let part = segment::Segmented::from_units(&seg.units[starts[k]..end]);
        let mut m = meta.of_part(p);
        m.page_span = match (part.units.first(), part.units.last()) {
            (Some(a), Some(b)) => a
                .page_start
                .zip(b.page_end)
                .map(|(x, y)| format!("{x}-{y}")),
            _ => None,
        };
        out.push((m, part));
    }
    Ok(out)
}

fn record_of(
    f: &Found,
    ex: &extract::Extracted,
    meta: Meta,
    seg: &segment::Segmented,
    lexicon: &crate::analysis::lexicon::Lexicon,
) -> (DocRecord, WordTally, RoleTally) {
    let crate::index::tally::Tallies {
        tally,
        words,
        roles,
    } = crate::index::tally::Tally::all(lexicon, &meta.language, &seg.units, &meta.id);
    let words_of = |kind: UnitKind| -> usize {
        seg.units
            .iter()
            .filter(|u| u.kind == kind)
            .map(|u| u.words)
            .sum()
    };
    let record = DocRecord {
        meta_hash: meta_hash(&meta),
        meta,
        file: f.rel.clone(),
        sha256: f.sha256.clone(),
        bytes: f.bytes,
        mtime: f.mtime,
        pages: ex.pages,
        words: seg.counted_stats.words,
        units: seg.units.len(),
        failed_pages: ex.failed_pages.clone(),
        furniture_lines: ex.furniture_lines,
        repairs: ex.repairs.len(),
        toc_words: words_of(UnitKind::Toc),
        footnote_words: words_of(UnitKind::Footnote),
        quality: quality_of(ex, seg),
        error: None,
        tally: Some(tally),
    };
    (record, words, roles)
}

fn quality_of(
    ex: &extract::Extracted,
    seg: &segment::Segmented,
) -> crate::extract::quality::Quality {
    use crate::extract::quality::Quality;
    let stats = seg.counted_stats;
    Quality {
        pages_extracted: ex.pages - ex.failed_pages.len() as u32,
        pages_failed: ex.failed_pages.len() as u32,
        common_share: (stats.common_share() * 1000.0).round() / 1000.0,
        long_tokens: stats.long,
        garbled_pages: ex.garbled_pages.clone(),
        recovered_pages: ex.recovered_pages.clone(),
        flag: None,
    }
    .judge()
}

fn add(store: &Store, writer: &mut IndexWriter, ex: &Extracted) -> Result<()> {
    for u in &ex.seg.units {
        writer
            .add_document(unit_doc(store.fields, &ex.record, u))
            .map_err(|e| store.err(e))?;
    }
    writer
        .add_document(doc_record(
            store.fields,
            &ex.record,
            &ex.seg.text,
            (&ex.words, &ex.roles),
        ))
        .map_err(|e| store.err(e))?;
    Ok(())
}

fn common(f: Fields, rec: &DocRecord, record: &str) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.record, record);
    d.add_text(f.doc_id, &rec.meta.id);
    d
}

fn unit_doc(f: Fields, rec: &DocRecord, u: &Unit) -> TantivyDocument {
    let mut d = common(f, rec, schema::UNIT);
    d.add_u64(f.ordinal, u64::from(u.ordinal));
    d.add_text(f.label, &u.label);
    d.add_text(
        f.kind,
        serde_json::to_value(u.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    );
    d.add_text(f.text, &u.text);
    d.add_u64(f.page_start, u64::from(u.page_start.unwrap_or(0)));
    d.add_u64(f.page_end, u64::from(u.page_end.unwrap_or(0)));
    d.add_text(
        f.page_breaks,
        serde_json::to_string(&u.page_breaks).unwrap_or_default(),
    );
    d.add_u64(f.start, u.start as u64);
    d
}

fn doc_record(
    f: Fields,
    rec: &DocRecord,
    text: &str,
    (words, roles): (&WordTally, &RoleTally),
) -> TantivyDocument {
    let mut d = common(f, rec, schema::DOC);
    for piece in schema::pieces(serde_json::to_string(rec).unwrap_or_default().as_bytes()) {
        d.add_bytes(f.meta, &piece);
    }
    let head = serde_json::to_string(&rec.head()).unwrap_or_default();
    for piece in schema::pieces(head.as_bytes()) {
        d.add_bytes(f.head, &piece);
    }
    d.add_text(f.doc_text, text);
    // Every record has a word tally (empty for a document never read), so that the column
    // reads back one value per record.
    let words = serde_json::to_string(words).unwrap_or_default();
    for piece in schema::pieces(words.as_bytes()) {
        d.add_bytes(f.words, &piece);
    }
    let roles = serde_json::to_string(roles).unwrap_or_default();
    for piece in schema::pieces(roles.as_bytes()) {
        d.add_bytes(f.roles, &piece);
    }
    d
}
