//! Citable units: a document's lines become paragraphs, sub-paragraphs, articles, decisions,
//! preambles, annexes, footnotes and tables of contents, each with a label a person can cite
//! ("decision 1/CP.21, para. 133"), the pages it spans, and its place in the document text.
//!
//! The shapes recognised are those of UN texts: "Decision 1/CP.21" and "Resolution 1/CMP.4"
//! headings, "Annex", "Article 7", numbered paragraphs ("133. Welcomes..."), lettered and
//! roman sub-paragraphs ("(d)", "(ii)"), section headings ("V. Non-Party stakeholders"), and
//! the Markdown of the GCM extract ("# Objective 2", "- b. ..."). A paragraph number is taken
//! only when it follows the previous one (or restarts at 1), so a line that happens to start
//! with "2015." or a wrapped cross-reference does not open a paragraph.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::extract::normalize::{HyphenVocabulary, join_lines};
use crate::extract::quality::TextStats;
use crate::extract::{Extracted, LineKind};

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// Text before the first decision or structure (cover page, introduction).
    Front,
    /// A decision or resolution heading line.
    Decision,
    /// The preamble of a decision: its title and the clauses before paragraph 1.
    Preamble,
    /// A section or other heading.
    Heading,
    /// An annex heading and any unnumbered annex text.
    Annex,
    /// An article heading and its unnumbered text.
    Article,
    /// A numbered paragraph (its chapeau, when it has sub-paragraphs).
    Paragraph,
    /// A lettered or roman sub-paragraph.
    Subparagraph,
    /// A target of the 2030 Agenda ("11.3", "11.a").
    Target,
    /// A footnote body.
    Footnote,
    /// A table of contents: not counted by default.
    Toc,
    /// Unnumbered text (paragraphs of a plain text document).
    Text,
}

/// One citable unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Position in the document, from 0.
    pub ordinal: u32,
    /// The citation label, e.g. "decision 1/CP.21, para. 133".
    pub label: String,
    /// What kind of unit.
    pub kind: UnitKind,
    /// The normalised text.
    pub text: String,
    /// First page (None for documents without pages).
    pub page_start: Option<u32>,
    /// Last page.
    pub page_end: Option<u32>,
    /// Where pages begin inside `text`: (byte offset, page), the first at offset 0.
    pub page_breaks: Vec<(usize, u32)>,
    /// Byte offset of the unit in the document text.
    pub start: usize,
    /// Words (tokens with a letter).
    pub words: usize,
}

impl Unit {
    /// Whether the unit is a table of contents (not counted unless asked).
    pub fn is_toc(&self) -> bool {
        self.kind == UnitKind::Toc
    }

    /// The page at a byte offset inside the unit's text.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        // Binary search: a unit can run across many pages, and every mention asks.
        let k = self.page_breaks.partition_point(|(o, _)| *o <= offset);
        k.checked_sub(1)
            .map(|k| self.page_breaks[k].1)
            .or(self.page_start)
    }
}

/// A segmented document: its units and its whole normalised text (units joined by blank lines).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Segmented {
    /// Units in document order.
    pub units: Vec<Unit>,
    /// The document text; `unit.start` points into it.
    pub text: String,
    /// Quality signals of the counted units (all but tables of contents), summed: made in the
    /// same pass over each unit's tokens as its word count.
    pub counted_stats: TextStats,
}

static DECISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:decision|resolution|décision|decisión|resolución|résolution)\s+((?:\d+|-)\s*/\s*(?:CP|CMP|CMA)\s*\.\s*\d+)(?:\s*[*†]+|\s+\d{1,2})?\s*$").unwrap()
});
static ANNEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:annex|anexo|annexe)(\s+(?:[IVX]+|\d+|[A-H]))?\s*$").unwrap()
});
static ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:article|artículo)\s+(\d+)\s*$").unwrap());
/// A numbered paragraph: "18. ...". Up to five digits (a para. 1000 once ran on to the end of
/// its file); a number opens a paragraph only where it follows the last one (see `follows`).
static PARA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,5})\.(?:\s+\S|$)").unwrap());
static SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(([a-z]{1,2}|[ivxl]{1,6})\)(?:\s+\S|$)").unwrap());
static SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([IVX]{1,6}|[A-H])\.\s+\p{Lu}").unwrap());
/// A General Assembly resolution's number line: "73/195." (its title may follow).
static GA_RESOLUTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{2})/(\d{1,3})\.(?:\s|$)").unwrap());
/// A GCM objective heading: "Objective 2: Minimize the adverse drivers ...".
static OBJECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Objective\s+(\d{1,2})\s*:").unwrap());
/// A Sustainable Development Goal heading: "Goal 11." or "Goal 11. Make cities ...".
static GOAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Goal\s+(\d{1,2})\.?(?:\s|$)").unwrap());
/// A target of the 2030 Agenda: "11.3 By 2030, ...", "11.a Support ...", or its number on a
/// line of its own ("7.3").
static TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\.(\d{1,2}|[a-d])(?:\s+\S|$)").unwrap());
/// A paragraph or item number on a line of its own ("3."): the next line is its text.
static BARE_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,5}\.$").unwrap());
/// A roman section number set on a line of its own ("I."), as pdftotext writes it.
static SECTION_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([IVX]{1,6})\.$").unwrap());
static MD_OBJECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#+\s*(?i:objective)\s+(\d+)\s*$").unwrap());
static MD_HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^#+\s*").unwrap());
static MD_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-*]\s+([a-z]{1,2})\.\s+").unwrap());

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l'))
}

fn next_letter(s: &str) -> Option<String> {
    let mut chars: Vec<char> = s.chars().collect();
    let last = chars.last_mut()?;
    if *last == 'z' {
        return Some("aa".into());
    }
    *last = (*last as u8 + 1) as char;
    Some(chars.into_iter().collect())
}

/// Where the segmenter is in the document's structure.
#[derive(Default)]
struct Context {
    decision: Option<String>,
    annex: Option<String>,
    article: Option<u32>,
    objective: Option<u32>,
    /// The numbered paragraph an objective heading of the GCM text is (objective k is annex
    /// para. 16+k): the first paragraph after the heading; the next one leaves the objective.
    objective_para: Option<u32>,
    /// Objectives are cited after the paragraph ("para. 18(b) (objective 2)") where the text
    /// numbers its paragraphs, before it in the Markdown extract, which has no numbers.
    objective_suffix: bool,
    para: Option<u32>,
    /// Inside a numbered list that restarts at 1 within a paragraph (the GCM's list of its 23
    /// objectives in para. 16): the last item number.
    list: Option<u32>,
    letter: Option<String>,
    roman: Option<String>,
    /// Whether a numbered paragraph has been seen in this decision (ends the preamble).
    numbered: bool,
}

impl Context {
    fn prefix(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(d) = &self.decision {
            parts.push(d.clone());
        }
        if let Some(a) = &self.annex {
            parts.push(a.clone());
        }
        if let Some(o) = self.objective
            && !self.objective_suffix
        {
            parts.push(format!("objective {o}"));
        }
        parts.join(", ")
    }

    fn join(&self, tail: &str) -> String {
        let p = self.prefix();
        match (p.is_empty(), tail.is_empty()) {
            (true, _) => tail.to_string(),
            (false, true) => p,
            (false, false) => format!("{p}, {tail}"),
        }
    }

    fn para_label(&self) -> String {
        let sub = format!(
            "{}{}",
            self.letter
                .as_ref()
                .map(|l| format!("({l})"))
                .unwrap_or_default(),
            self.roman
                .as_ref()
                .map(|r| format!("({r})"))
                .unwrap_or_default()
        );
        let objective = match (self.objective_suffix, self.objective) {
            (true, Some(o)) => format!(" (objective {o})"),
            _ => String::new(),
        };
        match (self.article, self.para) {
            (Some(a), Some(p)) => self.join(&format!("Art. {a}.{p}{sub}")),
            (Some(a), None) => self.join(&format!("Art. {a}{sub}")),
            (None, Some(p)) => self.join(&format!("para. {p}{sub}{objective}")),
            (None, None) if self.objective.is_some() && !sub.is_empty() => {
                // "objective 2(b)": the GCM's actions are lettered under each objective.
                format!("{}{sub}", self.join(""))
            }
            (None, None) => self.join(&sub),
        }
    }
}

