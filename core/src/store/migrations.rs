//! Numbered, forward-only migrations.
//!
//! `PRAGMA user_version` holds the number of migrations applied. Each step
//! runs in its own transaction together with the version bump, so a crash
//! mid-upgrade leaves the previous version intact. Never edit a released
//! step: add a new one. `tests::upgrades_from_every_version` opens a database
//! at every earlier version, with data in it, and upgrades it.
//!
//! Most steps are SQL. A step that must re-seal data (sealed values are
//! bound to where they live, so moving one means opening and sealing it
//! again) is Rust and gets the data key: [`Step::Data`].

use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction};

use crate::crypto::DataKey;
use crate::error::{PalmGovError, Result};

/// A data step: runs inside the step's transaction with the data key and
/// the data directory, and returns files to remove once it has committed.
pub(crate) type DataStep = fn(&Transaction<'_>, &DataKey, &Path) -> Result<Vec<PathBuf>>;

/// One migration.
pub(crate) enum Step {
    Schema(&'static str),
    Data(DataStep),
}

use Step::{Data, Schema};

/// The steps, in order. Index `i` upgrades version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[Step] = &[
    // 1: the wrapped data keys and the encrypted key-value store.
    Schema(
        "CREATE TABLE data_keys (
        id TEXT PRIMARY KEY,
        wrapped BLOB NOT NULL,
        key_check BLOB NOT NULL,
        created_at INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE secure_records (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (namespace, key)
     ) STRICT, WITHOUT ROWID;",
    ),
    // 2: record change times, so shells can list what changed since a point.
    Schema(
        "ALTER TABLE secure_records ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX secure_records_updated ON secure_records (namespace, updated_at);",
    ),
    // 3: forms, drafts, attachments, the outbox and application status.
    // Personal data lives only in the sealed BLOB columns; ids, form names,
    // states and times are in clear for ordering and lookups.
    Schema(
        "CREATE TABLE form_definitions (
        form_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        body BLOB NOT NULL,
        stored_at INTEGER NOT NULL,
        PRIMARY KEY (form_id, version)
     ) STRICT;
     CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        form_id TEXT NOT NULL,
        form_version INTEGER NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        utc_offset_min INTEGER NOT NULL,
        summary BLOB NOT NULL,
        replaces TEXT,
        FOREIGN KEY (form_id, form_version) REFERENCES form_definitions (form_id, version)
     ) STRICT;
     CREATE INDEX drafts_owner ON drafts (owner, updated_at);
     CREATE TABLE answers (
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (draft_id, path)
     ) STRICT, WITHOUT ROWID;
     CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        state TEXT NOT NULL,
        sha256 TEXT,
        size INTEGER,
        created_at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX attachments_draft ON attachments (draft_id);
     CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        instance_id TEXT NOT NULL UNIQUE,
        draft_id TEXT NOT NULL REFERENCES drafts (id),
        owner TEXT NOT NULL,
        payload BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        detail TEXT,
        receipt TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX outbox_owner ON outbox (owner, state, seq);
     CREATE TABLE applications (
        instance_id TEXT PRIMARY KEY REFERENCES outbox (instance_id),
        status TEXT NOT NULL,
        history BLOB NOT NULL,
        updated_at INTEGER NOT NULL
     ) STRICT;",
    ),
    // 4: the grid worker's household roster; `body` is sealed JSON, sent
    // as is for households the worker added (so retries are identical).
    Schema(
        "CREATE TABLE households (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        id TEXT NOT NULL,
        origin TEXT NOT NULL,
        state TEXT NOT NULL,
        detail TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        body BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (owner, id)
     ) STRICT;",
    ),
    // 5: a listing index that covers every listed column but the sealed
    // summary, in listing order. Listing 10,000 drafts through the old
    // `(owner, updated_at)` index sorted the rows, summaries included, and
    // looked each one up in the table: 30 ms where a bare listing takes 3.
    // Summaries come from the in-memory index, or by id when it lacks one.
    Schema(
        "DROP INDEX drafts_owner;
     CREATE INDEX drafts_listing ON drafts (owner, updated_at, seq, id, form_id,
        form_version, state, created_at, utc_offset_min, replaces);",
    ),
    // 6: the outbox records each submission's form, so it lists its own
    // rows without reading the drafts' table (each table has one owner).
    Schema(
        "ALTER TABLE outbox ADD COLUMN form_id TEXT NOT NULL DEFAULT '';
     UPDATE outbox SET form_id = IFNULL(
        (SELECT d.form_id FROM drafts d WHERE d.id = outbox.draft_id), '');",
    ),
    // 7: the shell's records and files move into a space of their own
    // (`shell.` namespaces, `shell-` files), away from the core's: a shell
    // could read the account keys and the sessions, and a shell file named
    // `att-…` was deleted at the next open.
    Data(move_shell_data),
    // 8: the roster says which key seals each household. The grid the
    // backend lists moves under the worker's account key at the next
    // refresh, and is deleted at sign-out; rows sealed before stay
    // readable under the device key until then.
    Schema("ALTER TABLE households ADD COLUMN sealed_by TEXT NOT NULL DEFAULT 'device';"),
    // 9: the submission an edit replaces, so the edit never overtakes it;
    // and the answers a form migration could not carry, sealed, kept with
    // the draft until it is sent.
    Schema(
        "ALTER TABLE outbox ADD COLUMN replaces TEXT;
     ALTER TABLE drafts ADD COLUMN dropped BLOB;",
    ),
    // 10: the e-licence wallet. Each licence keeps a small sealed index
    // (listing opens only that; its identifier and type are in there, the
    // row has a random id) and the sealed credential, both under the
    // account key; trust documents (the trust list, status lists) are
    // public and device-wide.
    Schema(
        "CREATE TABLE licences (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        row_id TEXT NOT NULL,
        summary BLOB NOT NULL,
        credential BLOB NOT NULL,
        fetched_at INTEGER NOT NULL,
        UNIQUE (owner, row_id)
     ) STRICT;
     CREATE TABLE trust_documents (
        kind TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        version INTEGER NOT NULL,
        digest BLOB NOT NULL,
        fetched_at INTEGER NOT NULL
     ) STRICT;",
    ),
    // 11: showing licences and checking them (亮证). Each licence's compact
    // form (what its QR codes are made from), sealed beside its
    // credential; the person's record of what they showed, sealed under
    // the account key; and a verifier's presentation ids seen, kept for
    // their validity window so a replay is refused after a restart too.
    Schema(
        "ALTER TABLE licences ADD COLUMN compact BLOB;
     CREATE TABLE presentations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        shown_at INTEGER NOT NULL,
        record BLOB NOT NULL
     ) STRICT;
     CREATE INDEX presentations_owner ON presentations (owner, seq);
     CREATE TABLE seen_presentations (
        pid BLOB PRIMARY KEY,
        expires_at INTEGER NOT NULL
     ) STRICT;
     CREATE INDEX seen_presentations_expiry ON seen_presentations (expires_at);",
    ),
    // 12: licences as form material. The consents a draft's person gave
    // (which licence, which claims, to whom, why), sealed with the draft.
    Schema("ALTER TABLE drafts ADD COLUMN material BLOB;"),
    // 13: the region's service catalog (public: chunks as published, by
    // hash, and the one manifest in force), and the reminders the shell
    // reported shown, so a reminder whose time has passed is shown once.
    Schema(
        "CREATE TABLE catalog_chunks (
        sha256 TEXT PRIMARY KEY,
        bytes BLOB NOT NULL
     ) STRICT;
     CREATE TABLE catalog_manifest (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        sha256 TEXT NOT NULL,
        body BLOB NOT NULL,
        fetched_at INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE reminders_shown (
        owner TEXT NOT NULL,
        id TEXT NOT NULL,
        shown_at INTEGER NOT NULL,
        PRIMARY KEY (owner, id)
     ) STRICT;",
    ),
];

