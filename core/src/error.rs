//! The one public error type, declared in one table, and the one place
//! internal errors become it.
//!
//! Apps show these errors to people and send them to crash reporters, so a
//! message never carries personal data: no token, ID number, name, URL query or
//! server body. Each variant has a stable [`PalmGovError::code`] that apps
//! localize and that support staff can search for; the English `Display` text
//! is for logs only.
//!
//! [`public_errors!`] declares every variant once: its code, its category
//! (as nl-wallet classifies errors: expected, critical, or carrying personal
//! data), the fields its localized message interpolates, and its log text.
//! Everything else is generated from that table: the enum, `code`,
//! `category`, `message_args`, and `examples` (one of every variant, which
//! the catalogue tests walk, so no list is kept by hand).
//!
//! Internal code returns [`Error`], which may carry detail for our own logs
//! (still free of personal data). `From<Error> for PalmGovError` is the single
//! conversion point, in the spirit of application-services' `support/error`.

use std::time::Duration;

/// What an error means for reporting it, as nl-wallet classifies errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ErrorCategory {
    /// Part of normal life (offline, a refused answer, a dismissed prompt):
    /// show it, never report it.
    Expected,
    /// A bug or damage the developers must hear of (a caught panic, a
    /// corrupt database): report it to the crash reporter.
    Critical,
    /// Could carry personal data: report only what [`PalmGovError::code`]
    /// says. (No variant is in this category today; the core keeps personal
    /// data out of every field. The category exists so that a new variant
    /// that cannot must say so.)
    PersonalData,
}

/// A value a localized message interpolates.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageArg {
    Number(f64),
    Text(String),
}

/// How a field becomes a [`MessageArg`].
pub trait ToMessageArg {
    fn to_message_arg(&self) -> MessageArg;
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl ToMessageArg for $t {
            fn to_message_arg(&self) -> MessageArg {
                MessageArg::Number(f64::from(*self))
            }
        }
    )*};
}
number_arg!(u8, u16, u32);

impl ToMessageArg for String {
    fn to_message_arg(&self) -> MessageArg {
        MessageArg::Text(self.clone())
    }
}

/// Declares [`PalmGovError`] from one table. Each row:
///
/// ```text
/// /// What it means and what the app should do.
/// Variant { field: Type, ... } => {
///     code: "area.what",         // stable, never changed once released
///     category: Expected,        // or Critical, PersonalData
///     args: { name = field },    // optional: what the Fluent message uses
///     display: "log text",       // English, for logs only
/// },
/// ```
macro_rules! public_errors {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $({ $($field:ident : $fty:ty),* $(,)? })? => {
            code: $code:literal,
            category: $category:ident,
            $(args: { $($arg:ident = $from:ident),* $(,)? },)?
            display: $display:literal $(,)?
        }
    ),* $(,)?) => {
        /// Every failure an app can see from the core.
        ///
        /// Variants are grouped by what the app should do: retry later
        /// (network), ask the person (wrong key, app lock), or report
        /// (internal). Fields hold only non-personal facts such as an HTTP
        /// status or a retry delay.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
        pub enum PalmGovError {
            $(
                $(#[doc = $doc])*
                #[error($display)]
                $variant $({ $($field: $fty),* })?,
            )*
        }

        impl PalmGovError {
            /// A stable, searchable code: apps key their translations on
            /// it, and it never changes once released, even if the variant
            /// is renamed.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$variant { .. } => $code,)*
                }
            }

            /// How this error should be reported.
            pub fn category(&self) -> ErrorCategory {
                match self {
                    $(Self::$variant { .. } => ErrorCategory::$category,)*
                }
            }

            /// The values this error's localized message interpolates, by
            /// the names the Fluent catalogs use.
            pub fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
                #[allow(unused_variables)]
                match self {
                    $(
                        Self::$variant { $($($from,)*)? .. } => vec![
                            $($((stringify!($arg), $from.to_message_arg()),)*)?
                        ],
                    )*
                }
            }

            /// One of every variant (fields at their defaults), for the
            /// tests that must cover them all: generated, never listed by
            /// hand.
            pub fn examples() -> Vec<PalmGovError> {
                vec![$(
                    Self::$variant $({ $($field: <$fty>::default()),* })?,
                )*]
            }
        }
    };
}

