//! Sends a list of [`Deliverable`]s: up to [`IN_FLIGHT`] at once, taken in
//! order, so a request held until its timeout on a bad link delays only
//! its own item. A transient failure moves on and the item comes back
//! after its backoff, so one bad request never stalls the queue behind it.
//! Items may therefore arrive out of order; the backend keys everything by
//! id and never depends on arrival order (an edit waits for the submission
//! it replaces: the outbox holds it back).
//!
//! A server's `Retry-After` outlives the run: the item records when to come
//! back, and later runs leave it until then, unless the person asked to
//! send now (`SyncOptions::send_now`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::{Attempt, Deliverable, Settled, SyncListener, SyncOptions, SyncProgress};
use crate::error::{PalmGovError, Result};
use crate::net::retry::RetryPolicy;

/// Items one run sends at once: the connections per host a browser opens.
/// Enough that a request held to its timeout on a bad link leaves the
/// others moving; few enough not to crowd a weak uplink.
pub(crate) const IN_FLIGHT: usize = 6;

/// One sync run: its progress, its retry budget and its backoff. A run
/// sends one or more phases (households first, then submissions), which
/// share the progress and the budget.
pub(crate) struct Run {
    tracker: Tracker,
    deadline: Instant,
    policy: RetryPolicy,
    options: SyncOptions,
}

/// What one phase came to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Phase {
    pub delivered: u32,
    pub waiting_for_level: u32,
    pub quarantined: u32,
    pub deferred: u32,
    /// Still queued when the budget ran out.
    pub remaining: u32,
    /// The last transient error's code, when items remain.
    pub last_error: Option<String>,
}

/// Sync progress shared by the items in flight. The listener is called
/// under the lock, so it sees the counts in order and never going back.
struct Tracker {
    state: Mutex<SyncProgress>,
    listener: Option<Arc<dyn SyncListener>>,
}

impl Tracker {
    fn update(&self, change: impl FnOnce(&mut SyncProgress)) {
        let mut p = self.state.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut p);
        if let Some(l) = &self.listener {
            l.on_progress(p.clone());
        }
    }
}

/// An item with what this run counted for it so far.
struct Slot {
    item: Box<dyn Deliverable>,
    attempts: u32,
    /// Bytes counted into the progress so far, across attempts, so a retry
    /// never counts the same bytes twice.
    credited: u64,
}

impl Run {
    /// Starts a run over `phases` (their items, for the progress totals)
    /// and tells the listener where it starts.
    pub(crate) fn start(
        options: &SyncOptions,
        listener: Option<Arc<dyn SyncListener>>,
        phases: &[&[Box<dyn Deliverable>]],
    ) -> Arc<Self> {
        let items = phases.iter().flat_map(|p| p.iter());
        let run = Arc::new(Self {
            tracker: Tracker {
                state: Mutex::new(SyncProgress {
                    items_done: 0,
                    items_total: items.clone().count() as u32,
                    bytes_done: 0,
                    bytes_total: items.map(|i| i.bytes()).sum(),
                }),
                listener,
            },
            deadline: Instant::now() + Duration::from_millis(options.retry_budget_ms),
            policy: RetryPolicy {
                max_attempts: u32::MAX,
                base: Duration::from_millis(100),
                cap: Duration::from_secs(5),
                max_retry_after: Duration::from_millis(options.retry_budget_ms),
            },
            options: options.clone(),
        });
        run.tracker.update(|_| {});
        run
    }

