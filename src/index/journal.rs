//! What a run was reading when it died, so that the next run does not die on the same file.
//!
//! The budgets (`extract::budget`) bound every file, but a run can still be killed while it
//! reads one (the kernel's OOM killer, a bug, a watchdog). tantivy's commit keeps the index as
//! it was; what must not happen is that every later cron run reads the same file first and
//! dies again. So each run appends `start` and `done` lines to a journal in the index folder
//! while it reads, and the next run looks at what was started and never finished:
//!
//! - a file that was in flight beside others is a *suspect*: this run reads it alone, after
//!   committing everything else;
//! - a file that was read alone and never finished is *condemned*: recorded as failed with the
//!   reason, not read again until its bytes change or `index --rebuild`.
//!
//! The same record keeps files the watchdog abandoned (reading took longer than
//! [`file_seconds`]).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The journal of the current run, in the index folder.
const JOURNAL: &str = ".menutable-reading";
/// Files not to read again, with why (JSON).
const CONDEMNED: &str = ".menutable-condemned.json";

/// The longest one file may take to read before the run is abandoned: the slowest real
/// file (1_11_CP_26.pdf) takes 0.24 s on one thread here, so 300 s means something is wrong
/// even on a loaded machine. `MENUTABLE_FILE_SECONDS` overrides it (tests set it low).
pub fn file_seconds() -> Duration {
    std::env::var("MENUTABLE_FILE_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(Duration::from_secs(300), Duration::from_secs_f64)
}

/// A file not to read again.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Condemned {
    /// Path relative to the corpus folder.
    pub file: String,
    /// sha256 of the bytes that failed: other bytes are read again.
    pub sha256: String,
    /// Why.
    pub reason: String,
}

/// What the last run left behind.
#[derive(Debug, Default)]
pub struct Leftovers {
    /// (file, sha256) started beside others and never finished: read them alone.
    pub suspects: Vec<(String, String)>,
    /// Files not to read again.
    pub condemned: Vec<Condemned>,
}

impl Leftovers {
    /// Why `file` with these bytes is not read, when it is condemned.
    pub fn condemned(&self, file: &str, sha256: &str) -> Option<&str> {
        self.condemned
            .iter()
            .find(|c| c.file == file && c.sha256 == sha256)
            .map(|c| c.reason.as_str())
    }

    /// Whether `file` with these bytes was in flight when the last run died.
    pub fn suspect(&self, file: &str, sha256: &str) -> bool {
        self.suspects.iter().any(|(f, s)| f == file && s == sha256)
    }
}

/// The journal of a run: what is being read, since when.
pub struct Journal {
    dir: PathBuf,
    file: Mutex<std::fs::File>,
    in_flight: Mutex<HashMap<String, (String, Instant)>>,
}

impl Journal {
    /// Reads what the last run left (condemning files it read alone and never finished) and
    /// starts a new journal. `forget` (a rebuild) clears the condemned list.
    pub fn open(dir: &Path, forget: bool) -> Result<(Journal, Leftovers)> {
        let mut left = Leftovers {
            condemned: if forget {
                Vec::new()
            } else {
                read_condemned(dir)
            },
            ..Leftovers::default()
        };
        let path = dir.join(JOURNAL);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        for (file, sha, alone) in unfinished(&old) {
            if alone {
                left.condemned.retain(|c| c.file != file);
                left.condemned.push(Condemned {
                    file,
                    sha256: sha,
                    reason: "the run that read this file alone was killed (out of memory?): not read again until the file changes or `index --rebuild`".into(),
                });
            } else {
                left.suspects.push((file, sha));
            }
        }
        write_condemned(dir, &left.condemned)?;
        let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        let journal = Journal {
            dir: dir.to_path_buf(),
            file: Mutex::new(file),
            in_flight: Mutex::new(HashMap::new()),
        };
        Ok((journal, left))
    }

    /// Notes that reading `file` starts (`alone`: nothing else is being read).
    pub fn start(&self, file: &str, sha256: &str, alone: bool) {
        let tag = if alone { "alone" } else { "start" };
        self.line(&format!("{tag}\t{sha256}\t{file}"));
        if let Ok(mut m) = self.in_flight.lock() {
            m.insert(file.to_string(), (sha256.to_string(), Instant::now()));
        }
    }

    /// Notes that reading `file` ended (well or not).
    pub fn done(&self, file: &str, sha256: &str) {
        self.line(&format!("done\t{sha256}\t{file}"));
        if let Ok(mut m) = self.in_flight.lock() {
            m.remove(file);
        }
    }

    fn line(&self, line: &str) {
        if let Ok(mut f) = self.file.lock() {
            // Written straight to the file (no buffer): a kill right after still leaves it.
            let _ = writeln!(f, "{line}");
        }
    }

    /// The file read for longer than `limit`, if any: (file, sha256, seconds).
    pub fn overdue(&self, limit: Duration) -> Option<(String, String, f64)> {
        let m = self.in_flight.lock().ok()?;
        m.iter()
            .find(|(_, (_, t))| t.elapsed() > limit)
            .map(|(f, (s, t))| (f.clone(), s.clone(), t.elapsed().as_secs_f64()))
    }

    /// Records `file` as not to be read again, with why.
    pub fn condemn(&self, file: &str, sha256: &str, reason: &str) -> Result<()> {
        let mut list = read_condemned(&self.dir);
        list.retain(|c| c.file != file);
        list.push(Condemned {
            file: file.to_string(),
            sha256: sha256.to_string(),
            reason: reason.to_string(),
        });
        write_condemned(&self.dir, &list)
    }

    /// The run finished: nothing is left in flight.
    pub fn finish(self) {
        let path = self.dir.join(JOURNAL);
        drop(self.file);
        let _ = std::fs::remove_file(path);
    }
}

/// (file, sha256, alone) of every `start`/`alone` line without its `done`.
fn unfinished(journal: &str) -> Vec<(String, String, bool)> {
    let mut open: Vec<(String, String, bool)> = Vec::new();
    for line in journal.lines() {
        let mut f = line.splitn(3, '\t');
        let (Some(tag), Some(sha), Some(file)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        match tag {
            "start" | "alone" => open.push((file.to_string(), sha.to_string(), tag == "alone")),
            "done" => open.retain(|(f, s, _)| !(f == file && s == sha)),
            _ => {}
        }
    }
    open
}

fn read_condemned(dir: &Path) -> Vec<Condemned> {
    std::fs::read_to_string(dir.join(CONDEMNED))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

fn write_condemned(dir: &Path, list: &[Condemned]) -> Result<()> {
    let path = dir.join(CONDEMNED);
    if list.is_empty() {
        let _ = std::fs::remove_file(&path);
        return Ok(());
    }
    let json = serde_json::to_string_pretty(list).unwrap_or_default();
    let tmp = dir.join(format!("{CONDEMNED}.tmp"));
    std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_started_and_never_done_are_found() {
        let j = "start\taa\ta.pdf\nstart\tbb\tb.pdf\ndone\taa\ta.pdf\nalone\tcc\tc.pdf\n";
        assert_eq!(
            unfinished(j),
            vec![
                ("b.pdf".to_string(), "bb".to_string(), false),
                ("c.pdf".to_string(), "cc".to_string(), true)
            ]
        );
    }
}
