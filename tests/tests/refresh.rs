//! A grid worker is never signed out by a lost or cancelled refresh. The
//! real provider, reached through a proxy that delays or loses the replies
//! of chosen requests: a refresh whose caller gives up still stores the
//! rotated token; a reply lost on the way is never followed by the same
//! token again under strict rotation, and is retried where the provider is
//! configured to allow it; cores and processes on one data directory
//! refresh once between them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use palmgov::software::dev_browser;
use palmgov::{CancelToken, IdentityConfig, LoginOptions, PalmGov, PalmGovError, SessionStatus};
use palmgov_server::dev_provider::ProviderOptions;
use palmgov_server::fault_proxy::{Fault, FaultProxy};
use palmgov_tests::{CLIENT_ID, REDIRECT_URI, TestProvider};

/// The provider behind a proxy that names it, faulting the `n`th refresh
/// (1-based) as `fault`; counts the refreshes that reached the proxy.
struct Proxied {
    provider: TestProvider,
    _proxy: FaultProxy,
    refreshes: Arc<AtomicU32>,
}

async fn proxied(rotate: bool, ttl: u32, nth: u32, fault: Fault) -> Proxied {
    let listener = FaultProxy::bind().await;
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let provider = TestProvider::start_with(ProviderOptions {
        issuer: Some(issuer),
        access_ttl_secs: ttl,
        rotate_refresh_tokens: rotate,
        ..Default::default()
    });
    let refreshes = Arc::new(AtomicU32::new(0));
    let seen = refreshes.clone();
    let rule = Arc::new(move |request: &[u8]| {
        let refresh = request
            .windows(b"grant_type=refresh_token".len())
            .any(|w| w == b"grant_type=refresh_token");
        if refresh && seen.fetch_add(1, Ordering::SeqCst) + 1 == nth {
            fault
        } else {
            Fault::None
        }
    });
    let proxy = FaultProxy::start_with_rule(
        listener,
        provider.listening,
        Duration::from_millis(1500),
        rule,
    );
    Proxied {
        provider,
        _proxy: proxy,
        refreshes,
    }
}

fn identity(p: &Proxied) -> IdentityConfig {
    palmgov::default_identity_config(
        p.provider.issuer.clone(),
        CLIENT_ID.into(),
        REDIRECT_URI.into(),
    )
}

async fn signed_in(dir: &std::path::Path, identity: IdentityConfig) -> Arc<PalmGov> {
    let gov = open(dir, identity);
    gov.identity()
        .login(
            LoginOptions::default(),
            dev_browser("grid-9".into(), None),
            None,
        )
        .await
        .unwrap();
    gov
}

fn open(dir: &std::path::Path, identity: IdentityConfig) -> Arc<PalmGov> {
    let issuer = identity.issuer.clone();
    let gov = palmgov_tests::open_core(dir, &issuer, "http://127.0.0.1:9/");
    gov.reconfigure(
        palmgov::default_server_config("http://127.0.0.1:9/".into()),
        Some(identity),
    )
    .unwrap();
    palmgov_tests::unlock(&gov);
    gov
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_whose_caller_gives_up_still_stores_the_rotated_token() {
    let p = proxied(true, 600, 1, Fault::Delay).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), identity(&p)).await;
    let cancel = CancelToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        canceller.cancel();
    });
    assert_eq!(
        gov.identity()
            .refresh_session(true, Some(cancel))
            .await
            .err(),
        Some(PalmGovError::Cancelled)
    );
    // The refresh went on without its caller and kept the new token.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    gov.identity().refresh_session(true, None).await.unwrap();
    assert_eq!(p.refreshes.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_strict_rotation_a_token_whose_reply_was_lost_is_not_sent_again() {
    let p = proxied(true, 600, 1, Fault::DropAfter).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), identity(&p)).await;
    let lost = gov.identity().refresh_session(true, None).await;
    assert!(
        matches!(lost, Err(PalmGovError::Offline | PalmGovError::Timeout)),
        "{lost:?}"
    );
    assert_eq!(
        gov.identity().refresh_session(true, None).await.err(),
        Some(PalmGovError::SignInRequired)
    );
    assert_eq!(
        p.refreshes.load(Ordering::SeqCst),
        1,
        "the token went out once"
    );
    // The account and its work stay; the person signs in again.
    let accounts = gov.identity().accounts().await.unwrap();
    assert_eq!(accounts[0].session.status, SessionStatus::SignInRequired);
    gov.identity()
        .login(
            LoginOptions::default(),
            dev_browser("grid-9".into(), None),
            None,
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_allows_reuse_gets_the_token_again_within_its_window() {
    let p = proxied(false, 600, 1, Fault::DropAfter).await;
    let dir = tempfile::tempdir().unwrap();
    let config = IdentityConfig {
        refresh_reuse_window_secs: 60,
        ..identity(&p)
    };
    let gov = signed_in(dir.path(), config).await;
    assert!(gov.identity().refresh_session(true, None).await.is_err());
    gov.identity().refresh_session(true, None).await.unwrap();
    assert_eq!(p.refreshes.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_cores_on_one_directory_refresh_once() {
    // Access tokens live 61 s and are refreshed in their last 60.
    let p = proxied(true, 61, 0, Fault::None).await;
    let dir = tempfile::tempdir().unwrap();
    let first = signed_in(dir.path(), identity(&p)).await;
    let second = open(dir.path(), identity(&p));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (one, two) = (first.identity(), second.identity());
    let (a, b) = tokio::join!(
        one.refresh_session(false, None),
        two.refresh_session(false, None)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.access_expires_at_ms, b.access_expires_at_ms);
    assert_eq!(p.refreshes.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_directory_refresh_once() {
    let p = proxied(true, 61, 0, Fault::None).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), identity(&p)).await;
    gov.shutdown();
    drop(gov);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let child = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_refresh_child"))
            .args([dir.path().to_str().unwrap(), &p.provider.issuer])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(child);
        let b = s.spawn(child);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    for out in [&a, &b] {
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok", "{out:?}");
    }
    assert_eq!(p.refreshes.load(Ordering::SeqCst), 1);
}
