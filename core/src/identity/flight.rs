//! One token refresh at a time per data directory: in this process, and
//! across processes that share the directory (an Android `:sync` process,
//! an iOS extension in a shared container).
//!
//! A refresh token rotates: the provider answers with a new one and, under
//! strict rotation, ends the whole grant when the old one is presented
//! again. So two refreshes must never race with the same token:
//!
//! - every core opened on the same directory in this process shares one
//!   in-process lock ([`refresh_lock_for`]), so a second `PalmGov::open` of
//!   the directory waits for the first's refresh and then reads its result;
//! - a file lock ([`FileLock`]) serialises refreshes across processes. It is
//!   held only for the request itself: iOS terminates a suspended app that
//!   holds a lock in a shared container, so shells run a refresh inside a
//!   background task (`beginBackgroundTask`) and the core never keeps the
//!   lock across a suspension point of its own choosing.
//!
//! The caller re-reads the session after taking both locks: whoever held
//! them may have refreshed already.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, Weak};

use crate::error::{PalmGovError, Result};

type Lock = tokio::sync::Mutex<()>;

static LOCKS: LazyLock<Mutex<HashMap<PathBuf, Weak<Lock>>>> = LazyLock::new(Default::default);

/// The in-process refresh lock of the data directory `dir`, shared by every
/// core open on it.
pub(crate) fn refresh_lock_for(dir: &Path) -> Arc<Lock> {
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut locks = LOCKS.lock().unwrap_or_else(|e| e.into_inner());
    locks.retain(|_, lock| lock.strong_count() > 0);
    if let Some(lock) = locks.get(&key).and_then(Weak::upgrade) {
        return lock;
    }
    let lock = Arc::new(Lock::new(()));
    locks.insert(key, Arc::downgrade(&lock));
    lock
}

/// An exclusive lock on `<dir>/refresh.lock` for one refresh, released when
/// dropped (and by the OS if the process dies).
///
/// `flock(2)` through libc: std's `File::lock` is newer than the workspace's
/// Rust 1.85, and every target (Android, iOS, Linux, macOS) has `flock`.
pub(crate) struct FileLock(File);

fn flock(file: &File, operation: libc::c_int) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: the descriptor belongs to `file`, open for the call.
        if unsafe { libc::flock(file.as_raw_fd(), operation) } == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

impl FileLock {
    /// Waits for the lock (blocking: call it on the blocking pool).
    pub(crate) fn acquire(dir: &Path) -> Result<Self> {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("refresh.lock"))?;
        flock(&file, libc::LOCK_EX).map_err(|e| PalmGovError::Storage {
            detail: format!("refresh lock: {:?}", e.kind()),
        })?;
        Ok(Self(file))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = flock(&self.0, libc::LOCK_UN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_on_one_directory_share_one_lock() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let a = refresh_lock_for(dir.path());
        let b = refresh_lock_for(&dir.path().join("."));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &refresh_lock_for(other.path())));
        let held = a.try_lock().unwrap();
        assert!(b.try_lock().is_err(), "the second core waits for the first");
        drop(held);
    }

    #[test]
    fn the_file_lock_excludes_another_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = FileLock::acquire(dir.path()).unwrap();
        let other = File::options()
            .write(true)
            .open(dir.path().join("refresh.lock"))
            .unwrap();
        // flock locks belong to the open file, so another open of the same
        // path is another holder, as another process's would be.
        assert!(
            flock(&other, libc::LOCK_EX | libc::LOCK_NB).is_err(),
            "held by the first"
        );
        drop(first);
        flock(&other, libc::LOCK_EX | libc::LOCK_NB).unwrap();
    }
}
