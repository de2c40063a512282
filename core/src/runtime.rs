//! The core's one tokio runtime, and explicit cancellation.
//!
//! UniFFI drives our async functions from the Kotlin or Swift executor, but
//! reqwest and the timers need tokio. Every async export therefore spawns
//! its work here and awaits the handle. Two benefits: a panic in that work
//! becomes [`PalmGovError::Internal`] instead of tearing down a thread, and
//! dropping the exported future (Kotlin/Swift cancellation, when the
//! bindings free it) aborts the work.
//!
//! Bindings do not always drop the future on cancellation, so long work also
//! takes a [`CancelToken`] the shell cancels explicitly; the thin Kotlin and
//! Swift layers wire it to coroutine and Task cancellation.
//!
//! [`run`] and [`run_blocking`] hand tokio one boxed type each, not the
//! caller's: tokio builds a task cell, harness and waker table per future
//! type it spawns, about 3 KB of machine code each, and the exports gave it
//! over a hundred types (360 KB of the phone library). Boxing costs one
//! allocation per call, well under a microsecond.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, LazyLock};

use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::error::{PalmGovError, Result};

static RUNTIME: LazyLock<std::result::Result<Runtime, String>> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        // Phones have many cores but little to do here: network waits and
        // short SQLite calls. Two workers keep memory and wakeups low.
        .worker_threads(2)
        .max_blocking_threads(8)
        .thread_name("palmgov-worker")
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
});

/// The runtime, created on first use.
pub(crate) fn runtime() -> std::result::Result<&'static Runtime, PalmGovError> {
    RUNTIME.as_ref().map_err(|_| PalmGovError::Internal {
        detail: "runtime start".into(),
    })
}

/// Runs `work` on the core runtime, cancellable by `cancel`, and converts
/// its outcome (a panic included) to the public error type.
pub(crate) async fn run<T, F>(cancel: Option<Arc<CancelToken>>, work: F) -> Result<T, PalmGovError>
where
    T: Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    let work: ErasedFuture = Box::pin(async move {
        let result = match cancel {
            Some(token) => tokio::select! {
                biased;
                _ = token.cancelled() => Err(PalmGovError::Cancelled.into()),
                result = work => result,
            },
            None => work.await,
        };
        Box::new(result) as Erased
    });
    let task = runtime()?.spawn(work);
    let guard = AbortOnDrop(task.abort_handle());
    let outcome = task.await;
    drop(guard);
    match outcome {
        Ok(result) => unerase::<T>(result),
        Err(e) if e.is_panic() => {
            tracing::error!("a core task panicked");
            Err(PalmGovError::Internal {
                detail: "panic".into(),
            })
        }
        Err(_) => Err(PalmGovError::Cancelled),
    }
}

/// Runs blocking work (SQLite, the file system, a platform hook that shows
/// a prompt, image decoding) on the runtime's blocking pool, so it never
/// blocks a runtime worker or the caller's thread (a Kotlin dispatcher, the
/// Swift cooperative pool). Callable from the core runtime and from the
/// shells' executors alike. The one way the core runs blocking work.
///
/// Blocking work cannot be aborted: dropping the future leaves it to
/// finish, which is what a half-written transaction needs anyway.
pub(crate) async fn run_blocking<T, F>(work: F) -> Result<T, PalmGovError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    let work: ErasedWork = Box::new(move || Box::new(work()) as Erased);
    match runtime()?.spawn_blocking(work).await {
        Ok(result) => unerase::<T>(result),
        Err(e) if e.is_panic() => {
            tracing::error!("a blocking core task panicked");
            Err(PalmGovError::Internal {
                detail: "panic".into(),
            })
        }
        Err(_) => Err(PalmGovError::Cancelled),
    }
}

/// A task's `Result<T>`, boxed so that tokio sees one output type.
type Erased = Box<dyn Any + Send>;
type ErasedFuture = Pin<Box<dyn Future<Output = Erased> + Send>>;
type ErasedWork = Box<dyn FnOnce() -> Erased + Send>;

/// The `Result<T>` a task of [`run`] or [`run_blocking`] boxed.
fn unerase<T: 'static>(result: Erased) -> std::result::Result<T, PalmGovError> {
    match result.downcast::<Result<T>>() {
        Ok(result) => (*result).map_err(PalmGovError::from),
        // Unreachable: the task that boxed it is the one awaited.
        Err(_) => Err(PalmGovError::Internal {
            detail: "task output".into(),
        }),
    }
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Cancels long work from the shell. One token may cover several calls; once
/// cancelled it stays cancelled.
#[derive(uniffi::Object)]
pub struct CancelToken {
    state: watch::Sender<bool>,
}

#[uniffi::export]
impl CancelToken {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            state: watch::Sender::new(false),
        })
    }

    /// Stops every call running with this token; they end with `Cancelled`.
    pub fn cancel(&self) {
        self.state.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.state.borrow()
    }
}

impl CancelToken {
    /// Resolves once the token is cancelled.
    pub(crate) async fn cancelled(&self) {
        let mut rx = self.state.subscribe();
        // The sender lives in `self`, so the channel cannot close under us.
        let _ = rx.wait_for(|c| *c).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A separate executor, standing in for the Kotlin/Swift one that drives
    /// UniFFI futures: the work itself must run on the core runtime.
    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn panics_become_internal_errors() {
        let r: Result<(), PalmGovError> = block_on(run(None, async { panic!("boom") }));
        assert_eq!(
            r,
            Err(PalmGovError::Internal {
                detail: "panic".into()
            })
        );
    }

    #[test]
    fn cancel_token_stops_work() {
        let token = CancelToken::new();
        let t2 = token.clone();
        let r: Result<(), PalmGovError> = block_on(async move {
            let work = run(Some(t2), async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok(())
            });
            token.cancel();
            work.await
        });
        assert_eq!(r, Err(PalmGovError::Cancelled));
    }

    #[test]
    fn dropping_the_future_aborts_the_task() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        block_on(async move {
            let work = run(None, async move {
                let _keep = tx;
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok(())
            });
            // Poll once so the task is spawned, then drop the future.
            let _ = tokio::time::timeout(Duration::from_millis(20), work).await;
        });
        // The task was aborted, so its sender was dropped.
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_err());
    }
}
