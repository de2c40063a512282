//! The app lock: in front of everything personal, passed with the phone's
//! own lock (biometrics or the device PIN, through the shell's hook) or,
//! on a phone with no screen lock, with the app's own PIN ([`pin`]).
//! Passing it opens the [`Gate`] that mints [`Unlocked`] tokens.
//!
//! It locks again by itself after a time without activity (5 minutes
//! unless configured). Activity is what the shell reports, a touch or a
//! screen shown, never a call into the core: background work (a sync the
//! OS starts) calls the core too, and would keep the app unlocked forever.
//! Time in the background counts as inactivity, so an app left in the
//! background that long is locked when it comes back. Inactivity is
//! measured on the boot clock, which counts sleep and which the person
//! cannot set; a device clock set back cannot stretch it either.
//!
//! The lock gates what is shown, not what is stored: the data key stays
//! wrapped by the keystore alone, so a sync the OS starts in the
//! background keeps working while the app is locked.

pub(crate) mod pin;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::{Clock, unix_ms};
use crate::error::{PalmGovError, Result};
use crate::gate::{Gate, Unlocked};
use crate::hooks::{AppLock, AppLockOutcome, HookError};
use crate::store::Store;

pub(crate) use pin::PinStore;

/// The shortest and longest inactivity before the lock engages.
const TIMEOUT_RANGE_SECS: (u32, u32) = (15, 24 * 3600);

/// How the app is unlocked on this phone now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LockMethod {
    /// The phone's own lock, through the shell's prompt (`unlock`).
    DeviceLock,
    /// The app's PIN (`unlock_with_pin`): the phone has no screen lock.
    AppPin,
    /// The phone has no screen lock and no app PIN is set yet: the shell
    /// asks the person to choose one (`set_app_pin`) before anything
    /// personal is shown.
    AppPinNotSet,
}

/// The lock as a shell shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LockStatus {
    pub unlocked: bool,
    pub method: LockMethod,
    /// With the app PIN: how long until the next try is allowed (0: now).
    pub pin_retry_after_ms: u64,
    /// The inactivity after which the lock engages again.
    pub idle_timeout_ms: u64,
}

pub(crate) struct AppLockState {
    hook: Arc<dyn AppLock>,
    gate: Gate,
    clock: Arc<dyn Clock>,
    idle_timeout: Duration,
    /// The last activity the shell reported (or the unlock), on the boot
    /// clock and on the device clock: either passing the timeout locks.
    last_activity: Mutex<(Duration, i64)>,
    /// Held over a whole PIN try (check, stretch, record), so tries made at
    /// once are counted one by one instead of all seeing no wait.
    pin_try: Mutex<()>,
}

impl AppLockState {
    pub(crate) fn new(
        hook: Arc<dyn AppLock>,
        clock: Arc<dyn Clock>,
        idle_timeout_secs: u32,
    ) -> Self {
        let secs = idle_timeout_secs.clamp(TIMEOUT_RANGE_SECS.0, TIMEOUT_RANGE_SECS.1);
        let now = (clock.since_boot(), unix_ms(clock.now()));
        Self {
            hook,
            gate: Gate::default(),
            clock,
            idle_timeout: Duration::from_secs(u64::from(secs)),
            last_activity: Mutex::new(now),
            pin_try: Mutex::new(()),
        }
    }

    fn now(&self) -> (Duration, i64) {
        (self.clock.since_boot(), unix_ms(self.clock.now()))
    }

    fn last(&self) -> std::sync::MutexGuard<'_, (Duration, i64)> {
        self.last_activity.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the time since the last activity has reached the timeout on
    /// either clock (a device clock set back counts as the timeout).
    fn idle_expired(&self) -> bool {
        let (boot, wall) = self.now();
        let (last_boot, last_wall) = *self.last();
        let timeout = self.idle_timeout;
        boot.saturating_sub(last_boot) >= timeout
            || wall < last_wall - 1_000
            || i128::from(wall) - i128::from(last_wall) >= timeout.as_millis() as i128
    }

    /// An `Unlocked` for one call, or `Locked`: never passed, locked again,
    /// or idle past the timeout (which locks it now).
    pub(crate) fn unlocked(&self) -> Result<Unlocked> {
        if self.gate.is_open() && self.idle_expired() {
            self.gate.close();
            tracing::info!("app lock engaged after inactivity");
        }
        self.gate.pass()
    }

