//! Delivery: what the outbox and the roster share to send work to the
//! backend exactly once.
//!
//! Anything that can be sent is [`Deliverable`]: a queued submission, a
//! household a worker added. The [`scheduler`] sends a list of them with
//! a bounded number in flight, backs off with jitter and `Retry-After`,
//! and reports progress; each item records its own outcome in its own
//! tables. The rules for reading the backend's replies are here, once:
//! [`classify`] for a reply that is not the item's receipt, [`transient`]
//! for a request that got no reply at all.

pub(crate) mod scheduler;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::error::{PalmGovError, Result};
use crate::net::{ApiClient, RawReply};

/// Options of one sync run.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncOptions {
    /// The shell reports a metered network (mobile data).
    #[uniffi(default = false)]
    pub metered: bool,
    /// Upload attachments even on a metered network.
    #[uniffi(default = false)]
    pub attachments_on_metered: bool,
    /// How long one run keeps retrying items that failed transiently, in
    /// milliseconds. The app's background sync uses a short budget; a
    /// "sync now" button can afford longer.
    #[uniffi(default = 30000)]
    pub retry_budget_ms: u64,
    /// The person asked to send now: items the server asked to come back
    /// to later (`Retry-After`, backoff of an earlier run) are tried at
    /// once. A background sync leaves it off, so phones do not all hit an
    /// overloaded backend again before it said to.
    #[uniffi(default = false)]
    pub send_now: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            metered: false,
            attachments_on_metered: false,
            retry_budget_ms: 30_000,
            send_now: false,
        }
    }
}

/// Progress of a sync run, reported after every item and every chunk.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncProgress {
    pub items_done: u32,
    pub items_total: u32,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// Receives sync progress. Called on a core thread: shells hop to their
/// UI thread (the Kotlin layer exposes it as a `Flow`).
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

/// The outcome of one attempt at one item.
pub(crate) enum Attempt {
    Delivered {
        receipt_id: String,
        /// Unix seconds on the server's clock (0 when it gave none).
        received_at: i64,
    },
    /// The backend needs a higher assurance level.
    WaitLevel(u8),
    /// The backend refused the item for good, with its error code.
    Quarantine(String),
    /// Held back by the metered-network option.
    Deferred,
    /// Try again after the delay (a server `Retry-After`, if it gave one).
    Retry {
        error: PalmGovError,
        retry_after: Option<Duration>,
    },
}

/// Where an item ended up after its last attempt in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Settled {
    Delivered,
    WaitingForLevel,
    Quarantined,
    Deferred,
}

/// A boxed, sendable future: what a [`Deliverable`]'s attempt returns, so
/// a run can hold items of different kinds.
pub(crate) type Attempting<'a> = Pin<Box<dyn Future<Output = Result<Attempt>> + Send + 'a>>;

/// One piece of work the scheduler can send. Implementations own what they
/// need (an `Arc` of their service), because each attempt runs as a task.
pub(crate) trait Deliverable: Send + 'static {
    /// Bytes the item sends in all, for the run's progress total.
    fn bytes(&self) -> u64;

    /// Attempts made in earlier runs.
    fn attempts(&self) -> u32;

    /// When the server said to come back (device clock, ms): an earlier run
    /// met a `Retry-After` or backed off. A run does not try the item
    /// before then unless the person asked to send now. 0: at once.
    fn not_before_ms(&self) -> i64 {
        0
    }

    /// One attempt. `credit` is told of bytes the backend confirmed (a
    /// chunk that arrived), so progress moves during a long upload.
    fn attempt<'a>(
        &'a mut self,
        options: &'a SyncOptions,
        credit: &'a mut (dyn FnMut(u64) + Send),
    ) -> Attempting<'a>;

    /// Records a final outcome (anything but a retry) in the item's tables.
    fn settle(&self, outcome: Attempt, attempts: u32) -> Result<Settled>;

    /// Records a transient failure: the attempts so far, and when the next
    /// one is due (what the server asked, however long: a later run honours
    /// it).
    fn retry_later(&self, attempts: u32, delay: Duration) -> Result<()>;
}

/// What the outbox does with an item whose reply was not its receipt.
pub(crate) fn classify(api: &ApiClient, reply: RawReply) -> Attempt {
    let code = reply.error_code();
    let status = reply.status.as_u16();
    if status == 403 && code.as_deref() == Some("level_required") {
        let level = serde_json::from_slice::<serde_json::Value>(&reply.body)
            .ok()
            .and_then(|b| b["level"].as_u64())
            .and_then(|l| u8::try_from(l).ok())
            .unwrap_or(0);
        return Attempt::WaitLevel(level);
    }
    // A 2xx here is one the caller could not read as the API's reply: a
    // captive portal's page or a proxy's. Try again later.
    if reply.status.is_success() {
        return Attempt::Retry {
            error: PalmGovError::BadServerReply,
            retry_after: None,
        };
    }
    // A 401 that survived the refresh-and-retry: the backend rejects a
    // fresh token (its clock, its key cache). Not the item's fault, so it
    // stays queued rather than quarantined.
    if status == 401
        || status == 408
        || status == 429
        || status >= 500
        || reply.status.is_redirection()
    {
        let error = match api.judge::<serde_json::Value>(reply) {
            Err(e) => PalmGovError::from(e),
            Ok(_) => PalmGovError::BadServerReply,
        };
        let retry_after = match &error {
            PalmGovError::Server {
                retry_after_ms: Some(ms),
                ..
            } => Some(Duration::from_millis(*ms)),
            _ => None,
        };
        return Attempt::Retry { error, retry_after };
    }
    Attempt::Quarantine(code.unwrap_or_else(|| format!("http_{status}")))
}

/// A request that failed before any reply: a network or server trouble
/// is retried; anything else (sign in again, a local storage error,
/// cancellation) ends the run with everything still queued.
pub(crate) fn transient(e: crate::error::Error) -> Result<Attempt> {
    let p = PalmGovError::from(e);
    match p {
        PalmGovError::Offline
        | PalmGovError::Timeout
        | PalmGovError::Tls
        | PalmGovError::BadServerReply
        | PalmGovError::Server { .. } => Ok(Attempt::Retry {
            error: p,
            retry_after: None,
        }),
        other => Err(other.into()),
    }
}

/// A 200 that did not carry the item's receipt: a captive portal or a
/// proxy answered. Try again later.
pub(crate) fn not_our_receipt() -> Attempt {
    Attempt::Retry {
        error: PalmGovError::BadServerReply,
        retry_after: None,
    }
}
