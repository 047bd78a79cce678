//! The corpus folder: which files are documents, what they are, and their checksums.
//!
//! A file is identified by the manifest (by path, alias or sha256); a file the manifest does not
//! know is still a document, with metadata from its PDF info and file name, so that a text
//! dropped into the folder is counted rather than ignored. The same bytes under two names are
//! one document.

pub mod fetch;
pub mod lock;
pub mod manifest;
pub mod project;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::manifest::{Entry, Manifest};
use crate::error::{Error, Result};

/// The languages of the corpus, each with its lexicon: what a file name may say (`x.es.pdf`).
pub const LANGUAGES: [&str; 3] = ["en", "es", "fr"];

/// Where the corpus folder is: the flag, else `MENUTABLE_CORPUS`, else `corpus/files`.
pub fn default_dir() -> PathBuf {
    std::env::var_os("MENUTABLE_CORPUS").map_or_else(
        || crate::corpus::project::default("corpus/files"),
        PathBuf::from,
    )
}

/// A document file found in the corpus folder.
#[derive(Debug, Clone)]
pub struct Found {
    /// Absolute or working-directory-relative path.
    pub path: PathBuf,
    /// Path relative to the corpus folder, with forward slashes.
    pub rel: String,
    /// sha256 of the bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Modification time, nanoseconds since the epoch (when the file system gives one).
    pub mtime: Option<u64>,
}

/// What each file was when last hashed, by path relative to the corpus folder: size,
/// modification time and sha256. A file whose size and time are unchanged is not read again
/// to hash it (rsync and git's index decide the same way).
pub type Known = std::collections::HashMap<String, (u64, u64, String)>;

/// A file's modification time in nanoseconds since the epoch.
fn mtime_of(m: &std::fs::Metadata) -> Option<u64> {
    let d = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    u64::try_from(d.as_nanos()).ok()
}

/// A file that could not even be read (permissions, vanished).
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// Path relative to the corpus folder.
    pub rel: String,
    /// Why.
    pub reason: String,
}

/// One of `n` shares of a corpus folder (`menutable worker --shard K/N`): a file belongs to
/// share `hash(path) mod n`, its path relative to the folder hashed with FNV-1a, so each
/// file's share depends on its path alone (files added elsewhere move no other file), and
/// `n` workers over the same folder read every file exactly once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, from 0.
    pub k: u64,
    /// How many shares.
    pub n: u64,
}

