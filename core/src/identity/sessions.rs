//! Stored sessions: one per account, each sealed under its own account key,
//! which is itself stored under the install's data key (wrapped by the
//! keystore hook). Signing out destroys the account key, so nothing of that
//! account's personal data stays readable, while device-level data (drafts,
//! the outbox) is untouched.

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::oauth;
use super::{AccountKind, AccountSummary, Active, IdentityService, SessionInfo, SessionStatus};
use crate::crypto::DataKey;
use crate::error::{PalmGovError, Result};
use crate::gate::Unlocked;

const NS_KEYS: &str = "palmgov.identity.account_keys";
const NS_SESSIONS: &str = "palmgov.identity.sessions";
const NS_STATE: &str = "palmgov.identity";
const CURRENT: &str = "current";

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
    #[serde(default)]
    pub birth_date: Option<String>,
    pub status: SessionStatus,
    pub access_token: String,
    /// `DPoP` or `Bearer`.
    pub token_type: String,
    pub refresh_token: Option<String>,
    pub id_token: String,
    /// Access token expiry, provider clock, seconds.
    pub expires_at: i64,
    pub acr: Option<String>,
    /// When the person last authenticated at the provider (provider clock,
    /// seconds), when the ID token said.
    #[serde(default)]
    pub auth_time: Option<i64>,
    /// When the current refresh token was first sent without a reply coming
    /// back (provider clock, seconds): it may be spent (`refresh.rs`).
    #[serde(default)]
    pub refresh_sent_at: Option<i64>,
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
        for value in [&mut self.id_number, &mut self.phone, &mut self.birth_date] {
            if let Some(v) = value.as_mut() {
                v.zeroize();
            }
        }
        if let Some(n) = self.display_name.as_mut() {
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
    crate::crypto::hex(&ctx.finish().as_ref()[..16])
}

fn context(account_id: &str) -> Vec<u8> {
    format!("identity.session\0{account_id}").into_bytes()
}

/// The signed-in person's own profile values, for forms that prefill from
/// the operator. Personal: only for calls behind the app lock.
pub(crate) struct Profile {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

/// What signing the current account out did at the provider.
pub(crate) struct SignedOut {
    pub account_id: String,
    /// Whether the provider confirmed the refresh token's revocation.
    pub revoked: bool,
    /// The provider's end-session URL to open in the browser, if it has one.
    pub end_session_url: Option<String>,
}

impl IdentityService {
    /// The key that seals an account's own data beyond its session (the
    /// grid a worker's roster holds). `None` once the account signed out:
    /// signing out destroys it.
    pub(crate) fn account_key(&self, account_id: &str) -> Result<Option<DataKey>> {
        self.load_account_key(account_id, false)
    }

    fn load_account_key(&self, account_id: &str, create: bool) -> Result<Option<DataKey>> {
        let store = &self.ctx.store;
        if let Some(raw) = store.secure_get(NS_KEYS, account_id)? {
            return Ok(Some(DataKey::from_bytes(&raw)?));
        }
        if !create {
            return Ok(None);
        }
        let (key, raw) = DataKey::generate()?;
        store.secure_put_durable(NS_KEYS, account_id, &raw)?;
        Ok(Some(key))
    }

    /// Saves a session durably and makes it the current account.
    pub(crate) fn save_session(&self, session: &StoredSession) -> Result<()> {
        let key = self
            .load_account_key(&session.account_id, true)?
            .ok_or(PalmGovError::Decryption)?;
        let json = Zeroizing::new(serde_json::to_vec(session)?);
        let sealed = key.seal(&context(&session.account_id), &json)?;
        let store = &self.ctx.store;
        store.secure_put_durable(NS_SESSIONS, &session.account_id, &sealed)?;
        self.make_current(&session.account_id)
    }

    fn make_current(&self, account_id: &str) -> Result<()> {
        self.ctx
            .store
            .secure_put_durable(NS_STATE, CURRENT, account_id.as_bytes())?;
        self.ctx.set_current_account(Some(account_id.to_string()));
        Ok(())
    }

    pub(crate) fn load_session(&self, account_id: &str) -> Result<Option<StoredSession>> {
        match self.ctx.store.secure_get(NS_SESSIONS, account_id)? {
            Some(sealed) => self.open_session(account_id, &sealed),
            None => Ok(None),
        }
    }

