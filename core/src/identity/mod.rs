//! Unified identity login (统一身份认证): OpenID Connect for native apps.
//!
//! What AppAuth gets wrong and this module does not:
//! - ID token signatures are verified ([`idtoken`], [`jose`]) on ring.
//! - The pending login (state, nonce, PKCE verifier) and the session are
//!   stored encrypted, durably, so a callback that arrives after the OS
//!   killed the app still completes, exactly once.
//! - Concurrent callers near expiry trigger exactly one refresh
//!   ([`session`]), safe under refresh-token rotation.
//! - Times are judged on a clock corrected by the provider's `Date` header.
//!
//! Submodules: [`provider`] (discovery, keys, clock), [`oauth`] (the
//! `oauth2` crate on our HTTP client), [`dpop`] (RFC 9449), [`session`]
//! (stored sessions, accounts, refresh, logout), [`login`] (the flow).

pub(crate) mod authorized;
#[doc(hidden)]
pub mod bench;
pub(crate) mod dpop;
pub(crate) mod idtoken;
pub(crate) mod jose;
pub(crate) mod login;
pub(crate) mod oauth;
pub(crate) mod provider;
pub(crate) mod session;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

use crate::error::{PalmGovError, Result};
use crate::faceauth::verdict::FaceState;
use crate::hooks::Keystore;
use crate::store::keystore_error;
use dpop::DpopKey;
use provider::Provider;

/// Keystore alias for wrapping DPoP keys.
const DPOP_ALIAS: &str = "palmgov.dpop";

/// How the app reaches its region's identity provider. Regions ship it in
/// their signed profile; the defaults follow the provincial guides.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentityConfig {
    /// The provider's issuer, exactly as its discovery document states it.
    /// `https`, or `http` on loopback for development.
    pub issuer: String,
    /// The app's public client id at the provider.
    pub client_id: String,
    /// A claimed https link (App Links / universal links) or the app's
    /// custom scheme, registered at the provider; matched exactly.
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// The provider's `acr` values for assurance levels L2, L3, L4 and L5,
    /// in that order.
    pub acr_levels: Vec<String>,
    /// How long a session stays usable offline after its last successful
    /// refresh.
    pub offline_grace_secs: u64,
    /// Bind tokens to an install key with DPoP when the provider supports it.
    pub use_dpop: bool,
    /// How far `iat`/`exp` may differ from the corrected clock.
    pub max_clock_skew_secs: u64,
}

/// The defaults: scopes `openid profile offline_access`, levels
/// `urn:palmgov:loa:2`…`5`, 7 days offline, DPoP on, 120 s skew.
#[uniffi::export]
pub fn default_identity_config(
    issuer: String,
    client_id: String,
    redirect_uri: String,
) -> IdentityConfig {
    IdentityConfig {
        issuer,
        client_id,
        redirect_uri,
        scopes: ["openid", "profile", "offline_access"]
            .map(String::from)
            .to_vec(),
        acr_levels: (2..=5).map(|n| format!("urn:palmgov:loa:{n}")).collect(),
        offline_grace_secs: 7 * 24 * 3600,
        use_dpop: true,
        max_clock_skew_secs: 120,
    }
}

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

/// A session as the app may show it. No tokens.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

/// An account on this device, for the switcher.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccountSummary {
    pub session: SessionInfo,
    pub current: bool,
}

/// Extra wishes for a sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct LoginOptions {
    /// Ask the provider for at least this assurance level (step-up).
    pub level: Option<u8>,
    /// Make the person authenticate again even with a provider session.
    pub force_reauthentication: bool,
    /// Prefill the provider's login form (a phone number, say). Sent to the
    /// provider only; never stored.
    pub login_hint: Option<String>,
}

/// The URL to open in the system browser.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoginRequest {
    pub url: String,
    pub redirect_uri: String,
}

