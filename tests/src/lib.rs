//! Cross-crate and system tests live in `tests/tests/`. This library holds
//! what they share.

/// The fault proxy lives beside the backend so `palmgov bench sync` uses it too.
pub use palmgov_server::fault_proxy;
pub mod clock;
pub mod disk;
pub mod forms;

use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads one HTTP/1.1 request head from a scripted test server's socket.
/// Returns false if the peer closed or failed first.
pub async fn read_request_head<S: AsyncRead + Unpin>(stream: &mut S) -> bool {
    let mut buf = vec![0u8; 8192];
    let mut seen = Vec::new();
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    true
}

pub use palmgov_server::dev_provider::{CLIENT_ID, DevProvider as TestProvider, REDIRECT_URI};

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use palmgov::software::{SoftwareAppLock, SoftwareKeystore, dev_browser};
use palmgov::{
    AppLockOutcome, LogLevel, LoginOptions, PalmGov, PalmGovConfig, ServerConfig,
    default_identity_config, default_server_config,
};
use palmgov_server::{RunningServer, ServerOptions};

/// The development admin token of the backends [`backend`] starts.
pub const DEV_ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef";

/// The reference backend trusting `provider`, with an introspection cache
/// of zero so revocations show at once, and its development routes behind
/// [`DEV_ADMIN_TOKEN`] unless `options` name another.
pub async fn backend(provider: &TestProvider, options: ServerOptions) -> RunningServer {
    backend_at("127.0.0.1:0".parse().unwrap(), provider, options).await
}

/// [`backend`] behind a proxy a test starts with `proxy` (given the bound
/// listener and the backend's address): the backend takes the proxy's
/// address as its public origin, so DPoP proofs name what the core dials.
pub async fn backend_behind_proxy(
    provider: &TestProvider,
    options: ServerOptions,
    proxy: impl FnOnce(tokio::net::TcpListener, std::net::SocketAddr) -> fault_proxy::FaultProxy,
) -> (RunningServer, fault_proxy::FaultProxy) {
    let listener = fault_proxy::FaultProxy::bind().await;
    let public_origin = format!("http://{}", listener.local_addr().unwrap());
    let backend = backend(
        provider,
        ServerOptions {
            public_origin: Some(public_origin),
            ..options
        },
    )
    .await;
    let proxy = proxy(listener, backend.addr);
    (backend, proxy)
}

/// [`backend`] on `addr`: a restart on the address a core already knows.
/// The address of a backend just stopped can take a moment to free.
pub async fn backend_at(
    addr: std::net::SocketAddr,
    provider: &TestProvider,
    options: ServerOptions,
) -> RunningServer {
    let mut auth = palmgov_server::dev_provider::backend_auth(&provider.issuer);
    auth.cache_ttl = Duration::ZERO;
    let options = ServerOptions {
        auth: Some(auth),
        dev_admin_token: options
            .dev_admin_token
            .or_else(|| Some(DEV_ADMIN_TOKEN.into())),
        ..options
    };
    for _ in 0..100 {
        match palmgov_server::start(addr, options.clone()).await {
            Err(palmgov_server::StartError::Io(e)) if e.kind() == std::io::ErrorKind::AddrInUse => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            started => return started.unwrap(),
        }
    }
    panic!("{addr} stayed in use");
}

/// A core in `dir` talking to `base_url` and the provider at `issuer`;
/// locked and not signed in.
pub fn open_core(dir: &Path, issuer: &str, base_url: &str) -> Arc<PalmGov> {
    open_core_with(dir, issuer, default_server_config(base_url.into()))
}

/// [`open_core`] with a server configuration of the test's choosing.
pub fn open_core_with(dir: &Path, issuer: &str, server: ServerConfig) -> Arc<PalmGov> {
    open_core_with_wallet(dir, issuer, server, test_wallet_config())
}

