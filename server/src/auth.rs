//! Who is calling: the provider's access tokens, checked by token
//! introspection (RFC 7662) with a short cache so a revocation takes effect
//! within seconds, and DPoP proofs (RFC 9449) for sender-constrained tokens.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64};
use serde::Deserialize;
use serde_json::Value;

/// How the backend trusts the identity provider's access tokens.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// The provider's issuer: its discovery document
    /// (`{issuer}/.well-known/openid-configuration`) names the
    /// introspection endpoint.
    pub issuer: String,
    /// The introspection endpoint, when the provider's discovery does not
    /// name one; otherwise taken from discovery at first use.
    pub introspection_endpoint: Option<String>,
    /// The backend's own (confidential) client at the provider, which
    /// introspects. Each region registers its own; never a built-in.
    pub client_id: String,
    pub client_secret: String,
    /// The clients whose tokens the API accepts (the introspection's
    /// `client_id`): the region's apps. A token the same provider issued to
    /// another client is refused (RFC 9700 section 2.3).
    pub accepted_clients: Vec<String>,
    /// The audience tokens must name (`aud`), when the provider restricts
    /// tokens to a resource (RFC 8707). At least one of this and
    /// `accepted_clients` must be set.
    pub audience: Option<String>,
    /// Require a fresh server nonce in every DPoP proof (RFC 9449 section
    /// 9): a proof made in advance on a stolen device stops working.
    pub dpop_nonce: bool,
    /// How long an introspection answer is trusted. Short, so a revoked
    /// token stops working soon; 0 disables the cache.
    pub cache_ttl: Duration,
}

impl AuthConfig {
    /// Settings for `issuer`'s tokens issued to `client` only, the backend
    /// introspecting as `backend_id`/`backend_secret`; the endpoint from
    /// discovery, no nonce, a 5 s cache.
    pub fn new(issuer: &str, backend_id: &str, backend_secret: &str, client: &str) -> Self {
        Self {
            issuer: issuer.trim_end_matches('/').to_string(),
            introspection_endpoint: None,
            client_id: backend_id.into(),
            client_secret: backend_secret.into(),
            accepted_clients: vec![client.into()],
            audience: None,
            dpop_nonce: false,
            cache_ttl: Duration::from_secs(5),
        }
    }
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
    /// Who the provider verified the caller to be, when it says: what the
    /// wallet issues licences from.
    pub person: Option<Person>,
    /// The thumbprint of the key the session's tokens are bound to (DPoP
    /// `cnf.jkt`): which phone the session is on.
    pub session_key: Option<String>,
}

/// A person as the identity provider verified them (name, ID number, birth
/// date), and the organisation an agent acts for. Never printed.
#[derive(Clone)]
pub struct Person {
    pub name: String,
    pub id_number: String,
    pub birth_date: String,
    pub organisation: Option<Organisation>,
}

#[derive(Clone)]
pub struct Organisation {
    pub name: String,
    pub credit_code: String,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person").finish_non_exhaustive()
    }
}

/// Why a request was refused: the status and a stable error code.
pub type Refusal = (StatusCode, &'static str);

#[derive(Debug, Clone, Deserialize)]
struct Introspection {
    active: bool,
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    /// A string or a list (RFC 7662 section 2.2).
    #[serde(default)]
    aud: Option<Value>,
    #[serde(default)]
    cnf: Option<Confirmation>,
    #[serde(default)]
    acr: Option<String>,
    #[serde(default)]
    birthdate: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    palmgov_id_number: Option<String>,
    #[serde(default)]
    palmgov_org_name: Option<String>,
    #[serde(default)]
    palmgov_org_credit_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Confirmation {
    #[serde(default)]
    jkt: Option<String>,
}

/// Why an [`Authenticator`] cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error(
        "the API would accept tokens issued to any client: name the accepted clients or an audience"
    )]
    Unrestricted,
    #[error("the replay store: {0}")]
    Store(#[from] rusqlite::Error),
}

