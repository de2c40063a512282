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
mod db;
pub mod dev_provider;
pub mod face;
pub mod fault_proxy;
pub mod roster;
pub mod submissions;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub use auth::{AuthConfig, Authenticator};
pub use db::{Db, RegionSeed};
pub use face::{FaceOptions, FaceService};
pub use roster::{AssignedHousehold, HouseholdBody};
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
    /// The identity provider whose tokens the API accepts; without it every
    /// authenticated route answers 401.
    pub auth: Option<AuthConfig>,
    /// The region's acr values for L2..L5, as its provider names them.
    pub acr_levels: Vec<String>,
    pub face: FaceOptions,
    /// The published forms and the levels their submissions need.
    pub forms: FormsOptions,
    /// The origin clients reach the API at (`http://host:port`), when a
    /// reverse proxy fronts the server; DPoP proofs name it. Defaults to the
    /// address the server listens on.
    pub public_origin: Option<String>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            db_path: None,
            region: RegionSeed::demo(),
            auth: None,
            acr_levels: (2..=5).map(|n| format!("urn:palmgov:loa:{n}")).collect(),
            face: FaceOptions::default(),
            forms: FormsOptions::default(),
            public_origin: None,
        }
    }
}

/// What the handlers share.
pub struct AppState {
    pub db: Db,
    pub auth: Option<Authenticator>,
    /// `http://host:port`, for checking DPoP proofs' `htu`.
    pub origin: String,
    pub acr_levels: Vec<String>,
    pub face: FaceService,
    pub submissions: Submissions,
}

impl AppState {
    /// The caller's assurance level now: the provider's `acr`, raised by a
    /// current face verdict, which is authoritative for backend operations.
    fn level_of(&self, caller: &auth::Caller) -> (u8, Option<i64>) {
        let provider = caller
            .acr
            .as_deref()
            .and_then(|a| self.acr_levels.iter().position(|l| l == a))
            .map_or(2, |i| i as u8 + 2);
        match self.face.verdict_for(&caller.subject) {
            Some((level, until)) => (provider.max(level), Some(until)),
            None => (provider, None),
        }
    }
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
}

/// Binds `addr` and serves on the current tokio runtime until the returned
/// handle is dropped.
pub async fn start(addr: SocketAddr, options: ServerOptions) -> Result<RunningServer, StartError> {
    let db = Db::open(options.db_path.as_deref(), &options.region)?;
    let submissions = Submissions::open(options.db_path.as_deref(), &options.forms)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let l4 = options
        .acr_levels
        .get(usize::from(face::FACE_LEVEL - 2))
        .cloned()
        .unwrap_or_default();
    let state = Arc::new(AppState {
        db,
        auth: options.auth.map(Authenticator::new),
        origin: options
            .public_origin
            .unwrap_or_else(|| format!("http://{addr}")),
        acr_levels: options.acr_levels,
        face: FaceService::new(options.face, l4),
        submissions,
    });
    let app = router(state.clone());
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

/// The API routes, for embedding in another server or a test.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/config", get(config))
        .route("/v1/me", get(me))
        .route("/v1/assurance/{level}", get(assurance))
        .route("/v1/face/jwks", get(face_jwks))
        .route("/v1/face/challenges", post(face_challenge))
        .route("/v1/face/challenges/{id}/verify", post(face_verify))
        .route("/v1/forms", get(forms_catalog))
        .route("/v1/forms/{id}/{version}", get(form_definition))
        .route("/v1/submissions/{id}", put(put_submission))
        .route(
            "/v1/submissions/{id}/attachments/{attachment}",
            put(put_attachment),
        )
        .route("/v1/applications", get(applications))
        .route("/v1/roster", get(roster))
        .route("/v1/roster/households/{id}", put(put_household))
        .route("/v1/dev/roster/{worker}", put(dev_assign_roster))
        .route("/v1/dev/applications/{id}/status", post(dev_set_status))
        .route("/v1/dev/submissions", get(dev_inventory))
        .layer(axum::extract::DefaultBodyLimit::max(
            submissions::MAX_SUBMISSION,
        ))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found") })
        .with_state(state)
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "api_version": API_VERSION,
    }))
}

