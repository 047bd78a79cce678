//! What every figure is about: which documents ([`Selection`]) and which of their text
//! ([`Scope`]). Both are parsed once, by the same flags on every command, and printed with
//! every output, so that `count`, `kwic`, `roles`, `export` and `report` cannot answer
//! different questions under the same words — the bug this module exists to prevent (count
//! left out tables of contents while export and the report kept them).

use serde::Serialize;

use crate::extract::segment::Unit;
use crate::index::tally::part_of;
use crate::index::{DocHead, DocRecord};

/// Which documents a command works on.
///
/// Without `--doc`, the rows are the documents counted in totals (no part of a document, no
/// text superseded by a fuller one, no translation — `--lang` selects translations of its
/// language), so no total counts a mention twice. A filter on kind or
/// binding describes an instrument: a document with parts is then replaced by those of its
/// parts that pass (`--binding yes` selects the Paris Agreement inside FCCC/CP/2015/10/Add.1,
/// `--binding no` decision 1/CP.21 beside it).
/// With `--doc`, the documents named (each must be indexed), filtered the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args, Serialize)]
pub struct Selection {
    /// Only these documents or parts (repeatable).
    #[arg(long = "doc", value_name = "ID")]
    #[serde(rename = "doc")]
    pub docs: Vec<String>,
    /// Only instruments of this kind (repeatable): decision, treaty, compact, agenda,
    /// declaration, framework, resolution, report (`menutable docs` shows each one's).
    #[arg(long = "kind", value_name = "KIND")]
    #[serde(rename = "kind")]
    pub kinds: Vec<String>,
    /// Only documents adopted in these years: 2015, 1995..2022, 2015.. or ..2010.
    #[arg(long, value_name = "A..B", value_parser = Years::parse)]
    pub year: Option<Years>,
    /// Only binding (yes) or only non-binding (no) instruments.
    #[arg(long, value_name = "yes|no", value_parser = clap::builder::BoolishValueParser::new())]
    pub binding: Option<bool>,
    /// Only documents in this language (repeatable): en, es, fr.
    #[arg(long = "lang", value_name = "LANG")]
    #[serde(rename = "lang")]
    pub langs: Vec<String>,
    /// Order of the rows: by year of adoption, then id (documents without a year last), or
    /// by id.
    #[arg(long, value_enum, default_value_t = Sort::Year)]
    pub sort: Sort,
}

/// A span of years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    /// First year.
    pub from: Option<u32>,
    /// Last year.
    pub to: Option<u32>,
}

impl Years {
    /// Parses `2015`, `1995..2022`, `2015..` or `..2010`.
    pub fn parse(s: &str) -> Result<Years, String> {
        let year = |x: &str| -> Result<Option<u32>, String> {
            let x = x.trim();
            if x.is_empty() {
                return Ok(None);
            }
            match x.parse::<u32>() {
                Ok(y) if (1900..=2100).contains(&y) => Ok(Some(y)),
                _ if x.len() == 9 && x.as_bytes()[4] == b'-' => Err(format!(
                    "{x:?} is not a year; a span is written with two dots: {}..{}",
                    &x[..4],
                    &x[5..]
                )),
                _ => Err(format!(
                    "{x:?} is not a year (1900 to 2100); give 2015, a span 1995..2022, 2015.. or ..2010"
                )),
            }
        };
        let (from, to) = match s.split_once("..") {
            Some((a, b)) => (year(a)?, year(b)?),
            None => {
                let y = year(s)?;
                (y, y)
            }
        };
        if from.is_none() && to.is_none() {
            return Err("give a year or a span: 2015, 1995..2022, 2015.. or ..2010".into());
        }
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err(format!("{a}..{b} is an empty span"));
        }
        Ok(Years { from, to })
    }

    /// Whether `year` is inside (a document without a year never is).
    pub fn contains(&self, year: Option<u32>) -> bool {
        year.is_some_and(|y| self.from.is_none_or(|a| y >= a) && self.to.is_none_or(|b| y <= b))
    }
}

