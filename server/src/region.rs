//! The region this backend answers for: its signed region profile (`GET
//! /v1/region/profile`), its configuration (`GET /v1/config`, the same
//! values unsigned) and the health check (`GET /v1/health`).
//!
//! Also the region's signing keys as files (private JWKs, for `palmgov
//! region`), and, for tests, profiles signed by the test keys in
//! `regions/keys/test/` ([`test_profile`]).

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use palmgov::region::profile::PROFILE_KIND;
use palmgov_credentials::envelope;
use palmgov_credentials::keys::{Alg, Ed25519Signer, Es256Signer, PublicKey, Signer, Sm2Signer};
use ring::rand::SecureRandom;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{AppState, error};

/// The region a server answers for, seeded into its database at start.
#[derive(Debug, Clone)]
pub struct RegionSeed {
    pub region_code: String,
    pub display_name: String,
    pub features: Vec<String>,
    pub support_phone: Option<String>,
}

impl RegionSeed {
    /// A fictional demo region (the code is a real county-level format).
    pub fn demo() -> Self {
        Self {
            region_code: "330106".into(),
            display_name: "西湖区 (demo)".into(),
            features: vec!["secure_store".into()],
            support_phone: Some("12345".into()),
        }
    }
}

/// The region's signed profile as this backend serves it: the envelope
/// exactly as its keys signed it, and the root documents after the root
/// the apps pin, in order. Served as given: the backend does not verify
/// it (the apps do), so a test can serve a bad one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionProfileSeed {
    /// The profile envelope (kind `palmgov.region-profile`).
    pub profile: String,
    /// Root documents (kind `palmgov.root`), version 2 first.
    #[serde(default)]
    pub roots: Vec<String>,
}

/// The region's configuration, in the backend's database. One connection
/// behind a mutex: the reference server favours simplicity. The signed
/// profile, when there is one, is held in memory: it comes from the
/// server's options at every start.
pub struct RegionStore {
    conn: Mutex<Connection>,
    profile: RwLock<Option<RegionProfileSeed>>,
}

const SCHEMA: &[&str] = &["CREATE TABLE region_config (
        region_code TEXT PRIMARY KEY,
        body TEXT NOT NULL
    ) STRICT;"];

impl RegionStore {
    /// Opens (or creates) the database and seeds the region.
    pub fn open(path: Option<&Path>, region: &RegionSeed) -> rusqlite::Result<Self> {
        let mut conn: Connection = crate::store::connect(path)?;
        let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, step) in SCHEMA.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        let body = json!({
            "region_code": region.region_code,
            "display_name": region.display_name,
            "api_version": crate::API_VERSION,
            "features": region.features,
            "support_phone": region.support_phone,
        });
        conn.execute("DELETE FROM region_config", [])?;
        conn.execute(
            "INSERT INTO region_config (region_code, body) VALUES (?1, ?2)",
            rusqlite::params![region.region_code, body.to_string()],
        )?;
        Ok(Self {
            conn: Mutex::new(conn),
            profile: RwLock::new(None),
        })
    }

    /// The region's published configuration: the signed profile's values
    /// when a profile is served (region code, name, services, hotline), so
    /// the two never disagree; the seed's otherwise.
    pub fn region_config(&self) -> rusqlite::Result<Option<Value>> {
        if let Some(config) = self.profile().and_then(|p| config_of(&p.profile)) {
            return Ok(Some(config));
        }
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let body: Option<String> = conn
            .query_row("SELECT body FROM region_config LIMIT 1", [], |r| r.get(0))
            .optional()?;
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }

    /// The signed profile served, if any.
    pub fn profile(&self) -> Option<RegionProfileSeed> {
        self.profile
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Serves `profile` from now on (`None`: no profile, 404).
    pub fn set_profile(&self, profile: Option<RegionProfileSeed>) {
        *self.profile.write().unwrap_or_else(|p| p.into_inner()) = profile;
    }

    /// Serves the signed `profile` from now on, with no new root
    /// documents: a region rolling its profile forward.
    pub fn serve_profile(&self, profile: String) {
        self.set_profile(Some(RegionProfileSeed {
            profile,
            roots: Vec::new(),
        }));
    }
}

