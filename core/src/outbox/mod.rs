//! The outbox: finalized submissions, delivered exactly once.
//!
//! - Order is a local sequence, never the device clock.
//! - The instance UUID is the idempotency key, and the payload is
//!   serialized once at finalize and sealed, so every retry sends identical
//!   bytes: a server that stored the submission but lost its reply answers
//!   the retry with the same receipt.
//! - Success is only a 2xx JSON receipt that echoes the instance id and the
//!   payload's SHA-256; a captive portal's 200 cannot fake that.
//! - Attachments go up in resumable chunks; a submission counts as
//!   delivered only when the server's receipt says every part arrived.
//! - One sync worker at a time; every state change commits with
//!   `synchronous=FULL`.
//!
//! How each reply is handled: 401 refreshes once and retries (in
//! `authorized_send`); 408, 429, 5xx and network errors back off with
//! jitter and honour `Retry-After`; 403 `level_required` parks the item
//! until the account steps up; 409 and other 4xx quarantine the item with
//! the server's reason while the rest keep going.

mod applications;
mod upload;

use std::sync::Arc;
use std::time::Duration;

use rusqlite::{OptionalExtension, params};
use serde::Deserialize;

use crate::crypto::uuid_v4;
use crate::drafts::now_ms;
use crate::error::{PalmGovError, Result};
use crate::facade::Core;
use crate::net::retry::RetryPolicy;

pub use applications::{ApplicationListener, ApplicationStatus, StatusEvent};

/// Where a submission is on its way to the backend.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SubmissionState {
    /// Waiting for the next sync.
    Queued,
    /// The backend needs a higher assurance level; step up, then sync.
    WaitingForLevel { level: u8 },
    /// The backend refused it for good (`reason` is its error code). The
    /// rest of the queue is unaffected; the person can edit and resubmit.
    Quarantined { reason: String },
    /// The backend confirmed it, attachments included.
    Delivered { receipt_id: String },
    /// The person discarded it unsent.
    Discarded,
}

/// One queued or sent submission, for an outbox screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Submission {
    pub instance_id: String,
    pub draft_id: String,
    pub form_id: String,
    pub state: SubmissionState,
    pub attempts: u32,
    /// Earliest time the next automatic attempt is due (backoff or
    /// `Retry-After`), in Unix milliseconds.
    pub next_attempt_at_ms: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Options of one sync run.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncOptions {
    /// The shell reports a metered network (mobile data).
    pub metered: bool,
    /// Upload attachments even on a metered network.
    pub attachments_on_metered: bool,
    /// How long one run keeps retrying items that failed transiently, in
    /// milliseconds. The app's background sync uses a short budget; a
    /// "sync now" button can afford longer.
    pub retry_budget_ms: u64,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            metered: false,
            attachments_on_metered: false,
            retry_budget_ms: 30_000,
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

/// What a sync run achieved.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    pub delivered: u32,
    pub waiting_for_level: u32,
    pub quarantined: u32,
    /// Held back: attachments on a metered network.
    pub deferred: u32,
    /// Still queued after transient failures (offline, server errors).
    pub remaining: u32,
    /// The last transient error's code, when items remain.
    pub last_error: Option<String>,
    /// Households the worker added that the backend now has.
    pub households_sent: u32,
    /// Added households the backend refused (see [`crate::roster::HouseholdSync`]).
    pub households_rejected: u32,
    /// Whether the roster was fetched afresh at the end of the run.
    pub roster_refreshed: bool,
}

/// Receives sync progress. Called on a core thread: shells hop to their
/// UI thread (the Kotlin layer exposes it as a `Flow`).
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

/// The single sync worker: a second `sync_now` waits for the first.
#[derive(Default)]
pub(crate) struct Outbox {
    worker: tokio::sync::Mutex<()>,
}

/// The submission's JSON, as sent (serialized once, at finalize).
pub(crate) fn payload(
    instance_id: &str,
    draft: &crate::drafts::DraftSummary,
    operator: &str,
    answers: serde_json::Value,
    attachments: Vec<serde_json::Value>,
) -> serde_json::Value {
    serde_json::json!({
        "instance_id": instance_id,
        "form_id": draft.form_id,
        "form_version": draft.form_version,
        "operator": operator,
        "subject": draft.subject,
        "replaces": draft.replaces,
        "answers": answers,
        "attachments": attachments,
        "created_at": rfc3339(draft.created_at_ms, draft.utc_offset_min),
        "finalized_at": rfc3339(now_ms(), draft.utc_offset_min),
    })
}

