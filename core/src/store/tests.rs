use std::sync::Arc;

use rusqlite::Connection;

use super::*;
use crate::software::SoftwareKeystore;

fn keystore(secret: u8) -> Arc<dyn Keystore> {
    Arc::new(SoftwareKeystore::from_secret(&[secret; 32]).unwrap())
}

fn public(e: crate::error::Error) -> PalmGovError {
    e.into()
}

fn open_err(dir: &Path, ks: &Arc<dyn Keystore>) -> PalmGovError {
    match Store::open(dir, ks) {
        Ok(_) => panic!("open should have failed"),
        Err(e) => public(e),
    }
}

#[test]
fn records_round_trip_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let ks = keystore(1);
    let store = Store::open(dir.path(), &ks).unwrap();
    store.secure_put("ns", "a", b"one").unwrap();
    store.secure_put("ns", "b", b"two").unwrap();
    store.secure_put("ns", "a", b"uno").unwrap();
    drop(store);
    let store = Store::open(dir.path(), &ks).unwrap();
    assert_eq!(&store.secure_get("ns", "a").unwrap().unwrap()[..], b"uno");
    let all = store.secure_list("ns").unwrap();
    assert_eq!(
        all.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(store.secure_list("ns").unwrap().len(), 2);
    assert!(store.secure_delete("ns", "a").unwrap());
    assert!(store.secure_get("ns", "a").unwrap().is_none());
}

#[test]
fn no_plaintext_in_database_or_wal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &keystore(1)).unwrap();
    let marker = "110101199003077777-张三-PLAINTEXT";
    for i in 0..50 {
        store
            .secure_put("people", &format!("p{i}"), marker.as_bytes())
            .unwrap();
    }
    // Keep the connection open so the WAL has not been checkpointed away.
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
            found.push(path);
        }
    }
    assert!(
        dir.path().join("palmgov.db-wal").exists(),
        "the WAL should exist while open"
    );
    assert!(found.is_empty(), "plaintext found in {found:?}");
}

/// Every commit into a long WAL costs more (see `WAL_BACKSTOP_PAGES`), so
/// a burst faster than the flusher must not grow it much past 1,000 pages.
/// Each commit here writes two frames, so 3,000 reach 6,000 unchecked.
#[test]
fn a_burst_of_commits_keeps_the_wal_short() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &keystore(1)).unwrap();
    for i in 0..3_000u32 {
        store.secure_put("ns", "k", &i.to_le_bytes()).unwrap();
    }
    let page: u64 = store
        .conn()
        .unwrap()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let wal = std::fs::metadata(dir.path().join(format!("{DB_FILE}-wal")))
        .unwrap()
        .len();
    let frames = wal / (page + 24);
    assert!(frames <= 1_010, "{frames} frames");
}

#[test]
fn swapped_ciphertext_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &keystore(1)).unwrap();
    store.secure_put("ns", "a", b"for a").unwrap();
    store.secure_put("ns", "b", b"for b").unwrap();
    store
        .conn()
        .unwrap()
        .execute(
            "UPDATE secure_records SET value = (SELECT value FROM secure_records WHERE key = 'a') WHERE key = 'b'",
            [],
        )
        .unwrap();
    assert_eq!(
        public(store.secure_get("ns", "b").unwrap_err()),
        PalmGovError::Decryption
    );
}

#[test]
fn wrong_key_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path(), &keystore(1))
        .unwrap()
        .secure_put("ns", "k", b"v")
        .unwrap();
    assert_eq!(open_err(dir.path(), &keystore(2)), PalmGovError::WrongKey);
    // The database is untouched: the right key still opens it.
    let store = Store::open(dir.path(), &keystore(1)).unwrap();
    assert_eq!(&store.secure_get("ns", "k").unwrap().unwrap()[..], b"v");
}

#[test]
fn corrupt_database_is_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    assert_eq!(
        open_err(dir.path(), &keystore(1)),
        PalmGovError::CorruptDatabase
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        vec![0x5a; 8192],
        "must not be recreated"
    );
}

#[test]
fn an_empty_database_file_is_damage_not_a_new_install() {
    let dir = tempfile::tempdir().unwrap();
    // A database in use, then truncated to nothing (a bad flash block, a
    // tool gone wrong): its account and work are gone, and saying "sign
    // in again" over a fresh database would hide that.
    drop(Store::open(dir.path(), &keystore(1)).unwrap());
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, b"").unwrap();
    assert_eq!(
        open_err(dir.path(), &keystore(1)),
        PalmGovError::CorruptDatabase
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "kept as found");
    // A creation a crash interrupted leaves no database file, only the
    // temporary one, which the next open replaces.
    let fresh = tempfile::tempdir().unwrap();
    std::fs::write(fresh.path().join(format!("{DB_FILE}.creating")), b"half").unwrap();
    let store = Store::open(fresh.path(), &keystore(1)).unwrap();
    store.secure_put("ns", "k", b"v").unwrap();
    assert!(!fresh.path().join(format!("{DB_FILE}.creating")).exists());
}

