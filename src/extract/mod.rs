//! Text extraction: a document file becomes a sequence of lines, each with its page and its
//! kind (body text, table of contents, footnote), running headers and footers removed.
//!
//! PDF goes through [`pdf`] (lopdf, laid out from glyph positions), plain text and Markdown
//! through [`text`]; [`furniture`] then classifies PDF lines. What is not body text is kept and
//! marked rather than dropped, so that `--include-toc` can still count it and the text a count
//! came from can always be shown.

pub mod budget;
pub mod content;
pub mod furniture;
pub mod normalize;
pub mod pdf;
pub mod quality;
pub mod segment;
pub mod text;

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// What a line is, as far as counting is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    /// Body text: counted.
    Body,
    /// A table-of-contents entry (a heading repeated with dot leaders and a page number):
    /// counted only with `--include-toc`.
    Toc,
    /// A footnote body at the foot of a page: counted, cited as a footnote.
    Footnote,
}

/// One line of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLine {
    /// 1-based page, or None for documents without pages (text, Markdown).
    pub page: Option<u32>,
    /// The text as extracted (not yet normalised).
    pub text: String,
    /// Body, table of contents or footnote.
    pub kind: LineKind,
}

/// A page that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct PageFailure {
    /// 1-based page number.
    pub page: u32,
    /// Why.
    pub reason: String,
}

/// A document's text, ready to be segmented.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Lines in reading order, furniture removed.
    pub lines: Vec<SourceLine>,
    /// Number of pages (0 for text documents).
    pub pages: u32,
    /// Pages that failed, with reasons.
    pub failed_pages: Vec<PageFailure>,
    /// The PDF's /Title, when it has one.
    pub title: Option<String>,
    /// Lines removed as running headers, footers and page numbers.
    pub furniture_lines: usize,
    /// Pages whose text is not language even after trying to undo shifted font codes.
    pub garbled_pages: Vec<u32>,
    /// Pages recovered by undoing a shift of a font's codes: (page, shift).
    pub recovered_pages: Vec<(u32, i32)>,
    /// Every line as extracted, before normalisation, with what it was taken for: "body",
    /// "toc", "footnote" or "furniture" (for `menutable text --raw`).
    pub raw_lines: Vec<(Option<u32>, &'static str, String)>,
    /// Stray spaces inside words that were repaired (text from PDFs only; see
    /// [`normalize::SpaceRepairs`]). `raw_lines` shows each as a "repair" line.
    pub repairs: Vec<normalize::Repair>,
    /// The text of a PDF as pdftotext writes it (form feeds between pages): the segmenter
    /// then knows its numbers stand on lines of their own.
    pub paged_text: bool,
    /// What reading a PDF cost (zero for texts): tells an image-only PDF (operations, no
    /// glyphs) from one whose content could not be read at all (no operations).
    pub work: budget::Work,
}

/// Extracts a document by its content: PDF when it starts with `%PDF` or is named `.pdf`,
/// UTF-8 text otherwise (`.txt`, `.md`, `.text`).
pub fn extract(path: &Path) -> Result<Extracted> {
    let ext = extension(path);
    match ext.as_str() {
        "pdf" => {
            let pdf = pdf::extract_file(path)?;
            Ok(furniture::classify(pdf))
        }
        "txt" | "md" | "markdown" | "text" => text::extract_file(path),
        _ => Err(unsupported(path)),
    }
}

/// What reading a file cost: every counter for a PDF, the size for a text.
pub fn work(path: &Path) -> Result<budget::Work> {
    if extension(path) == "pdf" {
        return Ok(pdf::extract_file(path)?.work);
    }
    let bytes = extract(path).map(|_| std::fs::metadata(path).map(|m| m.len()))?;
    Ok(budget::Work {
        bytes: bytes.map_err(|e| Error::io(path, e))?,
        ..budget::Work::default()
    })
}

/// The raw text of a file as `pdftotext` would give it: lines in reading order, pages separated
/// by form feeds, nothing removed. Text files are returned as they are.
pub fn raw_text(path: &Path) -> Result<String> {
    let ext = extension(path);
    if !is_document(path) {
        return Err(unsupported(path));
    }
    if ext != "pdf" {
        // As it is (checked as a document first): a text made from a PDF keeps its headers
        // and form feeds, like pdftotext's output.
        text::extract_file(path)?;
        let bytes = read_bounded(path, budget::BUDGET.text_bytes)?;
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    let pdf = pdf::extract_file(path)?;
    let mut out = String::new();
    for page in &pdf.pages {
        for line in &page.lines {
            out.push_str(&line.text);
            out.push('\n');
        }
        out.push('\u{c}');
    }
    Ok(out)
}

/// Reads a whole file, refusing it (with its size and the bound) past `limit` bytes. Reads
/// at most `limit + 1` bytes whatever the file claims, so a file that grows while it is read,
/// or a device behind a name, cannot take the memory.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let too_big = |bytes: u64| Error::Extract {
        path: path.to_path_buf(),
        reason: budget::past_size(bytes, limit),
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let claimed = file.metadata().map(|m| m.len()).unwrap_or(0);
    if claimed > limit {
        return Err(too_big(claimed));
    }
    let mut bytes = Vec::with_capacity(claimed as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The most a file named on the command line may hold (a manifest, lexicon, gold or claims
/// file): the project's manifest is 40 KB, a 100,000-entry one about 30 MB.
pub const CONFIG_BYTES: u64 = 64 << 20;

/// Reads a settings file named by the user (`--manifest`, `--lexicon`, `--gold`, claims): a
/// regular file of at most [`CONFIG_BYTES`], as UTF-8 (`--manifest /dev/zero` once read until
/// memory ran out).
pub fn read_config(path: &Path) -> Result<String> {
    let config = |reason: String| Error::Config {
        path: path.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(config("not a regular file".into()));
    }
    let bytes = read_bounded(path, CONFIG_BYTES).map_err(|e| match e {
        Error::Extract { reason, .. } => config(reason),
        e => e,
    })?;
    String::from_utf8(bytes).map_err(|e| config(format!("not UTF-8 text ({e})")))
}

fn unsupported(path: &Path) -> Error {
    Error::Extract {
        path: path.to_path_buf(),
        reason: format!(
            "unsupported file type {:?} (menutable reads .pdf, .txt and .md)",
            extension(path)
        ),
    }
}

/// The file's extension, lowercase ("" when it has none).
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Whether menutable would try to read this file as a document.
pub fn is_document(path: &Path) -> bool {
    let ext = extension(path);
    matches!(ext.as_str(), "pdf" | "txt" | "md" | "markdown" | "text")
}