struct Open {
    label: String,
    kind: UnitKind,
    lines: Vec<(Option<u32>, String)>,
}

/// Splits a document into citable units.
pub fn segment(doc: &Extracted) -> Segmented {
    let vocab = HyphenVocabulary::from_lines(doc.lines.iter().map(|l| l.text.as_str()));
    let mut units: Vec<Open> = Vec::new();
    let mut current: Option<Open> = None;
    let mut footnotes: Vec<Open> = Vec::new();
    let mut toc: Option<Open> = None;
    let mut cx = Context::default();
    // A decision heading opens a decision once; the same line again (a cross-reference set on
    // a line of its own) is text.
    let mut seen_decisions: std::collections::HashSet<String> = std::collections::HashSet::new();

    // Closes the unit in progress, then the footnotes that came while it was open.
    fn close(current: &mut Option<Open>, footnotes: &mut Vec<Open>, units: &mut Vec<Open>) {
        if let Some(u) = current.take()
            && u.lines.iter().any(|(_, t)| !t.trim().is_empty())
        {
            units.push(u);
        }
        units.append(footnotes);
    }

    // Text from PDFs (pdftotext's, with form feeds) sets numbers, objectives, goals and
    // targets on lines of their own and has unnumbered section headings; PDFs are laid out by
    // menutable itself and keep their own, tested shapes.
    let paged = doc.paged_text;
    let headings = if paged {
        text_headings(&doc.lines)
    } else {
        Default::default()
    };
    let mut ga_seen = false;
    for (index, line) in doc.lines.iter().enumerate() {
        let page = line.page;
        let raw = line.text.trim();
        match line.kind {
            LineKind::Toc => {
                let t = toc.get_or_insert_with(|| Open {
                    label: "contents".into(),
                    kind: UnitKind::Toc,
                    lines: Vec::new(),
                });
                t.lines.push((page, raw.to_string()));
                continue;
            }
            LineKind::Footnote => {
                let starts_new =
                    raw.starts_with(|c: char| c.is_ascii_digit() || c == '*' || c == '†');
                if starts_new || footnotes.is_empty() {
                    let mark: String = raw.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let label = if mark.is_empty() {
                        cx.join("footnote")
                    } else {
                        cx.join(&format!("footnote {mark}"))
                    };
                    footnotes.push(Open {
                        label,
                        kind: UnitKind::Footnote,
                        lines: Vec::new(),
                    });
                }
                if let Some(f) = footnotes.last_mut() {
                    f.lines.push((page, raw.to_string()));
                }
                continue;
            }
            LineKind::Body => {}
        }
        if let Some(t) = toc.take() {
            close(&mut current, &mut footnotes, &mut units);
            units.push(t);
        }
        if raw.is_empty() {
            // A blank line in a text document ends a paragraph.
            close(&mut current, &mut footnotes, &mut units);
            continue;
        }
        let mut text = raw.to_string();
        let start = |label: String, kind: UnitKind, text: &str| Open {
            label,
            kind,
            lines: vec![(page, text.to_string())],
        };
        if let Some(m) = DECISION.captures(raw)
            && seen_decisions.insert(
                raw.chars()
                    .filter(|c| c.is_alphanumeric() || *c == '/' || *c == '.')
                    .collect::<String>()
                    .to_lowercase(),
            )
        {
            close(&mut current, &mut footnotes, &mut units);
            let symbol: String = m[1].chars().filter(|c| !c.is_whitespace()).collect();
            let word = raw
                .split_whitespace()
                .next()
                .unwrap_or("decision")
                .to_lowercase();
            cx = Context {
                decision: Some(format!("{word} {symbol}")),
                ..Context::default()
            };
            current = Some(start(cx.join(""), UnitKind::Decision, raw));
            close(&mut current, &mut footnotes, &mut units);
            current = Some(Open {
                label: cx.join("preamble"),
                kind: UnitKind::Preamble,
                lines: Vec::new(),
            });
            continue;
        }
        if let Some(m) = ANNEX.captures(raw) {
            close(&mut current, &mut footnotes, &mut units);
            let name = m.get(1).map_or("annex".to_string(), |n| {
                format!("annex {}", n.as_str().trim())
            });
            cx.annex = Some(name);
            cx.article = None;
            cx.para = None;
            cx.letter = None;
            cx.roman = None;
            current = Some(start(cx.join(""), UnitKind::Annex, raw));
            continue;
        }
        if let Some(m) = ARTICLE.captures(raw) {
            close(&mut current, &mut footnotes, &mut units);
            cx.article = m[1].parse().ok();
            cx.para = None;
            cx.letter = None;
            cx.roman = None;
            current = Some(start(cx.para_label(), UnitKind::Article, raw));
            continue;
        }
        if paged && let Some(unit) = ga_shape(raw, index, &headings, &mut cx, &mut ga_seen) {
            close(&mut current, &mut footnotes, &mut units);
            let preamble = unit.kind == UnitKind::Decision;
            current = Some(Open {
                lines: vec![(page, raw.to_string())],
                ..unit
            });
            if preamble {
                // The resolution's number line: its title and preambular clauses follow.
                close(&mut current, &mut footnotes, &mut units);
                current = Some(Open {
                    label: "preamble".into(),
                    kind: UnitKind::Preamble,
                    lines: Vec::new(),
                });
            }
            continue;
        }
        if let Some(m) = MD_OBJECTIVE.captures(raw) {
            close(&mut current, &mut footnotes, &mut units);
            cx.objective = m[1].parse().ok();
            cx.para = None;
            cx.letter = None;
            cx.roman = None;
            current = Some(start(
                cx.join(""),
                UnitKind::Heading,
                MD_HEADING.replace(raw, "").as_ref(),
            ));
            continue;
        }
        if MD_HEADING.is_match(raw) {
            close(&mut current, &mut footnotes, &mut units);
            cx.letter = None;
            let body = MD_HEADING.replace(raw, "").to_string();
            current = Some(start(cx.join("heading"), UnitKind::Heading, &body));
            close(&mut current, &mut footnotes, &mut units);
            continue;
        }
        if let Some(m) = MD_ITEM.captures(raw) {
            close(&mut current, &mut footnotes, &mut units);
            cx.letter = Some(m[1].to_string());
            cx.roman = None;
            text = raw[m.get(0).map_or(0, |g| g.end())..].to_string();
            current = Some(start(
                cx.para_label(),
                UnitKind::Subparagraph,
                &format!("({}) {text}", &m[1]),
            ));
            continue;
        }
        if let Some(m) = PARA.captures(raw) {
            let n: u32 = m[1].parse().unwrap_or(0);
            // A list numbered from 1 inside a paragraph of a text from a PDF: its items are
            // the paragraph's text, not paragraphs.
            if paged && let Some(u) = current.as_mut() {
                let item = match cx.list {
                    Some(k) => n == k + 1,
                    None => n == 1 && cx.para.is_some(),
                };
                if item {
                    cx.list = Some(n);
                    u.lines.push((page, text));
                    continue;
                }
            }
            cx.list = None;
            // In a text from a PDF, numbering restarts only where a resolution or an annex
            // begins (the annex's list of GCM objectives, "1." to "23.", is no restart).
            let restarts = n == 1 && !paged;
            let follows = match cx.para {
                None => n == 1 || (!cx.numbered && n <= 3),
                Some(last) => restarts || (n > last && n <= last + 3),
            };
            if follows {
                close(&mut current, &mut footnotes, &mut units);
                if cx.objective_suffix {
                    match cx.objective_para {
                        None => cx.objective_para = Some(n),
                        Some(p) if p != n => cx.objective = None,
                        Some(_) => {}
                    }
                }
                cx.para = Some(n);
                cx.numbered = true;
                cx.letter = None;
                cx.roman = None;
                current = Some(start(cx.para_label(), UnitKind::Paragraph, raw));
                continue;
            }
        }
        if let Some(m) = SUB.captures(raw) {
            let tok = m[1].to_string();
            let expected_letter = cx
                .letter
                .as_deref()
                .and_then(next_letter)
                .unwrap_or_else(|| "a".into());
            let as_letter = tok == expected_letter || tok == "a";
            let as_roman =
                is_roman(&tok) && cx.letter.is_some() && (tok == "i" || cx.roman.is_some());
            if as_letter || as_roman {
                close(&mut current, &mut footnotes, &mut units);
                if as_letter && !(as_roman && cx.roman.is_some()) {
                    cx.letter = Some(tok);
                    cx.roman = None;
                } else {
                    cx.roman = Some(tok);
                }
                current = Some(start(cx.para_label(), UnitKind::Subparagraph, raw));
                continue;
            }
        }
        if SECTION.is_match(raw) && raw.chars().count() < 120 {
            close(&mut current, &mut footnotes, &mut units);
            let mark = raw.split('.').next().unwrap_or("");
            current = Some(start(
                cx.join(&format!("section {mark}")),
                UnitKind::Heading,
                raw,
            ));
            continue;
        }
        match current.as_mut() {
            // A heading's second line, or the paragraph going on.
            Some(u) => u.lines.push((page, text)),
            None => {
                let (label, kind) =
                    if cx.decision.is_none() && cx.objective.is_none() && cx.annex.is_none() {
                        ("front matter".to_string(), UnitKind::Front)
                    } else if cx.objective.is_some() && cx.letter.is_none() {
                        (cx.join(""), UnitKind::Text)
                    } else {
                        (cx.para_label(), UnitKind::Text)
                    };
                current = Some(start(label, kind, &text));
            }
        }
    }
    if let Some(t) = toc.take() {
        close(&mut current, &mut footnotes, &mut units);
        units.push(t);
    }
    close(&mut current, &mut footnotes, &mut units);
    finish(units, &vocab)
}