/// Introspects tokens and checks DPoP proofs.
pub struct Authenticator {
    config: AuthConfig,
    http: reqwest::Client,
    /// The introspection endpoint, once known.
    endpoint: tokio::sync::Mutex<Option<String>>,
    cache: Mutex<HashMap<String, (Instant, Introspection)>>,
    /// DPoP proof ids seen within their window, in the database, so a
    /// restart does not open a window for replays.
    seen: Mutex<rusqlite::Connection>,
    nonces: NonceIssuer,
}

/// How far a DPoP proof's `iat` may be from the server's clock.
const PROOF_WINDOW_SECS: i64 = 300;
const UNAUTHORIZED: Refusal = (StatusCode::UNAUTHORIZED, "invalid_token");
const BAD_PROOF: Refusal = (StatusCode::UNAUTHORIZED, "invalid_dpop_proof");
/// The refusal that asks the client to retry with the nonce it is given.
pub const USE_NONCE: Refusal = (StatusCode::UNAUTHORIZED, "use_dpop_nonce");
/// The longest `jti` kept: ours are 22 characters.
const MAX_JTI: usize = 128;

const REPLAY_SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS dpop_proofs (
        jti TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS dpop_proofs_expiry ON dpop_proofs (expires_at);";

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
    /// An authenticator keeping its replay record in the database at
    /// `db_path` (in memory without one).
    pub fn new(config: AuthConfig, db_path: Option<&Path>) -> Result<Self, AuthSetupError> {
        if config.accepted_clients.is_empty() && config.audience.is_none() {
            return Err(AuthSetupError::Unrestricted);
        }
        let seen = crate::store::connect(db_path)?;
        // A restart is what the record must survive; losing the last
        // proofs to a power cut is not worth an fsync per request.
        seen.execute_batch(&format!("PRAGMA synchronous=NORMAL; {REPLAY_SCHEMA}"))?;
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
        Ok(Self {
            endpoint: tokio::sync::Mutex::new(config.introspection_endpoint.clone()),
            config,
            http: reqwest::Client::builder()
                .tls_backend_preconfigured(tls)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .expect("a preconfigured rustls client always builds"),
            cache: Mutex::new(HashMap::new()),
            seen: Mutex::new(seen),
            nonces: NonceIssuer::new(),
        })
    }

    /// Whether proofs must carry a server nonce.
    pub fn wants_nonce(&self) -> bool {
        self.config.dpop_nonce
    }

    /// The nonce to hand clients now (`DPoP-Nonce`).
    pub fn current_nonce(&self) -> String {
        self.nonces.issue(unix_now())
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
        self.accept(&info)?;
        let bound = info.cnf.as_ref().and_then(|c| c.jkt.clone());
        let session_key = bound.clone();
        let dpop = match (scheme.to_ascii_lowercase().as_str(), bound) {
            ("dpop", Some(jkt)) => {
                let proof = headers
                    .get("dpop")
                    .and_then(|v| v.to_str().ok())
                    .ok_or(BAD_PROOF)?;
                self.check_proof(proof, method, url, token, &jkt)?;
                true
            }
            // A bound token presented as Bearer: a stolen token without its key.
            (_, Some(_)) => return Err(UNAUTHORIZED),
            ("bearer", None) => false,
            _ => return Err(UNAUTHORIZED),
        };
        let person = match (&info.name, &info.palmgov_id_number, &info.birthdate) {
            (Some(name), Some(id_number), Some(birth_date)) => Some(Person {
                name: name.clone(),
                id_number: id_number.clone(),
                birth_date: birth_date.clone(),
                organisation: info
                    .palmgov_org_name
                    .clone()
                    .zip(info.palmgov_org_credit_code.clone())
                    .map(|(name, credit_code)| Organisation { name, credit_code }),
            }),
            _ => None,
        };
        Ok(Caller {
            subject: info.sub.ok_or(UNAUTHORIZED)?,
            dpop,
            acr: info.acr,
            birthdate: info.birthdate,
            person,
            session_key,
        })
    }

    /// An active token, issued to one of the region's apps or for this API.
    fn accept(&self, info: &Introspection) -> Result<(), Refusal> {
        if !info.active {
            return Err(UNAUTHORIZED);
        }
        let accepted = &self.config.accepted_clients;
        if !accepted.is_empty()
            && !info
                .client_id
                .as_ref()
                .is_some_and(|c| accepted.contains(c))
        {
            return Err(UNAUTHORIZED);
        }
        if let Some(audience) = &self.config.audience {
            let named = match &info.aud {
                Some(Value::String(a)) => a == audience,
                Some(Value::Array(list)) => list.iter().any(|a| a == audience.as_str()),
                _ => false,
            };
            if !named {
                return Err(UNAUTHORIZED);
            }
        }
        Ok(())
    }

    /// The introspection endpoint: configured, or named by the provider's
    /// discovery document (fetched once; a failure is retried next time).
    async fn endpoint(&self) -> Result<String, Refusal> {
        let unavailable = (StatusCode::SERVICE_UNAVAILABLE, "identity_unavailable");
        let mut endpoint = self.endpoint.lock().await;
        if let Some(e) = endpoint.as_ref() {
            return Ok(e.clone());
        }
        let url = format!("{}/.well-known/openid-configuration", self.config.issuer);
        let discovery: Value = self
            .http
            .get(&url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|_| unavailable)?
            .json()
            .await
            .map_err(|_| unavailable)?;
        let found = discovery["introspection_endpoint"]
            .as_str()
            .filter(|_| discovery["issuer"] == self.config.issuer.as_str())
            .filter(|e| e.starts_with("https://") || is_loopback_http(e))
            .ok_or_else(|| {
                tracing::error!("the provider's discovery names no usable introspection endpoint");
                unavailable
            })?;
        *endpoint = Some(found.to_string());
        Ok(found.to_string())
    }

    async fn introspect(&self, token: &str) -> Result<Introspection, Refusal> {
        let key = sha256_b64(token.as_bytes());
        if let Some((at, info)) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned())
            && at.elapsed() < self.config.cache_ttl
        {
            return Ok(info);
        }
        let endpoint = self.endpoint().await?;
        // RFC 6749 section 2.3.1: each part form-encoded before Basic.
        let basic = STANDARD.encode(format!(
            "{}:{}",
            url_escape(&self.config.client_id),
            url_escape(&self.config.client_secret)
        ));
        let body = format!("token={}&token_type_hint=access_token", url_escape(token));
        let unavailable = (StatusCode::SERVICE_UNAVAILABLE, "identity_unavailable");
        let response = self
            .http
            .post(&endpoint)
            .header("authorization", format!("Basic {basic}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|_| unavailable)?;
        if !response.status().is_success() {
            tracing::warn!(status = %response.status(), "introspection refused");
            return Err(unavailable);
        }
        let info: Introspection = response.json().await.map_err(|_| unavailable)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|_, (at, _)| at.elapsed() < self.config.cache_ttl);
            cache.insert(key, (Instant::now(), info.clone()));
        }
        Ok(info)
    }

    /// RFC 9449 section 4.3: signature by the embedded key, which must be
    /// the one the token is bound to; method, URL, token hash, time, the
    /// server's nonce when it asks for one, and a `jti` never seen before.
    fn check_proof(
        &self,
        proof: &str,
        method: &Method,
        url: &str,
        token: &str,
        jkt: &str,
    ) -> Result<(), Refusal> {
        let bad = BAD_PROOF;
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
        // Before the jti is recorded: the retry with the nonce is a new
        // proof anyway, but a refused one should leave no trace.
        if self.config.dpop_nonce
            && !claims["nonce"]
                .as_str()
                .is_some_and(|n| self.nonces.valid(n, now))
        {
            return Err(USE_NONCE);
        }
        let jti = claims["jti"]
            .as_str()
            .filter(|j| !j.is_empty() && j.len() <= MAX_JTI)
            .ok_or(bad)?;
        self.first_sight(jti, iat.max(now) + PROOF_WINDOW_SECS, now)
            .map_err(|()| bad)
    }

    /// Records `jti` until `expires_at`; `Err` when it was seen before (a
    /// replay) or cannot be recorded (then it cannot be checked either).
    fn first_sight(&self, jti: &str, expires_at: i64, now: i64) -> Result<(), ()> {
        let seen = self.seen.lock().map_err(|_| ())?;
        seen.execute("DELETE FROM dpop_proofs WHERE expires_at < ?1", [now])
            .map_err(|_| ())?;
        let inserted = seen
            .execute(
                "INSERT OR IGNORE INTO dpop_proofs (jti, expires_at) VALUES (?1, ?2)",
                rusqlite::params![jti, expires_at],
            )
            .map_err(|_| ())?;
        if inserted == 1 { Ok(()) } else { Err(()) }
    }
}

