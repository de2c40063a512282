//! `palmgov bench sync`: the outbox under a faulty network. A grid worker's
//! backlog (N household visits, each with a ~200 KB photo) goes to the
//! loopback backend through the fault proxy; the run is timed from the first
//! `sync_now` until every submission is confirmed, then the backend's
//! inventory is checked for losses and duplicates. Prints `name<TAB>value`.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use palmgov::software::{SoftwareAppLock, SoftwareKeystore, dev_browser};
use palmgov::{
    AppLockOutcome, DraftSubject, LogLevel, LoginOptions, PalmGov, PalmGovConfig, SubmissionState,
    SyncOptions, default_identity_config, default_server_config,
};
use palmgov_server::dev_provider::{self, DevProvider};
use palmgov_server::fault_proxy::FaultProxy;

use crate::demo_forms::visit;
use crate::{CliError, CliResult, block_on};

fn fail(what: impl std::fmt::Display) -> CliError {
    CliError::cli("cli.check_failed", what)
}

/// A camera-like 1600×1200 JPEG whose re-encoding at q80 is about 200 KB:
/// smooth gradients with enough noise to carry real entropy.
fn photo(seed: u32) -> Vec<u8> {
    photo_of(seed, 1600, 1200)
}

/// [`photo`] at `w`×`h`.
pub(crate) fn photo_of(seed: u32, w: u16, h: u16) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let mut pixels = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..u32::from(h) {
        for x in 0..u32::from(w) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let n = (state % 12) as i32 - 6;
            let px = |base: u32| (base as i32 + n).clamp(0, 255) as u8;
            pixels.extend([
                px(x * 255 / u32::from(w)),
                px(y * 255 / u32::from(h)),
                px((x + y) * 255 / (u32::from(w) + u32::from(h))),
            ]);
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encoding into a Vec cannot fail");
    jpeg
}

pub(crate) fn sync(data_dir: &Path, submissions: u32, fault_percent: u64) -> CliResult {
    std::fs::create_dir_all(data_dir).map_err(fail)?;
    let rt = tokio::runtime::Runtime::new().map_err(fail)?;
    let provider = DevProvider::try_start(0, 3600).map_err(fail)?;
    let (backend, proxy) = rt.block_on(async {
        let listener = FaultProxy::bind().await;
        let origin = format!("http://{}", listener.local_addr().map_err(fail)?);
        let backend = palmgov_server::start(
            "127.0.0.1:0".parse().map_err(fail)?,
            palmgov_server::ServerOptions {
                auth: Some(dev_provider::backend_auth(&provider.issuer)),
                public_origin: Some(origin),
                db_path: Some(data_dir.join("backend.db")),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| fail(format!("backend: {e}")))?;
        // A held request outlasts the client's timeout by half a second.
        let proxy = FaultProxy::start(
            listener,
            backend.addr,
            fault_percent,
            0x5eed,
            Duration::from_millis(1_500),
        );
        Ok::<_, CliError>((backend, proxy))
    })?;

    let mut server = default_server_config(proxy.base_url());
    server.request_timeout_ms = 1_000;
    server.connect_timeout_ms = 1_000;
    let gov = PalmGov::open(
        PalmGovConfig {
            wallet: None,
            data_dir: data_dir.join("core").to_string_lossy().into_owned(),
            server,
            log_level: LogLevel::Error,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: Some(default_identity_config(
                provider.issuer.clone(),
                dev_provider::CLIENT_ID.into(),
                dev_provider::REDIRECT_URI.into(),
            )),
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[9; 32]).map_err(fail)?),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )?;
    block_on(gov.unlock("bench".into()))?;
    block_on(gov.identity().login(
        LoginOptions::default(),
        dev_browser("bench-worker".into(), None),
        None,
    ))?;
    // The catalog comes through the faulty proxy too.
    let mut tries = 0;
    while block_on(gov.drafts().refresh_forms("en".into(), None)).is_err() {
        tries += 1;
        if tries > 20 {
            return Err(fail("the form catalog never came through"));
        }
    }
    let jpeg = photo(1);
    let mut finalized = HashSet::new();
    for n in 0..submissions {
        // A household of its own each: its head's name and ID number.
        let head = palmgov_server::sample_person(n as usize);
        let subject = DraftSubject {
            household_id: Some(format!("HH-{n:04}")),
            name: Some(head.name.clone()),
        };
        finalized.insert(visit(
            &gov,
            subject,
            &head.name,
            &head.id_number,
            70,
            &jpeg,
        )?);
    }
    let photo_bytes: u64 = block_on(gov.drafts().list_drafts("en".into()))?
        .iter()
        .map(|d| d.id.clone())
        .take(1)
        .map(|id| {
            block_on(gov.drafts().open_draft(id, "en".into()))
                .ok()
                .and_then(|v| {
                    v.fields
                        .into_iter()
                        .find(|f| f.path == "door_photo")
                        .and_then(|f| f.value_json)
                })
                .and_then(|att| serde_json::from_str::<String>(&att).ok())
                .and_then(|att| block_on(gov.drafts().attachment_bytes(att)).ok())
                .map_or(0, |b| b.len() as u64)
        })
        .sum();
    let before = proxy.injected();
    eprintln!("sync: {submissions} queued, sending");

    let stalls = crate::stalls::StallMeter::start();
    let started = Instant::now();
    let mut runs = 0;
    loop {
        runs += 1;
        let options = SyncOptions {
            retry_budget_ms: 60_000,
            ..Default::default()
        };
        // A run that ends early (a 401 that outlived its refresh, say)
        // leaves everything queued; the app's next sync takes it up.
        if let Err(e) = block_on(gov.outbox().sync_now(options, None, None)) {
            eprintln!("sync run {runs} ended early: {} [{}]", e, e.code());
        }
        let delivered = block_on(gov.outbox().submissions())?
            .iter()
            .filter(|s| matches!(s.state, SubmissionState::Delivered { .. }))
            .count();
        if delivered == submissions as usize {
            break;
        }
        if runs >= 20 {
            return Err(fail(format!(
                "{delivered} of {submissions} delivered after {runs} runs"
            )));
        }
    }
    let elapsed = started.elapsed();
    let stalled = stalls.stop();

    let stored = backend.submissions().inventory();
    let list = stored["submissions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ids: HashSet<String> = list
        .iter()
        .filter_map(|s| s["instance_id"].as_str().map(str::to_string))
        .collect();
    let complete = list
        .iter()
        .filter(|s| s["attachments"] == 1 && s["attachments_complete"] == 1)
        .count();
    println!("sync_submissions\t{submissions}");
    println!("sync_photo_bytes\t{photo_bytes}");
    println!("sync_fault_percent\t{fault_percent}");
    println!("sync_faults_injected\t{}", proxy.injected() - before);
    println!("sync_runs\t{runs}");
    println!("sync_s\t{:.2}", elapsed.as_secs_f64());
    println!("sync_machine_stalled_s\t{:.2}", stalled.as_secs_f64());
    println!("sync_stored\t{}", list.len());
    println!("sync_lost\t{}", finalized.difference(&ids).count());
    // Stored under an id no finalize produced (the backend's key makes a
    // second copy under the same id impossible).
    println!("sync_extra\t{}", ids.difference(&finalized).count());
    println!("sync_incomplete\t{}", list.len() - complete);
    gov.shutdown();
    drop(proxy);
    drop(backend);
    rt.shutdown_background();
    Ok(())
}