/// The unit a line of a GA resolution's text opens, if it has one of the shapes only such
/// texts have: the resolution's number ("73/195."), a GCM objective, a Goal or target of the
/// 2030 Agenda, a roman section mark on its own line, an unnumbered section heading. Updates
/// the context; the caller closes the open unit and starts the returned one.
fn ga_shape(
    raw: &str,
    index: usize,
    headings: &std::collections::HashSet<usize>,
    cx: &mut Context,
    ga_seen: &mut bool,
) -> Option<Open> {
    let open = |label: String, kind: UnitKind| Open {
        label,
        kind,
        lines: Vec::new(),
    };
    if let Some(m) = GA_RESOLUTION.captures(raw)
        && cx.annex.is_none()
        && !*ga_seen
    {
        *ga_seen = true;
        *cx = Context::default();
        return Some(open(
            format!("resolution {}/{}", &m[1], &m[2]),
            UnitKind::Decision,
        ));
    }
    if let Some(m) = OBJECTIVE.captures(raw) {
        let k: u32 = m[1].parse().ok()?;
        cx.objective = Some(k);
        cx.objective_para = None;
        cx.objective_suffix = true;
        cx.letter = None;
        cx.roman = None;
        return Some(open(cx.join(&format!("objective {k}")), UnitKind::Heading));
    }
    if let Some(m) = GOAL.captures(raw) {
        return Some(open(cx.join(&format!("Goal {}", &m[1])), UnitKind::Heading));
    }
    if let Some(m) = TARGET.captures(raw) {
        let label = cx.join(&format!("target {}.{}", &m[1], &m[2]));
        return Some(open(label, UnitKind::Target));
    }
    if let Some(m) = SECTION_MARK.captures(raw) {
        cx.objective = None;
        return Some(open(
            cx.join(&format!("section {}", &m[1])),
            UnitKind::Heading,
        ));
    }
    if headings.contains(&index) {
        cx.objective = None;
        if SECTION.is_match(raw) {
            let mark = raw.split('.').next().unwrap_or("");
            return Some(open(cx.join(&format!("section {mark}")), UnitKind::Heading));
        }
        let short: String = raw.chars().take(60).collect();
        return Some(open(
            cx.join(&format!("heading \"{short}\"")),
            UnitKind::Heading,
        ));
    }
    None
}

