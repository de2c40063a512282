//! Forms catalog, submissions, resumable attachments and application
//! status: the backend half of the core's outbox.
//!
//! The instance id is a unique key. A resubmission with identical bytes
//! (same SHA-256) gets the same receipt, so a client that lost the reply
//! can retry safely; different bytes under the same id are a 409 conflict.
//! A receipt is complete only when every declared attachment arrived whole
//! and matched its hash.
//!
//! A form may take e-licences as material (`licence_ref` fields that name a
//! licence type): a new submission's attached presentations are verified
//! ([`crate::material`]) before it is stored, and each accepted
//! presentation is recorded with it, so that it is accepted once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use palmgov::forms::submission::{SubmissionCheck, check_submission, licence_requirements};

use crate::auth::{Caller, unix_now};
use crate::edge::require_media_type;
use crate::material::{self, AttachedLicence, Consent, Issuance, Refusal, Submitted};
use crate::store::sha256;
use crate::{AppState, Reply, blocking, error, stored};

/// Largest attachment accepted.
const MAX_ATTACHMENT: u64 = 20 * 1024 * 1024;
/// Largest submission body accepted.
pub const MAX_SUBMISSION: usize = 4 * 1024 * 1024;

/// The forms the reference backend publishes, bundled at build time.
pub const BUNDLED_FORMS: &[&str] = &[
    include_str!("../forms/household-visit.v1.json"),
    include_str!("../forms/subsidy-application.v1.json"),
    include_str!("../forms/residence-certificate.v1.json"),
];

/// What the service needs to know about its forms.
#[derive(Debug, Clone)]
pub struct FormsOptions {
    /// Definitions, as JSON text.
    pub definitions: Vec<String>,
    /// Forms whose submissions need an assurance level above L2. The
    /// allowance form needs L4: a face check, as pension authentication does.
    pub required_levels: Vec<(String, u8)>,
    /// How old the key binding of a licence attached to a submission may
    /// be (its KB-JWT's `iat`, the time the person finalized the form) when
    /// the submission arrives; an older one is refused as `licence_stale`,
    /// and the app binds it again. Default 30 days
    /// ([`material::DEFAULT_LICENCE_MAX_AGE`]); `palmgov-server
    /// --licence-max-age`.
    pub licence_max_age: std::time::Duration,
}

impl Default for FormsOptions {
    fn default() -> Self {
        Self {
            definitions: BUNDLED_FORMS.iter().map(|s| s.to_string()).collect(),
            required_levels: vec![("subsidy-application".into(), 4)],
            licence_max_age: material::DEFAULT_LICENCE_MAX_AGE,
        }
    }
}

#[derive(Deserialize)]
struct FormHead {
    id: String,
    version: u32,
    title: Value,
}

#[derive(Deserialize)]
struct Declared {
    id: String,
    sha256: String,
    size: u64,
}

#[derive(Deserialize)]
struct Payload {
    instance_id: String,
    form_id: String,
    form_version: u32,
    answers: serde_json::Map<String, Value>,
    #[serde(default)]
    attachments: Vec<Declared>,
    /// RFC 3339 with the device's offset: its date is the "today" the app
    /// checked the form on.
    #[serde(default)]
    finalized_at: Option<String>,
    /// Licences attached as material: one presentation per `licence_ref`
    /// field that names a licence type and is answered.
    #[serde(default)]
    licences: Vec<AttachedLicence>,
    /// The consents to licences' use (attached, or shown to a grid
    /// worker); kept in the stored body.
    #[serde(default)]
    consents: Vec<Consent>,
}

