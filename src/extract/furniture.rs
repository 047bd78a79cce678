//! Page furniture: running headers and footers, page numbers, footnotes, tables of contents.
//!
//! UN documents repeat their symbol ("FCCC/CP/2015/10/Add.1"), a page label ("Page 26") and a
//! job number ("GE.16-01194") on every page; counted as text they would add words and, for
//! symbols that contain terms, mentions. Tables of contents repeat headings that the body has
//! too ("...the people of the city of Poznan ........ 26"): counted, every heading mention
//! would count twice. Both are found from the page geometry and repetition, not from a list
//! of symbols, so that new documents are handled the same way.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::pdf::{Line, PdfText};
use super::{Extracted, LineKind, PageFailure, SourceLine};

/// Lines at the top or bottom of a page that may be running headers or footers: the first and
/// last three upright lines, and only within the top or bottom eighth of the page.
const ZONE: usize = 3;
const EDGE: f32 = 0.125;

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(page|página|pag\.|p\.)?\s*-?\s*\d{1,4}\s*-?(\s*/\s*\d{1,4})?$").unwrap()
});
static JOB_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(GE\.\d{2}-\d{4,6}|\*\d{6,}\*|[A-Z]?\d{2}-\d{5}\s*\([A-Z]\))").unwrap()
});
static SYMBOL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(FCCC|A|E|S|UNEP|TD)/[A-Z0-9./]+(\s+Page\s+\d+)?$").unwrap());
static LEADERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\.\s?){4,}\s*\d{1,4}\s*$|…{2,}\s*\d{1,4}\s*$").unwrap());
static CONTENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(contents|table of contents|índice|indice|table des matières|sommaire)$")
        .unwrap()
});
/// Inside a table of contents, an entry may end in a bare page number without leaders.
static ENDS_WITH_PAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\D\s+\d{1,3}$").unwrap());
static DECISION_SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(decision|resolution|décision|decisión|resolución|résolution)\s+(\d+|-)\s*/")
        .unwrap()
});
/// The date stamp under a UN job number on a first page ("160119" for 16 January 2019).
static DATE_STAMP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{6}$").unwrap());
/// A UN job number as pdftotext writes it on every page of a text ("18-22354").
static TEXT_JOB_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{2}-\d{5}$").unwrap());
/// The rule line above a page's footnotes, as pdftotext writes it.
static FOOTNOTE_RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^_{5,}$").unwrap());
static DECISION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(decision|resolution|décision|decisión|resolución|résolution)\s").unwrap()
});

