//! The app lock: the shell's prompt (biometrics or the device PIN) in front
//! of everything personal. Passing it opens the [`Gate`] that mints
//! [`Unlocked`] tokens; locking closes it.
//!
//! The lock gates what is shown, not what is stored: the data key stays
//! wrapped by the keystore alone, so a sync the OS starts in the
//! background keeps working while the app is locked.

use std::sync::Arc;

use crate::error::{PalmGovError, Result};
use crate::gate::{Gate, Unlocked};
use crate::hooks::{AppLock, AppLockOutcome, HookError};

pub(crate) struct AppLockState {
    hook: Arc<dyn AppLock>,
    gate: Gate,
}

impl AppLockState {
    pub(crate) fn new(hook: Arc<dyn AppLock>) -> Self {
        Self {
            hook,
            gate: Gate::default(),
        }
    }

    /// An `Unlocked` for one call, or `Locked` while a device lock is set
    /// up and has not been passed since open or [`AppLockState::lock`].
    pub(crate) fn unlocked(&self) -> Result<Unlocked> {
        self.gate.pass(self.hook.is_available())
    }

    /// Shows the lock through the shell's hook (a blocking prompt, so on
    /// the blocking pool). On success the gate opens until [`Self::lock`].
    pub(crate) async fn unlock(&self, reason: String) -> Result<(), PalmGovError> {
        let hook = self.hook.clone();
        if !hook.is_available() {
            return Err(PalmGovError::Hook {
                hook: "app_lock".into(),
            });
        }
        let outcome = crate::runtime::run_blocking(move || {
            hook.authenticate(reason)
                .map_err(|e| hook_failure("app_lock", e).into())
        })
        .await?;
        match outcome {
            AppLockOutcome::Unlocked => {
                self.gate.open();
                Ok(())
            }
            AppLockOutcome::Denied => Err(PalmGovError::Locked),
        }
    }

    /// Locks again, for when the app goes to the background.
    pub(crate) fn lock(&self) {
        self.gate.close();
    }

    pub(crate) fn is_unlocked(&self) -> bool {
        self.gate.is_open()
    }
}

/// A prompt hook's failure (app lock, browser): dismissed by the person is
/// `Cancelled`, anything else names the hook.
pub(crate) fn hook_failure(hook: &str, error: HookError) -> PalmGovError {
    match error {
        HookError::Cancelled => PalmGovError::Cancelled,
        _ => PalmGovError::Hook { hook: hook.into() },
    }
}
