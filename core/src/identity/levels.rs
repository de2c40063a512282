//! Assurance levels (L2–L5): what the provider's `acr` values stand for,
//! and levels raised for a while by a later proof (a face verdict).
//!
//! A raised level is held in memory only, for its lifetime measured on the
//! boot clock from when it was granted (which counts sleep and which the
//! person cannot set): a phone whose clock is hours off neither loses nor
//! extends it, a phone asleep in a pocket does not keep it longer, and a
//! process death costs at most one more check.
//!
//! A sign-in at L4 or L5 lapses the same way, measured from the provider's
//! `auth_time` (see [`IdentityService::info`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use super::{Active, IdentityService};
use crate::clock::unix_ms;
use crate::error::{PalmGovError, Result};
use crate::gate::Unlocked;

impl Active {
    /// The assurance level an `acr` value stands for; L2 when the provider
    /// names none or one we do not know.
    pub(crate) fn level_of(&self, acr: Option<&str>) -> u8 {
        acr.and_then(|a| self.config.acr_levels.iter().position(|l| l == a))
            .map_or(2, |i| i as u8 + 2)
    }

    /// The `acr` value that requests `level`.
    pub(crate) fn acr_for(&self, level: u8) -> Result<&str> {
        match level {
            2..=5 => Ok(&self.config.acr_levels[usize::from(level - 2)]),
            _ => Err(PalmGovError::InvalidInput {
                field: "level".into(),
            }
            .into()),
        }
    }
}

/// Levels raised for a while, per account: (level, until on the boot
/// clock, until in device milliseconds for display).
#[derive(Default)]
pub(crate) struct LevelGrants {
    grants: Mutex<HashMap<String, (u8, Duration, i64)>>,
}

impl LevelGrants {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<String, (u8, Duration, i64)>) -> T) -> T {
        f(&mut self.grants.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl IdentityService {
    /// Raises `account` to `level` for `lifetime`; returns until when, in
    /// device milliseconds.
    pub(crate) fn grant_level(&self, account: &str, level: u8, lifetime: Duration) -> i64 {
        let until_ms = unix_ms(self.ctx.clock().now() + lifetime);
        let until = self.ctx.clock().since_boot() + lifetime;
        self.grants
            .with(|g| g.insert(account.to_string(), (level, until, until_ms)));
        until_ms
    }

    /// The level a current grant gives `account`, and until when (ms).
    pub(crate) fn granted_level(&self, account: &str) -> Option<(u8, i64)> {
        let now = self.ctx.clock().since_boot();
        self.grants.with(|g| {
            let (level, until, until_ms) = g.get(account)?;
            (now < *until).then_some((*level, *until_ms))
        })
    }

    /// Drops `account`'s grant (consent withdrawn, sign-out).
    pub(crate) fn forget_grant(&self, account: &str) {
        self.grants.with(|g| g.remove(account));
    }

    /// Checks that `level` is one the configuration names (2–5).
    pub(crate) fn check_level(&self, level: u8) -> Result<()> {
        self.active()?.acr_for(level).map(|_| ())
    }

    /// Succeeds when the session has assurance `level` or more; otherwise
    /// `LevelRequired { level }`, for the app to step up.
    pub(crate) fn require_level(&self, _: &Unlocked, level: u8) -> Result<()> {
        let info = self.usable_info()?;
        self.check_level(level)?;
        if info.level >= level {
            Ok(())
        } else {
            Err(PalmGovError::LevelRequired { level }.into())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn levels_map_to_acr_values() {
        let (active, _) = crate::identity::tokens::tests::parts();
        assert_eq!(active.level_of(None), 2);
        assert_eq!(active.level_of(Some("urn:palmgov:loa:4")), 4);
        assert_eq!(active.level_of(Some("urn:other")), 2);
        assert_eq!(active.acr_for(5).unwrap(), "urn:palmgov:loa:5");
        assert!(active.acr_for(6).is_err());
        assert!(active.acr_for(1).is_err());
    }
}
