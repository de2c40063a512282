//! The catalog's SQL: `catalog_chunks` (each chunk as published,
//! compressed, by its hash) and `catalog_manifest` (the one manifest in
//! force). A catalog is public, so nothing here is sealed.

use rusqlite::{OptionalExtension, params};

use crate::error::Result;
use crate::store::Store;

/// The manifest in force: its hash, bytes and when it was taken.
pub(super) fn manifest(store: &Store) -> Result<Option<(String, Vec<u8>, i64)>> {
    Ok(store
        .conn()?
        .prepare_cached("SELECT sha256, body, fetched_at FROM catalog_manifest WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Whether the chunk `sha256` is on the phone, without reading it.
pub(super) fn has_chunk(store: &Store, sha256: &str) -> Result<bool> {
    Ok(store
        .conn()?
        .prepare_cached("SELECT 1 FROM catalog_chunks WHERE sha256 = ?1")?
        .exists([sha256])?)
}

pub(super) fn chunk(store: &Store, sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(store
        .conn()?
        .prepare_cached("SELECT bytes FROM catalog_chunks WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}

/// Puts a new catalog in force in one transaction: its new chunks, its
/// manifest, and the chunks no longer listed gone.
pub(super) fn commit(
    store: &Store,
    sha256: &str,
    manifest: &[u8],
    listed: &[&str],
    new_chunks: &[(String, Vec<u8>)],
    now_ms: i64,
) -> Result<()> {
    let mut conn = store.conn()?;
    let tx = conn.transaction()?;
    for (hash, bytes) in new_chunks {
        tx.execute(
            "INSERT OR REPLACE INTO catalog_chunks (sha256, bytes) VALUES (?1, ?2)",
            params![hash, bytes],
        )?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO catalog_manifest (id, sha256, body, fetched_at) VALUES (1, ?1, ?2, ?3)",
        params![sha256, manifest, now_ms],
    )?;
    let stored: Vec<String> = tx
        .prepare("SELECT sha256 FROM catalog_chunks")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for hash in stored.iter().filter(|h| !listed.contains(&h.as_str())) {
        tx.execute("DELETE FROM catalog_chunks WHERE sha256 = ?1", [hash])?;
    }
    tx.commit()?;
    Ok(())
}
