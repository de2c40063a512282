//! # palmgov core
//!
//! The shared Rust core of the palmgov government-services apps, exported to
//! Kotlin and Swift through UniFFI. Apps link this one library.
//!
//! Layout: one module per capability, plain Rust, with [`facade`] as the
//! thin exported surface on top.
//!
//! - [`hooks`]: the platform hooks the shells implement (keystore, app lock,
//!   log sink), and [`software`] implementations of each.
//! - [`store`]: SQLite with migrations and encryption at rest ([`crypto`]).
//! - [`net`]: the HTTP client (rustls on ring), retries and backoff.
//! - [`identity`]: OpenID Connect sign-in, sessions, accounts, assurance levels.
//! - [`forms`], [`drafts`], [`outbox`]: form definitions and expressions,
//!   offline drafts with photos ([`media`]), and exactly-once delivery.
//! - [`i18n`]: the core's own messages in zh-Hans, zh-Hant, ug and en.
//! - [`roster`]: the grid worker's household roster, cached offline.
//! - [`region`]: backend health and the region configuration.
//! - [`runtime`]: the core's tokio runtime and cancellation.
//! - [`error`]: the one public error type.

uniffi::setup_scaffolding!();

pub(crate) mod crypto;
pub mod drafts;
pub mod error;
pub mod facade;
pub mod facade_forms;
pub mod faceauth;
pub mod forms;
pub mod hooks;
pub mod i18n;
pub mod identity;
mod logging;
pub mod media;
pub mod net;
pub mod outbox;
pub mod region;
pub mod roster;
pub mod runtime;
pub mod software;
pub mod store;

pub use drafts::{
    ChoiceLabel, DraftState, DraftSubject, DraftSummary, DraftView, FieldIssue, FieldLayout,
    FieldView, FinalizeOutcome, MigrationReport, PrefilledValue, RepeatView, SaveEffects,
};
pub use error::PalmGovError;
pub use facade::{PalmGov, PalmGovConfig};
pub use facade_forms::{FormInfo, RepeatAdded, default_sync_options, error_message};
pub use faceauth::{
    FaceAction, FaceCaptureResult, FaceChallenge, FaceConsent, FaceConsentRecord, FaceVerdict,
    GuardianConsent, StepUpMethod,
};
pub use forms::validators::{CheckKind, CheckOutcome, InvalidReason, check_value};
pub use hooks::{
    AppLock, AppLockOutcome, Browser, FaceCapture, HookError, Keystore, LogLevel, LogRecord,
    LogSink,
};
pub use identity::{
    AccountKind, AccountSummary, BackendLevel, BackendSession, IdentityConfig, LoginOptions,
    LoginRequest, LogoutReport, SessionInfo, SessionStatus, default_identity_config,
};
pub use media::attachments::{IngestedAttachment, PendingAttachment};
pub use net::retry::{Clock, SystemClock};
pub use net::{ServerConfig, default_server_config};
pub use outbox::{
    ApplicationListener, ApplicationStatus, StatusEvent, Submission, SubmissionState, SyncListener,
    SyncOptions, SyncProgress, SyncReport,
};
pub use region::{RegionConfig, ServerHealth};
pub use roster::{Household, HouseholdOrigin, HouseholdSync, NewHousehold};
pub use runtime::CancelToken;
