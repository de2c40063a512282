//! The one public error type, and the one place internal errors become it.
//!
//! Apps show these errors to people and send them to crash reporters, so a
//! message never carries personal data: no token, ID number, name, URL query or
//! server body. Each variant has a stable [`PalmGovError::code`] that apps
//! localize and that support staff can search for; the English `Display` text
//! is for logs only.
//!
//! Internal code returns [`Error`], which may carry detail for our own logs
//! (still free of personal data). `From<Error> for PalmGovError` is the single
//! conversion point, in the spirit of application-services' `support/error`.

use std::time::Duration;

/// Every failure an app can see from the core.
///
/// Variants are grouped by what the app should do: retry later (network),
/// ask the person (wrong key, app lock), or report (internal). Fields hold
/// only non-personal facts such as an HTTP status or a retry delay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum PalmGovError {
    /// The data directory cannot be created or written (a file sits where a
    /// directory should be, a read-only volume, no permission).
    #[error("the data directory cannot be written")]
    DataDirUnwritable,
    /// The database file is damaged or not a database. The core never deletes
    /// it on its own: it may hold unsynced work. The app decides, with the
    /// person, whether to reset.
    #[error("the local database is corrupt")]
    CorruptDatabase,
    /// The stored data key cannot be unwrapped by the keystore, or it unwraps
    /// to a key that does not decrypt the data: the hardware key was reset,
    /// or the data came from another device or app install.
    #[error("the local data key does not match this device's keystore")]
    WrongKey,
    /// The device has no room left. The write was rolled back; earlier data is intact.
    #[error("the device storage is full")]
    DiskFull,
    /// The database was written by a newer app version; opening it with this
    /// one could lose data, so it is refused.
    #[error("the local database was written by a newer app version")]
    SchemaTooNew,
    /// Any other local storage failure.
    #[error("local storage failed ({detail})")]
    Storage { detail: String },
    /// A record could not be decrypted: it was tampered with or belongs elsewhere.
    #[error("a stored record failed its integrity check")]
    Decryption,

    /// No network, or the server could not be reached. Nothing was lost; retry later.
    #[error("the server cannot be reached")]
    Offline,
    /// The server did not answer in time.
    #[error("the server did not answer in time")]
    Timeout,
    /// The TLS connection was refused: an untrusted certificate or a pin mismatch.
    #[error("the server's identity could not be verified")]
    Tls,
    /// The server answered with an error status. `retry_after_ms` is set when
    /// the server asked the client to wait.
    #[error("the server answered with status {status}")]
    Server {
        status: u16,
        retry_after_ms: Option<u64>,
    },
    /// The server answered with something that is not the API's reply
    /// (a captive portal page, a truncated body, a redirect).
    #[error("the server's reply was not understood")]
    BadServerReply,

    /// A sign-in step was refused by the core's checks: a forged or
    /// mismatched ID token, a replayed or unknown callback, a provider that
    /// misbehaves. `reason` is a stable code such as `id_token.signature` or
    /// `callback.state`; it never holds a token or a URL.
    #[error("the sign-in was refused ({reason})")]
    LoginRejected { reason: String },
    /// The identity provider answered with an OAuth error code (such as
    /// `access_denied` when the person cancelled at the provider).
    #[error("the identity provider refused ({oauth_error})")]
    LoginFailed { oauth_error: String },
    /// There is no usable session: never signed in, signed out, or the
    /// provider ended the grant. Local data, drafts and queued submissions
    /// are kept; they resume when the same account signs in again.
    #[error("sign in again")]
    SignInRequired,
    /// The operation needs assurance level `level` (2–5) and the session has
    /// less. The app offers a step-up (face verification or the provider).
    #[error("assurance level {level} is required")]
    LevelRequired { level: u8 },

    /// Face verification needs the person's separate consent first
    /// (`record_face_consent`); with `guardian`, a guardian's consent,
    /// because the person is under 14. Offer the non-face alternative too.
    #[error("consent to face verification is required")]
    ConsentRequired { guardian: bool },
    /// The server judged the face attempt negative. `reason` is a stable
    /// code (`not_live`, `no_match`); `attempts_left` before the account
    /// must use the non-face alternative for a while.
    #[error("face verification failed ({reason})")]
    FaceRejected { reason: String, attempts_left: u32 },
    /// No face attempts are left for now: offer the non-face alternative
    /// (a step-up at the identity provider).
    #[error("no face verification attempts left")]
    FaceAttemptsExhausted,
    /// The face challenge expired before the capture finished.
    #[error("the face check timed out")]
    FaceTimeout,

    /// A hook in the shell failed (keystore, app lock, log sink).
    #[error("a platform hook failed ({hook})")]
    Hook { hook: String },
    /// The person cancelled the app lock or the operation.
    #[error("cancelled")]
    Cancelled,
    /// The person did not pass the app lock.
    #[error("the app lock was not passed")]
    Locked,
    /// An argument was not acceptable. `field` names the argument, never its value.
    #[error("invalid input: {field}")]
    InvalidInput { field: String },
    /// A form definition failed its load-time checks. `field` names the
    /// field at fault (empty for the form as a whole); `reason` is a stable
    /// code such as `unknown_type`, `bad_expression` or `cycle`.
    #[error("invalid form definition at {field}: {reason}")]
    InvalidForm { field: String, reason: String },
    /// An answer does not fit its field (`reason`: `type`, `format`,
    /// `checksum`, `read_only`, …). The value itself is never included.
    #[error("invalid answer for {field}: {reason}")]
    InvalidAnswer { field: String, reason: String },
    /// The form (or that version of it) is not on the device.
    #[error("form not available")]
    FormNotFound,
    /// No such draft, attachment or submission for this account.
    #[error("not found")]
    NotFound,
    /// The draft is finalized and can no longer change; edit a copy.
    #[error("the draft is finalized")]
    DraftFrozen,
    /// The core was closed; open a new instance.
    #[error("the core is closed")]
    Closed,
    /// A bug in the core, including a caught panic. The app keeps running.
    #[error("internal error ({detail})")]
    Internal { detail: String },
}

