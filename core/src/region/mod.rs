//! The region: its backend's health, and the signed region profile that
//! decides where the backend is, whom to trust there, which provider signs
//! people in and what the region offers ([`profile`], kept and taken by
//! [`signed`]). A build configured with [`RegionTrust`] runs on the profile
//! in force and can switch an open core to a new one; a build without it
//! (development, tests) runs on the shell's settings and may cache the
//! backend's unsigned `/v1/config`.
//!
//! Its records are the `palmgov.region` secure records.

pub mod profile;
pub(crate) mod signed;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::{now_unix, unix_ms};
use crate::config::RegionTrust;
use crate::context::Context;
use crate::error::{PalmGovError, Result};
use crate::i18n::pick;

/// Where the cached configuration lives in the secure store.
const CACHE_NAMESPACE: &str = "palmgov.region";
const CACHE_KEY: &str = "config";

/// The backend's answer to a health check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServerHealth {
    pub status: String,
    pub server_version: String,
    pub api_version: u32,
    /// The server's clock (`Date` header), in Unix milliseconds.
    pub server_time_ms: Option<i64>,
    /// Server clock minus device clock, in milliseconds (±1 s from the
    /// header's resolution). Phones with a wrong clock show it here.
    pub clock_offset_ms: Option<i64>,
}

/// A region's settings, as its backend publishes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct RegionConfig {
    /// The GB/T 2260 code of the region, such as `330000`.
    pub region_code: String,
    pub display_name: String,
    pub api_version: u32,
    /// Capabilities this region's backend offers, such as `drafts`.
    pub features: Vec<String>,
    /// The hotline residents are told to call (12345 or a local number).
    pub support_phone: Option<String>,
    /// When this copy was fetched, in Unix seconds of the device clock.
    #[serde(default)]
    pub fetched_at: i64,
}

#[derive(Deserialize)]
struct HealthBody {
    status: String,
    version: String,
    api_version: u32,
}

/// The signed region profile in force, as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionProfileStatus {
    pub region_code: String,
    /// The region's name in the requested language.
    pub region_name: String,
    /// The app's name in the requested language (the region's branding).
    pub app_name: String,
    pub version: u64,
    /// Unix seconds.
    pub expires_at: i64,
    /// Past its expiry: still in force offline; refresh when online.
    pub stale: bool,
    /// This build is older than the profile's lowest supported version:
    /// say an update is needed. Local work is kept; syncing waits.
    pub update_required: bool,
    pub min_app_version: String,
    pub base_url: String,
    /// The identity provider's issuer, when the region signs people in.
    pub issuer: Option<String>,
    pub services: Vec<String>,
    /// Offered languages, the default first.
    pub languages: Vec<String>,
    pub fallback_languages: Vec<String>,
    pub hotline: String,
    /// `#RRGGBB` by role.
    pub colours: std::collections::HashMap<String, String>,
    /// The service catalog's address, relative to the API base or https.
    pub catalog_url: Option<String>,
}

/// What one refresh of the region profile did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegionProfileRefresh {
    pub status: RegionProfileStatus,
    /// A newer profile was taken.
    pub updated: bool,
    /// The backend, its pins, the provider or the licence trust roots
    /// changed and now apply.
    pub switched: bool,
    /// The identity provider changed: sign in again. Drafts, the queue and
    /// the roster wait for the new account, which takes them over when the
    /// profile says the new provider succeeds the old one.
    pub sign_in_required: bool,
}

/// The backend's reply to `GET /v1/region/profile`.
#[derive(Deserialize)]
struct ProfileReply {
    profile: String,
    #[serde(default)]
    roots: Vec<String>,
}

/// The region capability of one open core.
pub(crate) struct RegionService {
    ctx: Arc<Context>,
    /// The build's pins, when it runs on a signed profile.
    trust: Option<RegionTrust>,
    active: std::sync::RwLock<Option<Arc<signed::Active>>>,
    /// One refresh at a time (the person's and a sync's): fetch, accept
    /// and apply happen in order, so an older profile is never kept after a
    /// newer one.
    pub(crate) refreshing: tokio::sync::Mutex<()>,
}