    /// Sends `items` until each is settled or the run's budget is spent.
    /// A local failure (disk, keys) or "sign in again" ends the phase with
    /// the error; every item not settled stays queued.
    pub(crate) async fn phase(self: &Arc<Self>, items: Vec<Box<dyn Deliverable>>) -> Result<Phase> {
        let mut phase = Phase::default();
        let mut queue: VecDeque<Slot> = items
            .into_iter()
            .map(|item| Slot {
                attempts: item.attempts(),
                item,
                credited: 0,
            })
            .collect();
        let mut waiting: Vec<(Instant, Slot)> = Vec::new();
        // What the server asked an earlier run to wait for (module notes).
        if !self.options.send_now {
            let now = crate::clock::now_ms();
            let (later, now_due): (Vec<Slot>, Vec<Slot>) =
                queue.drain(..).partition(|s| s.item.not_before_ms() > now);
            queue.extend(now_due);
            for slot in later {
                let wait = (slot.item.not_before_ms() - now).max(0) as u64;
                waiting.push((Instant::now() + Duration::from_millis(wait), slot));
            }
        }
        // Dropping the set (an error, or the caller's cancel) aborts the
        // requests in flight; every item stays queued.
        let mut in_flight = tokio::task::JoinSet::new();
        loop {
            while in_flight.len() < IN_FLIGHT
                && let Some(mut slot) = queue.pop_front()
            {
                let run = self.clone();
                in_flight.spawn(async move {
                    let outcome = run.attempt(&mut slot).await;
                    (slot, outcome)
                });
            }
            let Some(joined) = in_flight.join_next().await else {
                // Nothing in flight and nothing queued: wait for the next
                // item's backoff, if the budget allows.
                let Some(next) = waiting.iter().map(|(at, _)| *at).min() else {
                    return Ok(phase);
                };
                if next > self.deadline {
                    phase.remaining = waiting.len() as u32;
                    return Ok(phase);
                }
                tokio::time::sleep_until(next).await;
                due(&mut waiting, &mut queue);
                continue;
            };
            let (mut slot, outcome) = joined.map_err(|_| PalmGovError::Internal {
                detail: "sync task".into(),
            })?;
            match outcome? {
                Attempt::Retry { error, retry_after } => {
                    slot.attempts += 1;
                    let delay = self
                        .policy
                        .delay(slot.attempts, retry_after, fastrand::f64());
                    // This run waits at most its budget; the item keeps
                    // the server's whole wish for the runs after it.
                    slot.item
                        .retry_later(slot.attempts, retry_after.unwrap_or(delay).max(delay))?;
                    phase.last_error = Some(error.code().to_string());
                    waiting.push((Instant::now() + delay, slot));
                }
                outcome => {
                    let settled = slot.item.settle(outcome, slot.attempts)?;
                    match settled {
                        Settled::Delivered => phase.delivered += 1,
                        Settled::WaitingForLevel => phase.waiting_for_level += 1,
                        Settled::Quarantined => phase.quarantined += 1,
                        Settled::Deferred => phase.deferred += 1,
                    }
                    let rest = slot.item.bytes().saturating_sub(slot.credited);
                    self.tracker.update(|p| {
                        if settled == Settled::Delivered {
                            p.bytes_done += rest;
                        }
                        p.items_done += 1;
                    });
                }
            }
            // Items whose backoff ended while others were in flight.
            due(&mut waiting, &mut queue);
        }
    }

    /// One attempt at one item, crediting confirmed bytes to the progress.
    async fn attempt(&self, slot: &mut Slot) -> Result<Attempt> {
        let total = slot.item.bytes();
        let tracker = &self.tracker;
        let credited = &mut slot.credited;
        let mut credit = |n: u64| {
            let n = n.min(total.saturating_sub(*credited));
            *credited += n;
            tracker.update(|p| p.bytes_done += n);
        };
        slot.item.attempt(&self.options, &mut credit).await
    }
}

/// Moves the items whose backoff has ended back into the queue.
fn due(waiting: &mut Vec<(Instant, Slot)>, queue: &mut VecDeque<Slot>) {
    let now = Instant::now();
    let (ready, later): (Vec<_>, Vec<_>) = waiting.drain(..).partition(|(at, _)| *at <= now);
    *waiting = later;
    queue.extend(ready.into_iter().map(|(_, s)| s));
}
