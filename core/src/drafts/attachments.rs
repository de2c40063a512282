//! The drafts' side of photos and signatures: which field may hold one,
//! and setting the answer when its capture is ingested, in one transaction
//! with the attachment turning ready. The files and the `attachments`
//! table are the media capability's.

use std::cell::RefCell;

use super::records::{IngestedAttachment, SaveEffects};
use super::{DraftsService, bad_answer, store};
use crate::error::{PalmGovError, Result};
use crate::forms::engine::Path;
use crate::gate::Unlocked;
use crate::media::MediaService;
use crate::media::attachments::PendingAttachment;

impl DraftsService {
    /// Registers a pending photo (or signature) for `path` in a draft and
    /// returns where the camera should write it.
    pub(crate) fn register_attachment(
        &self,
        _: &Unlocked,
        draft_id: &str,
        path: &str,
    ) -> Result<PendingAttachment> {
        let owner = self.ctx.owner()?;
        let parsed = Path::parse(path).ok_or_else(|| bad_answer(path, "unknown_field"))?;
        let (form_id, version, state) =
            store::form_of(self, &owner, draft_id)?.ok_or(PalmGovError::NotFound)?;
        if state != "draft" {
            return Err(PalmGovError::DraftFrozen.into());
        }
        let form = self.catalog.form(&form_id, Some(version))?;
        if !form
            .field(&parsed.name)
            .is_some_and(|(_, f)| f.kind.is_attachment())
        {
            return Err(bad_answer(path, "not_an_attachment"));
        }
        self.media.register(draft_id, path)
    }

    /// Ingests the capture of a pending attachment: prepared and sealed by
    /// media, then made ready in the answer's transaction.
    pub(crate) fn ingest_attachment(
        &self,
        _: &Unlocked,
        attachment_id: &str,
        max_edge: Option<u32>,
        language: &str,
    ) -> Result<IngestedAttachment> {
        let owner = self.ctx.owner()?;
        let row = self
            .media
            .row(attachment_id)?
            .filter(|r| {
                store::form_of(self, &owner, &r.draft_id)
                    .ok()
                    .flatten()
                    .is_some()
            })
            .ok_or(PalmGovError::NotFound)?;
        if row.state != "pending" {
            return Err(bad_answer(&row.path, "already_ingested"));
        }
        let prepared = self.media.prepare(attachment_id, &row.path, max_edge)?;
        // The photo this one replaces, if the field had one.
        let replaced = RefCell::new(Vec::new());
        let ready = |conn: &rusqlite::Connection| -> Result<()> {
            *replaced.borrow_mut() =
                MediaService::mark_ready(conn, &row, attachment_id, &prepared)?;
            Ok(())
        };
        let effects =
            match self.set_ingested(&row.draft_id, &row.path, attachment_id, language, &ready) {
                Ok(effects) => effects,
                Err(e) => {
                    self.media.abandon_ingest(attachment_id);
                    return Err(e);
                }
            };
        self.media
            .finish_ingest(attachment_id, replaced.into_inner())?;
        Ok(IngestedAttachment {
            attachment_id: attachment_id.to_string(),
            sha256_hex: prepared.file.sha256_hex,
            size: prepared.file.size,
            width: prepared.width,
            height: prepared.height,
            effects,
        })
    }

    /// Settles a draft's pending attachments (media's module notes, step
    /// 4): a capture an earlier run left waiting is ingested; an attempt of
    /// an earlier run with no capture is dropped. `finishing` (finalize)
    /// does the same for this run's attempts, so nothing pending blocks
    /// the form. A capture that cannot be read is dropped with its attempt;
    /// one that could not be stored (a full disk) stays for another try,
    /// and finalize reports why.
    pub(super) fn settle_pending(
        &self,
        unlocked: &Unlocked,
        draft_id: &str,
        language: &str,
        finishing: bool,
    ) -> Result<()> {
        for pending in self.media.pending(draft_id)? {
            if !(pending.earlier || finishing) {
                continue;
            }
            if !pending.captured {
                self.media.remove(&pending.id)?;
                tracing::info!("an attempt at a photo with no capture was dropped");
                continue;
            }
            match self.ingest_attachment(unlocked, &pending.id, None, language) {
                Ok(_) => tracing::info!("a waiting capture was ingested"),
                Err(e) => match PalmGovError::from(e) {
                    PalmGovError::InvalidAnswer { reason, .. }
                        if matches!(reason.as_str(), "unreadable" | "too_large" | "no_capture") =>
                    {
                        self.media.remove(&pending.id)?;
                        tracing::info!(reason, "a capture that cannot be stored was dropped");
                    }
                    other if finishing => return Err(other.into()),
                    other => tracing::warn!("a waiting capture stays: {}", other.code()),
                },
            }
        }
        Ok(())
    }

    /// Removes an attachment (pending or stored) and clears its answer.
    pub(crate) fn remove_attachment(
        &self,
        unlocked: &Unlocked,
        attachment_id: &str,
        language: &str,
    ) -> Result<SaveEffects> {
        let row = self
            .media
            .row(attachment_id)?
            .ok_or(PalmGovError::NotFound)?;
        let open = self.open_draft(unlocked, &row.draft_id, language)?;
        let current = open
            .fields
            .iter()
            .find(|f| f.path == row.path)
            .and_then(|f| f.value_json.clone());
        let effects = if current.as_deref() == Some(&format!("\"{attachment_id}\"")) {
            self.save_answer(unlocked, &row.draft_id, &row.path, "null", language)?
        } else {
            SaveEffects {
                changed: Vec::new(),
            }
        };
        self.media.remove(attachment_id)?;
        Ok(effects)
    }

    /// A stored attachment's JPEG, decrypted in memory (for a preview).
    pub(crate) fn attachment_bytes(&self, _: &Unlocked, attachment_id: &str) -> Result<Vec<u8>> {
        self.media.read(attachment_id)
    }
}
