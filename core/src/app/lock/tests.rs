//! The lock over a clock the tests move: inactivity, the app PIN's delays
//! across a reopen, and what counts as activity.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::*;
use crate::software::{SoftwareAppLock, SoftwareKeystore};
use crate::store::Store;

/// A clock the test moves: the boot clock and the device clock apart, so
/// a device clock set back can be shown.
struct TestClock {
    boot: Mutex<Duration>,
    wall: Mutex<SystemTime>,
}

impl TestClock {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            boot: Mutex::new(Duration::from_secs(1_000)),
            wall: Mutex::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000)),
        })
    }

    /// Time passes: on both clocks.
    fn pass(&self, d: Duration) {
        *self.boot.lock().unwrap() += d;
        *self.wall.lock().unwrap() += d;
    }

    fn set_wall_back(&self, d: Duration) {
        *self.wall.lock().unwrap() -= d;
    }

    fn set_wall_forward(&self, d: Duration) {
        *self.wall.lock().unwrap() += d;
    }
}

impl Clock for TestClock {
    fn now(&self) -> SystemTime {
        *self.wall.lock().unwrap()
    }

    fn since_boot(&self) -> Duration {
        *self.boot.lock().unwrap()
    }
}

const MIN: Duration = Duration::from_secs(60);

fn store(dir: &std::path::Path) -> Store {
    let keystore: Arc<dyn crate::hooks::Keystore> =
        Arc::new(SoftwareKeystore::from_secret(&[3; 32]).unwrap());
    Store::open(dir, &keystore).unwrap()
}

fn unlocked_with_device_lock(clock: &Arc<TestClock>) -> AppLockState {
    let lock = AppLockState::new(
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        clock.clone(),
        300,
    );
    crate::drafts::tests::block_on(lock.unlock("test".into())).unwrap();
    lock
}

#[test]
fn the_lock_engages_after_five_minutes_without_activity() {
    let clock = TestClock::new();
    let lock = unlocked_with_device_lock(&clock);
    clock.pass(4 * MIN);
    lock.report_activity();
    clock.pass(4 * MIN);
    assert!(lock.unlocked().is_ok(), "4 minutes after the last touch");
    // Calls into the core are not activity: a background sync calling
    // every few seconds does not keep the app open.
    for _ in 0..59 {
        clock.pass(Duration::from_secs(1));
        assert!(lock.unlocked().is_ok());
    }
    clock.pass(Duration::from_secs(1));
    assert_eq!(
        PalmGovError::from(lock.unlocked().unwrap_err()),
        PalmGovError::Locked
    );
    // And a touch after the timeout does not reopen it.
    lock.report_activity();
    assert!(lock.unlocked().is_err());
}

#[test]
fn time_asleep_counts_and_a_clock_set_back_locks() {
    let clock = TestClock::new();
    let lock = unlocked_with_device_lock(&clock);
    // In the background, the phone asleep: the boot clock counts it.
    *clock.boot.lock().unwrap() += 10 * MIN;
    assert!(lock.unlocked().is_err());

    let lock = unlocked_with_device_lock(&clock);
    // A small correction (NTP) does not lock; a clock set back does.
    clock.set_wall_back(Duration::from_millis(500));
    assert!(
        lock.unlocked().is_ok(),
        "half a second back is a correction"
    );
    clock.set_wall_back(Duration::from_secs(3600));
    assert!(lock.unlocked().is_err(), "a device clock set back locks");
}

#[test]
fn a_pin_cannot_be_set_past_a_screen_lock() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let clock = TestClock::new();
    let lock = AppLockState::new(
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Denied)),
        clock,
        300,
    );
    // The phone has a screen lock and the app is locked: setting a PIN
    // would open it.
    assert_eq!(
        PalmGovError::from(lock.set_pin(&store, "285714", "acc-1").unwrap_err()),
        PalmGovError::Locked
    );
    assert!(lock.unlocked().is_err());
    assert_eq!(
        PalmGovError::from(lock.pin_owner(&store).unwrap_err()),
        PalmGovError::Locked
    );
}

#[test]
fn tries_at_once_are_counted_one_by_one_and_the_clock_cannot_skip_the_wait() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::new();
    let store = Arc::new(store(dir.path()));
    let lock = Arc::new(AppLockState::new(
        Arc::new(SoftwareAppLock::without_screen_lock()),
        clock.clone(),
        300,
    ));
    lock.set_pin(&store, "285714", "acc-1").unwrap();
    lock.lock();
    let tries: Vec<_> = (0..6)
        .map(|_| {
            let (lock, store) = (lock.clone(), store.clone());
            std::thread::spawn(move || lock.unlock_with_pin(&store, "000001").is_err())
        })
        .collect();
    assert!(tries.into_iter().all(|t| t.join().unwrap()));
    // Three counted (two free, the third starts the wait); the rest were
    // refused during the wait. Unserialised, all six saw no wait.
    assert_eq!(lock.status(&store).unwrap().pin_retry_after_ms, 30_000);
    // Setting the clock forward an hour in Settings does not end the wait.
    clock.set_wall_forward(Duration::from_secs(3600));
    assert_eq!(lock.status(&store).unwrap().pin_retry_after_ms, 30_000);
    clock.pass(Duration::from_secs(30));
    lock.unlock_with_pin(&store, "285714").unwrap();
}

