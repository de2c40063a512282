//! The reference backend as a region's team meets it: development routes
//! that stay shut unless asked for, refusals in one JSON shape whichever
//! layer refuses, a reverse proxy in front, a provider whose introspection
//! lives elsewhere, and tokens the same provider issued to another app.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use palmgov::software::{SoftwareAppLock, SoftwareKeystore, dev_browser};
use palmgov::{AppLockOutcome, LoginOptions, PalmGov};
use palmgov_server::dev_provider::{self, ProviderOptions};
use palmgov_server::fault_proxy::FaultProxy;
use palmgov_server::{AuthConfig, RunningServer, ServerOptions, StartError};
use palmgov_tests::forms::raw_http;
use palmgov_tests::{CLIENT_ID, DEV_ADMIN_TOKEN, TestProvider};

async fn start(options: ServerOptions) -> RunningServer {
    try_start("127.0.0.1:0", options).await.unwrap()
}

async fn try_start(addr: &str, options: ServerOptions) -> Result<RunningServer, StartError> {
    palmgov_server::start(addr.parse().unwrap(), options).await
}

fn trusting(auth: AuthConfig) -> ServerOptions {
    ServerOptions {
        auth: Some(AuthConfig {
            cache_ttl: Duration::ZERO,
            ..auth
        }),
        ..Default::default()
    }
}