impl PalmGovError {
    /// A stable, searchable code: apps key their translations on it, and it
    /// never changes once released, even if the variant is renamed.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DataDirUnwritable => "storage.dir_unwritable",
            Self::CorruptDatabase => "storage.corrupt",
            Self::WrongKey => "storage.wrong_key",
            Self::DiskFull => "storage.disk_full",
            Self::SchemaTooNew => "storage.schema_too_new",
            Self::Storage { .. } => "storage.failed",
            Self::Decryption => "storage.decryption",
            Self::Offline => "net.offline",
            Self::Timeout => "net.timeout",
            Self::Tls => "net.tls",
            Self::Server { .. } => "net.server",
            Self::BadServerReply => "net.bad_reply",
            Self::LoginRejected { .. } => "identity.rejected",
            Self::LoginFailed { .. } => "identity.provider_error",
            Self::SignInRequired => "identity.sign_in_required",
            Self::LevelRequired { .. } => "identity.level_required",
            Self::ConsentRequired { .. } => "face.consent_required",
            Self::FaceRejected { .. } => "face.rejected",
            Self::FaceAttemptsExhausted => "face.attempts_exhausted",
            Self::FaceTimeout => "face.timeout",
            Self::Hook { .. } => "hook.failed",
            Self::Cancelled => "cancelled",
            Self::Locked => "app_lock.locked",
            Self::InvalidInput { .. } => "input.invalid",
            Self::InvalidForm { .. } => "forms.invalid_definition",
            Self::InvalidAnswer { .. } => "forms.invalid_answer",
            Self::FormNotFound => "forms.not_found",
            Self::NotFound => "not_found",
            Self::DraftFrozen => "drafts.frozen",
            Self::Closed => "closed",
            Self::Internal { .. } => "internal",
        }
    }

    /// Whether retrying the same call later may succeed without anyone acting.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Offline | Self::Timeout => true,
            Self::Server { status, .. } => *status == 408 || *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// Internal errors: rich enough to classify, never holding personal data.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Public(#[from] PalmGovError),
    #[error("sqlite: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for PalmGovError {
    fn from(error: Error) -> Self {
        let public = match error {
            Error::Public(e) => e,
            Error::Sql(e) => classify_sql(&e),
            Error::Io(e) => classify_io(&e),
            Error::Http(e) => classify_http(&e),
            // Only parse errors of our own replies reach here; the serde
            // message names a position, not the content.
            Error::Json(_) => PalmGovError::BadServerReply,
        };
        if matches!(
            public,
            PalmGovError::Internal { .. } | PalmGovError::Storage { .. }
        ) {
            tracing::error!(code = public.code(), "{public}");
        }
        public
    }
}

fn classify_sql(error: &rusqlite::Error) -> PalmGovError {
    use rusqlite::ErrorCode as C;
    match error.sqlite_error_code() {
        Some(C::DiskFull) => PalmGovError::DiskFull,
        Some(C::NotADatabase | C::DatabaseCorrupt) => PalmGovError::CorruptDatabase,
        Some(C::CannotOpen | C::ReadOnly | C::PermissionDenied) => PalmGovError::DataDirUnwritable,
        Some(code) => PalmGovError::Storage {
            detail: format!("{code:?}"),
        },
        // rusqlite's own errors (type mismatch and the like) are our bugs.
        None => PalmGovError::Internal {
            detail: "sqlite usage".into(),
        },
    }
}