/// The date the form's rules are checked on: the one the app finalized it
/// on, when that is within a day of the server's date in China (UTC+8);
/// otherwise the server's.
fn form_date(finalized_at: Option<&str>) -> String {
    let china = time::UtcOffset::from_hms(8, 0, 0).expect("a valid offset");
    let today = time::OffsetDateTime::now_utc().to_offset(china).date();
    let claimed = finalized_at
        .and_then(|f| f.get(..10))
        .and_then(|d| {
            let mut p = d.split('-');
            let (y, m, d) = (
                p.next()?.parse().ok()?,
                p.next()?.parse::<u8>().ok()?,
                p.next()?.parse().ok()?,
            );
            time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
        })
        .filter(|d| (*d - today).whole_days().abs() <= 1);
    let date = claimed.unwrap_or(today);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Submissions and their parts, in the backend's database.
pub struct Submissions {
    conn: Mutex<Connection>,
    forms: Vec<(FormHead, String)>,
    levels: HashMap<String, u8>,
    licence_max_age: std::time::Duration,
}

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS submissions (
        instance_id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        form_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        body BLOB NOT NULL,
        receipt_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        history TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS parts (
        instance_id TEXT NOT NULL REFERENCES submissions (instance_id),
        attachment_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        data BLOB NOT NULL,
        complete INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (instance_id, attachment_id)
    ) STRICT;
    -- Every licence presentation accepted as material, by its KB-JWT's
    -- hash: each is accepted once.
    CREATE TABLE IF NOT EXISTS licence_presentations (
        kb_sha256 TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL REFERENCES submissions (instance_id),
        field TEXT NOT NULL,
        licence_id TEXT NOT NULL,
        accepted_at INTEGER NOT NULL
    ) STRICT;";

impl Submissions {
    pub fn open(path: Option<&std::path::Path>, options: &FormsOptions) -> rusqlite::Result<Self> {
        let conn = crate::store::connect(path)?;
        conn.execute_batch(SCHEMA)?;
        let forms = options
            .definitions
            .iter()
            .filter_map(|d| Some((serde_json::from_str::<FormHead>(d).ok()?, d.clone())))
            .collect();
        Ok(Self {
            conn: Mutex::new(conn),
            forms,
            levels: options.required_levels.iter().cloned().collect(),
            licence_max_age: options.licence_max_age,
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `GET /v1/forms`: id, version and title of every published form.
    pub fn catalog(&self) -> Value {
        let forms: Vec<Value> = self
            .forms
            .iter()
            .map(|(h, _)| json!({"id": h.id, "version": h.version, "title": h.title}))
            .collect();
        json!({ "forms": forms })
    }

    /// `GET /v1/forms/{id}/{version}`: the definition as published.
    pub fn definition(&self, id: &str, version: u32) -> Option<&str> {
        self.forms
            .iter()
            .find(|(h, _)| h.id == id && h.version == version)
            .map(|(_, body)| body.as_str())
    }

    /// The level a form's submissions need.
    fn level_needed(&self, form_id: &str) -> u8 {
        self.levels.get(form_id).copied().unwrap_or(2)
    }

    /// `PUT /v1/submissions/{id}`. `level` is the caller's assurance now;
    /// `issuance` is the wallet that issued the licences a submission may
    /// attach. Returns the status (201 new, 200 known) and the receipt.
    pub fn put(
        &self,
        caller: &Caller,
        level: u8,
        instance_id: &str,
        body: &[u8],
        issuance: Issuance<'_>,
    ) -> Result<(StatusCode, Value), (StatusCode, Value)> {
        let fail = |status: StatusCode, code: &str| (status, json!({ "error": code }));
        let hash = sha256(body);
        let conn = self.conn();
        let known: Option<(String, String)> = conn
            .query_row(
                "SELECT sha256, subject FROM submissions WHERE instance_id = ?1",
                [instance_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        if let Some((known_hash, subject)) = known {
            if known_hash != hash || subject != caller.subject {
                return Err(fail(StatusCode::CONFLICT, "conflict"));
            }
            let receipt = receipt(&conn, instance_id)
                .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
            return Ok((StatusCode::OK, receipt));
        }
        let payload: Payload = serde_json::from_slice(body)
            .map_err(|_| fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid_submission"))?;
        if payload.instance_id != instance_id {
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "instance_mismatch"));
        }
        let Some(definition) = self.definition(&payload.form_id, payload.form_version) else {
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "unknown_form"));
        };
        if payload.answers.is_empty() {
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "no_answers"));
        }
        // The same engine the app fills the form with: what it would not
        // finalize is not stored.
        let today = form_date(payload.finalized_at.as_deref());
        match check_submission(definition.as_bytes(), &payload.answers, &today) {
            Ok(()) => {}
            Err(SubmissionCheck::Problems(problems)) => {
                let problems: Vec<Value> = problems
                    .iter()
                    .map(|p| json!({"path": p.path, "code": p.code}))
                    .collect();
                return Err((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({"error": "invalid_answers", "problems": problems}),
                ));
            }
            Err(SubmissionCheck::BadDefinition) => {
                tracing::error!(form = %payload.form_id, "a published form does not load");
                return Err(fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"));
            }
        }
        let needed = self.level_needed(&payload.form_id);
        if level < needed {
            return Err((
                StatusCode::FORBIDDEN,
                json!({"error": "level_required", "level": needed}),
            ));
        }
        let bad_part = payload.attachments.iter().any(|a| {
            a.size == 0
                || a.size > MAX_ATTACHMENT
                || a.sha256.len() != 64
                || a.id.is_empty()
                || a.id.len() > 64
        });
        if bad_part {
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid_attachment"));
        }
        let now = unix_now();
        let requirements = licence_requirements(definition.as_bytes()).map_err(|_| {
            tracing::error!(form = %payload.form_id, "a published form does not load");
            fail(StatusCode::INTERNAL_SERVER_ERROR, "internal")
        })?;
        let submitted = Submitted {
            subject: &caller.subject,
            instance_id,
            form_id: &payload.form_id,
            answers: &payload.answers,
            licences: &payload.licences,
            consents: &payload.consents,
        };
        let recorded = |kb_sha256: &str| {
            conn.query_row(
                "SELECT 1 FROM licence_presentations WHERE kb_sha256 = ?1",
                [kb_sha256],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(|_| Refusal::Internal)
        };
        let accepted = material::verify(
            issuance,
            &requirements,
            &submitted,
            self.licence_max_age,
            now,
            &recorded,
        )
        .map_err(|refusal| refusal.reply())?;
        let history = json!([{"status": "submitted", "at_ms": now * 1000}]).to_string();
        let receipt_id = format!("R{}-{}", now, &hash[..12]);
        // `Ok(Err(field))`: that field's presentation was recorded
        // meanwhile (by another process on the same database): replayed,
        // and nothing is stored.
        let stored = (|| -> rusqlite::Result<Result<Value, &str>> {
            let tx = conn.unchecked_transaction()?;
            tx.execute(
                "INSERT INTO submissions (instance_id, subject, form_id, sha256, body, receipt_id,
                     received_at, status, history)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'submitted', ?8)",
                params![
                    instance_id,
                    caller.subject,
                    payload.form_id,
                    hash,
                    body,
                    receipt_id,
                    now,
                    history
                ],
            )?;
            for a in &payload.attachments {
                tx.execute(
                    "INSERT INTO parts (instance_id, attachment_id, sha256, size, data)
                     VALUES (?1, ?2, ?3, ?4, X'')",
                    params![instance_id, a.id, a.sha256, a.size as i64],
                )?;
            }
            for a in &accepted {
                let inserted = tx.execute(
                    "INSERT OR IGNORE INTO licence_presentations
                         (kb_sha256, instance_id, field, licence_id, accepted_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![a.kb_sha256, instance_id, a.field, a.licence_id, now],
                )?;
                if inserted == 0 {
                    return Ok(Err(a.field.as_str()));
                }
            }
            tx.commit()?;
            receipt(&conn, instance_id).map(Ok)
        })();
        match stored {
            Ok(Ok(receipt)) => Ok((StatusCode::CREATED, receipt)),
            Ok(Err(field)) => Err(Refusal::Invalid(field.to_owned(), "replayed").reply()),
            Err(_) => Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "invalid_submission")),
        }
    }

    /// `PUT /v1/submissions/{id}/attachments/{att}` with `content-range`.
    /// Returns the bytes now held; a range that does not start there is a
    /// 409 with the same body, so the client resumes from the right place.
    pub fn put_part(
        &self,
        caller: &Caller,
        instance_id: &str,
        attachment_id: &str,
        range: Option<&str>,
        chunk: &[u8],
    ) -> Result<Value, (StatusCode, Value)> {
        let fail = |status: StatusCode, code: &str| (status, json!({ "error": code }));
        let (start, end, total) = range
            .and_then(parse_range)
            .ok_or_else(|| fail(StatusCode::BAD_REQUEST, "bad_range"))?;
        if end + 1 - start != chunk.len() as u64 {
            return Err(fail(StatusCode::BAD_REQUEST, "bad_range"));
        }
        let conn = self.conn();
        let part: Option<(String, i64, Vec<u8>, bool, String)> = conn
            .query_row(
                "SELECT p.sha256, p.size, p.data, p.complete, s.subject FROM parts p
                 JOIN submissions s ON s.instance_id = p.instance_id
                 WHERE p.instance_id = ?1 AND p.attachment_id = ?2",
                [instance_id, attachment_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        let Some((hash, size, mut data, complete, subject)) = part else {
            return Err(fail(StatusCode::NOT_FOUND, "unknown_attachment"));
        };
        if subject != caller.subject {
            return Err(fail(StatusCode::NOT_FOUND, "unknown_attachment"));
        }
        if total != size as u64 {
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "size_mismatch"));
        }
        let held = json!({"received": data.len(), "complete": complete});
        if complete || start != data.len() as u64 {
            return Err((StatusCode::CONFLICT, held));
        }
        data.extend_from_slice(chunk);
        let done = data.len() as u64 == total;
        if done && sha256(&data) != hash {
            conn.execute(
                "UPDATE parts SET data = X'' WHERE instance_id = ?1 AND attachment_id = ?2",
                [instance_id, attachment_id],
            )
            .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
            return Err(fail(StatusCode::UNPROCESSABLE_ENTITY, "hash_mismatch"));
        }
        conn.execute(
            "UPDATE parts SET data = ?3, complete = ?4 WHERE instance_id = ?1 AND attachment_id = ?2",
            params![instance_id, attachment_id, data, done],
        )
        .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        let mut held = json!({"received": data.len(), "complete": done});
        // The last byte of the last part: the submission's full receipt
        // comes with it, which saves the client a confirming request.
        if done {
            let receipt = receipt(&conn, instance_id)
                .map_err(|_| fail(StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
            if receipt["complete"] == true {
                held["receipt"] = receipt;
            }
        }
        Ok(held)
    }

    /// `GET /v1/applications?ids=…`: the caller's applications among `ids`.
    pub fn applications(&self, caller: &Caller, ids: &str) -> Value {
        let conn = self.conn();
        let mut out = Vec::new();
        for id in ids.split(',').filter(|s| !s.is_empty()).take(100) {
            let row: Option<(String, String)> = conn
                .query_row(
                    "SELECT status, history FROM submissions WHERE instance_id = ?1 AND subject = ?2",
                    [id, &caller.subject],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .ok()
                .flatten();
            if let Some((status, history)) = row {
                let history: Value = serde_json::from_str(&history).unwrap_or(json!([]));
                out.push(json!({"instance_id": id, "status": status, "history": history}));
            }
        }
        json!({ "applications": out })
    }

    /// Moves an application to a new status with a note (the reference
    /// backend's stand-in for a caseworker's system); false when there is
    /// no such application. [`Submissions::change_status`] with no due
    /// date and no materials requested.
    pub fn set_status(&self, instance_id: &str, status: &str, note: Option<&str>) -> bool {
        let change = StatusChange {
            status: status.into(),
            note: note.map(Into::into),
            ..Default::default()
        };
        self.change_status(instance_id, &change).is_ok()
    }

    /// Records a caseworker's step on an application: its new status and
    /// an event in its history, which `GET /v1/applications` serves as
    /// recorded. Refused before anything is stored when the step does not
    /// pass [`StatusChange::check`]; 404 `unknown_submission` when there is
    /// no such application.
    pub fn change_status(
        &self,
        instance_id: &str,
        change: &StatusChange,
    ) -> Result<(), crate::auth::Refusal> {
        change.check(unix_now_ms())?;
        let internal = |_| (StatusCode::INTERNAL_SERVER_ERROR, "internal");
        let conn = self.conn();
        let history: Option<String> = conn
            .query_row(
                "SELECT history FROM submissions WHERE instance_id = ?1",
                [instance_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(internal)?;
        let Some(history) = history else {
            return Err((StatusCode::NOT_FOUND, "unknown_submission"));
        };
        let mut list: Vec<Value> = serde_json::from_str(&history).unwrap_or_default();
        list.push(change.event(unix_now() * 1000));
        conn.execute(
            "UPDATE submissions SET status = ?2, history = ?3 WHERE instance_id = ?1",
            params![instance_id, change.status, Value::from(list).to_string()],
        )
        .map_err(internal)?;
        Ok(())
    }

    /// The licences accepted as material with a submission: `(field,
    /// licence_id)`, by field. For the demo and tests.
    pub fn accepted_licences(&self, instance_id: &str) -> Vec<(String, String)> {
        let conn = self.conn();
        let Ok(mut stmt) = conn.prepare(
            "SELECT field, licence_id FROM licence_presentations WHERE instance_id = ?1
             ORDER BY field",
        ) else {
            return Vec::new();
        };
        stmt.query_map([instance_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }

    /// Every stored submission with its parts (and the licences and
    /// consents it carries), for tests and the demo: proves nothing was
    /// lost or stored twice.
    pub fn inventory(&self) -> Value {
        let conn = self.conn();
        let list = (|| -> rusqlite::Result<Vec<Value>> {
            let mut stmt = conn.prepare(
                "SELECT instance_id, sha256, form_id, body,
                    (SELECT COUNT(*) FROM parts p WHERE p.instance_id = s.instance_id),
                    (SELECT COUNT(*) FROM parts p WHERE p.instance_id = s.instance_id AND p.complete)
                 FROM submissions s ORDER BY received_at, instance_id",
            )?;
            let rows = stmt.query_map([], |r| {
                let body: Vec<u8> = r.get(3)?;
                let body = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
                let mut entry = json!({
                    "instance_id": r.get::<_, String>(0)?,
                    "sha256": r.get::<_, String>(1)?,
                    "form_id": r.get::<_, String>(2)?,
                    "answers": body["answers"].clone(),
                    "attachments": r.get::<_, i64>(4)?,
                    "attachments_complete": r.get::<_, i64>(5)?,
                });
                // The licences attached and the consents, as sent.
                for key in ["licences", "consents"] {
                    if !body[key].is_null() {
                        entry[key] = body[key].clone();
                    }
                }
                Ok(entry)
            })?;
            rows.collect()
        })()
        .unwrap_or_default();
        json!({ "submissions": list })
    }
}

/// The most materials one request for them (补正) may list.
pub const MAX_REQUESTED_MATERIALS: usize = 20;
/// The longest a requested material's description may be, in characters.
pub const MAX_MATERIAL_CHARS: usize = 200;

/// A caseworker's step on an application (`POST
/// /v1/dev/applications/{id}/status`): the new status and a note, and, when
/// she asks the applicant to supply materials (补正, status
/// `correction_required`), what to bring and by when. The app shows the
/// applicant the list and the date, so both are checked here rather than
/// shown as a caseworker's system happened to send them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusChange {
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
    /// By when the applicant is to act (Unix ms); in the future when given.
    #[serde(default)]
    pub due_at_ms: Option<i64>,
    /// What the applicant is to supply: 1 to [`MAX_REQUESTED_MATERIALS`]
    /// descriptions of 1 to [`MAX_MATERIAL_CHARS`] characters, none blank.
    #[serde(default)]
    pub requested_materials: Option<Vec<String>>,
}

impl StatusChange {
    /// 422 `bad_due_date` for a due date not after `now_ms` (a deadline
    /// already passed would put the applicant in default the moment she
    /// hears of it); 422 `bad_requested_materials` for an empty list, one
    /// over [`MAX_REQUESTED_MATERIALS`], or a blank or over-long entry.
    pub fn check(&self, now_ms: i64) -> Result<(), crate::auth::Refusal> {
        let refused = |code| Err((StatusCode::UNPROCESSABLE_ENTITY, code));
        if self.due_at_ms.is_some_and(|due| due <= now_ms) {
            return refused("bad_due_date");
        }
        if let Some(materials) = &self.requested_materials {
            let bad = |m: &String| m.trim().is_empty() || m.chars().count() > MAX_MATERIAL_CHARS;
            if materials.is_empty()
                || materials.len() > MAX_REQUESTED_MATERIALS
                || materials.iter().any(bad)
            {
                return refused("bad_requested_materials");
            }
        }
        Ok(())
    }

    /// The history event, at `at_ms`: `note` always (null without one), as
    /// before these steps carried more; `due_at_ms` and
    /// `requested_materials` only when given, so an application without
    /// them keeps the shape older apps read.
    fn event(&self, at_ms: i64) -> Value {
        let mut event = json!({"status": self.status, "at_ms": at_ms, "note": self.note});
        if let Some(due) = self.due_at_ms {
            event["due_at_ms"] = due.into();
        }
        if let Some(materials) = &self.requested_materials {
            event["requested_materials"] = json!(materials);
        }
        event
    }
}

/// The server clock in Unix milliseconds.
fn unix_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `GET /v1/forms`.
pub(crate) async fn catalog(State(state): State<Arc<AppState>>) -> Response {
    Json(state.submissions.catalog()).into_response()
}

/// `GET /v1/forms/{id}/{version}`: a definition as published.
pub(crate) async fn definition(
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

/// `PUT /v1/submissions/{id}`: stores a submission (idempotent by instance
/// id and content hash) and answers with its receipt.
pub(crate) async fn put(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    require_media_type(&headers, "application/json")?;
    let (level, _) = crate::me::level_of(&state, &caller, Some(&id));
    Ok(stored(
        blocking(move || {
            let issuance = Issuance {
                wallet: &state.wallet,
                base: &state.origin,
            };
            let stored = state.submissions.put(&caller, level, &id, &body, issuance);
            // A new visit's members go into the household's register (a
            // repeat of a stored submission has been folded already).
            if matches!(stored, Ok((StatusCode::CREATED, _))) {
                fold_visit(&state, &caller, &body);
            }
            stored
        })
        .await,
    ))
}

/// Folds the members a visit's submission carries into the roster.
fn fold_visit(state: &AppState, caller: &Caller, body: &[u8]) {
    let Ok(submission) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let (Some(form), Some(version)) = (
        submission["form_id"].as_str(),
        submission["form_version"].as_u64(),
    ) else {
        return;
    };
    let definition = u32::try_from(version)
        .ok()
        .and_then(|v| state.submissions.definition(form, v))
        .and_then(|d| serde_json::from_str::<Value>(d).ok());
    if let Some(definition) = definition {
        let changed = state.roster.fold_visit(caller, &definition, &submission);
        if changed > 0 {
            tracing::info!(changed, "visit folded into the household register");
        }
    }
}

/// `PUT /v1/submissions/{id}/attachments/{attachment}`: one chunk of an
/// attachment, placed by its `content-range`.
pub(crate) async fn put_attachment(
    State(state): State<Arc<AppState>>,
    Path((id, attachment)): Path<(String, String)>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    require_media_type(&headers, "application/octet-stream")?;
    let range = headers
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(stored(
        blocking(move || {
            state
                .submissions
                .put_part(&caller, &id, &attachment, range.as_deref(), &body)
                .map(|held| (StatusCode::OK, held))
        })
        .await,
    ))
}

#[derive(serde::Deserialize)]
pub(crate) struct Ids {
    #[serde(default)]
    ids: String,
}

/// `GET /v1/applications?ids=…`: the status of the caller's applications.
pub(crate) async fn applications(
    State(state): State<Arc<AppState>>,
    Query(q): Query<Ids>,
    caller: Caller,
) -> Reply {
    Ok(Json(state.submissions.applications(&caller, &q.ids)).into_response())
}

fn receipt(conn: &Connection, instance_id: &str) -> rusqlite::Result<Value> {
    let (hash, receipt_id, received_at): (String, String, i64) = conn.query_row(
        "SELECT sha256, receipt_id, received_at FROM submissions WHERE instance_id = ?1",
        [instance_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut stmt = conn.prepare(
        "SELECT attachment_id, LENGTH(data) FROM parts WHERE instance_id = ?1 AND complete = 0
         ORDER BY attachment_id",
    )?;
    let missing: Vec<Value> = stmt
        .query_map([instance_id], |r| {
            Ok(json!({"id": r.get::<_, String>(0)?, "received": r.get::<_, i64>(1)?}))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(json!({
        "instance_id": instance_id,
        "sha256": hash,
        "receipt_id": receipt_id,
        "received_at": received_at,
        "complete": missing.is_empty(),
        "missing": missing,
    }))
}

/// `bytes START-END/TOTAL` → (start, end, total).
fn parse_range(header: &str) -> Option<(u64, u64, u64)> {
    let rest = header.strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end, total) = (start.parse().ok()?, end.parse().ok()?, total.parse().ok()?);
    (start <= end && end < total && total <= MAX_ATTACHMENT).then_some((start, end, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tests::caller;

    /// The wallet the tests' submissions are checked against, when they
    /// attach no licence.
    static WALLET: std::sync::LazyLock<crate::wallet::WalletService> =
        std::sync::LazyLock::new(|| {
            crate::wallet::WalletService::open(None, Default::default()).unwrap()
        });

    fn put(
        s: &Submissions,
        caller: &Caller,
        level: u8,
        id: &str,
        body: &[u8],
    ) -> Result<(StatusCode, Value), (StatusCode, Value)> {
        let issuance = Issuance {
            wallet: &WALLET,
            base: "http://127.0.0.1:8787",
        };
        s.put(caller, level, id, body, issuance)
    }

    /// A household visit as the app sends it: the head of the household
    /// (sample person `n`) with one member, and a door photo.
    fn visit(id: &str, n: usize, note: &str) -> Value {
        let head = crate::sample_person(n);
        let spouse = crate::sample_person(n + 1);
        json!({
            "instance_id": id, "form_id": "household-visit", "form_version": 1,
            "answers": {
                "visit_date": "2026-12-01", "household_division": "330106",
                "head_name": head.name, "head_id_number": head.id_number,
                "housing": "owned", "door_photo": "a1",
                "members": [{"_id": "m1", "member_name": spouse.name, "member_age": 61,
                             "relation": "spouse"}],
                "elderly_count": 1, "member_count": 1,
                "head_phone": note,
            },
            "attachments": [{"id": "a1", "sha256": sha256(b"hello"), "size": 5}],
        })
    }

    fn body(id: &str, extra: &str) -> Vec<u8> {
        let phone = if extra.is_empty() {
            "13905710101"
        } else {
            "13905710102"
        };
        serde_json::to_vec(&visit(id, 3, phone)).unwrap()
    }

    #[test]
    fn identical_resubmission_same_receipt_conflict_otherwise() {
        let s = Submissions::open(None, &FormsOptions::default()).unwrap();
        let c = caller("u1");
        let (status, first) = put(&s, &c, 2, "i1", &body("i1", "")).unwrap();
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(first["complete"], false);
        assert_eq!(first["missing"][0]["id"], "a1");
        let (status, again) = put(&s, &c, 2, "i1", &body("i1", "")).unwrap();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["receipt_id"], first["receipt_id"]);
        let (status, _) = put(&s, &c, 2, "i1", &body("i1", "changed")).unwrap_err();
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = put(&s, &caller("u2"), 2, "i1", &body("i1", "")).unwrap_err();
        assert_eq!(status, StatusCode::CONFLICT);
    }

    #[test]
    fn parts_resume_and_complete_the_receipt() {
        let s = Submissions::open(None, &FormsOptions::default()).unwrap();
        let c = caller("u1");
        put(&s, &c, 2, "i1", &body("i1", "")).unwrap();
        let got = s
            .put_part(&c, "i1", "a1", Some("bytes 0-1/5"), b"he")
            .unwrap();
        assert_eq!(got["received"], 2);
        // A replayed chunk (its reply was lost) tells where to resume.
        let (status, held) = s
            .put_part(&c, "i1", "a1", Some("bytes 0-1/5"), b"he")
            .unwrap_err();
        assert_eq!(
            (status, held["received"].clone()),
            (StatusCode::CONFLICT, json!(2))
        );
        let last = s
            .put_part(&c, "i1", "a1", Some("bytes 2-4/5"), b"llo")
            .unwrap();
        let (_, receipt) = put(&s, &c, 2, "i1", &body("i1", "")).unwrap();
        assert_eq!(receipt["complete"], true);
        // The last part's reply carries the same complete receipt.
        assert_eq!(last["receipt"], receipt);
    }

    #[test]
    fn refusals() {
        let s = Submissions::open(None, &FormsOptions::default()).unwrap();
        let c = caller("u1");
        let unknown =
            br#"{"instance_id":"i2","form_id":"nope","form_version":1,"answers":{"a":1}}"#;
        assert_eq!(
            put(&s, &c, 2, "i2", unknown).unwrap_err().1["error"],
            "unknown_form"
        );
        let applicant = crate::sample_person(11);
        let subsidy = serde_json::to_vec(&json!({
            "instance_id": "i3", "form_id": "subsidy-application", "form_version": 1,
            "answers": {
                "applicant_name": applicant.name, "applicant_id_number": applicant.id_number,
                "applicant_phone": "13905710111", "birth_date": applicant.birth_date,
                "residence": "330106", "bank_account": "6222 0212 3456 7890",
                "id_card_photo": "p1",
            },
            "attachments": [{"id": "p1", "sha256": sha256(b"card"), "size": 4}],
        }))
        .unwrap();
        let subsidy = subsidy.as_slice();
        let (status, body) = put(&s, &c, 3, "i3", subsidy).unwrap_err();
        assert_eq!(
            (status, body["level"].clone()),
            (StatusCode::FORBIDDEN, json!(4))
        );
        assert!(put(&s, &c, 4, "i3", subsidy).is_ok());
        assert_eq!(
            put(&s, &c, 2, "i4", b"<html>").unwrap_err().0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn answers_the_form_does_not_allow_are_refused_with_where_and_why() {
        let s = Submissions::open(None, &FormsOptions::default()).unwrap();
        let c = caller("u1");
        let put = |v: Value| {
            let id = v["instance_id"].as_str().unwrap().to_string();
            put(&s, &c, 2, &id, &serde_json::to_vec(&v).unwrap())
        };
        let mut nonsense = visit("n1", 5, "13905710103");
        nonsense["answers"] = json!({"nonsense": ["a", "b"]});
        let (status, body) = put(nonsense).unwrap_err();
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid_answers"))
        );
        assert_eq!(
            body["problems"][0],
            json!({"path": "nonsense", "code": "unknown_field"})
        );
        for (field, value, code) in [
            ("housing", json!("castle"), "not_a_choice"),
            ("head_id_number", json!("330106199001011234"), "checksum"),
            ("rent_monthly", json!(800), "not_relevant"),
            ("head_name", Value::Null, "required"),
        ] {
            let mut v = visit(&format!("bad-{field}"), 6, "13905710104");
            v["answers"][field] = value;
            let (_, body) = put(v).unwrap_err();
            assert!(
                body["problems"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["path"] == field && p["code"] == code),
                "{field}: {body}"
            );
        }
        // A member field at the top, and a member without its id.
        let mut v = visit("bad-member", 7, "13905710105");
        v["answers"]["member_age"] = json!(3);
        v["answers"]["members"][0]["_id"] = Value::Null;
        let (_, body) = put(v).unwrap_err();
        let codes: Vec<&str> = body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"unknown_field") && codes.contains(&"bad_instance"),
            "{body}"
        );
        // Nothing refused was stored.
        assert_eq!(s.inventory()["submissions"].as_array().unwrap().len(), 0);
        assert!(put(visit("good", 8, "13905710106")).is_ok());
    }

    /// Every published form loads, and names the fields that take a
    /// licence as material.
    #[test]
    fn the_bundled_forms_load_and_name_their_licence_fields() {
        let s = Submissions::open(None, &FormsOptions::default()).unwrap();
        for (head, body) in &s.forms {
            let needs = licence_requirements(body.as_bytes()).unwrap();
            if head.id == "residence-certificate" {
                assert_eq!(needs.len(), 1);
                assert_eq!(needs[0].field, "household_register");
                assert_eq!(needs[0].licence_type, "household_register");
                assert_eq!(needs[0].disclose, ["name", "id_number", "address"]);
            } else {
                assert!(needs.is_empty(), "{}", head.id);
            }
        }
        assert_eq!(s.forms.len(), BUNDLED_FORMS.len());
    }

    #[test]
    fn the_form_date_is_the_apps_unless_it_is_far_off() {
        let today = form_date(None);
        assert_eq!(today.len(), 10);
        assert_eq!(form_date(Some(&format!("{today}T20:01:02+08:00"))), today);
        assert_eq!(form_date(Some("1999-01-01T00:00:00+08:00")), today);
        assert_eq!(form_date(Some("garbage")), today);
    }

    #[test]
    fn a_request_for_materials_is_recorded_with_its_due_date() {
        let s = Submissions::open(None, &FormsOptions::default()).unwrap();
        let c = caller("u1");
        put(&s, &c, 2, "i1", &body("i1", "")).unwrap();
        let due = unix_now_ms() + 7 * 24 * 3600 * 1000;
        let asked = StatusChange {
            status: "correction_required".into(),
            note: Some("请补充材料".into()),
            due_at_ms: Some(due),
            requested_materials: Some(vec!["户口簿首页复印件".into(), "x".repeat(200)]),
        };
        s.change_status("i1", &asked).unwrap();
        assert!(s.set_status("i1", "accepted", None));
        let history = &s.applications(&c, "i1")["applications"][0]["history"];
        assert_eq!(history.as_array().unwrap().len(), 3);
        assert_eq!(history[1]["status"], "correction_required");
        assert_eq!(history[1]["due_at_ms"], due);
        assert_eq!(
            history[1]["requested_materials"],
            json!(["户口簿首页复印件", "x".repeat(200)])
        );
        // Steps without them keep the shape older apps read.
        for event in [&history[0], &history[2]] {
            let keys: Vec<&str> = event
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert!(
                !keys.contains(&"due_at_ms") && !keys.contains(&"requested_materials"),
                "{event}"
            );
        }
        assert_eq!(
            history[2],
            json!({"status": "accepted", "at_ms": history[2]["at_ms"], "note": null})
        );

        // Refused before anything is stored.
        let now = unix_now_ms();
        let refused = |change: StatusChange| s.change_status("i1", &change).unwrap_err();
        let with = |due: Option<i64>, materials: Option<Vec<String>>| StatusChange {
            status: "correction_required".into(),
            due_at_ms: due,
            requested_materials: materials,
            ..Default::default()
        };
        let bad_date = (StatusCode::UNPROCESSABLE_ENTITY, "bad_due_date");
        assert_eq!(refused(with(Some(now - 1), None)), bad_date);
        assert_eq!(refused(with(Some(0), None)), bad_date);
        let bad_list = (StatusCode::UNPROCESSABLE_ENTITY, "bad_requested_materials");
        for materials in [
            vec![],
            vec!["身份证".to_string(); 21],
            vec!["身份证".into(), String::new()],
            vec!["  ".into()],
            vec!["证".repeat(201)],
        ] {
            assert_eq!(
                refused(with(Some(due), Some(materials.clone()))),
                bad_list,
                "{materials:?}"
            );
        }
        assert!(
            with(None, Some(vec!["证".repeat(200); 20]))
                .check(now)
                .is_ok()
        );
        assert_eq!(
            s.applications(&c, "i1")["applications"][0]["history"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            s.change_status("nope", &with(Some(due), None)).unwrap_err(),
            (StatusCode::NOT_FOUND, "unknown_submission")
        );
    }

    /// The dev route and `GET /v1/applications` over HTTP, with a stand-in
    /// provider whose introspection takes any token as `u1`'s.
    #[tokio::test]
    async fn materials_asked_for_reach_the_applicant_over_http() {
        use crate::test_http::exchange;
        let provider = axum::Router::new().route(
            "/introspect",
            axum::routing::post(|| async {
                Json(json!({"active": true, "sub": "u1", "client_id": "palmgov-app"}))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, provider).await });
        let admin = "status-test-admin-token-0123456789abcdef";
        let server = crate::start(
            "127.0.0.1:0".parse().unwrap(),
            crate::ServerOptions {
                auth: Some(crate::AuthConfig {
                    introspection_endpoint: Some(format!("{issuer}/introspect")),
                    ..crate::AuthConfig::new(&issuer, "backend", "secret", "palmgov-app")
                }),
                dev_admin_token: Some(admin.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let addr = server.addr;
        let json_type = ("content-type", "application/json");
        let resident = ("authorization", "Bearer resident-token");
        let admin = format!("Bearer {admin}");
        let caseworker = ("authorization", admin.as_str());
        let visit = visit("h1", 9, "13905710109").to_string();
        let (status, _, _) = exchange(
            addr,
            "PUT",
            "/v1/submissions/h1",
            &[json_type, resident],
            &visit,
        )
        .await;
        assert_eq!(status, 201);

        let as_json = |body: Vec<u8>| serde_json::from_slice::<Value>(&body).unwrap();
        let set = |body: Value| {
            let body = body.to_string();
            async move {
                let (status, _, reply) = exchange(
                    addr,
                    "POST",
                    "/v1/dev/applications/h1/status",
                    &[json_type, caseworker],
                    &body,
                )
                .await;
                (status, as_json(reply))
            }
        };
        let due = unix_now_ms() + 3 * 24 * 3600 * 1000;
        let materials = json!(["房产证复印件", "近三个月水电费单据"]);
        assert_eq!(
            set(json!({"status": "correction_required", "note": "材料不全",
                       "due_at_ms": due, "requested_materials": materials}))
            .await,
            (
                200,
                json!({"instance_id": "h1", "status": "correction_required"})
            )
        );
        for (body, code) in [
            (
                json!({"status": "correction_required", "due_at_ms": unix_now_ms() - 60_000}),
                "bad_due_date",
            ),
            (
                json!({"status": "correction_required", "requested_materials": vec!["证"; 21]}),
                "bad_requested_materials",
            ),
            (
                json!({"status": "correction_required", "requested_materials": [""]}),
                "bad_requested_materials",
            ),
            (
                json!({"status": "correction_required", "requested_materials": []}),
                "bad_requested_materials",
            ),
        ] {
            assert_eq!(
                set(body.clone()).await,
                (422, json!({"error": code})),
                "{body}"
            );
        }
        assert_eq!(
            set(json!({"status": "correction_required", "due_at_ms": "soon"})).await,
            (422, json!({"error": "invalid_request"}))
        );

        let (status, _, reply) =
            exchange(addr, "GET", "/v1/applications?ids=h1", &[resident], "").await;
        assert_eq!(status, 200);
        let application = &as_json(reply)["applications"][0];
        assert_eq!(application["status"], "correction_required");
        let history = application["history"].as_array().unwrap();
        assert_eq!(history.len(), 2, "the refused steps left nothing");
        assert_eq!(history[0].get("due_at_ms"), None);
        assert_eq!(history[0].get("requested_materials"), None);
        assert_eq!(
            history[1],
            json!({"status": "correction_required", "at_ms": history[1]["at_ms"],
                   "note": "材料不全", "due_at_ms": due, "requested_materials": materials})
        );
    }

    /// Licences attached as form material, issued by the backend's own
    /// wallet and presented by the holder's phone key.
    mod licences {
        use super::*;
        use crate::auth::Person;
        use crate::wallet::{WalletOptions, WalletService};
        use palmgov_credentials::jws;
        use palmgov_credentials::keys::{Es256Signer, Signer};
        use palmgov_credentials::sdjwt;

        const BASE: &str = "http://127.0.0.1:8787";
        const FORM_ID: &str = "residence-proof";
        const FIELD: &str = "household_register";
        /// A small form that takes the household register as material,
        /// disclosing the name and the address only.
        const FORM: &str = r#"{
          "format": 1, "id": "residence-proof", "version": 1,
          "title": {"zh-Hans": "居住证明申请", "zh-Hant": "居住證明申請",
                    "ug": "تۇرالغۇ ئىسپاتى ئىلتىماسى", "en": "Proof of residence"},
          "fields": [
            {"name": "applicant_name", "type": "text", "required": true,
             "label": {"zh-Hans": "申请人姓名", "zh-Hant": "申請人姓名",
                       "ug": "ئىلتىماس قىلغۇچىنىڭ ئىسمى", "en": "Applicant's name"}},
            {"name": "household_register", "type": "licence_ref", "required": true,
             "licence": "household_register", "disclose": ["name", "address"],
             "purpose": {"zh-Hans": "核验住址，开具居住证明", "zh-Hant": "核驗住址，開具居住證明",
                         "ug": "ئادرېسنى تەكشۈرۈش", "en": "To check your address"},
             "label": {"zh-Hans": "居民户口簿", "zh-Hant": "居民戶口簿",
                       "ug": "نوپۇس دەپتىرى", "en": "Household register"}}
          ]
        }"#;

        /// A person signed in on their phone, holding the household
        /// register the wallet issued to them, bound to the phone's key.
        struct Holder {
            caller: Caller,
            name: String,
            phone: Es256Signer,
            credential: String,
            licence_id: String,
        }

        struct Backend {
            submissions: Submissions,
            wallet: WalletService,
        }

        impl Backend {
            fn new(max_age: std::time::Duration) -> Self {
                let mut options = FormsOptions::default();
                options.definitions.push(FORM.into());
                options.licence_max_age = max_age;
                Self {
                    submissions: Submissions::open(None, &options).unwrap(),
                    wallet: WalletService::open(None, WalletOptions::default()).unwrap(),
                }
            }

            fn put(
                &self,
                who: &Holder,
                id: &str,
                body: &Value,
            ) -> Result<(StatusCode, Value), (StatusCode, Value)> {
                let issuance = Issuance {
                    wallet: &self.wallet,
                    base: BASE,
                };
                let body = serde_json::to_vec(body).unwrap();
                self.submissions.put(&who.caller, 2, id, &body, issuance)
            }

            /// Sample resident `n`, signed in as `subject`, with their
            /// licences fetched to a new phone.
            fn holder(&self, n: usize, subject: &str) -> Holder {
                let p = crate::sample_person(n);
                let caller = Caller {
                    subject: subject.into(),
                    dpop: true,
                    acr: None,
                    birthdate: Some(p.birth_date.clone()),
                    person: Some(Person {
                        name: p.name.clone(),
                        id_number: p.id_number.clone(),
                        birth_date: p.birth_date.clone(),
                        organisation: None,
                    }),
                    session_key: None,
                };
                let phone = Es256Signer::generate().unwrap();
                let header = json!({"typ": "openid4vci-proof+jwt",
                                    "jwk": phone.public_key().to_jwk()});
                let claims = json!({"nonce": self.wallet.nonce(subject), "aud": BASE,
                                    "iat": unix_now()});
                let proof =
                    jws::sign(&header, &serde_json::to_vec(&claims).unwrap(), &phone).unwrap();
                let issued = self
                    .wallet
                    .issue(&caller, BASE, &phone.public_key().to_jwk(), Some(&proof))
                    .unwrap();
                let credential = issued["licences"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|l| l["type"] == FIELD)
                    .unwrap()["credential"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                let licence_id = sdjwt::inspect(&credential).unwrap().issuer_payload["licence_id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                Holder {
                    caller,
                    name: p.name,
                    phone,
                    credential,
                    licence_id,
                }
            }
        }

        /// `who`'s household register, disclosing `claims`, bound to `aud`
        /// and `nonce` at `iat`.
        fn present(who: &Holder, claims: &[&str], aud: &str, nonce: &str, iat: i64) -> String {
            let pointers: Vec<String> = claims.iter().map(|c| format!("/{c}")).collect();
            let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
            let disclose = sdjwt::by_pointers(&pointers).unwrap();
            sdjwt::present(
                &who.credential,
                &disclose,
                Some(sdjwt::KeyBindingInput {
                    aud,
                    nonce,
                    iat,
                    signer: &who.phone,
                }),
            )
            .unwrap()
        }

        /// A submission by `who` of the form, answered with `licence`'s
        /// register (its number), attaching `presentation` with the consent
        /// to share the name and the address.
        fn submission(id: &str, who: &Holder, licence: &Holder, presentation: &str) -> Value {
            json!({
                "instance_id": id, "form_id": FORM_ID, "form_version": 1,
                "answers": {
                    "applicant_name": who.name,
                    FIELD: {"type": FIELD, "number": licence.licence_id},
                },
                "finalized_at": "2026-12-07T10:00:00+08:00",
                "licences": [{"field": FIELD, "presentation": presentation}],
                "consents": [
                    {"kind": "attached", "field": FIELD, "licence_type": FIELD,
                     "licence_id": licence.licence_id, "claims": ["name", "address"],
                     "recipient": FORM_ID, "purpose": "核验住址，开具居住证明",
                     "at": "2026-12-07T10:00:00+08:00"},
                ],
            })
        }

        /// A fresh presentation of `who`'s register for submission `id`.
        fn fresh(who: &Holder, id: &str) -> String {
            present(who, &["name", "address"], FORM_ID, id, unix_now())
        }

        /// The refusal's body, checked to say which field and why and
        /// nothing else (never a claim value).
        fn refusal(outcome: Result<(StatusCode, Value), (StatusCode, Value)>) -> Value {
            let (status, body) = outcome.unwrap_err();
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let keys: Vec<&str> = body
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert!(
                keys.iter()
                    .all(|k| ["error", "field", "reason"].contains(k)),
                "{body}"
            );
            body
        }

        fn invalid(reason: &str) -> Value {
            json!({"error": "licence_invalid", "field": FIELD, "reason": reason})
        }

        #[test]
        fn an_attached_licence_is_verified_stored_and_accepted_once() {
            let backend = Backend::new(material::DEFAULT_LICENCE_MAX_AGE);
            let resident = backend.holder(24, "unit-resident-24");
            let presentation = fresh(&resident, "lic-1");
            let mut body = submission("lic-1", &resident, &resident, &presentation);
            // A grid worker's prefill from a code she showed is on record too.
            body["consents"].as_array_mut().unwrap().push(json!({
                "kind": "shown", "licence_type": "id_card",
                "claims": ["name", "id_number", "address"], "presentation_id": "5be0c27a91d4",
                "recipient": FORM_ID, "purpose": "入户走访", "at": "2026-12-06T15:20:00+08:00"}));
            let (status, first) = backend.put(&resident, "lic-1", &body).unwrap();
            assert_eq!(status, StatusCode::CREATED, "{first}");
            assert_eq!(
                backend.submissions.accepted_licences("lic-1"),
                [(FIELD.to_string(), resident.licence_id.clone())]
            );
            // The licence and the consents are kept with the submission,
            // as sent.
            let stored = &backend.submissions.inventory()["submissions"][0];
            assert_eq!(stored["instance_id"], "lic-1");
            assert_eq!(stored["consents"], body["consents"]);
            assert_eq!(stored["licences"], body["licences"]);

            // The same bytes again (a lost reply): the same receipt.
            let (status, again) = backend.put(&resident, "lic-1", &body).unwrap();
            assert_eq!(status, StatusCode::OK);
            assert_eq!(again, first);

            // The accepted presentation, replayed into another submission.
            let replay = submission("lic-2", &resident, &resident, &presentation);
            assert_eq!(
                refusal(backend.put(&resident, "lic-2", &replay)),
                invalid("replayed")
            );
            // A presentation of its own for that one is accepted.
            let own = submission("lic-2", &resident, &resident, &fresh(&resident, "lic-2"));
            assert_eq!(
                backend.put(&resident, "lic-2", &own).unwrap().0,
                StatusCode::CREATED
            );
            assert_eq!(backend.submissions.accepted_licences("lic-2").len(), 1);
        }

        #[test]
        fn a_presentation_bound_elsewhere_or_disclosing_otherwise_is_refused() {
            let backend = Backend::new(material::DEFAULT_LICENCE_MAX_AGE);
            let resident = backend.holder(31, "unit-resident-31");
            let now = unix_now();
            for (presentation, reason) in [
                (
                    present(&resident, &["name", "address"], FORM_ID, "lic-other", now),
                    "nonce",
                ),
                (
                    present(
                        &resident,
                        &["name", "address"],
                        "household-visit",
                        "lic-3",
                        now,
                    ),
                    "aud",
                ),
                (
                    present(
                        &resident,
                        &["name", "address", "id_number"],
                        FORM_ID,
                        "lic-3",
                        now,
                    ),
                    "disclosure_extra",
                ),
                (
                    present(&resident, &["name"], FORM_ID, "lic-3", now),
                    "disclosure_missing",
                ),
                (
                    present(&resident, &["name", "address"], FORM_ID, "lic-3", now + 600),
                    "iat_future",
                ),
            ] {
                let body = submission("lic-3", &resident, &resident, &presentation);
                let outcome = backend.put(&resident, "lic-3", &body);
                assert!(outcome.is_err(), "{reason}: accepted");
                assert_eq!(refusal(outcome), invalid(reason), "{reason}");
            }
            // A disclosure taken out after binding breaks the KB-JWT's sd_hash.
            let whole = fresh(&resident, "lic-3");
            let parts: Vec<&str> = whole.split('~').collect();
            let cut = format!("{}~{}~{}", parts[0], parts[1], parts[parts.len() - 1]);
            let body = submission("lic-3", &resident, &resident, &cut);
            assert_eq!(
                refusal(backend.put(&resident, "lic-3", &body)),
                invalid("sd_hash")
            );
            // An answer naming another licence than the one presented (a
            // well-formed identifier of another register).
            let mut body = submission("lic-3", &resident, &resident, &fresh(&resident, "lic-3"));
            let kind = palmgov::forms::licence_types::by_name(FIELD).unwrap();
            let other = palmgov::forms::licence_types::make_identifier(
                kind.type_code,
                "113300000024820075",
                "HR000000000001",
                1,
            );
            assert_ne!(other, resident.licence_id);
            body["answers"][FIELD]["number"] = json!(other);
            body["consents"][0]["licence_id"] = json!(other);
            assert_eq!(
                refusal(backend.put(&resident, "lic-3", &body)),
                invalid("licence_id")
            );
            // Nothing refused was stored; the right one is.
            assert!(backend.submissions.accepted_licences("lic-3").is_empty());
            let body = submission("lic-3", &resident, &resident, &fresh(&resident, "lic-3"));
            assert_eq!(
                backend.put(&resident, "lic-3", &body).unwrap().0,
                StatusCode::CREATED
            );
        }

        #[test]
        fn someone_elses_licence_is_refused() {
            let backend = Backend::new(material::DEFAULT_LICENCE_MAX_AGE);
            let resident = backend.holder(45, "unit-resident-45");
            let worker = backend.holder(62, "unit-grid-worker-62");
            // The grid worker files the form as herself with the resident's
            // register, presented by the resident's own phone.
            let body = submission("lic-4", &worker, &resident, &fresh(&resident, "lic-4"));
            assert_eq!(
                refusal(backend.put(&worker, "lic-4", &body)),
                invalid("not_holder")
            );
            assert!(backend.submissions.accepted_licences("lic-4").is_empty());
        }

        #[test]
        fn a_revoked_or_suspended_licence_is_refused() {
            let backend = Backend::new(material::DEFAULT_LICENCE_MAX_AGE);
            let resident = backend.holder(77, "unit-resident-77");
            for (status, reason) in [("suspended", "suspended"), ("revoked", "revoked")] {
                backend
                    .wallet
                    .set_status(&resident.licence_id, status)
                    .unwrap();
                let body = submission("lic-5", &resident, &resident, &fresh(&resident, "lic-5"));
                assert_eq!(
                    refusal(backend.put(&resident, "lic-5", &body)),
                    invalid(reason)
                );
            }
            assert!(backend.submissions.accepted_licences("lic-5").is_empty());
            // A phone reported lost: what it holds is revoked with it.
            let neighbour = backend.holder(78, "unit-resident-78");
            assert_eq!(
                backend.wallet.revoke_all_bindings("unit-resident-78"),
                Ok(1)
            );
            let body = submission(
                "lic-11",
                &neighbour,
                &neighbour,
                &fresh(&neighbour, "lic-11"),
            );
            assert_eq!(
                refusal(backend.put(&neighbour, "lic-11", &body)),
                invalid("revoked")
            );
        }

        #[test]
        fn a_licence_without_the_persons_consent_is_refused() {
            let backend = Backend::new(material::DEFAULT_LICENCE_MAX_AGE);
            let resident = backend.holder(88, "unit-resident-88");
            let presentation = fresh(&resident, "lic-6");
            let good = submission("lic-6", &resident, &resident, &presentation);
            for (key, value) in [
                ("claims", json!(["name", "address", "id_number"])),
                ("claims", json!(["name"])),
                ("recipient", json!("household-visit")),
                ("field", json!("other_field")),
                ("licence_id", json!("1.2.156.3005.2.other")),
                ("kind", json!("shown")),
            ] {
                let mut body = good.clone();
                body["consents"][0][key] = value;
                if key == "kind" {
                    // A "shown" consent has no field: as such it is well
                    // formed, and the attached licence has no consent.
                    body["consents"][0].as_object_mut().unwrap().remove("field");
                    body["consents"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("licence_id");
                }
                assert_eq!(
                    refusal(backend.put(&resident, "lic-6", &body)),
                    invalid("consent_missing"),
                    "{key}"
                );
            }
            let mut none = good.clone();
            none["consents"] = json!([]);
            assert_eq!(
                refusal(backend.put(&resident, "lic-6", &none)),
                invalid("consent_missing")
            );
            // Consents that are not of the API's shape.
            for consent in [
                json!({"kind": "attached"}),
                json!({"kind": "shown", "licence_type": "passport", "claims": ["name"],
                       "recipient": FORM_ID, "purpose": "", "at": "2026-12-07T10:00:00+08:00"}),
                json!({"kind": "shown", "licence_type": "id_card", "claims": [],
                       "recipient": FORM_ID, "purpose": "", "at": "2026-12-07T10:00:00+08:00"}),
                json!({"kind": "shown", "licence_type": "id_card", "claims": ["name"],
                       "recipient": "household-visit", "purpose": "",
                       "at": "2026-12-07T10:00:00+08:00"}),
                json!({"kind": "shown", "licence_type": "id_card", "claims": ["name"],
                       "recipient": FORM_ID, "purpose": ""}),
                json!("consented"),
            ] {
                let mut body = good.clone();
                body["consents"]
                    .as_array_mut()
                    .unwrap()
                    .push(consent.clone());
                assert_eq!(
                    refusal(backend.put(&resident, "lic-6", &body)),
                    json!({"error": "invalid_submission"}),
                    "{consent}"
                );
            }
            assert_eq!(
                backend.put(&resident, "lic-6", &good).unwrap().0,
                StatusCode::CREATED
            );
        }

        #[test]
        fn a_stale_binding_is_told_apart_and_a_fresh_one_is_accepted() {
            let backend = Backend::new(material::DEFAULT_LICENCE_MAX_AGE);
            let resident = backend.holder(93, "unit-resident-93");
            // Finalized offline 31 days ago, sent now.
            let old = unix_now() - 31 * 24 * 3600;
            let stale = present(&resident, &["name", "address"], FORM_ID, "lic-7", old);
            let body = submission("lic-7", &resident, &resident, &stale);
            assert_eq!(
                refusal(backend.put(&resident, "lic-7", &body)),
                json!({"error": "licence_stale", "field": FIELD})
            );
            // The app binds it again under the same instance id and resends.
            let rebound = submission("lic-7", &resident, &resident, &fresh(&resident, "lic-7"));
            assert_eq!(
                backend.put(&resident, "lic-7", &rebound).unwrap().0,
                StatusCode::CREATED
            );
            assert_eq!(backend.submissions.accepted_licences("lic-7").len(), 1);

            // The maximum age is the server's setting.
            let strict = Backend::new(std::time::Duration::from_secs(3600));
            let resident = strict.holder(94, "unit-resident-94");
            let two_hours = present(
                &resident,
                &["name", "address"],
                FORM_ID,
                "lic-8",
                unix_now() - 2 * 3600,
            );
            let body = submission("lic-8", &resident, &resident, &two_hours);
            assert_eq!(
                refusal(strict.put(&resident, "lic-8", &body))["error"],
                "licence_stale"
            );
        }

        #[test]
        fn a_licence_answer_needs_its_presentation_and_nothing_else_is_taken() {
            let backend = Backend::new(material::DEFAULT_LICENCE_MAX_AGE);
            let resident = backend.holder(105, "unit-resident-105");
            let presentation = fresh(&resident, "lic-9");
            let mut body = submission("lic-9", &resident, &resident, &presentation);
            body["licences"] = json!([]);
            assert_eq!(
                refusal(backend.put(&resident, "lic-9", &body)),
                json!({"error": "licence_missing", "field": FIELD})
            );
            let mut body = submission("lic-9", &resident, &resident, &presentation);
            body["licences"]
                .as_array_mut()
                .unwrap()
                .push(json!({"field": FIELD, "presentation": presentation}));
            assert_eq!(
                refusal(backend.put(&resident, "lic-9", &body)),
                invalid("duplicate")
            );
            let mut body = submission("lic-9", &resident, &resident, &presentation);
            body["licences"][0]["field"] = json!("applicant_name");
            assert_eq!(
                refusal(backend.put(&resident, "lic-9", &body)),
                json!({"error": "licence_invalid", "field": "applicant_name",
                       "reason": "not_requested"})
            );
            let mut body = submission("lic-9", &resident, &resident, &presentation);
            body["licences"][0]["presentation"] = json!("x".repeat(17 * 1024));
            assert_eq!(
                refusal(backend.put(&resident, "lic-9", &body)),
                invalid("too_large")
            );
            let mut body = submission("lic-9", &resident, &resident, &presentation);
            body["licences"] = json!(vec![json!({"field": FIELD, "presentation": ""}); 9]);
            assert_eq!(
                refusal(backend.put(&resident, "lic-9", &body)),
                json!({"error": "invalid_submission"})
            );
            // A form that takes no licence takes no presentation.
            let mut visit = visit("lic-10", 105, "13905710107");
            visit["licences"] = json!([{"field": "housing_licence", "presentation": presentation}]);
            assert_eq!(
                refusal(backend.put(&resident, "lic-10", &visit)),
                json!({"error": "licence_invalid", "field": "housing_licence",
                       "reason": "not_requested"})
            );
        }
    }
}
