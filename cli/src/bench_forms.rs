//! `palmgov bench forms|ingest`: the forms figures of scripts/bench, each
//! beside a baseline measured in the same run. Prints `name<TAB>value`.

use std::path::Path;
use std::time::{Duration, Instant};

use palmgov::{DraftSubject, LogLevel, PalmGov};

use crate::{CliError, CliResult, block_on, open_core};

const HOUSEHOLD: &str = include_str!("../../server/forms/household-visit.v1.json");

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1e6
}

fn core_with_drafts(dir: &Path, drafts: u32) -> CliResult<std::sync::Arc<PalmGov>> {
    let gov = open_core(dir, "http://127.0.0.1:9/", LogLevel::Warn)?;
    block_on(gov.unlock("bench".into()))?;
    block_on(
        gov.drafts()
            .add_form_definition(HOUSEHOLD.into(), "en".into()),
    )?;
    let existing = block_on(gov.drafts().list_drafts("en".into()))?.len() as u32;
    for n in existing..drafts {
        let subject = DraftSubject {
            household_id: Some(format!("HH-{n:05}")),
            name: Some(format!("户主{n}")),
        };
        let view = block_on(gov.drafts().create_draft(
            "household-visit".into(),
            None,
            subject,
            480,
            "en".into(),
        ))?;
        block_on(gov.drafts().save_answer(
            view.summary.id,
            "head_name".into(),
            format!("\"户主{n}\""),
            "en".into(),
        ))?;
    }
    Ok(gov)
}

/// Autosave p99 over 10,000 stored drafts against a bare rusqlite update of
/// the same size, then listing and searching them.
///
/// The baseline's samples alternate with the autosave's, so both see the
/// same machine: on this shared VM the host takes the CPU away for up to
/// hundreds of milliseconds at a time, and a baseline timed in one short
/// burst before or after would dodge what the autosave loop meets.
pub(crate) fn forms(data_dir: &Path) -> CliResult {
    let gov = core_with_drafts(data_dir, 10_000)?;
    // Let the WAL sync that the 10,000 new drafts scheduled finish first: it
    // checkpoints all of them at once, which no day of typing ever does,
    // and it landed in the middle of the samples. The checkpoints the
    // saves themselves schedule (one a second) still run among them.
    std::thread::sleep(Duration::from_secs(3));
    let drafts = block_on(gov.drafts().list_drafts("en".into()))?;
    let draft = drafts[drafts.len() / 2].id.clone();
    let member = fill_household(&gov, &draft)?;
    let bare = Bare::open(data_dir, draft.len())?;
    // The service call itself, as `Direct` makes it on this thread (what
    // the autosave row has always timed), and the same save through the
    // drafts handle: the hop to the core's blocking pool and back that an
    // app's call pays. The three alternate, so all see the same machine.
    let direct = gov.direct()?;
    let drafts = gov.drafts();
    let mut plain = Vec::with_capacity(10_000);
    let mut handle = Vec::with_capacity(10_000);
    let mut baseline = Vec::with_capacity(10_000);
    let mut dependent = Vec::with_capacity(2_000);
    for i in 0..10_000u32 {
        baseline.push(bare.update(i)?);
        let value = format!("\"1380013{:04}\"", i % 10_000);
        let started = Instant::now();
        direct.save_answer(&draft, "head_phone", &value, "en")?;
        plain.push(started.elapsed());
        let value = format!("\"1390013{:04}\"", i % 10_000);
        let started = Instant::now();
        block_on(drafts.save_answer(draft.clone(), "head_phone".into(), value, "en".into()))?;
        handle.push(started.elapsed());
        if i % 5 == 0 {
            let path = format!("members/{member}/member_age");
            let started = Instant::now();
            direct.save_answer(&draft, &path, &format!("{}", i % 100), "en")?;
            dependent.push(started.elapsed());
        }
    }
    println!("autosave_p99_us\t{:.1}", percentile(&mut plain, 0.99));
    println!("autosave_median_us\t{:.1}", percentile(&mut plain, 0.5));
    println!(
        "autosave_handle_p99_us\t{:.1}",
        percentile(&mut handle, 0.99)
    );
    println!(
        "autosave_handle_median_us\t{:.1}",
        percentile(&mut handle, 0.5)
    );
    println!(
        "autosave_dependents_p99_us\t{:.1}",
        percentile(&mut dependent, 0.99)
    );
    println!(
        "autosave_dependents_median_us\t{:.1}",
        percentile(&mut dependent, 0.5)
    );
    println!("bare_update_p99_us\t{:.1}", percentile(&mut baseline, 0.99));
    println!(
        "bare_update_median_us\t{:.1}",
        percentile(&mut baseline, 0.5)
    );

    let mut lists = Vec::new();
    let mut searches = Vec::new();
    for i in 0..11 {
        let started = Instant::now();
        let n = block_on(gov.drafts().list_drafts("en".into()))?.len();
        lists.push(started.elapsed());
        assert_eq!(n, 10_000);
        let started = Instant::now();
        let hits = block_on(
            gov.drafts()
                .search_drafts(format!("户主{}", 4321 + i), "en".into()),
        )?;
        searches.push(started.elapsed());
        if hits.is_empty() {
            return Err(CliError::cli("cli.check_failed", "search found nothing"));
        }
    }
    println!("list_10k_ms\t{:.2}", percentile(&mut lists, 0.5) / 1000.0);
    println!(
        "search_10k_ms\t{:.2}",
        percentile(&mut searches, 0.5) / 1000.0
    );
    let listed = bare_list(data_dir)?;
    println!("bare_list_10k_ms\t{listed:.2}");
    gov.shutdown();
    Ok(())
}

