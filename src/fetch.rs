//! Downloading the manifest's documents: timeouts, retries with backoff, and nothing partial
//! ever in the corpus folder.
//!
//! A document is fetched when its file is missing or its sha256 differs from the manifest's.
//! The body goes to `<file>.part` beside the target (the corpus scan ignores `.part` files),
//! is checked against the manifest's sha256, and only then renamed over the target: a cut
//! connection, a wrong file or a full disk leaves the previous file, if any, as it was.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::corpus::sha256_hex;
use crate::manifest::Entry;

/// Options of a fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Attempts per document (server errors and connection failures are retried).
    pub attempts: u32,
    /// Wait before the second attempt; doubled for each further one.
    pub backoff: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(120),
            attempts: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// What happened to one document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fetched {
    /// Document id.
    pub id: String,
    /// "present" (already right), "fetched", "failed", or "no url".
    pub status: String,
    /// Why, for failures; the sha256 for a fetched file whose manifest entry had none.
    pub detail: String,
}

fn attempt(agent: &ureq::Agent, url: &str, part: &Path) -> std::result::Result<(), (bool, String)> {
    let mut resp = agent.get(url).call().map_err(|e| {
        let retry = !matches!(e, ureq::Error::StatusCode(c) if c < 500);
        (retry, e.to_string())
    })?;
    let mut file =
        std::fs::File::create(part).map_err(|e| (false, format!("{}: {e}", part.display())))?;
    let mut reader = resp.body_mut().as_reader();
    std::io::copy(&mut reader, &mut file).map_err(|e| (true, format!("reading the body: {e}")))?;
    file.flush()
        .and_then(|_| file.sync_all())
        .map_err(|e| (false, format!("{}: {e}", part.display())))?;
    Ok(())
}

/// Fetches one manifest entry into `corpus` if it is missing or differs.
pub fn fetch_one(entry: &Entry, corpus: &Path, opts: &FetchOptions) -> Fetched {
    let done = |status: &str, detail: String| Fetched {
        id: entry.id.clone(),
        status: status.into(),
        detail,
    };
    let target = corpus.join(&entry.file);
    if let Ok(bytes) = std::fs::read(&target)
        && (entry.sha256.is_empty() || sha256_hex(&bytes) == entry.sha256)
    {
        return done("present", String::new());
    }
    if entry.url.is_empty() {
        return done("no url", "the manifest gives no url".into());
    }
    if let Some(dir) = target.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return done("failed", format!("{}: {e}", dir.display()));
    }
    let part = target.with_file_name(format!(
        "{}.part",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let mut last = String::new();
    let mut wait = opts.backoff;
    let mut tries = 0;
    for n in 0..opts.attempts.max(1) {
        tries = n + 1;
        if n > 0 {
            std::thread::sleep(wait);
            wait *= 2;
        }
        match attempt(&agent, &entry.url, &part) {
            Ok(()) => {
                let bytes = std::fs::read(&part).unwrap_or_default();
                let fail = |why: String| {
                    let _ = std::fs::remove_file(&part);
                    done("failed", why)
                };
                if bytes.is_empty() {
                    return fail(format!("{}: empty download (0 bytes)", entry.url));
                }
                let got = sha256_hex(&bytes);
                if !entry.sha256.is_empty() && got != entry.sha256 {
                    return fail(format!(
                        "{}: sha256 {got}, the manifest says {}; not kept",
                        entry.url, entry.sha256
                    ));
                }
                // Checked beside the target, then renamed over it: never a half file in place.
                if let Err(e) = std::fs::rename(&part, &target) {
                    return fail(format!("{}: {e}", target.display()));
                }

                let detail = if entry.sha256.is_empty() {
                    format!("sha256 {got}: record it in the manifest")
                } else {
                    String::new()
                };
                return done("fetched", detail);
            }
            Err((retry, why)) => {
                let _ = std::fs::remove_file(&part);
                last = format!("{}: {why}", entry.url);
                if !retry {
                    break;
                }
            }
        }
    }
    done("failed", format!("{last} (after {tries} attempt(s))"))
}
