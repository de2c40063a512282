//! Signed region profiles end to end: a core built for a region starts on
//! its bundled profile, follows a newer one its backend serves to a new
//! backend and a new identity provider without reopening, and a grid
//! worker's visit queued before the switch is delivered to the new backend
//! once she signs in there (her new account takes over the old one's work,
//! both providers vouching for the same ID number). A rolled-back profile,
//! one signed by too few distinct keys and one for another region are each
//! refused with a typed error, and the last good profile stays.

use palmgov::PalmGovError;
use palmgov_server::region::{sign_test_profile, test_profile, test_profile_body};
use palmgov_server::{RunningServer, ServerOptions};
use palmgov_tests::forms::{household, inventory, sync};
use palmgov_tests::{CLIENT_ID, REDIRECT_URI, TestProvider, backend, open_region_core, sign_in};

const REGION: &str = "330106";

/// A profile of `version` for the backend at `backend`, signing in at
/// `provider`; `takes_over` names earlier providers.
fn profile(
    backend: &RunningServer,
    provider: &TestProvider,
    version: u64,
    takes_over: &[&str],
) -> String {
    test_profile(
        REGION,
        &format!("{}/", backend.base_url().trim_end_matches('/')),
        &provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        version,
        takes_over.iter().map(|s| s.to_string()).collect(),
    )
    .0
}

fn serve(backend: &RunningServer, profile: String) {
    backend.region().serve_profile(profile);
}