impl Serialize for Years {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let end = |y: Option<u32>| y.map(|y| y.to_string()).unwrap_or_default();
        if self.from == self.to {
            s.serialize_str(&end(self.from))
        } else {
            s.serialize_str(&format!("{}..{}", end(self.from), end(self.to)))
        }
    }
}

/// Order of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// By year of adoption, then id.
    #[default]
    Year,
    /// By id.
    #[value(alias = "doc")]
    Id,
    /// Concordance lines (kwic only) by the third word left of the match, then L2, L1.
    #[value(name = "L3", alias = "l3")]
    L3,
    /// ... by the second word left, then L1, L3.
    #[value(name = "L2", alias = "l2")]
    L2,
    /// ... by the word just left, then L2, L3.
    #[value(name = "L1", alias = "l1")]
    L1,
    /// ... by the match itself, then R1, R2.
    Match,
    /// ... by the word just right, then R2, R3.
    #[value(name = "R1", alias = "r1")]
    R1,
    /// ... by the second word right, then R3, R1.
    #[value(name = "R2", alias = "r2")]
    R2,
    /// ... by the third word right, then R1, R2.
    #[value(name = "R3", alias = "r3")]
    R3,
}

impl Sort {
    /// The concordance keys (L3 ... R3, match) order kwic's lines, not documents.
    pub fn is_concordance(self) -> bool {
        !matches!(self, Sort::Year | Sort::Id)
    }
}

/// What a selection reads of a document: a head or a record.
pub trait Described {
    /// The id.
    fn id(&self) -> &str;
    /// Year of adoption.
    fn year(&self) -> Option<u32>;
    /// Kind (decision, treaty, ...).
    fn kind(&self) -> &str;
    /// Binding?
    fn binding(&self) -> bool;
    /// en, es or fr.
    fn language(&self) -> &str;
    /// For a part, its document.
    fn part_of(&self) -> Option<&str>;
    /// Counted in totals over the corpus.
    fn in_totals(&self) -> bool;
    /// Units indexed (0: nothing is indexed, the file failed).
    fn units(&self) -> usize;
    /// A translation of another document.
    fn translation(&self) -> bool;
}

impl Described for DocHead {
    fn id(&self) -> &str {
        &self.id
    }
    fn year(&self) -> Option<u32> {
        self.year
    }
    fn kind(&self) -> &str {
        &self.kind
    }
    fn binding(&self) -> bool {
        self.binding
    }
    fn language(&self) -> &str {
        &self.language
    }
    fn part_of(&self) -> Option<&str> {
        self.part_of.as_deref()
    }
    fn in_totals(&self) -> bool {
        self.in_totals
    }
    fn units(&self) -> usize {
        self.units
    }
    fn translation(&self) -> bool {
        self.translation
    }
}

impl Described for DocRecord {
    fn id(&self) -> &str {
        &self.meta.id
    }
    fn year(&self) -> Option<u32> {
        self.meta.year
    }
    fn kind(&self) -> &str {
        &self.meta.kind
    }
    fn binding(&self) -> bool {
        self.meta.binding
    }
    fn language(&self) -> &str {
        &self.meta.language
    }
    fn part_of(&self) -> Option<&str> {
        self.meta.part_of.as_deref()
    }
    fn in_totals(&self) -> bool {
        self.meta.in_totals()
    }
    fn units(&self) -> usize {
        self.units
    }
    fn translation(&self) -> bool {
        self.meta.translation_of.is_some()
    }
}

impl Selection {
    /// Whether any document is named or filtered (not the whole corpus).
    pub fn narrowed(&self) -> bool {
        !self.docs.is_empty() || self.filtered()
    }

    /// Whether a filter (kind, year, binding, language) is set.
    pub fn filtered(&self) -> bool {
        !self.kinds.is_empty()
            || self.year.is_some()
            || self.binding.is_some()
            || !self.langs.is_empty()
    }

    /// Whether a document's own metadata passes the filters.
    pub fn matches(&self, year: Option<u32>, kind: &str, binding: bool, language: &str) -> bool {
        (self.kinds.is_empty() || self.kinds.iter().any(|k| k.eq_ignore_ascii_case(kind)))
            && self.year.is_none_or(|y| y.contains(year))
            && self.binding.is_none_or(|b| b == binding)
            && (self.langs.is_empty()
                || self.langs.iter().any(|l| l.eq_ignore_ascii_case(language)))
    }

