//! One writer at a time: an exclusive `flock` on a lock file in the index folder.
//!
//! A second `index` (a cron run overlapping a manual one) must not write alongside the first.
//! tantivy has its own writer lock, but it is taken late and says little; this one is taken
//! before any work and names the holder. It is the kernel's lock, not the file's existence or
//! the pid written in it: the kernel releases it when its holder exits however it exits (a
//! kill -9, the OOM killer), so a dead holder never blocks and a live process that merely
//! reused a dead holder's pid never holds it (pids wrap at 32768 here); and taking it is
//! atomic, so of any number of runners starting at once exactly one wins. The file keeps the
//! holder's pid and start time (clock ticks after boot, from /proc) for the message.

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the lock file inside the index folder.
pub const FILE: &str = ".menutable.lock";

/// A held lock; released when dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
    path: PathBuf,
}

/// This process's start time in clock ticks after boot (field 22 of /proc/self/stat).
fn start_time() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces and parentheses: count after its last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

impl Lock {
    /// Takes the lock of the index folder `dir`, or fails naming the process that holds it.
    pub fn acquire(dir: &Path) -> Result<Lock> {
        Lock::acquire_for(dir, &format!("index {} is being updated", dir.display()))
    }

    /// Takes the lock of folder `dir` (an export's output folder, say), or fails saying
    /// `busy` ("export folder out is being written") and the process that holds it.
    pub fn acquire_for(dir: &Path, busy: &str) -> Result<Lock> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(FILE);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let pid = holder.split_whitespace().next().unwrap_or("unknown");
                return Err(Error::Usage(format!(
                    "{busy} by process {pid} (lock file {}); try again when it has finished",
                    path.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let record = format!(
            "{} {}\n",
            std::process::id(),
            start_time().map_or_else(|| "?".to_string(), |t| t.to_string())
        );
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(record.as_bytes()))
            .map_err(|e| Error::io(&path, e))?;
        Ok(Lock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Whether some process holds the lock of index folder `dir` now.
pub fn held(dir: &Path) -> bool {
    std::fs::File::open(dir.join(FILE))
        .map(|f| matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock)))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("menutable-lock-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_held_lock_refuses_and_names_its_holder_and_a_stale_file_does_not() {
        let dir = tmp("held");
        // A file naming a live process (pid 1) that holds no lock: not held.
        std::fs::write(dir.join(FILE), "1 12345\n").unwrap();
        let lock = Lock::acquire(&dir).unwrap();
        let me = std::process::id().to_string();
        assert!(
            std::fs::read_to_string(dir.join(FILE))
                .unwrap()
                .starts_with(&me)
        );
        assert!(held(&dir));
        let err = Lock::acquire(&dir).unwrap_err().to_string();
        assert!(err.contains(&format!("process {me}")), "{err}");
        drop(lock);
        assert!(!held(&dir));
        Lock::acquire(&dir).unwrap();
    }

    #[test]
    fn of_runners_starting_at_once_exactly_one_wins() {
        let dir = tmp("race");
        for trial in 0..200 {
            std::fs::write(dir.join(FILE), "4194304 1\n").unwrap();
            let runners = 2 + trial % 2;
            let barrier = std::sync::Barrier::new(runners);
            let won: Vec<Option<Lock>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..runners)
                    .map(|_| {
                        s.spawn(|| {
                            barrier.wait();
                            Lock::acquire(&dir).ok()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            assert_eq!(
                won.iter().filter(|w| w.is_some()).count(),
                1,
                "trial {trial}"
            );
        }
    }
}
