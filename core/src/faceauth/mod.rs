//! Face step-up (刷脸): the core runs the challenge, the shell owns the
//! camera, the server decides.
//!
//! 1. The person's separate consent is recorded first ([`FaceConsent`]),
//!    without any biometric data; a guardian consents for a person under 14
//!    (the server knows the birth date and refuses otherwise).
//! 2. The backend issues a challenge: a nonce, actions such as blink or turn
//!    the head, and a timeout.
//! 3. The [`FaceCapture`] hook in the shell runs the camera and returns a
//!    vendor liveness token or JPEG frames. The core enforces the timeout
//!    and cancellation, and tells the hook to close the camera.
//! 4. Frames are prepared in memory (the `palmgov-media` pipeline): upright, long edge
//!    640 px, re-encoded without EXIF, and zeroized after upload. They are
//!    never written to the database, a file or a log.
//! 5. The answer goes to the backend bound to the nonce and the operations
//!    the check is for (form instance ids and the like; one check may name
//!    up to [`MAX_OPERATIONS`], so a worker's queued visits need one face
//!    check, not one each). The backend returns a signed verdict
//!    ([`verdict`]) naming those operations, and raises them, and only
//!    them, to L4 for a bounded time (10 minutes by default). For backend
//!    operations the backend's own record of that verdict is what counts;
//!    the core uses it to gate screens offline.
//!
//! Failures are typed: `ConsentRequired`, `FaceRejected` with the attempts
//! left, `FaceAttemptsExhausted`, `FaceTimeout`, `Cancelled`. The non-face
//! alternative (a step-up at the identity provider) is always offered by
//! [`step_up_methods`].

pub(crate) mod verdict;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::clock::unix_ms;
use crate::context::Context;
use crate::error::{Error, PalmGovError, Result};
use crate::gate::Unlocked;
use crate::hooks::{FaceAction, FaceCapture, FaceCaptureResult, FaceChallenge, HookError};
use crate::identity::IdentityService;

/// The long edge frames are scaled to before upload.
pub const FACE_FRAME_EDGE: u32 = 640;
/// JPEG quality of uploaded frames: enough for a server-side matcher.
const FACE_FRAME_QUALITY: u8 = 85;
/// Frames per attempt, and the largest frame the core accepts from a shell.
const MAX_FRAMES: usize = 8;
const MAX_FRAME_BYTES: usize = 16 * 1024 * 1024;
/// The longest capture the core waits for, whatever the server allows.
const MAX_CAPTURE: Duration = Duration::from_secs(300);
/// The most operations one face check may name (the backend's limit too).
pub const MAX_OPERATIONS: usize = 50;

const NS_CONSENT: &str = "palmgov.faceauth.consent";

/// The person's separate consent to face verification, as the app's
/// consent screen collected it. `version` names the consent text shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct FaceConsent {
    pub version: String,
    /// Required when the person is under 14.
    pub guardian: Option<GuardianConsent>,
}

/// A guardian's consent on behalf of a minor: who gave it (name and ID
/// number, as the consent screen took them) and how they are related
/// (such as `parent`). Kept sealed on the phone and sent to the backend,
/// which records it with the consent; never printed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct GuardianConsent {
    pub relationship: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
}

crate::redact::redacted!(GuardianConsent { relationship });

/// A recorded consent: what was agreed and when. No biometric data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct FaceConsentRecord {
    pub consent: FaceConsent,
    pub consented_at_ms: i64,
}

/// A verified face step-up: the level it grants, until when, and the
/// operations it was issued for (the backend raises those only).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FaceVerdict {
    pub level: u8,
    pub valid_until_ms: i64,
    pub operations: Vec<String>,
}

/// Ways to reach an assurance level, for the app's step-up screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StepUpMethod {
    /// A face check (`face_step_up`): L4 in about a minute.
    Face,
    /// Sign in again at the identity provider with the level requested
    /// (`login` with `LoginOptions.level`): the non-face alternative, and the
    /// only way to L5 (certificate or counter check).
    Provider,
}

/// The methods that can reach `level`: the face up to L4, the provider always.
pub fn step_up_methods(level: u8) -> Vec<StepUpMethod> {
    match level {
        ..=4 => vec![StepUpMethod::Face, StepUpMethod::Provider],
        _ => vec![StepUpMethod::Provider],
    }
}