/// Stateless DPoP nonces: a time step and its HMAC under a key of this
/// process, valid in the step they were issued in and the next (5 to 10
/// minutes). A restart changes the key; clients then get one more
/// `use_dpop_nonce` and carry on.
pub(crate) struct NonceIssuer {
    key: ring::hmac::Key,
}

/// Length of a nonce time step, in seconds.
pub(crate) const NONCE_STEP_SECS: i64 = 300;

impl NonceIssuer {
    pub(crate) fn new() -> Self {
        let rng = ring::rand::SystemRandom::new();
        Self {
            key: ring::hmac::Key::generate(ring::hmac::HMAC_SHA256, &rng)
                .expect("the system random generator works"),
        }
    }

    /// A nonce for the step of `now`.
    fn issue(&self, now: i64) -> String {
        self.issue_for("", now)
    }

    fn valid(&self, nonce: &str, now: i64) -> bool {
        self.valid_for("", nonce, now)
    }

    /// A nonce for the step of `now`, bound to `context` (the wallet binds
    /// its holder-proof nonces to the person who asked): the MAC covers
    /// the step and the context, so one person's nonce is not another's.
    pub(crate) fn issue_for(&self, context: &str, now: i64) -> String {
        let step = now.div_euclid(NONCE_STEP_SECS).to_be_bytes();
        let tag = ring::hmac::sign(&self.key, &[&step[..], context.as_bytes()].concat());
        B64.encode([&step[..], tag.as_ref()].concat())
    }