#[test]
fn damaged_pages_fail_the_integrity_check() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path(), &keystore(1)).unwrap();
        for i in 0..500 {
            store
                .secure_put("ns", &format!("k{i:04}"), &[7u8; 200])
                .unwrap();
        }
        store.check_integrity().unwrap();
    }
    // Checkpoint the WAL into the main file, then scribble over a b-tree page.
    Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let path = dir.path().join(DB_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    for b in &mut bytes[3 * page..3 * page + 512] {
        *b = 0xff;
    }
    std::fs::write(&path, bytes).unwrap();
    let result = Store::open(dir.path(), &keystore(1)).and_then(|s| s.check_integrity());
    assert_eq!(public(result.unwrap_err()), PalmGovError::CorruptDatabase);
}

#[test]
fn file_in_place_of_data_dir_is_unwritable() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, b"not a directory").unwrap();
    assert_eq!(
        open_err(&blocker, &keystore(1)),
        PalmGovError::DataDirUnwritable
    );
    assert_eq!(
        open_err(&blocker.join("nested"), &keystore(1)),
        PalmGovError::DataDirUnwritable
    );
}

#[test]
fn database_path_taken_by_a_directory_is_unwritable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(DB_FILE)).unwrap();
    assert_eq!(
        open_err(dir.path(), &keystore(1)),
        PalmGovError::DataDirUnwritable
    );
}

#[test]
fn full_disk_is_reported_and_earlier_data_survives() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &keystore(1)).unwrap();
    store.secure_put("ns", "kept", b"earlier").unwrap();
    let pages: i64 = store
        .conn()
        .unwrap()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .conn()
        .unwrap()
        .pragma_update(None, "max_page_count", pages + 2)
        .unwrap();
    let big = vec![1u8; 64 * 1024];
    let mut err = None;
    for i in 0..100 {
        if let Err(e) = store.secure_put("ns", &format!("big{i}"), &big) {
            err = Some(public(e));
            break;
        }
    }
    assert_eq!(err, Some(PalmGovError::DiskFull));
    assert_eq!(
        &store.secure_get("ns", "kept").unwrap().unwrap()[..],
        b"earlier"
    );
    store.check_integrity().unwrap();
    drop(store);
    // Once space is back (a new connection has no page cap), writes work again.
    let store = Store::open(dir.path(), &keystore(1)).unwrap();
    store.secure_put("ns", "after", b"ok").unwrap();
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), &keystore(1)).unwrap());
    Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .pragma_update(None, "user_version", migrations::LATEST + 1)
        .unwrap();
    assert_eq!(
        open_err(dir.path(), &keystore(1)),
        PalmGovError::SchemaTooNew
    );
}

#[test]
fn missing_key_row_with_sealed_data_is_corruption_not_a_fresh_start() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path(), &keystore(1))
        .unwrap()
        .secure_put("ns", "k", b"v")
        .unwrap();
    Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .execute("DELETE FROM data_keys", [])
        .unwrap();
    assert_eq!(
        open_err(dir.path(), &keystore(1)),
        PalmGovError::CorruptDatabase
    );
}