#[derive(Deserialize)]
struct ChallengeReply {
    challenge_id: String,
    nonce: String,
    actions: Vec<String>,
    timeout_ms: u64,
    attempts_left: u32,
}

#[derive(Deserialize)]
struct VerifyReply {
    result: String,
    #[serde(default)]
    verdict: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    attempts_left: u32,
}

/// The face step-up capability. Its table is the `palmgov.faceauth.consent`
/// secure record; the level a verdict grants is held by identity.
pub(crate) struct FaceService {
    ctx: Arc<Context>,
    identity: Arc<IdentityService>,
    /// The backend's verdict keys (`/v1/face/jwks`), for as long as the
    /// backend's caching headers allow.
    keys: crate::identity::key_cache::KeyCache,
}

impl FaceService {
    pub(crate) fn new(ctx: Arc<Context>, identity: Arc<IdentityService>) -> Self {
        Self {
            ctx,
            identity,
            keys: Default::default(),
        }
    }

    fn account(&self) -> Result<String> {
        Ok(self
            .ctx
            .current_account()
            .ok_or(PalmGovError::SignInRequired)?)
    }

    /// The ways the app can offer to reach `level`. The provider (the
    /// non-face alternative) is always among them.
    pub(crate) fn methods(&self, level: u8) -> Result<Vec<StepUpMethod>> {
        self.identity.check_level(level)?;
        Ok(step_up_methods(level))
    }

    /// Records consent for the current account, replacing any earlier one.
    pub(crate) fn record_consent(
        &self,
        _: &Unlocked,
        consent: FaceConsent,
    ) -> Result<FaceConsentRecord> {
        let account = self.account()?;
        let field = |f: &str| PalmGovError::InvalidInput { field: f.into() };
        if consent.version.trim().is_empty() || consent.version.len() > 64 {
            return Err(field("consent.version").into());
        }
        let mut consent = consent;
        if let Some(g) = &mut consent.guardian {
            g.relationship = g.relationship.trim().to_string();
            if g.relationship.is_empty() || g.relationship.len() > 32 {
                return Err(field("consent.guardian.relationship").into());
            }
            g.name = crate::forms::text::clean(&g.name).trim().to_string();
            if g.name.is_empty() || g.name.chars().count() > 64 {
                return Err(field("consent.guardian.name").into());
            }
            g.id_number = crate::forms::validators::id_number(&g.id_number)
                .map_err(|_| field("consent.guardian.id_number"))?
                .normalized;
        }
        let record = FaceConsentRecord {
            consent,
            consented_at_ms: unix_ms(self.ctx.clock().now()),
        };
        self.ctx
            .store
            .secure_put_durable(NS_CONSENT, &account, &serde_json::to_vec(&record)?)?;
        Ok(record)
    }

    /// The current account's consent, if recorded and not withdrawn.
    pub(crate) fn consent(&self, _: &Unlocked) -> Result<Option<FaceConsentRecord>> {
        self.stored_consent()
    }

    fn stored_consent(&self) -> Result<Option<FaceConsentRecord>> {
        let account = self.account()?;
        self.ctx
            .store
            .secure_get(NS_CONSENT, &account)?
            .map(|v| serde_json::from_slice(&v).map_err(Error::from))
            .transpose()
    }

    /// Withdraws consent; a current face verdict is dropped too.
    pub(crate) fn withdraw_consent(&self, _: &Unlocked) -> Result<bool> {
        let account = self.account()?;
        self.identity.forget_grant(&account);
        self.ctx.store.secure_delete(NS_CONSENT, &account)
    }

    /// Forgets an account's consent and verdict (sign-out).
    pub(crate) fn wipe(&self, account: &str) -> Result<()> {
        self.identity.forget_grant(account);
        self.ctx.store.secure_delete(NS_CONSENT, account)?;
        Ok(())
    }

