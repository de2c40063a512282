//! Face verification (刷脸) as the reference backend does it: the server
//! issues a challenge, judges what the app sends back and signs a verdict.
//!
//! The core only runs the challenge and prepares frames; the decision is the
//! server's (GB/T 38671-2020: the server re-judges client-side liveness). This
//! reference implementation has no face matcher. Its outcomes are
//! deterministic so tests can drive every branch:
//!
//! - a vendor liveness token `pass` verifies; `no-match` fails the match;
//!   anything else fails liveness;
//! - frames verify when every one is a JPEG whose long edge is at most 640 px
//!   and which carries no EXIF (what the core's frame preparation promises),
//!   unless the account's subject starts with `nomatch`.
//!
//! Frames are checked in memory and dropped; nothing biometric is stored.
//! What is kept, in the backend's database so a restart changes nothing:
//! failed-attempt times per account, the verdicts with the operations each
//! was issued for (a verdict raises those operations only, never the whole
//! account), and every consent a challenge came with (what, when, which
//! text version, by whom, and for a minor the guardian who gave it).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{Caller, Refusal, unix_now};
use crate::{AppState, JsonBody, Reply, refused};

/// How the face service behaves; tests shorten the times.
#[derive(Debug, Clone)]
pub struct FaceOptions {
    /// How long a verdict raises the account's level (default 10 minutes).
    pub verdict_ttl: Duration,
    /// How long the person has to complete a challenge.
    pub challenge_timeout: Duration,
    /// Failed attempts allowed per account within `attempt_window`.
    pub max_attempts: u32,
    pub attempt_window: Duration,
}

impl Default for FaceOptions {
    fn default() -> Self {
        Self {
            verdict_ttl: Duration::from_secs(600),
            challenge_timeout: Duration::from_secs(60),
            max_attempts: 3,
            attempt_window: Duration::from_secs(600),
        }
    }
}

/// The level a face verdict grants: L4, a real person matched to the ID photo.
pub const FACE_LEVEL: u8 = 4;
/// Frames per attempt the server accepts.
const MAX_FRAMES: usize = 8;
/// The long edge the core scales frames down to.
const MAX_EDGE: u32 = 640;
/// Age below which a guardian must consent (rules in force since 2025-06-01).
const GUARDIAN_AGE: i32 = 14;

/// The most operations one verdict may name: a grid worker's day of
/// queued visits that need a face check.
pub const MAX_OPERATIONS: usize = 50;

/// What the app sends to open a challenge: the operations the verdict is
/// to be for (form instance ids and the like), and the person's separate
/// consent (no biometric data in it).
#[derive(Debug, Deserialize)]
pub struct ChallengeRequest {
    pub operations: Vec<String>,
    pub consent: Consent,
}

#[derive(Debug, Deserialize)]
pub struct Consent {
    pub consented_at_ms: i64,
    pub version: String,
    #[serde(default)]
    pub guardian: Option<Guardian>,
}

/// Who consented for a minor.
#[derive(Deserialize)]
pub struct Guardian {
    pub relationship: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
}

/// Never the guardian's name or ID number in a log line.
impl std::fmt::Debug for Guardian {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guardian")
            .field("relationship", &self.relationship)
            .finish_non_exhaustive()
    }
}

