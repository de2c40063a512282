//! The drafts handle: forms on the device, drafts, and their photos.
//!
//! Answers cross the boundary as JSON text: field types differ (a number, a
//! geopoint, a list of choices), and one string per answer is cheaper than
//! a tagged union per type through UniFFI. Every call returns a screen's
//! worth (a whole draft, every effect of an answer) so one user action is
//! one crossing. Draft content is personal, so the draft calls sit behind
//! the app lock; the forms themselves (definitions) are not personal.

use std::sync::Arc;

use super::OpenCore;
use crate::app::material::ShownLicencePrefill;
use crate::catalog::FormInfo;
use crate::drafts::{
    DraftSubject, DraftSummary, DraftView, FinalizeOutcome, IngestedAttachment, LicenceOffer,
    MigrationReport, RepeatAdded, SaveEffects,
};
use crate::error::PalmGovError;
use crate::media::attachments::PendingAttachment;
use crate::runtime::CancelToken;

/// Forms, drafts and attachments of one open core.
#[derive(uniffi::Object)]
pub struct DraftsHandle {
    core: Arc<OpenCore>,
}

impl DraftsHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl DraftsHandle {
    /// Downloads the backend's form catalog and stores every definition the
    /// device lacks (each checked fully before it is kept). Returns the
    /// forms now on the device.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_forms(
        &self,
        language: String,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<FormInfo>, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                app.catalog.refresh().await?;
                app.catalog.infos(&language)
            })
            .await
    }

    /// Stores a definition the shell got elsewhere (bundled in the app).
    pub async fn add_form_definition(
        &self,
        json: String,
        language: String,
    ) -> Result<FormInfo, PalmGovError> {
        self.core
            .blocking(move |app| {
                let (id, version) = app.catalog.add(json.as_bytes())?;
                app.catalog.info(&id, version, &language)
            })
            .await
    }

    /// The forms on the device, newest version of each first. Offline.
    pub async fn forms(&self, language: String) -> Result<Vec<FormInfo>, PalmGovError> {
        self.core
            .blocking(move |app| app.catalog.infos(&language))
            .await
    }

    /// Starts a draft of a form (its newest version unless `version` is
    /// given), prefilled where the form asks. `utc_offset_min` is the
    /// device's current UTC offset.
    pub async fn create_draft(
        &self,
        form_id: String,
        version: Option<u32>,
        subject: DraftSubject,
        utc_offset_min: i32,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts
                    .create_draft(u, &form_id, version, subject, utc_offset_min, &language)
            })
            .await
    }

    /// Saves one answer (JSON; `null` clears it). Durable against a process
    /// kill once it returns. Returns what the answer changed.
    pub async fn save_answer(
        &self,
        draft_id: String,
        path: String,
        value_json: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts
                    .save_answer(u, &draft_id, &path, &value_json, &language)
            })
            .await
    }

    /// Adds an instance to a repeat group. Its id stays stable.
    pub async fn add_repeat_instance(
        &self,
        draft_id: String,
        repeat: String,
        language: String,
    ) -> Result<RepeatAdded, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts
                    .add_repeat_instance(u, &draft_id, &repeat, &language)
            })
            .await
    }

    /// Removes an instance (and its answers); the others keep their ids.
    pub async fn remove_repeat_instance(
        &self,
        draft_id: String,
        repeat: String,
        instance_id: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts
                    .remove_repeat_instance(u, &draft_id, &repeat, &instance_id, &language)
            })
            .await
    }

    /// A whole draft for its form screen, to resume it.
    pub async fn open_draft(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.open_draft(u, &draft_id, &language))
            .await
    }

    /// Every draft and finalized form of the account, newest first.
    pub async fn list_drafts(&self, language: String) -> Result<Vec<DraftSummary>, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.list_drafts(u, &language))
            .await
    }

    /// Drafts whose subject or summary contains `query`; two-character
    /// Chinese names included.
    pub async fn search_drafts(
        &self,
        query: String,
        language: String,
    ) -> Result<Vec<DraftSummary>, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.search_drafts(u, &query, &language))
            .await
    }

    /// Deletes an unfinalized draft and its photos. Finalized work is never
    /// deleted this way; see [`super::OutboxHandle::discard_submission`].
    pub async fn delete_draft(&self, draft_id: String) -> Result<(), PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.delete_draft(u, &draft_id))
            .await
    }

    /// What attaching a licence to `field` would share, with whom and why
    /// (用证事由), and the person's licences it can take: show it, and
    /// attach on their confirmation. Only for the signed-in person's own
    /// application.
    pub async fn licence_offer(
        &self,
        draft_id: String,
        field: String,
        language: String,
    ) -> Result<LicenceOffer, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts.licence_offer(u, &draft_id, &field, &language)
            })
            .await
    }

    /// Attaches the person's licence `licence_id` (from the offer) to
    /// `field`, instead of a photo of it, and records their consent. The
    /// presentation, disclosing only the offer's claims, is bound to the
    /// submission when the draft is finalized.
    pub async fn attach_licence(
        &self,
        draft_id: String,
        field: String,
        licence_id: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts
                    .attach_licence(u, &draft_id, &field, &licence_id, &language)
            })
            .await
    }

    /// On a household visit: checks the 亮证 code the resident shows (the
    /// scanner's text; verifier mode, offline, replay refused) and, when
    /// it holds, fills the resident's draft from what it disclosed, with
    /// their consent recorded. A draft about the signed-in person is
    /// refused: they attach their own licences.
    pub async fn prefill_from_licence_code(
        &self,
        draft_id: String,
        payload: String,
        language: String,
    ) -> Result<ShownLicencePrefill, PalmGovError> {
        let payload = match super::wallet::presentation_of(&self.core, payload).await? {
            Ok(payload) => payload,
            Err(check) => {
                return Ok(ShownLicencePrefill {
                    check,
                    prefilled: Vec::new(),
                    effects: None,
                });
            }
        };
        self.core
            .blocking_unlocked(move |app, u| {
                crate::app::material::prefill_from_code(app, u, &draft_id, &payload, &language)
            })
            .await
    }

    /// Validates the whole draft. With no issues it is frozen and queued,
    /// durably; otherwise every issue comes back at once, localized.
    pub async fn finalize_draft(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<FinalizeOutcome, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.finalize(u, &draft_id, &language))
            .await
    }

    /// What moving a draft to another version of its form would carry and
    /// drop, changing nothing: show it before [`DraftsHandle::migrate_draft`].
    pub async fn preview_migration(
        &self,
        draft_id: String,
        version: u32,
    ) -> Result<MigrationReport, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.preview_migration(u, &draft_id, version))
            .await
    }

    /// Moves a draft to another version of its form, reporting dropped
    /// answers, which stay with the draft (`DraftView::dropped_answers`)
    /// until it is finalized.
    pub async fn migrate_draft(
        &self,
        draft_id: String,
        version: u32,
    ) -> Result<MigrationReport, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.migrate_draft(u, &draft_id, version))
            .await
    }

    /// Starts an edit of a finalized form: a new draft that references the
    /// submitted one, which itself never changes.
    pub async fn edit_submitted(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.edit_submitted(u, &draft_id, &language))
            .await
    }

    /// Registers a photo or signature for `path` before the camera opens;
    /// the camera writes to the returned `capture_path`.
    pub async fn register_attachment(
        &self,
        draft_id: String,
        path: String,
    ) -> Result<PendingAttachment, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.register_attachment(u, &draft_id, &path))
            .await
    }

    /// Prepares the capture (upright, long edge `max_edge` or 1600 px, JPEG
    /// q80 without EXIF), stores it encrypted and sets the answer.
    #[uniffi::method(default(max_edge = None))]
    pub async fn ingest_attachment(
        &self,
        attachment_id: String,
        max_edge: Option<u32>,
        language: String,
    ) -> Result<IngestedAttachment, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts
                    .ingest_attachment(u, &attachment_id, max_edge, &language)
            })
            .await
    }

    /// Removes an attachment (pending or stored) and clears its answer.
    pub async fn remove_attachment(
        &self,
        attachment_id: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                app.drafts.remove_attachment(u, &attachment_id, &language)
            })
            .await
    }

    /// A stored attachment's JPEG, decrypted in memory for a preview.
    pub async fn attachment_bytes(&self, attachment_id: String) -> Result<Vec<u8>, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.drafts.attachment_bytes(u, &attachment_id))
            .await
    }
}