public_errors! {
    /// The data directory cannot be created or written (a file sits where a
    /// directory should be, a read-only volume, no permission).
    DataDirUnwritable => {
        code: "storage.dir_unwritable",
        category: Expected,
        display: "the data directory cannot be written",
    },
    /// The database file is damaged or not a database. The core never deletes
    /// it on its own: it may hold unsynced work. The app decides, with the
    /// person, whether to reset.
    CorruptDatabase => {
        code: "storage.corrupt",
        category: Critical,
        display: "the local database is corrupt",
    },
    /// The stored data key cannot be unwrapped by the keystore, or it unwraps
    /// to a key that does not decrypt the data: the hardware key was reset,
    /// or the data came from another device or app install.
    WrongKey => {
        code: "storage.wrong_key",
        category: Expected,
        display: "the local data key does not match this device's keystore",
    },
    /// The device has no room left. The write was rolled back; earlier data is intact.
    DiskFull => {
        code: "storage.disk_full",
        category: Expected,
        display: "the device storage is full",
    },
    /// The database was written by a newer app version; opening it with this
    /// one could lose data, so it is refused.
    SchemaTooNew => {
        code: "storage.schema_too_new",
        category: Expected,
        display: "the local database was written by a newer app version",
    },
    /// Any other local storage failure.
    Storage { detail: String } => {
        code: "storage.failed",
        category: Critical,
        display: "local storage failed ({detail})",
    },
    /// A record could not be decrypted: it was tampered with or belongs elsewhere.
    Decryption => {
        code: "storage.decryption",
        category: Critical,
        display: "a stored record failed its integrity check",
    },

    /// No network, or the server could not be reached. Nothing was lost; retry later.
    Offline => {
        code: "net.offline",
        category: Expected,
        display: "the server cannot be reached",
    },
    /// The server did not answer in time.
    Timeout => {
        code: "net.timeout",
        category: Expected,
        display: "the server did not answer in time",
    },
    /// The TLS connection was refused: an untrusted certificate or a pin mismatch.
    Tls => {
        code: "net.tls",
        category: Expected,
        display: "the server's identity could not be verified",
    },
    /// The server answered with an error status. `retry_after_ms` is set when
    /// the server asked the client to wait.
    Server { status: u16, retry_after_ms: Option<u64> } => {
        code: "net.server",
        category: Expected,
        display: "the server answered with status {status}",
    },
    /// The server answered with something that is not the API's reply
    /// (a captive portal page, a truncated body, a redirect).
    BadServerReply => {
        code: "net.bad_reply",
        category: Expected,
        display: "the server's reply was not understood",
    },

    /// A sign-in step was refused by the core's checks: a forged or
    /// mismatched ID token, a replayed or unknown callback, a provider that
    /// misbehaves. `reason` is a stable code such as `id_token.signature` or
    /// `callback.state`; it never holds a token or a URL.
    LoginRejected { reason: String } => {
        code: "identity.rejected",
        category: Expected,
        display: "the sign-in was refused ({reason})",
    },
    /// The identity provider answered with an OAuth error code (such as
    /// `access_denied` when the person cancelled at the provider).
    LoginFailed { oauth_error: String } => {
        code: "identity.provider_error",
        category: Expected,
        display: "the identity provider refused ({oauth_error})",
    },
    /// The identity provider refused the sign-in proof as not yet or no
    /// longer valid: the phone's clock is off by more than the provider
    /// allows, and no trusted server has told the core the time yet. The app
    /// asks the person to set the date and time automatically, or to try
    /// again once the region's backend has answered.
    ClockWrong => {
        code: "identity.clock_wrong",
        category: Expected,
        display: "the phone's clock is wrong",
    },
    /// There is no usable session: never signed in, signed out, or the
    /// provider ended the grant. Local data, drafts and queued submissions
    /// are kept; they resume when the same account signs in again.
    SignInRequired => {
        code: "identity.sign_in_required",
        category: Expected,
        display: "sign in again",
    },
    /// The operation needs assurance level `level` (2–5) and the session has
    /// less. The app offers a step-up (face verification or the provider).
    LevelRequired { level: u8 } => {
        code: "identity.level_required",
        category: Expected,
        args: { level = level },
        display: "assurance level {level} is required",
    },

    /// Face verification needs the person's separate consent first
    /// (`record_consent`); with `guardian`, a guardian's consent,
    /// because the person is under 14. Offer the non-face alternative too.
    ConsentRequired { guardian: bool } => {
        code: "face.consent_required",
        category: Expected,
        display: "consent to face verification is required",
    },
    /// The server judged the face attempt negative. `reason` is a stable
    /// code (`not_live`, `no_match`); `attempts_left` before the account
    /// must use the non-face alternative for a while.
    FaceRejected { reason: String, attempts_left: u32 } => {
        code: "face.rejected",
        category: Expected,
        args: { attempts = attempts_left },
        display: "face verification failed ({reason})",
    },
    /// No face attempts are left for now: offer the non-face alternative
    /// (a step-up at the identity provider).
    FaceAttemptsExhausted => {
        code: "face.attempts_exhausted",
        category: Expected,
        display: "no face verification attempts left",
    },
    /// The face challenge expired before the capture finished.
    FaceTimeout => {
        code: "face.timeout",
        category: Expected,
        display: "the face check timed out",
    },

    /// A hook in the shell failed (keystore, app lock, log sink).
    Hook { hook: String } => {
        code: "hook.failed",
        category: Critical,
        display: "a platform hook failed ({hook})",
    },
    /// The person cancelled the app lock or the operation.
    Cancelled => {
        code: "cancelled",
        category: Expected,
        display: "cancelled",
    },
    /// The person did not pass the app lock.
    Locked => {
        code: "app_lock.locked",
        category: Expected,
        display: "the app lock was not passed",
    },
    /// The phone has no screen lock: the app PIN is the way in (set one
    /// first if `lock_status` says none is set).
    PinRequired => {
        code: "app_lock.pin_required",
        category: Expected,
        display: "the app PIN is needed",
    },
    /// The app PIN was wrong, or a try came during the wait after wrong
    /// ones. `retry_after_secs` is the wait before the next try (0: now).
    WrongPin { retry_after_secs: u32 } => {
        code: "app_lock.wrong_pin",
        category: Expected,
        args: { seconds = retry_after_secs },
        display: "wrong app PIN; next try in {retry_after_secs} s",
    },
    /// Someone other than the person who set the app PIN signed in to reset
    /// it. Nothing of their sign-in was kept.
    PinRecoveryRefused => {
        code: "app_lock.other_person",
        category: Expected,
        display: "only the person who set the app PIN can reset it",
    },
    /// An argument was not acceptable. `field` names the argument, never its value.
    InvalidInput { field: String } => {
        code: "input.invalid",
        category: Expected,
        args: { field = field },
        display: "invalid input: {field}",
    },
    /// A form definition failed its load-time checks. `field` names the
    /// field at fault (empty for the form as a whole); `reason` is a stable
    /// code such as `unknown_type`, `bad_expression` or `cycle`.
    InvalidForm { field: String, reason: String } => {
        code: "forms.invalid_definition",
        category: Expected,
        args: { field = field },
        display: "invalid form definition at {field}: {reason}",
    },
    /// An answer does not fit its field (`reason`: `type`, `format`,
    /// `checksum`, `read_only`, …). The value itself is never included.
    InvalidAnswer { field: String, reason: String } => {
        code: "forms.invalid_answer",
        category: Expected,
        args: { field = field },
        display: "invalid answer for {field}: {reason}",
    },
    /// The form (or that version of it) is not on the device.
    FormNotFound => {
        code: "forms.not_found",
        category: Expected,
        display: "form not available",
    },
    /// A licence, a trust list or a status list failed its check and was
    /// not taken: a bad signature, an issuer or algorithm the trust list
    /// does not name, a malformed licence identifier, a rollback. `reason`
    /// is a stable code such as `credential.bad_signature` or
    /// `trust_list.rollback`; never a claim's value.
    LicenceRefused { reason: String } => {
        code: "wallet.licence_refused",
        category: Expected,
        display: "a licence or trust document was refused ({reason})",
    },
    /// A region profile (or a root document of its keys) failed its check
    /// and was not taken: too few distinct keys signed it, a lower
    /// version than the last one accepted, another region's, a setting out
    /// of range. `reason` is a stable code such as `profile.rollback` or
    /// `profile.region_code`. The last good profile stays in force.
    RegionProfileRefused { reason: String } => {
        code: "region.profile_refused",
        category: Expected,
        display: "a region profile was refused ({reason})",
    },
    /// A service catalog (or one of its chunks) failed its check and was
    /// not taken: its manifest is not the one the region profile pins, a
    /// chunk's bytes do not match their hash (altered, truncated), or it
    /// does not read. `reason` is a stable code such as
    /// `catalog.chunk_hash`. The last good catalog stays in use.
    CatalogRefused { reason: String } => {
        code: "services.catalog_refused",
        category: Expected,
        display: "a service catalog was refused ({reason})",
    },
    /// No service catalog is on the phone yet: sync once online (or the
    /// shell installs the one bundled with the app).
    CatalogMissing => {
        code: "services.catalog_missing",
        category: Expected,
        display: "no service catalog yet",
    },
    /// The region's profile needs a newer app (`min_version`): update the
    /// app. Everything on the phone is kept.
    AppUpdateRequired { min_version: String } => {
        code: "region.update_required",
        category: Expected,
        args: { min_version = min_version },
        display: "this app needs updating to {min_version} or later",
    },
    /// No such draft, attachment or submission for this account.
    NotFound => {
        code: "not_found",
        category: Expected,
        display: "not found",
    },
    /// The draft is finalized and can no longer change; edit a copy.
    DraftFrozen => {
        code: "drafts.frozen",
        category: Expected,
        display: "the draft is finalized",
    },
    /// The core was closed; open a new instance.
    Closed => {
        code: "closed",
        category: Expected,
        display: "the core is closed",
    },
    /// A bug in the core, including a caught panic. The app keeps running.
    Internal { detail: String } => {
        code: "internal",
        category: Critical,
        display: "internal error ({detail})",
    },
}