/// A timestamp with the device's offset, as the scenario 14 asks:
/// the server sees both the moment and the local time the worker saw.
fn rfc3339(ms: i64, offset_min: i32) -> String {
    let offset =
        time::UtcOffset::from_whole_seconds(offset_min * 60).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    let (h, m) = (offset_min / 60, (offset_min % 60).abs());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond(),
        if offset_min < 0 { '-' } else { '+' },
        h.abs(),
        m
    )
}

/// Queues a finalized draft: the payload is sealed and the draft frozen in
/// one durable transaction. Returns the instance id.
pub(crate) fn enqueue(
    core: &Core,
    draft_id: &str,
    summary: &crate::drafts::DraftSummary,
    owner: &str,
    answers: serde_json::Value,
) -> Result<String> {
    let instance_id = uuid_v4()?;
    let attachments = upload::declared(core, draft_id, &answers)?;
    let body = payload(&instance_id, summary, owner, answers, attachments);
    let bytes = zeroize::Zeroizing::new(serde_json::to_vec(&body)?);
    let sha256 = sha256_hex(&bytes);
    let sealed = core.store.key().seal(&context(&instance_id), &bytes)?;
    let mut conn = core.store.conn()?;
    crate::store::durable(&mut conn, |tx| {
        crate::drafts::freeze(tx, draft_id)?;
        tx.execute(
            "INSERT INTO outbox (instance_id, draft_id, owner, payload, sha256, state, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6)",
            params![instance_id, draft_id, owner, sealed, sha256, now_ms()],
        )?;
        Ok(())
    })?;
    Ok(instance_id)
}

fn context(instance_id: &str) -> Vec<u8> {
    format!("outbox.payload\0{instance_id}").into_bytes()
}

