//! The demo's region part: a region build's core runs on a signed region
//! profile verified offline against the build's pinned root keys; a
//! profile that moves the region to a new backend and a new identity
//! provider is applied to the open core, and a visit queued before the
//! move is delivered to the new backend once the worker signs in there;
//! a rolled-back profile and one signed by too few keys are refused, and
//! the profile in force stays.

use std::path::Path;
use std::sync::Arc;

use palmgov::software::{SoftwareAppLock, SoftwareKeystore, camera_jpeg, dev_browser};
use palmgov::{
    AppLockOutcome, DraftSubject, LogLevel, LoginOptions, PalmGov, PalmGovConfig, PalmGovError,
    RegionProfileRefresh, RegionTrust, SyncOptions, default_server_config,
};
use palmgov_server::RunningServer;
use palmgov_server::dev_provider::{self, CLIENT_ID, DevProvider, REDIRECT_URI};
use palmgov_server::region::{
    TEST_APP_ID, sign_test_profile, test_profile, test_profile_body, test_profile_root_keys,
};

use crate::steps::Steps;
use crate::{CliError, CliResult, block_on};

/// The Xihu build's files, as `scripts/build-region 330106` stages them:
/// the signed profile it bundles, the root keys it pins, its settings.
const XIHU_PROFILE: &str = include_str!("../../regions/330106/profile.json");
const XIHU_ROOT: &str = include_str!("../../regions/330106/profile-root.json");
const XIHU_BUILD: &str = include_str!("../../regions/330106/build.json");

/// The region the test-key profiles are for.
const REGION: &str = "330106";

/// The household the worker visits before the region moves.
const VISITED: &str = "周建国";

fn fail(what: impl std::fmt::Display) -> CliError {
    CliError::cli("cli.check_failed", what)
}

pub(crate) fn region_builds(s: &mut Steps, data_dir: &Path) -> CliResult {
    s.step("a region build (regions/330106) opens on its bundled signed profile, verified offline against its pinned root keys");
    s.ok(bundled_profile(&data_dir.join("region-xihu"))?);

    s.step("a region build on the test keys opens on profile v1 (backend and provider A); the worker signs in and finalizes a visit, not yet sent");
    let rt = tokio::runtime::Runtime::new().map_err(fail)?;
    let old_provider =
        DevProvider::try_start(0, 600).map_err(|e| CliError::cli("cli.provider", e))?;
    let old_backend = start_backend(&rt, &old_provider)?;
    let new_provider =
        DevProvider::try_start(0, 600).map_err(|e| CliError::cli("cli.provider", e))?;
    let new_backend = start_backend(&rt, &new_provider)?;
    let v1 = profile(&old_backend, &old_provider, 1, &[]);
    let gov = open_region_core(
        &data_dir.join("region-switch"),
        RegionTrust {
            root_keys: test_profile_root_keys(),
            threshold: 2,
            bundled_profile: v1.clone(),
            region_code: REGION.into(),
            app_id: TEST_APP_ID.into(),
            app_version: "1.0.0".into(),
        },
    )?;
    let status = block_on(gov.region().profile_status("zh-Hans".into()))?
        .ok_or_else(|| fail("no profile in force"))?;
    block_on(gov.unlock("Open palmgov".into()))?;
    sign_in(&gov)?;
    block_on(gov.drafts().refresh_forms("zh-Hans".into(), None))?;
    let instance = crate::demo_forms::visit(
        &gov,
        DraftSubject {
            household_id: None,
            name: Some(VISITED.into()),
        },
        VISITED,
        &palmgov_server::sample_person(9100).id_number,
        71,
        &camera_jpeg(640, 480, 1),
    )?;
    let queued = block_on(gov.outbox().submissions())?.len();
    s.ok(format!(
        "profile v{} in force ({}); {queued} visit queued",
        status.version, status.base_url
    ));

    s.step("the region moves to backend and provider B: backend A serves profile v2, which the open core verifies and applies");
    serve(
        &old_backend,
        profile(&new_backend, &new_provider, 2, &[&old_provider.issuer]),
    );
    let switched = block_on(gov.region().refresh_profile("zh-Hans".into(), None))?;
    if !(switched.updated && switched.switched && switched.sign_in_required)
        || switched.status.base_url != new_backend.base_url()
    {
        return Err(fail(format!(
            "expected a switch to the new backend: {switched:?}"
        )));
    }
    let waiting = match block_on(gov.outbox().sync_now(SyncOptions::default(), None, None)) {
        Err(e @ PalmGovError::SignInRequired) => e.code(),
        other => return Err(fail(format!("expected SignInRequired, got {other:?}"))),
    };
    s.ok(format!(
        "v{} applied without reopening: backend {}, provider {}; sign in again (a sync now waits: {waiting})",
        switched.status.version,
        switched.status.base_url,
        switched.status.issuer.as_deref().unwrap_or("-")
    ));

    s.step("she signs in at provider B, the same person (the same ID number): her new account takes over the queue, sent to backend B");
    sign_in(&gov)?;
    let report = block_on(gov.outbox().sync_now(SyncOptions::default(), None, None))?;
    let again = block_on(gov.outbox().sync_now(SyncOptions::default(), None, None))?;
    let at_new = instance_ids(&new_backend);
    let at_old = instance_ids(&old_backend);
    if report.delivered != 1 || again.delivered != 0 || at_new != [instance.clone()] {
        return Err(fail(format!(
            "expected the visit delivered once to the new backend: {report:?} {again:?} {at_new:?}"
        )));
    }
    s.ok(format!(
        "{} visit delivered to the new backend, {} to the old; a second sync sent {}",
        at_new.len(),
        at_old.len(),
        again.delivered
    ));

    s.step("a rolled-back profile (v1, validly signed) and a v3 signed by one key of three are refused");
    serve(&new_backend, v1);
    let rollback = refusal(block_on(
        gov.region().refresh_profile("zh-Hans".into(), None),
    ))?;
    let body = test_profile_body(
        REGION,
        &new_backend.base_url(),
        &new_provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        vec![],
    );
    let expires = crate::now_ms() / 1000 + 365 * 24 * 3600;
    serve(&new_backend, sign_test_profile(&body, 3, expires, &[0]));
    let one_key = refusal(block_on(
        gov.region().refresh_profile("zh-Hans".into(), None),
    ))?;
    let kept = block_on(gov.region().profile_status("zh-Hans".into()))?
        .ok_or_else(|| fail("no profile in force"))?;
    if kept.version != 2 {
        return Err(fail(format!("expected v2 in force, got v{}", kept.version)));
    }
    s.ok(format!(
        "v1: {rollback}; v3: {one_key}; v{} stays in force",
        kept.version
    ));

    gov.shutdown();
    drop(old_backend);
    drop(new_backend);
    drop(old_provider);
    drop(new_provider);
    rt.shutdown_background();
    Ok(())
}

