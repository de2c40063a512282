//! # palmgov core
//!
//! The shared Rust core of the palmgov government-services apps, exported to
//! Kotlin and Swift through UniFFI. Apps link this one library.
//!
//! The house, from the top down:
//!
//! - The exported face ([`api`]): [`PalmGov`] and one handle per
//!   capability, what Kotlin and Swift call. It marshals, gates (the app
//!   lock is a type: `gate`) and delegates.
//! - [`app`]: the open core, built in the declared order of capabilities,
//!   and the coordinators for what spans them (sign-out and account
//!   switching, one sync run, the app lock).
//! - The capabilities, each a service over the context that owns its
//!   tables and uses only those before it: [`region`], `shell_store`
//!   (the shell's own secure records and files), [`identity`],
//!   [`faceauth`], [`catalog`] (forms on the device), [`media`]
//!   (attachments), [`roster`], [`outbox`], [`drafts`], [`wallet`],
//!   [`services`] (the region's service catalog) and [`reminders`].
//! - Below them the infrastructure: [`context`] (store, API client, clock,
//!   who is signed in, the reloadable configuration [`config`]),
//!   [`delivery`] (sending anything exactly once), [`store`], [`net`],
//!   [`crypto`], [`clock`], [`runtime`], [`i18n`], logging, [`hooks`]
//!   (what only the OS can do) and [`error`]. [`forms`] is the pure forms
//!   engine.
//! - [`software`]: software twins of every hook, for tests and the CLI
//!   only (the `testing` feature).

uniffi::setup_scaffolding!();

pub mod api;
pub(crate) mod app;
pub mod catalog;
pub mod clock;
pub mod config;
pub(crate) mod context;
pub(crate) mod crypto;
pub mod delivery;
pub mod drafts;
pub mod error;
pub mod faceauth;
pub mod forms;
pub(crate) mod gate;
pub mod hooks;
pub mod i18n;
pub mod identity;
mod logging;
pub mod media;
pub mod net;
pub mod outbox;
pub(crate) mod redact;
pub mod region;
pub mod reminders;
pub mod roster;
pub mod runtime;
pub mod services;
pub(crate) mod shape;
pub(crate) mod shell_store;
#[cfg(any(test, feature = "testing"))]
pub mod software;
pub mod store;
pub mod wallet;

pub use api::{
    DraftsHandle, FaceHandle, IdentityHandle, LicenceShowing, OutboxHandle, PalmGov, PalmGovConfig,
    PresentationRequest, RegionHandle, RemindersHandle, RosterHandle, SecureStoreHandle,
    ServicesHandle, TaskHandle, WalletHandle,
};
pub use app::accounts::LogoutReport;
pub use app::lock::{LockMethod, LockStatus};
pub use app::material::ShownLicencePrefill;
pub use app::sync::SyncReport;
pub use catalog::FormInfo;
pub use clock::{Clock, SystemClock};
pub use config::{
    IdentityConfig, RegionTrust, ServerConfig, WalletConfig, default_identity_config,
    default_server_config,
};
pub use delivery::{SyncListener, SyncOptions, SyncProgress};
pub use drafts::{
    ChoiceLabel, DraftState, DraftSubject, DraftSummary, DraftView, DroppedAnswer, FieldIssue,
    FieldLayout, FieldView, FinalizeOutcome, IngestedAttachment, LicenceOffer, LicenceUse,
    LicenceUseKind, MigrationReport, OfferedLicence, PrefilledValue, RepeatAdded, RepeatView,
    SaveEffects,
};
pub use error::PalmGovError;
pub use faceauth::{FaceConsent, FaceConsentRecord, FaceVerdict, GuardianConsent, StepUpMethod};
pub use forms::validators::{CheckKind, CheckOutcome, InvalidReason, check_value};
pub use hooks::{
    AppLock, AppLockOutcome, Browser, FaceAction, FaceCapture, FaceCaptureResult, FaceChallenge,
    HookError, Keystore, LogLevel, LogRecord, LogSink,
};
pub use i18n::error_message;
pub use identity::{
    AccountKind, AccountSummary, BackendLevel, BackendSession, LoginOptions, LoginRequest,
    SessionInfo, SessionStatus,
};
pub use media::attachments::{AttachmentSlot, PendingAttachment};
pub use outbox::{
    ApplicationChange, ApplicationListener, ApplicationStatus, StatusEvent, StepUpNeeded,
    Submission, SubmissionState,
};
pub use region::{RegionConfig, RegionProfileRefresh, RegionProfileStatus, ServerHealth};
pub use reminders::{Reminder, ReminderKind, ReminderPlan};
pub use roster::{Household, HouseholdOrigin, HouseholdSync, NewHousehold};
pub use runtime::CancelToken;
pub use services::records::{
    CatalogStatus, CatalogUpdate, GuideMaterial, LifeEventInfo, MaterialNeed, MaterialSource,
    ServiceBrief, ServiceChannel, ServiceGuide, ServiceHit, ServiceNeeds,
};
pub use services::search::{MatchKind, TextSpan};
pub use store::{SecureEntry, SecureFileInfo};
pub use wallet::{
    DisclosureProfile, LicenceClaim, LicenceDetail, LicenceFreshness, LicenceQr, LicenceSummary,
    LicenceVerdict, PresentationCheck, PresentationRecord, RequestQr, TrustListStatus,
    VerifierRequest, WalletDevice, WalletRefresh,
};