fn classify_io(error: &std::io::Error) -> PalmGovError {
    use std::io::ErrorKind as K;
    match error.kind() {
        K::StorageFull | K::QuotaExceeded => PalmGovError::DiskFull,
        K::PermissionDenied | K::ReadOnlyFilesystem | K::NotADirectory | K::AlreadyExists => {
            PalmGovError::DataDirUnwritable
        }
        kind => PalmGovError::Storage {
            detail: format!("io {kind:?}"),
        },
    }
}

fn classify_http(error: &reqwest::Error) -> PalmGovError {
    if error.is_timeout() {
        return PalmGovError::Timeout;
    }
    if error.is_connect() {
        // A TLS failure surfaces as a connect error; tell it apart so the app
        // does not tell the person to "check the network" when the server's
        // certificate is wrong.
        if std::error::Error::source(error).is_some_and(is_tls) {
            return PalmGovError::Tls;
        }
        return PalmGovError::Offline;
    }
    if error.is_decode() || error.is_body() || error.is_redirect() {
        return PalmGovError::BadServerReply;
    }
    if error.is_request() {
        return PalmGovError::Offline;
    }
    PalmGovError::Internal {
        detail: "http client".into(),
    }
}

/// Whether a TLS failure is somewhere in the chain. rustls reports through
/// (nested) io::Errors, whose `source()` skips the wrapped error itself, so
/// look inside them explicitly.
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.is::<rustls::Error>() {
        return true;
    }
    if let Some(inner) = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        && is_tls(inner)
    {
        return true;
    }
    error.source().is_some_and(is_tls)
}

/// Turns a server's `Retry-After` into milliseconds for [`PalmGovError::Server`].
pub(crate) fn retry_after_ms(delay: Option<Duration>) -> Option<u64> {
    delay.map(|d| d.as_millis().min(u128::from(u64::MAX)) as u64)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// One of every variant, for tests that must cover them all.
    pub(crate) fn every_error() -> Vec<PalmGovError> {
        vec![
            PalmGovError::DataDirUnwritable,
            PalmGovError::CorruptDatabase,
            PalmGovError::WrongKey,
            PalmGovError::DiskFull,
            PalmGovError::SchemaTooNew,
            PalmGovError::Storage { detail: "".into() },
            PalmGovError::Decryption,
            PalmGovError::Offline,
            PalmGovError::Timeout,
            PalmGovError::Tls,
            PalmGovError::Server {
                status: 500,
                retry_after_ms: None,
            },
            PalmGovError::BadServerReply,
            PalmGovError::LoginRejected { reason: "".into() },
            PalmGovError::LoginFailed {
                oauth_error: "".into(),
            },
            PalmGovError::SignInRequired,
            PalmGovError::LevelRequired { level: 4 },
            PalmGovError::ConsentRequired { guardian: true },
            PalmGovError::FaceRejected {
                reason: "".into(),
                attempts_left: 0,
            },
            PalmGovError::FaceAttemptsExhausted,
            PalmGovError::FaceTimeout,
            PalmGovError::Hook { hook: "".into() },
            PalmGovError::InvalidForm {
                field: "".into(),
                reason: "".into(),
            },
            PalmGovError::InvalidAnswer {
                field: "".into(),
                reason: "".into(),
            },
            PalmGovError::FormNotFound,
            PalmGovError::NotFound,
            PalmGovError::DraftFrozen,
            PalmGovError::Cancelled,
            PalmGovError::Locked,
            PalmGovError::InvalidInput { field: "".into() },
            PalmGovError::Closed,
            PalmGovError::Internal { detail: "".into() },
        ]
    }

    #[test]
    fn codes_are_unique() {
        let all = every_error();
        let mut codes: Vec<_> = all.iter().map(PalmGovError::code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn sql_errors_are_classified() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        assert_eq!(
            PalmGovError::from(Error::from(full)),
            PalmGovError::DiskFull
        );
        let notadb = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            None,
        );
        assert_eq!(
            PalmGovError::from(Error::from(notadb)),
            PalmGovError::CorruptDatabase
        );
    }

    #[test]
    fn transient_errors() {
        assert!(PalmGovError::Offline.is_transient());
        assert!(
            PalmGovError::Server {
                status: 503,
                retry_after_ms: None
            }
            .is_transient()
        );
        assert!(
            !PalmGovError::Server {
                status: 422,
                retry_after_ms: None
            }
            .is_transient()
        );
        assert!(!PalmGovError::WrongKey.is_transient());
    }
}