    /// One face step-up attempt for `operations` (what it is for, such as
    /// form instance ids; 1 to [`MAX_OPERATIONS`], each named once):
    /// challenge, capture, prepare, verify.
    pub(crate) async fn step_up(
        &self,
        _: &Unlocked,
        capture: Arc<dyn FaceCapture>,
        operations: Vec<String>,
    ) -> Result<FaceVerdict> {
        let ops = &operations;
        if ops.is_empty()
            || ops.len() > MAX_OPERATIONS
            || ops.iter().any(|o| o.is_empty() || o.len() > 128)
            || (1..ops.len()).any(|i| ops[..i].contains(&ops[i]))
        {
            return Err(PalmGovError::InvalidInput {
                field: "operations".into(),
            }
            .into());
        }
        let consent = self
            .stored_consent()?
            .ok_or(PalmGovError::ConsentRequired { guardian: false })?;
        let challenge = self.open_challenge(&operations, &consent).await?;
        let result = run_capture(capture, challenge.clone()).await?;
        let body = answer_body(&challenge, &operations, result).await?;
        let reply = self
            .identity
            .authorized_send(
                Method::POST,
                &format!("v1/face/challenges/{}/verify", challenge.challenge_id),
                Some(&body),
            )
            .await?;
        drop(body);
        // An expired or forgotten challenge is a timeout to the person; a
        // frame the backend refuses means our preparation is wrong.
        match (reply.status, reply.error_code().as_deref()) {
            (StatusCode::GONE | StatusCode::NOT_FOUND, _) => {
                return Err(PalmGovError::FaceTimeout.into());
            }
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)) if code.contains("frame") => {
                return Err(PalmGovError::InvalidInput {
                    field: "face.frames".into(),
                }
                .into());
            }
            _ => {}
        }
        let reply: VerifyReply = self.identity.judge_authorized(reply)?;
        match (reply.result.as_str(), reply.verdict) {
            ("verified", Some(token)) => {
                self.accept_verdict(&token, &operations, &challenge.challenge_id)
                    .await
            }
            ("rejected", _) if reply.attempts_left == 0 => {
                Err(PalmGovError::FaceAttemptsExhausted.into())
            }
            ("rejected", _) => Err(PalmGovError::FaceRejected {
                reason: match reply.reason.as_deref() {
                    Some(r @ ("not_live" | "no_match")) => r.to_string(),
                    _ => "unspecified".to_string(),
                },
                attempts_left: reply.attempts_left,
            }
            .into()),
            _ => Err(PalmGovError::BadServerReply.into()),
        }
    }

    async fn open_challenge(
        &self,
        operations: &[String],
        consent: &FaceConsentRecord,
    ) -> Result<FaceChallenge> {
        // The consent goes with every challenge: the backend records it
        // (what, when, which text, by whom, the guardian for a minor).
        let body = serde_json::to_vec(&serde_json::json!({
            "operations": operations,
            "consent": {
                "version": consent.consent.version,
                "consented_at_ms": consent.consented_at_ms,
                "guardian": consent.consent.guardian,
            },
        }))?;
        let reply = self
            .identity
            .authorized_send(Method::POST, "v1/face/challenges", Some(&body))
            .await?;
        if reply.status == StatusCode::FORBIDDEN {
            match reply.error_code().as_deref() {
                Some("consent_required") => {
                    return Err(PalmGovError::ConsentRequired { guardian: false }.into());
                }
                Some("guardian_consent_required") => {
                    return Err(PalmGovError::ConsentRequired { guardian: true }.into());
                }
                Some("face_attempts_exhausted") => {
                    return Err(PalmGovError::FaceAttemptsExhausted.into());
                }
                _ => {}
            }
        }
        let reply: ChallengeReply = self.identity.judge_authorized(reply)?;
        if reply.challenge_id.is_empty()
            || reply.challenge_id.len() > 64
            || !reply
                .challenge_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(PalmGovError::BadServerReply.into());
        }
        Ok(FaceChallenge {
            challenge_id: reply.challenge_id,
            nonce: reply.nonce,
            actions: reply.actions.iter().map(|a| FaceAction::parse(a)).collect(),
            timeout_ms: reply.timeout_ms,
            attempts_left: reply.attempts_left,
        })
    }
}

/// Tells the hook to close the camera when the core stops waiting for it
/// (timeout, cancel, or the app dropping the call) before it answered.
struct CloseCameraOnDrop(Option<Arc<dyn FaceCapture>>);

