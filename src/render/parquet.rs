//! Rows as a Parquet file, for `export --format parquet`: a table's columns declared once
//! (name, type, nullable), rows buffered into row groups of [`GROUP`] and written column by
//! column with the parquet crate's low-level writer (no arrow). Integers are INT64 (a year
//! INT32), text UTF-8, flags BOOLEAN, shares DOUBLE; an empty CSV cell is a null.

use std::io::Write;
use std::sync::Arc;

use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use serde::Serialize;

/// Rows per row group: memory holds one group.
pub const GROUP: usize = 8_192;

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// UTF-8 text.
    Text,
    /// A 64-bit integer.
    Int,
    /// A 32-bit integer (years).
    Int32,
    /// True or false.
    Bool,
    /// A double.
    Float,
}

/// A table's columns: (name as in the CSV header, type, nullable).
pub type Columns = &'static [(&'static str, Kind, bool)];

/// A Parquet file being written, row by row.
pub struct ParquetRows<T, W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Columns,
    buffered: Vec<serde_json::Map<String, serde_json::Value>>,
    rows: usize,
    _row: std::marker::PhantomData<T>,
}

fn err(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("writing Parquet: {e}"))
}

impl<T: Serialize, W: Write + Send> ParquetRows<T, W> {
    /// Starts a file named `table` (the schema's name) on `out`.
    pub fn new(out: W, table: &str, columns: Columns) -> std::io::Result<Self> {
        let fields: Vec<String> = columns
            .iter()
            .map(|(name, kind, null)| {
                let rep = if *null { "OPTIONAL" } else { "REQUIRED" };
                let ty = match kind {
                    Kind::Text => "BYTE_ARRAY",
                    Kind::Int => "INT64",
                    Kind::Int32 => "INT32",
                    Kind::Bool => "BOOLEAN",
                    Kind::Float => "DOUBLE",
                };
                let logical = if *kind == Kind::Text { " (UTF8)" } else { "" };
                format!("{rep} {ty} {name}{logical};")
            })
            .collect();
        let schema = parquet::schema::parser::parse_message_type(&format!(
            "message {table} {{ {} }}",
            fields.join(" ")
        ))
        .map_err(err)?;
        let props = WriterProperties::builder()
            .set_created_by(format!("menutable {}", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(ParquetRows {
            writer: SerializedFileWriter::new(out, Arc::new(schema), Arc::new(props))
                .map_err(err)?,
            columns,
            buffered: Vec::new(),
            rows: 0,
            _row: std::marker::PhantomData,
        })
    }

    /// Adds a row (its fields by the columns' names).
    pub fn push(&mut self, row: &T) -> std::io::Result<()> {
        match serde_json::to_value(row).map_err(err)? {
            serde_json::Value::Object(m) => self.buffered.push(m),
            other => return Err(err(format!("a row is not an object: {other}"))),
        }
        self.rows += 1;
        if self.buffered.len() >= GROUP {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Writes the last row group and the footer; the writer back.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.flush_group()?;
        self.writer.into_inner().map_err(err)
    }

    fn flush_group(&mut self) -> std::io::Result<()> {
        if self.buffered.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.buffered);
        let mut group = self.writer.next_row_group().map_err(err)?;
        for (name, kind, nullable) in self.columns {
            let mut col = group
                .next_column()
                .map_err(err)?
                .ok_or_else(|| err("fewer columns than declared"))?;
            let cells: Vec<Option<&serde_json::Value>> = rows
                .iter()
                .map(|r| r.get(*name).filter(|v| !v.is_null()))
                .collect();
            if !nullable && cells.iter().any(Option::is_none) {
                return Err(err(format!("column {name} has a null but is not nullable")));
            }
            let defs: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
            let defs = nullable.then_some(&defs[..]);
            let present = cells.iter().flatten();
            let wrote = match kind {
                Kind::Text => {
                    let v: Vec<ByteArray> = present
                        .map(|x| match x {
                            serde_json::Value::String(s) => ByteArray::from(s.as_str()),
                            other => ByteArray::from(other.to_string().as_str()),
                        })
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&v, defs, None)
                }
                Kind::Int => {
                    let v: Vec<i64> = present.map(|x| x.as_i64().unwrap_or(0)).collect();
                    col.typed::<Int64Type>().write_batch(&v, defs, None)
                }
                Kind::Int32 => {
                    let v: Vec<i32> = present.map(|x| x.as_i64().unwrap_or(0) as i32).collect();
                    col.typed::<Int32Type>().write_batch(&v, defs, None)
                }
                Kind::Bool => {
                    let v: Vec<bool> = present.map(|x| x.as_bool().unwrap_or(false)).collect();
                    col.typed::<BoolType>().write_batch(&v, defs, None)
                }
                Kind::Float => {
                    let v: Vec<f64> = present.map(|x| x.as_f64().unwrap_or(0.0)).collect();
                    col.typed::<DoubleType>().write_batch(&v, defs, None)
                }
            };
            wrote.map_err(err)?;
            col.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        Ok(())
    }
}
