//! The grid worker's household roster (网格户册): its store and its routes.
//!
//! A township assigns each grid worker the households of their grid. The
//! worker's phone caches that list for offline visits, and households the
//! worker meets that are not on it are added on the phone and sent with the
//! next sync. The client picks the id (a UUID) of a household it adds, so a
//! retry after a lost reply is the same request: identical bytes get the
//! same receipt, different bytes under a known id get 409.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::{Caller, unix_now};
use crate::store::sha256;
use crate::{AppState, Reply, stored};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS households (
        id TEXT PRIMARY KEY,
        worker TEXT NOT NULL,
        origin TEXT NOT NULL,
        head_name TEXT NOT NULL,
        address TEXT NOT NULL,
        division TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        received_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS households_worker ON households (worker);";

/// A household as the API carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdBody {
    /// The head of the household (户主).
    pub head_name: String,
    pub address: String,
    /// A 6-digit county or 12-digit village division code.
    pub division: String,
}

/// A household a township assigns to a worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedHousehold {
    pub id: String,
    #[serde(flatten)]
    pub body: HouseholdBody,
}

impl AssignedHousehold {
    /// A sample village of `n` households, for the demo and tests.
    pub fn sample(n: usize) -> Vec<Self> {
        const NAMES: &[&str] = &["王秀英", "李建国", "张桂兰", "刘德华", "陈淑珍", "杨立新"];
        (0..n)
            .map(|i| Self {
                id: format!("HH-{:03}", i + 1),
                body: HouseholdBody {
                    head_name: NAMES[i % NAMES.len()].to_string(),
                    address: format!("西湖区转塘街道桐坞村{}号", i + 1),
                    division: "330106001001".into(),
                },
            })
            .collect()
    }
}

