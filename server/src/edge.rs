//! What every request meets before a handler: the limits on its size and
//! kind, and error replies in the one shape `openapi.yaml` promises
//! (`{"error": code}`), whichever layer refused it.

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error;

/// The longest request target served. Ours are under 300 bytes (the
/// longest is `GET /v1/applications?ids=…` with 100 ids of 36 bytes, 3.8
/// KiB); hyper refuses targets over 64 KiB itself, with an empty 414.
pub const MAX_URI: usize = 8 * 1024;

/// Refuses an over-long request target with a JSON 414.
pub(crate) async fn limit_uri(request: Request, next: Next) -> Response {
    if request.uri().to_string().len() > MAX_URI {
        return error(StatusCode::URI_TOO_LONG, "uri_too_long");
    }
    next.run(request).await
}

/// Turns the refusals the framework writes itself (a body over the limit, a
/// wrong method, a path parameter that does not parse) into the API's JSON
/// error body. A reply that is already JSON passes unchanged.
pub(crate) async fn json_errors(request: Request, next: Next) -> Response {
    let reply = next.run(request).await;
    let status = reply.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(reply.headers()) {
        return reply;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        s if s.is_server_error() => "internal",
        _ => "invalid_request",
    };
    let mut json = error(status, code);
    // Keep what the framework said about the method (`allow`) and the
    // authentication scheme (`www-authenticate`).
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = reply.headers().get(&name) {
            json.headers_mut().insert(name, v.clone());
        }
    }
    json
}

fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m == "application/json")
}

/// The request's media type, lowercased, without parameters.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// Refuses a body that does not say it is `expected` with a JSON 415:
/// the API takes JSON, and attachment chunks as octet streams.
// The refusal is the reply itself, as for every handler here (`Reply`);
// boxing it would only move the allocation.
#[allow(clippy::result_large_err)]
pub(crate) fn require_media_type(headers: &HeaderMap, expected: &str) -> Result<(), Response> {
    if media_type(headers).as_deref() == Some(expected) {
        Ok(())
    } else {
        Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ))
    }
}

/// The development routes' guard: `Authorization: Bearer <admin token>`,
/// compared by digest so the comparison takes the same time wherever the
/// tokens differ.
pub(crate) fn admin_allowed(headers: &HeaderMap, token: &str) -> bool {
    let digest = |s: &[u8]| ring::digest::digest(&ring::digest::SHA256, s);
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    digest(presented.as_bytes()).as_ref() == digest(token.as_bytes()).as_ref()
}

/// The shortest development admin token accepted: 128 bits as hex.
pub const MIN_ADMIN_TOKEN: usize = 32;

/// A fresh development admin token: 128 random bits, hex.
pub fn new_admin_token() -> String {
    let mut bytes = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .expect("the system random generator works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_token_must_match_exactly() {
        let mut h = HeaderMap::new();
        assert!(!admin_allowed(&h, "secret"));
        h.insert(header::AUTHORIZATION, "Bearer secre".parse().unwrap());
        assert!(!admin_allowed(&h, "secret"));
        h.insert(header::AUTHORIZATION, "bearer secret".parse().unwrap());
        assert!(!admin_allowed(&h, "secret"));
        h.insert(header::AUTHORIZATION, "Bearer secret".parse().unwrap());
        assert!(admin_allowed(&h, "secret"));
        assert_eq!(new_admin_token().len(), MIN_ADMIN_TOKEN);
    }

    #[test]
    fn media_types_ignore_parameters_and_case() {
        let mut h = HeaderMap::new();
        assert!(require_media_type(&h, "application/json").is_err());
        h.insert(
            header::CONTENT_TYPE,
            "Application/JSON; charset=utf-8".parse().unwrap(),
        );
        assert!(require_media_type(&h, "application/json").is_ok());
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(require_media_type(&h, "application/json").is_err());
    }
}
