//! Offline drafts: create, autosave one answer at a time, resume, list and
//! search, migrate to a newer form version, and finalize into the outbox.
//!
//! Durability: every answer is its own transaction, so once `save_answer`
//! returns the answer survives a process kill. Ordinary saves commit with
//! `synchronous=NORMAL` and a background checkpoint syncs the WAL within
//! about a second of the last change ([`crate::store::Store::changed`]),
//! so a power cut loses at most that second. Finalize and every outbox
//! transition commit with FULL.
//!
//! Privacy: answers and each draft's summary (the resident's name, the
//! village) are sealed with the device data key, bound to the draft and the
//! path. Search decrypts summaries into memory once per open core; no
//! plaintext index of personal data ever reaches the disk.
//!
//! Drafts belong to the operator's account (the grid worker), encrypted
//! under the device key, so signing out does not destroy them.
//!
//! The capability is the highest of the forms pillar: it uses the form
//! catalog, attachments (media), the roster (a visit's household), the
//! outbox (finalize queues inside the draft's transaction) and identity
//! (prefill). It owns the `drafts` and `answers` tables ([`store`]).
//! Its parts: [`lifecycle`], [`views`], [`migration`], [`attachments`],
//! [`material`] (licences attached, and prefilled from a shown code),
//! [`records`], [`search`].

mod attachments;
mod lifecycle;
mod material;
mod migration;
mod prefill;
mod records;
mod search;
mod store;
#[cfg(test)]
pub(crate) mod tests;
mod views;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::catalog::CatalogService;
use crate::context::Context;
use crate::crypto::uuid_v4;
use crate::error::{PalmGovError, Result};
use crate::forms::definition::{Form, NameMap};
use crate::forms::engine::{Answers, FormState, Instance};
use crate::forms::material::WalletSlot;
use crate::identity::IdentityService;
use crate::media::MediaService;
use crate::outbox::OutboxService;
use crate::roster::RosterService;

pub(crate) use material::ShownLicence;
pub use records::{
    ChoiceLabel, DraftState, DraftSubject, DraftSummary, DraftView, DroppedAnswer, FieldIssue,
    FieldLayout, FieldView, FinalizeOutcome, IngestedAttachment, LicenceOffer, LicenceUse,
    LicenceUseKind, MigrationReport, OfferedLicence, PrefilledValue, RepeatAdded, RepeatView,
    SaveEffects,
};
use search::SearchIndex;

/// Decrypted drafts by id. Ids are minted by the core, so SipHash's
/// defence against chosen keys buys nothing on this per-save lookup.
type OpenDrafts = HashMap<String, OpenDraft, foldhash::fast::RandomState>;

/// The drafts capability of one open core: open drafts and their
/// summaries cached in memory.
pub(crate) struct DraftsService {
    ctx: Arc<Context>,
    identity: Arc<IdentityService>,
    catalog: Arc<CatalogService>,
    media: Arc<MediaService>,
    roster: Arc<RosterService>,
    outbox: Arc<OutboxService>,
    /// The wallet: licences as prefill and as material.
    wallet: Arc<WalletSlot>,
    open: Mutex<OpenDrafts>,
    search: SearchIndex,
}

/// A draft being edited: its answers decrypted and its state evaluated, so
/// a save costs the write plus the expressions it touches.
struct OpenDraft {
    form: Arc<Form>,
    owner: String,
    answers: Answers,
    state: FormState,
    frozen: bool,
    meta: store::Meta,
}

/// How many drafts stay decrypted in memory at once.
const MAX_OPEN: usize = 8;

/// How stale a draft's stored `updated_at` may get during an edit burst.
const TOUCH_RESOLUTION_MS: i64 = 1_000;

impl DraftsService {
    pub(crate) fn new(
        ctx: Arc<Context>,
        identity: Arc<IdentityService>,
        catalog: Arc<CatalogService>,
        media: Arc<MediaService>,
        roster: Arc<RosterService>,
        outbox: Arc<OutboxService>,
        wallet: Arc<WalletSlot>,
    ) -> Self {
        Self {
            ctx,
            identity,
            catalog,
            media,
            roster,
            outbox,
            wallet,
            open: Mutex::new(OpenDrafts::default()),
            search: SearchIndex::default(),
        }
    }
}

impl DraftsService {
    /// Hands an account's drafts to the account that succeeds it, on the
    /// caller's transaction (drafts are sealed under the device key, by
    /// draft and path, so only the owner column moves).
    pub(crate) fn reassign(tx: &rusqlite::Connection, from: &str, to: &str) -> Result<u64> {
        Ok(tx.execute(
            "UPDATE drafts SET owner = ?2 WHERE owner = ?1",
            rusqlite::params![from, to],
        )? as u64)
    }
}

fn new_instance(form: &Form, repeat: usize) -> Result<Instance> {
    let mut values = NameMap::default();
    for (_, f) in form.children(Some(repeat)) {
        if let Some(d) = &f.default {
            values.insert(f.name.clone(), d.clone());
        }
    }
    Ok(Instance {
        id: uuid_v4()?,
        values,
    })
}

pub(crate) fn bad_answer(field: &str, reason: &str) -> crate::error::Error {
    PalmGovError::InvalidAnswer {
        field: field.to_string(),
        reason: reason.to_string(),
    }
    .into()
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| {
        PalmGovError::Internal {
            detail: "drafts lock poisoned".into(),
        }
        .into()
    })
}

/// The local date (`YYYY-MM-DD`) at a UTC offset. The shell passes the
/// offset when it creates a draft: Rust cannot read the zone safely in a
/// multi-threaded process on Android or Linux, and the phone knows it.
fn local_date(offset_min: i32) -> String {
    let offset =
        time::UtcOffset::from_whole_seconds(offset_min * 60).unwrap_or(time::UtcOffset::UTC);
    let date = time::OffsetDateTime::now_utc().to_offset(offset).date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
