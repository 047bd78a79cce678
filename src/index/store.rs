//! The index as readers see it: document records and heads, units, text, searches.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Index, IndexReader, Searcher, TantivyDocument, Term};

use super::schema::{self, Fields};
use crate::corpus::Meta;
use crate::error::{Error, Result};
use crate::extract::PageFailure;
use crate::extract::segment::{Unit, UnitKind};

/// Where the index is: the flag, else `MENUTABLE_INDEX`, else `index`.
pub fn default_dir() -> PathBuf {
    std::env::var_os("MENUTABLE_INDEX")
        .map_or_else(|| crate::corpus::project::default("index"), PathBuf::from)
}

/// What the index knows of one corpus document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocRecord {
    /// Metadata (nested, not `#[serde(flatten)]`: flattening buffers every record through
    /// serde's untyped content and made reading 10,000 records twice as slow).
    pub meta: Meta,
    /// Path relative to the corpus folder.
    pub file: String,
    /// sha256 of the indexed bytes.
    pub sha256: String,
    /// Fingerprint of the metadata the document was indexed with.
    pub meta_hash: String,
    /// File size.
    pub bytes: u64,
    /// The file's modification time when it was hashed (ns since the epoch): with its size,
    /// what lets the next run skip hashing it again.
    #[serde(default)]
    pub mtime: Option<u64>,
    /// Pages (0 for text documents).
    pub pages: u32,
    /// Words counted (body text and footnotes; not the table of contents).
    pub words: usize,
    /// Citable units (all kinds).
    pub units: usize,
    /// Pages that failed to extract, with reasons.
    pub failed_pages: Vec<PageFailure>,
    /// Running header and footer lines removed.
    pub furniture_lines: usize,
    /// Stray spaces inside words repaired (text from PDFs; `text --raw` lists them).
    #[serde(default)]
    pub repairs: usize,
    /// Words in table-of-contents units (counted only with --include-toc).
    pub toc_words: usize,
    /// Words in footnotes (included in `words`; left out with --no-footnotes).
    #[serde(default)]
    pub footnote_words: usize,
    /// How trustworthy the extracted text looks.
    #[serde(default)]
    pub quality: crate::extract::quality::Quality,
    /// The last extraction error, when the latest file could not be read (the units are then
    /// those of the last good version, or none).
    pub error: Option<String>,
    /// Mentions counted at index time (see [`crate::index::tally::Tally`]). Also in the record, not
    /// only the head: a file that fails to re-read keeps its last good record, and with it
    /// its counts.
    #[serde(default)]
    pub tally: Option<crate::index::tally::Tally>,
}

/// What `count` needs of a document, stored in a column of its own (see [`Store::heads`]):
/// about a third of a record's bytes, so counting reads and parses that much less.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocHead {
    /// Document id.
    pub id: String,
    /// Short name.
    pub short: String,
    /// UN symbol.
    pub symbol: String,
    /// Year of adoption.
    pub year: Option<u32>,
    /// treaty, decision, compact, ... (what `--kind` selects).
    pub kind: String,
    /// Hard law? (what `--binding` selects)
    pub binding: bool,
    /// en, es or fr.
    pub language: String,
    /// Path relative to the corpus folder.
    pub file: String,
    /// Pages.
    pub pages: u32,
    /// Words (body and footnotes).
    pub words: usize,
    /// Words in tables of contents.
    pub toc_words: usize,
    /// Words in footnotes.
    pub footnote_words: usize,
    /// Citable units.
    pub units: usize,
    /// Mentions counted at index time.
    pub tally: Option<crate::index::tally::Tally>,
    /// For a part: the document it is part of.
    #[serde(default)]
    pub part_of: Option<String>,
    /// Counted in totals (not a part, not superseded, not a translation).
    #[serde(default = "yes")]
    pub in_totals: bool,
    /// A translation of another document (selected by `--lang`, never in totals).
    #[serde(default)]
    pub translation: bool,
    /// Why the latest file could not be read (see [`DocRecord::error`]).
    #[serde(default)]
    pub error: Option<String>,
}

fn yes() -> bool {
    true
}

