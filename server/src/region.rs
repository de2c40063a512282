//! The region this backend answers for: its configuration (`GET
//! /v1/config`) and the health check (`GET /v1/health`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Value, json};

use crate::{AppState, error};

/// The region a server answers for, seeded into its database at start.
#[derive(Debug, Clone)]
pub struct RegionSeed {
    pub region_code: String,
    pub display_name: String,
    pub features: Vec<String>,
    pub support_phone: Option<String>,
}

impl RegionSeed {
    /// A fictional demo region (the code is a real county-level format).
    pub fn demo() -> Self {
        Self {
            region_code: "330106".into(),
            display_name: "西湖区 (demo)".into(),
            features: vec!["secure_store".into()],
            support_phone: Some("12345".into()),
        }
    }
}

/// The region's configuration, in the backend's database. One connection
/// behind a mutex: the reference server favours simplicity.
pub struct RegionStore {
    conn: Mutex<Connection>,
}

const SCHEMA: &[&str] = &["CREATE TABLE region_config (
        region_code TEXT PRIMARY KEY,
        body TEXT NOT NULL
    ) STRICT;"];

impl RegionStore {
    /// Opens (or creates) the database and seeds the region.
    pub fn open(path: Option<&Path>, region: &RegionSeed) -> rusqlite::Result<Self> {
        let mut conn: Connection = crate::store::connect(path)?;
        let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, step) in SCHEMA.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        let body = json!({
            "region_code": region.region_code,
            "display_name": region.display_name,
            "api_version": crate::API_VERSION,
            "features": region.features,
            "support_phone": region.support_phone,
        });
        conn.execute("DELETE FROM region_config", [])?;
        conn.execute(
            "INSERT INTO region_config (region_code, body) VALUES (?1, ?2)",
            rusqlite::params![region.region_code, body.to_string()],
        )?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// The region's published configuration.
    pub fn region_config(&self) -> rusqlite::Result<Option<Value>> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let body: Option<String> = conn
            .query_row("SELECT body FROM region_config LIMIT 1", [], |r| r.get(0))
            .optional()?;
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }
}

/// `GET /v1/health`.
pub(crate) async fn health() -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "api_version": crate::API_VERSION,
    }))
}

/// `GET /v1/config`: the region's published configuration.
pub(crate) async fn config(State(state): State<Arc<AppState>>) -> Response {
    match state.region.region_config() {
        Ok(Some(body)) => Json(body).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "no_region"),
        Err(e) => {
            tracing::error!("config query failed: {e}");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}
