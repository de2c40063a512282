//! The exported face: what Kotlin and Swift call, through UniFFI.
//!
//! [`PalmGov`] opens and closes the core, holds the app lock, offers the
//! diagnostics, and hands out one handle per capability:
//! [`PalmGov::identity`], [`PalmGov::face`], [`PalmGov::drafts`],
//! [`PalmGov::outbox`], [`PalmGov::roster`], [`PalmGov::secure_store`],
//! [`PalmGov::region`], [`PalmGov::services`] and [`PalmGov::reminders`]. Each handle is a file of its own here and only
//! marshals, gates and delegates: the work is in the capability services.
//!
//! - **Gating.** A call that returns or changes personal data asks the app
//!   lock for an `Unlocked` ([`crate::gate`]) and passes it on; without
//!   one, the service call does not compile. Sign-in is not gated (it is
//!   how a person gets in), and background work (a sync, a refresh the OS
//!   started) runs without the lock but returns counts and codes only.
//! - **Async.** Calls that touch the disk run on the core's blocking pool
//!   and calls that touch the network on its runtime, so no shell wraps
//!   them in a dispatcher (Swift's cooperative pool is not meant for
//!   blocking work). Network calls take a [`CancelToken`].
//! - **Coarse.** One crossing costs 8–19 µs on the JVM, so a screen's
//!   worth comes back in one call.

pub mod drafts;
pub mod face;
mod functions;
pub mod identity;
mod lock;
pub mod outbox;
pub mod region;
pub mod reminders;
pub mod roster;
pub mod secure;
pub mod services;
pub mod task;
pub mod wallet;

use std::future::Future;
use std::sync::{Arc, RwLock};

use crate::app::App;
use crate::clock::{Clock, SystemClock};
use crate::config::{IdentityConfig, RegionTrust, ServerConfig, WalletConfig};
use crate::error::{PalmGovError, Result};
use crate::gate::Unlocked;
use crate::hooks::{AppLock, Keystore, LogLevel, LogSink};
use crate::runtime::{self, CancelToken};

pub use drafts::DraftsHandle;
pub use face::FaceHandle;
pub use identity::IdentityHandle;
pub use outbox::OutboxHandle;
pub use region::RegionHandle;
pub use reminders::RemindersHandle;
pub use roster::RosterHandle;
pub use secure::SecureStoreHandle;
pub use services::ServicesHandle;
pub use task::TaskHandle;
pub use wallet::{LicenceShowing, PresentationRequest, WalletHandle};

/// What a shell passes to [`PalmGov::open`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PalmGovConfig {
    /// An app-private directory (Android `filesDir`, iOS Application
    /// Support). The core owns everything inside it.
    pub data_dir: String,
    pub server: ServerConfig,
    /// The least severe level forwarded to the log sink.
    pub log_level: LogLevel,
    /// Forward the dependencies' log events too (TLS, HTTP), not only the
    /// core's. For a developer chasing a network problem: the core cannot
    /// promise their messages are free of personal data.
    #[uniffi(default = false)]
    pub log_dependencies: bool,
    /// The region's identity provider; without it the sign-in calls fail
    /// with `InvalidInput`.
    #[uniffi(default = None)]
    pub identity: Option<IdentityConfig>,
    /// Seconds without activity (what the shell reports with
    /// `report_activity`, time in the background included) after which
    /// the app lock engages again; 15 s to 24 h.
    #[uniffi(default = 300)]
    pub lock_timeout_secs: u32,
    /// Whom the e-licence wallet trusts; without it the wallet's calls fail
    /// with `InvalidInput`.
    #[uniffi(default = None)]
    pub wallet: Option<WalletConfig>,
    /// A region build's pinned profile keys and bundled signed profile. With
    /// it the signed profile in force decides the backend (`server` is then
    /// only a placeholder), the provider and the licence trust roots.
    #[uniffi(default = None)]
    pub region: Option<RegionTrust>,
}

/// The palmgov core. Open one per process; it is safe to call from any thread.
#[derive(uniffi::Object)]
pub struct PalmGov {
    core: Arc<OpenCore>,
}

/// The open core, shared by [`PalmGov`] and every handle it gave out, so
/// that after [`PalmGov::shutdown`] a handle's calls fail with `Closed`
/// instead of keeping the database open.
pub(crate) struct OpenCore {
    state: RwLock<Option<Arc<App>>>,
}

impl OpenCore {
    /// The open core, or `Closed`.
    pub(crate) fn app(&self) -> Result<Arc<App>, PalmGovError> {
        self.state
            .read()
            .ok()
            .and_then(|s| s.clone())
            .ok_or(PalmGovError::Closed)
    }

    /// The open core and an `Unlocked` for one call, or `Locked`.
    pub(crate) fn unlocked(&self) -> Result<(Arc<App>, Unlocked), PalmGovError> {
        let app = self.app()?;
        let unlocked = app.lock.unlocked()?;
        Ok((app, unlocked))
    }