impl DocRecord {
    /// The record's head.
    pub fn head(&self) -> DocHead {
        DocHead {
            id: self.meta.id.clone(),
            short: self.meta.short.clone(),
            symbol: self.meta.symbol.clone(),
            year: self.meta.year,
            kind: self.meta.kind.clone(),
            binding: self.meta.binding,
            language: self.meta.language.clone(),
            file: self.file.clone(),
            pages: self.pages,
            words: self.words,
            toc_words: self.toc_words,
            footnote_words: self.footnote_words,
            units: self.units,
            tally: self.tally.clone(),
            part_of: self.meta.part_of.clone(),
            in_totals: self.meta.in_totals(),
            translation: self.meta.translation_of.is_some(),
            error: self.error.clone(),
        }
    }

    /// indexed, failed (nothing indexed) or stale (an older version is indexed; the current
    /// file failed).
    pub fn status(&self) -> &'static str {
        match (&self.error, self.units) {
            (None, _) => "indexed",
            (Some(_), 0) => "failed",
            (Some(_), _) => "stale",
        }
    }
}

/// An opened index with its fields.
#[derive(Clone)]
pub struct Store {
    /// The index folder.
    pub dir: PathBuf,
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    pub(super) reader: IndexReader,
    /// The records and heads, parsed once and shared by the clones of a kept store (`serve`
    /// keeps one per committed state); `None` for a store that reads them each time.
    memo: Option<std::sync::Arc<Memo>>,
}

/// Rows read once and shared: a kept store hands out the same list to every request, which
/// then clones only the documents it selects ([`crate::analysis::scope::Selection::pick`]);
/// a store that is not kept hands out a list nobody else holds, which `pick` moves from.
pub type Shared<T> = std::sync::Arc<Vec<T>>;

/// What a kept store has parsed already.
#[derive(Default)]
struct Memo {
    records: std::sync::OnceLock<Shared<DocRecord>>,
    heads: std::sync::OnceLock<Shared<DocHead>>,
}