/// Whether a line opens a unit by its shape alone (what follows a section heading).
fn opens_unit(t: &str) -> bool {
    PARA.is_match(t)
        || SUB.is_match(t)
        || OBJECTIVE.is_match(t)
        || GOAL.is_match(t)
        || ANNEX.is_match(t)
        || SECTION_MARK.is_match(t)
}

/// A line that could be a section heading: short, capitalised, no closing punctuation, and
/// not a shape of its own.
fn heading_like(t: &str) -> bool {
    t.split_whitespace().count() <= 12
        && t.chars().count() <= 100
        && t.starts_with(|c: char| c.is_uppercase())
        && !t.ends_with(['.', ',', ';', ':', '-'])
        && !opens_unit(t)
        && !TARGET.is_match(t)
        && !GA_RESOLUTION.is_match(t)
}

/// The unnumbered section headings of a text from a PDF ("Follow-up and review", "Preamble"):
/// a heading-like line after the end of a sentence (or after another heading), followed by a
/// line that opens a unit, directly or after a second heading line.
fn text_headings(lines: &[crate::extract::SourceLine]) -> std::collections::HashSet<usize> {
    let body: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == LineKind::Body)
        .collect();
    let text = |w: usize| body.get(w).map(|&i| lines[i].text.trim());
    let mut out = std::collections::HashSet::new();
    let mut w = 0;
    while w < body.len() {
        let t = text(w).unwrap_or("");
        // The line after a bare number ("3.") is that number's text, and the line after a
        // Goal is its title: neither is a heading.
        let bare_number = w
            .checked_sub(1)
            .and_then(text)
            .is_some_and(|p| BARE_NUMBER.is_match(p));
        let after_sentence = !bare_number
            && (w == 0
                || out.contains(&body[w - 1])
                || text(w - 1).is_some_and(|p| {
                    (p.ends_with(['.', ';', ':', '!', '?', '\u{201d}', ')']) && !GOAL.is_match(p))
                        || SECTION_MARK.is_match(p)
                }));
        if heading_like(t) && after_sentence {
            if text(w + 1).is_some_and(opens_unit) {
                out.insert(body[w]);
            } else if text(w + 1).is_some_and(heading_like) && text(w + 2).is_some_and(opens_unit) {
                // A heading of two lines: the second is not a heading of its own.
                out.insert(body[w]);
                w += 1;
            }
        }
        w += 1;
    }
    out
}