    /// Runs disk work on the blocking pool.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&App) -> Result<T> + Send + 'static,
    ) -> Result<T, PalmGovError> {
        let app = self.app()?;
        runtime::run_blocking(move || work(&app)).await
    }

    /// Runs disk work that shows or changes personal data on the blocking
    /// pool, past the app lock (checked before the work is queued).
    pub(crate) async fn blocking_unlocked<T: Send + 'static>(
        &self,
        work: impl FnOnce(&App, &Unlocked) -> Result<T> + Send + 'static,
    ) -> Result<T, PalmGovError> {
        let (app, unlocked) = self.unlocked()?;
        runtime::run_blocking(move || work(&app, &unlocked)).await
    }

    /// Runs network work on the core runtime, cancellable by `cancel`.
    pub(crate) async fn network<T, F, Fut>(
        &self,
        cancel: Option<Arc<CancelToken>>,
        work: F,
    ) -> Result<T, PalmGovError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<App>) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let app = self.app()?;
        runtime::run(cancel, work(app)).await
    }

    /// [`OpenCore::network`] past the app lock.
    pub(crate) async fn network_unlocked<T, F, Fut>(
        &self,
        cancel: Option<Arc<CancelToken>>,
        work: F,
    ) -> Result<T, PalmGovError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<App>, Unlocked) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let (app, unlocked) = self.unlocked()?;
        runtime::run(cancel, work(app, unlocked)).await
    }
}

#[uniffi::export]
impl PalmGov {
    /// Opens the core: creates or migrates the database, unwraps the data key
    /// through `keystore`, and prepares the network client. It does no
    /// network I/O, so it works offline and takes milliseconds.
    #[uniffi::constructor]
    pub fn open(
        config: PalmGovConfig,
        keystore: Arc<dyn Keystore>,
        app_lock: Arc<dyn AppLock>,
        log_sink: Option<Arc<dyn LogSink>>,
    ) -> Result<Arc<Self>, PalmGovError> {
        Self::open_with_clock(config, keystore, app_lock, log_sink, Arc::new(SystemClock))
    }

    /// Closes the database. Later calls, through any handle, fail with
    /// `Closed`; calls in flight complete. Shells call it from their
    /// `close()`/`deinit` (the name avoids the `close()` UniFFI's Kotlin
    /// objects already have).
    pub fn shutdown(&self) {
        if let Ok(mut state) = self.core.state.write()
            && state.take().is_some()
        {
            tracing::info!("core closed");
        }
    }

    /// Sign-in, sessions, accounts and assurance levels.
    pub fn identity(&self) -> Arc<IdentityHandle> {
        Arc::new(IdentityHandle::new(self.core.clone()))
    }

    /// Face step-up: consent and the check itself.
    pub fn face(&self) -> Arc<FaceHandle> {
        Arc::new(FaceHandle::new(self.core.clone()))
    }

    /// Forms on the device, drafts and their photos.
    pub fn drafts(&self) -> Arc<DraftsHandle> {
        Arc::new(DraftsHandle::new(self.core.clone()))
    }

    /// Submissions, sync and application status.
    pub fn outbox(&self) -> Arc<OutboxHandle> {
        Arc::new(OutboxHandle::new(self.core.clone()))
    }

    /// The grid worker's household roster.
    pub fn roster(&self) -> Arc<RosterHandle> {
        Arc::new(RosterHandle::new(self.core.clone()))
    }

    /// The shell's own encrypted key-value store and files.
    pub fn secure_store(&self) -> Arc<SecureStoreHandle> {
        Arc::new(SecureStoreHandle::new(self.core.clone()))
    }

    /// The e-licence wallet.
    pub fn wallet(&self) -> Arc<WalletHandle> {
        Arc::new(WalletHandle::new(self.core.clone()))
    }

    /// The region's backend: health and configuration.
    pub fn region(&self) -> Arc<RegionHandle> {
        Arc::new(RegionHandle::new(self.core.clone()))
    }

    /// The region's service catalog: search, guides, what is still needed.
    pub fn services(&self) -> Arc<ServicesHandle> {
        Arc::new(ServicesHandle::new(self.core.clone()))
    }

    /// Reminders for the shell to schedule.
    pub fn reminders(&self) -> Arc<RemindersHandle> {
        Arc::new(RemindersHandle::new(self.core.clone()))
    }

    /// Runs SQLite's full integrity check (slow on big databases: call it
    /// after an app update or from a support screen, not on every start).
    pub async fn check_integrity(&self) -> Result<(), PalmGovError> {
        self.core
            .blocking(|app| app.ctx.store.check_integrity())
            .await
    }

    /// Does nothing. Shells' benchmarks measure the cost of one crossing
    /// with it (scripts/bench).
    pub fn diagnostics_noop(&self) {}