impl Shard {
    /// Whether the file at `rel` (relative to the corpus folder, forward slashes) is this
    /// share's.
    pub fn holds(&self, rel: &str) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in rel.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h % self.n == self.k
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N`, 0 <= K < N.
    fn from_str(s: &str) -> std::result::Result<Shard, String> {
        let bad =
            || format!("a share is K/N with 0 <= K < N (0/4 is the first of four), not {s:?}");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k >= n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// What a scan of the corpus folder found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Document files, read and hashed.
    pub found: Vec<Found>,
    /// Files that could not be read (permissions, vanished, a link to nothing): failures.
    pub unreadable: Vec<Unreadable>,
    /// Entries named like documents that are not read, with why: FIFOs, devices, sockets,
    /// folders, links leaving the corpus folder, names that are not UTF-8.
    pub refused: Vec<Unreadable>,
}

/// Lists the document files under `dir` (recursively, sorted), skipping hidden files and
/// partial downloads. Only regular files inside the folder are read: a cron job indexing
/// whatever lands there must not hang on a FIFO, read `/dev/zero`, or follow a link to a file
/// elsewhere on the machine into a shared index.
pub fn scan(dir: &Path) -> Result<Scan> {
    scan_with(dir, &Known::default())
}

/// [`scan`], taking the sha256 of a file from `known` when its size and modification time are
/// the same as when it was hashed.
pub fn scan_with(dir: &Path, known: &Known) -> Result<Scan> {
    scan_shard(dir, known, None)
}

/// [`scan_with`], keeping only the files (and refusals) of `shard` when given: the files are
/// listed as the scan lists them, then only the shard's are read and hashed.
pub fn scan_shard(dir: &Path, known: &Known, shard: Option<&Shard>) -> Result<Scan> {
    let root = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths = Vec::new();
    let mut out = Scan::default();
    let top = Top { dir, root: &root };
    walk(&top, dir, &mut paths, &mut out)?;
    if let Some(shard) = shard {
        paths.retain(|p| shard.holds(&rel_of(dir, p)));
        out.unreadable.retain(|u| shard.holds(&u.rel));
        out.refused.retain(|u| shard.holds(&u.rel));
    }
    paths.sort();
    // Read and hash on every core: at 10,000 files (325 MB) this is most of a no-change update.
    let results: Vec<std::result::Result<Found, Unreadable>> = paths
        .into_par_iter()
        .map(|path| {
            let rel = rel_of(dir, &path);
            let meta = std::fs::metadata(&path).ok();
            let (len, mtime) = (
                meta.as_ref().map(|m| m.len()),
                meta.as_ref().and_then(mtime_of),
            );
            if let (Some(len), Some(mtime), Some((b, t, sha))) = (len, mtime, known.get(&rel))
                && (len, mtime) == (*b, *t)
            {
                return Ok(Found {
                    sha256: sha.clone(),
                    bytes: len,
                    path,
                    rel,
                    mtime: Some(mtime),
                });
            }
            match hash_bounded(&path) {
                Ok((sha256, bytes)) => Ok(Found {
                    sha256,
                    bytes,
                    path,
                    rel,
                    mtime,
                }),
                Err(reason) => Err(Unreadable { rel, reason }),
            }
        })
        .collect();
    for r in results {
        match r {
            Ok(f) => out.found.push(f),
            Err(u) => out.unreadable.push(u),
        }
    }
    Ok(out)
}

/// One file of the corpus folder, named by its path relative to it (`menutable worker
/// --stdin`), hashed as the scan hashes it; why not, when it cannot be read or is not a
/// document `index` reads, or not inside the folder.
pub fn found_at(dir: &Path, rel: &str) -> std::result::Result<Found, Unreadable> {
    let refuse = |reason: String| Unreadable {
        rel: rel.to_string(),
        reason,
    };
    let inside = !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !inside {
        return Err(refuse(
            "not a path inside the corpus folder (relative, without ..)".into(),
        ));
    }
    let path = dir.join(rel);
    if !crate::extract::is_document(&path) {
        return Err(refuse(
            "not a document menutable reads (.pdf, .txt, .md)".into(),
        ));
    }
    let meta = std::fs::symlink_metadata(&path).map_err(|e| refuse(e.to_string()))?;
    if !meta.is_file() {
        return Err(refuse("not a regular file".into()));
    }
    let (sha256, bytes) = hash_bounded(&path).map_err(refuse)?;
    Ok(Found {
        sha256,
        bytes,
        mtime: mtime_of(&meta),
        rel: rel_of(dir, &path),
        path,
    })
}

/// sha256 and size of a file, read in pieces; a file past its kind's size budget is refused
/// with the reason (a 1 GB text once took 9 GB to index), without reading it.
fn hash_bounded(path: &Path) -> std::result::Result<(String, u64), String> {
    let budget = &crate::extract::budget::BUDGET;
    let limit = if crate::extract::extension(path) == "pdf" {
        budget.pdf_bytes
    } else {
        budget.text_bytes
    };
    sha256_file(path, limit)
}

/// sha256 and size of a file of at most `limit` bytes, read in pieces.
pub fn sha256_file(path: &Path, limit: u64) -> std::result::Result<(String, u64), String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let claimed = file.metadata().map_err(|e| e.to_string())?.len();
    if claimed > limit {
        return Err(crate::extract::budget::past_size(claimed, limit));
    }
    let mut hasher = Sha256::new();
    let mut reader = file.take(limit + 1);
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    if total > limit {
        return Err(crate::extract::budget::past_size(total, limit));
    }
    Ok((hex(&hasher.finalize()), total))
}

/// `path` relative to the corpus folder, with forward slashes.
fn rel_of(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The corpus folder as given (paths are relative to it) and as the file system knows it
/// (links are checked against it).
struct Top<'a> {
    dir: &'a Path,
    root: &'a Path,
}

fn walk(top: &Top, dir: &Path, out: &mut Vec<PathBuf>, scan: &mut Scan) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".part") {
            continue;
        }
        let ft = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if ft.is_dir() {
            if crate::extract::is_document(&path) {
                scan.refused.push(refuse(
                    top,
                    &path,
                    "a folder named like a document: not read",
                ));
            } else {
                walk(top, &path, out, scan)?;
            }
            continue;
        }
        if !crate::extract::is_document(&path) {
            continue;
        }
        if entry.file_name().to_str().is_none() {
            scan.refused.push(refuse(
                top,
                &path,
                "the file name is not UTF-8: rename it (it would be confused with others)",
            ));
            continue;
        }
        match kind_of(&path, &ft, top.root) {
            Ok(()) => out.push(path),
            Err(Refusal::Refused(why)) => scan.refused.push(refuse(top, &path, &why)),
            Err(Refusal::Broken(why)) => scan.unreadable.push(refuse(top, &path, &why)),
        }
    }
    Ok(())
}

