//! The HTTP client the core speaks to its backend with.
//!
//! One reqwest client per core: rustls on ring (no OpenSSL, no aws-lc-rs),
//! redirects off (a redirect from an API is either a misconfiguration or an
//! attack, such as a captive portal), connect and request timeouts, and
//! retries with backoff. Replies are accepted only when they are the API's
//! own: a 2xx status, a JSON content type and a body that parses.

pub mod retry;
pub(crate) mod tls;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, DATE, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::clock::Clock;
use crate::error::{PalmGovError, Result, retry_after_ms};
use retry::{RetryPolicy, Sleeper};

/// The largest reply body the core reads, so a misbehaving server or portal
/// cannot exhaust a phone's memory.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// How to reach the region's backend and whom to trust there.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServerConfig {
    /// The API base, such as `https://api.example.gov.cn/`. Plain `http` is
    /// accepted only for loopback (development and tests).
    pub base_url: String,
    /// PEM certificates trusted in addition to the bundled web PKI roots,
    /// for regions whose servers use a government CA.
    #[uniffi(default)]
    pub extra_root_certs_pem: Vec<String>,
    /// Base64 SHA-256 SubjectPublicKeyInfo pins. When set, some certificate
    /// in the server's chain must match one of them.
    #[uniffi(default)]
    pub spki_pins_sha256: Vec<String>,
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: u64,
    #[uniffi(default = 30000)]
    pub request_timeout_ms: u64,
    /// Attempts per request, the first included.
    #[uniffi(default = 3)]
    pub max_attempts: u32,
}

/// A [`ServerConfig`] with the defaults the core is tuned for: 10 s to
/// connect, 30 s per request, 3 attempts.
pub fn default_server_config(base_url: String) -> ServerConfig {
    ServerConfig {
        base_url,
        extra_root_certs_pem: Vec::new(),
        spki_pins_sha256: Vec::new(),
        connect_timeout_ms: 10_000,
        request_timeout_ms: 30_000,
        max_attempts: 3,
    }
}

/// A reply that passed every check, with the server's clock reading.
pub(crate) struct Reply<T> {
    pub body: T,
    /// The server's `Date` header, for estimating the device clock's error.
    pub server_date: Option<SystemTime>,
    /// The reply's headers, for what a caller reads beyond the body (the
    /// caching headers of a key set).
    pub headers: reqwest::header::HeaderMap,
}

/// The backend API client.
pub(crate) struct ApiClient {
    http: reqwest::Client,
    base: Url,
    retry: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn Clock>,
    /// The latest `Date` any server answered with (the backend or the
    /// identity provider, both reached over TLS to configured hosts), in
    /// Unix seconds, and the boot clock's reading when it came.
    server_time: Mutex<Option<(i64, Duration)>>,
}

