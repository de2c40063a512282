//! Calls to the backend on behalf of the signed-in account: the access token
//! as `Authorization: DPoP` with a fresh proof (or `Bearer` for an unbound
//! session), refreshed before it expires, and on a 401 refreshed once and
//! retried (the token may have been revoked or rotated elsewhere).
//! A backend that wants DPoP nonces (RFC 9449 section 9) gets the latest one
//! it sent in every proof; its `use_dpop_nonce` 401 is answered with a new
//! proof carrying the nonce, never with new tokens.
//!
//! The capabilities that talk to the backend for a person (face, roster,
//! outbox) do it through these calls; none of them sees a token.

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use super::IdentityService;
use crate::error::{PalmGovError, Result};
use crate::net::RawReply;

/// A request body and the headers that describe it.
pub(crate) struct Body<'a> {
    pub bytes: &'a [u8],
    pub content_type: &'static str,
    pub headers: &'a [(&'static str, String)],
}

/// `bytes` as the HTTP client's body: a single copy whose memory is zeroed
/// when the last reference to it is dropped (the client's, after sending).
/// What the TLS and socket layers copy on the way out is beyond reach.
fn wiped(bytes: &[u8]) -> bytes::Bytes {
    bytes::Bytes::from_owner(Zeroizing::new(bytes.to_vec()))
}

impl IdentityService {
    /// GETs `path` as JSON; see [`IdentityService::judge_authorized`] for
    /// errors.
    pub(crate) async fn authorized_get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        let reply = self.authorized_send(Method::GET, path, None).await?;
        self.judge_authorized(reply)
    }

    /// Sends one authorized request (with a JSON `body`, if any) and returns
    /// the raw reply, for callers that read the API's error codes. Not
    /// retried except after a 401, so only for requests safe to repeat once.
    pub(crate) async fn authorized_send(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<RawReply> {
        let body = body.map(|b| Body {
            bytes: b,
            content_type: "application/json",
            headers: &[],
        });
        self.authorized_request(method, path, body).await
    }

    /// [`IdentityService::authorized_send`] with any content type and extra
    /// headers (attachment chunks with `content-range`).
    pub(crate) async fn authorized_request(
        &self,
        method: Method,
        path: &str,
        body: Option<Body<'_>>,
    ) -> Result<RawReply> {
        let active = self.active()?;
        let api = self.ctx.api();
        let url = api.url(path)?;
        let mut session = self.fresh_session(false).await?;
        let mut retried = false;
        // One copy for the HTTP client, shared by the retry and wiped when
        // the client drops its last reference: a body may carry face frames
        // or a household's ID numbers.
        let shared = body.as_ref().map(|b| wiped(b.bytes));
        loop {
            let mut request = api
                .http()
                .request(method.clone(), url.clone())
                .header("accept", "application/json");
            if let (Some(body), Some(bytes)) = (&body, &shared) {
                request = request
                    .header("content-type", body.content_type)
                    .body(bytes.clone());
                for (name, value) in body.headers {
                    request = request.header(*name, value.as_str());
                }
            }
            request = match self.session_dpop_key(&session)? {
                Some(key) => {
                    let now = active.provider.corrected_now(&api, session.clock_offset);
                    let nonce = self.backend_nonce();
                    let proof = key.proof(
                        method.as_str(),
                        url.as_str(),
                        now,
                        Some(&session.access_token),
                        nonce.as_deref(),
                    )?;
                    request
                        .header("authorization", format!("DPoP {}", session.access_token))
                        .header("dpop", proof)
                }
                None => request.bearer_auth(&session.access_token),
            };
            let reply = api.send_once(request.build()?).await?;
            self.note_backend_nonce(&reply);
            if reply.status == StatusCode::UNAUTHORIZED && !retried {
                retried = true;
                // A refused proof (a replay: a proxy sent the request twice;
                // a nonce the backend wants or has moved on from) needs a
                // new proof, not new tokens. Refreshing rotated the refresh
                // token for nothing, and with many requests in flight one
                // refresh reply lost to a timeout made the next refresh a
                // reuse, which ends the grant (`palmgov bench sync` signed
                // the worker out this way).
                if !proof_refused(&reply) {
                    session = self.fresh_session(true).await?;
                }
                continue;
            }
            return Ok(reply);
        }
    }

    fn backend_nonce(&self) -> Option<String> {
        self.backend_nonce
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Keeps the nonce a backend reply carries, whatever its status: a
    /// server may rotate its nonce on any reply.
    fn note_backend_nonce(&self, reply: &RawReply) {
        if let Some(nonce) = reply
            .headers
            .get("dpop-nonce")
            .and_then(|v| v.to_str().ok())
            // RFC 9449: a nonce is NQCHAR, printable ASCII without `"`.
            .filter(|n| {
                !n.is_empty()
                    && n.len() <= 256
                    && n.bytes().all(|b| (0x21..0x7f).contains(&b) && b != b'"')
            })
        {
            *self.backend_nonce.lock().unwrap_or_else(|e| e.into_inner()) = Some(nonce.to_string());
        }
    }

    /// The API's JSON reply, with a 403 `level_required` turned into the
    /// typed [`PalmGovError::LevelRequired`] naming the level, so the app
    /// can step up and retry.
    pub(crate) fn judge_authorized<T: DeserializeOwned>(&self, reply: RawReply) -> Result<T> {
        if reply.status == StatusCode::FORBIDDEN {
            let body: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
            if body["error"] == "level_required"
                && let Some(level) = body["level"].as_u64().and_then(|l| u8::try_from(l).ok())
            {
                return Err(PalmGovError::LevelRequired { level }.into());
            }
        }
        Ok(self.ctx.api().judge(reply)?.body)
    }
}

/// Whether a 401 refuses the DPoP proof rather than the token: an
/// `invalid_dpop_proof` or `use_dpop_nonce` error, in the body (this
/// backend) or in `WWW-Authenticate` (RFC 9449 section 7.1 and 9).
fn proof_refused(reply: &RawReply) -> bool {
    const PROOF_ERRORS: [&str; 2] = ["invalid_dpop_proof", "use_dpop_nonce"];
    if reply
        .error_code()
        .is_some_and(|code| PROOF_ERRORS.contains(&code.as_str()))
    {
        return true;
    }
    reply
        .headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            PROOF_ERRORS
                .iter()
                .any(|code| v.contains(&format!("error=\"{code}\"")))
        })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use zeroize::Zeroize;

    /// A buffer that records being zeroed.
    struct Watched(Vec<u8>, Arc<AtomicBool>);

    impl AsRef<[u8]> for Watched {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }

    impl Zeroize for Watched {
        fn zeroize(&mut self) {
            self.0.zeroize();
            self.1.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn the_clients_copy_is_zeroed_when_its_last_reference_goes() {
        // The same construction as `wiped`, over a buffer that tells.
        let zeroed = Arc::new(AtomicBool::new(false));
        let body = bytes::Bytes::from_owner(super::Zeroizing::new(Watched(
            b"frame".to_vec(),
            zeroed.clone(),
        )));
        let retry = body.clone();
        drop(body);
        assert!(
            !zeroed.load(Ordering::SeqCst),
            "still referenced by the retry"
        );
        assert_eq!(&retry[..], b"frame");
        drop(retry);
        assert!(zeroed.load(Ordering::SeqCst));
        assert_eq!(&super::wiped(b"frame")[..], b"frame");
    }
}
