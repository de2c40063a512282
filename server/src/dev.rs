//! Development routes (`/v1/dev/*`): the reference backend's stand-ins for
//! a township assigning a grid and a caseworker moving a case on, and an
//! inventory for the demo and the tests. A region's backend has none of
//! these.
//!
//! They read and change every resident's data, so they are mounted only
//! when the server is started with an admin token
//! ([`crate::ServerOptions::dev_admin_token`]), only on loopback, and each
//! request must present the token (`Authorization: Bearer …`).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use serde_json::json;

use crate::roster::AssignedHousehold;
use crate::submissions::StatusChange;
use crate::{AppState, edge, error};

/// The development routes, each behind the admin token.
pub(crate) fn routes(state: Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/dev/roster/{worker}", put(assign_roster))
        .route("/v1/dev/applications/{id}/status", post(set_status))
        .route("/v1/dev/submissions", get(inventory))
        .route(
            "/v1/dev/region/profile",
            put(crate::region::dev_set_profile),
        )
        .route(
            "/v1/dev/licences/status",
            post(crate::wallet::dev_set_status),
        )
        .route("/v1/dev/licences/change", post(crate::wallet::dev_change))
        .route(
            "/v1/dev/wallet/verifiers",
            post(crate::wallet::dev_register_verifier),
        )
        .route(
            "/v1/dev/wallet/bindings/{subject}",
            delete(crate::wallet::dev_revoke_bindings),
        )
        .route_layer(axum::middleware::from_fn_with_state(state, admin_only))
}

/// 401 unless the request presents the admin token.
async fn admin_only(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    match &state.dev_admin_token {
        Some(token) if edge::admin_allowed(request.headers(), token) => next.run(request).await,
        _ => error(StatusCode::UNAUTHORIZED, "admin_token_required"),
    }
}

/// A grid to assign: the households themselves, or the first `sample`
/// households of the reference backend's sample village (what the shells'
/// tests assign, so every test suite meets the same families).
#[derive(serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum Assignment {
    Households { households: Vec<AssignedHousehold> },
    Sample { sample: usize },
}

/// `PUT /v1/dev/roster/{worker}`: the township assigns a grid.
pub(crate) async fn assign_roster(
    State(state): State<Arc<AppState>>,
    Path(worker): Path<String>,
    Json(a): Json<Assignment>,
) -> Response {
    let households = match a {
        Assignment::Households { households } => households,
        Assignment::Sample { sample } => AssignedHousehold::sample(sample.min(1000)),
    };
    if state.roster.assign(&worker, &households) {
        Json(json!({"worker": worker, "households": households.len()})).into_response()
    } else {
        error(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }
}

/// `POST /v1/dev/applications/{id}/status`: a caseworker moves a case on,
/// perhaps asking for materials by a date (补正).
pub(crate) async fn set_status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    crate::JsonBody(change): crate::JsonBody<StatusChange>,
) -> Response {
    crate::stored(
        crate::blocking(
            move || match state.submissions.change_status(&id, &change) {
                Ok(()) => Ok((
                    StatusCode::OK,
                    json!({"instance_id": id, "status": change.status}),
                )),
                Err((status, code)) => Err((status, json!({ "error": code }))),
            },
        )
        .await,
    )
}

/// `GET /v1/dev/submissions`: every stored submission.
pub(crate) async fn inventory(State(state): State<Arc<AppState>>) -> Response {
    Json(state.submissions.inventory()).into_response()
}
