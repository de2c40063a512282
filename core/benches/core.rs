//! Criterion benchmarks of the core, each beside a baseline measured in the
//! same run (the machines are shared and noisy: compare ratios, not times).
//! Run through scripts/bench, which prints the table.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use palmgov::PalmGov;

/// An offline core past its (software) app lock.
fn open(dir: &std::path::Path) -> Arc<PalmGov> {
    let gov = palmgov::software::offline_core(dir, &[1; 32]).unwrap();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(gov.unlock("bench".into()))
        .unwrap();
    gov
}

fn populated(records: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path());
    for i in 0..records {
        core.direct()
            .unwrap()
            .secure_put("bench", &format!("record-{i:06}"), &[b'x'; 200])
            .unwrap();
    }
    core.shutdown();
    dir
}

fn storage(c: &mut Criterion) {
    let dir = populated(10_000);

    // Baseline: a bare SQLite open plus one query, same file, same pragmas.
    c.bench_function("baseline_sqlite_open", |b| {
        b.iter(|| {
            let conn = rusqlite::Connection::open(dir.path().join("palmgov.db")).unwrap();
            conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))
                .unwrap();
        })
    });
    // The core's open over 10,000 records: migration check, key unwrap and
    // key check included (the runtime is process-wide and already started).
    // The open alone: the unlock the other benches need is a prompt on the
    // blocking pool, not part of opening (measured with it, this row read
    // 100 µs more from the handles step on).
    c.bench_function("core_open_10k", |b| {
        b.iter(|| {
            palmgov::software::offline_core(dir.path(), &[1; 32])
                .unwrap()
                .shutdown()
        })
    });

    let core = open(dir.path());
    let value = vec![b'y'; 200];
    let conn = rusqlite::Connection::open(dir.path().join("baseline.db")).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
         CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
         INSERT OR REPLACE INTO t VALUES ('a', zeroblob(240));",
    )
    .unwrap();
    // Baseline: a bare single-row update of the same size (200 B + GCM overhead).
    c.bench_function("baseline_sqlite_update", |b| {
        let blob = vec![b'z'; 230];
        b.iter(|| {
            conn.execute("UPDATE t SET v = ?1 WHERE k = 'a'", [&blob])
                .unwrap()
        })
    });
    // The store calls themselves, as the secure-store service makes them;
    // the handles add a hop to the blocking pool (see `bench forms`).
    let direct = core.direct().unwrap();
    c.bench_function("secure_put_200b", |b| {
        b.iter(|| direct.secure_put("bench", "record-000042", &value).unwrap())
    });
    c.bench_function("secure_get_200b", |b| {
        b.iter(|| direct.secure_get("bench", "record-000042").unwrap())
    });
    c.bench_function("secure_list_10k", |b| {
        b.iter(|| direct.secure_list("bench").unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = storage
}
criterion_main!(benches);
