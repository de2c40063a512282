//! Stored sessions: one per account, each sealed under its own account key,
//! which is itself stored under the install's data key (wrapped by the
//! keystore hook). Logging out destroys the account key, so nothing of that
//! account's personal data stays readable, while device-level data (drafts,
//! the outbox) is untouched.
//!
//! Refresh is single-flight: callers take `refresh_lock`, re-read the
//! session, and only the first one near expiry spends the refresh token.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::dpop::DpopKey;
use super::idtoken::{self, Claims, Expected};
use super::jose::{JwkSet, JwsError};
use super::oauth::{self, TokenFailure, TokenResponse};
use super::{AccountKind, AccountSummary, Identity, LogoutReport, SessionInfo, SessionStatus};
use crate::crypto::{DataKey, random_bytes};
use crate::error::{PalmGovError, Result};
use crate::facade::Core;
use crate::net::ApiClient;

const NS_KEYS: &str = "palmgov.identity.account_keys";
const NS_SESSIONS: &str = "palmgov.identity.sessions";
const NS_STATE: &str = "palmgov.identity";
const CURRENT: &str = "current";
/// Refresh when less than this much of the access token's life remains.
const REFRESH_MARGIN_SECS: i64 = 60;

/// Everything kept for one account. Serialized, then sealed with the
/// account key; zeroized when dropped.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct StoredSession {
    pub account_id: String,
    pub issuer: String,
    pub subject: String,
    pub kind: AccountKind,
    pub display_name: Option<String>,
    pub organisation: Option<String>,
    /// Profile values forms may prefill; sealed with the session.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    pub status: SessionStatus,
    pub access_token: String,
    /// `DPoP` or `Bearer`.
    pub token_type: String,
    pub refresh_token: Option<String>,
    pub id_token: String,
    /// Access token expiry, provider clock, seconds.
    pub expires_at: i64,
    pub acr: Option<String>,
    /// Last successful sign-in or refresh, provider clock, seconds.
    pub last_refresh_at: i64,
    /// The provider's clock offset when last online, for offline checks.
    pub clock_offset: Option<i64>,
    /// The DPoP private key, wrapped by the keystore hook.
    pub dpop_wrapped: Option<Vec<u8>>,
}

impl Drop for StoredSession {
    fn drop(&mut self) {
        self.access_token.zeroize();
        if let Some(t) = self.refresh_token.as_mut() {
            t.zeroize();
        }
        self.id_token.zeroize();
        self.subject.zeroize();
        if let Some(n) = self.id_number.as_mut() {
            n.zeroize();
        }
    }
}

/// A stable, non-personal account id: a hash of issuer and subject.
pub(crate) fn account_id(issuer: &str, subject: &str) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(b"palmgov.account\0");
    ctx.update(issuer.as_bytes());
    ctx.update(b"\0");
    ctx.update(subject.as_bytes());
    ctx.finish().as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn context(account_id: &str) -> Vec<u8> {
    format!("identity.session\0{account_id}").into_bytes()
}

impl Core {
    pub(crate) fn identity(&self) -> Result<&Identity> {
        self.identity.as_ref().ok_or_else(|| {
            PalmGovError::InvalidInput {
                field: "identity (not configured)".into(),
            }
            .into()
        })
    }

    fn account_key(&self, account_id: &str, create: bool) -> Result<Option<DataKey>> {
        if let Some(raw) = self.store.secure_get(NS_KEYS, account_id)? {
            return Ok(Some(DataKey::from_bytes(&raw)?));
        }
        if !create {
            return Ok(None);
        }
        let (key, raw) = DataKey::generate()?;
        self.store.secure_put_durable(NS_KEYS, account_id, &raw)?;
        Ok(Some(key))
    }

    /// Saves a session durably and makes it the current account.
    pub(crate) fn save_session(&self, session: &StoredSession) -> Result<()> {
        let key = self
            .account_key(&session.account_id, true)?
            .ok_or(PalmGovError::Decryption)?;
        let json = Zeroizing::new(serde_json::to_vec(session)?);
        let sealed = key.seal(&context(&session.account_id), &json)?;
        self.store
            .secure_put_durable(NS_SESSIONS, &session.account_id, &sealed)?;
        self.store
            .secure_put_durable(NS_STATE, CURRENT, session.account_id.as_bytes())
    }

    pub(crate) fn load_session(&self, account_id: &str) -> Result<Option<StoredSession>> {
        match self.store.secure_get(NS_SESSIONS, account_id)? {
            Some(sealed) => self.open_session(account_id, &sealed),
            None => Ok(None),
        }
    }

