//! Platform hooks: what only the operating system can do, implemented by the
//! shells as UniFFI foreign traits.
//!
//! - [`Keystore`]: Android Keystore / iOS Keychain + Secure Enclave. The core
//!   never sees the hardware key; it hands over its data key to be wrapped.
//! - [`AppLock`]: BiometricPrompt / LocalAuthentication, the gate in front of
//!   a stored session.
//! - [`LogSink`]: Logcat / os_log. The core never writes logs itself.
//! - [`Browser`]: the system browser for sign-in.
//! - [`FaceCapture`]: the camera and any liveness SDK for a face step-up,
//!   with the records it is asked with and answers with.
//!
//! Every hook also has a software implementation in [`crate::software`], used
//! by the tests, the CLI and the JVM tests.

/// Why a hook call failed. Shells map their platform exceptions onto these,
/// without personal data in `reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum HookError {
    /// The hardware key is gone or no longer opens this blob: a factory reset,
    /// a biometric enrolment change that invalidated the key, a restored backup.
    #[error("the key is invalidated or does not match")]
    KeyInvalidated,
    /// The person cancelled a prompt.
    #[error("cancelled by the user")]
    Cancelled,
    /// The platform feature is missing (no biometrics enrolled, no secure hardware).
    #[error("not available on this device")]
    Unavailable,
    /// Anything else, with a short non-personal reason for the logs.
    #[error("hook failed: {reason}")]
    Failed { reason: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for HookError {
    /// A shell implementation threw something it did not declare: report it
    /// as a failure instead of panicking inside the core.
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        HookError::Failed {
            reason: format!("unexpected: {}", error.reason),
        }
    }
}

/// The device keystore. Keys live in hardware where the device has it; the
/// core only ever asks to wrap its own data keys and to sign.
///
/// Calls may block briefly (tens of milliseconds for hardware) and are made
/// from the core's worker threads, never from the app's main thread.
#[uniffi::export(with_foreign)]
pub trait Keystore: Send + Sync {
    /// Encrypts `key` (a 32-byte data key) under the hardware key named
    /// `alias`, creating that hardware key on first use.
    fn wrap_key(&self, alias: String, key: Vec<u8>) -> Result<Vec<u8>, HookError>;

    /// Reverses [`Keystore::wrap_key`]. Must fail with
    /// [`HookError::KeyInvalidated`] when the blob was wrapped by another key.
    fn unwrap_key(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, HookError>;

    /// The public half of the device signing key `alias` (ECDSA P-256), as a
    /// DER SubjectPublicKeyInfo, creating the key pair on first use.
    fn device_public_key(&self, alias: String) -> Result<Vec<u8>, HookError>;

    /// Signs `message` with the device key `alias`: ECDSA P-256 with SHA-256,
    /// the signature in ASN.1 DER form as Android and iOS produce it. Used for
    /// device binding and attestation, not per request (10–100 ms on phones).
    fn sign(&self, alias: String, message: Vec<u8>) -> Result<Vec<u8>, HookError>;

    /// Deletes the device signing key `alias`, if there is one: an
    /// account's licence holder key when it signs out. Deleting a key that
    /// does not exist succeeds.
    fn delete_key(&self, alias: String) -> Result<(), HookError>;
}

/// The outcome of an app-lock prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AppLockOutcome {
    /// The person passed the biometric or PIN check.
    Unlocked,
    /// The check failed or was dismissed.
    Denied,
}

/// The app lock in front of an offline session (biometric or device PIN).
#[uniffi::export(with_foreign)]
pub trait AppLock: Send + Sync {
    /// Whether a lock can be shown at all (biometrics or a device PIN set up).
    fn is_available(&self) -> bool;

    /// Asks the person to unlock. `reason` is shown in the prompt and is
    /// already localized by the caller. Called from a worker thread; the
    /// shell may block it until the prompt is answered.
    fn authenticate(&self, reason: String) -> Result<AppLockOutcome, HookError>;
}

