//! The sign-in flow: authorization code with PKCE (S256) through the system
//! browser (RFC 8252), in two steps so it survives the OS killing the app:
//!
//! 1. [`IdentityService::begin_login`] discovers the provider, makes state, nonce, the
//!    PKCE verifier and (for DPoP) a key, stores them durably and encrypted,
//!    and returns the URL to open.
//! 2. [`IdentityService::complete_login`] takes the callback URL, even in a new
//!    process, consumes the pending login exactly once, checks the callback
//!    (RFC 9207 `iss`, `state`, `error`), exchanges the code and validates
//!    the ID token.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::dpop::DpopKey;
use super::oauth;
use super::sessions::{StoredSession, account_id};
use super::tokens::{random_id, response_id_token};
use super::{AccountKind, IdentityService, LoginOptions, LoginRequest, SessionInfo, SessionStatus};
use crate::clock::now_unix;
use crate::error::{PalmGovError, Result};

const NS_PENDING: &str = "palmgov.identity.pending";
/// A login not completed within this time is refused: the browser tab was
/// abandoned, and its code has long expired at the provider anyway.
const PENDING_TTL_SECS: i64 = 30 * 60;

/// A started sign-in, stored until its callback arrives.
#[derive(Serialize, Deserialize)]
struct Pending {
    nonce: String,
    verifier: String,
    redirect_uri: String,
    issuer: String,
    created_at: i64,
    /// The level asked for, so a step-up that comes back lower is refused.
    level: Option<u8>,
    /// Only this account may complete the sign-in (resetting the app PIN:
    /// someone else's sign-in is refused before anything is kept).
    #[serde(default)]
    expect_account: Option<String>,
    /// `max_age=0` was sent: the ID token must say the person just
    /// authenticated.
    #[serde(default)]
    fresh: bool,
    dpop_wrapped: Option<Vec<u8>>,
}

fn rejected(reason: &str) -> PalmGovError {
    PalmGovError::LoginRejected {
        reason: reason.into(),
    }
}

/// A step-up's `auth_time` (provider seconds): present, and not before the
/// sign-in `began` (less `skew`).
fn check_auth_time(auth_time: Option<i64>, began: i64, skew: i64) -> Result<()> {
    match auth_time {
        Some(at) if at + skew >= began => Ok(()),
        Some(_) => Err(rejected("token.auth_time_stale").into()),
        None => Err(rejected("token.no_auth_time").into()),
    }
}

/// The pending-login key for a state: its hash, so the state itself (a
/// bearer secret until the callback) is not written even encrypted.
fn pending_key(state: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, state.as_bytes());
    super::jose::b64(digest.as_ref())
}

impl IdentityService {
    pub(crate) async fn begin_login(&self, options: &LoginOptions) -> Result<LoginRequest> {
        self.begin_login_as(options, None).await
    }

