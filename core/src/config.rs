//! What a region decides and the shell passes in: where the backend is and
//! whom to trust there ([`ServerConfig`], the network client's), and which
//! provider signs people in ([`IdentityConfig`]).
//!
//! The configuration in force lives in the [`crate::context::Context`] and
//! can be replaced on an open core (a signed region profile that moves the
//! backend or the provider). Everything here is checked once, when a
//! configuration is made active, so capabilities can rely on it.

use crate::error::{PalmGovError, Result};
use crate::net::check_url;
pub use crate::net::{ServerConfig, default_server_config};

/// Whom the e-licence wallet trusts: the root keys that sign the licence
/// trust list (pinned by the app build; a new root is accepted only when a
/// threshold of these signs it), the trust list the app bundles for a first
/// start offline, and how old a status list may be and still count.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WalletConfig {
    /// The root public keys, each a JWK as JSON (Ed25519, P-256 or SM2).
    pub trust_roots: Vec<String>,
    /// How many distinct root keys must sign.
    pub trust_threshold: u32,
    /// The trust list envelope shipped with the app, used until one is
    /// fetched (and never gone below afterwards).
    #[uniffi(default = None)]
    pub bundled_trust_list: Option<String>,
    /// The oldest status list (by when its issuer made it) that still
    /// counts offline; older gives `Undetermined`. Three days by default:
    /// long enough for a village without signal, short enough that a
    /// revocation is seen within the week.
    #[uniffi(default = 259200)]
    pub status_max_age_secs: u64,
}

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
    #[uniffi(default = 604800)]
    pub offline_grace_secs: u64,
    /// Bind tokens to an install key with DPoP when the provider supports it.
    #[uniffi(default = true)]
    pub use_dpop: bool,
    /// How far `iat`/`exp` may differ from the corrected clock.
    #[uniffi(default = 120)]
    pub max_clock_skew_secs: u64,
    /// How long a sign-in at L4 or L5 holds that level after the person
    /// authenticated at the provider (`auth_time`); then the session counts
    /// as L3 until the next step-up, as a face verdict lapses.
    #[uniffi(default = 600)]
    pub strong_level_secs: u64,
    /// How long the provider accepts a refresh token again after it has
    /// rotated it, for a reply lost in transit (Keycloak's and Okta's grace
    /// periods). 0, the default, for strict rotation: a token whose reply
    /// was lost is never sent twice, and the person signs in again. Set it
    /// only to what the provider is configured for.
    #[uniffi(default = 0)]
    pub refresh_reuse_window_secs: u64,
}

/// The defaults: scopes `openid profile offline_access`, levels
/// `urn:palmgov:loa:2`…`5`, 7 days offline, DPoP on, 120 s skew.
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
        strong_level_secs: 600,
        refresh_reuse_window_secs: 0,
    }
}

/// Refuses an identity configuration the core could not sign in with,
/// naming the setting at fault (never its value).
pub(crate) fn check_identity(config: &IdentityConfig) -> Result<()> {
    let invalid = |field: &str| PalmGovError::InvalidInput {
        field: field.into(),
    };
    if config.acr_levels.len() != 4 {
        return Err(invalid("identity.acr_levels").into());
    }
    if config.client_id.is_empty() {
        return Err(invalid("identity.client_id").into());
    }
    url::Url::parse(&config.redirect_uri).map_err(|_| invalid("identity.redirect_uri"))?;
    check_url(&config.issuer, "identity.issuer")?;
    Ok(())
}

/// What a region's build pins and bundles for its signed region profile
/// (`regions/<code>/`): the profile's root keys, the signed profile that
/// ships with the app, and who the build is. With it, the profile decides
/// the backend, its pins and the identity provider, and the licence trust
/// roots, in place of the `server`, `identity` and `wallet` settings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionTrust {
    /// The profile's root public keys, each a JWK as JSON.
    pub root_keys: Vec<String>,
    /// How many distinct root keys must sign.
    pub threshold: u32,
    /// The signed profile the app bundles: what a first start runs, and a
    /// floor no fetched profile may go below.
    pub bundled_profile: String,
    /// The build's GB/T 2260 region code; a profile for another region is
    /// refused.
    pub region_code: String,
    /// The build's application id (Android) or bundle id (iOS).
    pub app_id: String,
    /// The build's version, `major.minor.patch`.
    pub app_version: String,
}
