//! # palmgov reference backend
//!
//! A reference and development implementation of the API the core speaks,
//! documented in `server/openapi.yaml`. It serves the CLI demo, the tests
//! and local development. It is **not** a production government platform:
//! no multi-tenant isolation, no audit trail, no hardening.
//!
//! Tests start it with [`start`] on `127.0.0.1:0` (an ephemeral port); the
//! CLI demo runs it in-process the same way.

pub mod auth;
pub mod catalog;
mod dev;
pub mod dev_provider;
pub mod edge;
pub mod face;
pub mod fault_proxy;
pub mod material;
mod me;
pub mod region;
pub mod roster;
pub mod serve;
mod store;
pub mod submissions;
#[cfg(test)]
mod test_http;
pub mod wallet;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub use auth::{AuthConfig, Authenticator, Caller};
pub use catalog::catalog_manifest_sha256;
pub use face::{FaceOptions, FaceService};
pub use region::{RegionProfileSeed, RegionSeed, RegionStore};
pub use roster::{AssignedHousehold, HouseholdBody, Roster, SamplePerson, sample_person};
pub use submissions::{FormsOptions, Submissions};

/// The API version this server implements; the core checks it.
pub const API_VERSION: u32 = 1;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Where to keep the SQLite database; `None` keeps it in memory.
    pub db_path: Option<PathBuf>,
    /// The region this server answers for.
    pub region: RegionSeed,
    /// The region's signed profile (`GET /v1/region/profile`); without
    /// one that route answers 404 `no_region_profile`.
    pub region_profile: Option<RegionProfileSeed>,
    /// The identity provider whose tokens the API accepts; without it every
    /// authenticated route answers 401.
    pub auth: Option<AuthConfig>,
    /// The region's acr values for L2..L5, as its provider names them.
    pub acr_levels: Vec<String>,
    pub face: FaceOptions,
    /// The published forms, the levels their submissions need, and how old
    /// a licence attached to a submission may be bound
    /// (`forms.licence_max_age`).
    pub forms: FormsOptions,
    /// The origin clients reach the API at (`http://host:port`), when a
    /// reverse proxy fronts the server; DPoP proofs name it. Defaults to the
    /// address the server listens on.
    pub public_origin: Option<String>,
    /// Where to record every request line served (`METHOD target`), for
    /// tests that look for data that must never travel in a URL.
    pub request_log: Option<RequestLog>,
    /// Mounts the development routes (`/v1/dev/*`: assign a roster, move
    /// a case on, list every submission) behind this admin token. `None`
    /// (the default) leaves them out; with a token, the server refuses to
    /// listen anywhere but on loopback. The demo and the tests set it.
    pub dev_admin_token: Option<String>,
    /// The e-licence issuer's test mode (deterministic salts).
    pub wallet: wallet::WalletOptions,
    /// The service catalog's directory (`manifest.json`, `chunks/`), served
    /// at `/v1/catalog/`; `None` serves the demo region's bundled one
    /// ([`catalog::DEFAULT_CATALOG_DIR`]). Read at every request, so a
    /// catalog published into it is served without a restart; while it is
    /// missing, the catalog routes answer 404 `no_catalog`.
    pub catalog_dir: Option<PathBuf>,
}

/// The request lines a server served, in order.
pub type RequestLog = Arc<std::sync::Mutex<Vec<String>>>;

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            db_path: None,
            region: RegionSeed::demo(),
            region_profile: None,
            auth: None,
            acr_levels: (2..=5).map(|n| format!("urn:palmgov:loa:{n}")).collect(),
            face: FaceOptions::default(),
            forms: FormsOptions::default(),
            public_origin: None,
            request_log: None,
            dev_admin_token: None,
            wallet: wallet::WalletOptions::default(),
            catalog_dir: None,
        }
    }
}

/// What the handlers share.
pub struct AppState {
    pub region: RegionStore,
    pub auth: Option<Authenticator>,
    /// `http://host:port`, for checking DPoP proofs' `htu`.
    pub origin: String,
    pub acr_levels: Vec<String>,
    pub face: FaceService,
    pub submissions: Submissions,
    pub roster: Roster,
    pub wallet: Arc<wallet::WalletService>,
    /// The development routes' admin token, when they are mounted.
    pub dev_admin_token: Option<String>,
    /// Where the service catalog is read from at each request.
    pub catalog_dir: PathBuf,
}

/// A server running on a tokio runtime; dropping it stops it.
pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    state: Arc<AppState>,
}

impl RunningServer {
    /// The base URL the core should be configured with.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The submissions the server holds, for the demo and tests to check.
    pub fn submissions(&self) -> &Submissions {
        &self.state.submissions
    }

    /// Face checks: the consents recorded, for the demo and tests to check.
    pub fn face(&self) -> &FaceService {
        &self.state.face
    }

    /// The e-licence issuer, for the demo and tests to revoke and suspend.
    pub fn wallet(&self) -> &wallet::WalletService {
        &self.state.wallet
    }

