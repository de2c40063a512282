//! The outbox: finalized submissions, delivered exactly once.
//!
//! - Order is a local sequence, never the device clock.
//! - The instance UUID is the idempotency key, and the payload is
//!   serialized once at finalize and sealed, so every retry sends identical
//!   bytes: a server that stored the submission but lost its reply answers
//!   the retry with the same receipt ([`queue`]).
//! - Success is only a 2xx JSON receipt that echoes the instance id and the
//!   payload's SHA-256; a captive portal's 200 cannot fake that ([`submit`]).
//! - Attachments go up in resumable chunks; a submission counts as
//!   delivered only when the server's receipt says every part arrived
//!   ([`upload`]).
//! - One sync run at a time; every state change commits with
//!   `synchronous=FULL`.
//!
//! How each reply is handled: 401 refreshes once and retries (in
//! `authorized_send`); 408, 429, 5xx and network errors back off with
//! jitter and honour `Retry-After`; 403 `level_required` parks the item
//! until the account steps up; 409 and other 4xx quarantine the item with
//! the server's reason while the rest keep going (see [`crate::delivery`]).
//!
//! This capability owns the `outbox` and `applications` tables.

mod applications;
mod queue;
mod records;
mod submit;
mod upload;

use std::sync::Arc;

use crate::context::Context;
use crate::forms::material::WalletSlot;
use crate::identity::IdentityService;
use crate::media::MediaService;

pub use applications::{ApplicationChange, ApplicationListener, ApplicationStatus, StatusEvent};
pub(crate) use queue::{Envelope, rfc3339};
pub use records::{StepUpNeeded, Submission, SubmissionState};

/// The outbox capability of one open core.
pub(crate) struct OutboxService {
    ctx: Arc<Context>,
    identity: Arc<IdentityService>,
    media: Arc<MediaService>,
    /// The wallet, which binds an attached licence again when a
    /// submission waited past the backend's oldest accepted binding.
    wallet: Arc<WalletSlot>,
    /// Application status changes, for the subscriptions.
    changes: tokio::sync::broadcast::Sender<Vec<applications::ApplicationChange>>,
}

impl OutboxService {
    pub(crate) fn new(
        ctx: Arc<Context>,
        identity: Arc<IdentityService>,
        media: Arc<MediaService>,
        wallet: Arc<WalletSlot>,
    ) -> Self {
        Self {
            ctx,
            identity,
            media,
            wallet,
            changes: tokio::sync::broadcast::channel(16).0,
        }
    }
}