/// The version and body of a profile envelope, read without verifying it
/// (the backend's own document, or a test's bad one).
fn read_unverified(document: &str) -> Option<(u64, Value)> {
    let wire: Value = serde_json::from_str(document).ok()?;
    let payload = B64.decode(wire["signed"].as_str()?).ok()?;
    let mut payload: Value = serde_json::from_slice(&payload).ok()?;
    if payload["kind"] != PROFILE_KIND {
        return None;
    }
    Some((payload["version"].as_u64()?, payload["body"].take()))
}

/// `/v1/config` as a profile says it.
fn config_of(document: &str) -> Option<Value> {
    let (_, body) = read_unverified(document)?;
    let names = body["region"]["names"].as_object()?;
    let name = names.get("zh-Hans").or_else(|| names.values().next())?;
    Some(json!({
        "region_code": body["region"]["code"].as_str()?,
        "display_name": name.as_str()?,
        "api_version": crate::API_VERSION,
        "features": body["services"].as_array()?,
        "support_phone": body["branding"]["hotline"].as_str(),
    }))
}

/// `GET /v1/health`.
pub(crate) async fn health() -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "api_version": crate::API_VERSION,
    }))
}

/// `GET /v1/config`: the region's published configuration.
pub(crate) async fn config(State(state): State<Arc<AppState>>) -> Response {
    match state.region.region_config() {
        Ok(Some(body)) => Json(body).into_response(),
        Ok(None) => error(StatusCode::NOT_FOUND, "no_region"),
        Err(e) => {
            tracing::error!("config query failed: {e}");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

/// `GET /v1/region/profile`: the signed region profile and the root
/// documents since the pinned root (public). Never cached on the way: a
/// new profile takes effect at the next refresh.
pub(crate) async fn profile(State(state): State<Arc<AppState>>) -> Response {
    match state.region.profile() {
        Some(seed) => (
            [(header::CACHE_CONTROL, "no-cache")],
            Json(json!({"profile": seed.profile, "roots": seed.roots})),
        )
            .into_response(),
        None => error(StatusCode::NOT_FOUND, "no_region_profile"),
    }
}

/// `PUT /v1/dev/region/profile`: serve another profile (and roots) from
/// now on, as a region rolls its profile forward. Taken as given, bad or
/// not: the tests serve bad ones to see the apps refuse them.
pub(crate) async fn dev_set_profile(
    State(state): State<Arc<AppState>>,
    crate::JsonBody(seed): crate::JsonBody<RegionProfileSeed>,
) -> Response {
    let version = read_unverified(&seed.profile).map(|(v, _)| v);
    state.region.set_profile(Some(seed));
    Json(json!({"version": version})).into_response()
}

// --- signing keys as files ---------------------------------------------------

/// The PKCS#8 document ring reads and writes for a P-256 key is this
/// prefix, the private scalar (32 bytes), [`P256_PKCS8_MIDDLE`] and the
/// uncompressed public point (65 bytes).
const P256_PKCS8_PREFIX: [u8; 36] = [
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
    0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02,
    0x01, 0x01, 0x04, 0x20,
];
const P256_PKCS8_MIDDLE: [u8; 5] = [0xa1, 0x44, 0x03, 0x42, 0x00];

/// A new signing key of `alg` as a private JWK: the public members, `d`
/// (the private scalar, or the Ed25519 seed), `alg` and `kid` (the RFC
/// 7638 thumbprint, the key id envelopes name it by). Keep it off the
/// network and out of any repository.
pub fn generate_private_jwk(alg: Alg) -> Result<Value, String> {
    let failed = |_| "the system random source failed".to_string();
    let (public, d): (PublicKey, Vec<u8>) = match alg {
        Alg::Es256 => {
            let signer = Es256Signer::generate().map_err(failed)?;
            let pkcs8 = signer.pkcs8();
            let scalar = (pkcs8.len() == 138
                && pkcs8[..36] == P256_PKCS8_PREFIX
                && pkcs8[68..73] == P256_PKCS8_MIDDLE)
                .then(|| pkcs8[36..68].to_vec())
                .ok_or("an unexpected P-256 key encoding")?;
            (signer.public_key(), scalar)
        }
        Alg::EdDsa => {
            let mut seed = [0u8; 32];
            ring::rand::SystemRandom::new()
                .fill(&mut seed)
                .map_err(|_| "the system random source failed".to_string())?;
            let signer = Ed25519Signer::from_seed(&seed).map_err(failed)?;
            (signer.public_key(), seed.to_vec())
        }
        Alg::Sm2 => {
            let signer = Sm2Signer::generate().map_err(failed)?;
            (signer.public_key(), signer.to_bytes().to_vec())
        }
    };
    let mut jwk = public.to_jwk();
    jwk["d"] = B64.encode(&d).into();
    jwk["alg"] = alg.name().into();
    jwk["kid"] = public.thumbprint().into();
    // The private key made here is checked to sign as its public part says.
    signer_from_private_jwk(&jwk)?;
    Ok(jwk)
}

/// The public key of a JWK, private (its `d` is left out) or public.
pub fn public_key_of(jwk: &Value) -> Result<PublicKey, String> {
    let mut public = jwk.clone();
    if let Some(members) = public.as_object_mut() {
        members.remove("d");
    }
    let key = PublicKey::from_jwk(&public)
        .map_err(|_| "not an ES256, EdDSA or SM2 key in JWK form".to_string())?;
    match jwk.get("alg").map(|a| a.as_str().and_then(Alg::parse)) {
        Some(Some(alg)) if alg != key.alg() => Err(format!(
            "the key is {}, its \"alg\" says {}",
            key.alg().name(),
            alg.name()
        )),
        Some(None) => Err("its \"alg\" is not ES256, EdDSA or SM2".into()),
        _ => Ok(key),
    }
}

/// A signer from a private JWK ([`generate_private_jwk`]'s form), checked
/// to be the key its public members name.
pub fn signer_from_private_jwk(jwk: &Value) -> Result<Box<dyn Signer>, String> {
    let public = public_key_of(jwk)?;
    let d = jwk["d"]
        .as_str()
        .and_then(|d| B64.decode(d).ok())
        .filter(|d| d.len() == 32)
        .ok_or("not a private key: no 32-byte \"d\"")?;
    let bad = |_| "the private key is not valid".to_string();
    let signer: Box<dyn Signer> = match &public {
        PublicKey::P256(point) => {
            let mut pkcs8 = P256_PKCS8_PREFIX.to_vec();
            pkcs8.extend_from_slice(&d);
            pkcs8.extend_from_slice(&P256_PKCS8_MIDDLE);
            pkcs8.extend_from_slice(point);
            Box::new(Es256Signer::from_pkcs8(&pkcs8).map_err(bad)?)
        }
        PublicKey::Ed25519(_) => Box::new(Ed25519Signer::from_seed(&d).map_err(bad)?),
        PublicKey::Sm2(_) => Box::new(Sm2Signer::from_bytes(&d).map_err(bad)?),
    };
    if signer.public_key() != public {
        return Err("the private key does not match its public members".into());
    }
    Ok(signer)
}

// --- test profiles ------------------------------------------------------------

/// The app id test profiles are for.
pub const TEST_APP_ID: &str = "org.palmgov.test";

/// The three region profile test keys (ES256 private JWKs), the same the
/// bundled profiles of `regions/` are signed with. TEST AND DEMO ONLY.
const TEST_KEYS: [&str; 3] = [
    include_str!("../../regions/keys/test/region-root-1.json"),
    include_str!("../../regions/keys/test/region-root-2.json"),
    include_str!("../../regions/keys/test/region-root-3.json"),
];

/// The region profile test keys (`regions/keys/test/region-root-N.json`,
/// N = index + 1), to sign profiles and root documents in tests.
pub fn test_profile_signers() -> Vec<Box<dyn Signer>> {
    TEST_KEYS
        .iter()
        .map(|text| {
            let jwk: Value = serde_json::from_str(text).expect("a test key file is JSON");
            signer_from_private_jwk(&jwk).expect("a test key file is a private key")
        })
        .collect()
}

/// The public JWKs (as JSON text) of the three test keys, in order: what a
/// test build pins (`RegionTrust.root_keys`, threshold 2).
pub fn test_profile_root_keys() -> Vec<String> {
    test_profile_signers()
        .iter()
        .map(|s| s.public_key().to_jwk().to_string())
        .collect()
}

/// A valid profile body for tests: the region `region_code` at `base_url`,
/// signing in at `issuer` (taking over the accounts of the issuers in
/// `takes_over`), in Simplified Chinese, for app [`TEST_APP_ID`] from
/// 1.0.0, trusting the backend's test licence roots. Change it as a test
/// needs and sign it with [`sign_test_profile`].
///
/// Its service catalog is the one a server serves by default
/// ([`crate::catalog::DEFAULT_CATALOG_DIR`], at `v1/catalog`), pinned by
/// its manifest's hash. Without that catalog on disk the profile names
/// none: the app takes a catalog only with its pin.
pub fn test_profile_body(
    region_code: &str,
    base_url: &str,
    issuer: &str,
    client_id: &str,
    redirect_uri: &str,
    takes_over: Vec<String>,
) -> Value {
    let (licence_roots, licence_threshold) = crate::wallet::test_root_keys();
    let mut body = json!({
        "region": {"code": region_code, "names": {"zh-Hans": format!("测试地区 {region_code}"), "en": format!("Test region {region_code}")}},
        "api": {"base_url": base_url},
        "identity": {
            "issuer": issuer,
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scopes": ["openid", "profile", "offline_access"],
            "acr_levels": (2..=5).map(|n| format!("urn:palmgov:loa:{n}")).collect::<Vec<_>>(),
            "use_dpop": true,
            "takes_over": takes_over,
        },
        "services": ["drafts", "roster", "wallet", "secure_store"],
        "languages": {"offered": ["zh-Hans"], "default": "zh-Hans", "fallback": ["zh-Hans", "en"]},
        "branding": {"colours": {"primary": "#1B5FAA", "on_primary": "#FFFFFF"}, "hotline": "12345", "names": {"zh-Hans": "掌上办 (test)", "en": "palmgov (test)"}},
        "reminders": {},
        "licence_trust": {"roots": licence_roots, "threshold": licence_threshold},
        "app": {"ids": [TEST_APP_ID], "min_version": "1.0.0"},
    });
    let default_catalog = Path::new(crate::catalog::DEFAULT_CATALOG_DIR);
    if let Some(pin) = crate::catalog::catalog_manifest_sha256(default_catalog) {
        body["catalog"] = json!({"url": "v1/catalog", "manifest_sha256": pin});
    }
    body
}

/// `body` signed as a region profile at `version`, expiring at `expires`
/// (Unix seconds), by the test keys at the indices `by` (0, 1, 2); a
/// profile signed by one key only, or by none, is a test's to make.
pub fn sign_test_profile(body: &Value, version: u64, expires: i64, by: &[usize]) -> String {
    let signers = test_profile_signers();
    let by: Vec<&dyn Signer> = by.iter().map(|&i| signers[i].as_ref()).collect();
    envelope::sign(PROFILE_KIND, version, expires, body, &by).expect("a test profile signs")
}

/// A valid profile ([`test_profile_body`]) at `version`, signed by test
/// keys 1 and 2, expiring in a year; and the public JWKs of the three test
/// keys, which a build pins with threshold 2.
pub fn test_profile(
    region_code: &str,
    base_url: &str,
    issuer: &str,
    client_id: &str,
    redirect_uri: &str,
    version: u64,
    takes_over: Vec<String>,
) -> (String, Vec<String>) {
    let body = test_profile_body(
        region_code,
        base_url,
        issuer,
        client_id,
        redirect_uri,
        takes_over,
    );
    let expires = crate::auth::unix_now() + 365 * 24 * 3600;
    (
        sign_test_profile(&body, version, expires, &[0, 1]),
        test_profile_root_keys(),
    )
}

/// The backend's licence trust list for `base_url` (what `GET
/// /v1/wallet/trust-list` serves there), signed again by the test licence
/// roots at `version`, expiring at `expires`: a region's bundled copy
/// outlives the week the backend's own lasts. TEST AND DEMO ONLY.
pub fn test_trust_list(base_url: &str, version: u64, expires: i64) -> Result<String, String> {
    let wallet = crate::wallet::WalletService::open(None, Default::default())
        .map_err(|e| format!("the test wallet: {e}"))?;
    let list = wallet
        .trust_list(base_url)
        .map_err(|(_, code)| format!("the test trust list: {code}"))?;
    let (roots, threshold) = crate::wallet::test_root_keys();
    let keys = roots
        .iter()
        .map(PublicKey::from_jwk)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "the test licence roots".to_string())?;
    let root = envelope::Root::pinned(keys, threshold as usize, 1).map_err(|e| e.to_string())?;
    let opened = envelope::open(
        &root,
        crate::wallet::TRUST_LIST_KIND,
        &list,
        None,
        crate::auth::unix_now(),
    )
    .map_err(|e| e.to_string())?;
    // The wallet's root seeds (`wallet::ROOT_SEEDS`), checked against the
    // keys it publishes.
    let signers: Vec<Ed25519Signer> = [[0xA1u8; 32], [0xA2; 32]]
        .iter()
        .map(|seed| Ed25519Signer::from_seed(seed).expect("a 32-byte seed"))
        .collect();
    if signers
        .iter()
        .any(|s| !roots.contains(&s.public_key().to_jwk()))
    {
        return Err("the test licence roots changed: update region::test_trust_list".into());
    }
    let by: Vec<&dyn Signer> = signers.iter().map(|s| s as &dyn Signer).collect();
    envelope::sign(
        crate::wallet::TRUST_LIST_KIND,
        version,
        expires,
        &opened.body,
        &by,
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_http::header;

    const TOKEN: &str = "region-test-admin-token-0123456789abcdef";

    /// One HTTP/1.1 exchange: status, headers (lower-case names), the body
    /// as JSON (null when it is not).
    async fn call(
        addr: std::net::SocketAddr,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Vec<(String, String)>, Value) {
        let (status, headers, body) =
            crate::test_http::exchange(addr, method, path, headers, body).await;
        (
            status,
            headers,
            serde_json::from_slice(&body).unwrap_or(Value::Null),
        )
    }

    fn verified(profile: &str, roots: &[String]) -> palmgov::region::profile::Verified {
        palmgov::region::profile::verify_document(
            &test_profile_root_keys(),
            2,
            roots,
            profile,
            crate::auth::unix_now(),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn the_signed_profile_is_served_and_rolled_forward() {
        let server = crate::start(
            "127.0.0.1:0".parse().unwrap(),
            crate::ServerOptions {
                dev_admin_token: Some(TOKEN.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let addr = server.addr;
        // None configured.
        let (status, _, body) = call(addr, "GET", "/v1/region/profile", &[], "").await;
        assert_eq!((status, body), (404, json!({"error": "no_region_profile"})));
        let (_, _, config) = call(addr, "GET", "/v1/config", &[], "").await;
        assert_eq!(config["region_code"], "330106");

        let base = server.base_url();
        let (v1, keys) = test_profile(
            "653101",
            &base,
            "http://127.0.0.1:9",
            "palmgov-app",
            "org.palmgov.test:/oauth2redirect",
            1,
            vec![],
        );
        assert_eq!(keys.len(), 3);
        server.region().set_profile(Some(RegionProfileSeed {
            profile: v1.clone(),
            roots: vec![],
        }));
        let (status, headers, body) = call(addr, "GET", "/v1/region/profile", &[], "").await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
        assert_eq!(body, json!({"profile": v1, "roots": []}));
        let p = verified(body["profile"].as_str().unwrap(), &[]);
        assert_eq!((p.version, p.profile.region.code.as_str()), (1, "653101"));
        assert_eq!(p.profile.app.ids, [TEST_APP_ID]);
        // `/v1/config` says what the profile says.
        let (_, _, config) = call(addr, "GET", "/v1/config", &[], "").await;
        assert_eq!(config["region_code"], "653101");
        assert_eq!(config["display_name"], "测试地区 653101");
        assert_eq!(config["support_phone"], "12345");

        // The dev route rolls it forward, with a root document; admin only.
        let (v2, _) = test_profile(
            "653101",
            &base,
            "http://127.0.0.1:10",
            "palmgov-app",
            "org.palmgov.test:/oauth2redirect",
            2,
            vec!["http://127.0.0.1:9".into()],
        );
        let signers = test_profile_signers();
        let next =
            envelope::Root::pinned(signers.iter().map(|s| s.public_key()).collect(), 2, 2).unwrap();
        let by: Vec<&dyn Signer> = signers.iter().map(|s| s.as_ref()).collect();
        let root2 = envelope::sign(
            envelope::ROOT_KIND,
            2,
            crate::auth::unix_now() + 3600,
            &next.to_body(),
            &by,
        )
        .unwrap();
        let put = json!({"profile": v2, "roots": [root2]}).to_string();
        let json_type = ("content-type", "application/json");
        let (status, _, _) = call(addr, "PUT", "/v1/dev/region/profile", &[json_type], &put).await;
        assert_eq!(status, 401);
        let bearer = format!("Bearer {TOKEN}");
        let auth = ("authorization", bearer.as_str());
        let (status, _, body) = call(
            addr,
            "PUT",
            "/v1/dev/region/profile",
            &[json_type, auth],
            &put,
        )
        .await;
        assert_eq!((status, body), (200, json!({"version": 2})));
        let (_, _, body) = call(addr, "GET", "/v1/region/profile", &[], "").await;
        let roots: Vec<String> = serde_json::from_value(body["roots"].clone()).unwrap();
        let p = verified(body["profile"].as_str().unwrap(), &roots);
        assert_eq!(p.version, 2);
        assert_eq!(
            p.profile.identity.unwrap().takes_over,
            ["http://127.0.0.1:9"]
        );
        // Anything is served as given (tests serve bad profiles), but the
        // body must have the shape.
        let (status, _, _) = call(
            addr,
            "PUT",
            "/v1/dev/region/profile",
            &[json_type, auth],
            r#"{"roots": []}"#,
        )
        .await;
        assert_eq!(status, 422);
        let bad = json!({"profile": "not an envelope"}).to_string();
        let (status, _, body) = call(
            addr,
            "PUT",
            "/v1/dev/region/profile",
            &[json_type, auth],
            &bad,
        )
        .await;
        assert_eq!((status, body), (200, json!({"version": null})));
        let (_, _, body) = call(addr, "GET", "/v1/region/profile", &[], "").await;
        assert_eq!(body, json!({"profile": "not an envelope", "roots": []}));
        // `/v1/config` falls back to the seed when the profile is unreadable.
        let (_, _, config) = call(addr, "GET", "/v1/config", &[], "").await;
        assert_eq!(config["region_code"], "330106");
    }

    #[test]
    fn the_test_profile_pins_the_default_catalog_or_names_none() {
        let body = test_profile_body(
            "330106",
            "http://127.0.0.1:8787/",
            "http://127.0.0.1:8788",
            "palmgov-app",
            "org.palmgov.test:/oauth2redirect",
            vec![],
        );
        let dir = Path::new(crate::catalog::DEFAULT_CATALOG_DIR);
        match crate::catalog_manifest_sha256(dir) {
            Some(pin) => assert_eq!(
                body["catalog"],
                json!({"url": "v1/catalog", "manifest_sha256": pin})
            ),
            None => assert!(body.get("catalog").is_none(), "{body}"),
        }
    }

    #[test]
    fn private_key_files_round_trip_for_each_algorithm() {
        for alg in [Alg::Es256, Alg::EdDsa, Alg::Sm2] {
            let jwk = generate_private_jwk(alg).unwrap();
            assert_eq!(jwk["alg"], alg.name());
            let signer = signer_from_private_jwk(&jwk).unwrap();
            let public = public_key_of(&jwk).unwrap();
            assert_eq!(signer.public_key(), public);
            assert_eq!(jwk["kid"], public.thumbprint());
            let sig = signer.sign(b"profile").unwrap();
            public.verify(alg, b"profile", &sig).unwrap();
            // The public part alone signs nothing.
            let mut public_only = jwk.clone();
            public_only.as_object_mut().unwrap().remove("d");
            assert!(signer_from_private_jwk(&public_only).is_err());
            // Another key's private part is refused.
            let other = generate_private_jwk(alg).unwrap();
            let mut mixed = jwk.clone();
            mixed["d"] = other["d"].clone();
            assert!(signer_from_private_jwk(&mixed).is_err(), "{alg:?}");
            // An `alg` that is not the key's.
            let mut wrong = jwk.clone();
            wrong["alg"] = if alg == Alg::Es256 { "SM2" } else { "ES256" }.into();
            assert!(public_key_of(&wrong).is_err());
        }
        assert_eq!(test_profile_signers().len(), 3);
    }

    #[test]
    fn the_test_trust_list_opens_under_the_licence_roots() {
        let list = test_trust_list("https://api.example.gov.cn/", 7, 1_830_297_600).unwrap();
        let (roots, threshold) = crate::wallet::test_root_keys();
        let root = envelope::Root::pinned(
            roots
                .iter()
                .map(|k| PublicKey::from_jwk(k).unwrap())
                .collect(),
            threshold as usize,
            1,
        )
        .unwrap();
        let opened = envelope::open(&root, crate::wallet::TRUST_LIST_KIND, &list, None, 0).unwrap();
        assert_eq!((opened.version, opened.expires), (7, 1_830_297_600));
        assert_eq!(
            opened.body["status_lists"][0]["uri"],
            "https://api.example.gov.cn/v1/wallet/status-lists/1"
        );
    }
}
