//! The face handle: the person's separate consent, and the face check that
//! raises the session to L4 for a while. Everything here is behind the app
//! lock.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::faceauth::{FaceConsent, FaceConsentRecord, FaceVerdict};
use crate::hooks::FaceCapture;
use crate::runtime::CancelToken;

/// Face step-up of one open core.
#[derive(uniffi::Object)]
pub struct FaceHandle {
    core: Arc<OpenCore>,
}

impl FaceHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl FaceHandle {
    /// Records the current account's separate consent to face
    /// verification, shown on the app's own consent screen. Kept without
    /// any biometric data until withdrawn or sign-out.
    pub async fn record_consent(
        &self,
        consent: FaceConsent,
    ) -> Result<FaceConsentRecord, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.face.record_consent(u, consent))
            .await
    }

    /// The current account's recorded consent, if any.
    pub async fn consent(&self) -> Result<Option<FaceConsentRecord>, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.face.consent(u))
            .await
    }

    /// Withdraws the consent and drops a current face verdict.
    pub async fn withdraw_consent(&self) -> Result<bool, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.face.withdraw_consent(u))
            .await
    }

    /// One face verification for `operations` (what it unlocks, such as
    /// the instance ids `OutboxHandle::step_up_needed` lists: one check for
    /// every queued submission that waits for it, up to 50): a server
    /// challenge, `capture` in the shell, frames prepared in memory, and
    /// the server's signed verdict, which raises those operations to L4 for
    /// a bounded time. Fails with `ConsentRequired`, `FaceRejected` (try
    /// again), `FaceAttemptsExhausted` (offer the provider instead),
    /// `FaceTimeout` or `Cancelled`; `cancel` closes the camera.
    #[uniffi::method(default(cancel = None))]
    pub async fn step_up(
        &self,
        operations: Vec<String>,
        capture: Arc<dyn FaceCapture>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<FaceVerdict, PalmGovError> {
        self.core
            .network_unlocked(cancel, |app, u| async move {
                app.face.step_up(&u, capture, operations).await
            })
            .await
    }
}
