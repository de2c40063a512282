//! The one SQLite database of an install, and its data key.
//!
//! Opening classifies every way it can fail into a distinct public error
//! (unwritable directory, corrupt file, wrong key, full disk, newer schema)
//! and never recreates anything that might hold unsynced work: a database
//! that cannot be read is reported, not replaced.
//!
//! Sensitive values are sealed with the data key before they reach SQLite,
//! so neither the database file nor its WAL ever holds them in clear. The
//! data key itself is stored only wrapped by the keystore hook.

pub(crate) mod files;
mod flush;
#[cfg(test)]
pub(crate) use flush::FLUSH_DELAY;
pub(crate) mod migrations;
mod secure;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::clock::now_unix;
use crate::crypto::DataKey;
use crate::error::{PalmGovError, Result};
use crate::hooks::{HookError, Keystore};

pub use secure::{SecureEntry, SecureFileInfo};

/// File name of the database inside the data directory.
pub(crate) const DB_FILE: &str = "palmgov.db";
/// Where sealed files live, beside the database.
pub(crate) const FILES_DIR: &str = "files";
/// What the shell's secure-record namespaces are stored under
/// ([`crate::shell_store`]): no namespace a shell names reaches the core's.
pub(crate) const SHELL_NAMESPACE_PREFIX: &str = "shell.";
/// What the shell's sealed files are stored under, beside the core's
/// `att-` files.
pub(crate) const SHELL_FILE_PREFIX: &str = "shell-";
/// The keystore alias that wraps the install's data key.
pub(crate) const DATA_KEY_ALIAS: &str = "palmgov.data-key.v1";
/// Row id of the install-wide data key in `data_keys`.
const DEVICE_KEY_ID: &str = "device";
/// A fixed plaintext sealed at key creation. Opening it proves the unwrapped
/// key is the one that encrypted this database, before any user data is read.
const KEY_CHECK: &[u8] = b"palmgov key check v1";

/// The open database plus its data key.
pub(crate) struct Store {
    conn: Mutex<Connection>,
    /// A second connection that only checkpoints (see [`Store::sync_wal`]),
    /// opened on first use.
    checkpointer: Mutex<Option<Connection>>,
    key: DataKey,
    dir: PathBuf,
    /// Syncs the WAL a second after changes ([`Store::changed`]).
    flusher: flush::Flusher,
}

/// WAL pages after which a commit checkpoints inline: SQLite's default.
/// The flusher checkpoints off the caller's thread a second after changes,
/// so only a burst of over 1,000 commits within that second gets here, and
/// then one commit in 1,000 pays the checkpoint's two fsyncs.
///
/// It was 8,192 once, to keep those fsyncs out of bursts. But a long WAL
/// costs every commit: SQLite's WAL index probes linearly past each earlier
/// frame of the same page (`walIndexAppend`), so in `palmgov bench forms`
/// an autosave took 1–2 µs more than at 1,000 pages, most of what separated
/// it from a bare SQLite update.
const WAL_BACKSTOP_PAGES: u32 = 1_000;

impl Store {
    /// Opens (or creates) the database in `dir`, migrates it and unwraps its
    /// data key through `keystore`.
    ///
    /// A new database is built under a temporary name and renamed into
    /// place once it holds its key, so a database file that exists was
    /// complete once: an empty one is damage (`CorruptDatabase`), never a
    /// new install.
    pub(crate) fn open(dir: &Path, keystore: &Arc<dyn Keystore>) -> Result<Self> {
        ensure_dir(dir)?;
        crate::error::note_data_dir(dir);
        let path = dir.join(DB_FILE);
        match std::fs::metadata(&path) {
            Ok(m) if m.len() == 0 => return Err(PalmGovError::CorruptDatabase.into()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(dir, keystore)?,
            Err(e) => return Err(e.into()),
        }
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        let key = migrations::migrate(&mut conn, dir, |conn| {
            load_or_create_key(conn, keystore, true)
        })?;
        Ok(Self {
            conn: Mutex::new(conn),
            checkpointer: Mutex::new(None),
            key,
            dir: dir.to_path_buf(),
            flusher: Default::default(),
        })
    }

    /// The data directory the core owns.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where encrypted files live, beside the database.
    pub(crate) fn files_dir(&self) -> PathBuf {
        self.dir.join(FILES_DIR)
    }

    pub(crate) fn key(&self) -> &DataKey {
        &self.key
    }

    /// Locks the connection. Calls are short, so one connection behind a
    /// mutex is simpler than a pool and gives the same throughput on phones.
    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| {
            PalmGovError::Internal {
                detail: "database lock poisoned".into(),
            }
            .into()
        })
    }

    /// Syncs the write-ahead log to disk and checkpoints it, so every
    /// commit so far survives a power cut (see [`Store::changed`]).
    ///
    /// It runs on its own connection: a checkpoint copies the WAL into the
    /// database and fsyncs both, which takes milliseconds to hundreds of
    /// them, and holding the main connection's lock meanwhile stalled the
    /// autosaves behind it (`palmgov bench forms` saw 0.5 s saves). A
    /// PASSIVE checkpoint never blocks the writer.
    pub(crate) fn sync_wal(&self) -> Result<()> {
        let mut slot = self
            .checkpointer
            .lock()
            .map_err(|_| PalmGovError::Internal {
                detail: "checkpoint lock poisoned".into(),
            })?;
        let conn = match slot.as_mut() {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    self.dir.join(DB_FILE),
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(Duration::from_secs(5))?;
                c.pragma_update(None, "synchronous", "NORMAL")?;
                slot.insert(c)
            }
        };
        let wal = self.dir.join(format!("{DB_FILE}-wal"));
        if let Ok(f) = std::fs::File::open(&wal) {
            f.sync_data()?;
        }
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Runs `f` in one transaction committed with `synchronous=FULL` (see
    /// [`durable`]) on the store's connection.
    pub(crate) fn write_durably<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        durable(&mut *self.conn()?, f)
    }

    /// Runs SQLite's full integrity check; apps call it after an update or
    /// when support asks.
    pub(crate) fn check_integrity(&self) -> Result<()> {
        let conn = self.conn()?;
        let result: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if result == "ok" {
            Ok(())
        } else {
            tracing::error!("integrity check failed");
            Err(PalmGovError::CorruptDatabase.into())
        }
    }
}

