//! The core against the real reference backend, and against scripted
//! misbehaving servers on loopback: every kind of bad reply must give a
//! typed error and leave the cached data intact.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use palmgov::software::{SoftwareAppLock, SoftwareKeystore};
use palmgov::{
    AppLockOutcome, CancelToken, LogLevel, PalmGov, PalmGovConfig, PalmGovError, ServerConfig,
    default_server_config,
};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

fn open(dir: &std::path::Path, server: ServerConfig) -> Result<Arc<PalmGov>, PalmGovError> {
    PalmGov::open(
        PalmGovConfig {
            wallet: None,
            data_dir: dir.to_string_lossy().into_owned(),
            server,
            log_level: LogLevel::Debug,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: None,
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[5; 32]).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )
}

async fn reference_backend() -> palmgov_server::RunningServer {
    palmgov_server::start("127.0.0.1:0".parse().unwrap(), Default::default())
        .await
        .unwrap()
}

/// A server that answers connection `i` with `replies[i]` (the last one
/// repeats) and counts connections. `None` accepts and never answers.
async fn scripted(replies: Vec<Option<String>>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let i = counter.fetch_add(1, Ordering::SeqCst);
            let reply = replies[i.min(replies.len() - 1)].clone();
            tokio::spawn(async move {
                if !palmgov_tests::read_request_head(&mut socket).await {
                    return;
                }
                match reply {
                    Some(r) => {
                        let _ = socket.write_all(r.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    }
                    None => tokio::time::sleep(Duration::from_secs(3600)).await,
                }
            });
        }
    });
    (format!("http://{addr}/"), count)
}

fn reply(status: &str, headers: &[&str], body: &str) -> Option<String> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for h in headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str("\r\n");
    r.push_str(body);
    Some(r)
}

const HEALTH: &str = r#"{"status":"ok","version":"test","api_version":1}"#;

fn quick(url: &str) -> ServerConfig {
    ServerConfig {
        request_timeout_ms: 2_000,
        ..default_server_config(url.to_string())
    }
}

#[tokio::test]
async fn health_and_region_config_from_the_reference_backend() {
    let server = reference_backend().await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), default_server_config(server.base_url())).unwrap();
    let health = core.region().server_health(None).await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.api_version, palmgov_server::API_VERSION);
    assert!(health.clock_offset_ms.unwrap().abs() < 5_000, "{health:?}");
    assert_eq!(core.region().cached_config().await.unwrap(), None);
    let region = core.region().refresh_config(None).await.unwrap();
    assert_eq!(region.region_code, "330106");
    core.shutdown();
    assert_eq!(
        core.secure_store().get("a".into(), "b".into()).await,
        Err(PalmGovError::Closed)
    );
    drop(server);

    // Offline: the cached copy still opens; the network call is typed.
    let core = open(dir.path(), default_server_config(server_url_gone())).unwrap();
    assert_eq!(
        core.region()
            .cached_config()
            .await
            .unwrap()
            .unwrap()
            .region_code,
        "330106"
    );
    assert_eq!(
        core.region().server_health(None).await,
        Err(PalmGovError::Offline)
    );
}

fn server_url_gone() -> String {
    // Port 9 (discard) is closed on CI machines: connection refused.
    "http://127.0.0.1:9/".into()
}