fn refusal(result: Result<palmgov::RegionProfileRefresh, PalmGovError>) -> String {
    match result {
        Err(PalmGovError::RegionProfileRefused { reason }) => reason,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_switch_delivers_queued_work_to_the_new_backend() {
    let old_provider = TestProvider::start(600);
    let old_backend = backend(&old_provider, ServerOptions::default()).await;
    let new_provider = TestProvider::start(600);
    let new_backend = backend(&new_provider, ServerOptions::default()).await;

    let dir = tempfile::tempdir().unwrap();
    let v1 = profile(&old_backend, &old_provider, 1, &[]);
    let gov = open_region_core(dir.path(), v1.clone());
    let status = gov
        .region()
        .profile_status("zh-Hans".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((status.version, status.region_code.as_str()), (1, REGION));
    assert_eq!(status.issuer.as_deref(), Some(old_provider.issuer.as_str()));
    assert!(!status.stale && !status.update_required);

    // The worker signs in at the old provider and finalizes a visit; it
    // waits in the queue (she has not synced).
    sign_in(&gov, "grid-7").await;
    gov.drafts()
        .refresh_forms("zh-Hans".into(), None)
        .await
        .unwrap();
    let instance = household(&gov, "王秀英").await;

    // The region moves: a new backend and a new provider, which succeeds
    // the old one. Served by the old backend, verified, applied in place.
    serve(
        &old_backend,
        profile(&new_backend, &new_provider, 2, &[&old_provider.issuer]),
    );
    let switched = gov
        .region()
        .refresh_profile("zh-Hans".into(), None)
        .await
        .unwrap();
    assert!(switched.updated && switched.switched && switched.sign_in_required);
    assert_eq!(switched.status.version, 2);
    assert_eq!(
        switched.status.base_url,
        format!("{}/", new_backend.base_url().trim_end_matches('/'))
    );
    // Nobody is signed in at the new provider yet: nothing is sent.
    let waiting = gov
        .outbox()
        .sync_now(palmgov::SyncOptions::default(), None, None)
        .await;
    assert!(
        matches!(waiting, Err(PalmGovError::SignInRequired)),
        "{waiting:?}"
    );

    // She signs in at the new provider: the same person (the same ID
    // number at both), so her new account takes the queue over.
    sign_in(&gov, "grid-7").await;
    let report = sync(&gov).await;
    assert_eq!(report.delivered, 1, "{report:?}");
    let delivered = inventory(&new_backend).await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["instance_id"], instance.as_str());
    assert!(
        inventory(&old_backend).await.is_empty(),
        "sent once, to the new backend"
    );
    assert_eq!(sync(&gov).await.delivered, 0);

    // Bad profiles from the new backend: each refused, version 2 stays.
    serve(&new_backend, profile(&old_backend, &old_provider, 1, &[]));
    assert_eq!(
        refusal(gov.region().refresh_profile("en".into(), None).await),
        "profile.rollback"
    );
    let body = test_profile_body(
        REGION,
        &new_backend.base_url(),
        &new_provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        vec![],
    );
    let expires = 4_000_000_000;
    serve(&new_backend, sign_test_profile(&body, 3, expires, &[0]));
    assert_eq!(
        refusal(gov.region().refresh_profile("en".into(), None).await),
        "profile.threshold_not_met"
    );
    serve(&new_backend, sign_test_profile(&body, 3, expires, &[1, 1]));
    assert_eq!(
        refusal(gov.region().refresh_profile("en".into(), None).await),
        "profile.threshold_not_met",
        "one key signing twice is one key"
    );
    let kashgar = test_profile_body(
        "653101",
        &new_backend.base_url(),
        &new_provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        vec![],
    );
    serve(
        &new_backend,
        sign_test_profile(&kashgar, 3, expires, &[0, 1]),
    );
    assert_eq!(
        refusal(gov.region().refresh_profile("en".into(), None).await),
        "profile.other_region"
    );
    let status = gov
        .region()
        .profile_status("en".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.version, 2);

    // After a restart the same profile is in force, checked by its digest.
    gov.shutdown();
    let again = open_region_core(dir.path(), v1);
    let status = again
        .region()
        .profile_status("en".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.version, 2);
    assert_eq!(status.issuer.as_deref(), Some(new_provider.issuer.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn below_the_lowest_supported_version_work_waits_for_an_update() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = open_region_core(dir.path(), profile(&backend, &provider, 1, &[]));
    sign_in(&gov, "alice").await;
    let mut body = test_profile_body(
        REGION,
        &format!("{}/", backend.base_url().trim_end_matches('/')),
        &provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        vec![],
    );
    body["app"]["min_version"] = "2.0.0".into();
    serve(
        &backend,
        sign_test_profile(&body, 2, 4_000_000_000, &[0, 2]),
    );
    let refreshed = gov
        .region()
        .refresh_profile("en".into(), None)
        .await
        .unwrap();
    assert!(refreshed.status.update_required);
    assert_eq!(refreshed.status.min_app_version, "2.0.0");
    let sync = gov
        .outbox()
        .sync_now(palmgov::SyncOptions::default(), None, None)
        .await;
    assert!(
        matches!(&sync, Err(PalmGovError::AppUpdateRequired { min_version }) if min_version == "2.0.0"),
        "{sync:?}"
    );
    // Local work is untouched: drafts still open.
    assert!(gov.drafts().list_drafts("en".into()).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_past_its_expiry_keeps_working_and_the_next_sync_renews_it() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let base = format!("{}/", backend.base_url().trim_end_matches('/'));
    let body = test_profile_body(
        REGION,
        &base,
        &provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        vec![],
    );
    // Bundled a year ago, expired last month: a phone offline that long.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let expired = sign_test_profile(&body, 1, now - 30 * 24 * 3600, &[0, 1]);
    let dir = tempfile::tempdir().unwrap();
    let gov = open_region_core(dir.path(), expired);
    let status = gov
        .region()
        .profile_status("en".into())
        .await
        .unwrap()
        .unwrap();
    assert!(status.stale, "stale, not refused: the phone still works");
    sign_in(&gov, "alice").await;

    serve(
        &backend,
        sign_test_profile(&body, 2, now + 365 * 24 * 3600, &[1, 2]),
    );
    let report = sync(&gov).await;
    assert!(report.region_profile_refreshed, "{report:?}");
    let status = gov
        .region()
        .profile_status("en".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.version, 2);
    assert!(!status.stale);
    // A fresh profile is not fetched again at every sync.
    assert!(!sync(&gov).await.region_profile_refreshed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_licence_trust_roots_apply_on_the_open_core() {
    let provider = TestProvider::start(600);
    let backend = backend(&provider, ServerOptions::default()).await;
    let base = format!("{}/", backend.base_url().trim_end_matches('/'));
    let dir = tempfile::tempdir().unwrap();
    let gov = open_region_core(dir.path(), profile(&backend, &provider, 1, &[]));
    sign_in(&gov, "alice").await;
    gov.wallet().refresh_status(None).await.unwrap();
    assert!(gov.wallet().trust_list().await.unwrap().is_some());

    // The region moves its licence trust to other root keys.
    let mut body = test_profile_body(
        REGION,
        &base,
        &provider.issuer,
        CLIENT_ID,
        REDIRECT_URI,
        vec![],
    );
    // RFC 8037's example Ed25519 key: a root nobody signed this list with.
    let other = serde_json::json!({"kty": "OKP", "crv": "Ed25519",
        "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
    body["licence_trust"] = serde_json::json!({"roots": [other], "threshold": 1});
    serve(
        &backend,
        sign_test_profile(&body, 2, 4_000_000_000, &[0, 1]),
    );
    let refreshed = gov
        .region()
        .refresh_profile("en".into(), None)
        .await
        .unwrap();
    assert!(refreshed.switched, "new roots apply without reopening");
    // The list signed under the old roots no longer counts.
    assert!(gov.wallet().trust_list().await.unwrap().is_none());
}
