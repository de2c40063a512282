//! Unified identity login (统一身份认证): OpenID Connect for native apps.
//!
//! What AppAuth gets wrong and this capability does not:
//! - ID token signatures are verified ([`idtoken`], [`jose`]) on ring.
//! - The pending login (state, nonce, PKCE verifier) and the session are
//!   stored encrypted, durably, so a callback that arrives after the OS
//!   killed the app still completes, exactly once ([`login`]).
//! - Concurrent callers near expiry trigger exactly one refresh
//!   ([`refresh`]), safe under refresh-token rotation.
//! - Times are judged on a clock corrected by the provider's `Date` header
//!   ([`provider`]).
//!
//! The [`IdentityService`] is the first capability: the others use it to
//! act for the signed-in account ([`authorized`]) and to read its level
//! ([`levels`]). Its tables are the `palmgov.identity.*` secure records.
//!
//! Submodules: [`provider`] (discovery, keys, clock), [`oauth`] (the
//! `oauth2` crate on our HTTP client), [`dpop`] (RFC 9449), [`sessions`]
//! (stored sessions and accounts), [`refresh`], [`tokens`] (what a token
//! response changes), [`levels`] (assurance levels and time-limited
//! grants such as a face verdict), [`login`] (the flow).

pub(crate) mod authorized;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod bench;
pub(crate) mod dpop;
mod flight;
mod high_water;
pub(crate) mod idtoken;
pub(crate) mod jose;
pub(crate) mod key_cache;
pub(crate) mod levels;
pub(crate) mod login;
pub(crate) mod oauth;
pub(crate) mod provider;
pub(crate) mod refresh;
pub(crate) mod sessions;
pub(crate) mod tokens;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

use crate::config::IdentityConfig;
use crate::context::Context;
use crate::error::{PalmGovError, Result};
use crate::redact::redacted;
use crate::store::keystore_error;
use dpop::DpopKey;
use levels::LevelGrants;
use provider::Provider;

/// Keystore alias for wrapping DPoP keys.
const DPOP_ALIAS: &str = "palmgov.dpop";

/// Whose account a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, uniffi::Enum)]
pub enum AccountKind {
    /// 自然人: a resident acting for themselves.
    NaturalPerson,
    /// 法人: an organisation, acting through an agent (经办人) who signs in.
    LegalPerson,
}

/// Whether a stored session can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, uniffi::Enum)]
pub enum SessionStatus {
    /// Tokens are held; network calls refresh them as needed.
    Active,
    /// The provider ended the grant (expired, revoked, or a lost rotating
    /// refresh). Local data is kept; sign in again to resume.
    SignInRequired,
}

/// A session as the app may show it. No tokens. Prints without the
/// person's or the organisation's name.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SessionInfo {
    /// A stable, non-personal id for the account on this device.
    pub account_id: String,
    pub kind: AccountKind,
    /// The name the provider gave, for the account switcher.
    pub display_name: Option<String>,
    /// For a legal person, the organisation's name.
    pub organisation: Option<String>,
    /// The assurance level (2–5) now: the sign-in's, raised by a current
    /// face verdict.
    pub level: u8,
    /// Until when a face verdict raises `level` (device clock, ms).
    pub face_verified_until_ms: Option<i64>,
    pub status: SessionStatus,
    /// When the access token expires, in ms since the epoch (provider clock).
    pub access_expires_at_ms: i64,
    /// Until when the session may be opened offline, in ms since the epoch.
    pub offline_until_ms: i64,
    /// Whether the tokens are DPoP-bound to this install.
    pub dpop_bound: bool,
}

redacted!(SessionInfo {
    account_id,
    kind,
    level,
    face_verified_until_ms,
    status,
    access_expires_at_ms,
    offline_until_ms,
    dpop_bound,
});

/// An account on this device, for the switcher.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccountSummary {
    pub session: SessionInfo,
    pub current: bool,
}