    /// Decrypts a session record with its account key; `None` once the
    /// account key is gone (logged out).
    fn open_session(&self, account_id: &str, sealed: &[u8]) -> Result<Option<StoredSession>> {
        let Some(key) = self.account_key(account_id, false)? else {
            return Ok(None);
        };
        let json = key.open(&context(account_id), sealed)?;
        Ok(Some(
            serde_json::from_slice(&json).map_err(|_| PalmGovError::Decryption)?,
        ))
    }

    pub(crate) fn current_account(&self) -> Result<Option<String>> {
        Ok(self
            .store
            .secure_get(NS_STATE, CURRENT)?
            .and_then(|v| String::from_utf8(v.to_vec()).ok()))
    }

    /// The current account's session, whatever its status.
    pub(crate) fn current_session(&self) -> Result<Option<StoredSession>> {
        match self.current_account()? {
            Some(id) => self.load_session(&id),
            None => Ok(None),
        }
    }

    /// The session for display. Works offline. Refuses with `SignInRequired`
    /// when there is none or it can no longer be used offline.
    pub(crate) fn session_info(&self) -> Result<SessionInfo> {
        let identity = self.identity()?;
        let session = self
            .current_session()?
            .ok_or(PalmGovError::SignInRequired)?;
        let info = identity.info(&session);
        let now = identity
            .provider
            .corrected_now(&self.api, session.clock_offset);
        if info.status != SessionStatus::Active || info.offline_until_ms / 1000 < now {
            return Err(PalmGovError::SignInRequired.into());
        }
        Ok(info)
    }

    /// Every account on the device, current first.
    pub(crate) fn accounts(&self) -> Result<Vec<AccountSummary>> {
        let identity = self.identity()?;
        let current = self.current_account()?;
        let mut out = Vec::new();
        // One read of all records; each is then opened with its account key.
        for entry in self.store.secure_list(NS_SESSIONS)? {
            if let Some(session) = self.open_session(&entry.key, &entry.value)? {
                out.push(AccountSummary {
                    current: current.as_deref() == Some(entry.key.as_str()),
                    session: identity.info(&session),
                });
            }
        }
        out.sort_by_key(|a| !a.current);
        Ok(out)
    }

    pub(crate) fn switch_account(&self, account_id: &str) -> Result<SessionInfo> {
        if self.load_session(account_id)?.is_none() {
            return Err(PalmGovError::InvalidInput {
                field: "account_id".into(),
            }
            .into());
        }
        self.store
            .secure_put_durable(NS_STATE, CURRENT, account_id.as_bytes())?;
        self.session_info()
    }

    /// A usable access token for the current account, refreshing first when
    /// it expires within a minute (or always, with `force`).
    pub(crate) async fn fresh_session(self: &Arc<Self>, force: bool) -> Result<StoredSession> {
        let identity = self.identity()?;
        let before = self.usable_session()?;
        let now = identity
            .provider
            .corrected_now(&self.api, before.clock_offset);
        if !force && before.expires_at - now > REFRESH_MARGIN_SECS {
            return Ok(before);
        }
        let _flight = identity.refresh_lock.lock().await;
        // Someone else may have refreshed while we waited.
        let session = self.usable_session()?;
        if session.access_token != before.access_token {
            return Ok(session);
        }
        let now = identity
            .provider
            .corrected_now(&self.api, session.clock_offset);
        if !force && session.expires_at - now > REFRESH_MARGIN_SECS {
            return Ok(session);
        }
        self.refresh(identity, session).await
    }

    fn usable_session(&self) -> Result<StoredSession> {
        match self.current_session()? {
            Some(s) if s.status == SessionStatus::Active => Ok(s),
            _ => Err(PalmGovError::SignInRequired.into()),
        }
    }

