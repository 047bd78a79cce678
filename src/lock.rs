//! One writer at a time: a lock file in the index folder holding the writer's pid.
//!
//! A second `index` (a cron run overlapping a manual one) must not write alongside the first.
//! tantivy has its own writer lock, but it is taken late and says little; this one is taken
//! before any work, names the holder, and is taken over when its holder is dead (a run killed
//! with -9 leaves the file behind).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the lock file inside the index folder.
pub const FILE: &str = ".menutable.lock";

/// A held lock; released (the file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl Lock {
    /// Takes the lock of the index folder `dir`, or fails naming the process that holds it.
    /// A lock whose process is gone is taken over.
    pub fn acquire(dir: &Path) -> Result<Lock> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(FILE);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    writeln!(f, "{}", std::process::id()).map_err(|e| Error::io(&path, e))?;
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    match holder.trim().parse::<u32>() {
                        Ok(pid) if pid != std::process::id() && alive(pid) => {
                            return Err(Error::Usage(format!(
                                "index {} is being updated by process {pid} (lock file {}); try again when it has finished",
                                dir.display(),
                                path.display()
                            )));
                        }
                        // Dead holder (or unreadable file): take the lock over.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::Usage(format!(
            "could not take the lock {}",
            path.display()
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_and_a_dead_holder_is_taken_over() {
        let dir = std::env::temp_dir().join(format!("menutable-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // A live holder: our parent process (pid 1 is always alive in a container, too).
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(FILE), "1\n").unwrap();
        let err = Lock::acquire(&dir).unwrap_err().to_string();
        assert!(err.contains("process 1"), "{err}");
        // A dead holder: no such pid.
        std::fs::write(dir.join(FILE), "4194304\n").unwrap();
        let lock = Lock::acquire(&dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join(FILE)).unwrap().trim(),
            std::process::id().to_string()
        );
        drop(lock);
        assert!(!dir.join(FILE).exists());
    }
}
