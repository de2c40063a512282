//! Who is calling: the provider's access tokens, checked by token
//! introspection (RFC 7662) with a short cache so a revocation takes effect
//! within seconds, and DPoP proofs (RFC 9449) for sender-constrained tokens.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64};
use serde::Deserialize;
use serde_json::Value;

/// How the backend reaches the identity provider.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// The provider's introspection endpoint.
    pub introspection_endpoint: String,
    /// The backend's own (confidential) client at the provider.
    pub client_id: String,
    pub client_secret: String,
    /// How long an introspection answer is trusted. Short, so a revoked
    /// token stops working soon; 0 disables the cache.
    pub cache_ttl: Duration,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: String,
    /// Whether the token was bound to a key and the proof matched.
    pub dpop: bool,
    /// The assurance the provider authenticated the person at (`acr`), as
    /// carried in the token's introspection.
    pub acr: Option<String>,
    /// `YYYY-MM-DD`, when the provider shares it: the face check needs a
    /// guardian's consent for a person under 14.
    pub birthdate: Option<String>,
}

/// Why a request was refused: the status and a stable error code.
pub type Refusal = (StatusCode, &'static str);

#[derive(Debug, Clone, Deserialize)]
struct Introspection {
    active: bool,
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    cnf: Option<Confirmation>,
    #[serde(default)]
    acr: Option<String>,
    #[serde(default)]
    birthdate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Confirmation {
    #[serde(default)]
    jkt: Option<String>,
}

/// Introspects tokens and checks DPoP proofs.
pub struct Authenticator {
    config: AuthConfig,
    http: reqwest::Client,
    cache: Mutex<HashMap<String, (Instant, Introspection)>>,
    /// DPoP proof ids seen recently, to refuse replays.
    seen_jti: Mutex<HashMap<String, Instant>>,
}

/// How far a DPoP proof's `iat` may be from the server's clock.
const PROOF_WINDOW_SECS: i64 = 300;
const UNAUTHORIZED: Refusal = (StatusCode::UNAUTHORIZED, "invalid_token");

/// Seconds since the Unix epoch by the server's clock (0 before 1970).
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn sha256_b64(data: &[u8]) -> String {
    B64.encode(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

impl Authenticator {
    pub fn new(config: AuthConfig) -> Self {
        // rustls on ring with the web PKI roots, like the core: one crypto stack.
        let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        })
        .with_no_client_auth();
        Self {
            config,
            http: reqwest::Client::builder()
                .tls_backend_preconfigured(tls)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .expect("a preconfigured rustls client always builds"),
            cache: Mutex::new(HashMap::new()),
            seen_jti: Mutex::new(HashMap::new()),
        }
    }

    /// Checks the `Authorization` (and `DPoP`) headers of a request to `url`.
    pub async fn authenticate(
        &self,
        headers: &HeaderMap,
        method: &Method,
        url: &str,
    ) -> Result<Caller, Refusal> {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or(UNAUTHORIZED)?;
        let (scheme, token) = auth.split_once(' ').ok_or(UNAUTHORIZED)?;
        let info = self.introspect(token).await?;
        if !info.active {
            return Err(UNAUTHORIZED);
        }
        let bound = info.cnf.as_ref().and_then(|c| c.jkt.clone());
        let dpop = match (scheme.to_ascii_lowercase().as_str(), bound) {
            ("dpop", Some(jkt)) => {
                let proof = headers
                    .get("dpop")
                    .and_then(|v| v.to_str().ok())
                    .ok_or((StatusCode::UNAUTHORIZED, "invalid_dpop_proof"))?;
                self.check_proof(proof, method, url, token, &jkt)?;
                true
            }
            // A bound token presented as Bearer: a stolen token without its key.
            (_, Some(_)) => return Err(UNAUTHORIZED),
            ("bearer", None) => false,
            _ => return Err(UNAUTHORIZED),
        };
        Ok(Caller {
            subject: info.sub.ok_or(UNAUTHORIZED)?,
            dpop,
            acr: info.acr,
            birthdate: info.birthdate,
        })
    }

    async fn introspect(&self, token: &str) -> Result<Introspection, Refusal> {
        let key = sha256_b64(token.as_bytes());
        if let Some((at, info)) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned())
            && at.elapsed() < self.config.cache_ttl
        {
            return Ok(info);
        }
        let basic = STANDARD.encode(format!(
            "{}:{}",
            self.config.client_id, self.config.client_secret
        ));
        let body = format!("token={}&token_type_hint=access_token", url_escape(token));
        let unavailable = (StatusCode::SERVICE_UNAVAILABLE, "identity_unavailable");
        let response = self
            .http
            .post(&self.config.introspection_endpoint)
            .header("authorization", format!("Basic {basic}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|_| unavailable)?;
        if !response.status().is_success() {
            return Err(unavailable);
        }
        let info: Introspection = response.json().await.map_err(|_| unavailable)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|_, (at, _)| at.elapsed() < self.config.cache_ttl);
            cache.insert(key, (Instant::now(), info.clone()));
        }
        Ok(info)
    }

    /// RFC 9449 §4.3: signature by the embedded key, which must be the one
    /// the token is bound to; method, URL, token hash, time, and a fresh `jti`.
    fn check_proof(
        &self,
        proof: &str,
        method: &Method,
        url: &str,
        token: &str,
        jkt: &str,
    ) -> Result<(), Refusal> {
        let bad = (StatusCode::UNAUTHORIZED, "invalid_dpop_proof");
        let mut parts = proof.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad);
        };
        let decode = |x: &str| B64.decode(x).map_err(|_| bad);
        let header: Value = serde_json::from_slice(&decode(h)?).map_err(|_| bad)?;
        let claims: Value = serde_json::from_slice(&decode(p)?).map_err(|_| bad)?;
        if header["typ"] != "dpop+jwt" || header["alg"] != "ES256" {
            return Err(bad);
        }
        let jwk = &header["jwk"];
        let (Some(x), Some(y)) = (jwk["x"].as_str(), jwk["y"].as_str()) else {
            return Err(bad);
        };
        if jwk["kty"] != "EC" || jwk["crv"] != "P-256" {
            return Err(bad);
        }
        let thumbprint = sha256_b64(
            serde_json::json!({"crv": "P-256", "kty": "EC", "x": x, "y": y})
                .to_string()
                .as_bytes(),
        );
        if thumbprint != jkt {
            return Err(bad);
        }
        let point = [&[4u8][..], &decode(x)?, &decode(y)?].concat();
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, point)
            .verify(format!("{h}.{p}").as_bytes(), &decode(s)?)
            .map_err(|_| bad)?;
        let now = unix_now();
        let iat = claims["iat"].as_i64().ok_or(bad)?;
        if claims["htm"] != method.as_str()
            || claims["htu"] != url
            || claims["ath"] != sha256_b64(token.as_bytes()).as_str()
            || (iat - now).abs() > PROOF_WINDOW_SECS
        {
            return Err(bad);
        }
        let jti = claims["jti"].as_str().ok_or(bad)?.to_string();
        let mut seen = self.seen_jti.lock().map_err(|_| bad)?;
        let window = Duration::from_secs(2 * PROOF_WINDOW_SECS as u64);
        seen.retain(|_, at| at.elapsed() < window);
        if seen.insert(jti, Instant::now()).is_some() {
            return Err(bad);
        }
        Ok(())
    }
}

