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
//! What is kept per account: failed-attempt times and the current verdict.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// What the app sends to open a challenge: the operation it is for, and the
/// person's separate consent (no biometric data in it).
#[derive(Debug, Deserialize)]
pub struct ChallengeRequest {
    pub transaction: String,
    pub consent: Consent,
}

#[derive(Debug, Deserialize)]
pub struct Consent {
    pub consented_at_ms: i64,
    pub version: String,
    #[serde(default)]
    pub guardian: Option<Guardian>,
}

#[derive(Debug, Deserialize)]
pub struct Guardian {
    pub relationship: String,
}

/// The app's answer to a challenge: either a vendor SDK's liveness token or
/// prepared JPEG frames (base64), bound to the challenge's nonce and the
/// transaction.
#[derive(Debug, Deserialize)]
pub struct VerifyRequest {
    pub nonce: String,
    pub transaction: String,
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
    transaction: String,
    nonce: String,
    expires: Instant,
}

/// Challenges, attempts and verdicts, in memory: a restart forgets them,
/// which only costs the person one more attempt.
pub struct FaceService {
    options: FaceOptions,
    key: EcdsaKeyPair,
    kid: String,
    rng: SystemRandom,
    challenges: Mutex<HashMap<String, Challenge>>,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    verdicts: Mutex<HashMap<String, (u8, Instant, i64)>>,
    /// The acr value that names L4 for the region, for the verdict.
    acr: String,
}

const INTERNAL: Refusal = (StatusCode::INTERNAL_SERVER_ERROR, "internal");

impl FaceService {
    /// A service with a fresh verdict signing key (published at
    /// `/v1/face/jwks`); `acr` is what the region calls L4.
    pub fn new(options: FaceOptions, acr: String) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("ring generates P-256 keys");
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .expect("a key ring just generated parses");
        let kid = B64.encode(
            &ring::digest::digest(&ring::digest::SHA256, key.public_key().as_ref()).as_ref()[..12],
        );
        Self {
            options,
            key,
            kid,
            rng,
            challenges: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            verdicts: Mutex::new(HashMap::new()),
            acr,
        }
    }

    /// The verdict key as a JWKS, so the app can check verdicts offline.
    pub fn jwks(&self) -> Value {
        let point = self.key.public_key().as_ref();
        json!({"keys": [{
            "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": self.kid,
            "x": B64.encode(&point[1..33]), "y": B64.encode(&point[33..65]),
        }]})
    }

    /// The level a current verdict grants `subject`, with its expiry (ms).
    pub fn verdict_for(&self, subject: &str) -> Option<(u8, i64)> {
        let verdicts = self.verdicts.lock().ok()?;
        let (level, until, exp) = verdicts.get(subject)?;
        (Instant::now() < *until).then_some((*level, exp * 1000))
    }

    fn attempts_left(&self, subject: &str) -> Result<u32, Refusal> {
        let mut failures = self.failures.lock().map_err(|_| INTERNAL)?;
        let window = self.options.attempt_window;
        let list = failures.entry(subject.to_string()).or_default();
        list.retain(|at| at.elapsed() < window);
        Ok(self.options.max_attempts.saturating_sub(list.len() as u32))
    }

    /// Opens a challenge for `caller`, after checking consent and attempts.
    pub fn challenge(&self, caller: &Caller, request: &ChallengeRequest) -> Result<Value, Refusal> {
        let bad = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");
        if request.transaction.is_empty() || request.transaction.len() > 128 {
            return Err(bad);
        }
        if request.consent.version.is_empty() || request.consent.consented_at_ms <= 0 {
            return Err((StatusCode::FORBIDDEN, "consent_required"));
        }
        let minor = caller
            .birthdate
            .as_deref()
            .and_then(age_today)
            .is_some_and(|age| age < GUARDIAN_AGE);
        if minor
            && request
                .consent
                .guardian
                .as_ref()
                .is_none_or(|g| g.relationship.trim().is_empty())
        {
            return Err((StatusCode::FORBIDDEN, "guardian_consent_required"));
        }
        let attempts_left = self.attempts_left(&caller.subject)?;
        if attempts_left == 0 {
            return Err((StatusCode::FORBIDDEN, "face_attempts_exhausted"));
        }
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
                transaction: request.transaction.clone(),
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
        if challenge.nonce != request.nonce || challenge.transaction != request.transaction {
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
                self.failures
                    .lock()
                    .map_err(|_| INTERNAL)?
                    .remove(&caller.subject);
                let iat = unix_now();
                let exp = iat + self.options.verdict_ttl.as_secs() as i64;
                let verdict = self.sign(&json!({
                    "sub": caller.subject, "txn": challenge.transaction, "chl": challenge_id,
                    "acr": self.acr, "amr": ["face"], "iat": iat, "exp": exp,
                }))?;
                self.verdicts.lock().map_err(|_| INTERNAL)?.insert(
                    caller.subject.clone(),
                    (FACE_LEVEL, Instant::now() + self.options.verdict_ttl, exp),
                );
                Ok(json!({"result": "verified", "verdict": verdict}))
            }
            Err(reason) => {
                self.failures
                    .lock()
                    .map_err(|_| INTERNAL)?
                    .entry(caller.subject.clone())
                    .or_default()
                    .push(Instant::now());
                let attempts_left = self.attempts_left(&caller.subject)?;
                Ok(json!({"result": "rejected", "reason": reason, "attempts_left": attempts_left}))
            }
        }
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
fn age_today(birthdate: &str) -> Option<i32> {
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
pub(crate) async fn jwks(State(state): State<Arc<AppState>>) -> Response {
    Json(state.face.jwks()).into_response()
}

/// `POST /v1/face/challenges`: a challenge for the caller's transaction.
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
