//! The exported facade: `PalmGov`, the one object a shell holds.
//!
//! Every method is a thin wrapper: it checks the core is open, calls plain
//! Rust in a capability module, and converts the error. Calls are coarse on
//! purpose: one crossing costs 8–19 µs on the JVM, so a screen's worth of
//! data comes back in one call (see `secure_list`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::PalmGovError;
use crate::hooks::{AppLock, AppLockOutcome, HookError, Keystore, LogLevel, LogSink};
use crate::net::retry::{SystemClock, TokioSleeper};
use crate::net::{ApiClient, ServerConfig};
use crate::region::{self, RegionConfig, ServerHealth};
use crate::runtime::{self, CancelToken};
use crate::store::{SecureEntry, SecureFileInfo, Store};

/// What a shell passes to [`PalmGov::open`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PalmGovConfig {
    /// An app-private directory (Android `filesDir`, iOS Application
    /// Support). The core owns everything inside it.
    pub data_dir: String,
    pub server: ServerConfig,
    /// The least severe level forwarded to the log sink.
    pub log_level: LogLevel,
}

/// The palmgov core. Open one per process; it is safe to call from any thread.
#[derive(uniffi::Object)]
pub struct PalmGov {
    state: RwLock<Option<Arc<Core>>>,
}

/// Everything an open core holds. Closing drops it; calls that already hold
/// an `Arc<Core>` finish first.
pub(crate) struct Core {
    pub(crate) store: Store,
    pub(crate) api: ApiClient,
    app_lock: Arc<dyn AppLock>,
    unlocked: AtomicBool,
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
        crate::logging::install(log_sink, config.log_level);
        runtime::runtime()?;
        let store = Store::open(&PathBuf::from(&config.data_dir), &keystore)?;
        let api = ApiClient::new(
            &config.server,
            Arc::new(TokioSleeper),
            Arc::new(SystemClock),
        )?;
        tracing::info!(version = env!("CARGO_PKG_VERSION"), "core opened");
        Ok(Arc::new(Self {
            state: RwLock::new(Some(Arc::new(Core {
                store,
                api,
                app_lock,
                unlocked: AtomicBool::new(false),
            }))),
        }))
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
        Ok(self.core()?.store.secure_put(&namespace, &key, &value)?)
    }

    /// Reads one value stored with [`PalmGov::secure_put`].
    pub fn secure_get(
        &self,
        namespace: String,
        key: String,
    ) -> Result<Option<Vec<u8>>, PalmGovError> {
        Ok(self
            .core()?
            .store
            .secure_get(&namespace, &key)?
            .map(|v| v.to_vec()))
    }

    /// Every entry of a namespace, decrypted, in one call.
    pub fn secure_list(&self, namespace: String) -> Result<Vec<SecureEntry>, PalmGovError> {
        Ok(self.core()?.store.secure_list(&namespace)?)
    }

    /// Removes one entry; returns whether it existed.
    pub fn secure_delete(&self, namespace: String, key: String) -> Result<bool, PalmGovError> {
        Ok(self.core()?.store.secure_delete(&namespace, &key)?)
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
        Ok(self.core()?.store.secure_file_import(
            &name,
            std::path::Path::new(&source_path),
            delete_source,
        )?)
    }

    /// Decrypts a stored file into memory. Never writes plaintext to disk.
    pub fn secure_file_read(&self, name: String) -> Result<Option<Vec<u8>>, PalmGovError> {
        Ok(self
            .core()?
            .store
            .secure_file_read(&name)?
            .map(|v| v.to_vec()))
    }

    pub fn secure_file_delete(&self, name: String) -> Result<bool, PalmGovError> {
        Ok(self.core()?.store.secure_file_delete(&name)?)
    }

    /// Runs SQLite's full integrity check (slow on big databases: call it
    /// after an app update or from a support screen, not on every start).
    pub fn check_integrity(&self) -> Result<(), PalmGovError> {
        Ok(self.core()?.store.check_integrity()?)
    }

    /// Asks the backend whether it is up, and how far the device clock is off.
    pub async fn server_health(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ServerHealth, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move { region::health(&core.api).await }).await
    }

    /// Fetches the region's configuration from the backend and caches it,
    /// encrypted, for offline starts.
    pub async fn refresh_region_config(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<RegionConfig, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move { region::refresh(&core).await }).await
    }

    /// The configuration from the last successful refresh, if any. Works offline.
    pub fn cached_region_config(&self) -> Result<Option<RegionConfig>, PalmGovError> {
        Ok(region::cached(&self.core()?.store)?)
    }

    /// Shows the app lock (biometric or PIN). On success the core counts as
    /// unlocked until [`PalmGov::lock`] or close.
    pub async fn unlock(&self, reason: String) -> Result<(), PalmGovError> {
        let core = self.core()?;
        let lock = core.app_lock.clone();
        if !lock.is_available() {
            return Err(PalmGovError::Hook {
                hook: "app_lock".into(),
            });
        }
        let outcome = runtime::run_blocking(move || {
            lock.authenticate(reason).map_err(|e| {
                match e {
                    HookError::Cancelled => PalmGovError::Cancelled,
                    _ => PalmGovError::Hook {
                        hook: "app_lock".into(),
                    },
                }
                .into()
            })
        })
        .await?;
        match outcome {
            AppLockOutcome::Unlocked => {
                core.unlocked.store(true, Ordering::SeqCst);
                Ok(())
            }
            AppLockOutcome::Denied => Err(PalmGovError::Locked),
        }
    }

    /// Locks the core again, for when the app goes to the background.
    pub fn lock(&self) -> Result<(), PalmGovError> {
        self.core()?.unlocked.store(false, Ordering::SeqCst);
        Ok(())
    }

    pub fn is_unlocked(&self) -> Result<bool, PalmGovError> {
        Ok(self.core()?.unlocked.load(Ordering::SeqCst))
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

impl PalmGov {
    fn core(&self) -> Result<Arc<Core>, PalmGovError> {
        self.state
            .read()
            .ok()
            .and_then(|s| s.clone())
            .ok_or(PalmGovError::Closed)
    }
}

/// Milliseconds since the Unix epoch for a `SystemTime`, signed for clocks
/// set before 1970.
pub(crate) fn unix_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}
