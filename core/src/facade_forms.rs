//! The exported forms, drafts, attachments and outbox calls of [`PalmGov`].
//!
//! Answers cross the boundary as JSON text: field types differ (a number, a
//! geopoint, a list of choices), and one string per answer is cheaper than
//! a tagged union per type through UniFFI. Every call returns a screen's
//! worth (a whole draft, every effect of an answer) so one user action is
//! one crossing. Draft content is personal, so these calls sit behind the
//! app lock like the accounts list.

use std::sync::Arc;

use crate::app::sync::{self, SyncReport};
use crate::catalog::FormInfo;
use crate::delivery::{SyncListener, SyncOptions};
use crate::drafts::{
    DraftSubject, DraftSummary, DraftView, FinalizeOutcome, IngestedAttachment, MigrationReport,
    RepeatAdded, SaveEffects,
};
use crate::error::PalmGovError;
use crate::facade::PalmGov;
use crate::media::attachments::PendingAttachment;
use crate::outbox::{ApplicationListener, ApplicationStatus, Submission};
use crate::roster::{Household, NewHousehold};
use crate::runtime::{self, CancelToken};

/// The default options of [`PalmGov::sync_now`]: unmetered, 30 s retry budget.
#[uniffi::export]
pub fn default_sync_options() -> SyncOptions {
    SyncOptions::default()
}

/// A public error as a sentence in `language` (zh-Hans, zh-Hant, ug, en;
/// BCP 47 tags such as `zh-CN` are accepted), from the core's catalogs.
#[uniffi::export]
pub fn error_message(error: &PalmGovError, language: String) -> String {
    crate::i18n::error_message(error, &language)
}

