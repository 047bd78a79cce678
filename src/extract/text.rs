//! Plain text and Markdown documents: lines as they are, no pages.
//!
//! Markdown structure (headings, list items) is left in the lines for the segmenter, which
//! knows the shapes it cites ("# Objective 2", "- b. ...").

use std::path::Path;

use super::normalize::SpaceRepairs;
use super::{Extracted, LineKind, SourceLine, furniture};
use crate::error::{Error, Result};

/// Reads a UTF-8 text file; a file that is not UTF-8 is an error naming the byte offset.
pub fn extract_file(path: &Path) -> Result<Extracted> {
    let bytes = super::read_bounded(path, super::budget::BUDGET.text_bytes)?;
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
    let budget = super::budget::BUDGET.text_lines;
    let lines = lines_of(&text)
        .filter(|l| !l.trim().is_empty())
        .take(budget as usize + 1)
        .count() as u64;
    if lines > budget {
        return Err(Error::Extract {
            path: path.to_path_buf(),
            reason: format!(
                "more than {budget} lines of text (the longest real text has 2,187): not read, as its lines alone would take more memory than any document needs"
            ),
        });
    }
    Ok(from_str(&text))
}

/// Lines of a text document. A text with form feeds is the text of a PDF (pdftotext writes one
/// per page break): it gets pages, its running headers, footers and footnotes are told apart
/// as a PDF's are ([`furniture::classify_text`]), and stray spaces inside words are repaired
/// where the document's own words are the evidence ([`SpaceRepairs`]).
pub fn from_str(text: &str) -> Extracted {
    // A byte-order mark is no text: left in, it hid the "1." that opens the first paragraph.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\u{c}') {
        return paged(text);
    }
    // A run of blank lines is one paragraph break: kept as one line, so that a file of
    // millions of blank lines costs no more than one.
    let mut last_blank = false;
    let kept: Vec<&str> = lines_of(text)
        .map(str::trim_end)
        .filter(|l| {
            let blank = l.is_empty();
            let keep = !(blank && last_blank);
            last_blank = blank;
            keep
        })
        .collect();
    let lines = kept
        .iter()
        .map(|l| SourceLine {
            page: None,
            text: l.to_string(),
            kind: LineKind::Body,
        })
        .collect();
    let raw_lines = kept.iter().map(|l| (None, "body", l.to_string())).collect();
    Extracted {
        lines,
        raw_lines,
        ..Extracted::default()
    }
}

/// The lines of `text`, whatever ends them: "\n", "\r\n" or a lone "\r" (classic Mac files:
/// `str::lines` took a whole such file for one line, merging its paragraphs).
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\n', '\r']) {
            None => {
                rest = None;
                (!s.is_empty()).then_some(s)
            }
            Some(at) => {
                let skip = if s[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[at + skip..]);
                Some(&s[..at])
            }
        }
    })
}

/// A text with pages at form feeds (see [`from_str`]).
fn paged(text: &str) -> Extracted {
    let mut pages: Vec<Vec<String>> = text
        .split('\u{c}')
        .map(|p| {
            lines_of(p)
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect();
    // pdftotext ends its output with a form feed: no page follows the last one.
    while pages.len() > 1 && pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    let mut ex = furniture::classify_text(pages);
    let repairs = SpaceRepairs::from_lines(ex.lines.iter().map(|l| l.text.as_str()));
    let mut raw = Vec::with_capacity(ex.raw_lines.len());
    let mut lines = ex.lines.iter_mut();
    for (page, kind, text) in std::mem::take(&mut ex.raw_lines) {
        raw.push((page, kind, text.clone()));
        if kind == "furniture" {
            continue;
        }
        // Raw and kept lines are in the same order: this is the kept line of `text`.
        let Some(line) = lines.next() else { continue };
        let (fixed, made) = repairs.repair(&line.text);
        for (from, to) in made {
            raw.push((page, "repair", format!("{from} -> {to}")));
            ex.repairs.push(super::normalize::Repair { page, from, to });
        }
        line.text = fixed;
    }
    ex.raw_lines = raw;
    ex.paged_text = true;
    ex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_any_line_ending() {
        let v: Vec<&str> = lines_of("a\nb\r\nc\rd\r\re\n").collect();
        assert_eq!(v, ["a", "b", "c", "d", "", "e"]);
        let v: Vec<&str> = lines_of("x").collect();
        assert_eq!(v, ["x"]);
        assert_eq!(lines_of("").count(), 0);
        let bom = from_str("\u{feff}1. The cities.\r2. The mayors.\r");
        let texts: Vec<&str> = bom.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["1. The cities.", "2. The mayors."]);
    }
}
