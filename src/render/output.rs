//! Rendering: every command builds serde structs; JSON is those structs, and the table and CSV
//! views are a rendering of the same rows, so the three formats never disagree.

use std::io::{self, Write};

/// Output format of every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal.
    #[default]
    Table,
    /// Comma-separated values (RFC 4180 quoting), with a header row.
    Csv,
    /// JSON, in the documented shapes.
    Json,
    /// A Markdown table, for pasting into a brief.
    Md,
    /// JSON Lines: one object per line (`export` only).
    Jsonl,
}

/// Rows with a header: the human view of a command's output.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// Rows, as many cells as headers.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// The rows JSON would show, one column per field in order: the CSV of a list of serde
    /// structs carries exactly their JSON fields (lists joined by "; ", `null` empty). No
    /// rows still have the header (of a default row), so a script reads an empty table.
    pub fn of_rows<T: serde::Serialize + Default>(rows: &[T]) -> Table {
        let object = |r: &T| match serde_json::to_value(r) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        let values: Vec<serde_json::Map<String, serde_json::Value>> =
            rows.iter().map(object).collect();
        let first = values
            .first()
            .cloned()
            .unwrap_or_else(|| object(&T::default()));
        let headers: Vec<&str> = first.keys().map(String::as_str).collect();
        let mut t = Table::new(&headers);
        for m in &values {
            t.row(m.values().map(scalar).collect());
        }
        t
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Writes as table or CSV.
    pub fn write(&self, format: Format, w: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Csv => self.write_csv(w),
            Format::Md => self.write_md(w),
            _ => self.write_text(w),
        }
    }

    fn write_md(&self, w: &mut dyn Write) -> io::Result<()> {
        let cell = |c: &str| c.replace('|', "\\|").replace('\n', " ");
        let row = |cells: &[String]| {
            format!(
                "| {} |",
                cells
                    .iter()
                    .map(|c| cell(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )
        };
        writeln!(w, "{}", row(&self.headers))?;
        writeln!(w, "|{}", "---|".repeat(self.headers.len()))?;
        for r in &self.rows {
            writeln!(w, "{}", row(r))?;
        }
        Ok(())
    }

    fn write_text(&self, w: &mut dyn Write) -> io::Result<()> {
        // Display width in chars; ASCII cells (nearly all) are measured by length.
        let width = |c: &str| {
            if c.is_ascii() {
                c.len()
            } else {
                c.chars().count()
            }
        };
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                if let Some(wd) = widths.get_mut(i) {
                    *wd = (*wd).max(width(c));
                }
            }
        }
        // One line buffer reused for every row (a table of 10,000 documents is written in a
        // few milliseconds).
        let mut s = String::new();
        let mut line = |cells: &[String], w: &mut dyn Write| -> io::Result<()> {
            s.clear();
            for (i, c) in cells.iter().enumerate() {
                s.push_str(c);
                if i + 1 < cells.len() {
                    let pad = widths[i].saturating_sub(width(c)) + 2;
                    s.extend(std::iter::repeat_n(' ', pad));
                }
            }
            w.write_all(s.trim_end().as_bytes())?;
            w.write_all(b"\n")
        };
        line(&self.headers, w)?;
        for r in &self.rows {
            line(r, w)?;
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut dyn Write) -> io::Result<()> {
        for r in std::iter::once(&self.headers).chain(&self.rows) {
            let cells: Vec<String> = r.iter().map(|c| csv_cell(c)).collect();
            writeln!(w, "{}", cells.join(","))?;
        }
        Ok(())
    }
}

/// A CSV cell: quoted when it must be, and neutralised when a spreadsheet would run it as a
/// formula (a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`,
/// as OWASP advises; a plain number such as `-3` is left alone). JSON is never changed.
fn csv_cell(c: &str) -> String {
    let formula = c.starts_with(['=', '+', '-', '@', '\t', '\r']) && c.parse::<f64>().is_err();
    let owned;
    let c = if formula {
        owned = format!("'{c}");
        owned.as_str()
    } else {
        c
    };
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_string()
    }
}

/// A JSON value as one cell.
fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(a) => a.iter().map(scalar).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// Writes a value as pretty JSON with a final newline.
pub fn write_json<T: serde::Serialize>(value: &T, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

/// A page span for people: "19", "19-20", or "" for documents without pages.
pub fn pages(start: Option<u32>, end: Option<u32>) -> String {
    match (start, end) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_tables_escape_pipes() {
        let mut t = Table::new(&["term", "count"]);
        t.row(vec!["a|b".into(), "2".into()]);
        let mut out = Vec::new();
        t.write(Format::Md, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "| term | count |\n|---|---|\n| a\\|b | 2 |\n"
        );
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        let mut t = Table::new(&["a", "b", "c", "d"]);
        t.row(vec![
            "=HYPERLINK(\"x\")".into(),
            "@SUM(A1)".into(),
            "-3".into(),
            "+1+1".into(),
        ]);
        let mut out = Vec::new();
        t.write(Format::Csv, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b,c,d\n\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),-3,'+1+1\n"
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let mut t = Table::new(&["a", "b"]);
        t.row(vec!["x, y".into(), "say \"hi\"".into()]);
        let mut out = Vec::new();
        t.write(Format::Csv, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n"
        );
    }
}
