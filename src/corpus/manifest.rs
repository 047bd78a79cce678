//! The corpus manifest (`corpus/manifest.toml`): what each document is and where it comes from.
//!
//! Metadata lives in the manifest, not in file names, so that a count can be cited with the
//! document's symbol and official address, and so that documents this machine lacks are still
//! known (and reported as missing) rather than silently absent.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One document of the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable slug, e.g. `paris-2015`.
    pub id: String,
    /// Full title.
    pub title: String,
    /// Short name for tables and citations, e.g. "Paris".
    pub short: String,
    /// UN document symbol.
    #[serde(default)]
    pub symbol: String,
    /// Year or date of adoption: a year (`2018` or `"2018"`) or an ISO date (`"2018-12-19"`).
    #[serde(default, deserialize_with = "year_or_date")]
    pub adopted: String,
    /// One of [`KINDS`].
    #[serde(default)]
    pub kind: String,
    /// Hard law (true) or soft law.
    #[serde(default)]
    pub binding: bool,
    /// en, es or fr.
    pub language: String,
    /// Path relative to the corpus folder.
    pub file: String,
    /// Official address.
    #[serde(default)]
    pub url: String,
    /// sha256 of the file; empty when the file has not been obtained yet.
    #[serde(default)]
    pub sha256: String,
    /// CP, CMP or CMA for UNFCCC reports.
    #[serde(default)]
    pub body: Option<String>,
    /// Session number.
    #[serde(default)]
    pub session: Option<u32>,
    /// Where the session was held.
    #[serde(default)]
    pub venue: Option<String>,
    /// Page count of the official file.
    #[serde(default)]
    pub pages: Option<u32>,
    /// "official" or "pattern": how sure the address is.
    #[serde(default)]
    pub url_source: Option<String>,
    /// Other file names with the same bytes.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The largest download `fetch` accepts for this document, in bytes (default
    /// [`crate::corpus::fetch::DEFAULT_MAX_BYTES`]).
    #[serde(default)]
    pub max_bytes: Option<u64>,
    /// Anything a reader of the numbers should know.
    #[serde(default)]
    pub note: Option<String>,
    /// The id of a fuller text of the same instrument: this one is left out of every total
    /// (it can still be named with `--doc`), so nothing is counted twice.
    #[serde(default)]
    pub superseded_by: Option<String>,
    /// The id of the original this text translates: a translation is left out of every total
    /// and of the UNFCCC series (the same decisions would count twice); `--lang` selects it.
    #[serde(default)]
    pub translation_of: Option<String>,
    /// Instruments inside the document (`[[document.part]]`), in document order: each is
    /// indexed and selected like a document of its own.
    #[serde(default, rename = "part")]
    pub parts: Vec<Part>,
}

/// An instrument inside a document: decision 1/CP.21 and the Paris Agreement in its annex.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Stable id, selectable like a document id.
    pub id: String,
    /// Full title.
    pub title: String,
    /// Short name.
    pub short: String,
    /// treaty, decision, compact ...
    #[serde(default)]
    pub kind: String,
    /// Hard law?
    #[serde(default)]
    pub binding: bool,
    /// The label of the unit the part starts at (the first part starts at the beginning and
    /// names none); it runs to the next part's start.
    #[serde(default)]
    pub starts: Option<String>,
}

impl Entry {
    /// Counted in totals over the corpus: not superseded by a fuller text, not a translation
    /// (the same rule as [`crate::corpus::Meta::in_totals`] for an indexed document).
    pub fn in_totals(&self) -> bool {
        self.superseded_by.is_none() && self.translation_of.is_none()
    }

    /// The year of adoption, when `adopted` starts with one.
    pub fn year(&self) -> Option<u32> {
        self.adopted.get(..4)?.parse().ok()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    document: Vec<Entry>,
}

/// The whole manifest.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// Entry positions by file and alias, by sha256, by id: every file found asks, and a
    /// 100,000-entry manifest made a scan per file take a no-change index from 0.45 s to 16 s.
    by_file: HashMap<String, usize>,
    by_sha: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
}

/// Why a manifest path is refused: it must be relative, normalised (no empty, `.` or `..`
/// component, forward slashes) and name a file inside the corpus folder, because `fetch`
/// writes it and `index` reads it.
fn bad_path(p: &str) -> Option<&'static str> {
    if p.is_empty() {
        return Some("is empty");
    }
    if p.starts_with('/') {
        return Some("is absolute");
    }
    if p.contains('\\') || p.contains('\0') {
        return Some("holds a backslash or NUL");
    }
    if p.split('/').any(|c| c == "..") {
        return Some("goes up out of the corpus folder (..)");
    }
    if p.split('/').any(|c| c.is_empty() || c == ".") {
        return Some("is not normalised (an empty or . component)");
    }
    if p.ends_with(".part") || p.split('/').any(|c| c.starts_with('.')) {
        return Some("names a hidden or partial file, which the corpus scan skips");
    }
    None
}

const LANGUAGES: [&str; 3] = ["en", "es", "fr"];