fn url_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A caller as the authenticator would hand it over.
    pub(crate) fn caller(sub: &str) -> Caller {
        Caller {
            subject: sub.into(),
            dpop: false,
            acr: None,
            birthdate: None,
        }
    }
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
    use serde_json::json;

    fn authenticator() -> Authenticator {
        Authenticator::new(AuthConfig {
            introspection_endpoint: "http://127.0.0.1:9/introspect".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            cache_ttl: Duration::ZERO,
        })
    }

    struct Key {
        pair: EcdsaKeyPair,
        jkt: String,
        jwk: Value,
    }

    fn key() -> Key {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let p = pair.public_key().as_ref();
        let jwk = json!({"crv": "P-256", "kty": "EC", "x": B64.encode(&p[1..33]), "y": B64.encode(&p[33..65])});
        Key {
            jkt: sha256_b64(jwk.to_string().as_bytes()),
            pair,
            jwk,
        }
    }

    fn proof(key: &Key, claims: Value) -> String {
        proof_signed_by(key, &key.pair, claims)
    }

    /// A proof whose header names `key` but which `signer` signed.
    fn proof_signed_by(key: &Key, signer: &EcdsaKeyPair, claims: Value) -> String {
        let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.jwk});
        let input = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        );
        let sig = signer.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", B64.encode(sig.as_ref()))
    }

    fn claims(jti: &str) -> Value {
        let now = unix_now();
        json!({"jti": jti, "htm": "GET", "htu": "http://h/v1/me", "iat": now, "ath": sha256_b64(b"tok")})
    }

    #[test]
    fn a_valid_proof_passes_once_and_its_jti_cannot_be_reused() {
        let (auth, key) = (authenticator(), key());
        let p = proof(&key, claims("j1"));
        auth.check_proof(&p, &Method::GET, "http://h/v1/me", "tok", &key.jkt)
            .unwrap();
        assert!(
            auth.check_proof(&p, &Method::GET, "http://h/v1/me", "tok", &key.jkt)
                .is_err()
        );
    }

    #[test]
    fn proofs_for_another_key_request_or_token_are_refused() {
        let (auth, key, other) = (authenticator(), key(), key());
        let mut old = claims("e");
        old["iat"] = json!(1_000_000);
        let (get, post) = (Method::GET, Method::POST);
        let me = "http://h/v1/me";
        let cases = [
            (
                "bound to another key",
                proof(&key, claims("a")),
                &get,
                me,
                "tok",
                &other.jkt,
            ),
            (
                "another method",
                proof(&key, claims("b")),
                &post,
                me,
                "tok",
                &key.jkt,
            ),
            (
                "another URL",
                proof(&key, claims("c")),
                &get,
                "http://h/v1/x",
                "tok",
                &key.jkt,
            ),
            (
                "another token",
                proof(&key, claims("d")),
                &get,
                me,
                "stolen",
                &key.jkt,
            ),
            ("too old", proof(&key, old), &get, me, "tok", &key.jkt),
            (
                "signed by a key not in its header",
                proof_signed_by(&key, &other.pair, claims("f")),
                &get,
                me,
                "tok",
                &key.jkt,
            ),
        ];
        for (what, p, method, url, token, jkt) in cases {
            assert!(
                auth.check_proof(&p, method, url, token, jkt).is_err(),
                "{what}"
            );
        }
    }
}
