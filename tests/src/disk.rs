//! What a core keeps on disk, read from outside: every file with its size,
//! and every row of every table with the bytes it holds. Tests compare two
//! snapshots to see exactly what an operation wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files and rows at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Every file under the data directory but SQLite's own (the database,
    /// its WAL and shared memory: their content is the rows), by path: its
    /// size and a hash of its content, so a file rewritten at the same size
    /// counts as written.
    pub files: BTreeMap<PathBuf, (u64, u64)>,
    /// Every row, as `table/key` (its primary key, or rowid), with the
    /// bytes of all its columns.
    pub rows: BTreeMap<String, Vec<u8>>,
}

/// What changed between two snapshots.
#[derive(Debug, Default)]
pub struct Written {
    /// Files created or changed, with their size.
    pub files: Vec<(PathBuf, u64)>,
    /// Rows inserted or changed, with their size in bytes.
    pub rows: Vec<(String, usize)>,
}

fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, (u64, u64)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(_) if name.starts_with("palmgov.db") => {}
            Ok(_) => {
                use std::hash::{Hash, Hasher};
                let bytes = std::fs::read(&path).unwrap_or_default();
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut hasher);
                out.insert(path, (bytes.len() as u64, hasher.finish()));
            }
            Err(_) => {}
        }
    }
}

/// Every file under `dir`, SQLite's own included.
pub fn every_file(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            match entry.file_type() {
                Ok(t) if t.is_dir() => dirs.push(entry.path()),
                Ok(_) => out.push(entry.path()),
                Err(_) => {}
            }
        }
    }
    out
}

impl Snapshot {
    /// Reads the data directory of a core (it may be open: WAL readers do
    /// not block it).
    pub fn take(dir: &Path) -> Self {
        let mut files = BTreeMap::new();
        walk(dir, &mut files);
        let conn = rusqlite::Connection::open(dir.join("palmgov.db")).unwrap();
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut rows = BTreeMap::new();
        for table in tables {
            // A row is named by its primary key (some tables have no
            // rowid), or by its rowid where the table declares none.
            let keys: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
                .unwrap()
                .query_map([&table], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let key = if keys.is_empty() {
                "rowid".to_string()
            } else {
                keys.iter()
                    .map(|k| format!("quote(\"{k}\")"))
                    .collect::<Vec<_>>()
                    .join(" || '/' || ")
            };
            let mut stmt = conn
                .prepare(&format!("SELECT {key}, * FROM \"{table}\""))
                .unwrap();
            let columns = stmt.column_count();
            let mut query = stmt.query([]).unwrap();
            while let Some(row) = query.next().unwrap() {
                let id = match row.get_ref(0).unwrap() {
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    other => {
                        String::from_utf8_lossy(other.as_bytes().unwrap_or_default()).into_owned()
                    }
                };
                let mut bytes = Vec::new();
                for i in 1..columns {
                    match row.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                            bytes.extend_from_slice(t)
                        }
                        rusqlite::types::ValueRef::Integer(n) => {
                            bytes.extend_from_slice(&n.to_le_bytes())
                        }
                        rusqlite::types::ValueRef::Real(f) => {
                            bytes.extend_from_slice(&f.to_le_bytes())
                        }
                        rusqlite::types::ValueRef::Null => {}
                    }
                }
                rows.insert(format!("{table}/{id}"), bytes);
            }
        }
        Self { files, rows }
    }

    /// What was written since `before`.
    pub fn written_since(&self, before: &Snapshot) -> Written {
        Written {
            files: self
                .files
                .iter()
                .filter(|(path, file)| before.files.get(*path) != Some(file))
                .map(|(path, (size, _))| (path.clone(), *size))
                .collect(),
            rows: self
                .rows
                .iter()
                .filter(|(key, bytes)| before.rows.get(*key) != Some(bytes))
                .map(|(key, bytes)| (key.clone(), bytes.len()))
                .collect(),
        }
    }
}