    /// The person is using the app (the shell saw a touch, showed a
    /// screen): the inactivity timeout starts again. Too late once it has
    /// passed: the lock engages instead.
    pub(crate) fn report_activity(&self) {
        if self.unlocked().is_ok() {
            *self.last() = self.now();
        }
    }

    fn open_gate(&self) {
        *self.last() = self.now();
        self.gate.open();
    }

    /// How this phone is unlocked now.
    pub(crate) fn method(&self, store: &Store) -> Result<LockMethod> {
        Ok(if self.hook.is_available() {
            LockMethod::DeviceLock
        } else if (PinStore { store }).is_set()? {
            LockMethod::AppPin
        } else {
            LockMethod::AppPinNotSet
        })
    }

    /// Now on both clocks, as the PIN's delays measure it.
    fn pin_now(&self) -> pin::Now {
        pin::Now {
            wall_ms: unix_ms(self.clock.now()),
            boot: self.clock.since_boot(),
        }
    }

    pub(crate) fn status(&self, store: &Store) -> Result<LockStatus> {
        let method = self.method(store)?;
        let pin_retry_after_ms = match method {
            LockMethod::AppPin => (PinStore { store }).wait_ms(self.pin_now())?,
            _ => 0,
        };
        Ok(LockStatus {
            unlocked: self.unlocked().is_ok(),
            method,
            pin_retry_after_ms,
            idle_timeout_ms: self.idle_timeout.as_millis() as u64,
        })
    }

    /// Shows the phone's lock through the shell's hook (a blocking prompt,
    /// so on the blocking pool). On a phone without one, `PinRequired`:
    /// the app PIN is the way in.
    pub(crate) async fn unlock(&self, reason: String) -> Result<(), PalmGovError> {
        let hook = self.hook.clone();
        if !hook.is_available() {
            return Err(PalmGovError::PinRequired);
        }
        let outcome = crate::runtime::run_blocking(move || {
            hook.authenticate(reason)
                .map_err(|e| hook_failure("app_lock", e).into())
        })
        .await?;
        match outcome {
            AppLockOutcome::Unlocked => {
                self.open_gate();
                Ok(())
            }
            AppLockOutcome::Denied => Err(PalmGovError::Locked),
        }
    }

    /// Unlocks with the app PIN (a phone with no screen lock).
    pub(crate) fn unlock_with_pin(&self, store: &Store, pin: &str) -> Result<()> {
        if self.hook.is_available() {
            // The phone's lock is the way in; a PIN set before the person
            // set up a screen lock does not bypass it.
            return Err(PalmGovError::Locked.into());
        }
        let _one_try_at_a_time = self.pin_try.lock().unwrap_or_else(|e| e.into_inner());
        (PinStore { store }).verify(pin, self.pin_now())?;
        self.open_gate();
        Ok(())
    }

    /// Sets the app PIN: the first one on a phone with no screen lock, or a
    /// new one while unlocked. `owner` is the signed-in account, the only
    /// person who can reset it by signing in again.
    pub(crate) fn set_pin(&self, store: &Store, pin: &str, owner: &str) -> Result<()> {
        let pins = PinStore { store };
        // Without the lock passed, only the first PIN of a phone with no
        // screen lock: anything else would be a way past the lock.
        let first_use = !self.hook.is_available() && !pins.is_set()?;
        if !first_use && self.unlocked().is_err() {
            return Err(PalmGovError::Locked.into());
        }
        pins.set(pin, owner)?;
        self.open_gate();
        Ok(())
    }

    /// The account whose sign-in may reset the PIN. On a phone with a
    /// screen lock there is nothing to reset: its lock is the way in.
    pub(crate) fn pin_owner(&self, store: &Store) -> Result<Option<String>> {
        if self.hook.is_available() {
            return Err(PalmGovError::Locked.into());
        }
        (PinStore { store }).owner()
    }

    /// Forgets the PIN after its owner signed in again, and opens the
    /// lock: they proved who they are. The shell asks for a new PIN.
    pub(crate) fn reset_pin(&self, store: &Store) -> Result<()> {
        (PinStore { store }).forget()?;
        self.open_gate();
        Ok(())
    }

    /// Locks again (the person's choice, or the shell going away).
    pub(crate) fn lock(&self) {
        self.gate.close();
    }

    pub(crate) fn is_unlocked(&self) -> bool {
        self.unlocked().is_ok()
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

#[cfg(test)]
mod tests;