    /// The region's configuration and signed profile, for the demo and
    /// tests to roll the profile forward ([`RegionStore::set_profile`]).
    pub fn region(&self) -> &RegionStore {
        &self.state.region
    }

    /// The workers' households, for the demo and tests to set up and check.
    pub fn roster(&self) -> &Roster {
        &self.state.roster
    }

    /// The `Authorization` value the development routes want, when they
    /// are mounted.
    pub fn dev_authorization(&self) -> Option<String> {
        (self.state.dev_admin_token.as_ref()).map(|t| format!("Bearer {t}"))
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Errors starting the server.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("listen: {0}")]
    Io(#[from] std::io::Error),
    #[error("identity: {0}")]
    Auth(#[from] auth::AuthSetupError),
    #[error(
        "the development routes are for this machine only: listen on 127.0.0.1 or ::1, or leave them off"
    )]
    DevRoutesOffLoopback,
    #[error(
        "the development admin token must be at least {} characters",
        edge::MIN_ADMIN_TOKEN
    )]
    WeakAdminToken,
    #[error("the public URL must be an http(s) origin such as https://api.example.gov.cn")]
    BadPublicOrigin,
}

/// Binds `addr` and serves on the current tokio runtime until the returned
/// handle is dropped.
pub async fn start(addr: SocketAddr, options: ServerOptions) -> Result<RunningServer, StartError> {
    if let Some(token) = &options.dev_admin_token {
        if !addr.ip().is_loopback() {
            return Err(StartError::DevRoutesOffLoopback);
        }
        if token.len() < edge::MIN_ADMIN_TOKEN {
            return Err(StartError::WeakAdminToken);
        }
    }
    let public_origin = options
        .public_origin
        .as_deref()
        .map(public_origin)
        .transpose()?;
    let auth = options
        .auth
        .map(|a| Authenticator::new(a, options.db_path.as_deref()))
        .transpose()?;
    let region = RegionStore::open(options.db_path.as_deref(), &options.region)?;
    region.set_profile(options.region_profile);
    let submissions = Submissions::open(options.db_path.as_deref(), &options.forms)?;
    let roster = Roster::open(options.db_path.as_deref())?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let l4 = options
        .acr_levels
        .get(usize::from(face::FACE_LEVEL - 2))
        .cloned()
        .unwrap_or_default();
    let state = Arc::new(AppState {
        region,
        auth,
        origin: public_origin.unwrap_or_else(|| format!("http://{addr}")),
        acr_levels: options.acr_levels,
        face: FaceService::open(options.db_path.as_deref(), options.face, l4)?,
        submissions,
        roster,
        wallet: Arc::new(wallet::WalletService::open(
            options.db_path.as_deref(),
            options.wallet,
        )?),
        dev_admin_token: options.dev_admin_token,
        catalog_dir: options
            .catalog_dir
            .unwrap_or_else(|| PathBuf::from(catalog::DEFAULT_CATALOG_DIR)),
    });
    let mut app = router(state.clone());
    if let Some(log) = options.request_log {
        app = app.layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let line = format!("{} {}", request.method(), request.uri());
                log.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                next.run(request)
            },
        ));
    }
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    tracing::info!(%addr, "reference backend listening");
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        state,
    })
}

/// The API routes, for embedding in another server or a test. Each
/// handler lives beside its domain; a handler that takes a [`Caller`] is
/// authenticated before it runs. The development routes are there only
/// with an admin token, and only for requests that present it.
pub fn router(state: Arc<AppState>) -> Router {
    let mut api = Router::new()
        .route("/v1/health", get(region::health))
        .route("/v1/config", get(region::config))
        .route("/v1/region/profile", get(region::profile))
        .route("/v1/catalog/manifest.json", get(catalog::manifest))
        .route("/v1/catalog/chunks/{*name}", get(catalog::chunk))
        .route("/v1/me", get(me::me))
        .route("/v1/assurance/{level}", get(me::assurance))
        .route("/v1/face/jwks", get(face::jwks))
        .route("/v1/face/challenges", post(face::challenge))
        .route("/v1/face/challenges/{id}/verify", post(face::verify))
        .route("/v1/forms", get(submissions::catalog))
        .route("/v1/forms/{id}/{version}", get(submissions::definition))
        .route("/v1/submissions/{id}", put(submissions::put))
        .route(
            "/v1/submissions/{id}/attachments/{attachment}",
            put(submissions::put_attachment),
        )
        .route("/v1/applications", get(submissions::applications))
        .route("/v1/roster", get(roster::list))
        .route("/v1/roster/households/{id}", put(roster::put_household))
        .route("/v1/wallet/nonce", post(wallet::nonce))
        .route("/v1/wallet/licences", post(wallet::fetch))
        .route("/v1/wallet/trust-list", get(wallet::trust_list))
        .route("/v1/wallet/roots", get(wallet::roots))
        .route("/v1/wallet/status-lists/{id}", get(wallet::status))
        .route("/v1/wallet/bindings", get(wallet::bindings))
        .route("/v1/wallet/presentations", post(wallet::relay))
        .route("/v1/wallet/presentations/{reference}", get(wallet::resolve))
        .route(
            "/v1/wallet/bindings/{kid}",
            axum::routing::delete(wallet::revoke_binding),
        );
    if state.dev_admin_token.is_some() {
        api = api.merge(dev::routes(state.clone()));
    }
    let nonces = state.auth.as_ref().is_some_and(Authenticator::wants_nonce);
    let mut app = api
        .layer(axum::extract::DefaultBodyLimit::max(
            submissions::MAX_SUBMISSION,
        ))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found") })
        .with_state(state.clone());
    if nonces {
        // RFC 9449 section 9: a fresh nonce with every reply, so a client
        // that has one never needs the extra round trip.
        app = app.layer(axum::middleware::map_response(
            move |mut reply: Response| {
                let state = state.clone();
                async move {
                    if let Some(auth) = &state.auth
                        && let Ok(v) = auth.current_nonce().parse()
                    {
                        reply.headers_mut().insert("dpop-nonce", v);
                    }
                    reply
                }
            },
        ));
    }
    app.layer(axum::middleware::from_fn(edge::json_errors))
        .layer(axum::middleware::from_fn(edge::limit_uri))
}

