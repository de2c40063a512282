//! The region's backend: health, and the region configuration that each
//! region's build is driven by (cached encrypted for offline starts).
//!
//! Signed region profiles (a later issue) will verify this configuration
//! against the region's key; today it is trusted through TLS. Its table is
//! the `palmgov.region` secure record.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::{now_unix, unix_ms};
use crate::context::Context;
use crate::error::{PalmGovError, Result};

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

/// The region capability of one open core.
pub(crate) struct RegionService {
    ctx: Arc<Context>,
}

impl RegionService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
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
