//! The identity provider as the core knows it: OpenID discovery, the JWKS
//! cache (expiring, with one refetch for an unknown key), and "now" on the
//! servers' clock.

use std::time::SystemTime;

use serde::Deserialize;
use tokio::sync::OnceCell;

use super::jose::JwkSet;
use super::key_cache::KeyCache;
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
    jwks: KeyCache,
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
            jwks: KeyCache::default(),
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

    /// The key set, fetched when the cached one has aged out or `refetch`
    /// is set (after a token named a key we do not know: the provider
    /// rotated).
    pub(crate) async fn keys(&self, api: &ApiClient, refetch: bool) -> Result<JwkSet> {
        if !refetch && let Some(keys) = self.jwks.fresh(api.clock().as_ref()) {
            return Ok(keys);
        }
        let uri = self.metadata(api).await?.jwks_uri.clone();
        let reply = api
            .get_json_at::<JwkSet>(check_url(&uri, "identity.jwks_uri")?)
            .await?;
        self.jwks
            .store(api.clock().as_ref(), &reply.body, &reply.headers);
        Ok(reply.body)
    }

    /// The last known offset of the servers' clock from the device's
    /// (the provider's, or the backend's where the provider sends no
    /// `Date`; see [`ApiClient::server_now`]).
    pub(crate) fn clock_offset(&self, api: &ApiClient) -> Option<i64> {
        api.server_offset()
    }

    /// "Now" on the servers' clock as far as the core can tell: carried from
    /// the last `Date` seen (or device time plus `known`, the offset saved
    /// with the session, when none has been seen in this process).
    pub(crate) fn corrected_now(&self, api: &ApiClient, known: Option<i64>) -> i64 {
        api.server_now()
            .unwrap_or_else(|| unix(api.clock().now()) + known.unwrap_or(0))
    }
}

fn unix(t: SystemTime) -> i64 {
    crate::clock::unix_secs(t)
}