impl Drop for CloseCameraOnDrop {
    fn drop(&mut self) {
        if let Some(hook) = self.0.take() {
            // Off the current thread: the shell may block, and this can run
            // inside the runtime.
            std::thread::spawn(move || hook.cancel());
        }
    }
}

/// Runs the capture hook on the blocking pool, bounded by the challenge's
/// timeout. Frames are moved into zeroizing buffers at once.
async fn run_capture(capture: Arc<dyn FaceCapture>, challenge: FaceChallenge) -> Result<Captured> {
    let timeout = Duration::from_millis(challenge.timeout_ms).min(MAX_CAPTURE);
    let mut guard = CloseCameraOnDrop(Some(capture.clone()));
    let task = crate::runtime::run_blocking(move || Ok(capture.capture(challenge)));
    let outcome = tokio::time::timeout(timeout, task)
        .await
        .map_err(|_| PalmGovError::FaceTimeout)?;
    guard.0 = None;
    match outcome? {
        Ok(FaceCaptureResult::LivenessToken { vendor, token }) => Ok(Captured::Liveness {
            vendor,
            token: Zeroizing::new(token),
        }),
        Ok(FaceCaptureResult::Frames { frames }) => {
            let frames: Vec<_> = frames.into_iter().map(Zeroizing::new).collect();
            if frames.is_empty()
                || frames.len() > MAX_FRAMES
                || frames.iter().any(|f| f.len() > MAX_FRAME_BYTES)
            {
                return Err(PalmGovError::InvalidInput {
                    field: "face.frames".into(),
                }
                .into());
            }
            Ok(Captured::Frames(frames))
        }
        Err(HookError::Cancelled) => Err(PalmGovError::Cancelled.into()),
        Err(_) => Err(PalmGovError::Hook {
            hook: "face_capture".into(),
        }
        .into()),
    }
}

enum Captured {
    Liveness {
        vendor: String,
        token: Zeroizing<String>,
    },
    Frames(Vec<Zeroizing<Vec<u8>>>),
}

/// The verify request body, built in a zeroizing buffer: the nonce and
/// operations it is bound to, and the token or the prepared frames in
/// base64. Frame preparation runs on the blocking pool (tens of ms each).
async fn answer_body(
    challenge: &FaceChallenge,
    operations: &[String],
    captured: Captured,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut body = Zeroizing::new(Vec::new());
    body.extend_from_slice(b"{\"nonce\":");
    body.extend_from_slice(&serde_json::to_vec(&challenge.nonce)?);
    body.extend_from_slice(b",\"operations\":");
    body.extend_from_slice(&serde_json::to_vec(operations)?);
    match captured {
        Captured::Liveness { vendor, token } => {
            body.extend_from_slice(b",\"liveness\":{\"vendor\":");
            body.extend_from_slice(&serde_json::to_vec(&vendor)?);
            body.extend_from_slice(b",\"token\":");
            let token = Zeroizing::new(serde_json::to_vec(token.as_str())?);
            body.extend_from_slice(&token);
            body.extend_from_slice(b"}}");
        }
        Captured::Frames(frames) => {
            let prepared = crate::runtime::run_blocking(move || {
                frames
                    .iter()
                    .map(|f| palmgov_media::reencode_jpeg(f, FACE_FRAME_EDGE, FACE_FRAME_QUALITY))
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|_| {
                        PalmGovError::InvalidInput {
                            field: "face.frames".into(),
                        }
                        .into()
                    })
            })
            .await?;
            let encoded: usize = prepared.iter().map(|p| p.jpeg.len() * 4 / 3 + 8).sum();
            body.reserve(encoded + 16);
            body.extend_from_slice(b",\"frames\":[");
            for (i, frame) in prepared.iter().enumerate() {
                if i > 0 {
                    body.push(b',');
                }
                body.push(b'"');
                tracing::debug!(width = frame.width, height = frame.height, "frame prepared");
                let b64 = Zeroizing::new(STANDARD.encode(&*frame.jpeg));
                body.extend_from_slice(b64.as_bytes());
                body.push(b'"');
            }
            body.extend_from_slice(b"]}");
        }
    }
    Ok(body)
}
