//! Numbered, forward-only schema migrations.
//!
//! `PRAGMA user_version` holds the number of migrations applied. Each step
//! runs in its own transaction together with the version bump, so a crash
//! mid-upgrade leaves the previous version intact. Never edit a released
//! step: add a new one. `tests::upgrades_from_every_version` opens a database
//! at every earlier version, with data in it, and upgrades it.

use rusqlite::Connection;

use crate::error::{PalmGovError, Result};

/// The schema steps, in order. Index `i` upgrades version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the wrapped data keys and the encrypted key-value store.
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
    // 2: record change times, so shells can list what changed since a point.
    "ALTER TABLE secure_records ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX secure_records_updated ON secure_records (namespace, updated_at);",
    // 3: forms, drafts, attachments, the outbox and application status.
    // Personal data lives only in the sealed BLOB columns; ids, form names,
    // states and times are in clear for ordering and lookups.
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
    // 4: the grid worker's household roster; `body` is sealed JSON, sent
    // as is for households the worker added (so retries are identical).
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
    // 5: a listing index that covers every listed column but the sealed
    // summary, in listing order. Listing 10,000 drafts through the old
    // `(owner, updated_at)` index sorted the rows, summaries included, and
    // looked each one up in the table: 30 ms where a bare listing takes 3.
    // Summaries come from the in-memory index, or by id when it lacks one.
    "DROP INDEX drafts_owner;
     CREATE INDEX drafts_listing ON drafts (owner, updated_at, seq, id, form_id,
        form_version, state, created_at, utc_offset_min, replaces);",
    // 6: the outbox records each submission's form, so it lists its own
    // rows without reading the drafts' table (each table has one owner).
    "ALTER TABLE outbox ADD COLUMN form_id TEXT NOT NULL DEFAULT '';
     UPDATE outbox SET form_id = IFNULL(
        (SELECT d.form_id FROM drafts d WHERE d.id = outbox.draft_id), '');",
];

/// The version a fully migrated database has.
pub(crate) const LATEST: u32 = MIGRATIONS.len() as u32;

/// Brings `conn` to [`LATEST`]. Refuses a database from a newer build rather
/// than guessing at its schema.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST)
}

/// Brings `conn` to `target`; tests use it to build old databases.
pub(crate) fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > LATEST {
        return Err(PalmGovError::SchemaTooNew.into());
    }
    for version in current..target {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        tracing::info!(version = version + 1, "schema migrated");
    }
    Ok(())
}
