//! The exported facade: `PalmGov`, the one object a shell holds.
//!
//! Every method is a thin wrapper: it checks the core is open, calls plain
//! Rust in a capability module, and converts the error. Calls are coarse on
//! purpose: one crossing costs 8–19 µs on the JVM, so a screen's worth of
//! data comes back in one call (see `secure_list`).

use std::sync::{Arc, RwLock};

use crate::app::App;
use crate::app::accounts::{self, LogoutReport};
use crate::app::lock::hook_failure;
use crate::clock::{Clock, SystemClock};
use crate::config::{IdentityConfig, ServerConfig};
use crate::error::PalmGovError;
use crate::faceauth::{FaceConsent, FaceConsentRecord, FaceVerdict, StepUpMethod};
use crate::hooks::{AppLock, Browser, FaceCapture, Keystore, LogLevel, LogSink};
use crate::identity::{
    AccountSummary, BackendLevel, BackendSession, LoginOptions, LoginRequest, SessionInfo,
};
use crate::region::{RegionConfig, ServerHealth};
use crate::runtime::{self, CancelToken};
use crate::store::{SecureEntry, SecureFileInfo};

/// What a shell passes to [`PalmGov::open`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PalmGovConfig {
    /// An app-private directory (Android `filesDir`, iOS Application
    /// Support). The core owns everything inside it.
    pub data_dir: String,
    pub server: ServerConfig,
    /// The least severe level forwarded to the log sink.
    pub log_level: LogLevel,
    /// The region's identity provider; without it the sign-in calls fail
    /// with `InvalidInput`.
    #[uniffi(default = None)]
    pub identity: Option<IdentityConfig>,
}

/// The palmgov core. Open one per process; it is safe to call from any thread.
#[derive(uniffi::Object)]
pub struct PalmGov {
    state: RwLock<Option<Arc<App>>>,
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

    /// Closes the database. Later calls fail with `Closed`; calls in flight
    /// complete. Shells call it from their `close()`/`deinit` (the name
    /// avoids the `close()` UniFFI's Kotlin objects already have).
    pub fn shutdown(&self) {
        if let Ok(mut state) = self.state.write()
            && state.take().is_some()
        {
            tracing::info!("core closed");
        }
    }

    /// Stores `value` encrypted under the install's data key. `namespace`
    /// and `key` are stored in clear and must not contain personal data.
    pub fn secure_put(
        &self,
        namespace: String,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), PalmGovError> {
        Ok(self
            .core()?
            .ctx
            .store
            .secure_put(&namespace, &key, &value)?)
    }

    /// Reads one value stored with [`PalmGov::secure_put`].
    pub fn secure_get(
        &self,
        namespace: String,
        key: String,
    ) -> Result<Option<Vec<u8>>, PalmGovError> {
        Ok(self
            .core()?
            .ctx
            .store
            .secure_get(&namespace, &key)?
            .map(|v| v.to_vec()))
    }

    /// Every entry of a namespace, decrypted, in one call.
    pub fn secure_list(&self, namespace: String) -> Result<Vec<SecureEntry>, PalmGovError> {
        Ok(self.core()?.ctx.store.secure_list(&namespace)?)
    }

    /// Removes one entry; returns whether it existed.
    pub fn secure_delete(&self, namespace: String, key: String) -> Result<bool, PalmGovError> {
        Ok(self.core()?.ctx.store.secure_delete(&namespace, &key)?)
    }

    /// Encrypts the file at `source_path` into the core under `name`
    /// (letters, digits, `-`, `_`, `.`). With `delete_source` the plaintext
    /// original is removed once the encrypted copy is safely on disk.
    pub fn secure_file_import(
        &self,
        name: String,
        source_path: String,
        delete_source: bool,
    ) -> Result<SecureFileInfo, PalmGovError> {
        Ok(self.core()?.ctx.store.secure_file_import(
            &name,
            std::path::Path::new(&source_path),
            delete_source,
        )?)
    }

    /// Decrypts a stored file into memory. Never writes plaintext to disk.
    pub fn secure_file_read(&self, name: String) -> Result<Option<Vec<u8>>, PalmGovError> {
        Ok(self
            .core()?
            .ctx
            .store
            .secure_file_read(&name)?
            .map(|v| v.to_vec()))
    }

    pub fn secure_file_delete(&self, name: String) -> Result<bool, PalmGovError> {
        Ok(self.core()?.ctx.store.secure_file_delete(&name)?)
    }