impl Segmented {
    /// A document made of some of another's units (a part of it): ordinals from 0, the text
    /// the units joined by blank lines as [`segment`] joins them, the stats summed again.
    pub fn from_units(units: &[Unit]) -> Segmented {
        let mut out = Segmented::default();
        for (i, u) in units.iter().enumerate() {
            if !out.text.is_empty() {
                out.text.push_str("\n\n");
            }
            let start = out.text.len();
            out.text.push_str(&u.text);
            if u.kind != UnitKind::Toc {
                out.counted_stats.add(TextStats::of(&u.text));
            }
            out.units.push(Unit {
                ordinal: i as u32,
                start,
                ..u.clone()
            });
        }
        out
    }
}

fn finish(open: Vec<Open>, vocab: &HyphenVocabulary) -> Segmented {
    let mut out = Segmented::default();
    for (i, u) in open.into_iter().enumerate() {
        let texts: Vec<&str> = u.lines.iter().map(|(_, t)| t.as_str()).collect();
        let (text, starts) = join_lines(&texts, vocab);
        let mut page_breaks: Vec<(usize, u32)> = Vec::new();
        for ((page, _), off) in u.lines.iter().zip(starts) {
            if let Some(p) = page
                && page_breaks.last().is_none_or(|(_, last)| last != p)
            {
                page_breaks.push((off, *p));
            }
        }
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        let start = out.text.len();
        out.text.push_str(&text);
        let stats = TextStats::of(&text);
        if u.kind != UnitKind::Toc {
            out.counted_stats.add(stats);
        }
        out.units.push(Unit {
            ordinal: i as u32,
            label: u.label,
            kind: u.kind,
            words: stats.words,
            page_start: page_breaks.first().map(|(_, p)| *p),
            page_end: page_breaks.last().map(|(_, p)| *p),
            page_breaks,
            text,
            start,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{SourceLine, text};

    fn labels(doc: &Extracted) -> Vec<String> {
        segment(doc).units.into_iter().map(|u| u.label).collect()
    }

    #[test]
    fn decision_preamble_paragraphs_and_subparagraphs() {
        let doc = text::from_str(
            "Decision 1/CP.21*\nAdoption of the Paris Agreement\nThe Conference of the Parties,\nRecalling cities,\n\
             1. Decides to adopt;\n2015. not a paragraph number\n2. Requests:\n(a) The first;\n(b) The second, with\n(i) a roman item;\n(ii) another;\n(c) The third;\nV. Non-Party stakeholders\n3. Welcomes cities;\nDecision 1/CP.21\nResolution 1/CP.21",
        );
        assert_eq!(
            labels(&doc),
            [
                "decision 1/CP.21",
                "decision 1/CP.21, preamble",
                "decision 1/CP.21, para. 1",
                "decision 1/CP.21, para. 2",
                "decision 1/CP.21, para. 2(a)",
                "decision 1/CP.21, para. 2(b)",
                "decision 1/CP.21, para. 2(b)(i)",
                "decision 1/CP.21, para. 2(b)(ii)",
                "decision 1/CP.21, para. 2(c)",
                "decision 1/CP.21, section V",
                "decision 1/CP.21, para. 3",
                "resolution 1/CP.21",
            ]
        );
        let seg = segment(&doc);
        assert_eq!(
            seg.units[2].text,
            "1. Decides to adopt; 2015. not a paragraph number"
        );
        assert_eq!(
            &seg.text[seg.units[10].start..seg.units[11].start - 2],
            "3. Welcomes cities; Decision 1/CP.21"
        );
    }

    #[test]
    fn annex_articles_restart_paragraph_numbers() {
        let doc = text::from_str(
            "Decision 1/CP.21\n1. Decides;\n2. Also decides;\nAnnex\nParis Agreement\nArticle 7\n1. Parties hereby establish\n2. Parties recognize subnational\n(a) item\nArticle 8\nText of eight",
        );
        assert_eq!(
            labels(&doc),
            [
                "decision 1/CP.21",
                "decision 1/CP.21, para. 1",
                "decision 1/CP.21, para. 2",
                "decision 1/CP.21, annex",
                "decision 1/CP.21, annex, Art. 7",
                "decision 1/CP.21, annex, Art. 7.1",
                "decision 1/CP.21, annex, Art. 7.2",
                "decision 1/CP.21, annex, Art. 7.2(a)",
                "decision 1/CP.21, annex, Art. 8",
            ]
        );
    }

    #[test]
    fn gcm_markdown_objectives_and_actions() {
        let doc = text::from_str(
            "# Objective 2\n## Title: Minimize drivers\nWe commit to create conducive conditions.\n## Associated actions\n- a. Promote the implementation\n- b. Invest in urban and rural development\n# Objective 3\n- a. Launch",
        );
        assert_eq!(
            labels(&doc),
            [
                "objective 2",
                "objective 2, heading",
                "objective 2",
                "objective 2, heading",
                "objective 2(a)",
                "objective 2(b)",
                "objective 3",
                "objective 3(a)",
            ]
        );
    }

    #[test]
    fn pages_and_footnotes_are_tracked() {
        let line = |page, text: &str, kind| SourceLine {
            page: Some(page),
            text: text.into(),
            kind,
        };
        let doc = Extracted {
            lines: vec![
                line(19, "1. Welcomes the efforts of cities", LineKind::Body),
                line(
                    19,
                    "4 <http://climateaction.unfccc.int/>.",
                    LineKind::Footnote,
                ),
                line(20, "and other subnational authorities;", LineKind::Body),
                line(20, "2. Invites", LineKind::Body),
            ],
            pages: 20,
            ..Extracted::default()
        };
        let seg = segment(&doc);
        let u = &seg.units[0];
        assert_eq!(u.label, "para. 1");
        assert_eq!((u.page_start, u.page_end), (Some(19), Some(20)));
        assert_eq!(u.page_at(u.text.find("subnational").unwrap()), Some(20));
        assert_eq!(u.page_at(0), Some(19));
        assert_eq!(seg.units[1].label, "footnote 4");
        assert_eq!(seg.units[1].kind, UnitKind::Footnote);
        assert_eq!(seg.units[2].label, "para. 2");
    }
}