    /// Decrypts a session record with its account key; `None` once the
    /// account key is gone (signed out).
    fn open_session(&self, account_id: &str, sealed: &[u8]) -> Result<Option<StoredSession>> {
        let Some(key) = self.load_account_key(account_id, false)? else {
            return Ok(None);
        };
        let json = key.open(&context(account_id), sealed)?;
        Ok(Some(
            serde_json::from_slice(&json).map_err(|_| PalmGovError::Decryption)?,
        ))
    }

    /// The account recorded as current, read once at open.
    pub(super) fn stored_current_account(&self) -> Result<Option<String>> {
        Ok(self
            .ctx
            .store
            .secure_get(NS_STATE, CURRENT)?
            .and_then(|v| String::from_utf8(v.to_vec()).ok()))
    }

    /// The current account's session, whatever its status.
    pub(crate) fn current_session(&self) -> Result<Option<StoredSession>> {
        match self.ctx.current_account() {
            Some(id) => self.load_session(&id),
            None => Ok(None),
        }
    }

    /// The session, if it can be used: works offline, and refuses with
    /// `SignInRequired` when there is none or it can no longer be used
    /// offline. For the core's own checks; what a screen shows goes
    /// through [`IdentityService::session`].
    pub(crate) fn usable_info(&self) -> Result<SessionInfo> {
        let active = self.active()?;
        let session = self
            .current_session()?
            .ok_or(PalmGovError::SignInRequired)?;
        let info = self.info(&active, &session);
        let now = self.trusted_now(
            active
                .provider
                .corrected_now(&self.ctx.api(), session.clock_offset),
        );
        if info.status != SessionStatus::Active || info.offline_until_ms / 1000 < now {
            return Err(PalmGovError::SignInRequired.into());
        }
        Ok(info)
    }

    /// The session for display. Works offline.
    pub(crate) fn session(&self, _: &Unlocked) -> Result<SessionInfo> {
        self.usable_info()
    }

    /// The signed-in person's profile values, for prefilling forms.
    pub(crate) fn profile(&self, _: &Unlocked) -> Result<Option<Profile>> {
        if self.ctx.config().identity.is_none() {
            return Ok(None);
        }
        Ok(self.current_session()?.map(|s| Profile {
            name: s.display_name.clone(),
            id_number: s.id_number.clone(),
            phone: s.phone.clone(),
            birth_date: s.birth_date.clone(),
        }))
    }

    /// Every account on the device, current first.
    pub(crate) fn accounts(&self, _: &Unlocked) -> Result<Vec<AccountSummary>> {
        let active = self.active()?;
        let current = self.ctx.current_account();
        let mut out = Vec::new();
        // One read of all records; each is then opened with its account key.
        for entry in self.ctx.store.secure_list(NS_SESSIONS)? {
            if let Some(session) = self.open_session(&entry.key, &entry.value)? {
                out.push(AccountSummary {
                    current: current.as_deref() == Some(entry.key.as_str()),
                    session: self.info(&active, &session),
                });
            }
        }
        out.sort_by_key(|a| !a.current);
        Ok(out)
    }

    /// The accounts of the earlier providers `issuers` that belong to the
    /// same person as `account_id`: the resident ID number each provider
    /// vouched for in its ID token is the same. What a sign-in with a
    /// region's new provider takes over.
    pub(crate) fn predecessors(&self, account_id: &str, issuers: &[String]) -> Result<Vec<String>> {
        let Some(id_number) = self
            .load_session(account_id)?
            .and_then(|s| s.id_number.clone())
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for entry in self.ctx.store.secure_list(NS_SESSIONS)? {
            if entry.key == account_id {
                continue;
            }
            if let Some(old) = self.open_session(&entry.key, &entry.value)?
                && issuers.contains(&old.issuer)
                && old.id_number.as_deref() == Some(id_number.as_str())
            {
                out.push(old.account_id.clone());
            }
        }
        Ok(out)
    }

    /// Removes an account's session and key from the phone without asking
    /// its provider, which the region no longer uses.
    pub(crate) fn forget_account(&self, account_id: &str) -> Result<()> {
        let store = &self.ctx.store;
        store.secure_delete(NS_SESSIONS, account_id)?;
        store.secure_delete(NS_KEYS, account_id)?;
        self.forget_grant(account_id);
        Ok(())
    }

    /// No account is current any more (the region changed its provider):
    /// every session stays, for the new provider's account to take over.
    pub(crate) fn clear_current(&self) -> Result<()> {
        self.ctx.store.secure_delete(NS_STATE, CURRENT)?;
        self.ctx.set_current_account(None);
        Ok(())
    }

