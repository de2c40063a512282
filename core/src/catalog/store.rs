//! The catalog's SQL: the `form_definitions` table.

use rusqlite::{OptionalExtension, params};

use crate::clock::now_ms;
use crate::error::{PalmGovError, Result};
use crate::store::Store;

pub(super) fn latest_version(store: &Store, form_id: &str) -> Result<Option<u32>> {
    Ok(store
        .conn()?
        .prepare_cached("SELECT MAX(version) FROM form_definitions WHERE form_id = ?1")?
        .query_row([form_id], |r| r.get(0))?)
}

pub(super) fn definition(store: &Store, form_id: &str, version: u32) -> Result<Option<Vec<u8>>> {
    Ok(store
        .conn()?
        .prepare_cached("SELECT body FROM form_definitions WHERE form_id = ?1 AND version = ?2")?
        .query_row(params![form_id, version], |r| r.get(0))
        .optional()?)
}

/// Every stored (form, version), newest version first per form.
pub(super) fn definitions(store: &Store) -> Result<Vec<(String, u32)>> {
    let conn = store.conn()?;
    let mut stmt = conn.prepare_cached(
        "SELECT form_id, version FROM form_definitions ORDER BY form_id, version DESC",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores a definition; the same body again is a no-op, another body under
/// a stored version is `version_conflict`.
pub(super) fn put_definition(
    store: &Store,
    form_id: &str,
    version: u32,
    body: &[u8],
) -> Result<()> {
    let conn = store.conn()?;
    let existing: Option<Vec<u8>> = conn
        .prepare_cached("SELECT body FROM form_definitions WHERE form_id = ?1 AND version = ?2")?
        .query_row(params![form_id, version], |r| r.get(0))
        .optional()?;
    match existing {
        Some(b) if b == body => Ok(()),
        Some(_) => Err(PalmGovError::InvalidForm {
            field: String::new(),
            reason: "version_conflict".into(),
        }
        .into()),
        None => {
            conn.execute(
                "INSERT INTO form_definitions (form_id, version, body, stored_at) VALUES (?1, ?2, ?3, ?4)",
                params![form_id, version, body, now_ms()],
            )?;
            Ok(())
        }
    }
}