fn valid(id: &str, h: &HouseholdBody) -> bool {
    let id_ok = (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let name = h.head_name.trim();
    id_ok
        && !name.is_empty()
        && name.chars().count() <= 64
        && h.address.chars().count() <= 200
        && matches!(h.division.len(), 6 | 12)
        && h.division.bytes().all(|b| b.is_ascii_digit())
}

/// The households of every worker, in the backend's database.
pub struct Roster {
    conn: Mutex<Connection>,
}

impl Roster {
    pub fn open(path: Option<&std::path::Path>) -> rusqlite::Result<Self> {
        let conn = crate::store::connect(path)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the households assigned to `worker` (the township's side;
    /// `PUT /v1/dev/roster/{worker}` in the reference backend). Households
    /// the worker added stay.
    pub fn assign(&self, worker: &str, households: &[AssignedHousehold]) -> bool {
        let conn = self.conn();
        (|| -> rusqlite::Result<()> {
            let tx = conn.unchecked_transaction()?;
            tx.execute(
                "DELETE FROM households WHERE worker = ?1 AND origin = 'assigned'",
                [worker],
            )?;
            for h in households {
                let body = serde_json::to_vec(&h.body).unwrap_or_default();
                tx.execute(
                    "INSERT INTO households (id, worker, origin, head_name, address, division,
                         sha256, received_at)
                     VALUES (?1, ?2, 'assigned', ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (id) DO UPDATE SET worker = excluded.worker,
                         origin = 'assigned', head_name = excluded.head_name,
                         address = excluded.address, division = excluded.division,
                         sha256 = excluded.sha256",
                    params![
                        h.id,
                        worker,
                        h.body.head_name,
                        h.body.address,
                        h.body.division,
                        sha256(&body),
                        unix_now()
                    ],
                )?;
            }
            tx.commit()
        })()
        .is_ok()
    }

    /// `GET /v1/roster`: the caller's households, assigned and added.
    pub fn list(&self, caller: &Caller) -> Value {
        let conn = self.conn();
        let list = (|| -> rusqlite::Result<Vec<Value>> {
            let mut stmt = conn.prepare(
                "SELECT id, origin, head_name, address, division FROM households
                 WHERE worker = ?1 ORDER BY origin, id",
            )?;
            let rows = stmt.query_map([&caller.subject], |r| {
                Ok(json!({
                    "id": r.get::<_, String>(0)?,
                    "origin": r.get::<_, String>(1)?,
                    "head_name": r.get::<_, String>(2)?,
                    "address": r.get::<_, String>(3)?,
                    "division": r.get::<_, String>(4)?,
                }))
            })?;
            rows.collect()
        })()
        .unwrap_or_default();
        json!({ "households": list })
    }

    /// `PUT /v1/roster/households/{id}`: a household the worker added.
    /// Returns 201 or 200 (a repeat) with the receipt.
    pub fn put_household(
        &self,
        caller: &Caller,
        id: &str,
        body: &[u8],
    ) -> Result<(StatusCode, Value), (StatusCode, Value)> {
        let fail = |status: StatusCode, code: &str| (status, json!({ "error": code }));
        let hash = sha256(body);
        let conn = self.conn();
        let known: Option<(String, String, i64)> = conn
            .query_row(
                "SELECT sha256, worker, received_at FROM households WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        if let Some((known_hash, worker, received_at)) = known {
            if known_hash != hash || worker != caller.subject {
                return Err(fail(StatusCode::CONFLICT, "conflict"));
            }
            return Ok((
                StatusCode::OK,
                json!({"id": id, "sha256": hash, "received_at": received_at}),
            ));
        }
        let household: HouseholdBody = serde_json::from_slice(body)
            .map_err(|_| fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid_household"))?;
        if !valid(id, &household) {
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid_household"));
        }
        let now = unix_now();
        conn.execute(
            "INSERT INTO households (id, worker, origin, head_name, address, division, sha256,
                 received_at)
             VALUES (?1, ?2, 'added', ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                caller.subject,
                household.head_name,
                household.address,
                household.division,
                hash,
                now
            ],
        )
        .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        Ok((
            StatusCode::CREATED,
            json!({"id": id, "sha256": hash, "received_at": now}),
        ))
    }

    /// Every household worker `worker` has, for tests and the demo.
    pub fn households_of(&self, worker: &str) -> Vec<(String, String)> {
        let conn = self.conn();
        (|| -> rusqlite::Result<Vec<(String, String)>> {
            let mut stmt =
                conn.prepare("SELECT id, origin FROM households WHERE worker = ?1 ORDER BY id")?;
            let rows = stmt.query_map([worker], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })()
        .unwrap_or_default()
    }
}

/// `GET /v1/roster`: the caller's households, assigned by the township and
/// added by them.
pub(crate) async fn list(State(state): State<Arc<AppState>>, caller: Caller) -> Response {
    Json(state.roster.list(&caller)).into_response()
}

/// `PUT /v1/roster/households/{id}`: a household the worker added on the
/// phone (idempotent by its id).
pub(crate) async fn put_household(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
    body: Bytes,
) -> Reply {
    Ok(stored(state.roster.put_household(&caller, &id, &body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tests::caller;

    #[test]
    fn assigned_and_added_households_with_idempotent_adds() {
        let s = Roster::open(None).unwrap();
        assert!(s.assign("w1", &AssignedHousehold::sample(3)));
        let w1 = caller("w1");
        let body = r#"{"head_name":"赵六","address":"3组","division":"330106001001"}"#.as_bytes();
        let id = "0b6f3a52-9c1e-4c8e-9d1f-2f7b3c4d5e6f";
        let (status, first) = s.put_household(&w1, id, body).unwrap();
        assert_eq!(status, StatusCode::CREATED);
        let (status, again) = s.put_household(&w1, id, body).unwrap();
        assert_eq!((status, &again), (StatusCode::OK, &first));
        let changed =
            r#"{"head_name":"赵七","address":"3组","division":"330106001001"}"#.as_bytes();
        assert_eq!(
            s.put_household(&w1, id, changed).unwrap_err().0,
            StatusCode::CONFLICT
        );
        assert_eq!(
            s.put_household(&caller("w2"), id, body).unwrap_err().0,
            StatusCode::CONFLICT
        );
        let list = s.list(&w1);
        assert_eq!(list["households"].as_array().unwrap().len(), 4);
        assert_eq!(list["households"][0]["origin"], "added");
        assert_eq!(s.list(&caller("w2"))["households"], json!([]));
        // Reassignment replaces assigned households and keeps added ones.
        assert!(s.assign("w1", &AssignedHousehold::sample(1)));
        assert_eq!(s.households_of("w1").len(), 2);
    }

    #[test]
    fn malformed_households_are_refused() {
        let s = Roster::open(None).unwrap();
        let w = caller("w1");
        let id = "0b6f3a52-9c1e-4c8e-9d1f-2f7b3c4d5e6f";
        for body in [
            &br#"{"head_name":" ","address":"","division":"330106"}"#[..],
            br#"{"head_name":"x","address":"","division":"33010"}"#,
            br#"{"head_name":"x","address":"","division":"330106","extra":1}"#,
            b"<html>",
        ] {
            assert_eq!(
                s.put_household(&w, id, body).unwrap_err().1["error"],
                "invalid_household"
            );
        }
        let ok = br#"{"head_name":"x","address":"","division":"330106"}"#;
        assert_eq!(
            s.put_household(&w, "../etc", ok).unwrap_err().0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
