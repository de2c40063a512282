//! The OAuth 2.0 protocol through the `oauth2` crate (PKCE, code exchange,
//! refresh, revocation), driven by the core's own HTTP client: rustls on
//! ring, redirects off, no retry of non-idempotent token requests, and a
//! DPoP proof on every token request when the session is DPoP-bound.

use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse,
    BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthUrl, ClientId, EndpointNotSet, EndpointSet, ExtraTokenFields, RedirectUrl,
    RequestTokenError, StandardRevocableToken, StandardTokenResponse, TokenUrl,
};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::dpop::DpopKey;
use super::provider::{Metadata, Provider};
use crate::error::{Error, PalmGovError, Result};
use crate::net::{ApiClient, check_url};

/// The token response fields beyond RFC 6749 that OpenID Connect adds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct OidcFields {
    #[serde(default)]
    pub id_token: Option<String>,
}
impl ExtraTokenFields for OidcFields {}

pub(crate) type TokenResponse = StandardTokenResponse<OidcFields, BasicTokenType>;

/// An oauth2 client with authorization, token and (optional) revocation endpoints set.
pub(crate) type Client = oauth2::Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

fn rejected(reason: &str) -> PalmGovError {
    PalmGovError::LoginRejected {
        reason: reason.into(),
    }
}

/// Builds the protocol client for a discovered provider. Public native
/// client: no secret, `client_id` in the request body.
pub(crate) fn client(metadata: &Metadata, client_id: &str, redirect_uri: &str) -> Result<Client> {
    let bad = |_| rejected("discovery.endpoint");
    Ok(oauth2::Client::new(ClientId::new(client_id.to_string()))
        .set_auth_type(oauth2::AuthType::RequestBody)
        .set_auth_uri(AuthUrl::new(metadata.authorization_endpoint.clone()).map_err(bad)?)
        .set_token_uri(TokenUrl::new(metadata.token_endpoint.clone()).map_err(bad)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).map_err(|_| {
            PalmGovError::InvalidInput {
                field: "identity.redirect_uri".into(),
            }
        })?))
}

/// The oauth2 crate's HTTP client: the core's client and the provider it
/// talks to plus, for a DPoP-bound session, its key. A named type with a boxed `Send` future rather than a
/// closure, whose higher-ranked lifetimes the compiler cannot prove `Send`
/// inside the core's spawned tasks.
///
/// It owns what it uses (no lifetime parameter): oauth2's `request_async`
/// otherwise trips "`AsyncHttpClient` is not general enough" when the
/// future is spawned.
pub(crate) struct Http {
    pub api: Arc<ApiClient>,
    pub provider: Arc<Provider>,
    pub dpop: Option<Arc<DpopKey>>,
    pub offset: Option<i64>,
}

impl<'c> oauth2::AsyncHttpClient<'c> for Http {
    type Error = Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse>> + Send + 'c>,
    >;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            send(
                &self.api,
                &self.provider,
                self.dpop.as_deref(),
                self.offset,
                request,
            )
            .await
        })
    }
}

/// Sends an oauth2 request through the core's client. Adds a DPoP proof when
/// `dpop` is set, answering one `use_dpop_nonce` challenge. A redirect is an
/// error (a token endpoint never redirects; a portal or attacker does), and
/// 429/5xx become `Server` errors so the caller keeps its tokens and retries
/// later instead of reading them as an OAuth refusal.
/// How long a request to the provider's token, revocation or PAR endpoint
/// may take. Generous, unlike the API's: a refresh whose reply is lost may
/// have rotated the token, so waiting a slow provider out is far cheaper
/// than giving up on it (`refresh.rs`).
pub(crate) const TOKEN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(90);

