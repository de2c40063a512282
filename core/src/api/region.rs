//! The region handle: the backend's health and the region configuration.
//! Nothing here is personal, so nothing is behind the app lock.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::region::{RegionConfig, RegionProfileRefresh, RegionProfileStatus, ServerHealth};
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

    /// The signed region profile in force, names in `language`; `None` for
    /// a build without region trust. Offline. Stale past its expiry, and
    /// `update_required` below its lowest supported app version (syncing
    /// then waits with `AppUpdateRequired`; local work is kept).
    pub async fn profile_status(
        &self,
        language: String,
    ) -> Result<Option<RegionProfileStatus>, PalmGovError> {
        self.core
            .blocking(move |app| Ok(app.region.status(&language)))
            .await
    }

    /// Fetches the region's signed profile and, when a newer one verifies
    /// (signed by enough distinct root keys, not a rollback, this build's
    /// region and app), applies it to this open core: a new backend, pins
    /// or provider take effect once a sync in flight has finished, without
    /// reopening. A refused profile is a typed error and the one in force
    /// stays.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_profile(
        &self,
        language: String,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<RegionProfileRefresh, PalmGovError> {
        self.core
            .network(cancel, move |app| async move {
                crate::app::switch::refresh(&app, &language).await
            })
            .await
    }
}