    /// Whether `nonce` was issued for `context` in the step of `now` or
    /// the one before (5 to 10 minutes).
    pub(crate) fn valid_for(&self, context: &str, nonce: &str, now: i64) -> bool {
        let Ok(bytes) = B64.decode(nonce) else {
            return false;
        };
        let Some((step, tag)) = bytes.split_first_chunk::<8>() else {
            return false;
        };
        let current = now.div_euclid(NONCE_STEP_SECS);
        let issued = i64::from_be_bytes(*step);
        (issued == current || issued == current - 1)
            && ring::hmac::verify(&self.key, &[&step[..], context.as_bytes()].concat(), tag).is_ok()
    }
}

/// `http://127.0.0.1…`, `http://[::1]…` or `http://localhost…`: the test
/// provider; anything else must be HTTPS.
pub(crate) fn is_loopback_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    ["127.0.0.1", "[::1]", "localhost"].iter().any(|h| {
        rest.starts_with(h) && matches!(rest.as_bytes().get(h.len()), Some(b':' | b'/') | None)
    })
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
            person: None,
            session_key: None,
        }
    }
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
    use serde_json::json;

    fn config() -> AuthConfig {
        AuthConfig {
            introspection_endpoint: Some("http://127.0.0.1:9/introspect".into()),
            cache_ttl: Duration::ZERO,
            ..AuthConfig::new("http://127.0.0.1:9", "c", "s", "app")
        }
    }

    fn authenticator() -> Authenticator {
        Authenticator::new(config(), None).unwrap()
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

    #[test]
    fn a_proof_seen_before_a_restart_is_still_a_replay() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("server.db");
        let key = key();
        let p = proof(&key, claims("before-restart"));
        let first = Authenticator::new(config(), Some(&db)).unwrap();
        first
            .check_proof(&p, &Method::GET, "http://h/v1/me", "tok", &key.jkt)
            .unwrap();
        drop(first);
        let restarted = Authenticator::new(config(), Some(&db)).unwrap();
        assert_eq!(
            restarted.check_proof(&p, &Method::GET, "http://h/v1/me", "tok", &key.jkt),
            Err(BAD_PROOF)
        );
        // An expired record goes at the next check; a new proof passes.
        let fresh = proof(&key, claims("after-restart"));
        restarted
            .check_proof(&fresh, &Method::GET, "http://h/v1/me", "tok", &key.jkt)
            .unwrap();
    }

    #[test]
    fn a_server_that_wants_nonces_gets_them() {
        let auth = Authenticator::new(
            AuthConfig {
                dpop_nonce: true,
                ..config()
            },
            None,
        )
        .unwrap();
        let key = key();
        let check = |claims: Value| {
            auth.check_proof(
                &proof(&key, claims),
                &Method::GET,
                "http://h/v1/me",
                "tok",
                &key.jkt,
            )
        };
        assert_eq!(check(claims("n1")), Err(USE_NONCE));
        let mut with = claims("n2");
        with["nonce"] = json!(auth.current_nonce());
        assert_eq!(check(with), Ok(()));
        // A nonce from two steps ago, and one of another server, are stale.
        let mut old = claims("n3");
        old["nonce"] = json!(auth.nonces.issue(unix_now() - 2 * NONCE_STEP_SECS));
        assert_eq!(check(old), Err(USE_NONCE));
        let mut foreign = claims("n4");
        foreign["nonce"] = json!(NonceIssuer::new().issue(unix_now()));
        assert_eq!(check(foreign), Err(USE_NONCE));
        // The one of the previous step still holds (it was just handed out).
        let mut previous = claims("n5");
        previous["nonce"] = json!(auth.nonces.issue(unix_now() - NONCE_STEP_SECS));
        assert_eq!(check(previous), Ok(()));
    }

    fn introspection(v: Value) -> Introspection {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn tokens_for_another_client_or_audience_are_refused() {
        let auth = authenticator();
        let ours = introspection(json!({"active": true, "sub": "u", "client_id": "app"}));
        assert_eq!(auth.accept(&ours), Ok(()));
        for other in [
            json!({"active": true, "sub": "u", "client_id": "another-app"}),
            json!({"active": true, "sub": "u"}),
            json!({"active": false, "sub": "u", "client_id": "app"}),
        ] {
            assert_eq!(auth.accept(&introspection(other)), Err(UNAUTHORIZED));
        }
        let by_audience = Authenticator::new(
            AuthConfig {
                accepted_clients: vec![],
                audience: Some("https://api.example.gov.cn".into()),
                ..config()
            },
            None,
        )
        .unwrap();
        for (aud, ok) in [
            (json!("https://api.example.gov.cn"), true),
            (json!(["x", "https://api.example.gov.cn"]), true),
            (json!("https://other.example"), false),
            (Value::Null, false),
        ] {
            let info = introspection(json!({"active": true, "sub": "u", "aud": aud}));
            assert_eq!(by_audience.accept(&info).is_ok(), ok, "{aud}");
        }
        assert!(matches!(
            Authenticator::new(
                AuthConfig {
                    accepted_clients: vec![],
                    ..config()
                },
                None
            ),
            Err(AuthSetupError::Unrestricted)
        ));
    }

    #[test]
    fn only_https_or_loopback_endpoints() {
        assert!(is_loopback_http(
            "http://127.0.0.1:8788/token/introspection"
        ));
        assert!(is_loopback_http("http://localhost/x"));
        assert!(!is_loopback_http("http://127.0.0.1.evil.example/x"));
        assert!(!is_loopback_http("http://idp.example/x"));
    }
}
