//! The outbox's records, as the shells see them.

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
