//! The outbox handle: submissions, the sync run, and application status
//! (办件查询) with a subscription to its changes.

use std::sync::Arc;

use super::{OpenCore, TaskHandle};
use crate::app::sync::{self, SyncReport};
use crate::delivery::{SyncListener, SyncOptions};
use crate::error::PalmGovError;
use crate::outbox::{ApplicationListener, ApplicationStatus, StepUpNeeded, Submission};
use crate::runtime::{self, CancelToken};

/// Submissions, sync and application status of one open core.
#[derive(uniffi::Object)]
pub struct OutboxHandle {
    core: Arc<OpenCore>,
}

impl OutboxHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl OutboxHandle {
    /// The account's submissions and where each one is. Behind the app lock.
    pub async fn submissions(&self) -> Result<Vec<Submission>, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.outbox.submissions(u))
            .await
    }

    /// The step-up queued submissions wait for, if any: the level, and the
    /// instance ids to name in one face check (`FaceHandle::step_up`), then
    /// sync again; a step-up at the provider releases them too. Not
    /// personal, so not behind the app lock.
    pub async fn step_up_needed(&self) -> Result<Option<StepUpNeeded>, PalmGovError> {
        self.core.blocking(|app| app.outbox.step_up_needed()).await
    }

    /// Discards an undelivered submission: only on the person's explicit
    /// request (sign-out never does this). Behind the app lock.
    pub async fn discard_submission(&self, instance_id: String) -> Result<(), PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.outbox.discard(u, &instance_id))
            .await
    }

    /// Sends the households the worker added and every due submission of
    /// the signed-in account, then fetches the roster and the application
    /// status afresh, reporting progress to `listener`. One run at a time;
    /// `cancel` stops it between requests with everything still queued.
    /// Needs no app lock and shows nothing but counts and codes, so the OS
    /// may start it in the background.
    #[uniffi::method(default(listener = None, cancel = None))]
    pub async fn sync_now(
        &self,
        options: SyncOptions,
        listener: Option<Arc<dyn SyncListener>>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SyncReport, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                sync::run(&app, options, listener).await
            })
            .await
    }

    /// Application status as last fetched. Offline; behind the app lock.
    pub async fn applications(&self) -> Result<Vec<ApplicationStatus>, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.outbox.applications(u))
            .await
    }

    /// Pulls the status of delivered applications and returns what changed
    /// (subscribers hear of it too). Behind the app lock.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_applications(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<ApplicationStatus>, PalmGovError> {
        self.core
            .network_unlocked(cancel, |app, u| async move {
                Ok(app.outbox.refresh_applications().await?.open(&u))
            })
            .await
    }

    /// [`OutboxHandle::refresh_applications`] for work the OS started in
    /// the background: no app lock, and only how many changed.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_applications_in_background(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<u32, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                Ok(app.outbox.refresh_applications().await?.len() as u32)
            })
            .await
    }

    /// Tells `listener` of every status change any refresh finds, until
    /// the returned handle is cancelled or dropped. The listener hears ids
    /// and status codes only, so it may fire while the app is locked.
    pub fn subscribe_application_changes(
        &self,
        listener: Arc<dyn ApplicationListener>,
    ) -> Result<Arc<TaskHandle>, PalmGovError> {
        let mut changes = self.core.app()?.outbox.subscribe();
        let task = runtime::runtime()?.spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match changes.recv().await {
                    Ok(batch) => listener.on_status_changed(batch),
                    // A slow listener missed some batches; the app reads
                    // the current state behind the lock anyway.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        });
        Ok(Arc::new(TaskHandle::new(task.abort_handle())))
    }
}
