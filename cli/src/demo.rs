//! `palmgov demo`: the main scenario, end to end, against an embedded
//! reference backend. Each capability issue adds its steps here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use palmgov::software::{SoftwareAppLock, SoftwareKeystore, dev_browser, dev_face_capture};
use palmgov::{
    AppLockOutcome, FaceConsent, LogLevel, LoginOptions, PalmGov, PalmGovConfig, PalmGovError,
    default_identity_config, default_server_config,
};
use palmgov_server::dev_provider::{self, DevProvider};

use crate::steps::{Steps, scan_for};

use crate::{CliError, CliResult, block_on, open_core_clocked, open_core_with};

/// The phone's boot clock, which the app lock measures inactivity on, with
/// time the demo moves on instead of waiting for it.
#[derive(Default)]
struct DemoClock {
    ahead_secs: std::sync::atomic::AtomicU64,
}

impl palmgov::Clock for DemoClock {
    fn now(&self) -> std::time::SystemTime {
        std::time::SystemTime::now()
    }

    fn since_boot(&self) -> std::time::Duration {
        let ahead = self.ahead_secs.load(std::sync::atomic::Ordering::SeqCst);
        palmgov::SystemClock.since_boot() + std::time::Duration::from_secs(ahead)
    }
}

pub(crate) fn run() -> CliResult {
    let tmp =
        tempfile::tempdir().map_err(|e| CliError::cli("cli.system", format!("temp dir: {e}")))?;
    let server_rt = tokio::runtime::Runtime::new().map_err(|e| CliError::cli("cli.system", e))?;
    let mut s = Steps { n: 0 };
    say!("palmgov demo — data in {}", tmp.path().display());

    s.step("start the local OpenID provider (npm oidc-provider) on loopback");
    let provider = DevProvider::try_start(0, 600).map_err(|e| CliError::cli("cli.provider", e))?;
    s.ok(&provider.issuer);
    let provider_port = provider.issuer.clone();

    s.step("start the embedded reference backend on loopback, trusting that provider");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("loopback");
    let options = palmgov_server::ServerOptions {
        auth: Some(dev_provider::backend_auth(&provider.issuer)),
        ..Default::default()
    };
    let server = server_rt
        .block_on(palmgov_server::start(addr, options))
        .map_err(|e| CliError::cli("cli.backend", format!("backend: {e}")))?;
    let url = server.base_url();
    let server_addr = server.addr;
    s.ok(&url);

    let identity = default_identity_config(
        provider.issuer.clone(),
        dev_provider::CLIENT_ID.into(),
        dev_provider::REDIRECT_URI.into(),
    );

    s.step("open the core (software keystore, app lock and log sink)");
    let started = Instant::now();
    let clock = Arc::new(DemoClock::default());
    let gov = open_core_clocked(
        tmp.path(),
        &url,
        LogLevel::Warn,
        Some(identity.clone()),
        clock.clone(),
    )?;
    s.ok(format!(
        "opened in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    ));

    s.step("unlock with the app lock");
    block_on(gov.unlock("Open palmgov".into()))?;
    s.ok(format!("unlocked = {}", gov.is_unlocked()?));

    s.step("check the backend's health and the device clock");
    let health = block_on(gov.region().server_health(None))?;
    s.ok(format!(
        "{} (server {}, api v{}, clock offset {} ms)",
        health.status,
        health.server_version,
        health.api_version,
        health.clock_offset_ms.map_or("?".into(), |o| o.to_string())
    ));

    s.step("fetch the region configuration and cache it encrypted");
    let region = block_on(gov.region().refresh_config(None))?;
    s.ok(format!(
        "{} {} features={:?}",
        region.region_code, region.display_name, region.features
    ));

    s.step("sign in: PKCE + DPoP through the (headless) system browser");
    let info = block_on(gov.identity().login(
        LoginOptions::default(),
        dev_browser(crate::demo_forms::WORKER.into(), None),
        None,
    ))?;
    s.ok(format!(
        "level L{}, DPoP-bound {}, ID token signature verified",
        info.level, info.dpop_bound
    ));

    s.step("the backend accepts the DPoP-bound token (introspection + proof)");
    let backend = block_on(gov.identity().check_backend_session(None))?;
    s.ok(format!(
        "accepted, DPoP proof checked: {}",
        backend.dpop_bound
    ));

    s.step("an L4 service refuses the L3 session with a typed error");
    match block_on(gov.identity().require_level(4)) {
        Err(e @ PalmGovError::LevelRequired { level: 4 }) => s.ok(format!("{} [{}]", e, e.code())),
        other => {
            return Err(CliError::cli(
                "cli.check_failed",
                format!("expected LevelRequired, got {other:?}"),
            ));
        }
    }

    s.step("face step-up: consent, server challenge, frames prepared in memory, signed verdict");
    block_on(gov.face().record_consent(FaceConsent {
        version: "face-2026-01".into(),
        guardian: None,
    }))?;
    // The software camera hands over 1280×960 frames with EXIF orientation
    // and a GPS block; the backend refuses them unless the core scaled them
    // to 640 px and re-encoded them without EXIF.
    let verdict = block_on(gov.face().step_up(
        vec!["demo-apply-1".into()],
        dev_face_capture(None),
        None,
    ))?;
    let backend_level = block_on(gov.identity().check_backend_level(
        4,
        Some("demo-apply-1".into()),
        None,
    ))?;
    s.ok(format!(
        "L{} on the device for {} s; the backend grants L{}",
        verdict.level,
        (verdict.valid_until_ms - unix_ms_now()) / 1000,
        backend_level.level
    ));

    s.step("the non-face alternative: step up to L4 at the provider, then refresh the tokens");
    let stepped = block_on(gov.identity().login(
        LoginOptions {
            level: Some(4),
            force_reauthentication: true,
            login_hint: None,
        },
        dev_browser(
            crate::demo_forms::WORKER.into(),
            Some("urn:palmgov:loa:4".into()),
        ),
        None,
    ))?;
    block_on(gov.identity().require_level(4))?;
    block_on(gov.identity().refresh_session(true, None))?;
    s.ok(format!(
        "level L{}; refresh requests so far: {}",
        stepped.level,
        gov.refresh_requests()?
    ));

    s.step("store a secret in the encrypted store and read it back");
    let secret = "demo-secret-不应明文出现";
    block_on(
        gov.secure_store()
            .put("demo".into(), "note".into(), secret.as_bytes().to_vec()),
    )?;
    let back = block_on(gov.secure_store().get("demo".into(), "note".into()))?.unwrap_or_default();
    if back != secret.as_bytes() {
        return Err(CliError::cli(
            "cli.check_failed",
            "read back a different value",
        ));
    }
    s.ok("read back identical");

    s.step("download the forms catalog; each definition is fully checked before it is kept");
    let forms = block_on(gov.drafts().refresh_forms("zh-Hans".into(), None))?;
    s.ok(forms
        .iter()
        .map(|f| format!("{} v{}", f.title, f.version))
        .collect::<Vec<_>>()
        .join(", "));

    s.step("the township assigns the worker a grid; the roster is cached encrypted");
    server
        .roster()
        .assign(crate::demo_forms::WORKER, &crate::demo_forms::grid());
    let roster = block_on(gov.roster().refresh_roster(None))?;
    s.ok(format!(
        "{} households: {}",
        roster.len(),
        roster
            .iter()
            .map(|h| format!("{} {}", h.id, h.head_name))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    s.step("the worker puts the phone down: five minutes without a touch and the lock engages");
    gov.report_activity()?;
    clock
        .ahead_secs
        .fetch_add(5 * 60, std::sync::atomic::Ordering::SeqCst);
    match block_on(gov.roster().roster()) {
        Err(e @ PalmGovError::Locked) => {
            block_on(gov.unlock("Open palmgov".into()))?;
            let back = block_on(gov.roster().roster())?;
            s.ok(format!(
                "the roster refuses with {} until the worker unlocks again; then {} households",
                e.code(),
                back.len()
            ))
        }
        other => {
            return Err(CliError::cli(
                "cli.check_failed",
                format!(
                    "expected Locked after 5 idle minutes, got {:?}",
                    other.map(|r| r.len())
                ),
            ));
        }
    }

    s.step("scan the database and WAL files for the plaintext and face frames");
    let mut leaks = scan_for(tmp.path(), secret.as_bytes());
    leaks.extend(scan_for(tmp.path(), b"JFIF"));
    if !leaks.is_empty() {
        return Err(CliError::cli(
            "cli.check_failed",
            format!("plaintext found in {leaks:?}"),
        ));
    }
    s.ok("no plaintext and no JPEG on disk");

    s.step(
        "a resident signs in on her own phone and fetches her e-licences (SM2 and ES256 issuers)",
    );
    let resident_dir = tmp.path().join("resident");
    let resident = open_core_with(&resident_dir, &url, LogLevel::Warn, Some(identity.clone()))?;
    block_on(resident.unlock("Open palmgov".into()))?;
    block_on(resident.identity().login(
        LoginOptions::default(),
        dev_browser("resident-demo".into(), None),
        None,
    ))?;
    let fetched = block_on(resident.wallet().refresh(None))?;
    let licences = block_on(resident.wallet().licences("zh-Hans".into()))?;
    s.ok(format!(
        "{} licences, bound to her phone's key, sealed under her account key: {}",
        fetched.fetched,
        licences
            .iter()
            .map(|l| format!(
                "{} ({})",
                l.display_name,
                crate::wallet::verdict(&l.verdict)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    s.step("the traffic police suspend (暂扣) her driving licence; her phone refreshes the status list");
    let driving = licences
        .iter()
        .find(|l| l.licence_type == "driving_licence")
        .map(|l| l.id.clone())
        .ok_or_else(|| CliError::cli("cli.check_failed", "no driving licence issued"))?;
    server
        .wallet()
        .set_status(&driving, "suspended")
        .map_err(|(_, code)| CliError::cli("cli.check_failed", code))?;
    block_on(resident.wallet().refresh_status(None))?;
    let verdict = block_on(resident.wallet().verify_licence(driving.clone()))?;
    s.ok(format!(
        "the driving licence checks as {}",
        crate::wallet::verdict(&verdict)
    ));

    s.step("at a pharmacy she shows her ID card (亮证) as \"name and over 18\": a QR code, new every 30 s");
    let card = licences
        .iter()
        .find(|l| l.licence_type == "id_card")
        .map(|l| l.id.clone())
        .ok_or_else(|| CliError::cli("cli.check_failed", "no ID card issued"))?;
    let showing = block_on(resident.wallet().show_licence(
        card,
        palmgov::DisclosureProfile::NameAndAgeOver18,
        false,
        "Show your ID card".into(),
    ))?;
    let code = block_on(showing.code())?;
    let recorded = block_on(resident.wallet().history())?.len();
    s.ok(format!(
        "QR version {}, {} characters, showing only {}; valid {} s; {recorded} showing in her history",
        code.version,
        code.payload.len(),
        code.claims.join(" and "),
        (code.expires_at_ms - code.made_at_ms) / 1000
    ));

    s.step("the clerk's phone (verifier mode, its own core) fetches the trust and status lists, then checks the code offline");
    let clerk = open_core_with(
        &tmp.path().join("clerk"),
        &url,
        LogLevel::Warn,
        Some(identity.clone()),
    )?;
    block_on(clerk.unlock("Open palmgov".into()))?;
    block_on(clerk.wallet().refresh_status(None))?;
    let check = block_on(
        clerk
            .wallet()
            .check_presentation(code.payload.clone(), "zh-Hans".into()),
    )?;
    if check.verdict != palmgov::LicenceVerdict::Valid {
        return Err(CliError::cli(
            "cli.check_failed",
            format!(
                "expected a valid code, got {}",
                crate::wallet::verdict(&check.verdict)
            ),
        ));
    }
    s.ok(format!(
        "{}: {} from {}; {}",
        crate::wallet::verdict(&check.verdict),
        check.display_name,
        check.issuer,
        check
            .claims
            .iter()
            .map(|c| format!("{} = {}", c.name, crate::wallet::claim_value(&c.value_json)))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    s.step("the same code shown again (a photo of her screen) is refused as replayed");
    let again = block_on(
        clerk
            .wallet()
            .check_presentation(code.payload, "zh-Hans".into()),
    )?;
    match &again.verdict {
        palmgov::LicenceVerdict::Invalid { reason }
            if reason == "presentation.replayed" && again.claims.is_empty() =>
        {
            s.ok(format!(
                "{}; nothing disclosed",
                crate::wallet::verdict(&again.verdict)
            ))
        }
        other => {
            return Err(CliError::cli(
                "cli.check_failed",
                format!(
                    "expected presentation.replayed, got {}",
                    crate::wallet::verdict(other)
                ),
            ));
        }
    }

    s.step("she applies for a household registration certificate (户籍证明): her household register is attached from her wallet, not photographed");
    s.ok(crate::demo_forms::licence_as_material(&resident, &server)?);
    crate::demo_services::steps(&mut s, &resident, &server)?;
    drop(showing);
    clerk.shutdown();
    resident.shutdown();

    s.step("stop the backend and the provider, close and reopen the core offline");
    drop(server);
    drop(provider);
    server_rt.shutdown_background();
    gov.shutdown();
    let started = Instant::now();
    let gov = open_core_with(tmp.path(), &url, LogLevel::Error, Some(identity.clone()))?;
    let reopened = started.elapsed();
    let cached = block_on(gov.region().cached_config())?
        .map(|c| c.region_code)
        .unwrap_or_default();
    s.ok(format!(
        "reopened in {:.1} ms; cached region {cached}",
        reopened.as_secs_f64() * 1e3
    ));

    s.step("the session opens offline behind the app lock");
    block_on(gov.unlock("Open palmgov".into()))?;
    let offline = block_on(gov.identity().session())?;
    s.ok(format!(
        "level L{}, usable offline for {:.1} more days",
        offline.level,
        (offline.offline_until_ms - crate::now_ms()) as f64 / 86_400_000.0
    ));

    s.step("a network call offline fails with a typed error, nothing lost");
    match block_on(gov.region().server_health(None)) {
        Err(e @ PalmGovError::Offline) => s.ok(format!("{} [{}]", e, e.code())),
        other => {
            return Err(CliError::cli(
                "cli.check_failed",
                format!("expected Offline, got {other:?}"),
            ));
        }
    }

    s.step("her wallet opens offline: listed from the sealed index, checked without a network");
    let resident = open_core_with(&resident_dir, &url, LogLevel::Error, Some(identity.clone()))?;
    block_on(resident.unlock("Open palmgov".into()))?;
    let offline = block_on(resident.wallet().licences("zh-Hans".into()))?;
    let verdict = block_on(resident.wallet().verify_licence(driving))?;
    s.ok(format!(
        "{} licences offline; the driving licence is {} (checked offline)",
        offline.len(),
        crate::wallet::verdict(&verdict)
    ));
    resident.shutdown();

    crate::demo_forms::grid_worker(&mut s, &gov, &provider_port, &server_addr, tmp.path())?;

    crate::demo_region::region_builds(&mut s, tmp.path())?;

    s.step("opening with another device's key is refused, not reset");
    gov.shutdown();
    match open_with_foreign_key(tmp.path(), &url) {
        Err(e @ PalmGovError::WrongKey) => s.ok(format!("{} [{}]", e, e.code())),
        other => {
            return Err(CliError::cli(
                "cli.check_failed",
                format!("expected WrongKey, got {:?}", other.map(|_| ())),
            ));
        }
    }

    say!("demo finished: {} steps passed", s.n);
    Ok(())
}

fn open_with_foreign_key(dir: &std::path::Path, url: &str) -> Result<Arc<PalmGov>, PalmGovError> {
    let foreign =
        SoftwareKeystore::from_secret(&[0x42; 32]).map_err(|_| PalmGovError::Internal {
            detail: "keystore".into(),
        })?;
    PalmGov::open(
        PalmGovConfig {
            wallet: None,
            data_dir: dir.join("core").to_string_lossy().into_owned(),
            server: default_server_config(url.into()),
            log_level: LogLevel::Error,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: None,
            region: None,
        },
        Arc::new(foreign),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )
}

fn unix_ms_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