/// The app's answer to a challenge: either a vendor SDK's liveness token or
/// prepared JPEG frames (base64), bound to the challenge's nonce and the
/// operations it was opened for.
#[derive(Debug, Deserialize)]
pub struct VerifyRequest {
    pub nonce: String,
    pub operations: Vec<String>,
    #[serde(default)]
    pub liveness: Option<Liveness>,
    #[serde(default)]
    pub frames: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Liveness {
    pub vendor: String,
    pub token: String,
}

struct Challenge {
    subject: String,
    operations: Vec<String>,
    nonce: String,
    expires: Instant,
}

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS face_failures (
        subject TEXT NOT NULL,
        at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS face_failures_subject ON face_failures (subject, at);
    CREATE TABLE IF NOT EXISTS face_grants (
        subject TEXT NOT NULL,
        operation TEXT NOT NULL,
        level INTEGER NOT NULL,
        until INTEGER NOT NULL,
        PRIMARY KEY (subject, operation)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS face_consents (
        subject TEXT NOT NULL,
        version TEXT NOT NULL,
        consented_at_ms INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        operations TEXT NOT NULL,
        guardian_relationship TEXT,
        guardian_name TEXT,
        guardian_id_number TEXT,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (subject, version, consented_at_ms)
    ) STRICT, WITHOUT ROWID;";

/// Challenges in memory (a restart costs an open one a retry); attempts,
/// verdicts and consents in the database. Times there are server Unix
/// seconds.
pub struct FaceService {
    options: FaceOptions,
    key: EcdsaKeyPair,
    kid: String,
    rng: SystemRandom,
    challenges: Mutex<HashMap<String, Challenge>>,
    db: Mutex<Connection>,
    /// The acr value that names L4 for the region, for the verdict.
    acr: String,
}

const INTERNAL: Refusal = (StatusCode::INTERNAL_SERVER_ERROR, "internal");

impl FaceService {
    /// A service with a fresh verdict signing key (published at
    /// `/v1/face/jwks`) and its records in the database at `path` (in
    /// memory without one); `acr` is what the region calls L4.
    pub fn open(
        path: Option<&std::path::Path>,
        options: FaceOptions,
        acr: String,
    ) -> rusqlite::Result<Self> {
        let db = crate::store::connect(path)?;
        db.execute_batch(SCHEMA)?;
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("ring generates P-256 keys");
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .expect("a key ring just generated parses");
        let kid = B64.encode(
            &ring::digest::digest(&ring::digest::SHA256, key.public_key().as_ref()).as_ref()[..12],
        );
        Ok(Self {
            options,
            key,
            kid,
            rng,
            challenges: Mutex::new(HashMap::new()),
            db: Mutex::new(db),
            acr,
        })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The verdict key as a JWKS, so the app can check verdicts offline.
    pub fn jwks(&self) -> Value {
        let point = self.key.public_key().as_ref();
        json!({"keys": [{
            "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": self.kid,
            "x": B64.encode(&point[1..33]), "y": B64.encode(&point[33..65]),
        }]})
    }

    /// The level a current verdict grants `subject` for `operation`, with
    /// its expiry (ms). A verdict counts only for the operations it names.
    pub fn verdict_for(&self, subject: &str, operation: &str) -> Option<(u8, i64)> {
        self.db()
            .query_row(
                "SELECT level, until FROM face_grants
                 WHERE subject = ?1 AND operation = ?2 AND until > ?3",
                params![subject, operation, unix_now()],
                |r| Ok((r.get::<_, u8>(0)?, r.get::<_, i64>(1)? * 1000)),
            )
            .ok()
    }

    /// Until when (ms) the latest current verdict of `subject` holds, for
    /// whatever operations it names.
    pub fn latest_verdict(&self, subject: &str) -> Option<i64> {
        self.db()
            .query_row(
                "SELECT MAX(until) FROM face_grants WHERE subject = ?1 AND until > ?2",
                params![subject, unix_now()],
                |r| r.get::<_, Option<i64>>(0),
            )
            .ok()
            .flatten()
            .map(|until| until * 1000)
    }

    /// Every consent `subject` gave with a challenge, newest first, as
    /// recorded: what the demo and the tests look at.
    pub fn consents(&self, subject: &str) -> Vec<Value> {
        let db = self.db();
        let rows = db
            .prepare(
                "SELECT version, consented_at_ms, purpose, operations, guardian_relationship,
                     guardian_name, guardian_id_number, received_at
                 FROM face_consents WHERE subject = ?1 ORDER BY received_at DESC",
            )
            .and_then(|mut stmt| {
                stmt.query_map([subject], |r| {
                    let guardian = r.get::<_, Option<String>>(4)?.map(|relationship| {
                        json!({"relationship": relationship, "name": r.get::<_, Option<String>>(5).ok().flatten(),
                               "id_number": r.get::<_, Option<String>>(6).ok().flatten()})
                    });
                    Ok(json!({
                        "subject": subject,
                        "version": r.get::<_, String>(0)?,
                        "consented_at_ms": r.get::<_, i64>(1)?,
                        "purpose": r.get::<_, String>(2)?,
                        "operations": serde_json::from_str::<Value>(&r.get::<_, String>(3)?).unwrap_or_default(),
                        "guardian": guardian,
                        "received_at": r.get::<_, i64>(7)?,
                    }))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            });
        rows.unwrap_or_default()
    }

    fn attempts_left(&self, subject: &str) -> Result<u32, Refusal> {
        let since = unix_now() - self.options.attempt_window.as_secs() as i64;
        let db = self.db();
        db.execute(
            "DELETE FROM face_failures WHERE subject = ?1 AND at <= ?2",
            params![subject, since],
        )
        .map_err(|_| INTERNAL)?;
        let failed: u32 = db
            .query_row(
                "SELECT COUNT(*) FROM face_failures WHERE subject = ?1",
                [subject],
                |r| r.get(0),
            )
            .map_err(|_| INTERNAL)?;
        Ok(self.options.max_attempts.saturating_sub(failed))
    }

    /// Keeps the consent a challenge came with: who gave it, for what,
    /// when, which text, and for a minor the guardian. No biometric data.
    fn record_consent(
        &self,
        caller: &Caller,
        request: &ChallengeRequest,
        minor: bool,
    ) -> Result<(), Refusal> {
        let consent = &request.consent;
        let guardian = consent.guardian.as_ref().filter(|_| minor);
        self.db()
            .execute(
                "INSERT OR IGNORE INTO face_consents (subject, version, consented_at_ms, purpose,
                     operations, guardian_relationship, guardian_name, guardian_id_number,
                     received_at)
                 VALUES (?1, ?2, ?3, 'face_verification', ?4, ?5, ?6, ?7, ?8)",
                params![
                    caller.subject,
                    consent.version,
                    consent.consented_at_ms,
                    serde_json::to_string(&request.operations).map_err(|_| INTERNAL)?,
                    guardian.map(|g| g.relationship.trim()),
                    guardian.map(|g| g.name.trim()),
                    guardian.map(|g| g.id_number.trim()),
                    unix_now(),
                ],
            )
            .map_err(|_| INTERNAL)?;
        Ok(())
    }

    /// Opens a challenge for `caller`, after checking consent and attempts.
    pub fn challenge(&self, caller: &Caller, request: &ChallengeRequest) -> Result<Value, Refusal> {
        let bad = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");
        let ops = &request.operations;
        if ops.is_empty()
            || ops.len() > MAX_OPERATIONS
            || ops.iter().any(|o| o.is_empty() || o.len() > 128)
            || (1..ops.len()).any(|i| ops[..i].contains(&ops[i]))
        {
            return Err(bad);
        }
        if request.consent.version.is_empty()
            || request.consent.version.len() > 64
            || request.consent.consented_at_ms <= 0
        {
            return Err((StatusCode::FORBIDDEN, "consent_required"));
        }
        let minor = caller
            .birthdate
            .as_deref()
            .and_then(age_today)
            .is_some_and(|age| age < GUARDIAN_AGE);
        // A guardian is named and identified: relationship, name, and an
        // ID number of the national form (the core checks its digit).
        let identified = |g: &Guardian| {
            let id = g.id_number.trim();
            !g.relationship.trim().is_empty()
                && !g.name.trim().is_empty()
                && g.name.chars().count() <= 64
                && id.len() == 18
                && id[..17].bytes().all(|b| b.is_ascii_digit())
                && matches!(id.as_bytes()[17], b'0'..=b'9' | b'X')
        };
        if minor
            && request
                .consent
                .guardian
                .as_ref()
                .is_none_or(|g| !identified(g))
        {
            return Err((StatusCode::FORBIDDEN, "guardian_consent_required"));
        }
        let attempts_left = self.attempts_left(&caller.subject)?;
        if attempts_left == 0 {
            return Err((StatusCode::FORBIDDEN, "face_attempts_exhausted"));
        }
        self.record_consent(caller, request, minor)?;
        let id = self.random(16)?;
        let nonce = self.random(24)?;
        // Two actions from a fixed set, chosen by the nonce: enough for the
        // shell's liveness flow to differ between attempts.
        const ACTIONS: [&str; 4] = ["blink", "turn_head_left", "turn_head_right", "open_mouth"];
        let pick = nonce.as_bytes();
        let first = ACTIONS[usize::from(pick[0]) % 4];
        let second = ACTIONS[(usize::from(pick[0]) + 1 + usize::from(pick[1]) % 3) % 4];
        let mut challenges = self.challenges.lock().map_err(|_| INTERNAL)?;
        challenges.retain(|_, c| c.expires > Instant::now());
        challenges.insert(
            id.clone(),
            Challenge {
                subject: caller.subject.clone(),
                operations: request.operations.clone(),
                nonce: nonce.clone(),
                expires: Instant::now() + self.options.challenge_timeout,
            },
        );
        Ok(json!({
            "challenge_id": id,
            "nonce": nonce,
            "actions": [first, second],
            "timeout_ms": self.options.challenge_timeout.as_millis() as u64,
            "attempts_left": attempts_left,
        }))
    }

    /// Judges an answer. A challenge is used once, whatever the outcome.
    pub fn verify(
        &self,
        caller: &Caller,
        challenge_id: &str,
        request: &VerifyRequest,
    ) -> Result<Value, Refusal> {
        let challenge = self
            .challenges
            .lock()
            .map_err(|_| INTERNAL)?
            .remove(challenge_id)
            .filter(|c| c.subject == caller.subject)
            .ok_or((StatusCode::NOT_FOUND, "unknown_challenge"))?;
        if challenge.expires <= Instant::now() {
            return Err((StatusCode::GONE, "challenge_expired"));
        }
        if challenge.nonce != request.nonce || challenge.operations != request.operations {
            return Err((StatusCode::UNPROCESSABLE_ENTITY, "binding_mismatch"));
        }
        let outcome = match (&request.liveness, request.frames.is_empty()) {
            (Some(liveness), true) if !liveness.vendor.is_empty() => {
                match liveness.token.as_str() {
                    "pass" => Ok(()),
                    "no-match" => Err("no_match"),
                    _ => Err("not_live"),
                }
            }
            (None, false) if request.frames.len() <= MAX_FRAMES => {
                for frame in &request.frames {
                    let bytes = STANDARD
                        .decode(frame)
                        .map_err(|_| (StatusCode::UNPROCESSABLE_ENTITY, "invalid_frame"))?;
                    check_frame(&bytes).map_err(|code| (StatusCode::UNPROCESSABLE_ENTITY, code))?;
                }
                if caller.subject.starts_with("nomatch") {
                    Err("no_match")
                } else {
                    Ok(())
                }
            }
            _ => return Err((StatusCode::UNPROCESSABLE_ENTITY, "invalid_capture")),
        };
        match outcome {
            Ok(()) => {
                let iat = unix_now();
                let exp = iat + self.options.verdict_ttl.as_secs() as i64;
                let verdict = self.sign(&json!({
                    "sub": caller.subject, "ops": challenge.operations, "chl": challenge_id,
                    "acr": self.acr, "amr": ["face"], "iat": iat, "exp": exp,
                }))?;
                self.grant(&caller.subject, &challenge.operations, exp)
                    .map_err(|_| INTERNAL)?;
                Ok(json!({"result": "verified", "verdict": verdict}))
            }
            Err(reason) => {
                self.db()
                    .execute(
                        "INSERT INTO face_failures (subject, at) VALUES (?1, ?2)",
                        params![caller.subject, unix_now()],
                    )
                    .map_err(|_| INTERNAL)?;
                let attempts_left = self.attempts_left(&caller.subject)?;
                Ok(json!({"result": "rejected", "reason": reason, "attempts_left": attempts_left}))
            }
        }
    }

    /// Records a verdict for each of `operations` until `exp`, and clears
    /// the account's failures, in one transaction.
    fn grant(&self, subject: &str, operations: &[String], exp: i64) -> rusqlite::Result<()> {
        let db = self.db();
        let tx = db.unchecked_transaction()?;
        tx.execute("DELETE FROM face_failures WHERE subject = ?1", [subject])?;
        tx.execute(
            "DELETE FROM face_grants WHERE subject = ?1 AND until <= ?2",
            params![subject, unix_now()],
        )?;
        for operation in operations {
            tx.execute(
                "INSERT OR REPLACE INTO face_grants (subject, operation, level, until)
                 VALUES (?1, ?2, ?3, ?4)",
                params![subject, operation, FACE_LEVEL, exp],
            )?;
        }
        tx.commit()
    }

    fn sign(&self, claims: &Value) -> Result<String, Refusal> {
        let header = json!({"alg": "ES256", "typ": "palmgov-face-verdict+jwt", "kid": self.kid});
        let input = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        );
        let signature = self
            .key
            .sign(&self.rng, input.as_bytes())
            .map_err(|_| INTERNAL)?;
        Ok(format!("{input}.{}", B64.encode(signature.as_ref())))
    }

    fn random(&self, len: usize) -> Result<String, Refusal> {
        let mut bytes = vec![0u8; len];
        self.rng.fill(&mut bytes).map_err(|_| INTERNAL)?;
        Ok(B64.encode(bytes))
    }
}

/// What the core promises about a prepared frame: a JPEG, no EXIF (so no
/// GPS), long edge at most 640 px. Walks the marker segments up to the frame
/// header.
fn check_frame(bytes: &[u8]) -> Result<(), &'static str> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("invalid_frame");
    }
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return Err("invalid_frame");
        }
        let marker = bytes[at + 1];
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let segment = bytes.get(at + 4..at + 2 + len).ok_or("invalid_frame")?;
        if marker == 0xE1 && segment.starts_with(b"Exif") {
            return Err("frame_has_exif");
        }
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            if segment.len() < 5 {
                return Err("invalid_frame");
            }
            let h = u32::from(u16::from_be_bytes([segment[1], segment[2]]));
            let w = u32::from(u16::from_be_bytes([segment[3], segment[4]]));
            return if w.max(h) <= MAX_EDGE && w > 0 && h > 0 {
                Ok(())
            } else {
                Err("frame_too_large")
            };
        }
        at += 2 + len;
    }
    Err("invalid_frame")
}