/// Log severity, mirroring `tracing`'s levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// One log line from the core. The core promises that `message` holds no
/// tokens, ID numbers, names or face data; shells can forward it to Logcat,
/// os_log or a crash reporter as is.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    pub level: LogLevel,
    /// The Rust module that logged, such as `palmgov::store`.
    pub target: String,
    pub message: String,
}

/// Where the core's logs go. Called on whichever thread logged, so it must be
/// cheap and must not call back into the core.
#[uniffi::export(with_foreign)]
pub trait LogSink: Send + Sync {
    fn log(&self, record: LogRecord);
}

/// The system browser for sign-in (RFC 8252): Custom Tabs on Android,
/// `ASWebAuthenticationSession` on iOS. Never an embedded web view, which
/// would let the app see the person's password.
#[uniffi::export(with_foreign)]
pub trait Browser: Send + Sync {
    /// Opens `url` and blocks until the provider redirects to a URL starting
    /// with `redirect_uri` (a claimed https link or the app's custom scheme),
    /// then returns that full callback URL. [`HookError::Cancelled`] when the
    /// person closed the browser. The core calls this off the main thread.
    fn authorize(&self, url: String, redirect_uri: String) -> Result<String, HookError>;
}

/// The camera flow of a face step-up (the shell owns the camera and any
/// vendor liveness SDK). The core calls [`FaceCapture::capture`] on a worker
/// thread and may stop waiting (timeout, cancel); it then calls
/// [`FaceCapture::cancel`] from another thread, and the shell should close
/// the camera and return [`HookError::Cancelled`] from `capture`.
///
/// Frames must stay in memory: the shell must not write them to a file, the
/// gallery or a log either.
#[uniffi::export(with_foreign)]
pub trait FaceCapture: Send + Sync {
    /// Shows the camera, asks the person for `challenge.actions`, and
    /// returns a liveness token bound to `challenge.nonce` or JPEG frames.
    fn capture(&self, challenge: FaceChallenge) -> Result<FaceCaptureResult, HookError>;

    /// The core gave up on the current capture: close the camera.
    fn cancel(&self);
}

/// One thing the person is asked to do in front of the camera. Unknown
/// actions from a newer server arrive as `Other`, so an old app can still
/// show a generic prompt.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FaceAction {
    Blink,
    TurnHeadLeft,
    TurnHeadRight,
    OpenMouth,
    Nod,
    Other { name: String },
}

impl FaceAction {
    pub(crate) fn parse(name: &str) -> Self {
        match name {
            "blink" => Self::Blink,
            "turn_head_left" => Self::TurnHeadLeft,
            "turn_head_right" => Self::TurnHeadRight,
            "open_mouth" => Self::OpenMouth,
            "nod" => Self::Nod,
            other => Self::Other {
                name: other.chars().take(40).collect(),
            },
        }
    }
}

/// What the capture hook is asked to do. A vendor liveness SDK should bind
/// its result to `nonce`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FaceChallenge {
    pub challenge_id: String,
    pub nonce: String,
    pub actions: Vec<FaceAction>,
    /// How long the person has, from when the challenge was issued.
    pub timeout_ms: u64,
    /// Attempts left including this one, for the screen to show.
    pub attempts_left: u32,
}

/// What the shell's camera flow produced. Prints without the frames or
/// the token (`Debug`, Kotlin `toString`, Swift `description`).
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum FaceCaptureResult {
    /// A vendor liveness SDK's result token, judged by the server with the
    /// vendor's service.
    LivenessToken { vendor: String, token: String },
    /// JPEG (or PNG) frames straight from the camera; the core prepares them.
    Frames { frames: Vec<Vec<u8>> },
}

impl std::fmt::Debug for FaceCaptureResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LivenessToken { vendor, .. } => f
                .debug_struct("LivenessToken")
                .field("vendor", vendor)
                .finish_non_exhaustive(),
            Self::Frames { frames } => f
                .debug_struct("Frames")
                .field("count", &frames.len())
                .finish_non_exhaustive(),
        }
    }
}

impl std::fmt::Display for FaceCaptureResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}
