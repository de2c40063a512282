//! `palmgov bench catalog` and `palmgov bench reminders`: the figures of
//! the service catalog and of reminders.
//!
//! - Opening a region's catalog of 5,000 services and building its search
//!   index, beside reading and inflating the same files alone; a search's
//!   99th percentile over the golden queries beside a plain substring scan
//!   of the names; the golden queries found in the top three; the
//!   catalog's size on disk beside its JSON uncompressed.
//! - Recomputing the reminders of 200 licences and applications, beside
//!   reading and unsealing the same 200 records alone (listing the wallet
//!   and the applications), in alternating rounds.

use std::path::Path;
use std::time::Instant;

use palmgov::services::bench;
use palmgov::{DraftSubject, PalmGov, SyncOptions};
use serde_json::Value;

use crate::{CliError, CliResult, block_on};

fn fail(what: impl std::fmt::Display) -> CliError {
    CliError::cli("cli.check_failed", what)
}

/// The golden queries (`regions/catalog-golden.json`).
pub(crate) struct Golden {
    pub region: String,
    pub lang: String,
    pub query: String,
    pub kind: String,
    pub expect: String,
}

pub(crate) fn golden(file: &Path) -> CliResult<Vec<Golden>> {
    let text = std::fs::read_to_string(file).map_err(|e| CliError::cli("cli.file", e))?;
    let list: Vec<Value> = serde_json::from_str(&text).map_err(|e| CliError::cli("cli.file", e))?;
    let field = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    Ok(list
        .iter()
        .map(|v| Golden {
            region: field(v, "region"),
            lang: field(v, "lang"),
            query: field(v, "query"),
            kind: field(v, "kind"),
            expect: field(v, "expect"),
        })
        .collect())
}

fn dir_bytes(dir: &Path) -> u64 {
    let mut total = std::fs::metadata(dir.join("manifest.json")).map_or(0, |m| m.len());
    if let Ok(entries) = std::fs::read_dir(dir.join("chunks")) {
        total += entries
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum::<u64>();
    }
    total
}

fn raw_bytes(dir: &Path) -> u64 {
    let manifest = std::fs::read(dir.join("manifest.json")).unwrap_or_default();
    let v: Value = serde_json::from_slice(&manifest).unwrap_or_default();
    manifest.len() as u64
        + v["chunks"].as_array().map_or(0, |c| {
            c.iter().filter_map(|c| c["raw_bytes"].as_u64()).sum()
        })
}

pub(crate) fn catalog(regions: &Path, region: &str) -> CliResult {
    let dir = regions.join(region).join("catalog");
    let (open_ms, baseline_ms, services) = bench::open_ms(&dir, 15);
    say!("catalog_services\t{services}");
    say!("catalog_open_ms\t{open_ms:.2}");
    say!("catalog_read_inflate_ms\t{baseline_ms:.2}");
    say!("catalog_disk_bytes\t{}", dir_bytes(&dir));
    say!("catalog_raw_bytes\t{}", raw_bytes(&dir));

    let golden = golden(&regions.join("catalog-golden.json"))?;
    let mut found = 0;
    let mut misses = Vec::new();
    let (mut p99, mut scan_p99) = (0f64, 0f64);
    let mut codes: Vec<&str> = golden.iter().map(|g| g.region.as_str()).collect();
    codes.dedup();
    codes.sort_unstable();
    codes.dedup();
    for code in codes {
        let catalog = bench::open(&regions.join(code).join("catalog")).map_err(fail)?;
        let mine: Vec<&Golden> = golden.iter().filter(|g| g.region == code).collect();
        for g in &mine {
            if bench::in_top_three(&catalog, &g.query, &g.lang, &g.expect) {
                found += 1;
            } else {
                misses.push(format!("{code} {} {:?}", g.kind, g.query));
            }
        }
        let queries: Vec<String> = mine.iter().map(|g| g.query.clone()).collect();
        let (p, s) = bench::search_p99_us(&catalog, &queries, 20);
        p99 = p99.max(p);
        scan_p99 = scan_p99.max(s);
    }
    say!("search_p99_us\t{p99:.1}");
    say!("scan_p99_us\t{scan_p99:.1}");
    say!("golden_top3\t{found}");
    say!("golden_total\t{}", golden.len());
    for miss in misses {
        tell!("golden miss: {miss}");
    }
    Ok(())
}

/// A resident with 50 licences and 150 applications, each with a status
/// a sync found (half of them asking for materials by a date).
fn populate(gov: &PalmGov, server: &palmgov_server::RunningServer) -> CliResult<u32> {
    let fetched = block_on(gov.wallet().refresh(None))?.fetched;
    block_on(gov.drafts().refresh_forms("zh-Hans".into(), None))?;
    let jpeg = crate::bench_sync::photo_of(7, 320, 240);
    let mut instances = Vec::new();
    // The backend hands a wallet at most 50 licences: applications make
    // up the 200.
    let applications = 200usize.saturating_sub(fetched as usize);
    for n in 0..applications {
        let head = palmgov_server::sample_person(n);
        let subject = DraftSubject {
            household_id: None,
            name: Some(head.name.clone()),
        };
        instances.push(crate::demo_forms::visit(
            gov,
            subject,
            &head.name,
            &head.id_number,
            70,
            &jpeg,
        )?);
    }
    block_on(gov.outbox().sync_now(SyncOptions::default(), None, None))?;
    let due = crate::now_ms() + 20 * 24 * 3600 * 1000;
    for (n, id) in instances.iter().enumerate() {
        let change = palmgov_server::submissions::StatusChange {
            status: if n % 2 == 0 {
                "correction_required"
            } else {
                "accepted"
            }
            .into(),
            note: None,
            due_at_ms: (n % 2 == 0).then_some(due),
            requested_materials: (n % 2 == 0).then(|| vec!["户口簿首页复印件".to_string()]),
        };
        server
            .submissions()
            .change_status(id, &change)
            .map_err(|_| fail("status change refused"))?;
    }
    block_on(gov.outbox().refresh_applications(None))?;
    Ok(fetched + instances.len() as u32)
}

pub(crate) fn reminders(data_dir: &Path) -> CliResult {
    std::fs::create_dir_all(data_dir).map_err(fail)?;
    let (provider, _rt, server) = crate::bench_wallet::wallet_backend(13)?;
    let gov = crate::bench_wallet::signed_in(data_dir, &provider, &server, "alice")?;
    let records = populate(&gov, &server)?;
    say!("reminder_records\t{records}");
    let (mut planned, mut read) = (Vec::new(), Vec::new());
    let mut due = 0;
    for _ in 0..21 {
        let t = Instant::now();
        let plan = block_on(
            gov.reminders()
                .plan(Vec::new(), "zh-Hans".into(), 480, 60, 1000),
        )?;
        planned.push(t.elapsed().as_secs_f64() * 1e3);
        due = plan.due.len();
        let t = Instant::now();
        let licences = block_on(gov.wallet().licences("zh-Hans".into()))?;
        let applications = block_on(gov.outbox().applications())?;
        read.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(licences.len() + applications.len() >= records as usize);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    say!("reminders_due\t{due}");
    say!("reminders_ms\t{:.2}", median(planned));
    say!("reminders_read_unseal_ms\t{:.2}", median(read));
    gov.shutdown();
    Ok(())
}