impl RegionService {
    pub(crate) fn new(
        ctx: Arc<Context>,
        trust: Option<RegionTrust>,
        active: Option<signed::Active>,
    ) -> Self {
        Self {
            ctx,
            trust,
            active: std::sync::RwLock::new(active.map(Arc::new)),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The profile in force, if the build runs on one.
    pub(crate) fn active(&self) -> Option<Arc<signed::Active>> {
        self.active
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_active(&self, active: signed::Active) {
        *self.active.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(active));
    }

    /// Whether this build is below the profile's lowest supported version.
    pub(crate) fn update_required(&self) -> Option<String> {
        let trust = self.trust.as_ref()?;
        let active = self.active()?;
        (!active.profile.supports(&trust.app_version))
            .then(|| active.profile.app.min_version.clone())
    }

    /// The profile in force, as the app shows it; `None` for a build that
    /// runs on the shell's settings.
    pub(crate) fn status(&self, language: &str) -> Option<RegionProfileStatus> {
        let active = self.active()?;
        let p = &active.profile;
        let mut languages = vec![p.languages.default.clone()];
        languages.extend(
            p.languages
                .offered
                .iter()
                .filter(|l| **l != p.languages.default)
                .cloned(),
        );
        let now = crate::clock::unix_secs(self.ctx.clock().now());
        Some(RegionProfileStatus {
            region_code: p.region.code.clone(),
            region_name: pick(&p.region.names, language),
            app_name: pick(&p.branding.names, language),
            version: active.version,
            expires_at: active.expires,
            stale: active.stale || now >= active.expires,
            update_required: self.update_required().is_some(),
            min_app_version: p.app.min_version.clone(),
            base_url: p.api.base_url.clone(),
            issuer: p.identity.as_ref().map(|i| i.issuer.clone()),
            services: p.services.clone(),
            languages,
            fallback_languages: p.languages.fallback.clone(),
            hotline: p.branding.hotline.clone(),
            colours: p.branding.colours.clone().into_iter().collect(),
            catalog_url: p.catalog.as_ref().map(|c| c.url.clone()),
        })
    }

    /// Fetches the region's signed profile (and any new root documents),
    /// verifies it and keeps it when it is newer than the one in force.
    /// Does not apply it: the open core's coordinator does
    /// ([`crate::app::switch`]), after a sync in flight has finished.
    /// `Ok(None)`: the backend's profile is the one in force.
    pub(crate) async fn fetch_profile(&self) -> Result<Option<signed::Active>> {
        let trust = self
            .trust
            .as_ref()
            .ok_or_else(|| PalmGovError::InvalidInput {
                field: "region (no region trust configured)".into(),
            })?;
        let reply = self
            .ctx
            .api()
            .get_json::<ProfileReply>("v1/region/profile")
            .await?
            .body;
        let now = crate::clock::unix_secs(self.ctx.clock().now());
        let store = &self.ctx.store;
        signed::accept_roots(store, trust, &reply.roots)?;
        let current = self.active();
        if current
            .as_ref()
            .is_some_and(|a| signed::digest_of(&reply.profile).is_some_and(|d| d == a.digest))
        {
            return Ok(None);
        }
        signed::accept(store, trust, &reply.profile, now).map(Some)
    }

    /// Asks the backend whether it is up, and how far the device clock is off.
    pub(crate) async fn health(&self) -> Result<ServerHealth> {
        let api = self.ctx.api();
        let reply = api.get_json::<HealthBody>("v1/health").await?;
        // The core's clock, which is the device's in an app and the one a
        // test sets.
        let now = api.clock().now();
        Ok(ServerHealth {
            status: reply.body.status,
            server_version: reply.body.version,
            api_version: reply.body.api_version,
            server_time_ms: reply.server_date.map(unix_ms),
            clock_offset_ms: reply.server_date.map(|d| unix_ms(d) - unix_ms(now)),
        })
    }

    /// Fetches the region's configuration and caches it, encrypted, for
    /// offline starts.
    pub(crate) async fn refresh(&self) -> Result<RegionConfig> {
        let mut config = self
            .ctx
            .api()
            .get_json::<RegionConfig>("v1/config")
            .await?
            .body;
        if config.region_code.is_empty() || !config.region_code.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(PalmGovError::BadServerReply.into());
        }
        config.fetched_at = now_unix();
        let bytes = serde_json::to_vec(&config)?;
        self.ctx
            .store
            .secure_put(CACHE_NAMESPACE, CACHE_KEY, &bytes)?;
        Ok(config)
    }

    /// The configuration from the last successful refresh, if any.
    pub(crate) fn cached(&self) -> Result<Option<RegionConfig>> {
        let Some(bytes) = self.ctx.store.secure_get(CACHE_NAMESPACE, CACHE_KEY)? else {
            return Ok(None);
        };
        // We wrote it ourselves; a parse failure is damage, not a server problem.
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|_| PalmGovError::CorruptDatabase.into())
    }
}