    async fn refresh(
        self: &Arc<Self>,
        identity: &Identity,
        mut session: StoredSession,
    ) -> Result<StoredSession> {
        let Some(refresh_token) = session.refresh_token.clone() else {
            return Err(PalmGovError::SignInRequired.into());
        };
        let metadata = identity.provider.metadata(&self.api).await?;
        let client = oauth::client(
            metadata,
            &identity.config.client_id,
            &identity.config.redirect_uri,
        )?;
        let dpop = self.dpop_key(&session)?;
        let bound = dpop.is_some();
        let token = oauth2::RefreshToken::new(refresh_token);
        identity.refreshes.fetch_add(1, Ordering::SeqCst);
        let offset = session.clock_offset;
        let result = client
            .exchange_refresh_token(&token)
            .request_async(&oauth::Http {
                core: self.clone(),
                dpop,
                offset,
            })
            .await;
        let response = match result {
            Ok(r) => r,
            Err(e) => match oauth::classify(e) {
                TokenFailure::GrantEnded => {
                    self.end_grant(session)?;
                    return Err(PalmGovError::SignInRequired.into());
                }
                // Network or server trouble: the tokens stay as they were.
                TokenFailure::Other(e) => return Err(e.into()),
            },
        };
        let claims = match response_id_token(&response) {
            Some(id_token) => Some(identity.check_id_token(&self.api, id_token, None).await?),
            None => None,
        };
        if let Some(c) = &claims
            && (c.iss != session.issuer || c.sub != session.subject)
        {
            return Err(PalmGovError::LoginRejected {
                reason: "refresh.subject".into(),
            }
            .into());
        }
        identity.apply_tokens(&self.api, &mut session, &response, claims.as_ref(), bound)?;
        self.save_session(&session)?;
        Ok(session)
    }

    /// Keeps the account, its data and its queued work; drops the tokens.
    fn end_grant(&self, mut session: StoredSession) -> Result<()> {
        session.status = SessionStatus::SignInRequired;
        session.access_token.zeroize();
        session.access_token.clear();
        session.refresh_token = None;
        self.save_session(&session)
    }

    /// The session's DPoP key, if its tokens are bound.
    pub(crate) fn dpop_key(&self, session: &StoredSession) -> Result<Option<Arc<DpopKey>>> {
        let identity = self.identity()?;
        session
            .dpop_wrapped
            .as_deref()
            .map(|w| identity.dpop_key(w))
            .transpose()
    }

    /// Revokes the refresh token (best effort), wipes the account's tokens
    /// and key, and reports what is left queued. Device-level data stays.
    pub(crate) async fn logout(self: &Arc<Self>) -> Result<LogoutReport> {
        let identity = self.identity()?;
        let Some(session) = self.current_session()? else {
            return Err(PalmGovError::SignInRequired.into());
        };
        let mut revoked = false;
        let mut end_session_url = None;
        if let Ok(metadata) = identity.provider.metadata(&self.api).await {
            end_session_url = metadata.end_session_endpoint.as_ref().and_then(|e| {
                let mut url = url::Url::parse(e).ok()?;
                url.query_pairs_mut()
                    .append_pair("client_id", &identity.config.client_id)
                    .append_pair("id_token_hint", &session.id_token);
                Some(url.to_string())
            });
            if let (Some(token), Some(endpoint)) =
                (&session.refresh_token, &metadata.revocation_endpoint)
            {
                revoked = oauth::revoke(self, endpoint, &identity.config.client_id, token)
                    .await
                    .is_ok();
            }
        }
        let id = session.account_id.clone();
        drop(session);
        self.store.secure_delete(NS_SESSIONS, &id)?;
        self.store.secure_delete(NS_KEYS, &id)?;
        self.wipe_face_data(&id)?;
        if self.current_account()?.as_deref() == Some(id.as_str()) {
            self.store.secure_delete(NS_STATE, CURRENT)?;
        }
        self.forget_drafts();
        Ok(LogoutReport {
            revoked,
            end_session_url,
            // They stay queued under the account id and go out at the next
            // sync after this account signs in again.
            queued_submissions: self.queued_count(&id)?,
            pending_households: self.pending_household_count(&id)?,
        })
    }
}

pub(crate) fn response_id_token(response: &TokenResponse) -> Option<&str> {
    response.extra_fields().id_token.as_deref()
}

impl Identity {
    pub(crate) fn info(&self, s: &StoredSession) -> SessionInfo {
        let signed_in = self.level_of(s.acr.as_deref());
        let face = self.face_level(&s.account_id);
        SessionInfo {
            account_id: s.account_id.clone(),
            kind: s.kind,
            display_name: s.display_name.clone(),
            organisation: s.organisation.clone(),
            level: face.map_or(signed_in, |(l, _)| l.max(signed_in)),
            face_verified_until_ms: face.map(|(_, until)| until),
            status: s.status,
            access_expires_at_ms: s.expires_at * 1000,
            offline_until_ms: (s.last_refresh_at
                + i64::try_from(self.config.offline_grace_secs).unwrap_or(i64::MAX / 2))
                * 1000,
            dpop_bound: s.token_type.eq_ignore_ascii_case("DPoP"),
        }
    }