    /// Runs SQLite's full integrity check (slow on big databases: call it
    /// after an app update or from a support screen, not on every start).
    pub fn check_integrity(&self) -> Result<(), PalmGovError> {
        Ok(self.core()?.ctx.store.check_integrity()?)
    }

    /// Asks the backend whether it is up, and how far the device clock is off.
    pub async fn server_health(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ServerHealth, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move { core.region.health().await }).await
    }

    /// Fetches the region's configuration from the backend and caches it,
    /// encrypted, for offline starts.
    pub async fn refresh_region_config(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<RegionConfig, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move { core.region.refresh().await }).await
    }

    /// The configuration from the last successful refresh, if any. Works offline.
    pub fn cached_region_config(&self) -> Result<Option<RegionConfig>, PalmGovError> {
        Ok(self.core()?.region.cached()?)
    }

    /// Shows the app lock (biometric or PIN). On success the core counts as
    /// unlocked until [`PalmGov::lock`] or close.
    pub async fn unlock(&self, reason: String) -> Result<(), PalmGovError> {
        self.core()?.lock.unlock(reason).await
    }

    /// Locks the core again, for when the app goes to the background.
    pub fn lock(&self) -> Result<(), PalmGovError> {
        self.core()?.lock.lock();
        Ok(())
    }

    pub fn is_unlocked(&self) -> Result<bool, PalmGovError> {
        Ok(self.core()?.lock.is_unlocked())
    }

    /// Signs in through `browser` in one call: [`PalmGov::begin_login`], the
    /// browser, then [`PalmGov::complete_login`]. If the app may be killed
    /// while the browser is open, use the two calls instead.
    pub async fn login(
        &self,
        options: LoginOptions,
        browser: Arc<dyn Browser>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionInfo, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move {
            let request = core.identity.begin_login(&options).await?;
            let callback = runtime::run_blocking(move || {
                browser
                    .authorize(request.url, request.redirect_uri)
                    .map_err(|e| hook_failure("browser", e).into())
            })
            .await?;
            core.identity.complete_login(&callback).await
        })
        .await
    }

    /// Starts a sign-in and returns the URL for the system browser. The
    /// pending login is stored durably, so [`PalmGov::complete_login`] works
    /// even in a new process after the OS killed the app.
    pub async fn begin_login(
        &self,
        options: LoginOptions,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<LoginRequest, PalmGovError> {
        let core = self.core()?;
        runtime::run(
            cancel,
            async move { core.identity.begin_login(&options).await },
        )
        .await
    }

    /// Finishes a sign-in with the callback URL the browser delivered. Each
    /// callback is accepted once; a replay is `LoginRejected`.
    pub async fn complete_login(
        &self,
        callback_url: String,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionInfo, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move {
            core.identity.complete_login(&callback_url).await
        })
        .await
    }

    /// The current session, offline. Behind the app lock: call
    /// [`PalmGov::unlock`] first when the device has one.
    pub fn session(&self) -> Result<SessionInfo, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        Ok(core.identity.session(&unlocked)?)
    }

    /// Makes sure the session's access token is fresh, refreshing when it
    /// expires within a minute (always, with `force`). Any number of
    /// concurrent callers cause at most one refresh request. A network error
    /// keeps the tokens; an ended grant gives `SignInRequired` and keeps
    /// local data.
    pub async fn refresh_session(
        &self,
        force: bool,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionInfo, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        runtime::run(cancel, async move {
            core.identity.fresh_session(force).await?;
            core.identity.session(&unlocked)
        })
        .await
    }

    /// Signs the current account out: revokes its refresh token at the
    /// provider (best effort), wipes its tokens and personal data, and
    /// reports its still-queued submissions, which are kept.
    pub async fn logout(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<LogoutReport, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        runtime::run(
            cancel,
            async move { accounts::logout(&core, &unlocked).await },
        )
        .await
    }

    /// Every account signed in on this device, current first. Behind the app lock.
    pub fn accounts(&self) -> Result<Vec<AccountSummary>, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        Ok(core.identity.accounts(&unlocked)?)
    }

    /// Makes another signed-in account current. Behind the app lock.
    pub fn switch_account(&self, account_id: String) -> Result<SessionInfo, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        Ok(accounts::switch_account(&core, &unlocked, &account_id)?)
    }

    /// Asks the backend whether it accepts the session's tokens (and their
    /// DPoP binding). Refreshes first when needed and once more on a 401.
    pub async fn check_backend_session(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<BackendSession, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move {
            core.identity.authorized_get_json("v1/me").await
        })
        .await
    }

    /// Succeeds when the current session has assurance `level` (2–5) or
    /// more; otherwise `LevelRequired { level }`, for the app to step up.
    pub fn require_level(&self, level: u8) -> Result<(), PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        Ok(core.identity.require_level(&unlocked, level)?)
    }

    /// Asks the backend for an operation that needs assurance `level`: its
    /// answer when the account has it, `LevelRequired { level }` when not.
    /// The backend's record of a face verdict is what counts here.
    pub async fn check_backend_level(
        &self,
        level: u8,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<BackendLevel, PalmGovError> {
        let core = self.core()?;
        core.identity.check_level(level)?;
        runtime::run(cancel, async move {
            core.identity
                .authorized_get_json(&format!("v1/assurance/{level}"))
                .await
        })
        .await
    }

    /// The ways the app can offer to reach `level`. The provider (the
    /// non-face alternative) is always among them.
    pub fn step_up_methods(&self, level: u8) -> Result<Vec<StepUpMethod>, PalmGovError> {
        Ok(self.core()?.face.methods(level)?)
    }

    /// Records the current account's separate consent to face
    /// verification, shown on the app's own consent screen. Kept without
    /// any biometric data until withdrawn or logout. Behind the app lock.
    pub fn record_face_consent(
        &self,
        consent: FaceConsent,
    ) -> Result<FaceConsentRecord, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        Ok(core.face.record_consent(&unlocked, consent)?)
    }

    /// The current account's recorded consent, if any. Behind the app lock.
    pub fn face_consent(&self) -> Result<Option<FaceConsentRecord>, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        Ok(core.face.consent(&unlocked)?)
    }

    /// Withdraws the consent and drops a current face verdict.
    pub fn withdraw_face_consent(&self) -> Result<bool, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        Ok(core.face.withdraw_consent(&unlocked)?)
    }

    /// One face verification for `transaction` (the operation it unlocks):
    /// a server challenge, `capture` in the shell, frames prepared in
    /// memory, and the server's signed verdict, which raises the session to
    /// L4 for a bounded time. Fails with `ConsentRequired`, `FaceRejected`
    /// (try again), `FaceAttemptsExhausted` (offer the provider instead),
    /// `FaceTimeout` or `Cancelled`; `cancel` closes the camera.
    pub async fn face_step_up(
        &self,
        transaction: String,
        capture: Arc<dyn FaceCapture>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<FaceVerdict, PalmGovError> {
        let (core, unlocked) = self.unlocked_core()?;
        runtime::run(cancel, async move {
            core.face.step_up(&unlocked, capture, transaction).await
        })
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
        crate::logging::install(log_sink, config.log_level);
        runtime::runtime()?;
        let app = App::open(
            &config.data_dir,
            config.server,
            config.identity,
            keystore,
            app_lock,
            clock,
        )?;
        tracing::info!(version = env!("CARGO_PKG_VERSION"), "core opened");
        Ok(Arc::new(Self {
            state: RwLock::new(Some(Arc::new(app))),
        }))
    }

    /// Makes `server` and `identity` the configuration of this open core:
    /// the next call goes to the new backend and provider. Checked first;
    /// on an error the configuration stays as it was.
    pub fn reconfigure(
        &self,
        server: ServerConfig,
        identity: Option<IdentityConfig>,
    ) -> Result<(), PalmGovError> {
        Ok(self.core()?.ctx.reload(server, identity)?)
    }

    /// Refresh requests sent since open: the single-flight check in tests
    /// and `scripts/bench`.
    pub fn refresh_requests(&self) -> Result<u64, PalmGovError> {
        Ok(self
            .core()?
            .identity
            .refreshes
            .load(std::sync::atomic::Ordering::SeqCst))
    }

    /// The open core with an `Unlocked` for this call, or `Locked`.
    pub(crate) fn unlocked_core(&self) -> Result<(Arc<App>, crate::gate::Unlocked), PalmGovError> {
        let core = self.core()?;
        let unlocked = core.lock.unlocked()?;
        Ok((core, unlocked))
    }

    pub(crate) fn core(&self) -> Result<Arc<App>, PalmGovError> {
        self.state
            .read()
            .ok()
            .and_then(|s| s.clone())
            .ok_or(PalmGovError::Closed)
    }
}
