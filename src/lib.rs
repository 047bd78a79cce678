//! menutable: how international agreements mention cities, counted exactly and citably.
//!
//! The flow is extract (PDF or text to lines with pages) → segment into citable units →
//! index (tantivy, one document per unit) → count / kwic / search, with one normalisation and
//! one matcher used throughout. See ARCHITECTURE.md.
#![warn(missing_docs)]

pub mod cite;
pub mod claims;
pub mod cli;

pub mod cmd;
pub mod corpus;
pub mod count;
pub mod error;
pub mod extract;
pub mod fetch;

pub mod index;
pub mod journal;
pub mod kwic;
pub mod lexicon;
pub mod lock;

pub mod manifest;
pub mod output;
pub mod project;
pub mod report;
pub mod roles;

pub mod schema;
pub mod segment;
pub mod synth;

pub use error::{Error, Result};