/// Answers the draft the way a worker leaves a household: every top-level
/// field and five members, so a save meets a full draft rather than an
/// empty one. Returns the first member, whose age two calculations and a
/// relevance rule read; `head_phone`, the other sampled field, nothing reads.
fn fill_household(gov: &PalmGov, draft: &str) -> CliResult<String> {
    let save = |path: String, value: &str| {
        block_on(
            gov.drafts()
                .save_answer(draft.into(), path, value.into(), "en".into()),
        )
        .map(|_| ())
    };
    for (path, value) in [
        ("visit_date", r#""2026-11-20""#),
        ("household_division", r#""330106001001""#),
        ("head_id_number", r#""11010519491231002X""#),
        ("housing", r#""rented""#),
        ("rent_monthly", "850.5"),
        ("location", r#"{"lat":30.27,"lon":120.15,"accuracy":8.0}"#),
    ] {
        save(path.into(), value)?;
    }
    let view = block_on(gov.drafts().open_draft(draft.into(), "en".into()))?;
    let mut members = view.repeats[0].instance_ids.clone();
    while members.len() < 5 {
        let added = block_on(gov.drafts().add_repeat_instance(
            draft.into(),
            "members".into(),
            "en".into(),
        ))?;
        members.push(added.instance_id);
    }
    for (n, member) in members.iter().enumerate() {
        let age = [44, 41, 16, 12, 71][n];
        save(
            format!("members/{member}/member_name"),
            &format!("\"成员{n}\""),
        )?;
        save(format!("members/{member}/member_age"), &age.to_string())?;
        save(
            format!("members/{member}/member_id_number"),
            r#""11010519491231002X""#,
        )?;
    }
    Ok(members[0].clone())
}

/// The baseline: one row of the same size (key and value) updated in
/// place, WAL/NORMAL, in a table of 10,000 rows.
struct Bare {
    conn: rusqlite::Connection,
    value: Vec<u8>,
    key: String,
}

impl Bare {
    fn open(dir: &Path, key_len: usize) -> CliResult<Self> {
        let conn = rusqlite::Connection::open(dir.join("bare.db")).map_err(other)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS t (draft TEXT, path TEXT, value BLOB, PRIMARY KEY (draft, path)) WITHOUT ROWID;",
        )
        .map_err(other)?;
        // The size of a sealed answer: header, nonce, tag and the JSON.
        let value = vec![7u8; 2 + 12 + 16 + 13];
        // Keys as long as a draft id, so the rows match in size too.
        let key = |i: u32| format!("{i:0key_len$}");
        for i in 0..10_000 {
            conn.execute(
                "INSERT OR REPLACE INTO t VALUES (?1, 'head_phone', ?2)",
                rusqlite::params![key(i), value],
            )
            .map_err(other)?;
        }
        Ok(Self {
            conn,
            value,
            key: key(5_000),
        })
    }

    /// Times one update.
    fn update(&self, i: u32) -> CliResult<Duration> {
        let mut v = self.value.clone();
        v[0] = i as u8;
        let mut stmt = self
            .conn
            .prepare_cached("UPDATE t SET value = ?2 WHERE draft = ?1 AND path = 'head_phone'")
            .map_err(other)?;
        let started = Instant::now();
        stmt.execute(rusqlite::params![self.key, v])
            .map_err(other)?;
        Ok(started.elapsed())
    }
}

/// The baseline for listing: a bare indexed query over the same rows.
fn bare_list(dir: &Path) -> CliResult<f64> {
    let conn = rusqlite::Connection::open(dir.join("bare.db")).map_err(other)?;
    let mut samples = Vec::new();
    for _ in 0..11 {
        let started = Instant::now();
        let mut stmt = conn
            .prepare_cached("SELECT draft, path, value FROM t ORDER BY draft")
            .map_err(other)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .map_err(other)?
            .count();
        samples.push(started.elapsed());
        assert_eq!(rows, 10_000);
    }
    Ok(percentile(&mut samples, 0.5) / 1000.0)
}

/// Ingests `file` as a photo `runs` times, in a fresh process: the median,
/// the fastest (what a stall-free machine gives: this VM loses up to half a
/// second at a time to its host, and a median of a few samples drifts with
/// that), and the peak resident memory added while doing it.
pub(crate) fn ingest(data_dir: &Path, file: &Path, runs: usize) -> CliResult {
    let gov = core_with_drafts(data_dir, 1)?;
    let draft = block_on(gov.drafts().list_drafts("en".into()))?[0]
        .id
        .clone();
    let bytes = std::fs::read(file).map_err(other)?;
    let before = vm_kib("VmRSS");
    let mut samples = Vec::new();
    for _ in 0..runs {
        let pending = block_on(
            gov.drafts()
                .register_attachment(draft.clone(), "door_photo".into()),
        )?;
        std::fs::write(&pending.capture_path, &bytes).map_err(other)?;
        let started = Instant::now();
        block_on(
            gov.drafts()
                .ingest_attachment(pending.attachment_id, None, "en".into()),
        )?;
        samples.push(started.elapsed());
    }
    let peak = vm_kib("VmHWM");
    println!("ingest_ms\t{:.1}", percentile(&mut samples, 0.5) / 1000.0);
    println!(
        "ingest_min_ms\t{:.1}",
        percentile(&mut samples, 0.0) / 1000.0
    );
    if let (Some(before), Some(peak)) = (before, peak) {
        println!(
            "ingest_peak_extra_mb\t{:.1}",
            (peak.saturating_sub(before)) as f64 / 1024.0
        );
    }
    gov.shutdown();
    Ok(())
}

/// A `/proc/self/status` figure in KiB (Linux; absent elsewhere).
fn vm_kib(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(name))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn other(e: impl std::fmt::Display) -> CliError {
    CliError::cli("cli.bench", e)
}