/// Digits masked, spaces and case dropped: "Page 26" and "Page 27" are the same furniture.
fn shape(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Classifies the lines of every page and flattens them into the document's line sequence.
pub fn classify(pdf: PdfText) -> Extracted {
    let pages = pdf.pages.len() as u32;
    let readable = pdf.pages.iter().filter(|p| p.error.is_none()).count();
    // How many pages have each exact text, and each shape, in their top or bottom zone.
    let mut exact: HashMap<&str, usize> = HashMap::new();
    let mut shaped: HashMap<String, usize> = HashMap::new();
    for page in &pdf.pages {
        let mut seen_exact = std::collections::HashSet::new();
        let mut seen_shape = std::collections::HashSet::new();
        for line in zone(&page.lines, page.height) {
            if seen_exact.insert(line.text.as_str()) {
                *exact.entry(line.text.as_str()).or_default() += 1;
            }
            let s = shape(&line.text);
            if seen_shape.insert(s.clone()) {
                *shaped.entry(s).or_default() += 1;
            }
        }
    }
    let threshold = (readable / 4).max(2);
    let is_furniture = |line: &Line| {
        let t = line.text.trim();
        if PAGE_NUMBER.is_match(t) || JOB_NUMBER.is_match(t) || SYMBOL.is_match(t) {
            return true;
        }
        if DECISION_HEADING.is_match(t) {
            return false;
        }
        exact.get(t).copied().unwrap_or(0) >= threshold
            || (t.split_whitespace().count() <= 4
                && shaped.get(&shape(t)).copied().unwrap_or(0) >= threshold)
    };

    let mut out = Extracted {
        pages,
        title: pdf.title.clone(),
        work: pdf.work,
        ..Extracted::default()
    };
    let mut in_toc = false;
    for page in &pdf.pages {
        if let Some(reason) = &page.error {
            out.failed_pages.push(PageFailure {
                page: page.number,
                reason: reason.clone(),
            });
            continue;
        }
        if page.garbled {
            out.garbled_pages.push(page.number);
        }
        if let Some(k) = page.recovered_shift {
            out.recovered_pages.push((page.number, k));
        }
        let n = page.lines.len();
        let mut kinds: Vec<Option<LineKind>> = vec![Some(LineKind::Body); n];
        for (i, line) in page.lines.iter().enumerate() {
            if in_zone(i, n, line, page.height) && is_furniture(line) {
                kinds[i] = None;
            }
        }
        mark_footnotes(&page.lines, &mut kinds);
        in_toc = mark_toc(&page.lines, &mut kinds, in_toc);
        for (line, kind) in page.lines.iter().zip(kinds) {
            push_line(&mut out, page.number, &line.text, kind);
        }
    }
    out
}

/// Lines of a text page (blank lines dropped) that may be running headers or footers: the
/// first three and the last four. pdftotext writes a page's footer lines after its footnotes
/// and sometimes a footnote after its job number, so the foot needs one line more than a PDF's
/// geometry does.
const TEXT_TOP: usize = 3;
const TEXT_FOOT: usize = 4;

/// Classifies the pages of a text that pdftotext made from a PDF (pages split at form feeds,
/// blank lines already dropped): the same furniture rules as for PDF pages, by position on the
/// page instead of geometry — page-marker, job-number and symbol shapes, and lines repeated in
/// the margins of a quarter of the pages. Short lines without a letter are not judged by
/// repetition: a paragraph number set on its own line ("18.") may recur in the margins.
/// Everything after a footnote rule ("_____") on a page is a footnote.
pub fn classify_text(pages: Vec<Vec<String>>) -> Extracted {
    let n_pages = pages.len();
    let in_zone = |i: usize, n: usize| i < TEXT_TOP || i + TEXT_FOOT >= n;
    let mut exact: HashMap<&str, usize> = HashMap::new();
    for page in &pages {
        let mut seen = std::collections::HashSet::new();
        for (i, line) in page.iter().enumerate() {
            if in_zone(i, page.len()) && seen.insert(line.trim()) {
                *exact.entry(line.trim()).or_default() += 1;
            }
        }
    }
    let threshold = (n_pages / 4).max(2);
    let is_furniture = |t: &str| {
        PAGE_NUMBER.is_match(t)
            || JOB_NUMBER.is_match(t)
            || SYMBOL.is_match(t)
            || DATE_STAMP.is_match(t)
            || ((t.chars().any(char::is_alphabetic) || t.len() >= 5)
                && !DECISION_HEADING.is_match(t)
                && exact.get(t).copied().unwrap_or(0) >= threshold)
    };
    let mut out = Extracted {
        pages: n_pages as u32,
        ..Extracted::default()
    };
    for (p, page) in pages.iter().enumerate() {
        let number = p as u32 + 1;
        let mut footnotes = false;
        for (i, line) in page.iter().enumerate() {
            let t = line.trim();
            let kind = if FOOTNOTE_RULE.is_match(t) {
                footnotes = true;
                None
            } else if (in_zone(i, page.len()) && is_furniture(t))
                || SYMBOL.is_match(t)
                || JOB_NUMBER.is_match(t)
                || TEXT_JOB_NUMBER.is_match(t)
            {
                // A symbol or job number is furniture wherever pdftotext put it on the page.
                None
            } else if footnotes {
                Some(LineKind::Footnote)
            } else {
                Some(LineKind::Body)
            };
            push_line(&mut out, number, line, kind);
        }
    }
    out
}

/// Appends a classified line: to the raw lines always, to the document's lines unless it is
/// furniture.
fn push_line(out: &mut Extracted, page: u32, text: &str, kind: Option<LineKind>) {
    let name = match kind {
        None => "furniture",
        Some(LineKind::Body) => "body",
        Some(LineKind::Toc) => "toc",
        Some(LineKind::Footnote) => "footnote",
    };
    out.raw_lines.push((Some(page), name, text.to_string()));
    match kind {
        None => out.furniture_lines += 1,
        Some(kind) => out.lines.push(SourceLine {
            page: Some(page),
            text: text.to_string(),
            kind,
        }),
    }
}

fn in_zone(i: usize, n: usize, line: &Line, height: f32) -> bool {
    let near_edge = line.y > height * (1.0 - EDGE) || line.y < height * EDGE;
    line.upright && near_edge && (i < ZONE || i + ZONE >= n)
}

fn zone(lines: &[Line], height: f32) -> impl Iterator<Item = &Line> {
    let n = lines.len();
    lines
        .iter()
        .enumerate()
        .filter(move |(i, l)| in_zone(*i, n, l, height))
        .map(|(_, l)| l)
}

/// Footnotes: the block of lines at the foot of the page set smaller than the body text,
/// starting with a footnote number.
fn mark_footnotes(lines: &[Line], kinds: &mut [Option<LineKind>]) {
    // The body size: the size most characters are set in.
    let mut by_size: HashMap<i32, usize> = HashMap::new();
    for (line, kind) in lines.iter().zip(kinds.iter()) {
        if kind.is_some() {
            *by_size.entry((line.size * 2.0).round() as i32).or_default() += line.text.len();
        }
    }
    let Some(body) = by_size
        .into_iter()
        .max_by_key(|&(size, chars)| (chars, size))
        .map(|(s, _)| s as f32 / 2.0)
    else {
        return;
    };
    // Runs of consecutive small lines (furniture skipped). A run is a footnote block when its
    // first line starts like a footnote (a number or a mark) and it ends a column: the page
    // ends, or the next line is higher on the page (the next column starts).
    let live: Vec<usize> = (0..lines.len()).filter(|&i| kinds[i].is_some()).collect();
    let mut k = 0;
    while k < live.len() {
        if lines[live[k]].size >= body * 0.92 {
            k += 1;
            continue;
        }
        let start = k;
        while k < live.len() && lines[live[k]].size < body * 0.92 {
            k += 1;
        }
        // A footnote's own mark may stand alone on the line above its text (raised too far to
        // join it): it belongs to the block.
        let lone_mark = |i: usize| {
            lines[i].text.len() <= 3
                && lines[i]
                    .text
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '*' || c == '†')
        };
        let start = if start > 0 && lone_mark(live[start - 1]) {
            start - 1
        } else {
            start
        };
        let run = &live[start..k];
        let last = run[run.len() - 1];
        let ends_column = k == live.len() || lines[live[k]].y > lines[last].y;
        let first = &lines[run[0]];
        let marked = first
            .text
            .starts_with(|c: char| c.is_ascii_digit() || c == '*' || c == '†');
        if ends_column && marked && run.len() < live.len() {
            for &i in run {
                kinds[i] = Some(LineKind::Footnote);
            }
        }
    }
}