    /// Validates an ID token against the provider's keys, refetching them
    /// once when the token names a key we have not seen (a rotation).
    pub(crate) async fn check_id_token(
        &self,
        api: &ApiClient,
        token: &str,
        nonce: Option<&str>,
    ) -> Result<Claims> {
        let expected = Expected {
            issuer: self.provider.issuer(),
            client_id: &self.config.client_id,
            nonce,
            now: self.provider.corrected_now(api, None),
            skew: i64::try_from(self.config.max_clock_skew_secs).unwrap_or(120),
        };
        let keys: JwkSet = self.provider.keys(api, false).await?;
        let result = match idtoken::validate(token, &keys, &expected) {
            Err(idtoken::Rejection::Jws(JwsError::UnknownKey)) => {
                let keys = self.provider.keys(api, true).await?;
                idtoken::validate(token, &keys, &expected)
            }
            other => other,
        };
        result.map_err(|r| {
            PalmGovError::LoginRejected {
                reason: r.reason().into(),
            }
            .into()
        })
    }

    /// Copies a token response into the session. A DPoP-bound session that
    /// gets a Bearer token back was downgraded (by a proxy or a provider
    /// bug) and is refused.
    pub(crate) fn apply_tokens(
        &self,
        api: &ApiClient,
        session: &mut StoredSession,
        response: &TokenResponse,
        claims: Option<&Claims>,
        dpop: bool,
    ) -> Result<()> {
        use oauth2::TokenResponse as _;
        let token_type = match response.token_type() {
            oauth2::basic::BasicTokenType::Bearer => "Bearer".to_string(),
            oauth2::basic::BasicTokenType::Extension(t) => t.clone(),
            oauth2::basic::BasicTokenType::Mac => "MAC".to_string(),
        };
        if dpop && !token_type.eq_ignore_ascii_case("DPoP") {
            return Err(PalmGovError::LoginRejected {
                reason: "token.dpop_downgrade".into(),
            }
            .into());
        }
        let now = self.provider.corrected_now(api, None);
        session.access_token = response.access_token().secret().clone();
        session.token_type = token_type;
        if let Some(rt) = response.refresh_token() {
            session.refresh_token = Some(rt.secret().clone());
        }
        session.expires_at = now
            + response
                .expires_in()
                .map_or(300, |d| i64::try_from(d.as_secs()).unwrap_or(300));
        if let Some(id_token) = response_id_token(response) {
            session.id_token = id_token.to_string();
        }
        if let Some(c) = claims {
            session.acr = c.acr.clone().or(session.acr.take());
            session.display_name = c.name.clone().or(session.display_name.take());
            session.phone = c.phone_number.clone().or(session.phone.take());
            session.id_number = c.palmgov_id_number.clone().or(session.id_number.take());
        }
        session.last_refresh_at = now;
        session.clock_offset = self.provider.clock_offset().or(session.clock_offset);
        session.status = SessionStatus::Active;
        Ok(())
    }

