//! How long the machine was taken away during a benchmark.
//!
//! A shared VM's host can stop a guest for hundreds of milliseconds at a
//! time. On the machine these figures were taken on, a thread sleeping 1 ms
//! at a time, with nothing else running, woke more than 20 ms late about
//! seventy times in 20 s. A wall-clock figure then says as much about the
//! host as about the code, so the benchmarks that cannot take the fastest
//! of many runs report this beside their time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A wake-up later than this counts as the machine being taken away; a
/// busy guest's own scheduler gives a woken sleeper the CPU well before it.
const STALL: Duration = Duration::from_millis(20);
const TICK: Duration = Duration::from_millis(1);

/// A thread that sleeps [`TICK`] at a time and adds up how late it wakes.
pub(crate) struct StallMeter {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Duration>,
}

impl StallMeter {
    pub(crate) fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut lost = Duration::ZERO;
            while !flag.load(Ordering::Relaxed) {
                let asleep = Instant::now();
                std::thread::sleep(TICK);
                let late = asleep.elapsed().saturating_sub(TICK);
                if late > STALL {
                    lost += late;
                }
            }
            lost
        });
        Self { stop, thread }
    }

    /// The time lost to stalls since [`StallMeter::start`].
    pub(crate) fn stop(self) -> Duration {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}