impl ApiClient {
    pub(crate) fn new(
        config: &ServerConfig,
        sleeper: Arc<dyn Sleeper>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        let base = parse_base_url(&config.base_url)?;
        let tls = tls::client_config(&config.extra_root_certs_pem, &config.spki_pins_sha256)?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms.max(1)))
            .timeout(Duration::from_millis(config.request_timeout_ms.max(1)))
            // The OS proxy settings are not read (no system-proxy feature):
            // a government API must not be silently routed elsewhere.
            .no_proxy()
            .user_agent(concat!("palmgov-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| PalmGovError::Internal {
                detail: "http client build".into(),
            })?;
        Ok(Self {
            http,
            base,
            retry: RetryPolicy {
                max_attempts: config.max_attempts.max(1),
                ..RetryPolicy::default()
            },
            sleeper,
            clock,
            server_time: Mutex::new(None),
        })
    }

    /// Notes a reply's `Date`. Its one-second resolution and the time the
    /// reply took to arrive are far inside every validation skew.
    fn observe(&self, reply: &RawReply) {
        if let Some(date) = reply.server_date {
            let reading = (crate::clock::unix_secs(date), self.clock.since_boot());
            *self.server_time.lock().unwrap_or_else(|e| e.into_inner()) = Some(reading);
        }
    }

    /// Server time now, carried from the latest `Date` any server sent in
    /// this process by the boot clock: right however the device clock is
    /// set, or has been set since. `None` before any `Date` was seen. A
    /// provider that sends no `Date` is covered by the backend's, which the
    /// app asks before any sign-in.
    pub(crate) fn server_now(&self) -> Option<i64> {
        let (at, then) = (*self.server_time.lock().unwrap_or_else(|e| e.into_inner()))?;
        let since = self.clock.since_boot().saturating_sub(then).as_secs();
        Some(at.saturating_add(i64::try_from(since).unwrap_or(0)))
    }

    /// Server time minus device time, in seconds, when a `Date` was seen.
    pub(crate) fn server_offset(&self) -> Option<i64> {
        Some(self.server_now()? - crate::clock::unix_secs(self.clock.now()))
    }

    /// GETs `path` (relative to the base URL) as JSON, with retries.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<Reply<T>> {
        self.get_json_at(self.url(path)?).await
    }

    /// GETs an absolute URL as JSON, with retries: the identity provider's
    /// discovery document and keys live outside the API base.
    pub(crate) async fn get_json_at<T: DeserializeOwned>(&self, url: Url) -> Result<Reply<T>> {
        self.retry
            .run(&self.sleeper, |_| {
                let request = self
                    .http
                    .get(url.clone())
                    .header("accept", "application/json");
                async move { self.receive(request.send().await?).await }
            })
            .await
    }

    /// GETs a compact token served as `media_type` (a status list token,
    /// `application/statuslist+jwt`), with retries: the body as text, only
    /// from a 2xx reply of that type.
    pub(crate) async fn get_token_at(&self, url: Url, media_type: &'static str) -> Result<String> {
        let body = self.get_body_at(url, media_type, true).await?;
        match String::from_utf8(body) {
            Ok(text) => Ok(text.trim().to_string()),
            Err(_) => Err(PalmGovError::BadServerReply.into()),
        }
    }

    /// GETs `path` (relative to the base URL) as bytes, with retries: a
    /// service catalog's manifest and chunks, which their hashes check.
    pub(crate) async fn get_bytes(&self, path: &str) -> Result<Vec<u8>> {
        self.get_body_at(self.url(path)?, "*/*", false).await
    }

    /// The body of a 2xx reply to a GET of `url`, with retries; of type
    /// `accept` only, when `typed`.
    async fn get_body_at(&self, url: Url, accept: &'static str, typed: bool) -> Result<Vec<u8>> {
        self.retry
            .run(&self.sleeper, |_| {
                let request = self.http.get(url.clone()).header("accept", accept);
                async move {
                    let reply = RawReply::read(request.send().await?).await?;
                    self.observe(&reply);
                    self.refusal(&reply).map_or(Ok(()), Err)?;
                    let of_type = !typed
                        || reply
                            .headers
                            .get(CONTENT_TYPE)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.split(';').next())
                            .is_some_and(|m| m.trim().eq_ignore_ascii_case(accept));
                    if !of_type {
                        return Err(PalmGovError::BadServerReply.into());
                    }
                    Ok(reply.body)
                }
            })
            .await
    }

    /// The error a reply's status means, if it is not a success: a redirect
    /// (never followed) is a bad reply, an error status `Server` with its
    /// `Retry-After`.
    fn refusal(&self, reply: &RawReply) -> Option<crate::error::Error> {
        if reply.status.is_redirection() {
            return Some(PalmGovError::BadServerReply.into());
        }
        if reply.status.is_success() {
            return None;
        }
        let retry_after = reply
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry::parse_retry_after(v, self.clock.now()));
        Some(
            PalmGovError::Server {
                status: reply.status.as_u16(),
                retry_after_ms: retry_after_ms(retry_after),
            }
            .into(),
        )
    }

    /// Sends one request, without retrying, and returns whatever came back
    /// (bounded in size). For requests that must not be repeated blindly,
    /// such as an OAuth code exchange or a rotating refresh.
    pub(crate) async fn send_once(&self, request: reqwest::Request) -> Result<RawReply> {
        let reply = RawReply::read(self.http.execute(request).await?).await?;
        self.observe(&reply);
        Ok(reply)
    }

    /// The underlying client, to build requests for [`ApiClient::send_once`].
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The clock the client judges `Retry-After` with.
    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    async fn receive<T: DeserializeOwned>(&self, response: reqwest::Response) -> Result<Reply<T>> {
        let reply = RawReply::read(response).await?;
        self.observe(&reply);
        self.judge(reply)
    }

    /// Accepts a reply only if it is the API's own: a 2xx status with a JSON
    /// body that parses. A redirect or a non-JSON 200 (a captive portal) is
    /// `BadServerReply`; an error status is `Server`, with `Retry-After`.
    pub(crate) fn judge<T: DeserializeOwned>(&self, reply: RawReply) -> Result<Reply<T>> {
        if let Some(refusal) = self.refusal(&reply) {
            return Err(refusal);
        }
        let RawReply {
            status,
            headers,
            body,
            server_date,
        } = reply;
        let is_json = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                // `application/json`, or a JSON-based type such as the JWKS's
                // `application/jwk-set+json` (RFC 6839 suffix).
                v.split(';').next().is_some_and(|m| {
                    let m = m.trim().to_ascii_lowercase();
                    m == "application/json"
                        || (m.starts_with("application/") && m.ends_with("+json"))
                })
            });
        if !is_json || status == StatusCode::NO_CONTENT {
            return Err(PalmGovError::BadServerReply.into());
        }
        Ok(Reply {
            body: serde_json::from_slice(&body)?,
            server_date,
            headers,
        })
    }

    /// An API URL from a path relative to the base.
    pub(crate) fn url(&self, path: &str) -> Result<Url> {
        Ok(self
            .base
            .join(path)
            .map_err(|_| PalmGovError::InvalidInput {
                field: "path".into(),
            })?)
    }
}

