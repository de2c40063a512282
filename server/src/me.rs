//! The caller as the backend sees them (`GET /v1/me`), and operations that
//! need an assurance level (`GET /v1/assurance/{level}?operation=…`): the
//! provider's `acr`, raised for an operation by a current face verdict
//! issued for it, which is authoritative for backend operations.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::json;

use crate::auth::Caller;
use crate::{AppState, Reply};

/// The level the provider authenticated the caller at.
fn provider_level(state: &AppState, caller: &Caller) -> u8 {
    caller
        .acr
        .as_deref()
        .and_then(|a| state.acr_levels.iter().position(|l| l == a))
        .map_or(2, |i| i as u8 + 2)
}

/// The caller's assurance level for `operation` now, and until when a face
/// verdict issued for that operation raises it. Without an operation, no
/// verdict counts.
pub(crate) fn level_of(
    state: &AppState,
    caller: &Caller,
    operation: Option<&str>,
) -> (u8, Option<i64>) {
    let provider = provider_level(state, caller);
    match operation.and_then(|op| state.face.verdict_for(&caller.subject, op)) {
        Some((level, until)) => (provider.max(level), Some(until)),
        None => (provider, None),
    }
}

/// `GET /v1/me`: proves to the app (and the tests) that its tokens and DPoP
/// proofs are accepted.
pub(crate) async fn me(State(state): State<Arc<AppState>>, caller: Caller) -> Reply {
    let level = provider_level(&state, &caller);
    let face_until_ms = state.face.latest_verdict(&caller.subject);
    Ok(Json(json!({
        "sub": caller.subject, "dpop_bound": caller.dpop, "level": level,
        "face_verified_until_ms": face_until_ms,
    }))
    .into_response())
}

#[derive(serde::Deserialize)]
pub(crate) struct Operation {
    operation: Option<String>,
}

/// `GET /v1/assurance/{level}?operation=…`: 200 when the caller has
/// `level` for the operation now, otherwise 403 `level_required` naming
/// the level, which the core turns into a typed error for the app to step
/// up.
pub(crate) async fn assurance(
    State(state): State<Arc<AppState>>,
    Path(level): Path<u8>,
    Query(q): Query<Operation>,
    caller: Caller,
) -> Reply {
    let (have, face_until_ms) = level_of(&state, &caller, q.operation.as_deref());
    if have < level {
        let body = json!({"error": "level_required", "level": level});
        return Err((StatusCode::FORBIDDEN, Json(body)).into_response());
    }
    Ok(Json(json!({"level": have, "face_verified_until_ms": face_until_ms})).into_response())
}