async fn send(
    api: &ApiClient,
    provider: &Provider,
    dpop: Option<&DpopKey>,
    offset: Option<i64>,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse> {
    let (parts, body) = request.into_parts();
    let url = check_url(&parts.uri.to_string(), "identity.endpoint")?;
    let mut nonce: Option<String> = None;
    for _ in 0..2 {
        let mut builder = api
            .http()
            .request(parts.method.clone(), url.clone())
            .headers(parts.headers.clone())
            .timeout(TOKEN_TIMEOUT)
            .body(body.clone());
        if let Some(key) = dpop {
            let now = provider.corrected_now(api, offset);
            let proof = key.proof(
                parts.method.as_str(),
                url.as_str(),
                now,
                None,
                nonce.as_deref(),
            )?;
            builder = builder.header("DPoP", proof);
        }
        let reply = api.send_once(builder.build()?).await?;
        if reply.status.is_redirection() {
            return Err(rejected("token.redirect").into());
        }
        if reply.status.as_u16() == 429 || reply.status.is_server_error() {
            return Err(PalmGovError::Server {
                status: reply.status.as_u16(),
                retry_after_ms: None,
            }
            .into());
        }
        let server_nonce = reply
            .headers
            .get("dpop-nonce")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if dpop.is_some()
            && nonce.is_none()
            && reply.status.is_client_error()
            && let Some(n) = server_nonce
            && oauth_error(&reply.body).as_deref() == Some("use_dpop_nonce")
        {
            nonce = Some(n);
            continue;
        }
        let mut response = oauth2::HttpResponse::new(reply.body);
        *response.status_mut() = reply.status;
        *response.headers_mut() = reply.headers;
        return Ok(response);
    }
    Err(rejected("token.dpop_nonce").into())
}

/// Revokes a refresh token (RFC 7009), which ends its whole grant at the
/// provider. Sent by hand rather than with oauth2's `revoke_token`, which
/// refuses any non-https endpoint, loopback included; the core's transport
/// rule (https, or http on loopback only) already applies here.
pub(crate) async fn revoke(
    api: &ApiClient,
    provider: &Provider,
    endpoint: &str,
    client_id: &str,
    refresh_token: &str,
) -> Result<()> {
    let url = check_url(endpoint, "identity.revocation_endpoint")?;
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("token", refresh_token)
        .append_pair("token_type_hint", "refresh_token")
        .append_pair("client_id", client_id)
        .finish();
    let reply = send(api, provider, None, None, form_post(&url, body)?).await?;
    // RFC 7009 §2.2: 200 whether or not the token was still valid.
    if reply.status().is_success() {
        Ok(())
    } else {
        Err(PalmGovError::Server {
            status: reply.status().as_u16(),
            retry_after_ms: None,
        }
        .into())
    }
}

/// A POST of a form body to `url`, as the oauth2 crate's request type.
fn form_post(url: &url::Url, body: String) -> Result<oauth2::HttpRequest> {
    let mut request = oauth2::HttpRequest::new(body.into_bytes());
    *request.method_mut() = oauth2::http::Method::POST;
    *request.uri_mut() = url
        .as_str()
        .parse()
        .map_err(|_| rejected("discovery.endpoint"))?;
    request.headers_mut().insert(
        oauth2::http::header::CONTENT_TYPE,
        oauth2::http::HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    Ok(request)
}

/// RFC 9126: pushes an authorization request's parameters to the provider
/// and returns the URL the browser opens, which carries only the client id
/// and a one-time `request_uri`. So nothing the request holds (a login
/// hint such as a phone number, the level asked for) lands in browser
/// history or in a proxy's logs.
pub(crate) async fn push_authorization(
    api: &ApiClient,
    provider: &Provider,
    endpoint: &str,
    client_id: &str,
    request: &url::Url,
) -> Result<url::Url> {
    #[derive(Deserialize)]
    struct Pushed {
        request_uri: String,
    }
    let url = check_url(endpoint, "identity.par_endpoint")?;
    let body = request.query().unwrap_or_default().to_string();
    let reply = send(api, provider, None, None, form_post(&url, body)?).await?;
    // RFC 9126 §2.2: 201 Created with the request URI.
    if !reply.status().is_success() {
        return Err(match oauth_error(reply.body()) {
            Some(error) => rejected(&format!("par.{}", sanitize_code(&error))),
            None => rejected("par.status"),
        }
        .into());
    }
    let pushed: Pushed = serde_json::from_slice(reply.body()).map_err(|_| rejected("par.reply"))?;
    let mut browser = request.clone();
    browser
        .query_pairs_mut()
        .clear()
        .append_pair("client_id", client_id)
        .append_pair("request_uri", &pushed.request_uri);
    Ok(browser)
}

fn oauth_error(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct E {
        error: String,
    }
    serde_json::from_slice::<E>(body).ok().map(|e| e.error)
}

/// What a token request's failure means for the session.
pub(crate) enum TokenFailure {
    /// The grant is gone (`invalid_grant`): expired, revoked, or a replayed
    /// rotating refresh token. Only signing in again helps.
    GrantEnded,
    /// Anything else: network, server trouble, a refusal to report. The
    /// internal error, so a caller can still tell a connection that never
    /// opened from a reply that never came.
    Other(Error),
}

pub(crate) fn classify(error: RequestTokenError<Error, BasicErrorResponse>) -> TokenFailure {
    match error {
        RequestTokenError::ServerResponse(r) => match r.error() {
            BasicErrorResponseType::InvalidGrant => TokenFailure::GrantEnded,
            BasicErrorResponseType::Extension(code)
                if code == "invalid_dpop_proof"
                    && refused_for_time(r.error_description().map(String::as_str)) =>
            {
                TokenFailure::Other(PalmGovError::ClockWrong.into())
            }
            other => TokenFailure::Other(
                PalmGovError::LoginFailed {
                    oauth_error: sanitize_code(other.as_ref()),
                }
                .into(),
            ),
        },
        RequestTokenError::Request(e) => TokenFailure::Other(e),
        RequestTokenError::Parse(..) | RequestTokenError::Other(_) => {
            TokenFailure::Other(PalmGovError::BadServerReply.into())
        }
    }
}

/// Whether a provider refused a DPoP proof for its time (`iat` too far
/// from its clock): the only refusal a well-formed proof can meet, so one
/// without a description counts too. The proofs carry the clock corrected by
/// any `Date` a trusted server sent; this is what is left when none has,
/// and the person can mend it by setting the phone's clock.
fn refused_for_time(description: Option<&str>) -> bool {
    const ABOUT_TIME: [&str; 7] = [
        "iat", "time", "clock", "recent", "expired", "future", "skew",
    ];
    description.is_none_or(|d| {
        let d = d.to_ascii_lowercase();
        ABOUT_TIME.iter().any(|word| d.contains(word))
    })
}

/// An OAuth error code as an error field: registered codes are short
/// lowercase words; anything else is replaced, so a hostile provider cannot
/// push text (or personal data) into an app's error screen or logs.
pub(crate) fn sanitize_code(code: &str) -> String {
    if !code.is_empty()
        && code.len() <= 64
        && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        code.to_string()
    } else {
        "unrecognized".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_refused_for_its_time_names_the_clock() {
        // node oidc-provider, and jose-based servers.
        assert!(refused_for_time(Some(
            "DPoP proof iat is not recent enough"
        )));
        assert!(refused_for_time(Some(
            "\"iat\" claim timestamp check failed (it should be in the past)"
        )));
        assert!(refused_for_time(None));
        assert!(!refused_for_time(Some("DPoP proof htu mismatch")));
        assert!(!refused_for_time(Some("invalid DPoP key binding")));
    }

    #[test]
    fn oauth_codes_are_sanitized() {
        assert_eq!(sanitize_code("access_denied"), "access_denied");
        assert_eq!(sanitize_code("张三 110101"), "unrecognized");
        assert_eq!(sanitize_code(""), "unrecognized");
        assert_eq!(sanitize_code(&"a".repeat(65)), "unrecognized");
    }
}

#[cfg(test)]
mod endpoint_tests {
    use super::*;
    use crate::clock::SystemClock;
    use crate::config::default_server_config;
    use crate::net::retry::TokioSleeper;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A one-shot loopback server answering every request with `reply`.
    async fn answering(reply: &'static str) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(reply.as_bytes()).await;
            }
        });
        format!("http://{addr}/token")
    }

    fn token_request(url: &str) -> oauth2::HttpRequest {
        let mut request = oauth2::HttpRequest::new(b"grant_type=authorization_code".to_vec());
        *request.method_mut() = oauth2::http::Method::POST;
        *request.uri_mut() = url.parse().unwrap();
        request
    }

    fn api() -> ApiClient {
        ApiClient::new(
            &default_server_config("http://127.0.0.1:9/".into()),
            Arc::new(TokioSleeper),
            Arc::new(SystemClock),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_redirect_from_the_token_endpoint_is_refused() {
        let url = answering(
            "HTTP/1.1 302 Found\r\nLocation: https://evil.example/token\r\nContent-Length: 0\r\n\r\n",
        )
        .await;
        let provider = Provider::new("http://127.0.0.1:9").unwrap();
        let error = send(&api(), &provider, None, None, token_request(&url))
            .await
            .unwrap_err();
        assert_eq!(PalmGovError::from(error), rejected("token.redirect"));
    }

    #[tokio::test]
    async fn server_trouble_at_the_token_endpoint_is_a_server_error_not_a_refusal() {
        let url = answering("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n").await;
        let provider = Provider::new("http://127.0.0.1:9").unwrap();
        let error = send(&api(), &provider, None, None, token_request(&url))
            .await
            .unwrap_err();
        assert_eq!(
            PalmGovError::from(error),
            PalmGovError::Server {
                status: 503,
                retry_after_ms: None
            }
        );
    }
}