impl PalmGovError {
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
        if public.category() == ErrorCategory::Critical {
            tracing::error!(code = public.code(), "{public}");
        }
        public
    }
}

/// The data directory of the open core, for telling a full disk apart from
/// other I/O failures (set by the store at open).
static DATA_DIR: std::sync::RwLock<Option<std::path::PathBuf>> = std::sync::RwLock::new(None);

/// Remembers where the core's data lives (the store, at open).
pub(crate) fn note_data_dir(dir: &std::path::Path) {
    if let Ok(mut slot) = DATA_DIR.write() {
        *slot = Some(dir.to_path_buf());
    }
}

/// Whether the data directory's volume is (nearly) full. SQLite reports
/// ENOSPC as SQLITE_FULL on most paths but as a plain I/O error on some
/// (growing the WAL index, truncating), and std as an `Other` error on
/// some platforms: on a volume with less than 2 MiB left, any write
/// failure is the full disk.
fn volume_full() -> bool {
    const NEARLY_FULL: u64 = 2 * 1024 * 1024;
    let Some(dir) = DATA_DIR.read().ok().and_then(|d| d.clone()) else {
        return false;
    };
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: `path` is a valid C string and `stat` a writable statvfs.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        return false;
    }
    (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64) < NEARLY_FULL
}

