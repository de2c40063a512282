//! What the backend's stores share: how a SQLite connection is opened, and
//! how a body's hash is written.

use std::path::Path;

use rusqlite::Connection;

/// Opens (or creates) a database, WAL and `synchronous=FULL` (an accepted
/// submission must survive a power cut); in memory without `path`.
pub(crate) fn connect(path: Option<&Path>) -> rusqlite::Result<Connection> {
    let conn = match path {
        Some(p) => Connection::open(p)?,
        None => Connection::open_in_memory()?,
    };
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")?;
    Ok(conn)
}

/// A body's SHA-256, lowercase hex: what receipts echo.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