/// The origin of a public URL (`--public-url`): scheme, host and port,
/// which DPoP proofs name, without a path or a trailing slash.
fn public_origin(url: &str) -> Result<String, StartError> {
    let (scheme, rest) = url.split_once("://").ok_or(StartError::BadPublicOrigin)?;
    let host = rest.trim_end_matches('/');
    if !matches!(scheme, "http" | "https")
        || host.is_empty()
        || host.contains(['/', '?', '#', '@', ' '])
    {
        return Err(StartError::BadPublicOrigin);
    }
    Ok(format!("{scheme}://{host}"))
}

/// A handler's reply: the error arm carries a ready reply (401, 403, 422…),
/// so handlers can use `?`.
pub(crate) type Reply = Result<Response, Response>;

/// The API error reply for a service's refusal.
pub(crate) fn refused((status, code): auth::Refusal) -> Response {
    error(status, code)
}

/// The authenticated caller, as a handler's argument: the access token
/// introspected at the provider and its DPoP proof checked against this
/// request, or the 401/503 reply to send instead.
impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(auth) = &state.auth else {
            return Err(error(StatusCode::UNAUTHORIZED, "invalid_token"));
        };
        let url = format!("{}{}", state.origin, parts.uri.path());
        let caller = auth
            .authenticate(&parts.headers, &parts.method, &url)
            .await
            .map_err(|refusal| {
                let status = refusal.0;
                let mut reply = refused(refusal);
                let headers = reply.headers_mut();
                if refusal == auth::USE_NONCE {
                    // RFC 9449 section 9: the nonce to retry with.
                    headers.insert(
                        "www-authenticate",
                        axum::http::HeaderValue::from_static(
                            "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"",
                        ),
                    );
                    if let Ok(v) = auth.current_nonce().parse() {
                        headers.insert("dpop-nonce", v);
                    }
                } else if status == StatusCode::UNAUTHORIZED {
                    headers.insert(
                        "www-authenticate",
                        axum::http::HeaderValue::from_static("DPoP algs=\"ES256\", Bearer"),
                    );
                }
                reply
            })?;
        // A phone reported lost: its session is refused everywhere, not
        // only by the wallet (its tokens are bound to its DPoP key).
        if caller
            .session_key
            .as_deref()
            .is_some_and(|key| state.wallet.session_revoked(key))
        {
            return Err(error(StatusCode::UNAUTHORIZED, "session_revoked"));
        }
        Ok(caller)
    }
}

/// A JSON request body, parsed: 415 when it does not say it is JSON, 422
/// `invalid_request` when it is not (the API's error body, not axum's
/// plain-text rejection).
pub(crate) struct JsonBody<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        edge::require_media_type(request.headers(), "application/json")?;
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|_| error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"))
    }
}

/// Runs a storing call (SQLite under a mutex, an fsync at commit) on the
/// blocking pool. On a runtime worker it would hold that worker for the
/// fsync, and the other requests waiting on the mutex would hold the rest:
/// everything else the runtime serves (here also the fault proxy in the
/// tests and benches) would stop with them.
pub(crate) async fn blocking(
    call: impl FnOnce() -> Result<(StatusCode, Value), (StatusCode, Value)> + Send + 'static,
) -> Result<(StatusCode, Value), (StatusCode, Value)> {
    tokio::task::spawn_blocking(call).await.unwrap_or_else(|_| {
        Err((
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "error": "internal" }),
        ))
    })
}

/// A storing call's outcome as the reply: its status and JSON either way.
pub(crate) fn stored(outcome: Result<(StatusCode, Value), (StatusCode, Value)>) -> Response {
    let (Ok((status, body)) | Err((status, body))) = outcome;
    (status, Json(body)).into_response()
}

/// The API's error body: a stable code the core can log, never user data.
pub(crate) fn error(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}
