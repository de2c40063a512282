//! The exported forms, drafts, attachments and outbox calls of [`PalmGov`].
//!
//! Answers cross the boundary as JSON text: field types differ (a number, a
//! geopoint, a list of choices), and one string per answer is cheaper than
//! a tagged union per type through UniFFI. Every call returns a screen's
//! worth (a whole draft, every effect of an answer) so one user action is
//! one crossing. Draft content is personal, so these calls sit behind the
//! app lock like the accounts list.

use std::sync::Arc;

use crate::drafts::{
    DraftSubject, DraftSummary, DraftView, FinalizeOutcome, MigrationReport, SaveEffects,
};
use crate::error::PalmGovError;
use crate::facade::PalmGov;
use crate::media::attachments::{IngestedAttachment, PendingAttachment};
use crate::outbox::{
    ApplicationListener, ApplicationStatus, Submission, SyncListener, SyncOptions, SyncReport,
};
use crate::roster::{Household, NewHousehold};
use crate::runtime::{self, CancelToken};

/// A form available on the device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FormInfo {
    pub form_id: String,
    pub version: u32,
    pub title: String,
}

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
            core.refresh_forms().await?;
            core.form_infos(&language)
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
        let (id, version) = core.store_form(json.as_bytes())?;
        let form = core.form(&id, Some(version))?;
        Ok(FormInfo {
            form_id: id,
            version,
            title: crate::drafts::pick(&form.title, &language),
        })
    }

    /// The forms on the device, newest version of each first. Offline.
    pub fn forms(&self, language: String) -> Result<Vec<FormInfo>, PalmGovError> {
        Ok(self.core()?.form_infos(&language)?)
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
        Ok(self.unlocked_core()?.create_draft(
            &form_id,
            version,
            subject,
            utc_offset_min,
            &language,
        )?)
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
        Ok(self
            .unlocked_core()?
            .save_answer(&draft_id, &path, &value_json, &language)?)
    }

    /// Adds an instance to a repeat group. Its id stays stable.
    pub fn add_repeat_instance(
        &self,
        draft_id: String,
        repeat: String,
        language: String,
    ) -> Result<RepeatAdded, PalmGovError> {
        let (instance_id, effects) = self
            .unlocked_core()?
            .add_repeat_instance(&draft_id, &repeat, &language)?;
        Ok(RepeatAdded {
            instance_id,
            effects,
        })
    }

    pub fn remove_repeat_instance(
        &self,
        draft_id: String,
        repeat: String,
        instance_id: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        Ok(self.unlocked_core()?.remove_repeat_instance(
            &draft_id,
            &repeat,
            &instance_id,
            &language,
        )?)
    }

    /// A whole draft for its form screen, to resume it.
    pub fn open_draft(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        Ok(self.unlocked_core()?.open_draft(&draft_id, &language)?)
    }

    /// Every draft and finalized form of the account, newest first.
    pub fn list_drafts(&self, language: String) -> Result<Vec<DraftSummary>, PalmGovError> {
        Ok(self.unlocked_core()?.list_drafts(&language)?)
    }

    /// Drafts whose subject or summary contains `query`; two-character
    /// Chinese names included.
    pub fn search_drafts(
        &self,
        query: String,
        language: String,
    ) -> Result<Vec<DraftSummary>, PalmGovError> {
        Ok(self.unlocked_core()?.search_drafts(&query, &language)?)
    }

    /// Deletes an unfinalized draft and its photos. Finalized work is never
    /// deleted this way; see [`PalmGov::discard_submission`].
    pub fn delete_draft(&self, draft_id: String) -> Result<(), PalmGovError> {
        Ok(self.unlocked_core()?.delete_draft(&draft_id)?)
    }

    /// Validates the whole draft. With no issues it is frozen and queued,
    /// durably; otherwise every issue comes back at once, localized.
    pub fn finalize_draft(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<FinalizeOutcome, PalmGovError> {
        Ok(self.unlocked_core()?.finalize(&draft_id, &language)?)
    }

    /// Moves a draft to another version of its form, reporting dropped answers.
    pub fn migrate_draft(
        &self,
        draft_id: String,
        version: u32,
    ) -> Result<MigrationReport, PalmGovError> {
        Ok(self.unlocked_core()?.migrate_draft(&draft_id, version)?)
    }

    /// Starts an edit of a finalized form: a new draft that references the
    /// submitted one, which itself never changes.
    pub fn edit_submitted(
        &self,
        draft_id: String,
        language: String,
    ) -> Result<DraftView, PalmGovError> {
        Ok(self.unlocked_core()?.edit_submitted(&draft_id, &language)?)
    }

    /// Registers a photo or signature for `path` before the camera opens;
    /// the camera writes to the returned `capture_path`.
    pub fn register_attachment(
        &self,
        draft_id: String,
        path: String,
    ) -> Result<PendingAttachment, PalmGovError> {
        Ok(self
            .unlocked_core()?
            .register_attachment(&draft_id, &path)?)
    }

    /// Prepares the capture (upright, long edge `max_edge` or 1600 px, JPEG
    /// q80 without EXIF), stores it encrypted and sets the answer.
    pub async fn ingest_attachment(
        &self,
        attachment_id: String,
        max_edge: Option<u32>,
        language: String,
    ) -> Result<IngestedAttachment, PalmGovError> {
        let core = self.unlocked_core()?;
        runtime::run(None, async move {
            tokio::task::spawn_blocking(move || {
                core.ingest_attachment(&attachment_id, max_edge, &language)
            })
            .await
            .map_err(|_| PalmGovError::Internal {
                detail: "ingest".into(),
            })?
        })
        .await
    }

    pub fn remove_attachment(
        &self,
        attachment_id: String,
        language: String,
    ) -> Result<SaveEffects, PalmGovError> {
        Ok(self
            .unlocked_core()?
            .remove_attachment(&attachment_id, &language)?)
    }

    /// A stored attachment's JPEG, decrypted in memory for a preview.
    pub fn attachment_bytes(&self, attachment_id: String) -> Result<Vec<u8>, PalmGovError> {
        Ok(self.unlocked_core()?.attachment_bytes(&attachment_id)?)
    }

    /// The account's submissions and where each one is.
    pub fn submissions(&self) -> Result<Vec<Submission>, PalmGovError> {
        Ok(self.unlocked_core()?.submissions()?)
    }

    /// Discards an undelivered submission: only on the person's explicit
    /// request (logout never does this).
    pub fn discard_submission(&self, instance_id: String) -> Result<(), PalmGovError> {
        Ok(self.unlocked_core()?.discard_submission(&instance_id)?)
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
            async move { core.sync_now(options, listener).await },
        )
        .await
    }

    /// The grid worker's household roster as last cached. Offline.
    pub fn roster(&self) -> Result<Vec<Household>, PalmGovError> {
        Ok(self.unlocked_core()?.roster()?)
    }

    /// Fetches the roster the township assigned (every sync does this too).
    /// Households added here and not yet sent stay.
    pub async fn refresh_roster(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<Household>, PalmGovError> {
        let core = self.core()?;
        runtime::run(cancel, async move { core.refresh_roster().await }).await
    }

    /// Adds a household the worker met that is not on the roster. It is
    /// stored durably at once and sent with the next sync.
    pub fn add_household(&self, household: NewHousehold) -> Result<Household, PalmGovError> {
        Ok(self.unlocked_core()?.add_household(household)?)
    }

    /// Application status as last fetched (办件查询). Offline.
    pub fn applications(&self) -> Result<Vec<ApplicationStatus>, PalmGovError> {
        Ok(self.unlocked_core()?.applications()?)
    }

    /// Pulls the status of delivered applications; changes go to `listener`
    /// and are returned.
    pub async fn refresh_applications(
        &self,
        listener: Option<Arc<dyn ApplicationListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<ApplicationStatus>, PalmGovError> {
        let core = self.core()?;
        runtime::run(
            cancel,
            async move { core.refresh_applications(listener).await },
        )
        .await
    }
}

/// A new repeat instance and what adding it changed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RepeatAdded {
    pub instance_id: String,
    pub effects: SaveEffects,
}