async fn config(State(state): State<Arc<AppState>>) -> Response {
    match state.db.region_config() {
        Ok(Some(body)) => Json(body).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "no_region"),
        Err(e) => {
            tracing::error!("config query failed: {e}");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

/// A handler's reply: the error arm carries a ready reply (401, 403, 422…),
/// so handlers can use `?`.
type Reply = Result<Response, Response>;

/// The API error reply for a service's refusal.
fn refused((status, code): auth::Refusal) -> Response {
    error(status, code)
}

/// The authenticated caller as the backend sees them: proves to the app (and
/// the tests) that its tokens and DPoP proofs are accepted.
async fn me(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Reply {
    let c = caller(&state, &method, &uri, &headers).await?;
    let (level, face_until_ms) = state.level_of(&c);
    Ok(Json(json!({
        "sub": c.subject, "dpop_bound": c.dpop, "level": level,
        "face_verified_until_ms": face_until_ms,
    }))
    .into_response())
}

/// An operation that needs assurance `level`: 200 when the caller has it
/// now, otherwise 403 `level_required` naming the level, which the core
/// turns into a typed error for the app to step up.
async fn assurance(
    State(state): State<Arc<AppState>>,
    Path(level): Path<u8>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Reply {
    let c = caller(&state, &method, &uri, &headers).await?;
    let (have, face_until_ms) = state.level_of(&c);
    if have < level {
        let body = json!({"error": "level_required", "level": level});
        return Err((StatusCode::FORBIDDEN, Json(body)).into_response());
    }
    Ok(Json(json!({"level": have, "face_verified_until_ms": face_until_ms})).into_response())
}

async fn face_jwks(State(state): State<Arc<AppState>>) -> Response {
    Json(state.face.jwks()).into_response()
}

async fn face_challenge(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let (c, request) = authorized_json(&state, &method, &uri, &headers, &body).await?;
    let challenge = state.face.challenge(&c, &request).map_err(refused)?;
    Ok((StatusCode::CREATED, Json(challenge)).into_response())
}

async fn face_verify(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let (c, request) = authorized_json(&state, &method, &uri, &headers, &body).await?;
    let judgement = state.face.verify(&c, &id, &request).map_err(refused)?;
    Ok(Json(judgement).into_response())
}

async fn forms_catalog(State(state): State<Arc<AppState>>) -> Response {
    Json(state.submissions.catalog()).into_response()
}

async fn form_definition(
    State(state): State<Arc<AppState>>,
    Path((id, version)): Path<(String, u32)>,
) -> Response {
    match state.submissions.definition(&id, version) {
        Some(body) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        None => error(StatusCode::NOT_FOUND, "unknown_form"),
    }
}

/// Stores a submission (idempotent by instance id and content hash) and
/// answers with its receipt.
async fn put_submission(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let c = caller(&state, &method, &uri, &headers).await?;
    let (level, _) = state.level_of(&c);
    Ok(stored(
        blocking(move || state.submissions.put(&c, level, &id, &body)).await,
    ))
}

/// Runs a storing call (SQLite under a mutex, an fsync at commit) on the
/// blocking pool. On a runtime worker it would hold that worker for the
/// fsync, and the other requests waiting on the mutex would hold the rest:
/// everything else the runtime serves (here also the fault proxy in the
/// tests and benches) would stop with them.
async fn blocking(
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
fn stored(outcome: Result<(StatusCode, Value), (StatusCode, Value)>) -> Response {
    let (Ok((status, body)) | Err((status, body))) = outcome;
    (status, Json(body)).into_response()
}

async fn put_attachment(
    State(state): State<Arc<AppState>>,
    Path((id, attachment)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let c = caller(&state, &method, &uri, &headers).await?;
    let range = headers
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(stored(
        blocking(move || {
            state
                .submissions
                .put_part(&c, &id, &attachment, range.as_deref(), &body)
                .map(|held| (StatusCode::OK, held))
        })
        .await,
    ))
}

#[derive(serde::Deserialize)]
struct Ids {
    #[serde(default)]
    ids: String,
}

async fn applications(
    State(state): State<Arc<AppState>>,
    axum::extract::Query(q): axum::extract::Query<Ids>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Reply {
    let c = caller(&state, &method, &uri, &headers).await?;
    Ok(Json(state.submissions.applications(&c, &q.ids)).into_response())
}

/// The caller's households: assigned by the township, and added by them.
async fn roster(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Reply {
    let c = caller(&state, &method, &uri, &headers).await?;
    Ok(Json(state.submissions.roster(&c)).into_response())
}

/// A household the worker added on the phone (idempotent by its id).
async fn put_household(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let c = caller(&state, &method, &uri, &headers).await?;
    Ok(stored(state.submissions.put_household(&c, &id, &body)))
}

#[derive(serde::Deserialize)]
struct Assignment {
    households: Vec<roster::AssignedHousehold>,
}

/// Reference backend only: stands in for the township assigning a grid.
async fn dev_assign_roster(
    State(state): State<Arc<AppState>>,
    Path(worker): Path<String>,
    Json(a): Json<Assignment>,
) -> Response {
    if state.submissions.assign_roster(&worker, &a.households) {
        Json(json!({"worker": worker, "households": a.households.len()})).into_response()
    } else {
        error(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
}

#[derive(serde::Deserialize)]
struct NewStatus {
    status: String,
    note: Option<String>,
}

/// Reference backend only: stands in for a caseworker moving a case on.
async fn dev_set_status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Json(s): Json<NewStatus>,
) -> Response {
    if state
        .submissions
        .set_status(&id, &s.status, s.note.as_deref())
    {
        Json(json!({"instance_id": id, "status": s.status})).into_response()
    } else {
        error(StatusCode::NOT_FOUND, "unknown_submission")
    }
}

/// Reference backend only: every stored submission, for tests and the demo.
async fn dev_inventory(State(state): State<Arc<AppState>>) -> Response {
    Json(state.submissions.inventory()).into_response()
}

/// Authenticates a request and parses its JSON body, or gives the reply to
/// send instead (401/503, or 422 `invalid_request`).
async fn authorized_json<T: serde::de::DeserializeOwned>(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(auth::Caller, T), Response> {
    let c = caller(state, method, uri, headers).await?;
    let request = serde_json::from_slice(body)
        .map_err(|_| error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"))?;
    Ok((c, request))
}

/// Authenticates a request, or gives the 401/503 reply to send instead.
async fn caller(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<auth::Caller, Response> {
    let Some(auth) = &state.auth else {
        return Err(error(StatusCode::UNAUTHORIZED, "invalid_token"));
    };
    let url = format!("{}{}", state.origin, uri.path());
    auth.authenticate(headers, method, &url)
        .await
        .map_err(|refusal| {
            let status = refusal.0;
            let mut reply = refused(refusal);
            if status == StatusCode::UNAUTHORIZED {
                reply.headers_mut().insert(
                    "www-authenticate",
                    axum::http::HeaderValue::from_static("DPoP algs=\"ES256\", Bearer"),
                );
            }
            reply
        })
}

/// The API's error body: a stable code the core can log, never user data.
fn error(status: StatusCode, code: &str) -> Response {
    (status, Json(json!({ "error": code }))).into_response()
}