/// Runs `f` in a transaction committed with `synchronous=FULL`, for the
/// writes that must survive power loss once the call returns (the data key
/// today; finalized forms and outbox transitions next). Ordinary writes use
/// NORMAL: in WAL mode that can lose only the last commits on power loss,
/// never corrupt the file.
pub(crate) fn durable<T>(
    conn: &mut Connection,
    f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
) -> Result<T> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    let result = (|| {
        let tx = conn.transaction()?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    })();
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    result
}

/// Creates the data directory. A regular file in its place, or any parent
/// that cannot be created, is `DataDirUnwritable`; so is a directory we
/// cannot create files in.
fn ensure_dir(dir: &Path) -> Result<()> {
    let unwritable = |_| PalmGovError::DataDirUnwritable;
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    if !std::fs::metadata(dir).map_err(unwritable)?.is_dir() {
        return Err(PalmGovError::DataDirUnwritable.into());
    }
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // The first statement reads the header: a file that is not a database
    // fails here with NOTADB, which becomes CorruptDatabase.
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(PalmGovError::Storage {
            detail: "WAL unavailable".into(),
        }
        .into());
    }
    conn.execute_batch(
        "PRAGMA synchronous=NORMAL;
         PRAGMA foreign_keys=ON;
         PRAGMA secure_delete=ON;",
    )?;
    conn.pragma_update(None, "wal_autocheckpoint", WAL_BACKSTOP_PAGES)?;
    Ok(())
}

/// Builds a new database, migrated and holding its data key, under a
/// temporary name, then renames it into place (module notes at
/// [`Store::open`]). What a crash left of an earlier attempt goes first.
fn create(dir: &Path, keystore: &Arc<dyn Keystore>) -> Result<()> {
    let creating = dir.join(format!("{DB_FILE}.creating"));
    for leftover in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{leftover}", creating.display()));
    }
    {
        let mut conn = Connection::open_with_flags(
            &creating,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        migrations::migrate(&mut conn, dir, |conn| {
            load_or_create_key(conn, keystore, false)
        })?;
        // Everything into the main file, so the rename moves all of it.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;")?;
    }
    std::fs::File::open(&creating)?.sync_all()?;
    std::fs::rename(&creating, dir.join(DB_FILE))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn load_or_create_key(
    conn: &mut Connection,
    keystore: &Arc<dyn Keystore>,
    existed: bool,
) -> Result<DataKey> {
    let row: Option<(Vec<u8>, Vec<u8>)> = conn
        .query_row(
            "SELECT wrapped, key_check FROM data_keys WHERE id = ?1",
            [DEVICE_KEY_ID],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((wrapped, check)) => {
            let raw = zeroize::Zeroizing::new(
                keystore
                    .unwrap_key(DATA_KEY_ALIAS.into(), wrapped)
                    .map_err(keystore_error)?,
            );
            let key = DataKey::from_bytes(&raw)?;
            key.open(KEY_CHECK, &check)
                .map_err(|_| PalmGovError::WrongKey)?;
            Ok(key)
        }
        None => {
            // A missing key row in a database that already holds sealed data
            // means damage: a new key would make that data unreadable forever.
            let sealed_rows: i64 =
                conn.query_row("SELECT count(*) FROM secure_records", [], |r| r.get(0))?;
            if existed && sealed_rows > 0 {
                return Err(PalmGovError::CorruptDatabase.into());
            }
            let (key, raw) = DataKey::generate()?;
            let wrapped = keystore
                .wrap_key(DATA_KEY_ALIAS.into(), raw.to_vec())
                .map_err(keystore_error)?;
            let check = key.seal(KEY_CHECK, KEY_CHECK)?;
            // The key row is the one write whose loss would orphan all data.
            durable(conn, |tx| {
                tx.execute(
                    "INSERT INTO data_keys (id, wrapped, key_check, created_at) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![DEVICE_KEY_ID, wrapped, check, now_unix()],
                )?;
                Ok(())
            })?;
            tracing::info!("created a new data key");
            Ok(key)
        }
    }
}

/// What a keystore hook failure means to the app: a reset hardware key is
/// `WrongKey`, a dismissed prompt `Cancelled`, anything else a hook failure.
pub(crate) fn keystore_error(error: HookError) -> PalmGovError {
    match error {
        HookError::KeyInvalidated => PalmGovError::WrongKey,
        HookError::Cancelled => PalmGovError::Cancelled,
        _ => PalmGovError::Hook {
            hook: "keystore".into(),
        },
    }
}

#[cfg(test)]
mod tests;