enum Refusal {
    /// Not read, on purpose.
    Refused(String),
    /// Meant to be read, but cannot be (a link to nothing).
    Broken(String),
}

/// Whether the entry is a regular file inside the corpus folder (a link to one counts).
fn kind_of(path: &Path, ft: &std::fs::FileType, root: &Path) -> std::result::Result<(), Refusal> {
    let target_type = if ft.is_symlink() {
        let target = std::fs::canonicalize(path)
            .map_err(|e| Refusal::Broken(format!("a link to nothing readable ({e})")))?;
        if !target.starts_with(root) {
            return Err(Refusal::Refused(format!(
                "a link to {} outside the corpus folder: not followed",
                target.display()
            )));
        }
        std::fs::metadata(&target)
            .map_err(|e| Refusal::Broken(e.to_string()))?
            .file_type()
    } else {
        *ft
    };
    if target_type.is_file() {
        return Ok(());
    }
    use std::os::unix::fs::FileTypeExt;
    let what = if target_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if target_type.is_socket() {
        "a socket"
    } else if target_type.is_block_device() || target_type.is_char_device() {
        "a device"
    } else if target_type.is_dir() {
        "a link to a folder"
    } else {
        "not a regular file"
    };
    Err(Refusal::Refused(format!(
        "{what}, not a regular file: not read"
    )))
}

fn refuse(top: &Top, path: &Path, why: &str) -> Unreadable {
    Unreadable {
        rel: rel_of(top.dir, path),
        reason: why.to_string(),
    }
}

/// sha256 as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Metadata of a corpus document, from the manifest or inferred.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Meta {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Short name.
    pub short: String,
    /// UN symbol, or empty.
    pub symbol: String,
    /// Adoption year or date, or empty.
    pub adopted: String,
    /// Year of adoption, when known.
    pub year: Option<u32>,
    /// treaty, decision, compact, declaration, resolution, or "unknown".
    pub kind: String,
    /// Hard law?
    pub binding: bool,
    /// en, es or fr.
    pub language: String,
    /// Where the language came from: manifest, file name or text.
    pub language_source: String,
    /// Official address, or empty.
    pub url: String,
    /// Whether the manifest knows the document.
    pub in_manifest: bool,
    /// For a part: the id of the document it is part of.
    #[serde(default)]
    pub part_of: Option<String>,
    /// For a part: its pages in the document ("21-36").
    #[serde(default)]
    pub page_span: Option<String>,
    /// The fuller text that replaces this one in every total.
    #[serde(default)]
    pub superseded_by: Option<String>,
    /// The original this text translates (left out of totals; `--lang` selects it).
    #[serde(default)]
    pub translation_of: Option<String>,
    /// The document's parts, as the manifest defines them.
    #[serde(default)]
    pub parts: Vec<crate::corpus::manifest::Part>,
}

impl Meta {
    /// Metadata from a manifest entry.
    pub fn from_entry(e: &Entry) -> Meta {
        Meta {
            id: e.id.clone(),
            title: e.title.clone(),
            short: e.short.clone(),
            symbol: e.symbol.clone(),
            adopted: e.adopted.clone(),
            year: e.year(),
            kind: e.kind.clone(),
            binding: e.binding,
            language: e.language.clone(),
            language_source: "manifest".into(),
            url: e.url.clone(),
            in_manifest: true,
            part_of: None,
            page_span: None,
            superseded_by: e.superseded_by.clone(),
            translation_of: e.translation_of.clone(),
            parts: e.parts.clone(),
        }
    }

    /// Metadata of one part of the document `self` describes.
    pub fn of_part(&self, part: &crate::corpus::manifest::Part) -> Meta {
        Meta {
            id: part.id.clone(),
            title: part.title.clone(),
            short: part.short.clone(),
            kind: part.kind.clone(),
            binding: part.binding,
            part_of: Some(self.id.clone()),
            parts: Vec::new(),
            ..self.clone()
        }
    }

    /// Whether the document is counted in totals over the corpus: not a part (its document
    /// is), not superseded by a fuller text, not a translation of another document.
    pub fn in_totals(&self) -> bool {
        self.part_of.is_none() && self.superseded_by.is_none() && self.translation_of.is_none()
    }

