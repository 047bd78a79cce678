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

use sha2::{Digest, Sha256};

use crate::corpus::manifest::Entry;

/// The largest download accepted unless the manifest entry says `max_bytes`: the largest PDF
/// `index` reads ([`crate::extract::budget::BUDGET`]'s `pdf_bytes`, 64 MiB; the largest real
/// document is 1.84 MB). The body is streamed to disk and hashed on the way, never held whole.
pub const DEFAULT_MAX_BYTES: u64 = crate::extract::budget::BUDGET.pdf_bytes;

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

/// One download into `part`: (sha256, bytes), or (retry?, why).
fn attempt(
    agent: &ureq::Agent,
    url: &str,
    part: &Path,
    max: u64,
) -> std::result::Result<(String, u64), (bool, String)> {
    use std::io::Read;
    let mut resp = agent.get(url).call().map_err(|e| {
        let retry = !matches!(e, ureq::Error::StatusCode(c) if c < 500);
        (retry, e.to_string())
    })?;
    let mut file =
        std::fs::File::create(part).map_err(|e| (false, format!("{}: {e}", part.display())))?;
    let mut reader = resp
        .body_mut()
        .with_config()
        .limit(max.saturating_add(1))
        .reader();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| (true, format!("reading the body: {e}")))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > max {
            return Err((
                false,
                format!(
                    "the body is larger than {max} bytes, the most this document may be (max_bytes in the manifest)"
                ),
            ));
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n])
            .map_err(|e| (false, format!("{}: {e}", part.display())))?;
    }
    file.flush()
        .and_then(|_| file.sync_all())
        .map_err(|e| (false, format!("{}: {e}", part.display())))?;
    Ok((crate::corpus::hex(&hasher.finalize()), total))
}

/// Fetches one manifest entry into `corpus` if it is missing or differs.
pub fn fetch_one(entry: &Entry, corpus: &Path, opts: &FetchOptions) -> Fetched {
    let done = |status: &str, detail: String| Fetched {
        id: entry.id.clone(),
        status: status.into(),
        detail,
    };
    // The manifest refused any path that leaves the corpus folder when it was loaded.
    let target = corpus.join(&entry.file);
    let max = entry.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
    if let Ok((sha, _)) = crate::corpus::sha256_file(&target, max)
        && (entry.sha256.is_empty() || sha == entry.sha256)
    {
        return done("present", String::new());
    }
    if entry.url.is_empty() {
        return done("no url", "the manifest gives no url".into());
    }
    if !(entry.url.starts_with("https://") || entry.url.starts_with("http://")) {
        // Not worth a retry: it will not work the second time either.
        return done(
            "failed",
            format!("{}: only http and https addresses are fetched", entry.url),
        );
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
        match attempt(&agent, &entry.url, &part, max) {
            Ok((got, bytes)) => {
                let fail = |why: String| {
                    let _ = std::fs::remove_file(&part);
                    done("failed", why)
                };
                if bytes == 0 {
                    return fail(format!("{}: empty download (0 bytes)", entry.url));
                }
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