#[test]
fn the_timeout_is_configurable_within_bounds() {
    let clock = TestClock::new();
    let lock = AppLockState::new(
        Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
        clock.clone(),
        1,
    );
    assert_eq!(lock.idle_timeout, Duration::from_secs(15), "at least 15 s");
    crate::drafts::tests::block_on(lock.unlock("t".into())).unwrap();
    clock.pass(Duration::from_secs(14));
    assert!(lock.unlocked().is_ok());
    clock.pass(Duration::from_secs(1));
    assert!(lock.unlocked().is_err());
}

#[test]
fn a_phone_without_a_screen_lock_gets_the_app_pin() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::new();
    let store = store(dir.path());
    let hook = Arc::new(SoftwareAppLock::without_screen_lock());
    let lock = AppLockState::new(hook.clone(), clock.clone(), 300);
    // Nothing gets through before a PIN is set: no screen lock is no
    // longer a way around the lock.
    assert!(lock.unlocked().is_err());
    assert_eq!(lock.method(&store).unwrap(), LockMethod::AppPinNotSet);
    assert_eq!(
        crate::drafts::tests::block_on(lock.unlock("t".into())),
        Err(PalmGovError::PinRequired)
    );
    let refused = |pin| PalmGovError::from(lock.set_pin(&store, pin, "acc-1").unwrap_err());
    assert_eq!(
        refused("123456"),
        PalmGovError::InvalidInput {
            field: "pin".into()
        }
    );
    lock.set_pin(&store, "285714", "acc-1").unwrap();
    assert!(lock.unlocked().is_ok());
    lock.lock();
    assert_eq!(lock.method(&store).unwrap(), LockMethod::AppPin);
    // Setting another while locked is refused: that would be a way in.
    assert_eq!(refused("902104"), PalmGovError::Locked);

    let wrong = |lock: &AppLockState| {
        PalmGovError::from(lock.unlock_with_pin(&store, "000001").unwrap_err())
    };
    assert_eq!(
        wrong(&lock),
        PalmGovError::WrongPin {
            retry_after_secs: 0
        }
    );
    assert_eq!(
        wrong(&lock),
        PalmGovError::WrongPin {
            retry_after_secs: 0
        }
    );
    assert_eq!(
        wrong(&lock),
        PalmGovError::WrongPin {
            retry_after_secs: 30
        }
    );
    // During the wait even the right PIN is not tried, and a reopened app
    // (a new lock over the same store) still waits.
    let reopened = AppLockState::new(hook.clone(), clock.clone(), 300);
    assert_eq!(
        PalmGovError::from(reopened.unlock_with_pin(&store, "285714").unwrap_err()),
        PalmGovError::WrongPin {
            retry_after_secs: 30
        }
    );
    assert_eq!(reopened.status(&store).unwrap().pin_retry_after_ms, 30_000);
    // A device clock set back does not shorten the wait.
    clock.set_wall_back(Duration::from_secs(600));
    assert_eq!(reopened.status(&store).unwrap().pin_retry_after_ms, 30_000);
    clock.pass(Duration::from_secs(600 + 30));
    assert_eq!(
        wrong(&reopened),
        PalmGovError::WrongPin {
            retry_after_secs: 60
        }
    );
    clock.pass(Duration::from_secs(60));
    reopened.unlock_with_pin(&store, "285714").unwrap();
    assert!(reopened.unlocked().is_ok());
    // The right PIN clears the count.
    reopened.lock();
    assert_eq!(
        wrong(&reopened),
        PalmGovError::WrongPin {
            retry_after_secs: 0
        }
    );

    // The PIN gates what is shown; the stored PIN is not the PIN.
    let raw = store.conn().unwrap().query_row(
        "SELECT value FROM secure_records WHERE namespace = 'palmgov.app_lock' AND key = 'pin'",
        [],
        |r| r.get::<_, Vec<u8>>(0),
    );
    assert!(!raw.unwrap().windows(6).any(|w| w == b"285714"));

    // Once the phone gets a screen lock, that is the way in, not the PIN.
    hook.set_available(true);
    assert_eq!(
        PalmGovError::from(reopened.unlock_with_pin(&store, "285714").unwrap_err()),
        PalmGovError::Locked
    );
}