/// The version a fully migrated database has.
pub(crate) const LATEST: u32 = MIGRATIONS.len() as u32;

/// Brings `conn` to [`LATEST`] and returns the data key, which `key`
/// loads (or creates) once: when the first data step needs it, or at the
/// end. Refuses a database from a newer build rather than guessing at its
/// schema.
pub(crate) fn migrate(
    conn: &mut Connection,
    dir: &Path,
    key: impl FnOnce(&mut Connection) -> Result<DataKey>,
) -> Result<DataKey> {
    let mut slot = KeySlot::Loader(Some(Box::new(key)));
    migrate_with(conn, LATEST, dir, &mut slot)?;
    match slot {
        KeySlot::Owned(key) => Ok(*key),
        KeySlot::Loader(Some(load)) => load(conn),
        KeySlot::Loader(None) => Err(PalmGovError::Internal {
            detail: "data key lost during migration".into(),
        }
        .into()),
    }
}

/// Brings `conn` to `target`: tests build old databases with it. Data
/// steps need `key`.
#[cfg(test)]
pub(crate) fn migrate_to(
    conn: &mut Connection,
    target: u32,
    dir: &Path,
    key: Option<DataKey>,
) -> Result<()> {
    let mut slot = match key {
        Some(k) => KeySlot::Owned(Box::new(k)),
        None => KeySlot::Loader(None),
    };
    migrate_with(conn, target, dir, &mut slot)
}

