//! The outbox's records: as the shells see them, and as the backend
//! answers them.

use serde::Deserialize;

use crate::delivery::Attempt;

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

/// A step-up the queue waits for: the highest level a waiting submission
/// needs, and the instance ids of every submission waiting for a level, to
/// name in one face check (`FaceHandle::step_up`) so one check releases
/// them all. Ids only: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StepUpNeeded {
    pub level: u8,
    pub operations: Vec<String>,
}

impl SubmissionState {
    /// From the row's `state`, `detail` and `receipt` columns.
    pub(crate) fn from_row(state: &str, detail: Option<String>, receipt: Option<String>) -> Self {
        match state {
            "waiting_level" => Self::WaitingForLevel {
                level: detail.and_then(|d| d.parse().ok()).unwrap_or(0),
            },
            "quarantined" => Self::Quarantined {
                reason: detail.unwrap_or_default(),
            },
            "delivered" => Self::Delivered {
                receipt_id: receipt.unwrap_or_default(),
            },
            "discarded" => Self::Discarded,
            _ => Self::Queued,
        }
    }
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

/// A receipt: the backend's proof it holds this exact submission.
#[derive(Debug, Deserialize)]
pub(super) struct Receipt {
    pub instance_id: String,
    pub sha256: String,
    pub receipt_id: String,
    /// Unix seconds on the server's clock.
    #[serde(default)]
    pub received_at: i64,
    pub complete: bool,
    #[serde(default)]
    pub missing: Vec<Missing>,
}

impl Receipt {
    /// Whether this receipt is for `instance_id` with exactly the bytes
    /// whose hash is `sha256`.
    pub(super) fn echoes(&self, instance_id: &str, sha256: &str) -> bool {
        self.instance_id == instance_id && self.sha256 == sha256
    }
}

/// An attachment the server does not have in full yet.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Missing {
    pub id: String,
    #[serde(default)]
    pub received: u64,
}

/// What uploading one attachment came to.
pub(super) enum Sent {
    /// The server has all of this attachment.
    Part,
    /// ...and its reply was the submission's complete receipt: delivered.
    Receipt(Receipt),
    /// Stopped: what to do with the item.
    Stopped(Attempt),
}