    /// A new, random identifier for state, nonce or the like.
    pub(crate) fn random_id() -> Result<String> {
        Ok(super::jose::b64(&random_bytes(24)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::default_identity_config;
    use crate::net::default_server_config;
    use crate::net::retry::{SystemClock, TokioSleeper};
    use oauth2::basic::BasicTokenType;
    use oauth2::{AccessToken, StandardTokenResponse};

    fn session() -> StoredSession {
        StoredSession {
            account_id: "a".into(),
            issuer: "https://id.example".into(),
            subject: "s".into(),
            kind: AccountKind::NaturalPerson,
            display_name: None,
            organisation: None,
            phone: None,
            id_number: None,
            status: SessionStatus::Active,
            access_token: String::new(),
            token_type: String::new(),
            refresh_token: Some("old-refresh".into()),
            id_token: String::new(),
            expires_at: 0,
            acr: None,
            last_refresh_at: 0,
            clock_offset: None,
            dpop_wrapped: None,
        }
    }

    fn parts() -> (Identity, ApiClient) {
        let keystore: Arc<dyn crate::hooks::Keystore> =
            Arc::new(crate::software::SoftwareKeystore::from_secret(&[1; 32]).unwrap());
        let identity = Identity::new(
            default_identity_config("https://id.example".into(), "app".into(), "app:/cb".into()),
            keystore,
        )
        .unwrap();
        let api = ApiClient::new(
            &default_server_config("https://api.example/".into()),
            Arc::new(TokioSleeper),
            Arc::new(SystemClock),
        )
        .unwrap();
        (identity, api)
    }

    #[test]
    fn a_dpop_session_refuses_a_bearer_token() {
        let (identity, api) = parts();
        let response = StandardTokenResponse::new(
            AccessToken::new("at".into()),
            BasicTokenType::Bearer,
            oauth::OidcFields::default(),
        );
        let mut s = session();
        let error = identity
            .apply_tokens(&api, &mut s, &response, None, true)
            .unwrap_err();
        assert_eq!(
            PalmGovError::from(error),
            PalmGovError::LoginRejected {
                reason: "token.dpop_downgrade".into()
            }
        );
        assert!(
            s.access_token.is_empty(),
            "nothing was taken from the refused response"
        );
    }

    #[test]
    fn a_response_without_a_new_refresh_token_keeps_the_old_one() {
        let (identity, api) = parts();
        let response = StandardTokenResponse::new(
            AccessToken::new("at".into()),
            BasicTokenType::Extension("DPoP".into()),
            oauth::OidcFields::default(),
        );
        let mut s = session();
        identity
            .apply_tokens(&api, &mut s, &response, None, true)
            .unwrap();
        assert_eq!(s.refresh_token.as_deref(), Some("old-refresh"));
        assert_eq!(s.token_type, "DPoP");
    }

    #[test]
    fn levels_map_to_acr_values() {
        let (identity, _) = parts();
        assert_eq!(identity.level_of(None), 2);
        assert_eq!(identity.level_of(Some("urn:palmgov:loa:4")), 4);
        assert_eq!(identity.level_of(Some("urn:other")), 2);
        assert_eq!(identity.acr_for(5).unwrap(), "urn:palmgov:loa:5");
        assert!(identity.acr_for(6).is_err());
        assert!(identity.acr_for(1).is_err());
    }

    #[test]
    fn account_ids_are_stable_and_not_the_subject() {
        let a = account_id("https://id.example", "110101199003074258");
        assert_eq!(a, account_id("https://id.example", "110101199003074258"));
        assert_ne!(a, account_id("https://other.example", "110101199003074258"));
        assert!(!a.contains("110101"));
        assert_eq!(a.len(), 32);
    }
}

#[cfg(test)]
mod dpop_cache_tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;
    use crate::hooks::{HookError, Keystore};
    use crate::identity::default_identity_config;
    use crate::software::SoftwareKeystore;

    /// Counts unwraps: each one is a hardware operation on a phone.
    struct Counting(SoftwareKeystore, AtomicUsize);

    impl Keystore for Counting {
        fn wrap_key(&self, alias: String, key: Vec<u8>) -> Result<Vec<u8>, HookError> {
            self.0.wrap_key(alias, key)
        }
        fn unwrap_key(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, HookError> {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.unwrap_key(alias, wrapped)
        }
        fn device_public_key(&self, alias: String) -> Result<Vec<u8>, HookError> {
            self.0.device_public_key(alias)
        }
        fn sign(&self, alias: String, message: Vec<u8>) -> Result<Vec<u8>, HookError> {
            self.0.sign(alias, message)
        }
    }

    #[test]
    fn the_dpop_key_is_unwrapped_once_not_per_request() {
        let keystore = Arc::new(Counting(
            SoftwareKeystore::from_secret(&[3; 32]).unwrap(),
            AtomicUsize::new(0),
        ));
        let identity = Identity::new(
            default_identity_config("https://id.example".into(), "app".into(), "app:/cb".into()),
            keystore.clone(),
        )
        .unwrap();
        let key = DpopKey::generate().unwrap();
        let wrapped = identity.wrap_dpop(&key).unwrap();
        for _ in 0..3 {
            assert_eq!(
                identity.dpop_key(&wrapped).unwrap().thumbprint(),
                key.thumbprint()
            );
        }
        assert_eq!(keystore.1.load(Ordering::SeqCst), 1);
        // Another key (a new sign-in) is unwrapped, not confused with the cached one.
        let other = identity.wrap_dpop(&DpopKey::generate().unwrap()).unwrap();
        assert_ne!(
            identity.dpop_key(&other).unwrap().thumbprint(),
            key.thumbprint()
        );
        assert_eq!(keystore.1.load(Ordering::SeqCst), 2);
    }
}
