//! A resident's personal data stays out of URLs and logs, across what a
//! resident does: sign in (with a login hint), refresh, an application
//! prefilled from their profile with a photo, a face step-up, sync, and
//! sign out. Every request line the provider and the backend served is
//! recorded, every log line the core emitted at its most verbose level is
//! kept, and none may hold the person's name, ID number, phone, birth
//! date, a token or a JPEG's bytes.
//!
//! In its own test binary: the log sink is process-wide.

use std::sync::{Arc, Mutex};

use palmgov::software::{
    DevFaceCapture, MemoryLogSink, SoftwareAppLock, SoftwareKeystore, camera_jpeg, dev_browser,
};
use palmgov::{
    AppLockOutcome, FaceConsent, LogLevel, LoginOptions, PalmGov, PalmGovConfig,
    default_identity_config, default_server_config,
};
use palmgov_server::ServerOptions;
use palmgov_tests::forms::{finalized, own_draft, photograph, save, sync};
use palmgov_tests::{CLIENT_ID, REDIRECT_URI, TestProvider, backend};
use serde_json::json;

/// The resident, as `tests/oidc/provider.mjs` knows `alice`.
const NAME: &str = "陈丽华";
const ID_NUMBER: &str = "330106198703150221";
const PHONE: &str = "13905710001";
const BIRTH_DATE: &str = "1987-03-15";

/// Every form in which a value could travel in a URL or a log line.
fn forms_of(value: &str) -> Vec<String> {
    let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let percent = value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    vec![value.to_string(), encoded, percent, value.replace('-', "")]
}

/// A URL with every JWT in it decoded as well: an ID token as a hint
/// carries the person's claims in base64url.
fn with_tokens_decoded(url: &str) -> String {
    use base64::Engine;
    let mut out = url.to_string();
    for part in url.split(['?', '&', '=', ' ']) {
        let segments: Vec<&str> = part.split('.').collect();
        if segments.len() == 3
            && let Ok(payload) =
                base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(segments[1])
        {
            out.push(' ');
            out.push_str(&String::from_utf8_lossy(&payload));
        }
    }
    out
}

/// A run of 40 or more base64url characters: a token or a key, not
/// anything the core means to print (ids are 32 hex digits or UUIDs).
fn token_like(line: &str) -> bool {
    let mut run = 0;
    for c in line.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            run += 1;
            if run >= 40 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_personal_data_in_any_url_or_log_line() {
    let work = tempfile::tempdir().unwrap();
    let provider_log = work.path().join("provider-urls.log");
    let provider = TestProvider::start_logging_urls(600, &provider_log);
    let backend_log: palmgov_server::RequestLog = Arc::new(Mutex::new(Vec::new()));
    let backend = backend(
        &provider,
        ServerOptions {
            request_log: Some(backend_log.clone()),
            ..Default::default()
        },
    )
    .await;
    let sink = Arc::new(MemoryLogSink::default());
    let dir = work.path().join("core");
    let gov = PalmGov::open(
        PalmGovConfig {
            wallet: None,
            data_dir: dir.to_string_lossy().into_owned(),
            server: default_server_config(backend.base_url()),
            log_level: LogLevel::Trace,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: Some(default_identity_config(
                provider.issuer.clone(),
                CLIENT_ID.into(),
                REDIRECT_URI.into(),
            )),
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[7; 32]).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        Some(sink.clone()),
    )
    .unwrap();
    gov.unlock("test".into()).await.unwrap();

    // Sign in with the phone number as a login hint: it goes to the
    // provider in a pushed request, never in the URL the browser opens.
    let hinted = LoginOptions {
        login_hint: Some(PHONE.into()),
        ..Default::default()
    };
    let request = gov
        .identity()
        .begin_login(hinted.clone(), None)
        .await
        .unwrap();
    let mut urls = vec![request.url.clone()];
    gov.identity()
        .login(hinted, dev_browser("alice".into(), None), None)
        .await
        .unwrap();
    gov.identity().refresh_session(true, None).await.unwrap();

    // Their own application, prefilled from their profile, with a photo.
    gov.drafts()
        .refresh_forms("zh-Hans".into(), None)
        .await
        .unwrap();
    let view = own_draft(&gov, "subsidy-application", "zh-Hans").await;
    assert_eq!(view.prefilled.len(), 4, "{:?}", view.prefilled);
    let draft = view.summary.id;
    save(&gov, &draft, "residence", json!("330106")).await;
    save(&gov, &draft, "bank_account", json!("6222020200112233")).await;
    let jpeg = camera_jpeg(800, 600, 1);
    photograph(&gov, &draft, "id_card_photo", &jpeg).await;
    let instance = finalized(&gov, &draft).await;

    // The allowance needs L4: a face step-up with camera frames, then sync.
    gov.face()
        .record_consent(FaceConsent {
            version: "face-2026-01".into(),
            guardian: None,
        })
        .await
        .unwrap();
    gov.face()
        .step_up(vec![instance], Arc::new(DevFaceCapture::new(None)), None)
        .await
        .unwrap();
    let report = sync(&gov).await;
    assert_eq!(report.delivered, 1, "{report:?}");
    let logout = gov.identity().logout(None).await.unwrap();
    urls.extend(logout.end_session_url);

    urls.extend(
        std::fs::read_to_string(&provider_log)
            .unwrap()
            .lines()
            .map(str::to_string),
    );
    urls.extend(backend_log.lock().unwrap().iter().cloned());
    assert!(
        urls.iter().any(|u| u.contains("/auth?")),
        "the provider log is read"
    );
    assert!(
        urls.iter().any(|u| u.contains("/v1/submissions/")),
        "the backend log is read"
    );
    for value in [NAME, ID_NUMBER, PHONE, BIRTH_DATE] {
        for form in forms_of(value) {
            for url in &urls {
                let seen = with_tokens_decoded(url);
                assert!(!seen.contains(&form), "{value} in a URL: {url}");
            }
        }
    }

    let records = sink.records();
    assert!(records.len() >= 10, "{records:?}");
    assert!(
        records
            .iter()
            .any(|r| r.level == LogLevel::Trace || r.level == LogLevel::Debug),
        "the most verbose levels are on"
    );
    let jpeg_start = &jpeg[..4];
    for r in &records {
        let line = format!("{} {}", r.target, r.message);
        for value in [NAME, ID_NUMBER, PHONE, BIRTH_DATE] {
            for form in forms_of(value) {
                assert!(!line.contains(&form), "{value} in a log line: {line}");
            }
        }
        assert!(
            !token_like(&line),
            "a token-like string in a log line: {line}"
        );
        assert!(
            !line.contains("JFIF") && !line.contains("/9j/"),
            "JPEG in: {line}"
        );
        assert!(
            !line.as_bytes().windows(4).any(|w| w == jpeg_start),
            "JPEG bytes in: {line}"
        );
    }
}