    /// [`IdentityService::begin_login`] that only `expect_account` may
    /// complete: how the app PIN's owner proves who they are.
    pub(crate) async fn begin_login_as(
        &self,
        options: &LoginOptions,
        expect_account: Option<String>,
    ) -> Result<LoginRequest> {
        let active = self.active()?;
        let api = self.ctx.api();
        let config = &active.config;
        let metadata = active.provider.metadata(&api).await?;
        let client = oauth::client(metadata, &config.client_id, &config.redirect_uri)?;
        let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
        let nonce = random_id()?;
        let dpop = if config.use_dpop && metadata.supports_dpop_es256() {
            Some(DpopKey::generate()?)
        } else {
            None
        };
        let mut request = client
            .authorize_url(oauth2::CsrfToken::new_random)
            .set_pkce_challenge(challenge)
            .add_scopes(config.scopes.iter().cloned().map(oauth2::Scope::new))
            .add_extra_param("nonce", nonce.clone());
        if let Some(level) = options.level {
            request = request.add_extra_param("acr_values", active.acr_for(level)?.to_string());
        }
        // A step-up, and a sign-in that resets the app PIN, must
        // authenticate now, not reuse an older login in the browser.
        let fresh = options.level.is_some() || expect_account.is_some();
        if fresh {
            request = request.add_extra_param("max_age", "0");
        }
        if options.force_reauthentication || fresh {
            request = request.add_extra_param("prompt", "login");
        }
        // A login hint is personal (a phone number): it goes to the
        // provider only inside a pushed request, never in a URL.
        let par = metadata.pushed_authorization_request_endpoint.as_deref();
        match (&options.login_hint, par) {
            (Some(hint), Some(_)) => request = request.add_extra_param("login_hint", hint.clone()),
            (Some(_), None) => {
                tracing::warn!("login hint dropped: the provider has no PAR endpoint")
            }
            (None, _) => {}
        }
        if let Some(key) = &dpop {
            // RFC 9449 §10: bind the code to our key, so a stolen code is useless.
            request = request.add_extra_param("dpop_jkt", key.thumbprint());
        }
        let (url, state) = request.url();
        let url = match par {
            Some(endpoint) => {
                oauth::push_authorization(&api, &active.provider, endpoint, &config.client_id, &url)
                    .await?
            }
            None => url,
        };
        let dpop_wrapped = dpop.as_ref().map(|k| self.wrap_dpop(k)).transpose()?;
        let pending = Pending {
            nonce,
            verifier: verifier.into_secret(),
            redirect_uri: config.redirect_uri.clone(),
            issuer: active.provider.issuer().to_string(),
            created_at: now_unix(),
            level: options.level,
            dpop_wrapped,
            expect_account,
            fresh,
        };
        let json = Zeroizing::new(serde_json::to_vec(&pending)?);
        self.ctx
            .store
            .secure_put_durable(NS_PENDING, &pending_key(state.secret()), &json)?;
        self.drop_stale_logins()?;
        Ok(LoginRequest {
            url: url.to_string(),
            redirect_uri: config.redirect_uri.clone(),
        })
    }

    /// Forgets logins abandoned in the browser.
    fn drop_stale_logins(&self) -> Result<()> {
        let store = &self.ctx.store;
        for entry in store.secure_list(NS_PENDING)? {
            if entry.updated_at < now_unix() - PENDING_TTL_SECS {
                store.secure_delete(NS_PENDING, &entry.key)?;
            }
        }
        Ok(())
    }

    /// Finishes a sign-in with the callback URL the browser delivered. The
    /// person's own session comes back: signing in is how a person gets in,
    /// so it is not behind the app lock.
    pub(crate) async fn complete_login(&self, callback_url: &str) -> Result<SessionInfo> {
        self.complete_login_as(callback_url, None).await
    }

