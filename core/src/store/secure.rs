//! An encrypted key-value store for the shells and for the core's own small
//! secrets (cached configuration today; tokens and profiles later).
//!
//! Values are sealed with the data key and bound to their namespace and key,
//! so a value copied into another row fails to open. Namespaces and keys are
//! stored in clear for lookups: they must name things ("refresh_token"),
//! never hold personal data.

use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::Store;
use crate::clock::now_unix;
use crate::error::{PalmGovError, Result};

/// One decrypted entry, for calls that return a whole namespace at once.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SecureEntry {
    pub key: String,
    pub value: Vec<u8>,
    /// When the entry was last written, in Unix seconds of the device clock.
    pub updated_at: i64,
}

/// Longest namespace or key accepted, in bytes.
const MAX_NAME: usize = 256;

impl Store {
    pub(crate) fn secure_put(&self, namespace: &str, key: &str, value: &[u8]) -> Result<()> {
        check_name("namespace", namespace)?;
        check_name("key", key)?;
        let sealed = self.key().seal(&context(namespace, key), value)?;
        // Cached statements: SQL compilation would otherwise cost more than
        // the write itself on this hot path.
        self.conn()?.prepare_cached(UPSERT)?.execute(params![
            namespace,
            key,
            sealed,
            now_unix()
        ])?;
        Ok(())
    }

    pub(crate) fn secure_get(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let sealed: Option<Vec<u8>> = self
            .conn()?
            .prepare_cached("SELECT value FROM secure_records WHERE namespace = ?1 AND key = ?2")?
            .query_row(params![namespace, key], |r| r.get(0))
            .optional()?;
        sealed
            .map(|s| self.key().open(&context(namespace, key), &s))
            .transpose()
    }

    /// Every entry of a namespace in one call, ordered by key.
    pub(crate) fn secure_list(&self, namespace: &str) -> Result<Vec<SecureEntry>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT key, value, updated_at FROM secure_records WHERE namespace = ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map([namespace], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, sealed, updated_at) = row?;
            let value = self.key().open(&context(namespace, &key), &sealed)?;
            out.push(SecureEntry {
                key,
                value: value.to_vec(),
                updated_at,
            });
        }
        Ok(out)
    }

    /// Reads and deletes one entry in a single durable transaction: whoever
    /// takes it first gets it, every later caller gets `None`, even across
    /// a crash. For one-shot values such as a pending login's state.
    pub(crate) fn secure_take(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let mut conn = self.conn()?;
        let sealed: Option<Vec<u8>> = super::durable(&mut conn, |tx| {
            let sealed = tx
                .prepare_cached(
                    "SELECT value FROM secure_records WHERE namespace = ?1 AND key = ?2",
                )?
                .query_row(params![namespace, key], |r| r.get(0))
                .optional()?;
            tx.execute(
                "DELETE FROM secure_records WHERE namespace = ?1 AND key = ?2",
                params![namespace, key],
            )?;
            Ok(sealed)
        })?;
        sealed
            .map(|s| self.key().open(&context(namespace, key), &s))
            .transpose()
    }

    /// [`Store::secure_put`] committed with `synchronous=FULL`, for values
    /// that must survive power loss once the call returns (a session after
    /// sign-in, a pending login before the browser opens).
    pub(crate) fn secure_put_durable(
        &self,
        namespace: &str,
        key: &str,
        value: &[u8],
    ) -> Result<()> {
        check_name("namespace", namespace)?;
        check_name("key", key)?;
        let sealed = self.key().seal(&context(namespace, key), value)?;
        let mut conn = self.conn()?;
        super::durable(&mut conn, |tx| {
            tx.prepare_cached(UPSERT)?
                .execute(params![namespace, key, sealed, now_unix()])?;
            Ok(())
        })
    }

    pub(crate) fn secure_delete(&self, namespace: &str, key: &str) -> Result<bool> {
        let n = self.conn()?.execute(
            "DELETE FROM secure_records WHERE namespace = ?1 AND key = ?2",
            params![namespace, key],
        )?;
        Ok(n > 0)
    }
}

const UPSERT: &str = "INSERT INTO secure_records (namespace, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

/// The authenticated context of a row: its table, namespace and key.
pub(super) fn context(namespace: &str, key: &str) -> Vec<u8> {
    let mut c = Vec::with_capacity(16 + namespace.len() + key.len());
    c.extend_from_slice(b"secure_records\0");
    c.extend_from_slice(namespace.as_bytes());
    c.push(0);
    c.extend_from_slice(key.as_bytes());
    c
}

fn check_name(field: &str, name: &str) -> Result<()> {
    if name.is_empty() || name.len() > MAX_NAME || name.contains('\0') {
        return Err(PalmGovError::InvalidInput {
            field: field.into(),
        }
        .into());
    }
    Ok(())
}

/// A file the core holds encrypted (a scanned document, a downloaded licence
/// PDF). Only its name is visible on disk.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SecureFileInfo {
    pub name: String,
    /// The plaintext size in bytes.
    pub size: u64,
    /// The plaintext's SHA-256, hex: the content hash servers check uploads against.
    pub sha256_hex: String,
}

impl Store {
    /// Encrypts the file at `source` into the store under `name`, streaming
    /// in 64 KiB chunks. With `delete_source`, the plaintext original is
    /// removed once the sealed copy is durable (a camera's raw capture).
    pub(crate) fn secure_file_import(
        &self,
        name: &str,
        source: &std::path::Path,
        delete_source: bool,
    ) -> Result<SecureFileInfo> {
        check_file_name(name)?;
        let mut input = std::fs::File::open(source).map_err(|_| PalmGovError::InvalidInput {
            field: "source_path".into(),
        })?;
        let info = self.seal_file(name, &mut input)?;
        if delete_source {
            std::fs::remove_file(source)?;
        }
        Ok(info)
    }

    /// Encrypts `bytes` into the store under `name`, atomically.
    pub(crate) fn secure_file_write(&self, name: &str, bytes: &[u8]) -> Result<SecureFileInfo> {
        check_file_name(name)?;
        let mut input = bytes;
        self.seal_file(name, &mut input)
    }

    /// Streams `input` into the sealed file `name` (already checked).
    fn seal_file(&self, name: &str, input: &mut dyn std::io::Read) -> Result<SecureFileInfo> {
        let dir = self.files_dir();
        std::fs::create_dir_all(&dir)?;
        let sealed =
            super::files::write_sealed(self.key(), &dir.join(name), &file_context(name), input)?;
        Ok(SecureFileInfo {
            name: name.to_string(),
            size: sealed.len,
            sha256_hex: crate::crypto::hex(&sealed.sha256),
        })
    }

    /// Decrypts a stored file into memory; `None` if there is no such file.
    pub(crate) fn secure_file_read(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        check_file_name(name)?;
        let path = self.files_dir().join(name);
        if !path.exists() {
            return Ok(None);
        }
        super::files::read_sealed(self.key(), &path, &file_context(name)).map(Some)
    }

    pub(crate) fn secure_file_delete(&self, name: &str) -> Result<bool> {
        check_file_name(name)?;
        match std::fs::remove_file(self.files_dir().join(name)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

pub(super) fn file_context(name: &str) -> Vec<u8> {
    [b"secure_files\0".as_slice(), name.as_bytes()].concat()
}

/// File names become paths: only a safe, portable alphabet, no separators,
/// no leading dot (temporary files start with the name and a dot suffix).
fn check_file_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && !name.contains(".tmp-")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(PalmGovError::InvalidInput {
            field: "name".into(),
        }
        .into())
    }
}
