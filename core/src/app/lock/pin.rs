//! The app PIN, for a phone with no screen lock: set at first use, checked
//! with growing delays after wrong tries, recovered by the same person
//! signing in again.
//!
//! - The PIN is stretched with PBKDF2-HMAC-SHA256 (ring) under a random
//!   salt, and only the result is kept, sealed under the device data key
//!   like every record. It gates what is shown; it does not wrap the data
//!   key, so a sync the OS starts while the app is locked keeps working.
//! - Wrong tries are counted durably, so closing the app does not reset the
//!   count: from the third, each try must wait 30 s, doubling up to an
//!   hour. A try is recorded as wrong before the PIN is even stretched, so
//!   killing the app mid-try does not escape it. The wait counts the lesser
//!   of the device clock's and the boot clock's time, so setting the clock
//!   forward (or back) in Settings does not shorten it; after a reboot only
//!   the time since boot counts.
//! - The PIN belongs to the account signed in when it was set. Only that
//!   person signing in again resets it (`recover_app_pin`); another
//!   person's sign-in is refused before any session is kept.

use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::random_bytes;
use crate::error::{PalmGovError, Result};
use crate::store::Store;

const NS: &str = "palmgov.app_lock";
const PIN: &str = "pin";
const ATTEMPTS: &str = "attempts";

/// PBKDF2 rounds. About 60 ms on a 2020 mid-range phone (measured on this
/// machine at ~25 ms; phones are 2–3× slower): slow enough that the stored
/// value is costly to search should it leak with the keystore, fast enough
/// for a person typing. The real defence against guessing is the delay.
const ITERATIONS: u32 = 120_000;

/// Wrong tries allowed before the delays start.
const FREE_TRIES: u32 = 2;
/// The first delay; each wrong try after it doubles it.
const FIRST_DELAY_MS: i64 = 30_000;
/// The longest delay.
const MAX_DELAY_MS: i64 = 3_600_000;

/// A PIN as kept: never the PIN itself.
#[derive(Serialize, Deserialize)]
struct Stored {
    salt: Vec<u8>,
    iterations: u32,
    hash: Vec<u8>,
    /// The account that set it, the only one whose sign-in resets it.
    owner: String,
}

/// Wrong tries so far and when the last was made (device clock, ms; boot
/// clock, ms).
#[derive(Default, Serialize, Deserialize)]
struct Attempts {
    failures: u32,
    last_failure_ms: i64,
    #[serde(default)]
    last_failure_boot_ms: u64,
}

/// "Now" on both clocks.
#[derive(Clone, Copy)]
pub(crate) struct Now {
    pub wall_ms: i64,
    pub boot: std::time::Duration,
}

impl Now {
    fn boot_ms(self) -> u64 {
        u64::try_from(self.boot.as_millis()).unwrap_or(u64::MAX)
    }
}

/// The wait before the next try after `failures` wrong ones.
fn delay_ms(failures: u32) -> i64 {
    if failures <= FREE_TRIES {
        return 0;
    }
    let doublings = (failures - FREE_TRIES - 1).min(16);
    (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS)
}

/// Whole seconds, rounded up, for a person to wait.
fn secs(ms: u64) -> u32 {
    u32::try_from(ms.div_ceil(1000)).unwrap_or(u32::MAX)
}

/// A PIN a person may choose: 6 to 12 digits, not one digit repeated and
/// not a run up or down (123456, 987654).
pub(crate) fn acceptable(pin: &str) -> bool {
    let digits: Vec<i32> = pin
        .chars()
        .map(|c| c.to_digit(10).map(|d| d as i32))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if !(6..=12).contains(&digits.len()) || digits.len() != pin.chars().count() {
        return false;
    }
    let steps: Vec<i32> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    let same = |step: i32| steps.iter().all(|s| *s == step);
    !(same(0) || same(1) || same(-1))
}

fn stretch(pin: &str, salt: &[u8], iterations: u32) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(vec![0u8; 32]);
    let rounds = NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN);
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        salt,
        pin.as_bytes(),
        &mut out,
    );
    out
}

/// The PIN's records in the store.
pub(crate) struct PinStore<'a> {
    pub store: &'a Store,
}