/// A reply taken as it came, for callers that judge the status themselves.
pub(crate) struct RawReply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
    pub server_date: Option<SystemTime>,
}

impl RawReply {
    /// The stable code in an API error body (`{"error": "..."}`), if any.
    pub(crate) fn error_code(&self) -> Option<String> {
        serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()?
            .get("error")?
            .as_str()
            .map(String::from)
    }

    /// Reads a response, bounding the body at `MAX_BODY`.
    async fn read(response: reqwest::Response) -> Result<Self> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_limited(response).await?;
        Ok(Self {
            server_date: server_date(&headers),
            status,
            headers,
            body,
        })
    }
}

fn server_date(headers: &reqwest::header::HeaderMap) -> Option<SystemTime> {
    headers
        .get(DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
}

async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Err(PalmGovError::BadServerReply.into());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(PalmGovError::BadServerReply.into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Accepts `https` URLs, and `http` only on loopback.
fn parse_base_url(raw: &str) -> Result<Url> {
    let mut url = check_url(raw, "server.base_url")?;
    // `join` drops the last path segment unless the base ends with '/'.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// The transport rule for every URL the core calls: `https`, or `http` on
/// loopback only (development and tests); no credentials, query or fragment.
/// `field` names the setting in the error, never its value.
pub(crate) fn check_url(raw: &str, field: &str) -> Result<Url> {
    let invalid = || PalmGovError::InvalidInput {
        field: field.into(),
    };
    let url = Url::parse(raw).map_err(|_| invalid())?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(invalid().into()),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(invalid().into()),
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid().into());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert!(parse_base_url("https://api.example.gov.cn").is_ok());
        assert!(parse_base_url("http://127.0.0.1:8080/").is_ok());
        assert!(parse_base_url("http://localhost:1/api").is_ok());
        assert!(parse_base_url("http://[::1]:9/").is_ok());
        assert!(parse_base_url("http://api.example.gov.cn").is_err());
        assert!(parse_base_url("ftp://127.0.0.1").is_err());
        assert!(parse_base_url("https://user@api.example.gov.cn").is_err());
        assert!(parse_base_url("https://api.example.gov.cn/?q=1").is_err());
        assert!(parse_base_url("not a url").is_err());
        let u = parse_base_url("https://h.example/api").unwrap();
        assert_eq!(
            u.join("v1/health").unwrap().as_str(),
            "https://h.example/api/v1/health"
        );
    }
}
