//! Running the backend as a process (`palmgov-server`, `palmgov serve`):
//! the command line both take, what `palmgov-server` alone takes
//! ([`ServerArgs`]), and serving until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::{AuthConfig, ServerOptions, dev_provider, edge};

/// Where the development admin token comes from when `--dev` is given:
/// this variable, or a fresh one printed at start.
pub const ADMIN_TOKEN_ENV: &str = "PALMGOV_DEV_ADMIN_TOKEN";
/// The introspection client's secret, from the environment (never the
/// command line, which other users of the machine can read).
pub const CLIENT_SECRET_ENV: &str = "PALMGOV_INTROSPECTION_SECRET";

/// The usage text both commands print.
pub const USAGE: &str = "\
usage: palmgov-server [--listen 127.0.0.1:8787] [--db server.db] [--public-url https://api.example]
                      [--issuer URL [--introspection-client ID] [--introspection-endpoint URL]
                       [--accept-client ID]... [--audience URI] [--dpop-nonce]]
                      [--licence-max-age 30d] [--catalog DIR] [--dev]
  --issuer               accept access tokens of this OpenID provider, checked by introspection
                         at the endpoint its discovery names (or --introspection-endpoint)
  --introspection-client the backend's own client at the provider (default, for a provider on loopback only: the test provider's);
                         its secret comes from PALMGOV_INTROSPECTION_SECRET
  --accept-client        a client whose tokens the API accepts (default: palmgov-app); repeatable
  --audience             the audience tokens must name (RFC 8707)
  --dpop-nonce           require server nonces in DPoP proofs (RFC 9449 section 9)
  --public-url           the origin clients reach this server at, behind a reverse proxy
  --licence-max-age      how old the key binding of a licence attached to a submission may be
                         when it arrives (seconds, or 30d, 12h, 90m; default 30d); older ones are
                         refused as licence_stale and the app binds them again
  --catalog              the service catalog to serve at /v1/catalog/ (a directory with manifest.json
                         and chunks/), read at every request (default: the demo region's,
                         regions/330106/catalog)
  --dev                  mount the development routes (/v1/dev/*), loopback only, behind an admin
                         token from PALMGOV_DEV_ADMIN_TOKEN or printed at start";

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub db: Option<PathBuf>,
    pub public_url: Option<String>,
    pub issuer: Option<String>,
    pub introspection_client: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub accept_clients: Vec<String>,
    pub audience: Option<String>,
    pub dpop_nonce: bool,
    pub dev: bool,
    /// How old an attached licence's binding may be; the default's 30 days
    /// when `None`.
    pub licence_max_age: Option<std::time::Duration>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8787".parse().expect("a valid address"),
            db: None,
            public_url: None,
            issuer: None,
            introspection_client: None,
            introspection_endpoint: None,
            accept_clients: Vec::new(),
            audience: None,
            dpop_nonce: false,
            dev: false,
            licence_max_age: None,
        }
    }
}

/// `palmgov-server`'s command line: what `palmgov serve` takes too, and
/// the catalog directory (`--catalog DIR`). `palmgov serve` builds its
/// [`ServeConfig`] field by field, so what only this binary takes rides
/// beside it rather than in it.
#[derive(Debug, Clone, Default)]
pub struct ServerArgs {
    pub config: ServeConfig,
    /// The service catalog's directory
    /// ([`crate::ServerOptions::catalog_dir`]).
    pub catalog: Option<PathBuf>,
}

impl ServerArgs {
    /// Parses `palmgov-server`'s arguments.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut a = Self::default();
        let c = &mut a.config;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--listen" => c.listen = value()?.parse().map_err(|_| "bad --listen")?,
                "--db" => c.db = Some(PathBuf::from(value()?)),
                "--public-url" => c.public_url = Some(value()?),
                "--issuer" => c.issuer = Some(value()?),
                "--introspection-client" => c.introspection_client = Some(value()?),
                "--introspection-endpoint" => c.introspection_endpoint = Some(value()?),
                "--accept-client" => c.accept_clients.push(value()?),
                "--audience" => c.audience = Some(value()?),
                "--dpop-nonce" => c.dpop_nonce = true,
                "--dev" => c.dev = true,
                "--licence-max-age" => {
                    c.licence_max_age = Some(crate::material::parse_max_age(&value()?)?)
                }
                "--catalog" => a.catalog = Some(PathBuf::from(value()?)),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(a)
    }

    /// The server options ([`ServeConfig::options`] with the catalog), and
    /// the admin token when it was generated here.
    pub fn options(&self) -> Result<(ServerOptions, Option<String>), String> {
        let (mut options, generated) = self.config.options()?;
        options.catalog_dir = self.catalog.clone();
        Ok((options, generated))
    }
}

impl ServeConfig {
    /// Parses the arguments both commands take (`--catalog` is
    /// `palmgov-server`'s alone: [`ServerArgs::parse`]).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let a = ServerArgs::parse(args)?;
        if a.catalog.is_some() {
            return Err("unknown argument --catalog".into());
        }
        Ok(a.config)
    }

    /// The server options, and the admin token when it was generated here
    /// (to print once).
    pub fn options(&self) -> Result<(ServerOptions, Option<String>), String> {
        let auth = match &self.issuer {
            None => None,
            Some(issuer) => {
                let secret = std::env::var(CLIENT_SECRET_ENV).ok();
                let (client_id, client_secret) = match (&self.introspection_client, secret) {
                    (Some(id), Some(secret)) => (id.clone(), secret),
                    (Some(_), None) => {
                        return Err(format!(
                            "--introspection-client needs its secret in {CLIENT_SECRET_ENV}"
                        ));
                    }
                    (None, Some(_)) => {
                        return Err(format!(
                            "{CLIENT_SECRET_ENV} is set: name its client with --introspection-client"
                        ));
                    }
                    // The test provider's backend client (`palmgov
                    // provider`), for a provider on this machine only: a
                    // real one would refuse it and every request would fail.
                    (None, None) if crate::auth::is_loopback_http(issuer) => (
                        dev_provider::BACKEND_CLIENT_ID.into(),
                        dev_provider::BACKEND_CLIENT_SECRET.into(),
                    ),
                    (None, None) => {
                        return Err(format!(
                            "--issuer {issuer} needs the backend's own client: \
                             --introspection-client ID, its secret in {CLIENT_SECRET_ENV}"
                        ));
                    }
                };
                let mut auth =
                    AuthConfig::new(issuer, &client_id, &client_secret, dev_provider::CLIENT_ID);
                if !self.accept_clients.is_empty() {
                    auth.accepted_clients = self.accept_clients.clone();
                }
                auth.audience = self.audience.clone();
                auth.dpop_nonce = self.dpop_nonce;
                auth.introspection_endpoint = self.introspection_endpoint.clone();
                Some(auth)
            }
        };
        let (token, generated) = match (self.dev, std::env::var(ADMIN_TOKEN_ENV).ok()) {
            (false, _) => (None, None),
            (true, Some(token)) => (Some(token), None),
            (true, None) => {
                let token = edge::new_admin_token();
                (Some(token.clone()), Some(token))
            }
        };
        Ok((
            ServerOptions {
                db_path: self.db.clone(),
                auth,
                public_origin: self.public_url.clone(),
                dev_admin_token: token,
                forms: crate::submissions::FormsOptions {
                    licence_max_age: self
                        .licence_max_age
                        .unwrap_or(crate::material::DEFAULT_LICENCE_MAX_AGE),
                    ..Default::default()
                },
                ..Default::default()
            },
            generated,
        ))
    }
}

/// Starts the server as `config` says, prints where it listens (the first
/// line, which scripts and the shells' tests read), and serves until
/// SIGINT or SIGTERM.
pub async fn serve(config: &ServeConfig, stop_hint: &str) -> Result<(), String> {
    let (options, generated) = config.options()?;
    run(config.listen, options, generated, stop_hint).await
}

/// [`serve`] for `palmgov-server`, with what it alone takes. A `--catalog`
/// that holds no manifest is served as it is (404 `no_catalog` until one
/// is published there), but said at start, on stderr: a mistyped
/// directory would otherwise look like a region without a catalog.
pub async fn serve_args(args: &ServerArgs, stop_hint: &str) -> Result<(), String> {
    let (options, generated) = args.options()?;
    if let Some(dir) = &args.catalog
        && crate::catalog_manifest_sha256(dir).is_none()
    {
        eprintln!(
            "no catalog in {} (no manifest.json): /v1/catalog/ answers 404 no_catalog",
            dir.display()
        );
    }
    run(args.config.listen, options, generated, stop_hint).await
}

async fn run(
    listen: SocketAddr,
    options: ServerOptions,
    generated: Option<String>,
    stop_hint: &str,
) -> Result<(), String> {
    let server = crate::start(listen, options)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "palmgov reference backend on {} ({stop_hint})",
        server.base_url()
    );
    if let Some(token) = generated {
        println!(
            "development routes at {}v1/dev/ with `Authorization: Bearer {token}`",
            server.base_url()
        );
    }
    stopped().await;
    Ok(())
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM (a service manager, `kill`).
pub async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<ServeConfig, String> {
        ServeConfig::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments() {
        let c = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--issuer",
            "http://127.0.0.1:8788",
            "--accept-client",
            "a",
            "--accept-client",
            "b",
            "--dpop-nonce",
            "--public-url",
            "https://api.example.gov.cn",
        ])
        .unwrap();
        let (options, generated) = c.options().unwrap();
        let auth = options.auth.unwrap();
        assert_eq!(auth.accepted_clients, ["a", "b"]);
        assert!(auth.dpop_nonce);
        assert_eq!(auth.client_id, dev_provider::BACKEND_CLIENT_ID);
        assert_eq!(
            options.public_origin.as_deref(),
            Some("https://api.example.gov.cn")
        );
        assert!(options.dev_admin_token.is_none() && generated.is_none());
        assert!(parse(&["--listen"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        // An attached licence's oldest binding: 30 days unless told.
        let days = |c: ServeConfig| c.options().unwrap().0.forms.licence_max_age.as_secs() / 86_400;
        assert_eq!(days(parse(&[]).unwrap()), 30);
        assert_eq!(days(parse(&["--licence-max-age", "7d"]).unwrap()), 7);
        assert!(parse(&["--licence-max-age", "0"]).is_err());
        assert!(parse(&["--licence-max-age", "soon"]).is_err());
        // The catalog directory is palmgov-server's own argument.
        let args = |a: &[&str]| ServerArgs::parse(a.iter().map(|s| s.to_string()));
        let catalog = args(&["--catalog", "/srv/catalog", "--dev"]).unwrap();
        assert!(catalog.config.dev);
        let (options, _) = catalog.options().unwrap();
        assert_eq!(
            options.catalog_dir.as_deref(),
            Some(std::path::Path::new("/srv/catalog"))
        );
        assert_eq!(args(&[]).unwrap().options().unwrap().0.catalog_dir, None);
        assert!(args(&["--catalog"]).is_err());
        assert!(parse(&["--catalog", "/srv/catalog"]).is_err());
        // A provider elsewhere needs the backend's own client: the test
        // provider's built-in credentials are for this machine only.
        let remote = parse(&["--issuer", "https://idp.example.gov.cn"]).unwrap();
        let refused = remote.options().unwrap_err();
        assert!(refused.contains("--introspection-client"), "{refused}");
    }
}