impl PinStore<'_> {
    fn stored(&self) -> Result<Option<Stored>> {
        match self.store.secure_get(NS, PIN)? {
            Some(bytes) => Ok(Some(
                serde_json::from_slice(&bytes).map_err(|_| PalmGovError::Decryption)?,
            )),
            None => Ok(None),
        }
    }

    fn attempts(&self) -> Result<Attempts> {
        Ok(self
            .store
            .secure_get(NS, ATTEMPTS)?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default())
    }

    /// Whether a PIN is set.
    pub(crate) fn is_set(&self) -> Result<bool> {
        Ok(self.store.secure_get(NS, PIN)?.is_some())
    }

    /// The account that set the PIN.
    pub(crate) fn owner(&self) -> Result<Option<String>> {
        Ok(self.stored()?.map(|s| s.owner))
    }

    /// Sets the PIN (the caller has checked it may), clearing wrong tries.
    pub(crate) fn set(&self, pin: &str, owner: &str) -> Result<()> {
        if !acceptable(pin) {
            return Err(PalmGovError::InvalidInput {
                field: "pin".into(),
            }
            .into());
        }
        let salt = random_bytes(16)?;
        let stored = Stored {
            hash: stretch(pin, &salt, ITERATIONS).to_vec(),
            salt: salt.to_vec(),
            iterations: ITERATIONS,
            owner: owner.to_string(),
        };
        let json = Zeroizing::new(serde_json::to_vec(&stored)?);
        self.store.secure_put_durable(NS, PIN, &json)?;
        self.store.secure_delete(NS, ATTEMPTS)?;
        Ok(())
    }

    /// How long until the next try is allowed, in ms (0: now).
    pub(crate) fn wait_ms(&self, now: Now) -> Result<u64> {
        let attempts = self.attempts()?;
        let delay = delay_ms(attempts.failures);
        // A clock set back counts as no time; a clock set forward is held
        // to what the boot clock saw; a reboot counts from boot.
        let wall = (now.wall_ms - attempts.last_failure_ms).max(0);
        let boot = match now.boot_ms().checked_sub(attempts.last_failure_boot_ms) {
            Some(since) => since,
            None => now.boot_ms(),
        };
        let waited = wall.min(i64::try_from(boot).unwrap_or(i64::MAX));
        Ok((delay - waited).max(0) as u64)
    }

    /// Checks `pin`. A wrong one, or any try during a delay, is `WrongPin`
    /// with the wait before the next try. The caller holds the one-try lock.
    pub(crate) fn verify(&self, pin: &str, now: Now) -> Result<()> {
        let stored = self.stored()?.ok_or(PalmGovError::PinRequired)?;
        let wait = self.wait_ms(now)?;
        if wait > 0 {
            return Err(PalmGovError::WrongPin {
                retry_after_secs: secs(wait),
            }
            .into());
        }
        // Counted as wrong first: a kill during the stretch is a wrong try.
        let before = self.attempts()?;
        let counted = Attempts {
            failures: before.failures.saturating_add(1),
            last_failure_ms: now.wall_ms,
            last_failure_boot_ms: now.boot_ms(),
        };
        self.store
            .secure_put_durable(NS, ATTEMPTS, &serde_json::to_vec(&counted)?)?;
        let rounds = NonZeroU32::new(stored.iterations).unwrap_or(NonZeroU32::MIN);
        let right = ring::pbkdf2::verify(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            rounds,
            &stored.salt,
            pin.as_bytes(),
            &stored.hash,
        )
        .is_ok();
        if right {
            self.store.secure_delete(NS, ATTEMPTS)?;
            return Ok(());
        }
        Err(PalmGovError::WrongPin {
            retry_after_secs: secs(delay_ms(counted.failures) as u64),
        }
        .into())
    }

    /// Forgets the PIN and its wrong tries (after the owner signed in again).
    pub(crate) fn forget(&self) -> Result<()> {
        self.store.secure_delete(NS, PIN)?;
        self.store.secure_delete(NS, ATTEMPTS)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_from_the_third_wrong_try_and_stop_at_an_hour() {
        assert_eq!(
            (0..8).map(delay_ms).collect::<Vec<_>>(),
            [0, 0, 0, 30_000, 60_000, 120_000, 240_000, 480_000]
        );
        assert_eq!(delay_ms(40), MAX_DELAY_MS);
    }

    #[test]
    fn guessable_pins_are_refused() {
        for good in ["285714", "90210455", "112358"] {
            assert!(acceptable(good), "{good}");
        }
        for bad in [
            "12345",
            "111111",
            "123456",
            "987654",
            "12a456",
            "１２８５７４",
            "1234567890123",
        ] {
            assert!(!acceptable(bad), "{bad}");
        }
    }
}
