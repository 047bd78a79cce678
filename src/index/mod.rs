//! Building and reading the tantivy index.
//!
//! `update` is incremental: a file whose sha256 (and manifest metadata) is unchanged is not
//! read again; a changed file's units are replaced; a removed file's units go. Everything is
//! written in one commit, so readers see the old index or the new one, never a mix. A file
//! that fails to extract never removes what was indexed for it before: the old version stays
//! and the failure is recorded next to it.

pub mod journal;
mod readonly;
pub mod schema;
mod store;
pub mod tally;
mod update;
pub mod worker;

pub use store::{DocHead, DocRecord, Shared, Store, default_dir};
pub use update::{EXTRACTION_VERSION, Report, Skip, UNCHANGED, UpdateOptions, update};