fn classify_sql(error: &rusqlite::Error) -> PalmGovError {
    use rusqlite::ErrorCode as C;
    match error.sqlite_error_code() {
        Some(C::DiskFull) => PalmGovError::DiskFull,
        Some(C::SystemIoFailure) if volume_full() => PalmGovError::DiskFull,
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
        _ if volume_full() => PalmGovError::DiskFull,
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
        PalmGovError::examples()
    }

    #[test]
    fn every_variant_is_an_example() {
        // The examples come from the table; this catches a hand edit of
        // the enum that bypassed it (an exhaustive match on a new variant
        // would not compile, so count instead).
        let all = every_error();
        assert_eq!(all.len(), 40);
        assert_eq!(
            PalmGovError::LevelRequired { level: 4 }.message_args(),
            vec![("level", MessageArg::Number(4.0))]
        );
        assert_eq!(
            PalmGovError::FaceRejected {
                reason: "no_match".into(),
                attempts_left: 2
            }
            .message_args(),
            vec![("attempts", MessageArg::Number(2.0))]
        );
        assert!(PalmGovError::Offline.message_args().is_empty());
        assert_eq!(
            PalmGovError::Internal { detail: "x".into() }.category(),
            ErrorCategory::Critical
        );
        assert_eq!(PalmGovError::Offline.category(), ErrorCategory::Expected);
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