    /// Metadata for a file the manifest does not list: id from the file name, title from the
    /// PDF info (or the name), language from the name (`x.es.pdf`) or else from `text`.
    pub fn infer(rel: &str, pdf_title: Option<&str>, text: &str) -> Meta {
        let stem = rel.rsplit('/').next().unwrap_or(rel);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let (stem_base, lang_from_name) = match stem.rsplit_once('.') {
            Some((base, l)) if crate::corpus::LANGUAGES.contains(&l) => (base, Some(l.to_string())),
            _ => (stem, None),
        };
        let id = slug(
            &rel.rsplit_once('.')
                .map_or(rel, |(s, _)| s)
                .replace('/', "-"),
        );
        let (language, language_source) = match lang_from_name {
            Some(l) => (l, "file name".to_string()),
            None => (detect_language(text).to_string(), "text".to_string()),
        };
        let title = pdf_title
            .filter(|t| !t.trim().is_empty() && !t.starts_with("Microsoft Word"))
            .map_or_else(|| stem_base.to_string(), cut_title);
        // Only the file name gives a year, and only a year standing alone in it (`cop-2019`):
        // a title's "Agenda 2030" or a number's digits (`doc-019450`) are not years.
        let year = find_year(stem);
        Meta {
            id,
            title,
            short: stem_base.to_string(),
            kind: "unknown".into(),
            language,
            language_source,
            year,
            adopted: year.map(|y| y.to_string()).unwrap_or_default(),
            ..Meta::default()
        }
    }
}

/// The first run of exactly four digits between non-alphanumerics in `s` that can be a year of
/// adoption: from 1945 (the UN) to this year ("Agenda 2030" names a target, not a date).
fn find_year(s: &str) -> Option<u32> {
    let now = 1970
        + std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() / 31_556_952) as u32;
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .find_map(|w| w.parse::<u32>().ok().filter(|y| (1945..=now).contains(y)))
}

/// The most characters a title taken from a PDF's Info dictionary keeps.
pub const TITLE_CHARS: usize = 300;

/// A PDF's Info /Title as a title: whitespace runs made one space, cut at [`TITLE_CHARS`]
/// with a visible "…" (a crafted file's title can be any length).
fn cut_title(t: &str) -> String {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.char_indices().nth(TITLE_CHARS) {
        Some((at, _)) => format!("{}…", &t[..at]),
        None => t,
    }
}

/// A file-name-safe id: lowercase letters, digits and dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// English, Spanish or French, by the commonest function words in the text.
pub fn detect_language(text: &str) -> &'static str {
    const EN: [&str; 8] = ["the", "of", "and", "to", "in", "that", "is", "for"];
    const ES: [&str; 8] = ["el", "los", "las", "del", "que", "para", "con", "por"];
    const FR: [&str; 8] = ["le", "les", "des", "du", "et", "est", "pour", "dans"];
    let mut counts = [0usize; 3];
    for (a, b) in crate::extract::normalize::tokens(text).take(20_000) {
        let w = text[a..b].to_lowercase();
        for (i, list) in [&EN, &ES, &FR].iter().enumerate() {
            if list.contains(&w.as_str()) {
                counts[i] += 1;
            }
        }
    }
    match counts.iter().enumerate().max_by_key(|(_, c)| **c) {
        Some((1, _)) => "es",
        Some((2, _)) => "fr",
        _ => "en",
    }
}

/// The manifest entry that a found file is, if any: by path or alias, else by checksum.
pub fn identify<'m>(manifest: &'m Manifest, found: &Found) -> Option<&'m Entry> {
    manifest
        .by_file(&found.rel)
        .or_else(|| manifest.by_sha(&found.sha256))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_apart() {
        assert_eq!(
            detect_language("The Conference of the Parties decides that the cities"),
            "en"
        );
        assert_eq!(
            detect_language(
                "La Conferencia de las Partes decide que los gobiernos locales y las ciudades"
            ),
            "es"
        );
        assert_eq!(
            detect_language(
                "La Conférence des Parties décide que les villes et les collectivités sont dans"
            ),
            "fr"
        );
    }

    #[test]
    fn unknown_files_get_ids_languages_and_titles() {
        let m = Meta::infer("new/Agenda 2030.es.pdf", Some("Microsoft Word - a.doc"), "");
        assert_eq!(m.id, "new-agenda-2030-es");
        assert_eq!(m.language, "es");
        assert_eq!(m.language_source, "file name");
        assert_eq!(m.title, "Agenda 2030");
        assert_eq!(m.year, None, "a target year is not a year of adoption");
        assert_eq!(Meta::infer("cop-2019.txt", None, "").year, Some(2019));
        assert_eq!(Meta::infer("doc-019450.txt", None, "").year, None);
        assert_eq!(Meta::infer("x.pdf", Some("Report 2015"), "").year, None);
        let long = Meta::infer("x.pdf", Some(&"t".repeat(70_000)), "");
        assert_eq!(long.title.chars().count(), TITLE_CHARS + 1);
        assert!(long.title.ends_with('…'));
    }
}
