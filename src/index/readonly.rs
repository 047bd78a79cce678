//! The index as queries open it: read only. A query never writes, creates or locks a file for
//! writing in the index folder, so an index on a read-only mount, or built by a colleague in a
//! folder one may only read, can be queried.
//!
//! tantivy's own directory takes its metadata lock (`.tantivy-meta.lock`) by opening the lock
//! file for writing, creating it if need be; here the lock file is opened for reading and
//! locked all the same (`flock` needs no write access), so a query still waits for a writer's
//! garbage collection exactly as tantivy intends; an index with no lock file has no writer to
//! wait for.

use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// An index folder opened for reading only.
#[derive(Debug, Clone)]
pub struct ReadOnly {
    inner: MmapDirectory,
    dir: std::path::PathBuf,
}

impl ReadOnly {
    /// The folder `dir`, read only.
    pub fn open(dir: &Path) -> tantivy::Result<ReadOnly> {
        Ok(ReadOnly {
            inner: MmapDirectory::open(dir)?,
            dir: dir.to_path_buf(),
        })
    }
}

fn refused(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!("{}: the index is open read only", path.display()),
    )
}

impl Directory for ReadOnly {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(refused(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(
            refused(path),
            path.to_path_buf(),
        ))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(refused(path))
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match std::fs::File::open(self.dir.join(&lock.filepath)) {
            Ok(file) => {
                if lock.is_blocking {
                    file.lock().map_err(LockError::wrap_io_error)?;
                } else if file.try_lock().is_err() {
                    return Err(LockError::LockBusy);
                }
                // Dropping the file releases the lock.
                Ok(DirectoryLock::from(Box::new(file)))
            }
            // No lock file: no writer has ever run here to wait for.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            Err(e) => Err(LockError::wrap_io_error(e)),
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
