//! The identity provider as the core knows it: OpenID discovery, the JWKS
//! cache with one refetch for an unknown key, and the device clock's offset
//! estimated from the provider's `Date` header.

use std::sync::Mutex;
use std::time::SystemTime;

use serde::Deserialize;
use tokio::sync::OnceCell;

use super::jose::JwkSet;
use crate::error::{PalmGovError, Result};
use crate::net::{ApiClient, check_url};

/// The discovery fields the core uses (OpenID Connect Discovery 1.0, RFC 8414).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
    /// RFC 9126 pushed authorization requests.
    #[serde(default)]
    pub pushed_authorization_request_endpoint: Option<String>,
    /// RFC 9207: the provider puts `iss` on every callback, so one without it is forged.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    #[serde(default)]
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
}

impl Metadata {
    /// Whether the provider binds tokens with DPoP using a key we can make.
    pub(crate) fn supports_dpop_es256(&self) -> bool {
        self.dpop_signing_alg_values_supported
            .as_ref()
            .is_some_and(|algs| algs.iter().any(|a| a == "ES256"))
    }
}

/// One provider: discovered once per core, keys cached, clock offset tracked.
pub(crate) struct Provider {
    issuer: String,
    metadata: OnceCell<Metadata>,
    jwks: Mutex<Option<JwkSet>>,
    /// Server time minus device time, in seconds, from the latest `Date`.
    clock_offset: Mutex<Option<i64>>,
    /// The latest `Date` and the boot clock's reading when it came: server
    /// time that a device clock changed since cannot move.
    server_time: Mutex<Option<(i64, std::time::Duration)>>,
}

fn rejected(reason: &str) -> PalmGovError {
    PalmGovError::LoginRejected {
        reason: reason.into(),
    }
}

impl Provider {
    /// Refuses a non-HTTPS issuer outside loopback before any request.
    pub(crate) fn new(issuer: &str) -> Result<Self> {
        check_url(issuer, "identity.issuer")?;
        Ok(Self {
            issuer: issuer.to_string(),
            metadata: OnceCell::new(),
            jwks: Mutex::new(None),
            clock_offset: Mutex::new(None),
            server_time: Mutex::new(None),
        })
    }

    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The discovery document, fetched on first use. Its `issuer` must equal
    /// the configured one exactly (Discovery §4.3), and every endpoint must
    /// pass the core's transport rule.
    pub(crate) async fn metadata(&self, api: &ApiClient) -> Result<&Metadata> {
        self.metadata
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.issuer.trim_end_matches('/')
                );
                let url = check_url(&url, "identity.issuer")?;
                let reply = api.get_json_at::<Metadata>(url).await?;
                self.observe_date(api, reply.server_date);
                let m = reply.body;
                if m.issuer != self.issuer {
                    return Err(rejected("discovery.issuer").into());
                }
                for endpoint in [&m.authorization_endpoint, &m.token_endpoint, &m.jwks_uri]
                    .into_iter()
                    .chain(m.revocation_endpoint.as_ref())
                    .chain(m.end_session_endpoint.as_ref())
                    .chain(m.pushed_authorization_request_endpoint.as_ref())
                {
                    check_url(endpoint, "identity.endpoint")
                        .map_err(|_| rejected("discovery.endpoint"))?;
                }
                if m.code_challenge_methods_supported
                    .as_ref()
                    .is_some_and(|methods| !methods.iter().any(|x| x == "S256"))
                {
                    return Err(rejected("discovery.pkce").into());
                }
                Ok(m)
            })
            .await
    }

    /// The cached key set, fetching it when there is none or `refetch` is set
    /// (after a token named a key we do not know: the provider rotated).
    pub(crate) async fn keys(&self, api: &ApiClient, refetch: bool) -> Result<JwkSet> {
        if !refetch && let Some(keys) = self.jwks.lock().ok().and_then(|k| k.clone()) {
            return Ok(keys);
        }
        let uri = self.metadata(api).await?.jwks_uri.clone();
        let reply = api
            .get_json_at::<JwkSet>(check_url(&uri, "identity.jwks_uri")?)
            .await?;
        self.observe_date(api, reply.server_date);
        if let Ok(mut cache) = self.jwks.lock() {
            *cache = Some(reply.body.clone());
        }
        Ok(reply.body)
    }

    /// Records the provider's clock reading from a reply. `Date` has
    /// one-second resolution and the reply took some time to arrive; both
    /// errors are far inside the validation skew.
    pub(crate) fn observe_date(&self, api: &ApiClient, server_date: Option<SystemTime>) {
        let Some(date) = server_date else { return };
        let offset = unix(date) - unix(api.clock().now());
        if let Ok(mut o) = self.clock_offset.lock() {
            *o = Some(offset);
        }
        if let Ok(mut t) = self.server_time.lock() {
            *t = Some((unix(date), api.clock().since_boot()));
        }
    }

    /// The provider's time now, carried from its latest `Date` in this
    /// process by the boot clock: right however the device clock has been
    /// set since. `None` before any reply of the provider in this process.
    pub(crate) fn server_now(&self, api: &ApiClient) -> Option<i64> {
        let (at, then) = (*self.server_time.lock().ok()?)?;
        let since = api.clock().since_boot().saturating_sub(then).as_secs();
        Some(at.saturating_add(i64::try_from(since).unwrap_or(0)))
    }

    /// The last known offset of the provider's clock from the device's.
    pub(crate) fn clock_offset(&self) -> Option<i64> {
        self.clock_offset.lock().ok().and_then(|o| *o)
    }

    /// "Now" on the provider's clock as far as the core can tell: device time
    /// plus the offset seen in the provider's last `Date` header (or `known`,
    /// the offset saved with the session, when offline).
    pub(crate) fn corrected_now(&self, api: &ApiClient, known: Option<i64>) -> i64 {
        unix(api.clock().now()) + self.clock_offset().or(known).unwrap_or(0)
    }
}

fn unix(t: SystemTime) -> i64 {
    crate::clock::unix_secs(t)
}