/// Opens a core the way the Xihu build does, with no network: its
/// bundled profile verified against the root keys it pins.
fn bundled_profile(dir: &Path) -> CliResult<String> {
    let root: serde_json::Value = serde_json::from_str(XIHU_ROOT).map_err(fail)?;
    let build: serde_json::Value = serde_json::from_str(XIHU_BUILD).map_err(fail)?;
    let keys: Vec<String> = root["keys"]
        .as_array()
        .ok_or_else(|| fail("profile-root.json has no keys"))?
        .iter()
        .map(|k| k.to_string())
        .collect();
    let threshold = root["threshold"].as_u64().unwrap_or(0) as u32;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let gov = open_region_core(
        dir,
        RegionTrust {
            root_keys: keys.clone(),
            threshold,
            bundled_profile: XIHU_PROFILE.trim().into(),
            region_code: text(&build["region_code"]),
            app_id: text(&build["app_id"]),
            app_version: text(&build["version"]["name"]),
        },
    )?;
    let status = block_on(gov.region().profile_status("zh-Hans".into()))?
        .ok_or_else(|| fail("no profile in force"))?;
    gov.shutdown();
    Ok(format!(
        "{} for {} ({}): profile v{} verified offline (threshold {threshold} of {} pinned root keys), expires {}{}; backend {}, sign-in at {}",
        status.app_name,
        status.region_name,
        status.region_code,
        status.version,
        keys.len(),
        &crate::region::utc(status.expires_at)[..10],
        if status.stale {
            " (past it: stale, still in force)"
        } else {
            ""
        },
        status.base_url,
        status.issuer.as_deref().unwrap_or("-")
    ))
}

/// A region build's core in `dir`: the shell's server setting is a
/// placeholder the profile in force replaces, and the provider is the
/// profile's.
fn open_region_core(dir: &Path, trust: RegionTrust) -> CliResult<Arc<PalmGov>> {
    std::fs::create_dir_all(dir).map_err(|_| PalmGovError::DataDirUnwritable)?;
    let keystore =
        SoftwareKeystore::open_file(dir.join("software-keystore.json")).map_err(|e| {
            CliError::cli(
                "cli.keystore",
                format!("the software keystore file cannot be used: {e}"),
            )
        })?;
    Ok(PalmGov::open(
        PalmGovConfig {
            data_dir: dir.join("core").to_string_lossy().into_owned(),
            server: default_server_config("http://127.0.0.1:9/".into()),
            log_level: LogLevel::Error,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: None,
            wallet: Some(crate::wallet::test_config()),
            region: Some(trust),
        },
        Arc::new(keystore),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )?)
}

fn start_backend(rt: &tokio::runtime::Runtime, provider: &DevProvider) -> CliResult<RunningServer> {
    rt.block_on(palmgov_server::start(
        "127.0.0.1:0".parse().expect("loopback"),
        palmgov_server::ServerOptions {
            auth: Some(dev_provider::backend_auth(&provider.issuer)),
            ..Default::default()
        },
    ))
    .map_err(|e| CliError::cli("cli.backend", format!("backend: {e}")))
}

/// A test-key profile of `version` for `backend`, signing in at `provider`
/// (which takes over the accounts of `takes_over`), signed by 2 of 3 keys.
fn profile(
    backend: &RunningServer,
    provider: &DevProvider,
    version: u64,
    takes_over: &[&str],
) -> String {
    test_profile(
        REGION,
        &backend.base_url(),
        &provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        version,
        takes_over.iter().map(|s| s.to_string()).collect(),
    )
    .0
}

/// `backend` serves `profile` from now on, as a region rolls it forward.
fn serve(backend: &RunningServer, profile: String) {
    backend.region().serve_profile(profile);
}

fn sign_in(gov: &PalmGov) -> CliResult {
    block_on(gov.identity().login(
        LoginOptions::default(),
        dev_browser(crate::demo_forms::WORKER.into(), None),
        None,
    ))?;
    Ok(())
}

/// The refusal as the demo prints it: the code and the reason.
fn refusal(result: Result<RegionProfileRefresh, PalmGovError>) -> CliResult<String> {
    match &result {
        Err(e @ PalmGovError::RegionProfileRefused { reason }) => {
            Ok(format!("{} ({reason})", e.code()))
        }
        other => Err(fail(format!("expected a refusal, got {other:?}"))),
    }
}

/// The instance ids `backend` holds.
fn instance_ids(backend: &RunningServer) -> Vec<String> {
    backend.submissions().inventory()["submissions"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|s| s["instance_id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}