/// A core for the app `client_id` at `provider`, talking to `base_url`,
/// unlocked and signed in as a grid worker.
async fn signed_in(
    dir: &Path,
    provider: &TestProvider,
    base_url: &str,
    client_id: &str,
) -> Arc<PalmGov> {
    let gov = PalmGov::open(
        palmgov::PalmGovConfig {
            wallet: None,
            data_dir: dir.to_string_lossy().into_owned(),
            server: palmgov::default_server_config(base_url.into()),
            log_level: palmgov::LogLevel::Warn,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: Some(palmgov::default_identity_config(
                provider.issuer.clone(),
                client_id.into(),
                dev_provider::REDIRECT_URI.into(),
            )),
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[5; 32]).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )
    .unwrap();
    gov.unlock("test".into()).await.unwrap();
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

/// The status code and body of a raw reply.
fn status_and_body(reply: &str) -> (u16, serde_json::Value) {
    let status = reply
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_routes_are_shut_unless_asked_for_and_need_the_token() {
    // Off by default: no such route.
    let plain = start(ServerOptions::default()).await;
    let inventory = format!("{}v1/dev/submissions", plain.base_url());
    let (status, body) = status_and_body(&raw_http("GET", &inventory, "", &[]).await);
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let assign = format!("{}v1/dev/roster/grid-9", plain.base_url());
    let (status, _) = status_and_body(&raw_http("PUT", &assign, r#"{"sample":3}"#, &[]).await);
    assert_eq!(status, 404);

    // On, behind the token.
    let dev = start(ServerOptions {
        dev_admin_token: Some(DEV_ADMIN_TOKEN.into()),
        ..Default::default()
    })
    .await;
    let inventory = format!("{}v1/dev/submissions", dev.base_url());
    for headers in [
        vec![],
        vec![("authorization", "Bearer not-the-token-0123456789abcdef")],
        vec![("authorization", DEV_ADMIN_TOKEN)],
    ] {
        let (status, body) = status_and_body(&raw_http("GET", &inventory, "", &headers).await);
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("admin_token_required")),
            "{headers:?}"
        );
    }
    let right = format!("Bearer {DEV_ADMIN_TOKEN}");
    let (status, body) =
        status_and_body(&raw_http("GET", &inventory, "", &[("authorization", &right)]).await);
    assert_eq!(
        (status, body["submissions"].as_array().map(Vec::len)),
        (200, Some(0))
    );

    // Never off this machine, never with a guessable token.
    let anywhere = try_start(
        "0.0.0.0:0",
        ServerOptions {
            dev_admin_token: Some(DEV_ADMIN_TOKEN.into()),
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(anywhere, Err(StartError::DevRoutesOffLoopback)));
    let weak = try_start(
        "127.0.0.1:0",
        ServerOptions {
            dev_admin_token: Some("admin".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(weak, Err(StartError::WeakAdminToken)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_the_apis_json_whichever_layer_refuses() {
    let server = start(ServerOptions {
        dev_admin_token: Some(DEV_ADMIN_TOKEN.into()),
        ..Default::default()
    })
    .await;
    let base = server.base_url();
    let admin = format!("Bearer {DEV_ADMIN_TOKEN}");
    let auth = [("authorization", admin.as_str())];
    // A body over the 4 MiB limit.
    let huge = format!(r#"{{"households":[],"pad":"{}"}}"#, "x".repeat(5 << 20));
    let reply = raw_http("PUT", &format!("{base}v1/dev/roster/grid-9"), &huge, &auth).await;
    assert_eq!(
        status_and_body(&reply),
        (413, serde_json::json!({"error": "payload_too_large"}))
    );
    // A request target over 8 KiB.
    let long = format!("{base}v1/health?pad={}", "x".repeat(9 * 1024));
    assert_eq!(
        status_and_body(&raw_http("GET", &long, "", &[]).await),
        (414, serde_json::json!({"error": "uri_too_long"}))
    );
    // A body that does not say it is JSON.
    let status = format!("{base}v1/dev/applications/x/status");
    let text = [auth[0], ("content-type", "text/plain")];
    assert_eq!(
        status_and_body(&raw_http("POST", &status, r#"{"status":"accepted"}"#, &text).await),
        (415, serde_json::json!({"error": "unsupported_media_type"}))
    );
    // A method the route does not take.
    let (code, body) =
        status_and_body(&raw_http("DELETE", &format!("{base}v1/health"), "", &[]).await);
    assert_eq!(
        (code, body["error"].as_str()),
        (405, Some("method_not_allowed"))
    );
    // A path parameter that does not parse.
    let (code, body) =
        status_and_body(&raw_http("GET", &format!("{base}v1/assurance/high"), "", &[]).await);
    assert_eq!(
        (code, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_reverse_proxy_proofs_name_the_public_url() {
    let provider = TestProvider::start(600);
    let listener = FaultProxy::bind().await;
    let public = format!("http://{}", listener.local_addr().unwrap());
    let backend = start(ServerOptions {
        public_origin: Some(public.clone()),
        ..trusting(dev_provider::backend_auth(&provider.issuer))
    })
    .await;
    let proxy = FaultProxy::start(listener, backend.addr, 0, 1, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &proxy.base_url(), CLIENT_ID).await;
    assert!(
        gov.identity()
            .check_backend_session(None)
            .await
            .unwrap()
            .dpop_bound
    );

    // The same proxy setup without the flag: the proofs name the proxy,
    // the backend compares them with its own address and refuses.
    let unaware = start(trusting(dev_provider::backend_auth(&provider.issuer))).await;
    let proxy = FaultProxy::start(FaultProxy::bind().await, unaware.addr, 0, 1, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &proxy.base_url(), CLIENT_ID).await;
    assert!(gov.identity().check_backend_session(None).await.is_err());
    // A public URL that is not an origin is refused at start.
    let bad = try_start(
        "127.0.0.1:0",
        ServerOptions {
            public_origin: Some("api.example.gov.cn/v1".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(bad, Err(StartError::BadPublicOrigin)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_provider_issued_to_another_app_is_refused() {
    let provider = TestProvider::start(600);
    let ours_only = start(trusting(dev_provider::backend_auth(&provider.issuer))).await;
    let other_app = format!("{CLIENT_ID}-rs256");
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &ours_only.base_url(), &other_app).await;
    assert!(gov.identity().check_backend_session(None).await.is_err());

    // A backend configured to accept that app too takes its tokens.
    let both = start(trusting(AuthConfig {
        accepted_clients: vec![CLIENT_ID.into(), other_app.clone()],
        ..dev_provider::backend_auth(&provider.issuer)
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &both.base_url(), &other_app).await;
    assert!(gov.identity().check_backend_session(None).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introspection_where_discovery_says_with_the_backends_own_credentials() {
    let provider = TestProvider::start_with(ProviderOptions {
        introspection_path: Some("/oauth2/v1/introspect".into()),
        backend_client: Some(("region-api".into(), "region-api-secret-7f3a".into())),
        ..Default::default()
    });
    let configured = start(trusting(AuthConfig::new(
        &provider.issuer,
        "region-api",
        "region-api-secret-7f3a",
        CLIENT_ID,
    )))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &configured.base_url(), CLIENT_ID).await;
    assert!(
        gov.identity()
            .check_backend_session(None)
            .await
            .unwrap()
            .dpop_bound
    );
    // The built-in test credentials are not this provider's: refused.
    let stock = start(trusting(dev_provider::backend_auth(&provider.issuer))).await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &stock.base_url(), CLIENT_ID).await;
    assert!(gov.identity().check_backend_session(None).await.is_err());
}

/// A backend that wants DPoP nonces (RFC 9449 section 9): the core answers
/// its `use_dpop_nonce` 401 with a proof carrying the nonce, and keeps using
/// the latest one; it never refreshes its tokens for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_that_wants_dpop_nonces_gets_them_without_a_refresh() {
    let provider = TestProvider::start(600);
    let backend = start(trusting(AuthConfig {
        dpop_nonce: true,
        ..dev_provider::backend_auth(&provider.issuer)
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let gov = signed_in(dir.path(), &provider, &backend.base_url(), CLIENT_ID).await;
    let refreshes = gov.refresh_requests().unwrap();
    for _ in 0..3 {
        assert!(
            gov.identity()
                .check_backend_session(None)
                .await
                .unwrap()
                .dpop_bound
        );
    }
    assert_eq!(
        gov.refresh_requests().unwrap(),
        refreshes,
        "no refresh for a nonce"
    );

    // Every reply carries the nonce to use, a refusal too (the refusal of
    // a proof that lacks the nonce, with an active token, is the unit test
    // auth::tests::a_server_that_wants_nonces_gets_them).
    let reply = raw_http(
        "GET",
        &format!("{}v1/me", backend.base_url()),
        "",
        &[
            ("authorization", "DPoP not-a-token"),
            ("dpop", "e30.e30.e30"),
        ],
    )
    .await;
    let (status, _) = status_and_body(&reply);
    assert_eq!(status, 401);
    let lower = reply.to_ascii_lowercase();
    assert!(lower.contains("\r\ndpop-nonce: "), "{reply}");
}
