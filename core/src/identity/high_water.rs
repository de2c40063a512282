//! The latest time this install has seen, so that setting the phone's
//! clock back cannot reopen a window that has closed: the offline window
//! of a session, a level that has lapsed.
//!
//! The mark is a device-clock time and the boot clock's reading when it
//! was taken. While the phone has not rebooted, the boot clock (which the
//! person cannot set, and which counts sleep) carries it forward, so a
//! clock set back does not even freeze time; after a reboot the mark
//! itself is the floor. It is kept (best effort, not durably) whenever it
//! moves a minute, so it survives the app being closed.
//!
//! The servers' clock outranks both: once a `Date` of the provider or the
//! backend has been seen in this process, the time is that `Date` carried
//! forward by the boot clock,
//! whatever the device clock says, and the mark follows it (down, too:
//! a device clock once set a year ahead would otherwise lock the person
//! out for good).

use std::sync::Mutex;
use std::time::Duration;

use super::IdentityService;

const NS: &str = "palmgov.identity";
const KEY: &str = "high_water";

/// How far the mark must move before it is written again.
const WRITE_EVERY_SECS: i64 = 60;

/// The mark: (device clock, seconds; boot clock then).
#[derive(Default)]
pub(crate) struct HighWater {
    mark: Mutex<Option<(i64, Duration)>>,
    loaded: std::sync::OnceLock<()>,
}

impl IdentityService {
    /// `now` (device or provider-corrected seconds), raised to the latest
    /// time this install has seen.
    pub(crate) fn trusted_now(&self, now: i64) -> i64 {
        let hw = &self.high_water;
        let boot = self.ctx.clock().since_boot();
        let mut mark = hw.mark.lock().unwrap_or_else(|e| e.into_inner());
        hw.loaded.get_or_init(|| {
            // A mark from before this process: its boot reading means
            // nothing now (the phone may have rebooted), so only the time.
            if let Ok(Some(bytes)) = self.ctx.store.secure_get(NS, KEY)
                && let Some(at) = std::str::from_utf8(&bytes)
                    .ok()
                    .and_then(|s| s.parse().ok())
            {
                *mark = Some((at, boot));
            }
        });
        let mut floor = match *mark {
            Some((at, then)) => {
                at + i64::try_from(boot.saturating_sub(then).as_secs()).unwrap_or(0)
            }
            None => i64::MIN,
        };
        // The servers' time (the provider's, or the backend's), carried by
        // the boot clock, outranks both the device clock and the mark.
        let server = self.ctx.api().server_now();
        let now = match server {
            Some(server) => {
                floor = server;
                server
            }
            None => now,
        };
        let trusted = now.max(floor);
        // Written when it moved a minute either way (down only when the
        // provider's time corrected it).
        let moved = mark.is_none_or(|(at, _)| trusted.abs_diff(at) >= WRITE_EVERY_SECS as u64);
        if moved {
            *mark = Some((trusted, boot));
            if let Err(e) = self
                .ctx
                .store
                .secure_put(NS, KEY, trusted.to_string().as_bytes())
            {
                let e = crate::error::PalmGovError::from(e);
                tracing::warn!("high-water mark not kept: {}", e.code());
            }
        }
        trusted
    }
}
