//! The wallet handle: the e-licences (电子证照) of the signed-in person.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::runtime::CancelToken;
use crate::wallet::{
    Code, DisclosureProfile, LicenceDetail, LicenceQr, LicenceSummary, LicenceVerdict,
    ONLINE_PREFIX, PresentationCheck, PresentationRecord, Request, RequestQr, TrustListStatus,
    VerifierRequest, WalletDevice, WalletRefresh,
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
        self.show(id, profile, None, reason).await
    }

    /// Two-way 亮证: reads a verifier's request QR (a kiosk's, a clerk's
    /// app's), checked against the trust list offline, so the person sees
    /// who asks and for what before choosing a licence. Nothing personal.
    pub async fn read_request(&self, payload: String) -> Result<VerifierRequest, PalmGovError> {
        self.core
            .blocking(move |app| Ok(app.wallet.read_request(&payload)?.0))
            .await
    }

    /// Starts showing licence `id` in answer to a verifier's request (its
    /// QR text, as `read_request` read it): the codes show exactly what it
    /// asks for and only that verifier, with that request's nonce, accepts
    /// them. The app lock is asked first; the showing is recorded with the
    /// verifier's name.
    pub async fn show_licence_for(
        &self,
        id: String,
        request: String,
        reason: String,
    ) -> Result<Arc<LicenceShowing>, PalmGovError> {
        let (info, request) = self
            .core
            .blocking(move |app| app.wallet.read_request(&request))
            .await?;
        self.show(
            id,
            DisclosureProfile::AsRequested,
            Some((request, info.verifier_name)),
            reason,
        )
        .await
    }

    /// Verifier mode, two-way: this device's verifier key (a P-256 JWK in
    /// the keystore hook), for the region to put on its trust list with
    /// the verifier's id and what it may ask for.
    pub async fn verifier_key(&self) -> Result<String, PalmGovError> {
        self.core.blocking(|app| app.wallet.verifier_key()).await
    }

    /// Verifier mode, two-way: a request QR code, `verifier_id` asking for
    /// the items `asks`, under a fresh nonce and this device's verifier key
    /// (which the trust list must name for it). Its `check` accepts only
    /// codes made for this request, each once. Behind the app lock.
    pub async fn open_request(
        &self,
        verifier_id: String,
        asks: Vec<String>,
    ) -> Result<Arc<PresentationRequest>, PalmGovError> {
        let (qr, request) = self
            .core
            .blocking_unlocked(move |app, u| app.wallet.make_request(u, &verifier_id, &asks))
            .await?;
        Ok(Arc::new(PresentationRequest {
            core: self.core.clone(),
            qr,
            request,
        }))
    }
}

impl WalletHandle {
    /// Asks the app lock, makes the first code, records the showing.
    async fn show(
        &self,
        id: String,
        profile: DisclosureProfile,
        request: Option<(Request, String)>,
        reason: String,
    ) -> Result<Arc<LicenceShowing>, PalmGovError> {
        self.core.app()?.lock.unlock(reason).await?;
        let (licence_type, first) = code_for(
            &self.core,
            id.clone(),
            profile,
            request.as_ref().map(|(r, _)| r.clone()),
        )
        .await?;
        let record = PresentationRecord {
            shown_at_ms: first.made_at_ms,
            licence_id: id.clone(),
            licence_type: licence_type.clone(),
            profile,
            claims: first.claims.clone(),
            verifier: request.as_ref().map(|(_, name)| name.clone()),
        };
        self.core
            .blocking_unlocked(move |app, u| app.wallet.record_showing(u, &record))
            .await?;
        Ok(Arc::new(LicenceShowing {
            core: self.core.clone(),
            id,
            licence_type,
            profile,
            request: request.map(|(r, _)| r),
            first: std::sync::Mutex::new(Some(first)),
        }))
    }
}

#[uniffi::export]
impl WalletHandle {
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
        let payload = match presentation_of(&self.core, payload).await? {
            Ok(payload) => payload,
            Err(refused) => return Ok(refused),
        };
        self.core
            .blocking_unlocked(move |app, u| {
                app.wallet.check_presentation(u, &payload, &language, None)
            })
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
    /// The verifier's request it answers (two-way).
    request: Option<Request>,
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
        let (_, code) = code_for(
            &self.core,
            self.id.clone(),
            self.profile,
            self.request.clone(),
        )
        .await?;
        Ok(code)
    }
}

/// A new code of licence `id`, with the licence's type: made offline, or,
/// when the presentation is too large for a readable code, its online form
/// (held at the backend).
async fn code_for(
    core: &Arc<OpenCore>,
    id: String,
    profile: DisclosureProfile,
    request: Option<Request>,
) -> Result<(String, LicenceQr), PalmGovError> {
    let (licence_type, made) = core
        .blocking_unlocked(move |app, u| app.wallet.make_code(u, &id, profile, request.as_ref()))
        .await?;
    let code = match made {
        Code::Ready(code) => code,
        Code::TooLarge {
            payload,
            claims,
            made_at_ms,
        } => {
            core.network_unlocked(None, move |app, _| async move {
                app.wallet.relay_code(payload, claims, made_at_ms).await
            })
            .await?
        }
    };
    Ok((licence_type, code))
}

/// The presentation a scanned code carries: the code itself, or for an
/// online code (`PGO1:`) the one the backend holds under its reference.
/// `Err(check)`: a reference the backend does not know (used, expired or
/// made up), as a verdict; no network is an error.
pub(super) async fn presentation_of(
    core: &Arc<OpenCore>,
    payload: String,
) -> Result<Result<String, PresentationCheck>, PalmGovError> {
    if !payload.trim().starts_with(ONLINE_PREFIX) {
        return Ok(Ok(payload));
    }
    let held = core
        .network_unlocked(None, move |app, _| async move {
            app.wallet.resolve_online(&payload).await
        })
        .await;
    match held {
        Ok(payload) => Ok(Ok(payload)),
        Err(PalmGovError::LicenceRefused { reason }) => Ok(Err(PresentationCheck::invalid(reason))),
        Err(e) => Err(e),
    }
}

/// A verifier's request on screen (two-way 亮证): its QR code, and the
/// check of the codes that answer it.
#[derive(uniffi::Object)]
pub struct PresentationRequest {
    core: Arc<OpenCore>,
    qr: RequestQr,
    request: Request,
}

#[uniffi::export]
impl PresentationRequest {
    /// The request's QR code, to show the person.
    pub fn qr(&self) -> RequestQr {
        self.qr.clone()
    }

    /// Checks a code that answers this request, offline and once: a code
    /// made for another request or verifier, or shown to whoever scans
    /// (one-way), is `Invalid`. Behind the app lock.
    pub async fn check(
        &self,
        payload: String,
        language: String,
    ) -> Result<PresentationCheck, PalmGovError> {
        let request = self.request.clone();
        let payload = match presentation_of(&self.core, payload).await? {
            Ok(payload) => payload,
            Err(refused) => return Ok(refused),
        };
        self.core
            .blocking_unlocked(move |app, u| {
                app.wallet
                    .check_presentation(u, &payload, &language, Some(&request))
            })
            .await
    }
}