    fn passes<T: Described>(&self, d: &T) -> bool {
        self.matches(d.year(), d.kind(), d.binding(), d.language())
    }

    /// The first id asked for that has nothing indexed (unknown, or its file failed): check
    /// it before [`Selection::pick`], which leaves such ids out.
    pub fn unknown<T: Described>(&self, all: &[T]) -> Option<String> {
        self.docs
            .iter()
            .find(|id| !all.iter().any(|d| d.id() == id.as_str() && d.units() > 0))
            .cloned()
    }

    /// The selected documents of `all`, in the selection's order: moved out when nobody else
    /// holds the list (at 10,000 documents the heads carry every tally), else only the chosen
    /// ones cloned (`serve` shares one list among its requests).
    pub fn pick<T: Described + Clone>(&self, all: std::sync::Arc<Vec<T>>) -> Vec<T> {
        let keep = if self.docs.is_empty() {
            self.by_default(&all)
        } else {
            self.named(&all)
        };
        let mut out: Vec<T> = match std::sync::Arc::try_unwrap(all) {
            Ok(all) => {
                let mut slots: Vec<Option<T>> = all.into_iter().map(Some).collect();
                keep.into_iter().filter_map(|i| slots[i].take()).collect()
            }
            Err(shared) => keep.into_iter().map(|i| shared[i].clone()).collect(),
        };
        self.order(&mut out);
        out
    }

    /// Positions of the documents named (and indexed) that pass the filters.
    fn named<T: Described>(&self, all: &[T]) -> Vec<usize> {
        self.docs
            .iter()
            .filter_map(|id| all.iter().position(|d| d.id() == id && d.units() > 0))
            .filter(|&i| self.passes(&all[i]))
            .collect()
    }

    /// Positions of the documents counted in totals that pass the filters. A filter on kind or
    /// binding describes an instrument, so a document with parts is then replaced by its parts
    /// that pass (the Paris PDF is not binding, the Agreement in it is).
    fn by_default<T: Described>(&self, all: &[T]) -> Vec<usize> {
        let by_instrument = !self.kinds.is_empty() || self.binding.is_some();
        let mut parts: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        if by_instrument {
            for (i, p) in all.iter().enumerate() {
                if let Some(of) = p.part_of()
                    && p.units() > 0
                {
                    parts.entry(of).or_default().push(i);
                }
            }
        }
        let mut keep = Vec::new();
        // A translation is in no total, but asking for its language asks for it.
        let counted = |d: &T| d.in_totals() || (d.translation() && !self.langs.is_empty());
        for (i, d) in all.iter().enumerate() {
            if d.units() == 0 || !counted(d) {
                continue;
            }
            match parts.get(d.id()) {
                Some(ps) => keep.extend(ps.iter().copied().filter(|&p| self.passes(&all[p]))),
                None if self.passes(d) => keep.push(i),
                None => {}
            }
        }
        keep
    }

    /// Sorts documents by the selection's order.
    pub fn order<T: Described>(&self, rows: &mut [T]) {
        self.order_with(rows, |d| (d.year(), d.id()));
    }

    /// Sorts any rows by the selection's order, given each row's year and id.
    pub fn order_with<T>(&self, rows: &mut [T], key: impl Fn(&T) -> (Option<u32>, &str)) {
        match self.sort {
            Sort::Id => rows.sort_by(|a, b| key(a).1.cmp(key(b).1)),
            _ => rows.sort_by(|a, b| {
                let ((ya, ia), (yb, ib)) = (key(a), key(b));
                (ya.is_none(), ya, ia).cmp(&(yb.is_none(), yb, ib))
            }),
        }
    }
}