    /// [`IdentityService::complete_login`] for a sign-in that only
    /// `expect_account` may complete, begun with
    /// [`IdentityService::begin_login_as`]: a callback of any other pending
    /// sign-in (one an attacker started and had delivered here) is refused
    /// before its code is exchanged.
    pub(crate) async fn complete_login_as(
        &self,
        callback_url: &str,
        expect_account: Option<&str>,
    ) -> Result<SessionInfo> {
        let active = self.active()?;
        let api = self.ctx.api();
        let callback = url::Url::parse(callback_url).map_err(|_| rejected("callback.url"))?;
        let redirect =
            url::Url::parse(&active.config.redirect_uri).map_err(|_| rejected("callback.url"))?;
        // Exact redirect match: same scheme, authority and path.
        let mut bare = callback.clone();
        bare.set_query(None);
        bare.set_fragment(None);
        if bare != redirect {
            return Err(rejected("callback.redirect_uri").into());
        }
        let param = |name: &str| {
            callback
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let state = param("state").ok_or_else(|| rejected("callback.state"))?;
        // Consumed before anything else: a replayed callback finds nothing.
        let pending = self
            .ctx
            .store
            .secure_take(NS_PENDING, &pending_key(&state))?
            .ok_or_else(|| rejected("callback.state"))?;
        let pending: Pending =
            serde_json::from_slice(&pending).map_err(|_| PalmGovError::Decryption)?;
        if pending.created_at < now_unix() - PENDING_TTL_SECS {
            return Err(rejected("callback.expired").into());
        }
        if pending.issuer != active.provider.issuer() {
            return Err(rejected("callback.issuer_changed").into());
        }
        if expect_account.is_some() && pending.expect_account.as_deref() != expect_account {
            tracing::warn!("a callback of another sign-in was offered to reset the app PIN");
            return Err(PalmGovError::PinRecoveryRefused.into());
        }
        let metadata = active.provider.metadata(&api).await?;
        // RFC 9207: a callback from another provider (mix-up attack) is refused.
        match param("iss") {
            Some(iss) if iss != pending.issuer => return Err(rejected("callback.iss").into()),
            None if metadata.authorization_response_iss_parameter_supported => {
                return Err(rejected("callback.iss").into());
            }
            _ => {}
        }
        if let Some(error) = param("error") {
            return Err(PalmGovError::LoginFailed {
                oauth_error: oauth::sanitize_code(&error),
            }
            .into());
        }
        let code = param("code").ok_or_else(|| rejected("callback.code"))?;
        let client = oauth::client(metadata, &active.config.client_id, &pending.redirect_uri)?;
        let dpop = pending
            .dpop_wrapped
            .as_deref()
            .map(|w| self.dpop_key(w))
            .transpose()?;
        let response = client
            .exchange_code(oauth2::AuthorizationCode::new(code))
            .set_pkce_verifier(oauth2::PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&oauth::Http {
                api: api.clone(),
                provider: active.provider.clone(),
                dpop: dpop.clone(),
                offset: None,
            })
            .await
            .map_err(|e| match oauth::classify(e) {
                // A replayed, expired or foreign code, or a wrong verifier.
                oauth::TokenFailure::GrantEnded => rejected("token.invalid_grant").into(),
                oauth::TokenFailure::Other(e) => e,
            })?;
        let id_token = response_id_token(&response).ok_or_else(|| rejected("token.no_id_token"))?;
        let claims = active
            .check_id_token(&api, id_token, Some(&pending.nonce))
            .await?;
        // A step-up sent `max_age=0`: the provider must say when the person
        // authenticated (OpenID Connect Core §3.1.2.1), and it must be
        // after this sign-in began, or an older login was passed off as
        // the fresh one asked for.
        if pending.fresh || pending.level.is_some() {
            let began = pending.created_at + active.provider.clock_offset(&api).unwrap_or(0);
            let skew = i64::try_from(active.config.max_clock_skew_secs).unwrap_or(i64::MAX / 2);
            check_auth_time(claims.auth_time, began, skew)?;
        }
        let signed_in = account_id(&claims.iss, &claims.sub);
        if pending
            .expect_account
            .as_ref()
            .is_some_and(|expected| *expected != signed_in)
        {
            tracing::warn!("a sign-in to reset the app PIN was by someone else; nothing kept");
            return Err(PalmGovError::PinRecoveryRefused.into());
        }
        let legal = claims.palmgov_account_type.as_deref() == Some("legal");
        let mut session = StoredSession {
            account_id: signed_in,
            issuer: claims.iss.clone(),
            subject: claims.sub.clone(),
            kind: if legal {
                AccountKind::LegalPerson
            } else {
                AccountKind::NaturalPerson
            },
            display_name: None,
            organisation: claims.palmgov_org_name.clone().filter(|_| legal),
            phone: None,
            id_number: None,
            birth_date: None,
            status: SessionStatus::Active,
            access_token: String::new(),
            token_type: String::new(),
            refresh_token: None,
            id_token: String::new(),
            expires_at: 0,
            acr: None,
            auth_time: None,
            refresh_sent_at: None,
            last_refresh_at: 0,
            clock_offset: None,
            dpop_wrapped: pending.dpop_wrapped.clone(),
        };
        active.apply_tokens(&api, &mut session, &response, Some(&claims), dpop.is_some())?;
        let info = self.info(&active, &session);
        if let Some(level) = pending.level
            && info.level < level
        {
            return Err(PalmGovError::LevelRequired { level }.into());
        }
        self.save_session(&session)?;
        tracing::info!(level = info.level, dpop = info.dpop_bound, "signed in");
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_up_needs_a_fresh_auth_time() {
        let began = 1_796_000_000;
        assert!(check_auth_time(Some(began + 3), began, 120).is_ok());
        assert!(
            check_auth_time(Some(began - 100), began, 120).is_ok(),
            "within the skew"
        );
        let stale =
            PalmGovError::from(check_auth_time(Some(began - 3600), began, 120).unwrap_err());
        assert_eq!(stale, rejected("token.auth_time_stale"));
        let missing = PalmGovError::from(check_auth_time(None, began, 120).unwrap_err());
        assert_eq!(missing, rejected("token.no_auth_time"));
    }
}
