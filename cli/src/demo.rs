//! `palmgov demo`: the main scenario, end to end, against an embedded
//! reference backend. Each capability issue adds its steps here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use palmgov::software::{SoftwareAppLock, SoftwareKeystore};
use palmgov::{
    AppLockOutcome, LogLevel, PalmGov, PalmGovConfig, PalmGovError, default_server_config,
};

use crate::{CliError, CliResult, block_on, open_core};

/// Numbered progress lines, so a person watching sees where it is.
struct Steps {
    n: u32,
}

impl Steps {
    fn step(&mut self, what: &str) {
        self.n += 1;
        println!("[{}] {what}", self.n);
    }

    fn ok(&self, detail: impl std::fmt::Display) {
        println!("    ok: {detail}");
    }
}

pub(crate) fn run() -> CliResult {
    let tmp = tempfile::tempdir().map_err(|e| CliError::Other(format!("temp dir: {e}")))?;
    let server_rt = tokio::runtime::Runtime::new().map_err(|e| CliError::Other(e.to_string()))?;
    let mut s = Steps { n: 0 };
    println!("palmgov demo — data in {}", tmp.path().display());

    s.step("start the embedded reference backend on loopback");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("loopback");
    let server = server_rt
        .block_on(palmgov_server::start(addr, Default::default()))
        .map_err(|e| CliError::Other(format!("backend: {e}")))?;
    let url = server.base_url();
    s.ok(&url);

    s.step("open the core (software keystore, app lock and log sink)");
    let started = Instant::now();
    let gov = open_core(tmp.path(), &url, LogLevel::Warn)?;
    s.ok(format!(
        "opened in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    ));

    s.step("unlock with the app lock");
    block_on(gov.unlock("Open palmgov".into()))?;
    s.ok(format!("unlocked = {}", gov.is_unlocked()?));

    s.step("check the backend's health and the device clock");
    let health = block_on(gov.server_health(None))?;
    s.ok(format!(
        "{} (server {}, api v{}, clock offset {} ms)",
        health.status,
        health.server_version,
        health.api_version,
        health.clock_offset_ms.map_or("?".into(), |o| o.to_string())
    ));

    s.step("fetch the region configuration and cache it encrypted");
    let region = block_on(gov.refresh_region_config(None))?;
    s.ok(format!(
        "{} {} features={:?}",
        region.region_code, region.display_name, region.features
    ));

    s.step("store a secret in the encrypted store and read it back");
    let secret = "demo-secret-不应明文出现";
    gov.secure_put("demo".into(), "note".into(), secret.as_bytes().to_vec())?;
    let back = gov
        .secure_get("demo".into(), "note".into())?
        .unwrap_or_default();
    if back != secret.as_bytes() {
        return Err(CliError::Other("read back a different value".into()));
    }
    s.ok("read back identical");

    s.step("scan the database and WAL files for the plaintext");
    let leaks = scan_for(tmp.path(), secret.as_bytes());
    if !leaks.is_empty() {
        return Err(CliError::Other(format!("plaintext found in {leaks:?}")));
    }
    s.ok("no plaintext on disk");

    s.step("stop the backend, close and reopen the core offline");
    drop(server);
    server_rt.shutdown_background();
    gov.shutdown();
    let started = Instant::now();
    let gov = open_core(tmp.path(), &url, LogLevel::Error)?;
    let reopened = started.elapsed();
    let cached = gov
        .cached_region_config()?
        .map(|c| c.region_code)
        .unwrap_or_default();
    s.ok(format!(
        "reopened in {:.1} ms; cached region {cached}",
        reopened.as_secs_f64() * 1e3
    ));

    s.step("a network call offline fails with a typed error, nothing lost");
    match block_on(gov.server_health(None)) {
        Err(e @ PalmGovError::Offline) => s.ok(format!("{} [{}]", e, e.code())),
        other => return Err(CliError::Other(format!("expected Offline, got {other:?}"))),
    }

    s.step("opening with another device's key is refused, not reset");
    gov.shutdown();
    match open_with_foreign_key(tmp.path(), &url) {
        Err(e @ PalmGovError::WrongKey) => s.ok(format!("{} [{}]", e, e.code())),
        other => {
            return Err(CliError::Other(format!(
                "expected WrongKey, got {:?}",
                other.map(|_| ())
            )));
        }
    }

    println!("demo finished: {} steps passed", s.n);
    Ok(())
}

fn open_with_foreign_key(dir: &std::path::Path, url: &str) -> Result<Arc<PalmGov>, PalmGovError> {
    let foreign =
        SoftwareKeystore::from_secret(&[0x42; 32]).map_err(|_| PalmGovError::Internal {
            detail: "keystore".into(),
        })?;
    PalmGov::open(
        PalmGovConfig {
            data_dir: dir.join("core").to_string_lossy().into_owned(),
            server: default_server_config(url.into()),
            log_level: LogLevel::Error,
        },
        Arc::new(foreign),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )
}

fn scan_for(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
            {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}
