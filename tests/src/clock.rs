//! Clocks the system tests set: a phone whose clock is off, and time that
//! passes on demand.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use palmgov::Clock;

/// The device clock `0` seconds off (ahead when positive).
pub struct Skewed(pub i64);

impl Clock for Skewed {
    fn now(&self) -> SystemTime {
        let now = SystemTime::now();
        if self.0 >= 0 {
            now + Duration::from_secs(self.0 as u64)
        } else {
            now - Duration::from_secs(self.0.unsigned_abs())
        }
    }
}

/// A clock the test moves: time passing moves the device clock and the
/// boot clock; a person setting the phone's clock moves the device clock
/// only.
#[derive(Default)]
pub struct Movable {
    wall: AtomicI64,
    boot: AtomicI64,
}

impl Movable {
    /// `secs` pass.
    pub fn pass(&self, secs: i64) {
        self.wall.fetch_add(secs, Ordering::SeqCst);
        self.boot.fetch_add(secs, Ordering::SeqCst);
    }

    /// The person sets the phone's clock back by `secs`.
    pub fn set_back(&self, secs: i64) {
        self.wall.fetch_sub(secs, Ordering::SeqCst);
    }

    /// The person sets the phone's clock forward by `secs`.
    pub fn set_forward(&self, secs: i64) {
        self.set_back(-secs);
    }
}

impl Clock for Movable {
    fn now(&self) -> SystemTime {
        Skewed(self.wall.load(Ordering::SeqCst)).now()
    }

    fn since_boot(&self) -> Duration {
        let extra = self.boot.load(Ordering::SeqCst);
        palmgov::clock::SystemClock.since_boot() + Duration::from_secs(extra.max(0) as u64)
    }
}