/// Extra wishes for a sign-in. Prints without the login hint.
#[derive(Clone, Default, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct LoginOptions {
    /// Ask the provider for at least this assurance level (step-up).
    #[uniffi(default = None)]
    pub level: Option<u8>,
    /// Make the person authenticate again even with a provider session.
    #[uniffi(default = false)]
    pub force_reauthentication: bool,
    /// Prefill the provider's login form (a phone number, say). Sent to the
    /// provider only inside a pushed authorization request (RFC 9126), so
    /// never in a URL; dropped when the provider offers none. Never stored.
    #[uniffi(default = None)]
    pub login_hint: Option<String>,
}

redacted!(LoginOptions {
    level,
    force_reauthentication,
});

/// The URL to open in the system browser.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoginRequest {
    pub url: String,
    pub redirect_uri: String,
}

/// How the backend sees the signed-in account (`GET /v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, uniffi::Record)]
pub struct BackendSession {
    /// Whether the backend checked a DPoP proof for the token.
    pub dpop_bound: bool,
    /// The level the backend grants the account as a whole: the provider's
    /// `acr`. A face verdict raises only the operations it was issued for,
    /// which `check_backend_level` asks about.
    #[serde(default)]
    pub level: u8,
}

/// The backend's answer to an operation that needs a level
/// (`GET /v1/assurance/{level}`), when the account has it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, uniffi::Record)]
pub struct BackendLevel {
    pub level: u8,
    /// Until when the backend's face verdict holds (backend clock, ms).
    #[serde(default)]
    pub face_verified_until_ms: Option<i64>,
}

/// The identity capability of one open core.
pub(crate) struct IdentityService {
    ctx: Arc<Context>,
    /// The provider of the configuration in force, rebuilt when a reload
    /// changes it.
    active: Mutex<Option<Arc<Active>>>,
    /// Serialises refreshes: concurrent callers wait here and reuse the
    /// result instead of each spending the (rotating) refresh token. Shared
    /// by every core open on the same data directory ([`flight`]).
    refresh_lock: Arc<tokio::sync::Mutex<()>>,
    /// This service, for the refresh task that outlives its caller.
    me: std::sync::Weak<IdentityService>,
    /// Refresh requests sent, for diagnostics and the single-flight bench.
    pub(crate) refreshes: AtomicU64,
    /// The last DPoP key unwrapped, with its wrapped form: every backend
    /// request signs a proof, and a hardware unwrap per request would cost
    /// milliseconds on a phone.
    dpop_cache: Mutex<Option<(Vec<u8>, Arc<DpopKey>)>>,
    /// The backend's latest `DPoP-Nonce` (RFC 9449 section 9), echoed in
    /// every proof to it until it sends another.
    backend_nonce: Mutex<Option<String>>,
    /// Levels raised for a while (a face verdict), per account.
    grants: LevelGrants,
    high_water: high_water::HighWater,
}

/// The identity provider of the configuration in force.
pub(crate) struct Active {
    pub(crate) config: IdentityConfig,
    pub(crate) provider: Arc<Provider>,
    generation: u64,
}

impl Active {
    #[cfg(test)]
    pub(crate) fn for_tests(config: IdentityConfig, provider: Arc<Provider>) -> Self {
        Self {
            config,
            provider,
            generation: 0,
        }
    }
}

impl IdentityService {
    /// The service over `ctx`, with the signed-in account (if any) made the
    /// context's current one.
    pub(crate) fn new(ctx: Arc<Context>) -> Result<Arc<Self>> {
        let refresh_lock = flight::refresh_lock_for(ctx.store.dir());
        let service = Arc::new_cyclic(|me| Self {
            ctx,
            me: me.clone(),
            active: Mutex::new(None),
            refresh_lock,
            refreshes: AtomicU64::new(0),
            dpop_cache: Mutex::new(None),
            backend_nonce: Mutex::new(None),
            grants: LevelGrants::default(),
            high_water: Default::default(),
        });
        service
            .ctx
            .set_current_account(service.stored_current_account()?);
        Ok(service)
    }

