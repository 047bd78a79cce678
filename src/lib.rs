//! menutable: how international agreements mention cities, counted exactly and citably.
//!
//! The flow is extract (PDF or text to lines with pages) → segment into citable units →
//! index (tantivy, one document per unit) → count / kwic / search, with one normalisation and
//! one matcher used throughout. See ARCHITECTURE.md.
#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod corpus;
pub mod error;
pub mod extract;
pub mod index;
pub mod render;
pub mod serve;
pub mod synth;

pub use error::{Error, Result};