impl Store {
    /// Opens the index in `dir`, creating it when `create` is set and there is none.
    pub fn open(dir: &Path, create: bool) -> Result<Store> {
        let (schema, fields) = schema::build();
        let exists = dir.join("meta.json").exists();
        let index = if exists {
            // A query opens the folder read only (see `readonly.rs`); `index` opens it to write.
            let index = if create {
                Index::open_in_dir(dir)
            } else {
                super::readonly::ReadOnly::open(dir).and_then(Index::open)
            }
            .map_err(|e| Error::index(dir, e))?;
            if index.schema() == schema {
                index
            } else if create {
                // An index written by an older menutable: everything in it is derived from the
                // corpus folder, so it is built again from there.
                eprintln!(
                    "menutable: the index in {} has an older layout; building it again from the corpus",
                    dir.display()
                );
                drop(index);
                clear_index_dir(dir)?;
                Index::create_in_dir(dir, schema).map_err(|e| Error::index(dir, e))?
            } else {
                return Err(Error::Usage(format!(
                    "the index in {} was written by an older menutable; run `menutable index` to build it again",
                    dir.display()
                )));
            }
        } else if create {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            Index::create_in_dir(dir, schema).map_err(|e| Error::index(dir, e))?
        } else {
            return Err(Error::Usage(format!(
                "no index in {} (run `menutable index` first, or pass --index; without flags the folders are those of {})",
                dir.display(),
                crate::corpus::project::looked()
            )));
        };
        index
            .tokenizers()
            .register(schema::TOKENIZER, schema::analyzer());
        // A store sees the commit it was opened on until told otherwise (`update` reloads
        // after its commit): a query never mixes two states, and no watcher thread is started.
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::index(dir, e))?;
        Ok(Store {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader,
            memo: None,
        })
    }

    /// This store, keeping its records and heads once parsed, for every clone of it: for a
    /// process that answers many queries on one committed state (`serve`).
    pub fn kept(mut self) -> Store {
        self.memo = Some(Default::default());
        self
    }

    /// An empty index in `dir`, in place of whatever tantivy files were there (menutable's lock
    /// and a person's files stay).
    pub fn recreate(dir: &Path) -> Result<Store> {
        clear_index_dir(dir)?;
        Store::open(dir, true)
    }

    /// A searcher on the last commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(super) fn err(&self, e: tantivy::TantivyError) -> Error {
        Error::index(&self.dir, e)
    }

    fn term(&self, field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    }

    /// Addresses of every tantivy document matching `query`, in index order.
    pub fn all_matching(&self, searcher: &Searcher, query: &dyn Query) -> Result<Vec<DocAddress>> {
        let set = searcher
            .search(query, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut v: Vec<DocAddress> = set.into_iter().collect();
        v.sort();
        Ok(v)
    }

    /// Every document record, sorted by id.
    ///
    /// Records are read from the record column ([`schema::META`]): per segment, the ordinals
    /// of the live records, then their values in one ordered pass over the column's dictionary.
    pub fn docs(&self) -> Result<Shared<DocRecord>> {
        if let Some(v) = self.memo.as_ref().and_then(|m| m.records.get()) {
            return Ok(v.clone());
        }
        let mut out: Vec<DocRecord> = self.records(schema::META)?;
        out.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        let out = Shared::new(out);
        if let Some(m) = &self.memo {
            let _ = m.records.set(out.clone());
        }
        Ok(out)
    }

    /// Every document's head, sorted by id: what `count` reads.
    pub fn heads(&self) -> Result<Shared<DocHead>> {
        if let Some(v) = self.memo.as_ref().and_then(|m| m.heads.get()) {
            return Ok(v.clone());
        }
        let mut out: Vec<DocHead> = self.records(schema::HEAD)?;
        out.sort_by(|a, b| a.id.cmp(&b.id));
        let out = Shared::new(out);
        if let Some(m) = &self.memo {
            let _ = m.heads.set(out.clone());
        }
        Ok(out)
    }

    /// Every document's word tally (see [`crate::index::tally::WordTally`]), in no order.
    pub fn word_tallies(&self) -> Result<Vec<crate::index::tally::WordTally>> {
        self.records(schema::WORDS)
    }

    /// The word tally of document `id`, if it has one.
    pub fn word_tally(&self, id: &str) -> Result<Option<crate::index::tally::WordTally>> {
        self.column_value(schema::WORDS, id)
    }

    /// Every document's role tally (see [`crate::index::tally::RoleTally`]), in no order.
    pub fn role_tallies(&self) -> Result<Vec<crate::index::tally::RoleTally>> {
        self.records(schema::ROLES)
    }

    /// The role tally of document `id`, if it has one.
    pub fn role_tally(&self, id: &str) -> Result<Option<crate::index::tally::RoleTally>> {
        self.column_value(schema::ROLES, id)
    }

    /// The role tallies of the documents in `ids`, read `batch` at a time (see
    /// [`Self::each_value`]): memory holds those asked for and one batch.
    pub fn role_tallies_of(
        &self,
        ids: &std::collections::HashSet<&str>,
    ) -> Result<std::collections::HashMap<String, crate::index::tally::RoleTally>> {
        let mut out = std::collections::HashMap::new();
        // A few documents (an instrument's page, `--doc`): each looked up by its id, not every
        // tally of the index parsed to keep those.
        if ids.len() <= 64 {
            for id in ids {
                if let Some(t) = self.role_tally(id)? {
                    out.insert(t.id.clone(), t);
                }
            }
            return Ok(out);
        }
        self.each_record(
            schema::ROLES,
            1024,
            |batch: Vec<crate::index::tally::RoleTally>| {
                out.extend(
                    batch
                        .into_iter()
                        .filter(|t| ids.contains(t.id.as_str()))
                        .map(|t| (t.id.clone(), t)),
                );
            },
        )?;
        Ok(out)
    }

    /// The value of document `id` in the JSON column `column` (a tally), if it has one.
    fn column_value<T: serde::de::DeserializeOwned>(
        &self,
        column: &str,
        id: &str,
    ) -> Result<Option<T>> {
        let searcher = self.searcher();
        let q = BooleanQuery::new(vec![
            (Occur::Must, self.term(self.fields.record, schema::DOC)),
            (Occur::Must, self.term(self.fields.doc_id, id)),
        ]);
        let Some(addr) = self.all_matching(&searcher, &q)?.into_iter().next() else {
            return Ok(None);
        };
        let seg = searcher.segment_reader(addr.segment_ord);
        let Some(column) = seg.fast_fields().bytes(column).map_err(|e| self.err(e))? else {
            return Ok(None);
        };
        let mut values: Vec<Vec<u8>> = Vec::new();
        let ords = column.term_ords(addr.doc_id).collect();
        self.values_of(&column, ords, |b| values.push(b.to_vec()))?;
        let joined = schema::joined(values.iter().map(Vec::as_slice).collect());
        Ok(joined.and_then(|b| serde_json::from_slice(&b).ok()))
    }

    /// The values of a bytes (or str) column at `ords` (each once), in one ordered pass over
    /// its dictionary.
    fn values_of(
        &self,
        column: &tantivy::columnar::BytesColumn,
        mut ords: Vec<u64>,
        cb: impl FnMut(&[u8]),
    ) -> Result<()> {
        ords.sort_unstable();
        ords.dedup();
        column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, cb)
            .map(|_| ())
            .map_err(|e| Error::io(&self.dir, e))
    }

    /// The JSON values of a bytes column on the live document records: the column's
    /// dictionary is read once, in order, rather than one stored document at a time.
    fn records<T: serde::de::DeserializeOwned + Send>(&self, column: &str) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each_record(column, 1024, |batch| out.extend(batch))?;
        Ok(out)
    }

    /// Calls `f` with the parsed values of a bytes column, `batch` records at a time, each
    /// batch parsed on the rayon pool: the raw bytes of at most one batch are held at once.
    fn each_record<T: serde::de::DeserializeOwned + Send>(
        &self,
        column: &str,
        batch: usize,
        mut f: impl FnMut(Vec<T>),
    ) -> Result<()> {
        let mut blobs: Vec<Vec<u8>> = Vec::with_capacity(batch);
        let mut err = None;
        let mut flush = |blobs: &mut Vec<Vec<u8>>| {
            if err.is_none() {
                match blobs.par_iter().map(|b| self.parse_record(b)).collect() {
                    Ok(v) => f(v),
                    Err(e) => err = Some(e),
                }
            }
            blobs.clear();
        };
        self.each_value(column, |b| {
            blobs.push(b.to_vec());
            if blobs.len() >= batch {
                flush(&mut blobs);
            }
        })?;
        flush(&mut blobs);
        err.map_or(Ok(()), Err)
    }

    fn parse_record<T: serde::de::DeserializeOwned>(&self, b: &[u8]) -> Result<T> {
        serde_json::from_slice::<T>(b).map_err(|e| {
            Error::Usage(format!(
                "index {}: unreadable document record ({e}); rebuild with `menutable index --rebuild`",
                self.dir.display()
            ))
        })
    }

    /// Calls `f` with each live document record's value of a bytes column (a long value's
    /// pieces joined), in the column's order, holding no more than one segment's pieced values
    /// at a time: what lets the word tallies of any number of documents be added up in
    /// constant memory.
    fn each_value(&self, column: &str, mut f: impl FnMut(&[u8])) -> Result<()> {
        let searcher = self.searcher();
        let term = Term::from_field_text(self.fields.record, schema::DOC);
        for seg in searcher.segment_readers() {
            let Some(column) = seg.fast_fields().bytes(column).map_err(|e| self.err(e))? else {
                continue;
            };
            let inverted = seg
                .inverted_index(self.fields.record)
                .map_err(|e| self.err(e))?;
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| Error::io(&self.dir, e))?
            else {
                continue;
            };
            // Each live record's values: one, or the pieces of a long one (schema::pieces).
            let mut whole: Vec<u64> = Vec::new();
            let mut pieced: Vec<Vec<u64>> = Vec::new();
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if !seg.is_deleted(doc) {
                    let ords: Vec<u64> = column.term_ords(doc).collect();
                    match ords.as_slice() {
                        [one] => whole.push(*one),
                        _ => pieced.push(ords),
                    }
                }
                doc = postings.advance();
            }
            // Two records with the same value share one ordinal: each gets it once.
            whole.sort_unstable();
            let mut times: Vec<(u64, usize)> = Vec::new();
            for o in whole {
                match times.last_mut() {
                    Some((last, n)) if *last == o => *n += 1,
                    _ => times.push((o, 1)),
                }
            }
            let mut k = 0;
            self.values_of(&column, times.iter().map(|t| t.0).collect(), |b| {
                for _ in 0..times[k].1 {
                    f(b);
                }
                k += 1;
            })?;
            if pieced.is_empty() {
                continue;
            }
            let ords: Vec<u64> = pieced.iter().flatten().copied().collect();
            let mut values: Vec<(u64, Vec<u8>)> = Vec::new();
            let mut sorted = ords.clone();
            sorted.sort_unstable();
            sorted.dedup();
            let mut at = sorted.iter();
            self.values_of(&column, sorted.clone(), |b| {
                values.push((*at.next().unwrap_or(&0), b.to_vec()));
            })?;
            for doc_ords in pieced {
                let parts = doc_ords
                    .iter()
                    .filter_map(|o| {
                        values
                            .binary_search_by_key(o, |v| v.0)
                            .ok()
                            .map(|k| values[k].1.as_slice())
                    })
                    .collect();
                f(&schema::joined(parts).unwrap_or_default());
            }
        }
        Ok(())
    }

    /// Calls `f` with the documents' word tallies, `batch` at a time (see
    /// [`Self::each_value`]), each batch parsed on the rayon pool: memory holds one batch.
    pub fn each_word_tally(
        &self,
        batch: usize,
        f: impl FnMut(Vec<crate::index::tally::WordTally>),
    ) -> Result<()> {
        self.each_record(schema::WORDS, batch, f)
    }

    /// The whole normalised text of a document.
    pub fn doc_text(&self, id: &str) -> Result<String> {
        let searcher = self.searcher();
        let q = BooleanQuery::new(vec![
            (Occur::Must, self.term(self.fields.record, schema::DOC)),
            (Occur::Must, self.term(self.fields.doc_id, id)),
        ]);
        let Some(addr) = self.all_matching(&searcher, &q)?.into_iter().next() else {
            return Ok(String::new());
        };
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
        Ok(doc
            .get_first(self.fields.doc_text)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string())
    }

    /// The units of a document matching `extra` (all units when None), in document order.
    pub fn units(&self, id: &str, extra: Option<Box<dyn Query>>) -> Result<Vec<Unit>> {
        let searcher = self.searcher();
        let mut clauses = vec![
            (Occur::Must, self.term(self.fields.record, schema::UNIT)),
            (Occur::Must, self.term(self.fields.doc_id, id)),
        ];
        if let Some(q) = extra {
            clauses.push((Occur::Must, q));
        }
        let q = BooleanQuery::new(clauses);
        let mut out = Vec::new();
        for addr in self.all_matching(&searcher, &q)? {
            out.push(self.unit_at(&searcher, addr)?);
        }
        out.sort_by_key(|u| u.ordinal);
        Ok(out)
    }

    /// The units of a document in order, without their word counts (`words` is 0): what the
    /// exploring views read, which count words their own way (computing `words` for every unit
    /// was a tenth of `freq` over 1M units).
    pub fn units_text(&self, id: &str) -> Result<Vec<Unit>> {
        let searcher = self.searcher();
        let q = BooleanQuery::new(vec![
            (Occur::Must, self.term(self.fields.record, schema::UNIT)),
            (Occur::Must, self.term(self.fields.doc_id, id)),
        ]);
        let mut out = Vec::new();
        for addr in self.all_matching(&searcher, &q)? {
            out.push(self.read_unit(&searcher, addr, false)?);
        }
        out.sort_by_key(|u| u.ordinal);
        Ok(out)
    }

    /// Reads one unit back from its stored fields, without its word count (`words` is 0).
    pub fn unit_text_at(&self, searcher: &Searcher, addr: DocAddress) -> Result<Unit> {
        self.read_unit(searcher, addr, false)
    }

    /// Reads one unit back from its stored fields.
    pub fn unit_at(&self, searcher: &Searcher, addr: DocAddress) -> Result<Unit> {
        self.read_unit(searcher, addr, true)
    }

    fn read_unit(&self, searcher: &Searcher, addr: DocAddress, words: bool) -> Result<Unit> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
        Ok(self.unit_of(&doc, words))
    }

    /// The addresses of the units matching `query`, grouped by document id (each group in
    /// index order): one search over the whole index, the ids from the id column, no stored
    /// field read. What a caller reads a document at a time, so memory holds one document.
    pub fn unit_addresses(
        &self,
        searcher: &Searcher,
        query: Box<dyn Query>,
    ) -> Result<std::collections::HashMap<String, Vec<DocAddress>>> {
        let q = BooleanQuery::new(vec![
            (Occur::Must, self.units_query()),
            (Occur::Must, query),
        ]);
        let mut out: std::collections::HashMap<String, Vec<DocAddress>> = Default::default();
        let hits = self.all_matching(searcher, &q)?;
        let mut k = 0;
        while k < hits.len() {
            let seg = hits[k].segment_ord;
            let end = k + hits[k..].partition_point(|a| a.segment_ord == seg);
            let reader = searcher.segment_reader(seg);
            let Some(col) = reader
                .fast_fields()
                .str(schema::DOC_ID)
                .map_err(|e| self.err(e))?
            else {
                k = end;
                continue;
            };
            // Each hit's id ordinal, then the ids in one ordered pass over the dictionary.
            let ords: Vec<Option<u64>> = hits[k..end]
                .iter()
                .map(|a| col.term_ords(a.doc_id).next())
                .collect();
            let mut wanted: Vec<u64> = ords.iter().flatten().copied().collect();
            wanted.sort_unstable();
            wanted.dedup();
            let mut ids: Vec<String> = Vec::with_capacity(wanted.len());
            self.values_of(&col, wanted.clone(), |b| {
                ids.push(String::from_utf8_lossy(b).into_owned());
            })?;
            for (addr, ord) in hits[k..end].iter().zip(ords) {
                if let Some(i) = ord.and_then(|o| wanted.binary_search(&o).ok()) {
                    out.entry(ids[i].clone()).or_default().push(*addr);
                }
            }
            k = end;
        }
        Ok(out)
    }

    /// The unit a unit record's stored fields hold (`words` 0 unless asked for).
    pub fn unit_of(&self, doc: &TantivyDocument, words: bool) -> Unit {
        let f = &self.fields;
        let s = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let n = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let page = |v: u64| (v > 0).then_some(v as u32);
        Unit {
            ordinal: n(f.ordinal) as u32,
            label: s(f.label),
            kind: serde_json::from_value(serde_json::Value::String(s(f.kind)))
                .unwrap_or(UnitKind::Text),
            text: s(f.text),
            page_start: page(n(f.page_start)),
            page_end: page(n(f.page_end)),
            page_breaks: serde_json::from_str(&s(f.page_breaks)).unwrap_or_default(),
            start: n(f.start) as usize,
            words: if words {
                crate::extract::normalize::word_count(&s(f.text))
            } else {
                0
            },
        }
    }

    /// The document id a record's stored fields hold.
    pub fn doc_id_of(&self, doc: &TantivyDocument) -> String {
        doc.get_first(self.fields.doc_id)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    }

    /// A query for one document's units.
    pub fn doc_query(&self, id: &str) -> Box<dyn Query> {
        self.term(self.fields.doc_id, id)
    }

    /// A query for units of the given documents (all when empty).
    pub fn docs_query(&self, ids: &[String]) -> Box<dyn Query> {
        if ids.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(
            ids.iter()
                .map(|id| (Occur::Should, self.doc_query(id)))
                .collect(),
        ))
    }

    /// A query for unit records only.
    pub fn units_query(&self) -> Box<dyn Query> {
        self.term(self.fields.record, schema::UNIT)
    }
}

/// Makes the files tantivy writes whole-or-nothing (`meta.json`, `.managed.json`: through a
/// temporary file, which is created owner-only) readable as the umask allows any other file to
/// be, so that a colleague, or a read-only mount, can query an index one person builds.
pub(super) fn shareable(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = 0o666 & !umask();
    for name in ["meta.json", ".managed.json"] {
        let path = dir.join(name);
        match std::fs::metadata(&path) {
            Ok(m) if m.permissions().mode() & 0o777 != mode => {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                    .map_err(|e| Error::io(&path, e))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The process's umask (Linux reports it in /proc/self/status), else the usual 022.
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// Removes tantivy's files from an index folder (its meta files, locks and segment files, named
/// by a 32-hex-digit segment id), and nothing else: menutable's lock and anything a person put
/// there (the project's `index/README.md`) stay.
pub(super) fn clear_index_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        if path.is_file() && is_tantivy_file(&entry.file_name().to_string_lossy()) {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

fn is_tantivy_file(name: &str) -> bool {
    matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
    ) || (name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit))
}