/// Builds a database at every earlier schema version, puts data in it the
/// way that version's code would have, and checks the current code upgrades
/// it and still reads the data.
#[test]
fn upgrades_from_every_version() {
    for version in 0..migrations::LATEST {
        let dir = tempfile::tempdir().unwrap();
        let ks = keystore(1);
        let path = dir.path().join(DB_FILE);
        {
            let mut conn = Connection::open(&path).unwrap();
            // Data steps on an empty database touch no row; a throwaway
            // key lets them run.
            let throwaway = (version > 6).then(|| DataKey::generate().unwrap().0);
            migrations::migrate_to(&mut conn, version, dir.path(), throwaway).unwrap();
            if version >= 1 {
                // Version 1 and later hold a key and sealed records.
                let (key, raw) = DataKey::generate().unwrap();
                let wrapped = ks.wrap_key(DATA_KEY_ALIAS.into(), raw.to_vec()).unwrap();
                conn.execute(
                    "INSERT INTO data_keys VALUES ('device', ?1, ?2, 0)",
                    rusqlite::params![wrapped, key.seal(KEY_CHECK, KEY_CHECK).unwrap()],
                )
                .unwrap();
                let sealed = key
                    .seal(b"secure_records\0ns\0k", b"from the past")
                    .unwrap();
                conn.execute(
                    "INSERT INTO secure_records (namespace, key, value) VALUES ('ns', 'k', ?1)",
                    [sealed],
                )
                .unwrap();
                // A core record, which stays where it is.
                let sealed = key
                    .seal(b"secure_records\0palmgov.region\0config", b"core")
                    .unwrap();
                conn.execute(
                    "INSERT INTO secure_records (namespace, key, value)
                     VALUES ('palmgov.region', 'config', ?1)",
                    [sealed],
                )
                .unwrap();
                // A shell's sealed file. (One named like an attachment's,
                // `att-…`, never outlived an open: the cleaner removed it.)
                let files = dir.path().join("files");
                std::fs::create_dir_all(&files).unwrap();
                super::files::write_sealed(
                    &key,
                    &files.join("scan.pdf"),
                    b"secure_files\0scan.pdf",
                    &mut b"a shell's file".as_slice(),
                )
                .unwrap();
            }
            if version >= 3 {
                // Version 3 and later hold drafts and their queued submissions.
                conn.execute_batch(
                    "INSERT INTO form_definitions VALUES ('household-visit', 1, X'7B7D', 0);
                     INSERT INTO drafts (id, seq, owner, form_id, form_version, state, created_at,
                                         updated_at, utc_offset_min, summary)
                     VALUES ('d1', 1, 'device', 'household-visit', 1, 'finalized', 0, 0, 480, X'00');
                     INSERT INTO outbox (instance_id, draft_id, owner, payload, sha256, state,
                                         created_at, updated_at)
                     VALUES ('i1', 'd1', 'device', X'00', 'h', 'queued', 0, 0);",
                )
                .unwrap();
            }
            if version >= 4 {
                // Version 4 and later hold the roster.
                conn.execute_batch(
                    "INSERT INTO households (owner, id, origin, state, body, sha256, updated_at)
                     VALUES ('acc-1', 'HH-001', 'assigned', 'synced', X'00', 'h', 0);",
                )
                .unwrap();
            }
        }
        if version == 0 {
            // Version 0 is no database at all: a file with no schema is
            // an empty one, which is damage (see the test above).
            std::fs::remove_file(&path).unwrap();
        }
        let store = Store::open(dir.path(), &ks).unwrap();
        let v: u32 = store
            .conn()
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, migrations::LATEST, "from version {version}");
        if (1..7).contains(&version) {
            // Version 7 moved the shell's records and files into a space
            // of their own; the core's stayed.
            assert_eq!(
                &store.secure_get("shell.ns", "k").unwrap().unwrap()[..],
                b"from the past",
                "from version {version}"
            );
            assert_eq!(store.secure_get("ns", "k").unwrap(), None);
            assert_eq!(
                &store
                    .secure_get("palmgov.region", "config")
                    .unwrap()
                    .unwrap()[..],
                b"core"
            );
            assert_eq!(
                &store.secure_file_read("shell-scan.pdf").unwrap().unwrap()[..],
                b"a shell's file",
                "from version {version}"
            );
            assert!(!dir.path().join("files").join("scan.pdf").exists());
        }
        if (4..8).contains(&version) {
            // Version 8 says which key seals each household: the rows
            // before it were sealed under the device key.
            let sealed_by: String = store
                .conn()
                .unwrap()
                .query_row(
                    "SELECT sealed_by FROM households WHERE id = 'HH-001'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(sealed_by, "device", "from version {version}");
        }
        if (3..6).contains(&version) {
            // Version 6 gave each queued submission its form.
            let form: String = store
                .conn()
                .unwrap()
                .query_row(
                    "SELECT form_id FROM outbox WHERE instance_id = 'i1'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(form, "household-visit", "from version {version}");
        }
        store.secure_put("ns", "new", b"x").unwrap();
        store.check_integrity().unwrap();
    }
}

#[test]
fn secure_files_import_read_delete() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("core"), &keystore(1)).unwrap();
    let source = dir.path().join("capture.jpg");
    let data: Vec<u8> = b"JPEG-PLAINTEXT-"
        .iter()
        .copied()
        .cycle()
        .take(300_000)
        .collect();
    std::fs::write(&source, &data).unwrap();
    let info = store
        .secure_file_import("photo-1.jpg", &source, true)
        .unwrap();
    assert_eq!(info.size, data.len() as u64);
    assert_eq!(info.sha256_hex.len(), 64);
    assert!(
        !source.exists(),
        "the plaintext source is deleted when asked"
    );
    let on_disk = std::fs::read(store.files_dir().join("photo-1.jpg")).unwrap();
    assert!(!on_disk.windows(15).any(|w| w == b"JPEG-PLAINTEXT-"));
    assert_eq!(
        &store.secure_file_read("photo-1.jpg").unwrap().unwrap()[..],
        &data[..]
    );
    assert!(store.secure_file_read("other").unwrap().is_none());
    assert!(store.secure_file_delete("photo-1.jpg").unwrap());
    assert!(!store.secure_file_delete("photo-1.jpg").unwrap());
    for bad in ["", "../escape", "a/b", ".hidden", "x.tmp-1"] {
        assert_eq!(
            public(store.secure_file_read(bad).unwrap_err()),
            PalmGovError::InvalidInput {
                field: "name".into()
            },
            "{bad:?}"
        );
    }
    assert_eq!(
        public(
            store
                .secure_file_import("x", &dir.path().join("missing"), false)
                .unwrap_err()
        ),
        PalmGovError::InvalidInput {
            field: "source_path".into()
        }
    );
}