/// The kinds of document a manifest may give (what `--kind` selects). A file outside the
/// manifest is of kind "unknown".
pub const KINDS: [&str; 8] = [
    "treaty",
    "decision",
    "compact",
    "declaration",
    "resolution",
    "agenda",
    "framework",
    "report",
];

/// The `[[document]]` entry to paste into the manifest for a file the manifest does not list:
/// what `index` inferred (id, title, year, language) and what only a person can say (kind,
/// short name, symbol, address), with the file's sha256. A dropped file is indexed with kind
/// "unknown" until its entry is added; moving it into the manifest keeps its data.
pub fn entry_to_paste(meta: &crate::corpus::Meta, file: &str, sha256: &str) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let adopted = meta.year.map_or_else(
        || "\"\"  # a year or an ISO date".to_string(),
        |y| y.to_string(),
    );
    format!(
        "[[document]]\nid = {}\ntitle = {}\nshort = {}\nsymbol = \"\"\nadopted = {adopted}\nkind = \"\"  # one of {}\nbinding = false\nlanguage = {}\nfile = {}\nurl = \"\"\nsha256 = {}\n",
        q(&meta.id),
        q(&meta.title),
        q(&meta.short),
        KINDS.join(" | "),
        q(&meta.language),
        q(file),
        q(sha256)
    )
}

/// `adopted` as written: a TOML integer (`2023`) is the year as text.
fn year_or_date<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum YearOrDate {
        Year(i64),
        Text(String),
    }
    Ok(match YearOrDate::deserialize(d)? {
        YearOrDate::Year(y) => y.to_string(),
        YearOrDate::Text(t) => t,
    })
}

/// Why `adopted` is not a year (1900 to 2100) or an ISO date (YYYY-MM-DD), if it is not.
fn bad_adopted(a: &str) -> Option<String> {
    if a.is_empty() {
        return None;
    }
    let b = a.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shape = (b.len() == 4 && digits(0..4))
        || (b.len() == 10
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10));
    let year: u32 = if shape {
        a[..4].parse().unwrap_or(0)
    } else {
        0
    };
    let (month, day): (u32, u32) = if b.len() == 10 && shape {
        (a[5..7].parse().unwrap_or(0), a[8..10].parse().unwrap_or(0))
    } else {
        (1, 1)
    };
    if shape
        && (1900..=2100).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
    {
        return None;
    }
    Some(format!(
        "adopted {a:?} is not a year (1900 to 2100, as 2018 or \"2018\") or an ISO date (\"2018-12-19\")"
    ))
}

/// Why an id is refused, if it is: ids name documents in every command and output, so one
/// must be a word: not empty, no whitespace or control characters (a newline broke tables).
fn bad_id(id: &str) -> Option<&'static str> {
    if id.trim().is_empty() {
        Some("is empty")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("holds whitespace or a control character")
    } else {
        None
    }
}