    /// Makes another signed-in account current.
    pub(crate) fn switch_account(&self, _: &Unlocked, account_id: &str) -> Result<SessionInfo> {
        if self.load_session(account_id)?.is_none() {
            return Err(PalmGovError::InvalidInput {
                field: "account_id".into(),
            }
            .into());
        }
        self.make_current(account_id)?;
        self.usable_info()
    }

    /// Signs the current account out: revokes its refresh token at the
    /// provider (best effort), then wipes its tokens and its account key.
    /// What else the account leaves behind is the caller's (the sign-out
    /// coordinator's) to settle.
    pub(crate) async fn sign_out(&self) -> Result<SignedOut> {
        let active = self.active()?;
        let api = self.ctx.api();
        let Some(session) = self.current_session()? else {
            return Err(PalmGovError::SignInRequired.into());
        };
        let mut revoked = false;
        let mut end_session_url = None;
        if let Ok(metadata) = active.provider.metadata(&api).await {
            end_session_url = metadata.end_session_endpoint.as_ref().and_then(|e| {
                // RP-initiated logout by client id alone: an ID token as
                // `id_token_hint` would put the person's name, ID number
                // and phone into browser history and the provider's and
                // proxies' logs. Without a hint the provider asks the
                // person to confirm, which is right for a shared phone.
                let mut url = url::Url::parse(e).ok()?;
                url.query_pairs_mut()
                    .append_pair("client_id", &active.config.client_id);
                Some(url.to_string())
            });
            if let (Some(token), Some(endpoint)) =
                (&session.refresh_token, &metadata.revocation_endpoint)
            {
                revoked = oauth::revoke(
                    &api,
                    &active.provider,
                    endpoint,
                    &active.config.client_id,
                    token,
                )
                .await
                .is_ok();
            }
        }
        let id = session.account_id.clone();
        drop(session);
        let store = &self.ctx.store;
        store.secure_delete(NS_SESSIONS, &id)?;
        store.secure_delete(NS_KEYS, &id)?;
        self.forget_grant(&id);
        if self.ctx.current_account().as_deref() == Some(id.as_str()) {
            store.secure_delete(NS_STATE, CURRENT)?;
            self.ctx.set_current_account(None);
        }
        Ok(SignedOut {
            account_id: id,
            revoked,
            end_session_url,
        })
    }

    /// A session as the app may show it, with its level raised by a
    /// current grant. A sign-in above L3 counts as such only for
    /// `strong_level_secs` after the person authenticated (`auth_time`),
    /// like a face verdict; then, and when the provider did not say when,
    /// as L3 (the person's identity was checked; the strong proof is old).
    pub(crate) fn info(&self, active: &Active, s: &StoredSession) -> SessionInfo {
        let acr_level = active.level_of(s.acr.as_deref());
        let signed_in = if acr_level > 3 {
            let now = self.trusted_now(
                active
                    .provider
                    .corrected_now(&self.ctx.api(), s.clock_offset),
            );
            let hold = i64::try_from(active.config.strong_level_secs).unwrap_or(i64::MAX / 2);
            match s.auth_time {
                Some(at) if now.saturating_sub(at) <= hold => acr_level,
                _ => 3,
            }
        } else {
            acr_level
        };
        let granted = self.granted_level(&s.account_id);
        SessionInfo {
            account_id: s.account_id.clone(),
            kind: s.kind,
            display_name: s.display_name.clone(),
            organisation: s.organisation.clone(),
            level: granted.map_or(signed_in, |(l, _)| l.max(signed_in)),
            face_verified_until_ms: granted.map(|(_, until)| until),
            status: s.status,
            access_expires_at_ms: s.expires_at * 1000,
            offline_until_ms: (s.last_refresh_at
                + i64::try_from(active.config.offline_grace_secs).unwrap_or(i64::MAX / 2))
                * 1000,
            dpop_bound: s.token_type.eq_ignore_ascii_case("DPoP"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_stable_and_not_the_subject() {
        let a = account_id("https://id.example", "110101199003074258");
        assert_eq!(a, account_id("https://id.example", "110101199003074258"));
        assert_ne!(a, account_id("https://other.example", "110101199003074258"));
        assert!(!a.contains("110101"));
        assert_eq!(a.len(), 32);
    }
}
