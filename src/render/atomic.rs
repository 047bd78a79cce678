//! Outputs that are whole or absent: a file is written to a temporary file beside it and
//! renamed into place only when every byte is written and synced, so a full disk, a kill or
//! an error leaves the previous file as it was (a `report` once replaced a good report with a
//! truncated one on a full disk). The temporary file is removed when the write fails.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written; becomes `path` on [`AtomicFile::commit`], or nothing if dropped.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    w: Option<BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// Starts writing `path` (through `.NAME.PID.tmp` in the same folder, so the rename stays
    /// on one file system).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            w: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// The file this becomes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes`; an error names the file.
    pub fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.write_all(bytes).map_err(|e| Error::io(&self.path, e))
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<()> {
        let Some(w) = self.w.take() else {
            return Ok(());
        };
        let done = w
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&self.tmp, &self.path));
        if let Err(e) = done {
            let _ = std::fs::remove_file(&self.tmp);
            return Err(Error::io(&self.path, e));
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.w {
            Some(w) => w.write(buf),
            None => Err(io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.w {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.w.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.put(bytes)?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_whole_or_the_old_one_stays() {
        let dir = std::env::temp_dir().join(format!("menutable-atomic-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.csv");
        write(&path, b"old\n").unwrap();
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.put(b"half of a new fi").unwrap();
            // Dropped without commit: an error happened.
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"old\n");
        let mut f = AtomicFile::create(&path).unwrap();
        f.put(b"new\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"old\n", "not before commit");
        f.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
