//! The wallet handle: the e-licences (电子证照) of the signed-in person.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::runtime::CancelToken;
use crate::wallet::{
    DisclosureProfile, LicenceDetail, LicenceQr, LicenceSummary, LicenceVerdict, PresentationCheck,
    PresentationRecord, TrustListStatus, WalletDevice, WalletRefresh,
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

    /// Starts showing licence `id` as a QR code (亮证), with what
    /// `profile` discloses. The app lock is asked first, every time (the
    /// phone's lock prompt, with `reason` in the prompt); `Full` also needs
    /// `confirm_full`, set only after the person confirmed on a screen
    /// that lists what it shows. The showing is recorded in the person's
    /// history. Its `code()` gives a fresh code every 30 s; drop it when
    /// the licence leaves the screen.
    pub async fn show_licence(
        &self,
        id: String,
        profile: DisclosureProfile,
        confirm_full: bool,
        reason: String,
    ) -> Result<Arc<LicenceShowing>, PalmGovError> {
        if profile == DisclosureProfile::Full && !confirm_full {
            return Err(PalmGovError::InvalidInput {
                field: "confirm_full".into(),
            });
        }
        self.core.app()?.lock.unlock(reason).await?;
        let (licence, first) = {
            let id = id.clone();
            self.core
                .blocking_unlocked(move |app, u| {
                    let code = app.wallet.make_code(u, &id, profile, None)?;
                    let licence = app
                        .wallet
                        .list(u, "en")?
                        .into_iter()
                        .find(|l| l.id == id)
                        .ok_or(PalmGovError::NotFound)?;
                    app.wallet.record_showing(
                        u,
                        &PresentationRecord {
                            shown_at_ms: code.made_at_ms,
                            licence_id: id.clone(),
                            licence_type: licence.licence_type.clone(),
                            profile,
                            claims: code.claims.clone(),
                            verifier: None,
                        },
                    )?;
                    Ok((licence, code))
                })
                .await?
        };
        Ok(Arc::new(LicenceShowing {
            core: self.core.clone(),
            id,
            licence_type: licence.licence_type,
            profile,
            first: std::sync::Mutex::new(Some(first)),
        }))
    }

    /// What the person showed, newest first (at most 500). Offline; behind
    /// the app lock.
    pub async fn history(&self) -> Result<Vec<PresentationRecord>, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.wallet.history(u))
            .await
    }

    /// Verifier mode: checks a scanned 亮证 code (the text the scanner
    /// read) offline, against the trust list and the status lists this
    /// core holds, and refuses a code it has seen. Names the licence type
    /// in `language`. Behind the app lock (it shows a person's data).
    pub async fn check_presentation(
        &self,
        payload: String,
        language: String,
    ) -> Result<PresentationCheck, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.wallet.check_presentation(u, &payload, &language))
            .await
    }
}

/// A licence on screen as a QR code. Each `code()` is a new presentation
/// (its own time, id and device signature); the first is ready at once.
#[derive(uniffi::Object)]
pub struct LicenceShowing {
    core: Arc<OpenCore>,
    id: String,
    licence_type: String,
    profile: DisclosureProfile,
    first: std::sync::Mutex<Option<LicenceQr>>,
}

#[uniffi::export]
impl LicenceShowing {
    /// The licence's type (`id_card`…).
    pub fn licence_type(&self) -> String {
        self.licence_type.clone()
    }

    pub fn profile(&self) -> DisclosureProfile {
        self.profile
    }

    /// The code to show now: the first one, then a new one each call
    /// (call at the previous code's `refresh_at_ms`). Refused once the app
    /// locks: showing again asks the lock again.
    pub async fn code(&self) -> Result<LicenceQr, PalmGovError> {
        let (_, _unlocked) = self.core.unlocked()?;
        if let Some(first) = self.first.lock().ok().and_then(|mut f| f.take()) {
            return Ok(first);
        }
        let (id, profile) = (self.id.clone(), self.profile);
        self.core
            .blocking_unlocked(move |app, u| app.wallet.make_code(u, &id, profile, None))
            .await
    }
}