    /// Returns `text` unchanged: the cost of a string round trip.
    pub fn diagnostics_echo(&self, text: String) -> String {
        text
    }

    /// Panics inside the core on purpose. Shells call it from a hidden
    /// diagnostics screen to check that a core bug surfaces as an exception
    /// and never aborts the app.
    pub fn diagnostics_panic(&self) -> Result<(), PalmGovError> {
        panic!("diagnostics panic requested by the shell");
    }

    /// The async variant of [`PalmGov::diagnostics_panic`]: the panic
    /// happens on a core runtime thread.
    pub async fn diagnostics_panic_async(&self) -> Result<(), PalmGovError> {
        runtime::run(None, async {
            panic!("diagnostics panic requested by the shell")
        })
        .await
    }
}

/// Rust-only entry points (the CLI, system tests).
impl PalmGov {
    /// [`PalmGov::open`] with the device clock replaced, so tests can show
    /// that a phone whose clock is hours off still signs in.
    pub fn open_with_clock(
        config: PalmGovConfig,
        keystore: Arc<dyn Keystore>,
        app_lock: Arc<dyn AppLock>,
        log_sink: Option<Arc<dyn LogSink>>,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Self>, PalmGovError> {
        crate::logging::install(log_sink, config.log_level, config.log_dependencies);
        runtime::runtime()?;
        let app = App::open(
            &config.data_dir,
            crate::app::Settings {
                server: config.server,
                identity: config.identity,
                wallet: config.wallet,
                lock_timeout_secs: config.lock_timeout_secs,
                region: config.region,
            },
            keystore,
            app_lock,
            clock,
        )?;
        tracing::info!(version = env!("CARGO_PKG_VERSION"), "core opened");
        Ok(Arc::new(Self {
            core: Arc::new(OpenCore {
                state: RwLock::new(Some(Arc::new(app))),
            }),
        }))
    }

    /// Makes `server` and `identity` the configuration of this open core:
    /// the next call goes to the new backend and provider. Checked first;
    /// on an error the configuration stays as it was. (Signed region
    /// profiles will be the way a shell reaches this.)
    pub fn reconfigure(
        &self,
        server: ServerConfig,
        identity: Option<IdentityConfig>,
    ) -> Result<(), PalmGovError> {
        Ok(self.core.app()?.ctx.reload(server, identity)?)
    }

    /// Refresh requests sent since open: the single-flight check in tests
    /// and `scripts/bench`.
    pub fn refresh_requests(&self) -> Result<u64, PalmGovError> {
        Ok(self
            .core
            .app()?
            .identity
            .refreshes
            .load(std::sync::atomic::Ordering::SeqCst))
    }

    /// The open core, for the core's own tests.
    #[cfg(test)]
    pub(crate) fn app_for_tests(&self) -> Arc<App> {
        self.core.app().unwrap()
    }

    /// The services called directly, on the caller's thread, without the
    /// handles' hop to the blocking pool: `scripts/bench` times these beside
    /// the same calls through the handles, so the cost of a handle is
    /// visible.
    #[cfg(feature = "testing")]
    pub fn direct(&self) -> Result<Direct, PalmGovError> {
        Ok(Direct(self.core.app()?))
    }
}

/// See [`PalmGov::direct`]. Every call passes the app lock as its handle
/// would.
#[cfg(feature = "testing")]
pub struct Direct(Arc<App>);

#[cfg(feature = "testing")]
impl Direct {
    /// [`DraftsHandle::save_answer`] without the hop.
    pub fn save_answer(
        &self,
        draft_id: &str,
        path: &str,
        value_json: &str,
        language: &str,
    ) -> Result<crate::drafts::SaveEffects, PalmGovError> {
        let unlocked = self.0.lock.unlocked()?;
        Ok(self
            .0
            .drafts
            .save_answer(&unlocked, draft_id, path, value_json, language)?)
    }

    /// [`SecureStoreHandle::put`] without the hop.
    pub fn secure_put(&self, namespace: &str, key: &str, value: &[u8]) -> Result<(), PalmGovError> {
        let unlocked = self.0.lock.unlocked()?;
        Ok(self.0.shell_store.put(&unlocked, namespace, key, value)?)
    }

    /// [`SecureStoreHandle::get`] without the hop.
    pub fn secure_get(&self, namespace: &str, key: &str) -> Result<Option<Vec<u8>>, PalmGovError> {
        let unlocked = self.0.lock.unlocked()?;
        Ok(self.0.shell_store.get(&unlocked, namespace, key)?)
    }

    /// [`SecureStoreHandle::list`] without the hop.
    pub fn secure_list(
        &self,
        namespace: &str,
    ) -> Result<Vec<crate::store::SecureEntry>, PalmGovError> {
        let unlocked = self.0.lock.unlocked()?;
        Ok(self.0.shell_store.list(&unlocked, namespace)?)
    }
}
