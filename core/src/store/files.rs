//! Crash-safe file writes: a temporary name, fsync, rename, fsync the
//! directory. A crash leaves either the old file or the new one, never half
//! of each (design notes, failure scenario 2).

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::crypto::{DataKey, FILE_CHUNK};
use crate::error::Result;

/// Replaces `path` with `bytes` atomically.
#[cfg(any(test, feature = "testing"))]
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_name(path);
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// What [`write_sealed`] wrote: the plaintext's length and SHA-256.
pub(crate) struct SealedFile {
    pub len: u64,
    pub sha256: [u8; 32],
}

/// Encrypts everything `source` yields into `path`, atomically and in
/// [`FILE_CHUNK`] pieces, so memory stays bounded whatever the file size.
/// `context` binds the file to its identity (an attachment id). The
/// plaintext's hash is computed on the way, for content-addressed uploads.
pub(crate) fn write_sealed(
    key: &DataKey,
    path: &Path,
    context: &[u8],
    source: &mut dyn Read,
) -> Result<SealedFile> {
    let tmp = temp_name(path);
    let result = (|| -> Result<SealedFile> {
        let mut hash = ring::digest::Context::new(&ring::digest::SHA256);
        let mut sealer = key.file_sealer(context)?;
        let mut file = File::create(&tmp)?;
        file.write_all(&sealer.header())?;
        let mut current = zeroize::Zeroizing::new(vec![0u8; FILE_CHUNK]);
        let mut len = read_full(source, &mut current)?;
        let mut total = len as u64;
        loop {
            // Read one chunk ahead: only then do we know whether this one is last.
            let mut next = zeroize::Zeroizing::new(vec![0u8; FILE_CHUNK]);
            let next_len = if len == FILE_CHUNK {
                read_full(source, &mut next)?
            } else {
                0
            };
            let last = next_len == 0;
            hash.update(&current[..len]);
            file.write_all(&sealer.seal_chunk(&current[..len], last)?)?;
            if last {
                break;
            }
            current = next;
            len = next_len;
            total += len as u64;
        }
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(path)?;
        let mut sha256 = [0u8; 32];
        sha256.copy_from_slice(hash.finish().as_ref());
        Ok(SealedFile { len: total, sha256 })
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Reads and decrypts a file written by [`write_sealed`].
pub(crate) fn read_sealed(
    key: &DataKey,
    path: &Path,
    context: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let envelope = fs::read(path)?;
    key.open_file(context, &envelope)
}

fn read_full(source: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn temp_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{:016x}", fastrand::u64(..)));
    path.with_file_name(name)
}

fn sync_dir(path: &Path) -> std::io::Result<()> {
    // Directory fsync makes the rename itself durable. Not every platform
    // allows opening a directory; there the rename is as durable as it gets.
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_files_round_trip_without_plaintext_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::generate().unwrap().0;
        let path = dir.path().join("a.bin");
        let data: Vec<u8> = b"PLAINTEXT-MARKER"
            .iter()
            .copied()
            .cycle()
            .take(200_000)
            .collect();
        let sealed = write_sealed(&key, &path, b"att-1", &mut &data[..]).unwrap();
        assert_eq!(sealed.len, data.len() as u64);
        assert_eq!(
            &sealed.sha256[..],
            ring::digest::digest(&ring::digest::SHA256, &data).as_ref()
        );
        let raw = fs::read(&path).unwrap();
        assert!(!raw.windows(16).any(|w| w == b"PLAINTEXT-MARKER"));
        assert_eq!(&read_sealed(&key, &path, b"att-1").unwrap()[..], &data[..]);
        assert!(read_sealed(&key, &path, b"att-2").is_err());
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write_atomic(&path, b"old contents").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn write_into_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("not-a-dir");
        fs::write(&blocker, b"x").unwrap();
        assert!(write_atomic(&blocker.join("f"), b"x").is_err());
    }
}
