//! The services handle: the region's service catalog (办事指南), offline.
//! A catalog is public, so finding and reading guides is not behind the
//! app lock; what the wallet covers is.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::runtime::CancelToken;
use crate::services::records::{
    CatalogStatus, CatalogUpdate, LifeEventInfo, ServiceGuide, ServiceHit, ServiceNeeds,
};
use crate::wallet::PresentationCheck;

/// The service catalog of one open core.
#[derive(uniffi::Object)]
pub struct ServicesHandle {
    core: Arc<OpenCore>,
}

impl ServicesHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl ServicesHandle {
    /// Brings the catalog up to the one the region profile pins, fetching
    /// only the chunks the phone lacks (every sync does this too). A
    /// catalog that fails its check is `CatalogRefused` and the last good
    /// one stays.
    #[uniffi::method(default(cancel = None))]
    pub async fn update(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<CatalogUpdate, PalmGovError> {
        self.core
            .network(cancel, |app| async move { app.services.update().await })
            .await
    }

    /// Takes the catalog bundled with the app (its `manifest.json` and the
    /// files of `chunks/`, in any order), checked as a fetched one is: for a
    /// first start without signal.
    pub async fn install_bundled(
        &self,
        manifest: Vec<u8>,
        chunks: Vec<Vec<u8>>,
    ) -> Result<CatalogUpdate, PalmGovError> {
        self.core
            .network(None, |app| async move {
                app.services.install(&manifest, &chunks).await
            })
            .await
    }

    /// The catalog on the phone; `None` before any. Offline.
    pub async fn status(&self) -> Result<Option<CatalogStatus>, PalmGovError> {
        self.core.blocking(|app| app.services.status()).await
    }

    /// Finds services by name (any language the region publishes,
    /// Traditional characters too), pinyin, initials (`sfz`), everyday
    /// words (低保) and keywords; best first, at most `limit` (200). Offline.
    pub async fn search(
        &self,
        query: String,
        language: String,
        limit: u32,
    ) -> Result<Vec<ServiceHit>, PalmGovError> {
        self.core
            .blocking(move |app| app.services.search(&query, &language, limit))
            .await
    }

    /// A service's guide: materials, time limit, fee, where to apply.
    pub async fn show(&self, code: String, language: String) -> Result<ServiceGuide, PalmGovError> {
        self.core
            .blocking(move |app| app.services.show(&code, &language))
            .await
    }

    /// The life events (一件事一次办) and their services.
    pub async fn life_events(&self, language: String) -> Result<Vec<LifeEventInfo>, PalmGovError> {
        self.core
            .blocking(move |app| app.services.life_events(&language))
            .await
    }

    /// What a service still needs: each material marked as covered by a
    /// licence, answered by the service's form, to photograph, or to
    /// bring. For the signed-in person's own application pass no
    /// `shown_on_visit`: their wallet counts. On a household visit pass the
    /// checks of the codes the resident showed: only those count, never
    /// the worker's wallet. Behind the app lock.
    pub async fn needs(
        &self,
        code: String,
        language: String,
        shown_on_visit: Option<Vec<PresentationCheck>>,
    ) -> Result<ServiceNeeds, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| {
                let applicant = match &shown_on_visit {
                    None => crate::services::Applicant::Own,
                    Some(shown) => crate::services::Applicant::Visit(shown),
                };
                app.services.needs(u, &code, &language, applicant)
            })
            .await
    }
}
