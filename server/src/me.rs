//! The caller as the backend sees them (`GET /v1/me`), and operations that
//! need an assurance level (`GET /v1/assurance/{level}`): the provider's
//! `acr`, raised by a current face verdict, which is authoritative for
//! backend operations.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::json;

use crate::auth::Caller;
use crate::{AppState, Reply};

/// The caller's assurance level now, and until when a face verdict
/// raises it.
pub(crate) fn level_of(state: &AppState, caller: &Caller) -> (u8, Option<i64>) {
    let provider = caller
        .acr
        .as_deref()
        .and_then(|a| state.acr_levels.iter().position(|l| l == a))
        .map_or(2, |i| i as u8 + 2);
    match state.face.verdict_for(&caller.subject) {
        Some((level, until)) => (provider.max(level), Some(until)),
        None => (provider, None),
    }
}

/// `GET /v1/me`: proves to the app (and the tests) that its tokens and DPoP
/// proofs are accepted.
pub(crate) async fn me(State(state): State<Arc<AppState>>, caller: Caller) -> Reply {
    let (level, face_until_ms) = level_of(&state, &caller);
    Ok(Json(json!({
        "sub": caller.subject, "dpop_bound": caller.dpop, "level": level,
        "face_verified_until_ms": face_until_ms,
    }))
    .into_response())
}

/// `GET /v1/assurance/{level}`: 200 when the caller has `level` now,
/// otherwise 403 `level_required` naming the level, which the core turns
/// into a typed error for the app to step up.
pub(crate) async fn assurance(
    State(state): State<Arc<AppState>>,
    Path(level): Path<u8>,
    caller: Caller,
) -> Reply {
    let (have, face_until_ms) = level_of(&state, &caller);
    if have < level {
        let body = json!({"error": "level_required", "level": level});
        return Err((StatusCode::FORBIDDEN, Json(body)).into_response());
    }
    Ok(Json(json!({"level": have, "face_verified_until_ms": face_until_ms})).into_response())
}
