//! The library's error type: every variant names the file (and page, where there is one) and
//! the reason, because a researcher facing a failed run needs to know which document to fix.

use std::path::{Path, PathBuf};

/// Errors of the menutable library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A document's text could not be extracted at all.
    #[error("{path}: {reason}")]
    Extract {
        /// The document file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// The manifest or a lexicon file is malformed.
    #[error("{path}: {reason}")]
    Config {
        /// The manifest or lexicon file.
        path: PathBuf,
        /// What is wrong, with line and column where the parser gives them.
        reason: String,
    },
    /// The tantivy index failed.
    #[error("index {path}: {source}")]
    Index {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },
    /// The corpus folder holds no document: nothing is changed, since an unmounted or
    /// mistyped folder must not empty an index a cron job keeps.
    #[error(
        "{path}: the corpus folder has no document to index ({refused} files refused or unreadable); nothing was changed ({indexed} documents stay indexed). Fill it with scripts/get-corpus.sh, or pass --corpus; to empty the index, delete its folder"
    )]
    EmptyCorpus {
        /// The corpus folder.
        path: PathBuf,
        /// Files there that could not be read or were refused.
        refused: usize,
        /// Documents in the index, kept.
        indexed: usize,
    },
    /// A search query does not parse.
    #[error("query {query:?}: {reason}")]
    Query {
        /// The query as given.
        query: String,
        /// The parser's complaint.
        reason: String,
    },
    /// A user argument names something that does not exist (document, concept, term).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A tantivy error on the index at `path`.
    pub fn index(path: &Path, source: tantivy::TantivyError) -> Self {
        Error::Index {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
