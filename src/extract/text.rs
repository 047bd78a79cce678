//! Plain text and Markdown documents: lines as they are, no pages.
//!
//! Markdown structure (headings, list items) is left in the lines for the segmenter, which
//! knows the shapes it cites ("# Objective 2", "- b. ...").

use std::path::Path;

use super::{Extracted, LineKind, SourceLine};
use crate::error::{Error, Result};

/// Reads a UTF-8 text file; a file that is not UTF-8 is an error naming the byte offset.
pub fn extract_file(path: &Path) -> Result<Extracted> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Extract {
        path: path.to_path_buf(),
        reason: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    if text.trim().is_empty() {
        return Err(Error::Extract {
            path: path.to_path_buf(),
            reason: "empty file".into(),
        });
    }
    Ok(from_str(&text))
}

/// Lines of a text document.
pub fn from_str(text: &str) -> Extracted {
    let lines = text
        .lines()
        .map(|l| SourceLine {
            page: None,
            text: l.trim_end().to_string(),
            kind: LineKind::Body,
        })
        .collect();
    let raw_lines = text
        .lines()
        .map(|l| (None, "body", l.trim_end().to_string()))
        .collect();
    Extracted {
        lines,
        raw_lines,
        ..Extracted::default()
    }
}
