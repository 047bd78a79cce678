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
    /// Apache Parquet files, typed (`export` only).
    Parquet,
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

/// Rows written as they come, in constant memory: CSV (the header from the first row's
/// fields, or a default row's when there is none, as [`Table::of_rows`]), a JSON array (the
/// bytes `serde_json::to_writer_pretty` writes for the whole list) or JSON Lines.
pub struct RowStream<T, W: Write> {
    w: W,
    format: Format,
    rows: usize,
    _row: std::marker::PhantomData<T>,
}

impl<T: serde::Serialize + Default, W: Write> RowStream<T, W> {
    /// Rows of `format` (CSV for any format but JSON and JSON Lines) into `w`.
    pub fn new(w: W, format: Format) -> Self {
        RowStream {
            w,
            format,
            rows: 0,
            _row: std::marker::PhantomData,
        }
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Writes one row.
    pub fn push(&mut self, row: &T) -> io::Result<()> {
        match self.format {
            Format::Json => {
                let text = serde_json::to_string_pretty(row)?;
                self.w
                    .write_all(if self.rows == 0 { b"[\n" } else { b",\n" })?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        self.w.write_all(b"\n")?;
                    }
                    self.w.write_all(b"  ")?;
                    self.w.write_all(line.as_bytes())?;
                }
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.w, row)?;
                self.w.write_all(b"\n")?;
            }
            _ => {
                let object = object_of(row);
                if self.rows == 0 {
                    csv_line(&mut self.w, object.keys().map(String::as_str))?;
                }
                let cells: Vec<String> = object.values().map(scalar).collect();
                csv_line(&mut self.w, cells.iter().map(String::as_str))?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the list (the JSON array's bracket; a CSV's header when no row came) and hands
    /// the writer back, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            Format::Json if self.rows == 0 => self.w.write_all(b"[]\n")?,
            Format::Json => self.w.write_all(b"\n]\n")?,
            Format::Jsonl => {}
            _ if self.rows == 0 => {
                let object = object_of(&T::default());
                csv_line(&mut self.w, object.keys().map(String::as_str))?;
            }
            _ => {}
        }
        self.w.flush()?;
        Ok(self.w)
    }
}

/// A JSON object whose last member is a list written a row at a time: the bytes [`write_json`]
/// writes for the whole object (members in the order given), in constant memory.
pub struct JsonRows<W: Write> {
    w: W,
    rows: usize,
}

/// `value` pretty-printed, its lines after the first indented by `indent` spaces: as it
/// stands nested in a pretty-printed object.
fn nested(value: &impl serde::Serialize, indent: usize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    let pad = " ".repeat(indent);
    Ok(text.replace('\n', &format!("\n{pad}")))
}

impl<W: Write> JsonRows<W> {
    /// Writes `{`, the members of `head` and the opening of list `key`.
    pub fn begin(mut w: W, head: &[(&str, serde_json::Value)], key: &str) -> io::Result<Self> {
        w.write_all(b"{\n")?;
        for (k, v) in head {
            writeln!(w, "  {}: {},", serde_json::to_string(k)?, nested(v, 2)?)?;
        }
        write!(w, "  {}: [", serde_json::to_string(key)?)?;
        Ok(JsonRows { w, rows: 0 })
    }

    /// Writes one row of the list.
    pub fn push<T: serde::Serialize>(&mut self, row: &T) -> io::Result<()> {
        self.w.write_all(if self.rows == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.w.write_all(nested(row, 4)?.as_bytes())?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Closes the list and the object.
    pub fn finish(mut self) -> io::Result<W> {
        if self.rows == 0 {
            self.w.write_all(b"]\n}\n")?;
        } else {
            self.w.write_all(b"\n  ]\n}\n")?;
        }
        self.w.flush()?;
        Ok(self.w)
    }
}

fn object_of<T: serde::Serialize>(r: &T) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    }
}

fn csv_line<'a>(w: &mut dyn Write, cells: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let mut line = String::new();
    for (i, c) in cells.enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&csv_cell(c));
    }
    line.push('\n');
    w.write_all(line.as_bytes())
}

/// A CSV cell: quoted when it must be, and neutralised when a spreadsheet would run it as a
/// formula (a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`,
/// as OWASP advises; a plain number such as `-3` is left alone). JSON is never changed.
pub fn csv_cell(c: &str) -> String {
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
pub fn scalar(v: &serde_json::Value) -> String {
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
    fn streamed_rows_are_the_bytes_of_the_whole_list() {
        #[derive(Default, serde::Serialize)]
        struct R {
            a: String,
            b: Option<u32>,
            c: Vec<String>,
        }
        let rows = [
            R {
                a: "x,\"y\"\nz".into(),
                b: Some(3),
                c: vec!["p".into(), "q".into()],
            },
            R {
                a: "=1+2".into(),
                b: None,
                c: vec![],
            },
        ];
        for n in [0, 1, 2] {
            let mut whole = Vec::new();
            serde_json::to_writer_pretty(&mut whole, &rows[..n]).unwrap();
            whole.push(b'\n');
            let mut s = RowStream::<R, Vec<u8>>::new(Vec::new(), Format::Json);
            rows[..n].iter().for_each(|r| s.push(r).unwrap());
            assert_eq!(
                String::from_utf8(s.finish().unwrap()).unwrap(),
                String::from_utf8(whole).unwrap()
            );
            let mut csv = Vec::new();
            Table::of_rows(&rows[..n])
                .write(Format::Csv, &mut csv)
                .unwrap();
            let mut s = RowStream::<R, Vec<u8>>::new(Vec::new(), Format::Csv);
            rows[..n].iter().for_each(|r| s.push(r).unwrap());
            assert_eq!(s.finish().unwrap(), csv, "{n} rows");
        }
    }

    #[test]
    fn a_streamed_object_is_the_bytes_of_the_whole() {
        let scope = serde_json::json!({"doc": ["a", "b"], "year": null, "sort": "year", "x": {}});
        let rows = [
            serde_json::json!({"doc": "a", "left": "x\ny", "n": [1, 2], "e": []}),
            serde_json::json!({"doc": "b", "left": "", "n": [], "e": {}}),
        ];
        for n in [0, 1, 2] {
            let mut whole = Vec::new();
            write_json(
                &serde_json::json!({"scope": scope, "mentions": &rows[..n]}),
                &mut whole,
            )
            .unwrap();
            let mut s =
                JsonRows::begin(Vec::new(), &[("scope", scope.clone())], "mentions").unwrap();
            for r in &rows[..n] {
                s.push(r).unwrap();
            }
            assert_eq!(
                String::from_utf8(s.finish().unwrap()).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
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