type Loader<'a> = Box<dyn FnOnce(&mut Connection) -> Result<DataKey> + 'a>;

/// The data key, loaded at most once, when a data step first needs it.
enum KeySlot<'a> {
    Loader(Option<Loader<'a>>),
    /// Boxed: a key is ring's expanded schedule, over 500 bytes.
    Owned(Box<DataKey>),
}

impl KeySlot<'_> {
    fn get(&mut self, conn: &mut Connection) -> Result<&DataKey> {
        if let KeySlot::Loader(loader) = self {
            let load = loader.take().ok_or(PalmGovError::Internal {
                detail: "a data migration without the data key".into(),
            })?;
            *self = KeySlot::Owned(Box::new(load(conn)?));
        }
        match self {
            KeySlot::Owned(k) => Ok(k),
            KeySlot::Loader(_) => unreachable!("loaded just above"),
        }
    }
}

fn migrate_with(
    conn: &mut Connection,
    target: u32,
    dir: &Path,
    key: &mut KeySlot<'_>,
) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > LATEST {
        return Err(PalmGovError::SchemaTooNew.into());
    }
    for version in current..target {
        let leftovers = match &MIGRATIONS[version as usize] {
            Step::Schema(sql) => {
                let tx = conn.transaction()?;
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", version + 1)?;
                tx.commit()?;
                Vec::new()
            }
            Step::Data(step) => {
                let key = key.get(conn)?;
                let tx = conn.transaction()?;
                let leftovers = step(&tx, key, dir)?;
                tx.pragma_update(None, "user_version", version + 1)?;
                tx.commit()?;
                leftovers
            }
        };
        // Only once the step committed: until then the old files are what
        // the database refers to.
        for path in leftovers {
            let _ = std::fs::remove_file(path);
        }
        tracing::info!(version = version + 1, "schema migrated");
    }
    Ok(())
}

/// The core's own secure-record namespaces when migration 7 was written:
/// everything else in `secure_records` was a shell's.
const CORE_NAMESPACES_V6: &[&str] = &[
    "palmgov.identity",
    "palmgov.identity.account_keys",
    "palmgov.identity.sessions",
    "palmgov.identity.pending",
    "palmgov.faceauth.consent",
    "palmgov.region",
];

/// Migration 7: re-seals every shell record under `shell.<namespace>` and
/// every shell file under `shell-<name>`. The core's files were the
/// attachments' `att-` files; anything else in `files/` was a shell's. (A
/// shell file named `att-…` never outlived an open: the leftover cleaner
/// removed it, which is one reason for the move.)
fn move_shell_data(tx: &Transaction<'_>, key: &DataKey, dir: &Path) -> Result<Vec<PathBuf>> {
    use super::{SHELL_FILE_PREFIX, SHELL_NAMESPACE_PREFIX};
    let rows: Vec<(String, String, Vec<u8>, i64)> = {
        let mut stmt =
            tx.prepare("SELECT namespace, key, value, updated_at FROM secure_records")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (namespace, k, sealed, updated_at) in rows {
        if CORE_NAMESPACES_V6.contains(&namespace.as_str()) {
            continue;
        }
        let value = key.open(&super::secure::context(&namespace, &k), &sealed)?;
        let moved = format!("{SHELL_NAMESPACE_PREFIX}{namespace}");
        let resealed = key.seal(&super::secure::context(&moved, &k), &value)?;
        tx.execute(
            "INSERT OR REPLACE INTO secure_records (namespace, key, value, updated_at)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![moved, k, resealed, updated_at],
        )?;
        tx.execute(
            "DELETE FROM secure_records WHERE namespace = ?1 AND key = ?2",
            rusqlite::params![namespace, k],
        )?;
    }
    let files = dir.join(super::FILES_DIR);
    let mut leftovers = Vec::new();
    for entry in std::fs::read_dir(&files).into_iter().flatten().flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with("att-") || name.starts_with(SHELL_FILE_PREFIX) || name.contains(".tmp-")
        {
            continue;
        }
        let plain =
            super::files::read_sealed(key, &entry.path(), &super::secure::file_context(&name))?;
        let moved = format!("{SHELL_FILE_PREFIX}{name}");
        super::files::write_sealed(
            key,
            &files.join(&moved),
            &super::secure::file_context(&moved),
            &mut plain.as_slice(),
        )?;
        leftovers.push(entry.path());
    }
    Ok(leftovers)
}