#[tokio::test]
async fn retry_after_is_honoured_then_success() {
    let (url, count) = scripted(vec![
        reply("503 Service Unavailable", &["retry-after: 0"], ""),
        reply("200 OK", &["content-type: application/json"], HEALTH),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), quick(&url)).unwrap();
    assert_eq!(
        core.region()
            .server_health(None)
            .await
            .unwrap()
            .server_version,
        "test"
    );
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn persistent_5xx_gives_up_after_max_attempts_with_the_status() {
    let (url, count) = scripted(vec![reply("500 Internal Server Error", &[], "")]).await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), quick(&url)).unwrap();
    assert_eq!(
        core.region().server_health(None).await,
        Err(PalmGovError::Server {
            status: 500,
            retry_after_ms: None
        })
    );
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let (url, count) = scripted(vec![reply(
        "404 Not Found",
        &["content-type: application/json"],
        r#"{"error":"not_found"}"#,
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), quick(&url)).unwrap();
    assert!(matches!(
        core.region().server_health(None).await,
        Err(PalmGovError::Server { status: 404, .. })
    ));
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn captive_portal_does_not_replace_the_cached_config() {
    let server = reference_backend().await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), default_server_config(server.base_url())).unwrap();
    core.region().refresh_config(None).await.unwrap();
    core.shutdown();

    let (portal, _) = scripted(vec![reply(
        "200 OK",
        &["content-type: text/html"],
        "<html>Welcome to Station WiFi, please log in</html>",
    )])
    .await;
    let core = open(dir.path(), quick(&portal)).unwrap();
    assert_eq!(
        core.region().refresh_config(None).await,
        Err(PalmGovError::BadServerReply)
    );
    // A portal that even claims JSON still fails to parse as the API's reply.
    let (liar, _) = scripted(vec![reply(
        "200 OK",
        &["content-type: application/json"],
        r#"{"portal":true}"#,
    )])
    .await;
    let liar_core = open(tempfile::tempdir().unwrap().path(), quick(&liar)).unwrap();
    assert_eq!(
        liar_core.region().refresh_config(None).await,
        Err(PalmGovError::BadServerReply)
    );
    assert_eq!(
        core.region()
            .cached_config()
            .await
            .unwrap()
            .unwrap()
            .region_code,
        "330106"
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (target, target_count) = scripted(vec![reply(
        "200 OK",
        &["content-type: application/json"],
        HEALTH,
    )])
    .await;
    let (url, count) = scripted(vec![reply(
        "302 Found",
        &[&format!("location: {target}v1/health")],
        "",
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), quick(&url)).unwrap();
    assert_eq!(
        core.region().server_health(None).await,
        Err(PalmGovError::BadServerReply)
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_eq!(target_count.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn oversized_and_truncated_bodies_are_rejected() {
    let huge = format!(
        r#"{{"status":"{}","version":"x","api_version":1}}"#,
        "a".repeat(5 << 20)
    );
    let (url, _) = scripted(vec![reply(
        "200 OK",
        &["content-type: application/json"],
        &huge,
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), quick(&url)).unwrap();
    assert_eq!(
        core.region().server_health(None).await,
        Err(PalmGovError::BadServerReply)
    );

    let truncated = Some(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"status\""
            .to_string(),
    );
    let (url, _) = scripted(vec![truncated]).await;
    let core = open(
        tempfile::tempdir().unwrap().path(),
        ServerConfig {
            max_attempts: 1,
            ..quick(&url)
        },
    )
    .unwrap();
    assert_eq!(
        core.region().server_health(None).await,
        Err(PalmGovError::BadServerReply)
    );
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let (url, _) = scripted(vec![None]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        request_timeout_ms: 200,
        max_attempts: 1,
        ..default_server_config(url)
    };
    let core = open(dir.path(), config).unwrap();
    let started = Instant::now();
    assert_eq!(
        core.region().server_health(None).await,
        Err(PalmGovError::Timeout)
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn cancel_token_ends_a_hanging_call() {
    let (url, _) = scripted(vec![None]).await;
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path(), default_server_config(url)).unwrap();
    let token = CancelToken::new();
    let canceller = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        canceller.cancel();
    });
    let started = Instant::now();
    assert_eq!(
        core.region().server_health(Some(token)).await,
        Err(PalmGovError::Cancelled)
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn unsafe_server_settings_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        "http://gov.example.cn/",
        "ftp://127.0.0.1/",
        "https://u:p@gov.example.cn/",
    ] {
        assert_eq!(
            open(dir.path(), default_server_config(url.into())).err(),
            Some(PalmGovError::InvalidInput {
                field: "server.base_url".into()
            }),
            "{url}"
        );
    }
}

/// A region that moves its backend: the open core's configuration is
/// swapped, and the very next call goes to the new backend, with no
/// reopening.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_core_follows_a_new_base_url_at_the_next_call() {
    let xihu = reference_backend().await;
    let binhai = palmgov_server::start(
        "127.0.0.1:0".parse().unwrap(),
        palmgov_server::ServerOptions {
            region: palmgov_server::RegionSeed {
                region_code: "320922".into(),
                display_name: "滨海县 (demo)".into(),
                features: vec![],
                support_phone: None,
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gov = open(dir.path(), default_server_config(xihu.base_url())).unwrap();
    let before = gov.region().refresh_config(None).await.unwrap();
    assert_eq!(before.region_code, "330106");

    gov.reconfigure(default_server_config(binhai.base_url()), None)
        .unwrap();
    let after = gov.region().refresh_config(None).await.unwrap();
    assert_eq!(after.region_code, "320922");

    // A configuration the core cannot use is refused and the old one stays.
    assert_eq!(
        gov.reconfigure(
            default_server_config("http://api.example.gov.cn/".into()),
            None
        ),
        Err(PalmGovError::InvalidInput {
            field: "server.base_url".into()
        })
    );
    assert_eq!(
        gov.region().refresh_config(None).await.unwrap().region_code,
        "320922"
    );
}
