//! The backend's signed face verdict: checked against the backend's own key
//! set (`/v1/face/jwks`), bound to the account, the operations it was asked
//! for and the challenge. The level it grants is held by identity, in memory only, for
//! the verdict's stated lifetime (`exp - iat`) on the monotonic clock: a
//! phone whose clock is hours off neither loses nor extends it, a process
//! death costs at most one more face check, and a verdict never outlives
//! the 10 minutes it was issued for.

use std::time::Duration;

use serde::Deserialize;

use super::{FaceService, FaceVerdict};
use crate::error::{PalmGovError, Result};
use crate::identity::jose::{Alg, JwkSet, Jws};

/// The JWS `typ` the backend gives verdicts, so no other token of its
/// (or the provider's) can pass for one.
const VERDICT_TYP: &str = "palmgov-face-verdict+jwt";
/// The longest lifetime the core honours, whatever the backend states.
const MAX_LIFETIME_SECS: i64 = 3600;

#[derive(Debug, Deserialize)]
pub(crate) struct Claims {
    pub sub: String,
    /// The operations the verdict raises.
    pub ops: Vec<String>,
    pub chl: String,
    pub acr: String,
    pub iat: i64,
    pub exp: i64,
}

/// What a verdict must be bound to.
pub(crate) struct Expected<'a> {
    pub subject: &'a str,
    pub operations: &'a [String],
    pub challenge_id: &'a str,
    pub acr_levels: &'a [String],
}

/// Why a verdict was refused, for the logs and the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Malformed,
    UnknownKey,
    Signature,
    Binding,
}

/// Checks a verdict's form, signature (ES256 only, by `keys`) and binding.
pub(crate) fn check(token: &str, keys: &JwkSet, expect: &Expected) -> Result<Claims, Refusal> {
    let jws = Jws::parse(token).map_err(|_| Refusal::Malformed)?;
    if jws.alg != Alg::Es256 || jws.header.typ.as_deref() != Some(VERDICT_TYP) {
        return Err(Refusal::Malformed);
    }
    let key = keys.find(&jws.header, jws.alg).ok_or(Refusal::UnknownKey)?;
    jws.verify(key).map_err(|_| Refusal::Signature)?;
    let claims: Claims = serde_json::from_slice(&jws.payload).map_err(|_| Refusal::Malformed)?;
    if claims.sub != expect.subject
        || claims.ops != expect.operations
        || claims.chl != expect.challenge_id
        || !(1..=MAX_LIFETIME_SECS).contains(&(claims.exp - claims.iat))
        || !expect.acr_levels.contains(&claims.acr)
    {
        return Err(Refusal::Binding);
    }
    Ok(claims)
}

impl FaceService {
    /// The backend's verdict keys, fetched when the cached ones have aged
    /// out or a verdict names a key they lack.
    async fn face_keys(&self, refetch: bool) -> Result<JwkSet> {
        let api = self.ctx.api();
        if !refetch && let Some(keys) = self.keys.fresh(api.clock().as_ref()) {
            return Ok(keys);
        }
        let reply = api.get_json::<JwkSet>("v1/face/jwks").await?;
        self.keys
            .store(api.clock().as_ref(), &reply.body, &reply.headers);
        Ok(reply.body)
    }