/// Whole years between a `YYYY-MM-DD` birth date and today (UTC).
pub(crate) fn age_today(birthdate: &str) -> Option<i32> {
    let mut parts = birthdate.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let born = time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    let today = time::OffsetDateTime::now_utc().date();
    let before_birthday = (today.month() as u8, today.day()) < (born.month() as u8, born.day());
    Some(today.year() - born.year() - i32::from(before_birthday))
}

/// `GET /v1/face/jwks`: the keys verdicts are signed with.
/// The verdict keys, cacheable for five minutes: a key this backend
/// withdraws leaves the apps' caches within that.
pub(crate) async fn jwks(State(state): State<Arc<AppState>>) -> Response {
    (
        [(axum::http::header::CACHE_CONTROL, "public, max-age=300")],
        Json(state.face.jwks()),
    )
        .into_response()
}

/// `POST /v1/face/challenges`: a challenge for the operations the caller names.
pub(crate) async fn challenge(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    JsonBody(request): JsonBody<ChallengeRequest>,
) -> Reply {
    let challenge = state.face.challenge(&caller, &request).map_err(refused)?;
    Ok((StatusCode::CREATED, Json(challenge)).into_response())
}

/// `POST /v1/face/challenges/{id}/verify`: the capture, judged.
pub(crate) async fn verify(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    caller: Caller,
    JsonBody(request): JsonBody<VerifyRequest>,
) -> Reply {
    let judgement = state.face.verify(&caller, &id, &request).map_err(refused)?;
    Ok(Json(judgement).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert!(age_today("1990-05-01").unwrap() >= 36);
        let today = time::OffsetDateTime::now_utc().date();
        let ten = format!(
            "{}-{:02}-{:02}",
            today.year() - 10,
            today.month() as u8,
            today.day()
        );
        assert_eq!(age_today(&ten), Some(10));
        assert_eq!(age_today("not a date"), None);
        assert_eq!(age_today("2010-02-30"), None);
    }

    #[test]
    fn frames_with_exif_or_too_large_are_refused() {
        // SOI, APP1 "Exif", then nothing.
        let exif = [
            0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, b'E', b'x', b'i', b'f', 0, 0,
        ];
        assert_eq!(check_frame(&exif), Err("frame_has_exif"));
        let sof = |w: u16, h: u16| {
            let [h1, h2] = h.to_be_bytes();
            let [w1, w2] = w.to_be_bytes();
            vec![
                0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, h1, h2, w1, w2, 3, 0, 0, 0,
            ]
        };
        assert_eq!(check_frame(&sof(640, 480)), Ok(()));
        assert_eq!(check_frame(&sof(641, 480)), Err("frame_too_large"));
        assert_eq!(check_frame(b"GIF89a"), Err("invalid_frame"));
        assert_eq!(
            check_frame(&[0xFF, 0xD8, 0xFF, 0xC0, 0xFF, 0xFF]),
            Err("invalid_frame")
        );
    }
}
