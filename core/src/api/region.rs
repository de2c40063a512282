//! The region handle: the backend's health and the region configuration.
//! Nothing here is personal, so nothing is behind the app lock.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::region::{RegionConfig, ServerHealth};
use crate::runtime::CancelToken;

/// The region's backend, for one open core.
#[derive(uniffi::Object)]
pub struct RegionHandle {
    core: Arc<OpenCore>,
}

impl RegionHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl RegionHandle {
    /// Asks the backend whether it is up, and how far the device clock is off.
    #[uniffi::method(default(cancel = None))]
    pub async fn server_health(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<ServerHealth, PalmGovError> {
        self.core
            .network(cancel, |app| async move { app.region.health().await })
            .await
    }

    /// Fetches the region's configuration from the backend and caches it,
    /// encrypted, for offline starts.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_config(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<RegionConfig, PalmGovError> {
        self.core
            .network(cancel, |app| async move { app.region.refresh().await })
            .await
    }

    /// The configuration from the last successful refresh, if any. Offline.
    pub async fn cached_config(&self) -> Result<Option<RegionConfig>, PalmGovError> {
        self.core.blocking(|app| app.region.cached()).await
    }
}