    /// The provider of the configuration in force; `InvalidInput` when the
    /// core runs without one. A reload that keeps the issuer keeps the
    /// provider (its discovery document, keys and clock offset).
    pub(crate) fn active(&self) -> Result<Arc<Active>> {
        let config = self.ctx.config();
        let Some(identity) = &config.identity else {
            return Err(PalmGovError::InvalidInput {
                field: "identity (not configured)".into(),
            }
            .into());
        };
        let mut slot = self.active.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(active) = slot.as_ref()
            && active.generation == config.generation
        {
            return Ok(active.clone());
        }
        let provider = match slot.as_ref() {
            Some(a) if a.config.issuer == identity.issuer => a.provider.clone(),
            _ => Arc::new(Provider::new(&identity.issuer)?),
        };
        let active = Arc::new(Active {
            config: identity.clone(),
            provider,
            generation: config.generation,
        });
        *slot = Some(active.clone());
        Ok(active)
    }

    /// Wraps a new DPoP key's private part with the keystore hook, for storage.
    pub(crate) fn wrap_dpop(&self, key: &DpopKey) -> Result<Vec<u8>> {
        Ok(self
            .ctx
            .keystore()
            .wrap_key(DPOP_ALIAS.into(), key.pkcs8().to_vec())
            .map_err(keystore_error)?)
    }

    /// The DPoP key stored as `wrapped`, unwrapped through the keystore hook
    /// once and then kept in memory.
    pub(crate) fn dpop_key(&self, wrapped: &[u8]) -> Result<Arc<DpopKey>> {
        if let Ok(cache) = self.dpop_cache.lock()
            && let Some((w, key)) = cache.as_ref()
            && w == wrapped
        {
            return Ok(key.clone());
        }
        let pkcs8 = self
            .ctx
            .keystore()
            .unwrap_key(DPOP_ALIAS.into(), wrapped.to_vec())
            .map_err(keystore_error)?;
        let key = Arc::new(DpopKey::from_pkcs8(Zeroizing::new(pkcs8))?);
        if let Ok(mut cache) = self.dpop_cache.lock() {
            *cache = Some((wrapped.to_vec(), key.clone()));
        }
        Ok(key)
    }
}

#[cfg(test)]
mod dpop_cache_tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::config::default_identity_config;
    use crate::hooks::{HookError, Keystore};
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
        fn delete_key(&self, alias: String) -> Result<(), HookError> {
            self.0.delete_key(alias)
        }
    }

    #[test]
    fn the_dpop_key_is_unwrapped_once_not_per_request() {
        let dir = tempfile::tempdir().unwrap();
        let keystore = Arc::new(Counting(
            SoftwareKeystore::from_secret(&[3; 32]).unwrap(),
            AtomicUsize::new(0),
        ));
        let config =
            default_identity_config("https://id.example".into(), "app".into(), "app:/cb".into());
        let ctx = Context::for_tests(dir.path(), keystore.clone(), Some(config));
        let identity = IdentityService::new(ctx).unwrap();
        // Opening the store unwrapped its data key; count from here.
        let base = keystore.1.load(Ordering::SeqCst);
        let key = DpopKey::generate().unwrap();
        let wrapped = identity.wrap_dpop(&key).unwrap();
        for _ in 0..3 {
            assert_eq!(
                identity.dpop_key(&wrapped).unwrap().thumbprint(),
                key.thumbprint()
            );
        }
        assert_eq!(keystore.1.load(Ordering::SeqCst) - base, 1);
        // Another key (a new sign-in) is unwrapped, not confused with the cached one.
        let other = identity.wrap_dpop(&DpopKey::generate().unwrap()).unwrap();
        assert_ne!(
            identity.dpop_key(&other).unwrap().thumbprint(),
            key.thumbprint()
        );
        assert_eq!(keystore.1.load(Ordering::SeqCst) - base, 2);
    }
}
