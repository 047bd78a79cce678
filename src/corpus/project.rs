//! Where the project is: the nearest folder at or above the current one that holds
//! `corpus/manifest.toml`, as git finds `.git`. The default manifest, corpus folder and index
//! are relative to it, so `menutable count` works from `src/` or `reports/` as from the top
//! (it once answered "no index in index" there). Flags and `MENUTABLE_*` variables win.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The project folder, when the current folder is inside one.
pub fn root() -> Option<&'static Path> {
    static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let here = std::env::current_dir().ok()?;
        here.ancestors()
            .find(|d| d.join("corpus/manifest.toml").is_file())
            .map(Path::to_path_buf)
    })
    .as_deref()
}

/// `rel` inside the project folder, or as given (relative to the current folder) outside one.
pub fn default(rel: &str) -> PathBuf {
    let here = std::env::current_dir().unwrap_or_default();
    match root() {
        // At the top the paths stay short ("index"), as messages print them.
        Some(r) if r != here => r.join(rel),
        _ => PathBuf::from(rel),
    }
}

/// Where the defaults were looked for, for a message when nothing is there.
pub fn looked() -> String {
    match root() {
        Some(r) => format!("the project at {}", r.display()),
        None => format!(
            "the current folder {}; there is no project folder (one with corpus/manifest.toml) at or above it",
            std::env::current_dir().unwrap_or_default().display()
        ),
    }
}