/// The SHA-256 of a body as receipts echo it: lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The instance id a finalized draft was queued under.
pub(crate) fn instance_of(core: &Core, draft_id: &str) -> Result<Option<String>> {
    Ok(core
        .store
        .conn()?
        .query_row(
            "SELECT instance_id FROM outbox WHERE draft_id = ?1",
            [draft_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn state_of(state: &str, detail: Option<String>, receipt: Option<String>) -> SubmissionState {
    match state {
        "waiting_level" => SubmissionState::WaitingForLevel {
            level: detail.and_then(|d| d.parse().ok()).unwrap_or(0),
        },
        "quarantined" => SubmissionState::Quarantined {
            reason: detail.unwrap_or_default(),
        },
        "delivered" => SubmissionState::Delivered {
            receipt_id: receipt.unwrap_or_default(),
        },
        "discarded" => SubmissionState::Discarded,
        _ => SubmissionState::Queued,
    }
}

/// The outcome of one attempt at one item.
pub(crate) enum Attempt {
    Delivered {
        receipt_id: String,
        received_at: i64,
    },
    WaitLevel(u8),
    Quarantine(String),
    /// Held back by the metered-network option.
    Deferred,
    /// Try again after the delay (a server `Retry-After`, if it gave one).
    Retry {
        error: PalmGovError,
        retry_after: Option<Duration>,
    },
}

/// A receipt: the backend's proof it holds this exact submission.
#[derive(Debug, Deserialize)]
pub(crate) struct Receipt {
    pub instance_id: String,
    pub sha256: String,
    pub receipt_id: String,
    /// Unix seconds on the server's clock.
    #[serde(default)]
    pub received_at: i64,
    pub complete: bool,
    #[serde(default)]
    pub missing: Vec<upload::Missing>,
}

/// One queued submission, as the sync worker carries it.
struct Item {
    instance_id: String,
    draft_id: String,
    sha256: String,
    attempts: u32,
    payload_len: u64,
    attachment_bytes: u64,
    /// Bytes counted into the progress so far, across attempts, so a retry
    /// never counts the same bytes twice.
    credited: u64,
}

/// Items one sync run sends at once (see [`Core::sync_now`]): the
/// connections per host a browser opens. Enough that a request held to its
/// timeout on a bad link leaves the others moving; few enough not to crowd
/// a weak uplink.
const IN_FLIGHT: usize = 6;

/// Sync progress shared by the items in flight. The listener is called
/// under the lock, so it sees the counts in order and never going back.
struct Tracker {
    state: std::sync::Mutex<SyncProgress>,
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

/// What one sync run sends: added households, then submissions.
enum Work {
    Household(crate::roster::Pending),
    Submission(Item),
}

impl Work {
    fn bytes(&self) -> u64 {
        match self {
            Work::Household(h) => h.len,
            Work::Submission(i) => i.payload_len + i.attachment_bytes,
        }
    }

    /// Bytes of this item already counted as sent (chunks that arrived).
    fn credited(&self) -> u64 {
        match self {
            Work::Household(_) => 0,
            Work::Submission(i) => i.credited,
        }
    }

    fn attempts_mut(&mut self) -> &mut u32 {
        match self {
            Work::Household(h) => &mut h.attempts,
            Work::Submission(i) => &mut i.attempts,
        }
    }
}

impl Core {
    /// This account's submissions, oldest first.
    pub(crate) fn submissions(&self) -> Result<Vec<Submission>> {
        let owner = self.draft_owner()?;
        let conn = self.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT o.instance_id, o.draft_id, d.form_id, o.state, o.detail, o.receipt, o.attempts,
                    o.next_attempt_at, o.created_at, o.updated_at
             FROM outbox o JOIN drafts d ON d.id = o.draft_id
             WHERE o.owner = ?1 ORDER BY o.seq",
        )?;
        let rows = stmt.query_map([owner], |r| {
            Ok(Submission {
                instance_id: r.get(0)?,
                draft_id: r.get(1)?,
                form_id: r.get(2)?,
                state: state_of(&r.get::<_, String>(3)?, r.get(4)?, r.get(5)?),
                attempts: r.get(6)?,
                next_attempt_at_ms: r.get(7)?,
                created_at_ms: r.get(8)?,
                updated_at_ms: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many of an account's submissions still wait to be delivered.
    pub(crate) fn queued_count(&self, owner: &str) -> Result<u64> {
        Ok(self.store.conn()?.query_row(
            "SELECT COUNT(*) FROM outbox WHERE owner = ?1
             AND state IN ('queued', 'waiting_level', 'quarantined')",
            [owner],
            |r| r.get(0),
        )?)
    }

    /// Discards an undelivered submission on the person's explicit request.
    /// The payload is wiped; the row stays as a record that it was dropped.
    pub(crate) fn discard_submission(&self, instance_id: &str) -> Result<()> {
        let owner = self.draft_owner()?;
        let mut conn = self.store.conn()?;
        let n = crate::store::durable(&mut conn, |tx| {
            Ok(tx.execute(
                "UPDATE outbox SET state = 'discarded', payload = X'', updated_at = ?3
                 WHERE instance_id = ?1 AND owner = ?2 AND state != 'delivered'",
                params![instance_id, owner, now_ms()],
            )?)
        })?;
        if n == 0 {
            return Err(PalmGovError::NotFound.into());
        }
        Ok(())
    }

    /// Sends the households the account added, then every due submission,
    /// then refreshes the roster (so a sync at the township office also
    /// brings new assignments).
    ///
    /// Up to [`IN_FLIGHT`] items travel at once, taken in sequence order: a
    /// request held until its timeout then delays only its own item. Items
    /// may therefore arrive out of order; the backend keys everything by
    /// instance id and never depends on arrival order.
    pub(crate) async fn sync_now(
        self: &Arc<Self>,
        options: SyncOptions,
        listener: Option<Arc<dyn SyncListener>>,
    ) -> Result<SyncReport> {
        let _worker = self.outbox.worker.lock().await;
        let owner = self.draft_owner()?;
        let deadline = tokio::time::Instant::now() + Duration::from_millis(options.retry_budget_ms);
        let households: Vec<Work> = self
            .pending_households(&owner)?
            .into_iter()
            .map(Work::Household)
            .collect();
        let submissions: Vec<Work> = self
            .due_items(&owner)?
            .into_iter()
            .map(Work::Submission)
            .collect();
        let tracker = Arc::new(Tracker {
            state: std::sync::Mutex::new(SyncProgress {
                items_done: 0,
                items_total: (households.len() + submissions.len()) as u32,
                bytes_done: 0,
                bytes_total: households.iter().chain(&submissions).map(Work::bytes).sum(),
            }),
            listener,
        });
        tracker.update(|_| {});
        let mut report = SyncReport::default();
        // Households first: submissions name them as their subject.
        let mut remaining = 0;
        for phase in [households, submissions] {
            remaining += self
                .run_phase(&owner, phase, &options, &tracker, deadline, &mut report)
                .await?;
        }
        report.remaining = remaining;
        if report.remaining == 0 {
            report.last_error = None;
        }
        // Best effort: the cached roster stays as it was if this fails, and
        // what was sent is already recorded.
        report.roster_refreshed = self.refresh_roster().await.is_ok();
        Ok(report)
    }

    /// Sends `items`, [`IN_FLIGHT`] at a time, in passes: a transient
    /// failure moves on and the item comes back after its backoff, so one
    /// bad request never stalls the queue behind it. Returns how many are
    /// still queued when the budget runs out.
    async fn run_phase(
        self: &Arc<Self>,
        owner: &str,
        items: Vec<Work>,
        options: &SyncOptions,
        tracker: &Arc<Tracker>,
        deadline: tokio::time::Instant,
        report: &mut SyncReport,
    ) -> Result<u32> {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(5),
            max_retry_after: Duration::from_millis(options.retry_budget_ms),
        };
        let mut queue: std::collections::VecDeque<Work> = items.into();
        let mut waiting: Vec<(tokio::time::Instant, Work)> = Vec::new();
        // Dropping the set (an error, or the caller's cancel) aborts the
        // requests in flight; every item stays queued.
        let mut in_flight = tokio::task::JoinSet::new();
        loop {
            while in_flight.len() < IN_FLIGHT
                && let Some(mut work) = queue.pop_front()
            {
                let (core, owner, options, tracker) = (
                    self.clone(),
                    owner.to_string(),
                    options.clone(),
                    tracker.clone(),
                );
                in_flight.spawn(async move {
                    let outcome = core
                        .attempt_work(&owner, &mut work, &options, &tracker)
                        .await;
                    (work, outcome)
                });
            }
            let Some(joined) = in_flight.join_next().await else {
                // Nothing in flight and nothing queued: wait for the next
                // item's backoff, if the budget allows.
                let Some(next) = waiting.iter().map(|(at, _)| *at).min() else {
                    return Ok(0);
                };
                if next > deadline {
                    return Ok(waiting.len() as u32);
                }
                tokio::time::sleep_until(next).await;
                let now = tokio::time::Instant::now();
                let (due, later): (Vec<_>, Vec<_>) =
                    waiting.drain(..).partition(|(at, _)| *at <= now);
                waiting = later;
                queue.extend(due.into_iter().map(|(_, w)| w));
                continue;
            };
            let (mut work, outcome) = joined.map_err(|_| PalmGovError::Internal {
                detail: "sync task".into(),
            })?;
            // Local failures (disk, keys) and "sign in again" end the run;
            // everything stays queued.
            let outcome = outcome?;
            if let Attempt::Retry { error, retry_after } = outcome {
                let attempts = work.attempts_mut();
                *attempts += 1;
                let delay = policy.delay(*attempts, retry_after, fastrand::f64());
                self.mark_retry(owner, &work, delay)?;
                report.last_error = Some(error.code().to_string());
                waiting.push((tokio::time::Instant::now() + delay, work));
            } else {
                let delivered = matches!(outcome, Attempt::Delivered { .. });
                self.settle(owner, &work, outcome, report)?;
                tracker.update(|p| {
                    if delivered {
                        p.bytes_done += work.bytes() - work.credited().min(work.bytes());
                    }
                    p.items_done += 1;
                });
            }
            // Items whose backoff ended while others were in flight.
            let now = tokio::time::Instant::now();
            let (due, later): (Vec<_>, Vec<_>) = waiting.drain(..).partition(|(at, _)| *at <= now);
            waiting = later;
            queue.extend(due.into_iter().map(|(_, w)| w));
        }
    }

    /// One attempt at one item of either kind.
    async fn attempt_work(
        self: &Arc<Self>,
        owner: &str,
        work: &mut Work,
        options: &SyncOptions,
        tracker: &Tracker,
    ) -> Result<Attempt> {
        match work {
            Work::Household(h) => self.send_household(owner, h).await,
            Work::Submission(item) => {
                let total = item.payload_len + item.attachment_bytes;
                let mut credited = item.credited;
                let mut credit = |n: u64| {
                    let n = n.min(total - credited);
                    credited += n;
                    tracker.update(|p| p.bytes_done += n);
                };
                let outcome = self.attempt(item, options, &mut credit).await;
                item.credited = credited;
                outcome
            }
        }
    }

    /// Records a final outcome (anything but a retry) of one item.
    fn settle(
        &self,
        owner: &str,
        work: &Work,
        outcome: Attempt,
        report: &mut SyncReport,
    ) -> Result<()> {
        match (work, outcome) {
            (
                Work::Submission(item),
                Attempt::Delivered {
                    receipt_id,
                    received_at,
                },
            ) => {
                self.mark(&item.instance_id, "delivered", None, Some(&receipt_id))?;
                applications::record_delivery(self, &item.instance_id, received_at)?;
                crate::media::attachments::forget_delivered(self, &item.draft_id)?;
                report.delivered += 1;
            }
            (Work::Submission(item), Attempt::WaitLevel(level)) => {
                self.mark(
                    &item.instance_id,
                    "waiting_level",
                    Some(&level.to_string()),
                    None,
                )?;
                report.waiting_for_level += 1;
            }
            (Work::Submission(item), Attempt::Quarantine(reason)) => {
                self.mark(&item.instance_id, "quarantined", Some(&reason), None)?;
                report.quarantined += 1;
            }
            (Work::Household(h), Attempt::Delivered { .. }) => {
                self.mark_household(owner, &h.id, "synced", None, h.attempts)?;
                report.households_sent += 1;
            }
            // Adding a household needs no step-up; a backend that asks for
            // one refuses it like any other 4xx.
            (Work::Household(h), Attempt::WaitLevel(_)) => {
                self.mark_household(owner, &h.id, "rejected", Some("level_required"), h.attempts)?;
                report.households_rejected += 1;
            }
            (Work::Household(h), Attempt::Quarantine(reason)) => {
                self.mark_household(owner, &h.id, "rejected", Some(&reason), h.attempts)?;
                report.households_rejected += 1;
            }
            (_, Attempt::Deferred) => report.deferred += 1,
            (_, Attempt::Retry { .. }) => {}
        }
        Ok(())
    }

    fn due_items(&self, owner: &str) -> Result<Vec<Item>> {
        let conn = self.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT o.instance_id, o.sha256, o.attempts, LENGTH(o.payload),
                    (SELECT IFNULL(SUM(a.size), 0) FROM attachments a
                     WHERE a.draft_id = o.draft_id AND a.state = 'ready'), o.draft_id
             FROM outbox o WHERE o.owner = ?1 AND o.state IN ('queued', 'waiting_level')
             ORDER BY o.seq",
        )?;
        let rows = stmt.query_map([owner], |r| {
            Ok(Item {
                instance_id: r.get(0)?,
                sha256: r.get(1)?,
                attempts: r.get(2)?,
                payload_len: r.get(3)?,
                attachment_bytes: r.get(4)?,
                draft_id: r.get(5)?,
                credited: 0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn mark(
        &self,
        instance_id: &str,
        state: &str,
        detail: Option<&str>,
        receipt: Option<&str>,
    ) -> Result<()> {
        let mut conn = self.store.conn()?;
        crate::store::durable(&mut conn, |tx| {
            tx.execute(
                "UPDATE outbox SET state = ?2, detail = ?3, receipt = IFNULL(?4, receipt), updated_at = ?5
                 WHERE instance_id = ?1",
                params![instance_id, state, detail, receipt, now_ms()],
            )?;
            Ok(())
        })
    }

    fn mark_retry(&self, owner: &str, work: &Work, delay: Duration) -> Result<()> {
        let item = match work {
            Work::Submission(item) => item,
            Work::Household(h) => {
                return self.mark_household(owner, &h.id, "pending", None, h.attempts);
            }
        };
        let mut conn = self.store.conn()?;
        crate::store::durable(&mut conn, |tx| {
            tx.execute(
                "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3, updated_at = ?4 WHERE instance_id = ?1",
                params![
                    item.instance_id,
                    item.attempts,
                    now_ms() + delay.as_millis() as i64,
                    now_ms()
                ],
            )?;
            Ok(())
        })
    }

    /// One attempt at one item: the submission, its missing attachments,
    /// and the confirming resubmission.
    async fn attempt(
        self: &Arc<Self>,
        item: &Item,
        options: &SyncOptions,
        credit: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Attempt> {
        let sealed: Vec<u8> = self.store.conn()?.query_row(
            "SELECT payload FROM outbox WHERE instance_id = ?1",
            [&item.instance_id],
            |r| r.get(0),
        )?;
        let body = self
            .store
            .key()
            .open(&context(&item.instance_id), &sealed)?;
        let path = format!("v1/submissions/{}", item.instance_id);
        let receipt = match self.put_submission(&path, &body, item).await? {
            Ok(r) => r,
            Err(attempt) => return Ok(attempt),
        };
        if receipt.complete {
            return Ok(Attempt::Delivered {
                receipt_id: receipt.receipt_id,
                received_at: receipt.received_at,
            });
        }
        credit(item.payload_len);
        if options.metered && !options.attachments_on_metered {
            return Ok(Attempt::Deferred);
        }
        for missing in &receipt.missing {
            let ids = (item.instance_id.as_str(), item.sha256.as_str());
            match upload::send(self, ids, missing, credit).await? {
                upload::Sent::Part => {}
                upload::Sent::Receipt(r) => {
                    return Ok(Attempt::Delivered {
                        receipt_id: r.receipt_id,
                        received_at: r.received_at,
                    });
                }
                upload::Sent::Stopped(attempt) => return Ok(attempt),
            }
        }
        // Every part went up but no chunk reply carried the receipt (an
        // older backend, or the last part was already there): confirm.
        match self.put_submission(&path, &body, item).await? {
            Ok(r) if r.complete => Ok(Attempt::Delivered {
                receipt_id: r.receipt_id,
                received_at: r.received_at,
            }),
            // The server still misses a part: try again later.
            Ok(_) => Ok(Attempt::Retry {
                error: PalmGovError::BadServerReply,
                retry_after: None,
            }),
            Err(attempt) => Ok(attempt),
        }
    }

    /// PUTs the submission; `Ok(Ok(receipt))` only for a receipt that
    /// echoes this instance and hash.
    async fn put_submission(
        self: &Arc<Self>,
        path: &str,
        body: &[u8],
        item: &Item,
    ) -> Result<std::result::Result<Receipt, Attempt>> {
        let reply = match self
            .authorized_send(reqwest::Method::PUT, path, Some(body))
            .await
        {
            Ok(r) => r,
            Err(e) => return transient(e).map(Err),
        };
        if reply.status.is_success() {
            let receipt = self
                .api
                .judge::<Receipt>(reply)
                .ok()
                .map(|r| r.body)
                .filter(|r| r.instance_id == item.instance_id && r.sha256 == item.sha256);
            return Ok(match receipt {
                Some(r) => Ok(r),
                // A 200 that is not our receipt: a captive portal or a proxy.
                None => Err(Attempt::Retry {
                    error: PalmGovError::BadServerReply,
                    retry_after: None,
                }),
            });
        }
        Ok(Err(self.classify(reply)))
    }

    /// Maps a non-2xx reply to what the outbox does with the item.
    pub(crate) fn classify(&self, reply: crate::net::RawReply) -> Attempt {
        let code = crate::identity::authorized::error_code(&reply);
        let status = reply.status.as_u16();
        if status == 403 && code.as_deref() == Some("level_required") {
            let level = serde_json::from_slice::<serde_json::Value>(&reply.body)
                .ok()
                .and_then(|b| b["level"].as_u64())
                .and_then(|l| u8::try_from(l).ok())
                .unwrap_or(0);
            return Attempt::WaitLevel(level);
        }
        // A 401 that survived the refresh-and-retry: the backend rejects a
        // fresh token (its clock, its key cache). Not the item's fault, so
        // it stays queued rather than quarantined.
        // A 2xx here is one the caller could not read as the API's reply: a
        // captive portal's page or a proxy's. Try again later.
        if reply.status.is_success() {
            return Attempt::Retry {
                error: PalmGovError::BadServerReply,
                retry_after: None,
            };
        }
        if status == 401
            || status == 408
            || status == 429
            || status >= 500
            || reply.status.is_redirection()
        {
            let error = match self.api.judge::<serde_json::Value>(reply) {
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

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_keep_their_offset() {
        assert_eq!(super::rfc3339(0, 480), "1970-01-01T08:00:00.000+08:00");
        assert_eq!(super::rfc3339(1_500, -330), "1969-12-31T18:30:01.500-05:30");
    }
}
