//! The local OpenID provider for development, tests and the demo: npm
//! `oidc-provider` (OpenID certified) configured by `tests/oidc/provider.mjs`
//! like a region's provider (native public client, PKCE, DPoP, rotation,
//! revocation). Like the rest of this crate it is a reference for
//! development, not a production identity service.

/// The real OpenID provider (`tests/oidc/provider.mjs`, npm `oidc-provider`)
/// running on a loopback port; killed when dropped.
pub struct DevProvider {
    child: std::process::Child,
    /// Node's stdin: it exits when this closes, so a provider never
    /// outlives the process that started it, however that process ends.
    _lifeline: std::process::ChildStdin,
    /// The issuer, e.g. `http://127.0.0.1:40123`.
    pub issuer: String,
    /// Where it listens: the issuer's address unless
    /// [`ProviderOptions::issuer`] named a proxy in front of it.
    pub listening: std::net::SocketAddr,
}

/// How to start a [`DevProvider`].
#[derive(Debug, Clone)]
pub struct ProviderOptions {
    /// 0: any free port.
    pub port: u16,
    pub access_ttl_secs: u32,
    /// Append every request line served to this file.
    pub log_urls: Option<std::path::PathBuf>,
    /// The issuer to name itself by, when clients reach it through a proxy.
    pub issuer: Option<String>,
    /// Rotate refresh tokens strictly (the default), or keep them valid.
    pub rotate_refresh_tokens: bool,
    /// Serve introspection at this path instead of oidc-provider's
    /// default, as other providers do.
    pub introspection_path: Option<String>,
    /// The backend's client (id, secret) instead of [`BACKEND_CLIENT_ID`].
    pub backend_client: Option<(String, String)>,
}

impl Default for ProviderOptions {
    fn default() -> Self {
        Self {
            port: 0,
            access_ttl_secs: 600,
            log_urls: None,
            issuer: None,
            rotate_refresh_tokens: true,
            introspection_path: None,
            backend_client: None,
        }
    }
}

/// Where `provider.mjs` and its `node_modules` are: `PALMGOV_OIDC_DIR`, or
/// `tests/oidc` of this source tree.
fn provider_dir() -> std::path::PathBuf {
    std::env::var_os("PALMGOV_OIDC_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/oidc"))
}

/// How long the provider may take to print its banner (it takes ~0.3 s).
const START_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// The provider's registered client and redirect (see provider.mjs).
pub const CLIENT_ID: &str = "palmgov-app";
pub const REDIRECT_URI: &str = "org.palmgov.app:/oauth2redirect";
/// The reference backend's confidential client, for token introspection.
pub const BACKEND_CLIENT_ID: &str = "palmgov-backend";
pub const BACKEND_CLIENT_SECRET: &str = "palmgov-backend-secret";

/// The backend's settings for trusting the app's tokens from the provider
/// at `issuer`: the introspection endpoint from its discovery, the
/// backend's test credentials, tokens of [`CLIENT_ID`] only.
pub fn backend_auth(issuer: &str) -> crate::AuthConfig {
    crate::AuthConfig::new(issuer, BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET, CLIENT_ID)
}

impl DevProvider {
    /// Starts the provider on any free port with access tokens living
    /// `access_ttl_secs`. Panics with what to do when it is not installed:
    /// tests should fail loudly, never skip.
    pub fn start(access_ttl_secs: u32) -> Self {
        Self::try_start(0, access_ttl_secs).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the provider and has it append every request line it serves
    /// (`METHOD target`) to `log`: tests read it for data that must never
    /// travel in a URL.
    pub fn start_logging_urls(access_ttl_secs: u32, log: &std::path::Path) -> Self {
        Self::start_with(ProviderOptions {
            access_ttl_secs,
            log_urls: Some(log.to_path_buf()),
            ..Default::default()
        })
    }

    /// Starts the provider as `options` say; panics when it cannot.
    pub fn start_with(options: ProviderOptions) -> Self {
        Self::spawn(&options).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the provider on `port` (0: any free one).
    pub fn try_start(port: u16, access_ttl_secs: u32) -> Result<Self, String> {
        Self::spawn(&ProviderOptions {
            port,
            access_ttl_secs,
            ..Default::default()
        })
    }

    /// Starts node on provider.mjs, waiting at most [`START_TIMEOUT`] for
    /// its banner, twice. Node 20 can deadlock at start in its key
    /// generation (a KeyGenJob's destructor waits on a lock during a
    /// garbage collection inside `generateKeyPairSync`; seen once in a few
    /// hundred starts here): the provider then listens but never prints,
    /// and a test would wait forever.
    fn spawn(options: &ProviderOptions) -> Result<Self, String> {
        match Self::spawn_once(options) {
            Err(e) if e.contains("did not start in time") => Self::spawn_once(options),
            other => other,
        }
    }

    fn spawn_once(options: &ProviderOptions) -> Result<Self, String> {
        use std::io::BufRead;
        let dir = provider_dir();
        if !dir.join("node_modules/oidc-provider").exists() {
            return Err(format!(
                "the test OpenID provider is not installed in {}: run `npm ci --prefix tests/oidc` (scripts/test and scripts/demo do)",
                dir.display()
            ));
        }
        let mut child = std::process::Command::new("node")
            .arg(dir.join("provider.mjs"))
            .args(["--port", &options.port.to_string()])
            .args(["--access-ttl", &options.access_ttl_secs.to_string()])
            .args(
                (options.log_urls.as_ref())
                    .map(|l| ["--log-urls".as_ref(), l.as_os_str()])
                    .into_iter()
                    .flatten(),
            )
            .args(
                (options.issuer.as_ref())
                    .map(|i| ["--issuer", i.as_str()])
                    .into_iter()
                    .flatten(),
            )
            .args(if options.rotate_refresh_tokens {
                ["--rotation", "strict"]
            } else {
                ["--rotation", "none"]
            })
            .args(
                (options.introspection_path.as_ref())
                    .map(|p| ["--introspection-path", p.as_str()])
                    .into_iter()
                    .flatten(),
            )
            .args(
                (options.backend_client.as_ref())
                    .map(|(id, secret)| ["--backend-client".to_string(), format!("{id}:{secret}")])
                    .into_iter()
                    .flatten(),
            )
            .arg("--exit-with-stdin")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run node for the test OpenID provider: {e}"))?;
        let stdout = child.stdout.take().ok_or("no provider output")?;
        let lifeline = child.stdin.take().ok_or("no provider input")?;
        let (banner, first_line) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = std::io::BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = banner.send(line);
            // Keep draining: oidc-provider prints notices later, and a
            // closed pipe would kill it with EPIPE in the middle of a test.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let Ok(line) = first_line.recv_timeout(START_TIMEOUT) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the test OpenID provider did not start in time".into());
        };
        // `palmgov test provider listening http://127.0.0.1:PORT on ISSUER`
        let words: Vec<&str> = line.split_whitespace().collect();
        let listening = words
            .iter()
            .position(|w| *w == "listening")
            .and_then(|i| words.get(i + 1))
            .and_then(|u| u.strip_prefix("http://"))
            .and_then(|a| a.parse().ok());
        match (words.last(), listening) {
            (Some(url), Some(listening)) if url.starts_with("http://127.0.0.1:") => Ok(Self {
                issuer: url.to_string(),
                listening,
                child,
                _lifeline: lifeline,
            }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("the test OpenID provider did not start: {line:?}"))
            }
        }
    }
}

impl Drop for DevProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