/// Which text of a document counts: the body always; footnotes unless left out; tables of
/// contents only when asked (they repeat the body's headings); names of instruments ("the
/// New Urban Agenda") are never mentions — `names` lists them beside the mentions, flagged,
/// with role `none`, and `count` always shows them in a column of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args, Serialize)]
pub struct Scope {
    /// Count and show mentions in tables of contents too (flagged `toc`).
    #[arg(long = "include-toc")]
    pub toc: bool,
    /// Leave footnotes out (of mentions and of words).
    #[arg(long = "no-footnotes", action = clap::ArgAction::SetFalse)]
    pub footnotes: bool,
    /// List names of instruments and bodies that contain a term too ("the New Urban Agenda",
    /// flagged `name`, role none); they are never counted as mentions.
    #[arg(long)]
    pub names: bool,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            toc: false,
            footnotes: true,
            names: false,
        }
    }
}

impl Scope {
    /// Whether a unit's text counts.
    pub fn counts(&self, unit: &Unit) -> bool {
        self.counts_part(part_of(unit.kind))
    }

    /// Whether units of tally part `p` (body, toc, footnotes) count.
    pub fn counts_part(&self, p: usize) -> bool {
        match p {
            1 => self.toc,
            2 => self.footnotes,
            _ => true,
        }
    }

    /// The words of a document in this scope.
    pub fn words(&self, doc: &DocHead) -> usize {
        doc.words + if self.toc { doc.toc_words } else { 0 }
            - if self.footnotes {
                0
            } else {
                doc.footnote_words.min(doc.words)
            }
    }
}

/// The selection and the scope as every JSON output states them (`"scope": {...}`).
pub fn describe(selection: &Selection, scope: &Scope) -> serde_json::Value {
    let mut v = serde_json::to_value(selection).unwrap_or_default();
    if let (Some(m), Ok(serde_json::Value::Object(s))) =
        (v.as_object_mut(), serde_json::to_value(scope))
    {
        m.extend(s);
    }
    v
}

/// The same in one line, under a table: "all documents counted in totals; body and
/// footnotes; contents left out; names of instruments apart".
pub fn sentence(selection: &Selection, scope: &Scope) -> String {
    let mut which = Vec::new();
    if !selection.docs.is_empty() {
        which.push(format!("documents {}", selection.docs.join(", ")));
    }
    if !selection.kinds.is_empty() {
        which.push(format!("kind {}", selection.kinds.join(" or ")));
    }
    if let Some(y) = selection.year {
        which.push(format!(
            "adopted {}",
            serde_json::to_value(y)
                .unwrap_or_default()
                .as_str()
                .unwrap_or("")
        ));
    }
    if let Some(b) = selection.binding {
        which.push(if b { "binding" } else { "not binding" }.to_string());
    }
    if !selection.langs.is_empty() {
        which.push(format!("in {}", selection.langs.join(" or ")));
    }
    let which = if which.is_empty() {
        "every document counted in totals".to_string()
    } else {
        which.join(", ")
    };
    let text = match (scope.footnotes, scope.toc) {
        (true, false) => "body and footnotes, contents left out",
        (true, true) => "body, footnotes and contents",
        (false, false) => "body only (footnotes and contents left out)",
        (false, true) => "body and contents, footnotes left out",
    };
    let names = if scope.names {
        "names of instruments listed, never counted"
    } else {
        "names of instruments apart"
    };
    format!("scope: {which}; {text}; {names}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_parse_and_contain() {
        let y = Years::parse("1995..2022").unwrap();
        assert!(y.contains(Some(1995)) && y.contains(Some(2022)) && !y.contains(Some(2023)));
        assert!(!y.contains(None));
        assert!(Years::parse("2015..").unwrap().contains(Some(2030)));
        assert!(Years::parse("..2010").unwrap().contains(Some(1995)));
        assert!(!Years::parse("2015").unwrap().contains(Some(2016)));
        for bad in ["", "..", "2022..1995", "twenty", "15"] {
            assert!(Years::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            serde_json::to_value(Years::parse("1995..").unwrap()).unwrap(),
            "1995.."
        );
    }

    #[test]
    fn default_scope_leaves_contents_out_and_keeps_footnotes() {
        let s = Scope::default();
        assert!(!s.toc && s.footnotes && !s.names);
        assert!(s.counts_part(0) && !s.counts_part(1) && s.counts_part(2));
    }
}
