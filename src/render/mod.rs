//! How results are shown: tables, CSV and JSON from the same rows, and the HTML report.

pub mod atomic;
pub mod output;
pub mod parquet;
pub mod report;