impl Manifest {
    /// Reads and checks a manifest: TOML syntax (with line and column), unique ids and files,
    /// known languages.
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = crate::extract::read_config(path)?;
        Manifest::parse(&text, path)
    }

    /// Parses manifest text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
        let config = |reason: String| Error::Config {
            path: path.to_path_buf(),
            reason,
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let place = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!("line {line}, column {col}: ")
                })
                .unwrap_or_default();
            config(format!("{place}{}", e.message()))
        })?;
        let mut ids = HashSet::new();
        let mut files = HashSet::new();
        for e in &file.document {
            for id in std::iter::once(&e.id).chain(e.parts.iter().map(|p| &p.id)) {
                if let Some(why) = bad_id(id) {
                    return Err(config(format!(
                        "document {:?}: the id {id:?} {why}; give a word such as \"gcm-2018\"",
                        e.title
                    )));
                }
                if !ids.insert(id.as_str()) {
                    return Err(config(format!("duplicate id {id:?}")));
                }
            }
            if let Some(why) = bad_adopted(&e.adopted) {
                return Err(config(format!("document {}: {why}", e.id)));
            }
            let kinds =
                std::iter::once((&e.id, &e.kind)).chain(e.parts.iter().map(|p| (&p.id, &p.kind)));
            for (id, kind) in kinds {
                if !kind.is_empty() && !KINDS.contains(&kind.as_str()) {
                    return Err(config(format!(
                        "document {id}: kind {kind:?} is not one of {}",
                        KINDS.join(", ")
                    )));
                }
            }
            for (i, p) in e.parts.iter().enumerate() {
                if (i == 0) != p.starts.is_none() {
                    return Err(config(format!(
                        "document {}, part {}: the first part starts at the beginning (no `starts`), every other part names the unit it starts at",
                        e.id, p.id
                    )));
                }
            }
            for p in std::iter::once(&e.file).chain(&e.aliases) {
                if let Some(why) = bad_path(p) {
                    return Err(config(format!(
                        "document {}: file {p:?} {why}; manifest paths are relative to the corpus folder and stay inside it",
                        e.id
                    )));
                }
            }
            if !files.insert(e.file.as_str()) {
                return Err(config(format!(
                    "duplicate file {:?} (document {})",
                    e.file, e.id
                )));
            }
            if !LANGUAGES.contains(&e.language.as_str()) {
                return Err(config(format!(
                    "document {}: language {:?} is not one of en, es, fr",
                    e.id, e.language
                )));
            }
        }
        for e in &file.document {
            let links = [
                ("superseded_by", &e.superseded_by),
                ("translation_of", &e.translation_of),
            ];
            for (field, link) in links {
                let Some(other) = link else { continue };
                if *other == e.id {
                    return Err(config(format!(
                        "document {}: {field} names the document itself; it would vanish from every total",
                        e.id
                    )));
                }
                if !file.document.iter().any(|x| x.id == *other) {
                    return Err(config(format!(
                        "document {}: {field} = {other:?} names no document of the manifest; it would vanish from every total",
                        e.id
                    )));
                }
            }
        }
        Ok(Manifest::of(file.document))
    }

    /// A manifest of these (checked) entries, with its maps.
    fn of(entries: Vec<Entry>) -> Manifest {
        let mut m = Manifest {
            entries,
            ..Manifest::default()
        };
        // The first entry wins, as the scan in file order did.
        for (i, e) in m.entries.iter().enumerate() {
            for f in std::iter::once(&e.file).chain(&e.aliases) {
                m.by_file.entry(f.clone()).or_insert(i);
            }
            if !e.sha256.is_empty() {
                m.by_sha.entry(e.sha256.clone()).or_insert(i);
            }
            m.by_id.entry(e.id.clone()).or_insert(i);
        }
        m
    }

    /// The manifest at `path`, or an empty one when there is no such file.
    pub fn load_or_empty(path: &Path) -> Result<Manifest> {
        if path.exists() {
            Manifest::load(path)
        } else {
            Ok(Manifest::default())
        }
    }

    /// The entry for a file (relative path, forward slashes), by its name or an alias.
    pub fn by_file(&self, rel: &str) -> Option<&Entry> {
        self.by_file.get(rel).map(|&i| &self.entries[i])
    }

    /// The entry whose recorded sha256 is `sha` (a renamed or copied file).
    pub fn by_sha(&self, sha: &str) -> Option<&Entry> {
        self.by_sha.get(sha).map(|&i| &self.entries[i])
    }

    /// The entry with this id.
    pub fn by_id(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The entry holding the part with this id, and the part.
    pub fn part(&self, id: &str) -> Option<(&Entry, &Part)> {
        self.entries
            .iter()
            .find_map(|e| e.parts.iter().find(|p| p.id == id).map(|p| (e, p)))
    }
}

/// Where the manifest is: `MENUTABLE_MANIFEST`, else `corpus/manifest.toml`.
pub fn default_path() -> PathBuf {
    std::env::var_os("MENUTABLE_MANIFEST").map_or_else(
        || crate::corpus::project::default("corpus/manifest.toml"),
        PathBuf::from,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_names_line_and_column() {
        let err = Manifest::parse(
            "[[document]]\nid = \"a\"\ntitle = oops\n",
            Path::new("m.toml"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("m.toml: line 3, column"), "{msg}");
    }

    #[test]
    fn paths_that_leave_the_corpus_folder_are_refused() {
        for (file, why) in [
            ("/etc/passwd", "is absolute"),
            ("../index/meta.json", "goes up"),
            ("a/../../x.pdf", "goes up"),
            ("", "is empty"),
            (".", "not normalised"),
            ("..", "goes up"),
            ("a//b.pdf", "not normalised"),
            ("./a.pdf", "not normalised"),
            ("x.pdf.part", "partial"),
        ] {
            let text = format!(
                "[[document]]\nid = \"a\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = {file:?}\n"
            );
            let err = Manifest::parse(&text, Path::new("m.toml"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("document a") && err.contains(why),
                "{file:?}: {err}"
            );
        }
    }

    #[test]
    fn duplicate_id_is_refused() {
        let one = "[[document]]\nid = \"a\"\ntitle = \"t\"\nshort = \"s\"\nlanguage = \"en\"\nfile = \"FILE\"\n";
        let text = format!(
            "{}{}",
            one.replace("FILE", "x.pdf"),
            one.replace("FILE", "y.pdf")
        );
        let err = Manifest::parse(&text, Path::new("m.toml")).unwrap_err();
        assert!(err.to_string().contains("duplicate id \"a\""), "{err}");
    }

    #[test]
    fn the_project_manifest_parses() {
        let m = Manifest::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/manifest.toml"
        )))
        .unwrap();
        assert!(m.by_id("paris-2015").is_some());
        assert_eq!(
            m.by_file("unfccc/1_CP_21.pdf").map(|e| e.id.as_str()),
            Some("paris-2015")
        );
        for id in ["gcm-2018", "gcr-2018", "nua-2016"] {
            assert!(
                !m.by_id(id).unwrap().url.is_empty(),
                "{id} needs its official url"
            );
        }
    }
}
