//! Time, in one place: the device clock (injectable, so tests can show a
//! phone whose clock is hours off still works) and the conversions the core
//! stores times in.
//!
//! Times are stored as Unix milliseconds (`_ms`) or seconds, signed, so a
//! clock set before 1970 gives a negative number instead of a panic.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where "now" comes from. Tests and the identity code's clock-offset
/// correction replace the device clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;

    /// Time since the device booted, sleep included, which the person
    /// cannot set: what the app lock measures inactivity with.
    fn since_boot(&self) -> Duration {
        since_boot()
    }
}

/// Time since boot, sleep included. `Instant` will not do: on Linux and
/// Android it stops while the phone sleeps (`CLOCK_MONOTONIC`), and on
/// Apple platforms it is `CLOCK_UPTIME_RAW`, which does too, so a phone
/// asleep in a pocket for an hour would count as a minute. The boot clock
/// is `CLOCK_BOOTTIME` on Linux and Android and `CLOCK_MONOTONIC` on Apple
/// platforms (which counts sleep there).
pub(crate) fn since_boot() -> Duration {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const CLOCK: libc::clockid_t = libc::CLOCK_BOOTTIME;
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    const CLOCK: libc::clockid_t = libc::CLOCK_MONOTONIC;
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios"
    ))]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec for the call.
        if unsafe { libc::clock_gettime(CLOCK, &mut ts) } == 0 {
            return Duration::new(
                ts.tv_sec.max(0) as u64,
                ts.tv_nsec.clamp(0, 999_999_999) as u32,
            );
        }
    }
    // Elsewhere (and should the call fail): time since the core started.
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// The device clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Milliseconds since the Unix epoch, signed for clocks set before 1970.
pub(crate) fn unix_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

/// Whole seconds since the Unix epoch, rounded down.
pub(crate) fn unix_secs(t: SystemTime) -> i64 {
    unix_ms(t).div_euclid(1000)
}

/// The device clock now, in milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    unix_ms(SystemTime::now())
}

/// The device clock now, in seconds since the epoch.
pub(crate) fn now_unix() -> i64 {
    unix_secs(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_boot_clock_moves_forward() {
        let a = since_boot();
        std::thread::sleep(Duration::from_millis(20));
        let b = since_boot();
        assert!(b > a && b - a >= Duration::from_millis(20), "{a:?} {b:?}");
    }

    #[test]
    fn times_before_1970_are_negative_not_a_panic() {
        let before = UNIX_EPOCH - Duration::from_millis(1_500);
        assert_eq!(unix_ms(before), -1_500);
        assert_eq!(unix_secs(before), -2);
        assert_eq!(unix_secs(UNIX_EPOCH + Duration::from_millis(999)), 0);
    }
}