/// [`open_core_with`] with a wallet configuration of the test's choosing.
pub fn open_core_with_wallet(
    dir: &Path,
    issuer: &str,
    server: ServerConfig,
    wallet: palmgov::config::WalletConfig,
) -> Arc<PalmGov> {
    open_core_full(dir, issuer, server, wallet, Arc::new(palmgov::SystemClock))
}

/// [`open_core`] on a clock the test moves.
pub fn open_core_clocked(
    dir: &Path,
    issuer: &str,
    base_url: &str,
    clock: Arc<dyn palmgov::Clock>,
) -> Arc<PalmGov> {
    open_core_full(
        dir,
        issuer,
        default_server_config(base_url.into()),
        test_wallet_config(),
        clock,
    )
}

fn open_core_full(
    dir: &Path,
    issuer: &str,
    server: ServerConfig,
    wallet: palmgov::config::WalletConfig,
    clock: Arc<dyn palmgov::Clock>,
) -> Arc<PalmGov> {
    PalmGov::open_with_clock(
        PalmGovConfig {
            wallet: Some(wallet),
            data_dir: dir.to_string_lossy().into_owned(),
            server,
            log_level: LogLevel::Warn,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: Some(default_identity_config(
                issuer.into(),
                CLIENT_ID.into(),
                REDIRECT_URI.into(),
            )),
            region: None,
        },
        Arc::new(SoftwareKeystore::from_secret(&[5; 32]).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
        clock,
    )
    .unwrap()
}

/// The wallet configuration of an app built against the reference backend:
/// its test root keys pinned, two of three.
pub fn test_wallet_config() -> palmgov::config::WalletConfig {
    let (roots, threshold) = palmgov_server::wallet::test_root_keys();
    palmgov::config::WalletConfig {
        trust_roots: roots.iter().map(|k| k.to_string()).collect(),
        trust_threshold: threshold,
        bundled_trust_list: None,
        status_max_age_secs: 3 * 24 * 3600,
    }
}

/// [`open_core`], unlocked and signed in as `user` through the provider's
/// interaction pages.
pub async fn signed_in(
    dir: &Path,
    provider: &TestProvider,
    backend: &RunningServer,
    user: &str,
) -> Arc<PalmGov> {
    let gov = open_core(dir, &provider.issuer, &backend.base_url());
    sign_in(&gov, user).await;
    gov
}

/// Passes the app lock of `gov` (software, always passes), from any
/// thread, async tests included: what an app does at start.
pub fn unlock(gov: &Arc<PalmGov>) {
    let gov = gov.clone();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(gov.unlock("test".into()))
    })
    .join()
    .unwrap()
    .unwrap();
}

/// Unlocks `gov` and signs in as `user`.
pub async fn sign_in(gov: &PalmGov, user: &str) {
    gov.unlock("test".into()).await.unwrap();
    gov.identity()
        .login(
            LoginOptions::default(),
            dev_browser(user.into(), None),
            None,
        )
        .await
        .unwrap();
}

/// The region build's core: the test profile keys pinned, `bundled` in the
/// app, the shell's own server setting a placeholder the profile replaces;
/// region 330106.
pub fn open_region_core(dir: &Path, bundled: String) -> Arc<PalmGov> {
    PalmGov::open(
        PalmGovConfig {
            data_dir: dir.to_string_lossy().into_owned(),
            server: default_server_config("http://127.0.0.1:9/".into()),
            log_level: LogLevel::Warn,
            log_dependencies: false,
            lock_timeout_secs: 300,
            identity: None,
            wallet: Some(test_wallet_config()),
            region: Some(palmgov::RegionTrust {
                root_keys: palmgov_server::region::test_profile_root_keys(),
                threshold: 2,
                bundled_profile: bundled,
                region_code: "330106".into(),
                app_id: palmgov_server::region::TEST_APP_ID.into(),
                app_version: "1.0.0".into(),
            }),
        },
        Arc::new(SoftwareKeystore::from_secret(&[9; 32]).unwrap()),
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        None,
    )
    .unwrap()
}
