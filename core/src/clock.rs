//! Time, in one place: the device clock (injectable, so tests can show a
//! phone whose clock is hours off still works) and the conversions the core
//! stores times in.
//!
//! Times are stored as Unix milliseconds (`_ms`) or seconds, signed, so a
//! clock set before 1970 gives a negative number instead of a panic.

use std::time::{SystemTime, UNIX_EPOCH};

/// Where "now" comes from. Tests and the identity code's clock-offset
/// correction replace the device clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
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
    fn times_before_1970_are_negative_not_a_panic() {
        let before = UNIX_EPOCH - Duration::from_millis(1_500);
        assert_eq!(unix_ms(before), -1_500);
        assert_eq!(unix_secs(before), -2);
        assert_eq!(unix_secs(UNIX_EPOCH + Duration::from_millis(999)), 0);
    }
}
