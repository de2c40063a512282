//! Retries with exponential backoff, full jitter, and `Retry-After`.
//!
//! Time is injected ([`crate::clock::Clock`], [`Sleeper`]) so tests run the whole retry
//! schedule instantly and can assert the delays that would have been slept.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::error::{PalmGovError, Result};

/// How the core waits between attempts.
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// Waits on the core's tokio timer.
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The retry schedule of one kind of request.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 means no retry.
    pub max_attempts: u32,
    /// The first backoff ceiling; it doubles with each retry.
    pub base: Duration,
    /// The largest backoff ceiling.
    pub cap: Duration,
    /// The longest `Retry-After` the core waits out inside one call. A longer
    /// one ends the call with the delay in the error, so the caller (the
    /// outbox, a person) can come back later instead of blocking now.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1 for the first retry), given
    /// the server's `Retry-After` and a uniform random `jitter` in [0, 1).
    ///
    /// Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
    /// a random wait up to the exponential ceiling spreads a crowd of phones
    /// that lost the network together. A server's `Retry-After` is a floor.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let exp = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.base.saturating_mul(exp).min(self.cap);
        let backoff = ceiling.mul_f64(jitter.clamp(0.0, 1.0));
        match retry_after {
            Some(after) => after.max(backoff),
            None => backoff,
        }
    }

    /// Runs `attempt` until it succeeds, fails permanently, or the attempts
    /// run out. Only transient errors ([`PalmGovError::is_transient`]) are retried.
    pub(crate) async fn run<T, F, Fut>(
        &self,
        sleeper: &Arc<dyn Sleeper>,
        mut attempt: F,
    ) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut number = 1;
        loop {
            let error = match attempt(number).await {
                Ok(value) => return Ok(value),
                Err(e) => PalmGovError::from(e),
            };
            if !error.is_transient() || number >= self.max_attempts {
                return Err(error.into());
            }
            let retry_after = match &error {
                PalmGovError::Server {
                    retry_after_ms: Some(ms),
                    ..
                } => Some(Duration::from_millis(*ms)),
                _ => None,
            };
            if retry_after.is_some_and(|d| d > self.max_retry_after) {
                return Err(error.into());
            }
            let wait = self.delay(number, retry_after, fastrand::f64());
            tracing::debug!(
                attempt = number,
                wait_ms = wait.as_millis() as u64,
                code = error.code(),
                "retrying"
            );
            sleeper.sleep(wait).await;
            number += 1;
        }
    }
}

/// Parses a `Retry-After` value: delta-seconds or an HTTP-date (RFC 9110
/// §10.2.3). A date in the past means "now"; garbage means no hint.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Default)]
    struct RecordingSleeper(Mutex<Vec<Duration>>);

    impl Sleeper for RecordingSleeper {
        fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            self.0.lock().unwrap().push(d);
            Box::pin(async {})
        }
    }

    fn server(status: u16, retry_after_ms: Option<u64>) -> Error {
        PalmGovError::Server {
            status,
            retry_after_ms,
        }
        .into()
    }

    #[test]
    fn backoff_grows_and_caps() {
        let p = RetryPolicy {
            max_attempts: 10,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(30),
        };
        assert_eq!(p.delay(1, None, 0.999_999).as_millis(), 99);
        assert_eq!(p.delay(3, None, 0.5), Duration::from_millis(200));
        assert_eq!(p.delay(20, None, 1.0), Duration::from_secs(1));
        assert_eq!(p.delay(1, None, 0.0), Duration::ZERO);
        // Retry-After is a floor over the jittered backoff.
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(5)), 1.0),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn retry_after_formats() {
        let now = httpdate::parse_http_date("Tue, 24 Nov 2026 06:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Tue, 24 Nov 2026 06:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Tue, 24 Nov 2026 05:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn retries_transient_errors_honouring_retry_after() {
        let sleeper = Arc::new(RecordingSleeper::default());
        let dyn_sleeper: Arc<dyn Sleeper> = sleeper.clone();
        let calls = AtomicU32::new(0);
        let result: Result<&str> = block_on(RetryPolicy::default().run(&dyn_sleeper, |n| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move {
                match n {
                    1 => Err(server(503, Some(2_000))),
                    2 => Err(PalmGovError::Offline.into()),
                    _ => Ok("done"),
                }
            }
        }));
        assert_eq!(result.unwrap(), "done");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        let slept = sleeper.0.lock().unwrap().clone();
        assert_eq!(slept.len(), 2);
        assert!(slept[0] >= Duration::from_secs(2));
        assert!(slept[1] <= Duration::from_millis(500));
    }

    #[test]
    fn permanent_errors_and_long_retry_after_are_not_retried() {
        let sleeper: Arc<dyn Sleeper> = Arc::new(RecordingSleeper::default());
        let calls = AtomicU32::new(0);
        let r: Result<()> = block_on(RetryPolicy::default().run(&sleeper, |_| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(server(422, None)) }
        }));
        assert!(r.is_err());
        assert_eq!(calls.swap(0, Ordering::SeqCst), 1);
        let r: Result<()> = block_on(RetryPolicy::default().run(&sleeper, |_| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(server(429, Some(3_600_000))) }
        }));
        assert_eq!(
            PalmGovError::from(r.unwrap_err()),
            PalmGovError::Server {
                status: 429,
                retry_after_ms: Some(3_600_000)
            }
        );
        assert_eq!(calls.swap(0, Ordering::SeqCst), 1);
        let r: Result<()> = block_on(RetryPolicy::default().run(&sleeper, |_| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(PalmGovError::Timeout.into()) }
        }));
        assert_eq!(PalmGovError::from(r.unwrap_err()), PalmGovError::Timeout);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }
}