/// What logging out did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogoutReport {
    /// Whether the provider confirmed the refresh token's revocation. False
    /// offline; the local tokens are wiped either way.
    pub revoked: bool,
    /// The provider's end-session URL to open in the browser, if it has one.
    pub end_session_url: Option<String>,
    /// Submissions of this account still waiting to be sent. They stay
    /// queued and go out when the account signs in again.
    pub queued_submissions: u64,
    /// Households this account added to its roster that are not sent yet;
    /// they stay too.
    pub pending_households: u64,
}

/// How the backend sees the signed-in account (`GET /v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, uniffi::Record)]
pub struct BackendSession {
    /// Whether the backend checked a DPoP proof for the token.
    pub dpop_bound: bool,
    /// The level the backend grants the account now: the provider's `acr`,
    /// raised by the backend's own record of a face verdict.
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

/// The identity service of one open core.
pub(crate) struct Identity {
    pub(crate) config: IdentityConfig,
    pub(crate) provider: Provider,
    pub(crate) keystore: Arc<dyn Keystore>,
    /// Serialises refreshes: concurrent callers wait here and reuse the
    /// result instead of each spending the (rotating) refresh token.
    pub(crate) refresh_lock: tokio::sync::Mutex<()>,
    /// Refresh requests sent, for diagnostics and the single-flight bench.
    pub(crate) refreshes: AtomicU64,
    /// The last DPoP key unwrapped, with its wrapped form: every backend
    /// request signs a proof, and a hardware unwrap per request would cost
    /// milliseconds on a phone.
    dpop_cache: Mutex<Option<(Vec<u8>, Arc<DpopKey>)>>,
    /// Face verdicts and the backend's verdict keys ([`crate::faceauth`]).
    pub(crate) face: FaceState,
}

impl Identity {
    pub(crate) fn new(config: IdentityConfig, keystore: Arc<dyn Keystore>) -> Result<Self> {
        if config.acr_levels.len() != 4 {
            return Err(PalmGovError::InvalidInput {
                field: "identity.acr_levels".into(),
            }
            .into());
        }
        if config.client_id.is_empty() {
            return Err(PalmGovError::InvalidInput {
                field: "identity.client_id".into(),
            }
            .into());
        }
        url::Url::parse(&config.redirect_uri).map_err(|_| PalmGovError::InvalidInput {
            field: "identity.redirect_uri".into(),
        })?;
        Ok(Self {
            provider: Provider::new(&config.issuer)?,
            config,
            keystore,
            refresh_lock: tokio::sync::Mutex::new(()),
            refreshes: AtomicU64::new(0),
            dpop_cache: Mutex::new(None),
            face: FaceState::default(),
        })
    }

    /// Wraps a new DPoP key's private part with the keystore hook, for storage.
    pub(crate) fn wrap_dpop(&self, key: &DpopKey) -> Result<Vec<u8>> {
        Ok(self
            .keystore
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
            .keystore
            .unwrap_key(DPOP_ALIAS.into(), wrapped.to_vec())
            .map_err(keystore_error)?;
        let key = Arc::new(DpopKey::from_pkcs8(Zeroizing::new(pkcs8))?);
        if let Ok(mut cache) = self.dpop_cache.lock() {
            *cache = Some((wrapped.to_vec(), key.clone()));
        }
        Ok(key)
    }

    /// The assurance level an `acr` value stands for; L2 when the provider
    /// names none or one we do not know.
    pub(crate) fn level_of(&self, acr: Option<&str>) -> u8 {
        acr.and_then(|a| self.config.acr_levels.iter().position(|l| l == a))
            .map_or(2, |i| i as u8 + 2)
    }

    /// The `acr` value that requests `level`.
    pub(crate) fn acr_for(&self, level: u8) -> Result<&str> {
        match level {
            2..=5 => Ok(&self.config.acr_levels[usize::from(level - 2)]),
            _ => Err(PalmGovError::InvalidInput {
                field: "level".into(),
            }
            .into()),
        }
    }
}