/// Table of contents: lines ending in dot leaders and a page number (or, once inside the
/// contents, in a bare page number), the lines of the same entry before them, and the lines
/// between a "Contents" heading and the first entry. A decision heading ends the contents.
/// Returns whether the contents run on past this page.
fn mark_toc(lines: &[Line], kinds: &mut [Option<LineKind>], mut in_toc: bool) -> bool {
    let leader: Vec<bool> = lines.iter().map(|l| LEADERS.is_match(&l.text)).collect();
    let mut pending: Vec<usize> = Vec::new();
    for i in 0..lines.len() {
        if kinds[i] != Some(LineKind::Body) {
            continue;
        }
        let text = lines[i].text.trim();
        if CONTENTS.is_match(text) {
            in_toc = true;
            kinds[i] = Some(LineKind::Toc);
            pending.clear();
            continue;
        }
        if in_toc && DECISION_SYMBOL.is_match(text) && !ENDS_WITH_PAGE.is_match(text) {
            // The body's first decision heading ends the contents.
            in_toc = false;
            pending.clear();
            continue;
        }
        if leader[i] || (in_toc && ENDS_WITH_PAGE.is_match(text)) {
            in_toc = true;
            kinds[i] = Some(LineKind::Toc);
            for &j in &pending {
                kinds[j] = Some(LineKind::Toc);
            }
            pending.clear();
        } else if in_toc {
            pending.push(i);
            // An entry is at most a few lines; a longer run without leaders is the body again.
            if pending.len() > 4 {
                in_toc = false;
                pending.clear();
            }
        }
    }
    in_toc && pending.is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::pdf::Page;
    use super::*;

    fn page(number: u32, texts: &[&str]) -> Page {
        Page {
            number,
            lines: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Line {
                    text: t.to_string(),
                    x: 72.0,
                    // The first two and last two lines sit in the page margins.
                    y: if i < 2 {
                        820.0 - 14.0 * i as f32
                    } else if i + 2 >= texts.len() {
                        60.0 - 14.0 * (i + 2 - texts.len()) as f32
                    } else {
                        700.0 - 14.0 * i as f32
                    },
                    size: 11.0,
                    upright: true,
                })
                .collect(),
            height: 842.0,
            ..Page::default()
        }
    }

    #[test]
    fn running_headers_footers_and_page_numbers_go() {
        let pages = (1..=4)
            .map(|n| {
                let num = format!("{n}");
                let label = format!("Page {n}");
                let body =
                    format!("{n}. The cities of the world, said paragraph {n} of the decision");
                page(
                    n,
                    &[
                        "FCCC/CP/2015/10/Add.1",
                        &label,
                        "Decision 1/CP.21",
                        &body,
                        "GE.16-01194",
                        &num,
                    ],
                )
            })
            .collect();
        let out = classify(PdfText {
            pages,
            ..PdfText::default()
        });
        let texts: Vec<&str> = out.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.len(), 8, "{texts:?}");
        assert!(texts.iter().step_by(2).all(|t| *t == "Decision 1/CP.21"));
        assert!(texts[1].starts_with("1. The cities"));
        assert_eq!(out.furniture_lines, 16);
    }

    #[test]
    fn toc_entries_with_their_first_lines_are_marked() {
        let p = page(
            1,
            &[
                "Contents",
                "Bodies established under the Kyoto Protocol......... 23",
                "Expression of gratitude to the Government of the Republic of Poland and the people of the",
                "city of Poznan......................................... 26",
                "Resolution",
                "1/CMP.4 Expression of gratitude to the Government of the Kingdom of Denmark and the",
                "people of the city of Copenhagen 43",
                "Resolution 1/CMP.4",
                "Expression of gratitude to the people of the city of Poznan",
                "The Conference of the Parties and the Conference of the Parties serving as the meeting",
                "of the Parties, having met in Poznan,",
                "1. Expresses its profound gratitude",
                "2. Also expresses",
            ],
        );
        let out = classify(PdfText {
            pages: vec![p],
            ..PdfText::default()
        });
        let kinds: Vec<LineKind> = out.lines.iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(
            kinds,
            [
                Toc, Toc, Toc, Toc, Toc, Toc, Toc, Body, Body, Body, Body, Body, Body
            ]
        );
    }

    #[test]
    fn small_type_at_the_foot_starting_with_a_number_is_a_footnote() {
        let mut p = page(
            1,
            &[
                "133. Welcomes the efforts of cities",
                "platform 4 referred to above;",
                "4 <http://climateaction.unfccc.int/>.",
            ],
        );
        p.lines[2].size = 9.0;
        let out = classify(PdfText {
            pages: vec![p],
            ..PdfText::default()
        });
        assert_eq!(out.lines[2].kind, LineKind::Footnote);
        assert_eq!(out.lines[1].kind, LineKind::Body);
    }
}