#[uniffi::export]
impl PalmGov {
    /// Downloads the backend's form catalog and stores every definition the
    /// device lacks (each checked fully before it is kept). Returns the
    /// forms now on the device.
    pub async fn refresh_forms(
        &self,
        language: String,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<FormInfo>, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move {
            core.catalog.refresh().await?;
            core.catalog.infos(&language)
        })
        .await
    }

    /// Stores a definition the shell got elsewhere (bundled in the app).
    pub fn add_form_definition(
        &self,
        json: String,
        language: String,
    ) -> Result<FormInfo, PalmGovError> {
        let core = self.core()?;
        let (id, version) = core.catalog.add(json.as_bytes())?;
        Ok(core.catalog.info(&id, version, &language)?)
    }

    /// The forms on the device, newest version of each first. Offline.
    pub fn forms(&self, language: String) -> Result<Vec<FormInfo>, PalmGovError> {
        Ok(self.core()?.catalog.infos(&language)?)
    }

    /// Starts a draft of a form (its newest version unless `version` is
    /// given), prefilled from the signed-in profile where the form asks.
    /// `utc_offset_min` is the device's current UTC offset.
    pub fn create_draft(
        &self,
        form_id: String,
        version: Option<u32>,
        subject: DraftSubject,
        utc_offset_min: i32,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core
            .drafts
            .create_draft(&u, &form_id, version, subject, utc_offset_min, &language)?)
    }

    /// Saves one answer (JSON; `null` clears it). Durable against a process
    /// kill once it returns. Returns what the answer changed.
    pub fn save_answer(
        &self,
        draft_id: String,
        path: String,
        value_json: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core
            .drafts
            .save_answer(&u, &draft_id, &path, &value_json, &language)?)
    }

    /// Adds an instance to a repeat group. Its id stays stable.
    pub fn add_repeat_instance(
        &self,
        draft_id: String,
        repeat: String,
        language: String,
    ) -> Result<RepeatAdded, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core
            .drafts
            .add_repeat_instance(&u, &draft_id, &repeat, &language)?)
    }

    pub fn remove_repeat_instance(
        &self,
        draft_id: String,
        repeat: String,
        instance_id: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core
            .drafts
            .remove_repeat_instance(&u, &draft_id, &repeat, &instance_id, &language)?)
    }

    /// A whole draft for its form screen, to resume it.
    pub fn open_draft(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.open_draft(&u, &draft_id, &language)?)
    }

    /// Every draft and finalized form of the account, newest first.
    pub fn list_drafts(&self, language: String) -> Result<Vec<DraftSummary>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.list_drafts(&u, &language)?)
    }

    /// Drafts whose subject or summary contains `query`; two-character
    /// Chinese names included.
    pub fn search_drafts(
        &self,
        query: String,
        language: String,
    ) -> Result<Vec<DraftSummary>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.search_drafts(&u, &query, &language)?)
    }

    /// Deletes an unfinalized draft and its photos. Finalized work is never
    /// deleted this way; see [`PalmGov::discard_submission`].
    pub fn delete_draft(&self, draft_id: String) -> Result<(), PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.delete_draft(&u, &draft_id)?)
    }

    /// Validates the whole draft. With no issues it is frozen and queued,
    /// durably; otherwise every issue comes back at once, localized.
    pub fn finalize_draft(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<FinalizeOutcome, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.finalize(&u, &draft_id, &language)?)
    }

    /// Moves a draft to another version of its form, reporting dropped answers.
    pub fn migrate_draft(
        &self,
        draft_id: String,
        version: u32,
    ) -> Result<MigrationReport, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.migrate_draft(&u, &draft_id, version)?)
    }

    /// Starts an edit of a finalized form: a new draft that references the
    /// submitted one, which itself never changes.
    pub fn edit_submitted(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.edit_submitted(&u, &draft_id, &language)?)
    }

    /// Registers a photo or signature for `path` before the camera opens;
    /// the camera writes to the returned `capture_path`.
    pub fn register_attachment(
        &self,
        draft_id: String,
        path: String,
    ) -> Result<PendingAttachment, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.register_attachment(&u, &draft_id, &path)?)
    }

    /// Prepares the capture (upright, long edge `max_edge` or 1600 px, JPEG
    /// q80 without EXIF), stores it encrypted and sets the answer.
    pub async fn ingest_attachment(
        &self,
        attachment_id: String,
        max_edge: Option<u32>,
        language: String,
    ) -> Result<IngestedAttachment, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        runtime::run_blocking(move || {
            core.drafts
                .ingest_attachment(&u, &attachment_id, max_edge, &language)
        })
        .await
    }

    pub fn remove_attachment(
        &self,
        attachment_id: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core
            .drafts
            .remove_attachment(&u, &attachment_id, &language)?)
    }

    /// A stored attachment's JPEG, decrypted in memory for a preview.
    pub fn attachment_bytes(&self, attachment_id: String) -> Result<Vec<u8>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.drafts.attachment_bytes(&u, &attachment_id)?)
    }

    /// The account's submissions and where each one is.
    pub fn submissions(&self) -> Result<Vec<Submission>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.outbox.submissions(&u)?)
    }

    /// Discards an undelivered submission: only on the person's explicit
    /// request (logout never does this).
    pub fn discard_submission(&self, instance_id: String) -> Result<(), PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.outbox.discard(&u, &instance_id)?)
    }

    /// Sends every due submission of the signed-in account, reporting
    /// progress to `listener`. One run at a time; `cancel` stops it between
    /// requests with everything still queued.
    pub async fn sync_now(
        &self,
        options: SyncOptions,
        listener: Option<Arc<dyn SyncListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SyncReport, PalmGovError> {
        let core = self.core()?;
        runtime::run(
            cancel,
            async move { sync::run(&core, options, listener).await },
        )
        .await
    }

    /// The grid worker's household roster as last cached. Offline.
    pub fn roster(&self) -> Result<Vec<Household>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.roster.roster(&u)?)
    }

    /// Fetches the roster the township assigned (every sync does this too).
    /// Households added here and not yet sent stay.
    pub async fn refresh_roster(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<Household>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        runtime::run(cancel, async move {
            core.roster.refresh().await?;
            core.roster.roster(&u)
        })
        .await
    }

    /// Adds a household the worker met that is not on the roster. It is
    /// stored durably at once and sent with the next sync.
    pub fn add_household(&self, household: NewHousehold) -> Result<Household, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.roster.add(&u, household)?)
    }

    /// Application status as last fetched (办件查询). Offline.
    pub fn applications(&self) -> Result<Vec<ApplicationStatus>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        Ok(core.outbox.applications(&u)?)
    }

    /// Pulls the status of delivered applications; changes go to `listener`
    /// and are returned.
    pub async fn refresh_applications(
        &self,
        listener: Option<Arc<dyn ApplicationListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<ApplicationStatus>, PalmGovError> {
        let (core, u) = self.unlocked_core()?;
        runtime::run(cancel, async move {
            let changes = core.outbox.refresh_applications().await?.open(&u);
            if let Some(l) = listener
                && !changes.is_empty()
            {
                l.on_status_changed(changes.clone());
            }
            Ok(changes)
        })
        .await
    }
}
