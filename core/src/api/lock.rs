//! The app lock's face, on [`PalmGov`] itself: unlocking with the phone's
//! lock or the app PIN, the PIN's life, the activity that keeps the app
//! unlocked, and what a lock screen shows. These calls are how a person
//! gets past the lock, so none is behind it (changing a PIN that is set
//! needs the lock passed).

use std::sync::Arc;

use super::PalmGov;
use crate::app::lock::LockStatus;
use crate::context::DEVICE_OWNER;
use crate::error::PalmGovError;
use crate::hooks::Browser;
use crate::identity::{LoginOptions, SessionInfo};
use crate::runtime::CancelToken;

#[uniffi::export]
impl PalmGov {
    /// Shows the phone's own lock (biometrics or the device PIN) through
    /// the shell's hook. On success the core is unlocked until
    /// [`PalmGov::lock`], close, or the inactivity timeout. On a phone with
    /// no screen lock: `PinRequired` (see [`PalmGov::lock_status`]).
    pub async fn unlock(&self, reason: String) -> Result<(), PalmGovError> {
        self.core.app()?.lock.unlock(reason).await
    }

    /// Unlocks with the app PIN (a phone with no screen lock). A wrong PIN,
    /// or a try during the wait after wrong ones, is `WrongPin` with the
    /// wait; closing the app does not reset it.
    pub async fn unlock_with_pin(&self, pin: String) -> Result<(), PalmGovError> {
        self.core
            .blocking(move |app| app.lock.unlock_with_pin(&app.ctx.store, &pin))
            .await
    }

    /// Sets the app PIN (6–12 digits, not one digit repeated or a run):
    /// the first one when [`PalmGov::lock_status`] says none is set, or a
    /// new one while unlocked. It belongs to the signed-in person, the only
    /// one who can reset it. Unlocks.
    pub async fn set_app_pin(&self, pin: String) -> Result<(), PalmGovError> {
        // The signed-in person, or the device when the core runs without
        // a provider.
        let owner = self.core.app()?.ctx.owner()?;
        self.core
            .blocking(move |app| app.lock.set_pin(&app.ctx.store, &pin, &owner))
            .await
    }

    /// Resets a forgotten app PIN: the person who set it signs in again
    /// through `browser` (authenticating anew at the provider). Anyone
    /// else is refused with `PinRecoveryRefused` and nothing of their
    /// sign-in is kept. On success the app is unlocked and has no PIN: the
    /// shell asks for a new one ([`PalmGov::set_app_pin`]).
    #[uniffi::method(default(cancel = None))]
    pub async fn recover_app_pin(
        &self,
        browser: Arc<dyn Browser>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionInfo, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                let owner = app
                    .lock
                    .pin_owner(&app.ctx.store)?
                    .ok_or(PalmGovError::PinRequired)?;
                if owner == DEVICE_OWNER {
                    // No provider to prove who set it.
                    return Err(PalmGovError::PinRecoveryRefused.into());
                }
                let options = LoginOptions {
                    force_reauthentication: true,
                    ..Default::default()
                };
                let request = app
                    .identity
                    .begin_login_as(&options, Some(owner.clone()))
                    .await?;
                let callback = super::identity::browse(browser, request).await?;
                let info = app
                    .identity
                    .complete_login_as(&callback, Some(&owner))
                    .await?;
                if info.account_id != owner {
                    return Err(PalmGovError::PinRecoveryRefused.into());
                }
                app.lock.reset_pin(&app.ctx.store)?;
                Ok(info)
            })
            .await
    }

    /// The person is using the app: the shell calls this on a touch or when
    /// it shows a screen, and the inactivity timeout starts again. Calls
    /// into the core never count; without this, the lock engages after
    /// `lock_timeout_secs`.
    pub fn report_activity(&self) -> Result<(), PalmGovError> {
        self.core.app()?.lock.report_activity();
        Ok(())
    }

    /// What a lock screen needs: whether the app is unlocked, how it is
    /// unlocked on this phone, the wait before the next PIN try.
    pub async fn lock_status(&self) -> Result<LockStatus, PalmGovError> {
        self.core
            .blocking(|app| app.lock.status(&app.ctx.store))
            .await
    }

    /// Locks the core again (the person's choice, a shared phone handed on).
    pub fn lock(&self) -> Result<(), PalmGovError> {
        self.core.app()?.lock.lock();
        Ok(())
    }

    /// Whether the app is unlocked now (false once the inactivity timeout
    /// has passed).
    pub fn is_unlocked(&self) -> Result<bool, PalmGovError> {
        Ok(self.core.app()?.lock.is_unlocked())
    }
}
