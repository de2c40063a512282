//! The wallet handle: the e-licences (电子证照) of the signed-in person.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::runtime::CancelToken;
use crate::wallet::{
    LicenceDetail, LicenceSummary, LicenceVerdict, TrustListStatus, WalletDevice, WalletRefresh,
};

/// The e-licence wallet of one open core.
#[derive(uniffi::Object)]
pub struct WalletHandle {
    core: Arc<OpenCore>,
}

impl WalletHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl WalletHandle {
    /// The person's licences as last fetched, named in `language`. Offline,
    /// opens no credential; behind the app lock.
    pub async fn licences(&self, language: String) -> Result<Vec<LicenceSummary>, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.wallet.list(u, &language))
            .await
    }

    /// One licence with every claim it carries. Offline; behind the app lock.
    pub async fn licence(
        &self,
        id: String,
        language: String,
    ) -> Result<LicenceDetail, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.wallet.show(u, &id, &language))
            .await
    }

    /// Checks one licence offline (signature, validity, the cached status
    /// list) and keeps the verdict in its index. Behind the app lock.
    pub async fn verify_licence(&self, id: String) -> Result<LicenceVerdict, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.wallet.verify(u, &id))
            .await
    }

    /// Fetches the person's licences again (bound to this phone's key), the
    /// trust list and the status lists. Shows nothing personal: counts
    /// only, so the OS's background work may call it too.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<WalletRefresh, PalmGovError> {
        self.core
            .network(cancel, |app| async move { app.wallet.refresh().await })
            .await
    }

    /// Fetches the trust list and the status lists only (public documents),
    /// so the next offline check is current. How many status lists.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_status(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<u32, PalmGovError> {
        self.core
            .network(
                cancel,
                |app| async move { app.wallet.refresh_status().await },
            )
            .await
    }

    /// The licence trust list in force: its version, expiry and whether it
    /// is stale (checks still use it offline). `None` before any was
    /// fetched or bundled. Public, offline.
    pub async fn trust_list(&self) -> Result<Option<TrustListStatus>, PalmGovError> {
        self.core.blocking(|app| app.wallet.trust_list()).await
    }

    /// The phones the person's licences are bound to, this one marked.
    /// Behind the app lock.
    #[uniffi::method(default(cancel = None))]
    pub async fn devices(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<WalletDevice>, PalmGovError> {
        self.core
            .network_unlocked(cancel, |app, _| async move { app.wallet.devices().await })
            .await
    }

    /// Reports another phone of the person's lost (by its `key_id` from
    /// `devices`): its licences stop verifying once verifiers' status lists
    /// are refreshed. Behind the app lock.
    #[uniffi::method(default(cancel = None))]
    pub async fn revoke_device(
        &self,
        key_id: String,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<(), PalmGovError> {
        self.core
            .network_unlocked(cancel, |app, _| async move {
                app.wallet.revoke_device(&key_id).await
            })
            .await
    }
}