    /// Checks a verdict and, when it holds, raises the current account's
    /// level until it lapses.
    pub(crate) async fn accept_verdict(
        &self,
        token: &str,
        operations: &[String],
        challenge_id: &str,
    ) -> Result<FaceVerdict> {
        let session = self
            .identity
            .current_session()?
            .ok_or(PalmGovError::SignInRequired)?;
        let active = self.identity.active()?;
        let expect = Expected {
            subject: &session.subject,
            operations,
            challenge_id,
            acr_levels: &active.config.acr_levels,
        };
        let claims = match check(token, &self.face_keys(false).await?, &expect) {
            // A key we have not seen: the backend rotated; fetch once more.
            Err(Refusal::UnknownKey) => check(token, &self.face_keys(true).await?, &expect),
            other => other,
        }
        .map_err(|r| {
            tracing::warn!(reason = ?r, "face verdict refused");
            PalmGovError::BadServerReply
        })?;
        let level = active.level_of(Some(&claims.acr));
        let lifetime = Duration::from_secs((claims.exp - claims.iat) as u64);
        let valid_until_ms = self
            .identity
            .grant_level(&session.account_id, level, lifetime);
        tracing::info!(level, "face verdict accepted");
        Ok(FaceVerdict {
            level,
            valid_until_ms,
            operations: claims.ops,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::jose::test_keys;
    use serde_json::json;

    fn levels() -> Vec<String> {
        (2..=5).map(|n| format!("urn:palmgov:loa:{n}")).collect()
    }

    fn ops() -> Vec<String> {
        vec!["visit-1".into(), "visit-2".into()]
    }

    fn expect<'a>(levels: &'a [String], ops: &'a [String]) -> Expected<'a> {
        Expected {
            subject: "alice",
            operations: ops,
            challenge_id: "chl-1",
            acr_levels: levels,
        }
    }

    fn claims() -> serde_json::Value {
        json!({"sub": "alice", "ops": ["visit-1", "visit-2"], "chl": "chl-1",
               "acr": "urn:palmgov:loa:4", "iat": 1000, "exp": 1600})
    }

    fn signed(header: serde_json::Value, claims: &serde_json::Value) -> (String, JwkSet) {
        let key = test_keys::es256();
        let token = test_keys::token(&header, claims, |input| {
            key.sign(&ring::rand::SystemRandom::new(), input)
                .unwrap()
                .as_ref()
                .to_vec()
        });
        let set = JwkSet {
            keys: vec![test_keys::es256_jwk(&key, "k1")],
        };
        (token, set)
    }

    fn header() -> serde_json::Value {
        json!({"alg": "ES256", "typ": VERDICT_TYP, "kid": "k1"})
    }

    #[test]
    fn a_bound_verdict_passes() {
        let levels = levels();
        let (token, keys) = signed(header(), &claims());
        assert_eq!(
            check(&token, &keys, &expect(&levels, &ops())).unwrap().acr,
            "urn:palmgov:loa:4"
        );
    }

    #[test]
    fn verdicts_for_something_else_are_refused() {
        let levels = levels();
        for (field, value) in [
            ("sub", json!("mallory")),
            ("ops", json!(["visit-1"])),
            ("ops", json!(["visit-2", "visit-1", "visit-3"])),
            ("chl", json!("chl-2")),
            ("acr", json!("urn:other:high")),
            ("exp", json!(1000 + MAX_LIFETIME_SECS + 1)),
            ("exp", json!(999)),
        ] {
            let mut c = claims();
            c[field] = value;
            let (token, keys) = signed(header(), &c);
            assert_eq!(
                check(&token, &keys, &expect(&levels, &ops())).err(),
                Some(Refusal::Binding),
                "{field}"
            );
        }
    }

    #[test]
    fn forged_or_foreign_tokens_are_refused() {
        let levels = levels();
        let ops = ops();
        let e = expect(&levels, &ops);
        // Signed by another key than the backend's.
        let (token, _) = signed(header(), &claims());
        let (_, other_keys) = signed(header(), &claims());
        assert_eq!(
            check(&token, &other_keys, &e).err(),
            Some(Refusal::Signature)
        );
        // Another kind of token (an ID token, a DPoP proof) from the same key.
        let (token, keys) = signed(json!({"alg": "ES256", "kid": "k1"}), &claims());
        assert_eq!(check(&token, &keys, &e).err(), Some(Refusal::Malformed));
        // An unknown kid asks for a refetch.
        let (token, keys) = signed(
            json!({"alg": "ES256", "typ": VERDICT_TYP, "kid": "k9"}),
            &claims(),
        );
        assert_eq!(check(&token, &keys, &e).err(), Some(Refusal::UnknownKey));
        // alg none, a tampered payload.
        let (token, keys) = signed(header(), &claims());
        let parts: Vec<&str> = token.split('.').collect();
        let none = format!(
            "{}.{}.",
            crate::identity::jose::b64(
                json!({"alg": "none", "typ": VERDICT_TYP})
                    .to_string()
                    .as_bytes()
            ),
            parts[1]
        );
        assert_eq!(check(&none, &keys, &e).err(), Some(Refusal::Malformed));
        let mut c = claims();
        c["exp"] = json!(1900);
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            crate::identity::jose::b64(c.to_string().as_bytes()),
            parts[2]
        );
        assert_eq!(check(&tampered, &keys, &e).err(), Some(Refusal::Signature));
    }
}
