//! E-licences (电子证照) as the reference backend issues them: SD-JWT VCs
//! signed by test issuers (SM2 for the police and market regulation, ES256
//! for the others), bound to the holder's device key, revocable through
//! Token Status Lists, and listed with their issuers' keys in a trust list
//! signed as an envelope by two of three root keys. Beside each SD-JWT,
//! the same licence in the compact form of the offline QR code
//! ([`palmgov_credentials::compact`]): the same claims, the same holder
//! key and status entry, signed by the same issuer key.
//!
//! **Every key here is a test key**, derived from fixed seeds so a test,
//! the demo and the Kotlin and Swift tests can pin the roots
//! ([`test_root_keys`]). A region's backend brings its issuers' real keys
//! and its own roots; nothing here is fit to sign a real licence.
//!
//! What is kept, in the backend's database: each licence (its identifier,
//! type, holder and status), each credential issued for it (the status list
//! index it was given and the device key it is bound to), and each device
//! binding. A licence's status (valid, revoked, suspended) applies to every
//! credential issued for it; revoking a lost phone's binding marks the
//! credentials bound to it invalid, so their presentations fail.
//!
//! The person's data comes from the identity provider's introspection (the
//! name and ID number the unified identity platform verified), as a
//! region's backend would take it from its population register.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use palmgov::forms::licence_types::{self, LICENCE_ID, LicenceType};
use palmgov_credentials::compact::{self, ItemValue};
use palmgov_credentials::envelope;
use palmgov_credentials::keys::{Ed25519Signer, Es256Signer, PublicKey, Signer, Sm2Signer};
use palmgov_credentials::sdjwt::{self, HashAlg};
use palmgov_credentials::status_list::{self, StatusList};
use rusqlite::{Connection, params};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{Caller, NONCE_STEP_SECS, Refusal, unix_now};
use crate::{AppState, JsonBody, Reply, refused};

/// The kind of the trust list envelope.
pub const TRUST_LIST_KIND: &str = "palmgov.licence-trust-list";
/// Root keys that must sign the trust list (and a root update).
pub const ROOT_THRESHOLD: u32 = 2;
/// Entries of the one status list this backend keeps (2 bits each).
const LIST_SIZE: usize = 100_000;
/// How long a licence credential is valid before it is issued again.
const CREDENTIAL_DAYS: i64 = 90;
/// How long a relayed presentation is held: its validity and the skew.
const RELAY_SECS: i64 = 90;
/// The longest presentation held (a QR string of version 40 is 4,296).
const MAX_RELAYED: usize = 8 * 1024;
/// Presentations one person may have held at once.
const MAX_RELAYED_PER_PERSON: i64 = 20;
/// The id of the one status list in the trust list (`status_lists[].id`),
/// by which a compact licence names it, and the last part of its URI.
const STATUS_LIST_ID: u32 = 1;
/// The claims that hold `YYYY-MM-DD` dates (where a type carries them as
/// claims): dates in the compact form.
const DATE_CLAIMS: &[&str] = &["birth_date", "first_issued", "established", "valid_until"];

/// Test-only key seeds: fixed, so the apps' tests can pin the roots. Never
/// reuse them anywhere real.
const ROOT_SEEDS: [[u8; 32]; 3] = [[0xA1; 32], [0xA2; 32], [0xA3; 32]];
const SM2_POLICE: [u8; 32] = [0x51; 32];
const SM2_MARKET: [u8; 32] = [0x52; 32];
/// Test-only ES256 keys (PKCS#8, the private scalar the SHA-256 of a label):
/// fixed, so a restarted backend signs with the keys the apps' trust lists
/// name.
const ES256_TRAFFIC: &str = "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b02010104205661b0da5d6163cbff5064a5a57f59c804bbb3fa84b96d0420e6c1deb7b79c07a1440342000410c1e23cc0ffff4720093459afcce97f55c1cf0d915eb29c4630840ac5faf72884449b3911000c7a94db9c16bbeb38ed944c9d1369f4bcc581ba15a824830a4b";
const ES256_HUMAN_RESOURCES: &str = "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b02010104201148c616a7cd6afe1683d327d243ae1fbad5f9156c0a8389150263da92eef590a14403420004ca64602c5d4c09c56ed2edf0a3b36a3df2c1d95516428c20fc9783b86ee8f7cc7760194dd509b6af08a13135e8d6d3417121ebd3ea570741e3c29afedf812c6e";

/// The three test root keys (Ed25519) as JWKs, and the threshold: what an
/// app built against this backend pins (`ServerConfig.trust_roots`).
pub fn test_root_keys() -> (Vec<Value>, u32) {
    let keys = ROOT_SEEDS
        .iter()
        .map(|seed| {
            Ed25519Signer::from_seed(seed)
                .expect("a 32-byte seed")
                .public_key()
                .to_jwk()
        })
        .collect();
    (keys, ROOT_THRESHOLD)
}

/// How the wallet behaves; tests shorten times and fix salts.
#[derive(Debug, Clone, Default)]
pub struct WalletOptions {
    /// Salts from a counter instead of the random source, so issued
    /// credentials are byte-for-byte repeatable (tests only).
    pub deterministic_salts: bool,
    /// Issue each licence this many times over (distinct serials): a
    /// wallet of 50 for the benchmarks. 0 or 1: each once.
    pub copies: u32,
    /// Rotate the trust roots once: publish root version 2 (three new test
    /// keys, signed by two of the pinned ones and two of the new) at
    /// `/v1/wallet/roots`, and sign the trust list with the new keys. An
    /// app that pins version 1 catches up through it (tests).
    pub rotated_root: bool,
}

/// Test-only seeds of the rotated root (version 2).
const ROOT_SEEDS_V2: [[u8; 32]; 3] = [[0xB1; 32], [0xB2; 32], [0xB3; 32]];

/// One issuing authority of the test region.
struct Issuer {
    iss: &'static str,
    name: &'static str,
    /// The issuing authority's credit code, the licence identifiers' second part.
    code: &'static str,
    types: &'static [&'static str],
    signer: Box<dyn Signer>,
}

/// The wallet service of the reference backend.
pub struct WalletService {
    issuers: Vec<Issuer>,
    /// The keys that sign the trust list: the pinned roots, or the rotated
    /// ones.
    roots: Vec<Ed25519Signer>,
    /// The root documents after version 1, in order.
    root_documents: Vec<String>,
    options: WalletOptions,
    db: Mutex<Connection>,
    salt_counter: Mutex<u64>,
    /// The trust list as last signed, and its version: a document at one
    /// version must keep its bytes (apps refuse the same version with other
    /// bytes), so it is signed again, one version up at least, only when a
    /// verifier is registered.
    trust_list: Mutex<Option<(u64, String)>>,
    /// The version of the last trust list signed, so the next one rises
    /// even within the same second.
    trust_version: Mutex<u64>,
    /// The status list token last made, and when: every status request
    /// would otherwise join three tables, compress and SM2-sign 100,000
    /// entries. Dropped whenever a status changes or an entry is added.
    status_token: Mutex<Option<(i64, String)>>,
    /// The holder-proof nonces: the DPoP nonces' scheme, each bound to the
    /// person who asked.
    nonces: crate::auth::NonceIssuer,
}

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS licences (
        id TEXT PRIMARY KEY, subject TEXT NOT NULL, type TEXT NOT NULL,
        status INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS credentials (
        idx INTEGER PRIMARY KEY, licence TEXT NOT NULL, binding TEXT NOT NULL,
        issued_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS bindings (
        subject TEXT NOT NULL, kid TEXT NOT NULL, created_at INTEGER NOT NULL,
        revoked_at INTEGER, session_key TEXT, PRIMARY KEY (subject, kid));
    -- Asked on every authenticated request, and once per licence issued.
    CREATE INDEX IF NOT EXISTS bindings_revoked_session ON bindings (session_key)
        WHERE revoked_at IS NOT NULL;
    CREATE UNIQUE INDEX IF NOT EXISTS credentials_licence_binding
        ON credentials (licence, binding);
    -- What an issuing authority changed about a licence (development
    -- route): a new end of validity, or withdrawn (no longer issued, as a
    -- household register after a move). A table of its own, so that a
    -- backend database from before it opens unchanged.
    -- Presentations too large for an offline QR code, held for a verifier
    -- with a network (online mode), each fetched once, until it expires.
    CREATE TABLE IF NOT EXISTS relayed (
        reference TEXT PRIMARY KEY, payload TEXT NOT NULL, subject TEXT NOT NULL,
        expires_at INTEGER NOT NULL);
    -- Verifiers on the trust list (development route): who may show a
    -- request QR, with which key, asking for which items.
    CREATE TABLE IF NOT EXISTS verifiers (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, jwk TEXT NOT NULL, asks TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS licence_changes (
        id TEXT PRIMARY KEY, valid_until TEXT, withdrawn INTEGER NOT NULL DEFAULT 0);
";

/// What the holder sends to get their licences: the device key they are
/// to be bound to, and a proof that they hold it (a JWS by that key over a
/// nonce from `POST /v1/wallet/nonce`, this backend's origin and the time).
#[derive(Deserialize)]
pub struct FetchRequest {
    pub holder_key: Value,
    #[serde(default)]
    pub proof: Option<String>,
}

/// The statuses the development route sets.
#[derive(Deserialize)]
pub struct SetStatus {
    pub licence_id: String,
    pub status: String,
}

/// A verifier to put on the trust list (development route).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterVerifier {
    /// Its id, as its request QR codes name it.
    pub id: String,
    /// Its name, as phones show it to the person asked.
    pub name: String,
    /// Its public key, a JWK (ES256, EdDSA or SM2).
    pub jwk: Value,
    /// The items it may ask for.
    pub asks: Vec<String>,
}

/// What an issuing authority changes about a licence (development route).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeLicence {
    pub licence_id: String,
    /// A new end of validity, `YYYY-MM-DD`: a licence that lapsed.
    pub valid_until: Option<String>,
    /// No longer issued to its holder (and no longer listed).
    #[serde(default)]
    pub withdrawn: bool,
}

impl WalletService {
    pub fn open(
        db_path: Option<&std::path::Path>,
        options: WalletOptions,
    ) -> rusqlite::Result<Self> {
        let db = crate::store::connect(db_path)?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        db.execute_batch(SCHEMA)?;
        let sm2 = |seed: &[u8; 32]| -> Box<dyn Signer> {
            Box::new(Sm2Signer::from_bytes(seed).expect("a valid SM2 scalar"))
        };
        let issuers = vec![
            Issuer {
                iss: "urn:palmgov:issuer:330000:public-security",
                name: "浙江省公安厅 (test)",
                code: "113300000024820075",
                types: &["id_card", "household_register", "residence_permit"],
                signer: sm2(&SM2_POLICE),
            },
            Issuer {
                iss: "urn:palmgov:issuer:330000:traffic-police",
                name: "浙江省公安厅交通警察总队 (test)",
                code: "113300000024820075",
                types: &["driving_licence"],
                signer: Box::new(es256(ES256_TRAFFIC)),
            },
            Issuer {
                iss: "urn:palmgov:issuer:330000:human-resources",
                name: "浙江省人力资源和社会保障厅 (test)",
                code: "113300000024860085",
                types: &["social_security_card"],
                signer: Box::new(es256(ES256_HUMAN_RESOURCES)),
            },
            Issuer {
                iss: "urn:palmgov:issuer:330100:market-regulation",
                name: "杭州市市场监督管理局 (test)",
                code: "113301000024918430",
                types: &["business_licence"],
                signer: sm2(&SM2_MARKET),
            },
        ];
        let signers = |seeds: &[[u8; 32]; 3]| -> Vec<Ed25519Signer> {
            seeds
                .iter()
                .map(|seed| Ed25519Signer::from_seed(seed).expect("a 32-byte seed"))
                .collect()
        };
        let (roots, root_documents) = if options.rotated_root {
            let old = signers(&ROOT_SEEDS);
            let new = signers(&ROOT_SEEDS_V2);
            let body = envelope::Root::pinned(
                new.iter().map(|s| s.public_key()).collect(),
                ROOT_THRESHOLD as usize,
                2,
            )
            .expect("three keys, two to sign")
            .to_body();
            // Two of the old keys and two of the new sign the new root.
            let by: Vec<&dyn Signer> = [&old[0], &old[1], &new[0], &new[1]]
                .into_iter()
                .map(|s| s as &dyn Signer)
                .collect();
            let document = envelope::sign(
                envelope::ROOT_KIND,
                2,
                unix_now() + 365 * 24 * 3600,
                &body,
                &by,
            )
            .expect("a root document");
            (new, vec![document])
        } else {
            (signers(&ROOT_SEEDS), Vec::new())
        };
        Ok(Self {
            issuers,
            roots,
            root_documents,
            options,
            db: Mutex::new(db),
            salt_counter: Mutex::new(0),
            trust_list: Mutex::new(None),
            trust_version: Mutex::new(0),
            status_token: Mutex::new(None),
            nonces: crate::auth::NonceIssuer::new(),
        })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The trust list: every issuer with its keys and licence types, signed
    /// by two of the three test roots, once per run: its version is the
    /// signing time, so a restarted backend's list is a newer version
    /// (never the same version with other bytes, which apps refuse), valid
    /// for a week.
    pub fn trust_list(&self, base: &str) -> Result<String, Refusal> {
        let mut cached = self.trust_list.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, list)) = cached.as_ref() {
            return Ok(list.clone());
        }
        let version = {
            let mut last = self.trust_version.lock().unwrap_or_else(|p| p.into_inner());
            *last = (*last + 1).max(u64::try_from(unix_now()).unwrap_or(1));
            *last
        };
        let list = self.sign_trust_list(base, version)?;
        *cached = Some((version, list.clone()));
        Ok(list)
    }

    /// Puts a verifier (a kiosk, a clerk's app) on the trust list, allowed
    /// to ask for `asks`, with its public key: the trust list is signed
    /// again, one version up.
    pub fn register_verifier(&self, verifier: &RegisterVerifier) -> Result<(), Refusal> {
        let bad = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");
        let key = PublicKey::from_jwk(&verifier.jwk).map_err(|_| bad)?;
        if verifier.id.is_empty()
            || verifier.id.len() > 200
            || verifier.name.is_empty()
            || verifier.asks.is_empty()
            || verifier.asks.len() > 16
        {
            return Err(bad);
        }
        self.db()
            .execute(
                "INSERT INTO verifiers (id, name, jwk, asks) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, jwk = excluded.jwk,
                     asks = excluded.asks",
                params![
                    verifier.id,
                    verifier.name,
                    key.to_jwk().to_string(),
                    serde_json::to_string(&verifier.asks).unwrap_or_default()
                ],
            )
            .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        *self.trust_list.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }

    /// Holds a presentation (its QR text) for a verifier with a network, under
    /// a short random reference: online mode, for a presentation too large
    /// for a readable code. Expired ones go first.
    pub fn relay(&self, subject: &str, payload: &str) -> Result<(String, i64), Refusal> {
        if !payload.starts_with("PG1:") || payload.len() > MAX_RELAYED {
            return Err((StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"));
        }
        let internal = (StatusCode::INTERNAL_SERVER_ERROR, "internal");
        let mut raw = [0u8; 10];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut raw)
            .map_err(|_| internal)?;
        // Digits and capitals only: the QR code stays in alphanumeric mode.
        let reference: String = raw.iter().map(|b| format!("{b:02X}")).collect();
        let now = unix_now();
        let expires = now + RELAY_SECS;
        let db = self.db();
        db.execute("DELETE FROM relayed WHERE expires_at < ?1", [now])
            .map_err(|_| internal)?;
        let held: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM relayed WHERE subject = ?1",
                [subject],
                |r| r.get(0),
            )
            .map_err(|_| internal)?;
        if held >= MAX_RELAYED_PER_PERSON {
            return Err((StatusCode::TOO_MANY_REQUESTS, "too_many_presentations"));
        }
        db.execute(
            "INSERT INTO relayed (reference, payload, subject, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![reference, payload, subject, expires],
        )
        .map_err(|_| internal)?;
        Ok((reference, expires))
    }

    /// The presentation held under `reference`, once: it is deleted as it
    /// is given out.
    pub fn resolve(&self, reference: &str) -> Result<String, Refusal> {
        let gone = (StatusCode::NOT_FOUND, "unknown_reference");
        let db = self.db();
        let payload: String = db
            .query_row(
                "DELETE FROM relayed WHERE reference = ?1 AND expires_at >= ?2 RETURNING payload",
                params![reference, unix_now()],
                |r| r.get(0),
            )
            .map_err(|_| gone)?;
        Ok(payload)
    }

    /// The registered verifiers as trust list entries.
    fn verifiers(&self) -> Vec<Value> {
        let db = self.db();
        let Ok(mut stmt) = db.prepare("SELECT id, name, jwk, asks FROM verifiers ORDER BY id")
        else {
            return Vec::new();
        };
        stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .map(|rows| {
            rows.flatten()
                .filter_map(|(id, name, jwk, asks)| {
                    let mut jwk: Value = serde_json::from_str(&jwk).ok()?;
                    let key = PublicKey::from_jwk(&jwk).ok()?;
                    jwk["alg"] = key.alg().name().into();
                    let asks: Value = serde_json::from_str(&asks).ok()?;
                    Some(json!({"id": id, "name": name, "keys": [jwk], "asks": asks}))
                })
                .collect()
        })
        .unwrap_or_default()
    }

    fn sign_trust_list(&self, base: &str, version: u64) -> Result<String, Refusal> {
        let issuers: Vec<Value> = self
            .issuers
            .iter()
            .map(|i| {
                let key = i.signer.public_key();
                let mut jwk = key.to_jwk();
                jwk["kid"] = key.thumbprint().into();
                jwk["alg"] = i.signer.alg().name().into();
                json!({"iss": i.iss, "name": i.name, "keys": [jwk], "types": i.types})
            })
            .collect();
        // The one status list, signed with the police's key.
        let signer = &self.issuers[0].signer;
        let mut list_key = signer.public_key().to_jwk();
        list_key["alg"] = signer.alg().name().into();
        let body = json!({
            "issuers": issuers,
            "status_lists": [{"id": STATUS_LIST_ID, "uri": status_uri(base), "keys": [list_key]}],
            "verifiers": self.verifiers(),
        });
        let signers: Vec<&dyn Signer> = self.roots[..2].iter().map(|r| r as &dyn Signer).collect();
        let now = unix_now();
        envelope::sign(
            TRUST_LIST_KIND,
            version,
            now + 7 * 24 * 3600,
            &body,
            &signers,
        )
        .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal"))
    }

    /// The status list as a signed token, listing every credential issued;
    /// made again at most once a minute unless something changed.
    pub fn status_list(&self, base: &str) -> Result<String, Refusal> {
        if let Some((made, token)) = self
            .status_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            && unix_now() - made < 60
        {
            return Ok(token.clone());
        }
        let token = self.make_status_list(base)?;
        *self.status_token.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((unix_now(), token.clone()));
        Ok(token)
    }

    /// Drops the cached status list token: a status changed.
    fn statuses_changed(&self) {
        *self.status_token.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn make_status_list(&self, base: &str) -> Result<String, Refusal> {
        let internal = (StatusCode::INTERNAL_SERVER_ERROR, "internal");
        let mut list = StatusList::new(2, LIST_SIZE).map_err(|_| internal)?;
        {
            let db = self.db();
            let mut stmt = db
                .prepare(
                    "SELECT c.idx, l.status, b.revoked_at FROM credentials c
                     JOIN licences l ON l.id = c.licence
                     LEFT JOIN bindings b ON b.kid = c.binding AND b.subject = l.subject",
                )
                .map_err(|_| internal)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, u8>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                })
                .map_err(|_| internal)?;
            for row in rows.flatten() {
                let (idx, status, revoked) = row;
                let value = if revoked.is_some() { 1 } else { status };
                // A row past the list (never issued: see `issue`) is skipped.
                let _ = list.set(idx as usize, value);
            }
        }
        // The list is signed by the police's key: the issuer of most
        // licences here; the app checks it against the trust list.
        let signer = self.issuers[0].signer.as_ref();
        let now = unix_now();
        status_list::issue_token(
            &list,
            &status_uri(base),
            now,
            Some(now + 3600),
            Some(300),
            signer,
        )
        .map_err(|_| internal)
    }

    /// The root documents after the pinned version 1, in order.
    pub fn root_documents(&self) -> &[String] {
        &self.root_documents
    }

    /// A nonce for `subject`'s next holder proof.
    pub fn nonce(&self, subject: &str) -> String {
        self.nonces.issue_for(subject, unix_now())
    }

    /// Checks a holder proof: a JWS by `key` over a nonce this backend made
    /// for `subject` in the current or the previous step, `aud` its origin,
    /// `iat` within five minutes.
    pub fn check_proof(
        &self,
        subject: &str,
        base: &str,
        key: &PublicKey,
        proof: &str,
    ) -> Result<(), Refusal> {
        let invalid = (StatusCode::BAD_REQUEST, "invalid_proof");
        let jws = palmgov_credentials::jws::Compact::parse(proof).map_err(|_| invalid)?;
        if jws.typ() != Some("openid4vci-proof+jwt") {
            return Err(invalid);
        }
        jws.verify(key).map_err(|_| invalid)?;
        let claims = jws.claims().map_err(|_| invalid)?;
        let now = unix_now();
        let nonce = claims.get("nonce").and_then(Value::as_str).ok_or(invalid)?;
        let fresh = self.nonces.valid_for(subject, nonce, now);
        let iat = claims.get("iat").and_then(Value::as_i64).ok_or(invalid)?;
        let aud = claims.get("aud").and_then(Value::as_str);
        if !fresh || (now - iat).abs() > NONCE_STEP_SECS || aud != Some(base.trim_end_matches('/'))
        {
            return Err(invalid);
        }
        Ok(())
    }

    /// Issues every licence `caller` holds, bound to `holder_key`, once
    /// `proof` shows the caller holds it.
    pub fn issue(
        &self,
        caller: &Caller,
        base: &str,
        holder_key: &Value,
        proof: Option<&str>,
    ) -> Result<Value, Refusal> {
        let invalid = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");
        let internal = (StatusCode::INTERNAL_SERVER_ERROR, "internal");
        let key = PublicKey::from_jwk(holder_key).map_err(|_| invalid)?;
        if !matches!(key, PublicKey::P256(_)) {
            return Err(invalid);
        }
        self.check_proof(
            &caller.subject,
            base,
            &key,
            proof.ok_or((StatusCode::BAD_REQUEST, "invalid_proof"))?,
        )?;
        let person = caller
            .person
            .as_ref()
            .ok_or((StatusCode::FORBIDDEN, "no_licences"))?;
        let kid = key.thumbprint();
        let now = unix_now();
        {
            let db = self.db();
            let revoked: Option<Option<i64>> = db
                .query_row(
                    "SELECT revoked_at FROM bindings WHERE subject = ?1 AND kid = ?2",
                    params![caller.subject, kid],
                    |r| r.get(0),
                )
                .ok();
            if matches!(revoked, Some(Some(_))) {
                // A phone reported lost gets nothing more.
                return Err((StatusCode::FORBIDDEN, "binding_revoked"));
            }
            // The session that fetched (its DPoP key): revoking this
            // binding ends that session too.
            db.execute(
                "INSERT INTO bindings (subject, kid, created_at, session_key) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (subject, kid) DO UPDATE SET session_key = excluded.session_key",
                params![caller.subject, kid, now, caller.session_key],
            )
            .map_err(|_| internal)?;
        }
        let mut licences = Vec::new();
        let copies = self.options.copies.max(1);
        let all = (0..copies).flat_map(|copy| {
            licences_of(person).into_iter().map(move |mut l| {
                if copy > 0 {
                    l.serial = format!("{}{copy:03}", l.serial);
                }
                l
            })
        });
        for licence in all {
            let Some(issuer) = self
                .issuers
                .iter()
                .find(|i| i.types.contains(&licence.kind.name))
            else {
                continue;
            };
            let id = licence_types::make_identifier(
                licence.kind.type_code,
                issuer.code,
                &licence.serial,
                1,
            );
            let (valid_until, withdrawn) = self.changes(&id);
            if withdrawn {
                continue;
            }
            let mut licence = licence;
            if let Some(until) = valid_until {
                if licence.claims.contains_key("valid_until") {
                    licence
                        .claims
                        .insert("valid_until".into(), until.clone().into());
                }
                licence.valid_until = until;
            }
            // One status entry per (licence, phone): fetched again, the same
            // entry, so the list never fills with reissues.
            let idx = {
                let mut db = self.db();
                let tx = db.transaction().map_err(|_| internal)?;
                tx.execute(
                    "INSERT OR IGNORE INTO licences (id, subject, type) VALUES (?1, ?2, ?3)",
                    params![id, caller.subject, licence.kind.name],
                )
                .map_err(|_| internal)?;
                let existing: Option<i64> = tx
                    .query_row(
                        "SELECT idx FROM credentials WHERE licence = ?1 AND binding = ?2",
                        params![id, kid],
                        |r| r.get(0),
                    )
                    .ok();
                let idx = match existing {
                    Some(idx) => idx,
                    None => {
                        let next: i64 = tx
                            .query_row("SELECT IFNULL(MAX(idx), 0) + 1 FROM credentials", [], |r| {
                                r.get(0)
                            })
                            .map_err(|_| internal)?;
                        if next as usize >= LIST_SIZE {
                            return Err((StatusCode::SERVICE_UNAVAILABLE, "status_list_full"));
                        }
                        tx.execute(
                            "INSERT INTO credentials (idx, licence, binding, issued_at)
                             VALUES (?1, ?2, ?3, ?4)",
                            params![next, id, kid, now],
                        )
                        .map_err(|_| internal)?;
                        self.statuses_changed();
                        next
                    }
                };
                tx.commit().map_err(|_| internal)?;
                idx
            };
            let exp = now + CREDENTIAL_DAYS * 24 * 3600;
            // The identifier is a plain claim, always visible: a service
            // given the licence as form material looks it up by it.
            let mut payload = json!({
                "iss": issuer.iss,
                "iat": now,
                "nbf": now - 60,
                "exp": exp,
                "vct": format!("urn:palmgov:licence:{}", licence.kind.name),
                "licence_type": licence.kind.type_code,
                "licence_id": id,
                "valid_from": licence.valid_from,
                "valid_until": licence.valid_until,
                "cnf": {"jwk": key.to_jwk()},
                "status": {"status_list": {"idx": idx, "uri": status_uri(base)}},
            });
            for (name, value) in &licence.claims {
                payload[name] = value.clone();
            }
            // The type's claims the licence has, each disclosable.
            let claims: Vec<&str> = licence
                .kind
                .claims
                .iter()
                .copied()
                .filter(|c| payload.get(*c).is_some())
                .collect();
            let disclosable: Vec<String> = claims.iter().map(|c| format!("/{c}")).collect();
            let pointers: Vec<&str> = disclosable.iter().map(String::as_str).collect();
            // The compact form's items: the identifier, then those claims,
            // with the same values.
            let items: Option<Vec<(&str, ItemValue)>> =
                std::iter::once(Some((LICENCE_ID, ItemValue::Text(id.clone()))))
                    .chain(claims.iter().map(|name| {
                        let value = compact_value(name, payload.get(*name)?)?;
                        Some((*name, value))
                    }))
                    .collect();
            let hash = if matches!(issuer.signer.alg(), palmgov_credentials::keys::Alg::Sm2) {
                HashAlg::Sm3
            } else {
                HashAlg::Sha256
            };
            // One seed per credential in the test mode, from a counter:
            // repeatable across runs, never the same salts for two
            // credentials (the SD-JWT's and the compact form's salts are
            // derived apart from it).
            let seed = self.options.deterministic_salts.then(|| {
                let mut counter = self.salt_counter.lock().unwrap_or_else(|p| p.into_inner());
                *counter += 1;
                counter.to_be_bytes()
            });
            let header =
                json!({"typ": "dc+sd-jwt", "kid": issuer.signer.public_key().thumbprint()});
            let signer = issuer.signer.as_ref();
            let credential = match &seed {
                Some(seed) => {
                    let mut salts = sdjwt::DeterministicSalts::new(seed);
                    sdjwt::issue(payload, &pointers, hash, header, signer, &mut salts)
                }
                None => {
                    let mut salts = sdjwt::RandomSalts::new();
                    sdjwt::issue(payload, &pointers, hash, header, signer, &mut salts)
                }
            }
            .map_err(|_| internal)?;
            let mut entry = json!({
                "type": licence.kind.name,
                "credential": credential,
                // The credential is reissued before it lapses.
                "expected_update": now + (CREDENTIAL_DAYS - 7) * 24 * 3600,
            });
            // The compact form: the same holder key, times and status
            // entry (the list by its id in the trust list). Should a
            // licence not fit it (a value of another kind, a validity
            // ending before it starts), the SD-JWT goes alone.
            let compact = items.and_then(|items| {
                let status = compact::StatusRef {
                    idx: u64::try_from(idx).ok()?,
                    list: compact::StatusListId::Id(STATUS_LIST_ID),
                };
                let fields = compact::MsoFields {
                    licence_type: licence.kind.name,
                    issuer: issuer.iss,
                    device_key: &key,
                    validity: compact::Validity {
                        iat: u64::try_from(now).ok()?,
                        exp: u64::try_from(exp).ok()?,
                        valid_from: compact_day(&licence.valid_from)?,
                        valid_until: compact_day(&licence.valid_until)?,
                    },
                    status: Some(&status),
                };
                match &seed {
                    Some(seed) => {
                        let mut salts = compact::DeterministicSalts::new(seed);
                        compact::issue(&fields, &items, hash, signer, &mut salts)
                    }
                    None => {
                        let mut salts = compact::RandomSalts::new();
                        compact::issue(&fields, &items, hash, signer, &mut salts)
                    }
                }
                .and_then(|issued| issued.to_bytes())
                .ok()
            });
            match compact {
                Some(bytes) => entry["compact"] = URL_SAFE_NO_PAD.encode(bytes).into(),
                None => tracing::warn!(
                    licence_type = licence.kind.name,
                    "a licence without its compact form"
                ),
            }
            licences.push(entry);
        }
        Ok(json!({ "licences": licences }))
    }

    /// The caller's device bindings, newest first.
    pub fn bindings(&self, subject: &str) -> Vec<Value> {
        let db = self.db();
        let Ok(mut stmt) = db.prepare(
            "SELECT kid, created_at, revoked_at FROM bindings WHERE subject = ?1
             ORDER BY created_at DESC",
        ) else {
            return Vec::new();
        };
        stmt.query_map([subject], |r| {
            Ok(
                json!({"kid": r.get::<_, String>(0)?, "created_at": r.get::<_, i64>(1)?,
                      "revoked_at": r.get::<_, Option<i64>>(2)?}),
            )
        })
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
    }

    /// Revokes one of the caller's own device bindings (a lost phone): the
    /// credentials bound to it turn invalid in the status list, and the
    /// session that phone fetched them with is refused from then on.
    /// A phone cannot report itself lost (`this_device`): that would end
    /// the very session asking.
    pub fn revoke_binding(
        &self,
        subject: &str,
        kid: &str,
        caller_session: Option<&str>,
    ) -> Result<(), Refusal> {
        let changed = self
            .db()
            .execute(
                "UPDATE bindings SET revoked_at = ?3 WHERE subject = ?1 AND kid = ?2
                 AND revoked_at IS NULL AND (session_key IS NULL OR ?4 IS NULL
                     OR session_key != ?4)",
                params![subject, kid, unix_now(), caller_session],
            )
            .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        if changed == 0 && self.binding_of_session(subject, kid, caller_session) {
            return Err((StatusCode::CONFLICT, "this_device"));
        }
        self.statuses_changed();
        if changed == 0 {
            return Err((StatusCode::NOT_FOUND, "unknown_binding"));
        }
        Ok(())
    }

    /// Revokes every phone of `subject` at once: what an operator does for
    /// a person who lost their only phone and calls the hotline. Their
    /// licences on those phones turn revoked, and those phones' sessions
    /// are refused; a phone they sign in on afterwards binds afresh.
    /// Returns how many phones were revoked.
    pub fn revoke_all_bindings(&self, subject: &str) -> Result<u32, Refusal> {
        let changed = self
            .db()
            .execute(
                "UPDATE bindings SET revoked_at = ?2 WHERE subject = ?1 AND revoked_at IS NULL",
                params![subject, unix_now()],
            )
            .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        if changed > 0 {
            self.statuses_changed();
        }
        Ok(changed as u32)
    }

    fn binding_of_session(&self, subject: &str, kid: &str, session: Option<&str>) -> bool {
        session.is_some()
            && self
                .db()
                .query_row(
                    "SELECT 1 FROM bindings WHERE subject = ?1 AND kid = ?2 AND session_key = ?3
                     AND revoked_at IS NULL",
                    params![subject, kid, session],
                    |_| Ok(()),
                )
                .is_ok()
    }

    /// Whether the session bound to `session_key` belongs to a phone
    /// reported lost.
    pub fn session_revoked(&self, session_key: &str) -> bool {
        self.db()
            .query_row(
                "SELECT 1 FROM bindings WHERE session_key = ?1 AND revoked_at IS NOT NULL",
                [session_key],
                |_| Ok(()),
            )
            .is_ok()
    }

    /// Sets a licence's status (development route): `valid`, `revoked` or
    /// `suspended` (暂扣).
    pub fn set_status(&self, licence_id: &str, status: &str) -> Result<(), Refusal> {
        let value = match status {
            "valid" => 0,
            "revoked" => 1,
            "suspended" => 2,
            _ => return Err((StatusCode::UNPROCESSABLE_ENTITY, "invalid_request")),
        };
        let changed = self
            .db()
            .execute(
                "UPDATE licences SET status = ?2 WHERE id = ?1",
                params![licence_id, value],
            )
            .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
        if changed == 0 {
            return Err((StatusCode::NOT_FOUND, "unknown_licence"));
        }
        self.statuses_changed();
        Ok(())
    }

    /// Records what an issuing authority changed about a licence issued
    /// before: the licences fetched from now on carry the new validity, and
    /// a withdrawn one is no longer given.
    pub fn change_licence(&self, change: &ChangeLicence) -> Result<(), Refusal> {
        let bad = (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request");
        if let Some(until) = &change.valid_until {
            // `YYYY-MM-DD`, a day of the calendar.
            let part = |range: std::ops::Range<usize>| {
                until
                    .get(range)
                    .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|p| p.parse::<u16>().ok())
            };
            let date = match (until.len(), part(0..4), part(5..7), part(8..10)) {
                (10, Some(y), Some(m), Some(d))
                    if until.as_bytes()[4] == b'-' && until.as_bytes()[7] == b'-' =>
                {
                    time::Month::try_from(m as u8)
                        .ok()
                        .and_then(|m| time::Date::from_calendar_date(i32::from(y), m, d as u8).ok())
                }
                _ => None,
            };
            if date.is_none() {
                return Err(bad);
            }
        }
        let internal = (StatusCode::INTERNAL_SERVER_ERROR, "internal");
        let db = self.db();
        let known: bool = db
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM licences WHERE id = ?1)",
                [&change.licence_id],
                |r| r.get(0),
            )
            .map_err(|_| internal)?;
        if !known {
            return Err((StatusCode::NOT_FOUND, "unknown_licence"));
        }
        db.execute(
            "INSERT INTO licence_changes (id, valid_until, withdrawn) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET
                 valid_until = IFNULL(excluded.valid_until, valid_until),
                 withdrawn = excluded.withdrawn",
            params![change.licence_id, change.valid_until, change.withdrawn],
        )
        .map_err(|_| internal)?;
        Ok(())
    }

    /// What was changed about a licence: `(valid_until, withdrawn)`.
    fn changes(&self, licence_id: &str) -> (Option<String>, bool) {
        self.db()
            .query_row(
                "SELECT valid_until, withdrawn FROM licence_changes WHERE id = ?1",
                [licence_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or((None, false))
    }

    /// Every licence issued to `subject`: `(identifier, type, status)`.
    pub fn licences(&self, subject: &str) -> Vec<(String, String, u8)> {
        let db = self.db();
        let Ok(mut stmt) =
            db.prepare("SELECT id, type, status FROM licences WHERE subject = ?1 ORDER BY id")
        else {
            return Vec::new();
        };
        stmt.query_map([subject], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }
}

/// A fixed test ES256 key from its PKCS#8 document in hex.
fn es256(pkcs8_hex: &str) -> Es256Signer {
    let pkcs8: Vec<u8> = (0..pkcs8_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&pkcs8_hex[i..i + 2], 16).expect("hex"))
        .collect();
    Es256Signer::from_pkcs8(&pkcs8).expect("a P-256 PKCS#8 document")
}

fn status_uri(base: &str) -> String {
    format!(
        "{}/v1/wallet/status-lists/{STATUS_LIST_ID}",
        base.trim_end_matches('/')
    )
}

/// A claim's value as a compact item: text as text, booleans as bools,
/// counts as unsigned integers, and the `YYYY-MM-DD` dates of
/// [`DATE_CLAIMS`] as dates. `None` for anything else (no licence here
/// carries it).
fn compact_value(name: &str, value: &Value) -> Option<ItemValue> {
    match value {
        Value::String(date) if DATE_CLAIMS.contains(&name) => {
            compact::date_to_days(date).map(ItemValue::Date)
        }
        Value::String(text) => Some(ItemValue::Text(text.clone())),
        Value::Bool(b) => Some(ItemValue::Bool(*b)),
        Value::Number(n) => n.as_u64().map(ItemValue::Uint),
        _ => None,
    }
}

/// A `YYYY-MM-DD` date as days since 1970-01-01, for the compact form's
/// validity (9999-12-31 is [`compact::NO_END`]); `None` before 1970.
fn compact_day(date: &str) -> Option<u32> {
    compact::date_to_days(date).and_then(|days| u32::try_from(days).ok())
}

/// A licence to issue: its type, serial, validity and claims.
struct Licence {
    kind: &'static LicenceType,
    serial: String,
    valid_from: String,
    valid_until: String,
    claims: serde_json::Map<String, Value>,
}

/// The licences a person holds in the test region, from what the provider
/// verified about them.
fn licences_of(person: &crate::auth::Person) -> Vec<Licence> {
    let kind = |name| licence_types::by_name(name).expect("a registered type");
    let serial = |prefix: &str| {
        let digest = ring::digest::digest(&ring::digest::SHA256, person.id_number.as_bytes());
        let n = u64::from_be_bytes(digest.as_ref()[..8].try_into().unwrap_or_default());
        format!("{prefix}{:012}", n % 1_000_000_000_000)
    };
    let mut claims = serde_json::Map::new();
    let mut out = Vec::new();
    if let Some(org) = &person.organisation {
        claims.insert("company_name".into(), org.name.clone().into());
        claims.insert("credit_code".into(), org.credit_code.clone().into());
        claims.insert("legal_representative".into(), person.name.clone().into());
        claims.insert("company_type".into(), "有限责任公司".into());
        claims.insert("registered_capital".into(), "500万元人民币".into());
        claims.insert("address".into(), "浙江省杭州市西湖区文三路 90 号".into());
        claims.insert("established".into(), "2016-04-12".into());
        out.push(Licence {
            kind: kind("business_licence"),
            serial: serial("91"),
            valid_from: "2016-04-12".into(),
            valid_until: "9999-12-31".into(),
            claims,
        });
        return out;
    }
    let birth = person.birth_date.clone();
    let age = crate::face::age_today(&birth).unwrap_or(0);
    let sex = match person.id_number.as_bytes().get(16) {
        Some(d) if (d - b'0') % 2 == 1 => "男",
        _ => "女",
    };
    let address = format!("浙江省杭州市{}", district(&person.id_number));
    // Derived: the ID number's last four characters, for a verifier that
    // only matches a person to a form.
    let last4: String = {
        let chars: Vec<char> = person.id_number.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    };
    let base = |extra: &[(&str, Value)]| {
        let mut m = serde_json::Map::new();
        m.insert("name".into(), person.name.clone().into());
        m.insert("id_number".into(), person.id_number.clone().into());
        for (k, v) in extra {
            m.insert((*k).into(), v.clone());
        }
        m
    };
    out.push(Licence {
        kind: kind("id_card"),
        serial: serial("ID"),
        valid_from: "2020-05-01".into(),
        valid_until: "2040-05-01".into(),
        claims: base(&[
            ("id_number_last4", last4.clone().into()),
            ("birth_date", birth.clone().into()),
            ("sex", sex.into()),
            ("address", address.clone().into()),
            ("age_over_18", (age >= 18).into()),
            ("age_over_60", (age >= 60).into()),
        ]),
    });
    out.push(Licence {
        kind: kind("household_register"),
        serial: serial("HR"),
        valid_from: "2018-03-01".into(),
        valid_until: "9999-12-31".into(),
        claims: base(&[
            ("id_number_last4", last4.into()),
            ("birth_date", birth.clone().into()),
            ("relation_to_head", "户主".into()),
            ("household_head", person.name.clone().into()),
            ("address", address.clone().into()),
            (
                "division",
                person.id_number.get(..6).unwrap_or("330106").into(),
            ),
        ]),
    });
    out.push(Licence {
        kind: kind("social_security_card"),
        serial: serial("SS"),
        valid_from: "2019-07-01".into(),
        valid_until: "2029-07-01".into(),
        claims: base(&[("card_number", serial("A").into())]),
    });
    if age >= 18 {
        out.push(Licence {
            kind: kind("driving_licence"),
            serial: serial("DL"),
            valid_from: "2021-09-01".into(),
            valid_until: "2031-09-01".into(),
            claims: base(&[
                ("vehicle_classes", "C1".into()),
                ("first_issued", "2011-09-01".into()),
                ("valid_until", "2031-09-01".into()),
                ("address", address.into()),
            ]),
        });
    }
    out
}

/// A district of Hangzhou for the address, from the ID number's division.
fn district(id_number: &str) -> &'static str {
    match id_number.get(..6) {
        Some("330102") => "上城区",
        Some("330105") => "拱墅区",
        Some("330108") => "滨江区",
        Some("330109") => "萧山区",
        Some("330110") => "余杭区",
        _ => "西湖区",
    }
}

// --- routes ---

fn base_url(state: &AppState) -> String {
    state.origin.clone()
}

/// `POST /v1/wallet/licences`: the caller's licences, bound to the device
/// key in the body.
pub(crate) async fn fetch(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    JsonBody(request): JsonBody<FetchRequest>,
) -> Reply {
    let wallet = state.wallet.clone();
    let base = base_url(&state);
    let issued = tokio::task::spawn_blocking(move || {
        wallet.issue(
            &caller,
            &base,
            &request.holder_key,
            request.proof.as_deref(),
        )
    })
    .await
    .map_err(|_| refused((StatusCode::INTERNAL_SERVER_ERROR, "internal")))?
    .map_err(refused)?;
    Ok(Json(issued).into_response())
}

/// `POST /v1/wallet/nonce`: a nonce for the caller's holder proof.
pub(crate) async fn nonce(State(state): State<Arc<AppState>>, caller: Caller) -> Response {
    Json(json!({"c_nonce": state.wallet.nonce(&caller.subject), "expires_in": NONCE_STEP_SECS}))
        .into_response()
}

/// `GET /v1/wallet/roots`: the trust roots after version 1, each signed
/// by a threshold of the keys before it and of its own (public).
pub(crate) async fn roots(State(state): State<Arc<AppState>>) -> Response {
    let documents: Vec<Value> = state
        .wallet
        .root_documents()
        .iter()
        .filter_map(|d| serde_json::from_str(d).ok())
        .collect();
    Json(json!({ "roots": documents })).into_response()
}

/// `GET /v1/wallet/trust-list`: the signed trust list (public).
pub(crate) async fn trust_list(State(state): State<Arc<AppState>>) -> Reply {
    let list = state
        .wallet
        .trust_list(&base_url(&state))
        .map_err(refused)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        list,
    )
        .into_response())
}

/// `GET /v1/wallet/status-lists/{id}`: the status list token (public).
pub(crate) async fn status(State(state): State<Arc<AppState>>, Path(id): Path<u32>) -> Reply {
    if id != STATUS_LIST_ID {
        return Err(refused((StatusCode::NOT_FOUND, "not_found")));
    }
    let wallet = state.wallet.clone();
    let base = base_url(&state);
    let token = tokio::task::spawn_blocking(move || wallet.status_list(&base))
        .await
        .map_err(|_| refused((StatusCode::INTERNAL_SERVER_ERROR, "internal")))?
        .map_err(refused)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/statuslist+jwt"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        token,
    )
        .into_response())
}

/// `GET /v1/wallet/bindings`: the caller's device bindings.
pub(crate) async fn bindings(State(state): State<Arc<AppState>>, caller: Caller) -> Response {
    Json(json!({"bindings": state.wallet.bindings(&caller.subject)})).into_response()
}

/// `DELETE /v1/wallet/bindings/{kid}`: revokes one of the caller's own
/// device bindings, from another signed-in device.
pub(crate) async fn revoke_binding(
    State(state): State<Arc<AppState>>,
    Path(kid): Path<String>,
    caller: Caller,
) -> Reply {
    state
        .wallet
        .revoke_binding(&caller.subject, &kid, caller.session_key.as_deref())
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What a holder sends to have a presentation held (online mode).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relay {
    pub payload: String,
}

/// `POST /v1/wallet/presentations`: holds the caller's presentation for a
/// verifier with a network, under a short reference (online mode).
pub(crate) async fn relay(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    JsonBody(request): JsonBody<Relay>,
) -> Reply {
    let (reference, expires) = state
        .wallet
        .relay(&caller.subject, &request.payload)
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"reference": reference, "expires_at": expires})),
    )
        .into_response())
}

/// `GET /v1/wallet/presentations/{reference}`: the presentation held under
/// the reference, once (public: the reference is the capability).
pub(crate) async fn resolve(
    State(state): State<Arc<AppState>>,
    Path(reference): Path<String>,
) -> Reply {
    let payload = state.wallet.resolve(&reference).map_err(refused)?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "payload": payload })),
    )
        .into_response())
}

/// `POST /v1/dev/wallet/verifiers` (development route, standing in for the
/// region's registration of a service hall's kiosk or a clerk's app).
pub(crate) async fn dev_register_verifier(
    State(state): State<Arc<AppState>>,
    JsonBody(request): JsonBody<RegisterVerifier>,
) -> Reply {
    state.wallet.register_verifier(&request).map_err(refused)?;
    Ok(Json(json!({ "id": request.id })).into_response())
}

/// `DELETE /v1/dev/wallet/bindings/{subject}` (development route, standing
/// in for a hotline operator's console): revokes every phone of a person.
pub(crate) async fn dev_revoke_bindings(
    State(state): State<Arc<AppState>>,
    Path(subject): Path<String>,
) -> Reply {
    let revoked = state
        .wallet
        .revoke_all_bindings(&subject)
        .map_err(refused)?;
    Ok(Json(json!({ "revoked": revoked })).into_response())
}

/// `POST /v1/dev/licences/change` (development route): a licence's new end
/// of validity, or its withdrawal.
pub(crate) async fn dev_change(
    State(state): State<Arc<AppState>>,
    JsonBody(request): JsonBody<ChangeLicence>,
) -> Reply {
    state.wallet.change_licence(&request).map_err(refused)?;
    Ok(Json(json!({"licence_id": request.licence_id})).into_response())
}

/// `POST /v1/dev/licences/status` (development route): revoke, suspend or
/// reinstate a licence.
pub(crate) async fn dev_set_status(
    State(state): State<Arc<AppState>>,
    JsonBody(request): JsonBody<SetStatus>,
) -> Reply {
    state
        .wallet
        .set_status(&request.licence_id, &request.status)
        .map_err(refused)?;
    Ok(Json(json!({"licence_id": request.licence_id, "status": request.status})).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use palmgov_credentials::compact::{IssuedCompact, StatusListId, StatusRef};
    use palmgov_credentials::jws;

    const BASE: &str = "http://127.0.0.1:8787";

    /// A test person with no organisation, signed in.
    fn zhou() -> Caller {
        let person = crate::auth::Person {
            name: "周晓梅".into(),
            id_number: "33010619851124002X".into(),
            birth_date: "1985-11-24".into(),
            organisation: None,
        };
        Caller {
            subject: "unit-zhou".into(),
            dpop: true,
            acr: None,
            birthdate: Some(person.birth_date.clone()),
            person: Some(person),
            session_key: None,
        }
    }

    fn proof(signer: &Es256Signer, nonce: &str, aud: &str, iat: i64) -> String {
        let header = json!({"typ": "openid4vci-proof+jwt", "jwk": signer.public_key().to_jwk()});
        let claims = json!({"nonce": nonce, "aud": aud, "iat": iat});
        jws::sign(&header, &serde_json::to_vec(&claims).unwrap(), signer).unwrap()
    }

    /// Licences are bound only to a key the caller proves they hold, over a
    /// nonce made for them, for this backend, now.
    #[test]
    fn a_holder_proof_binds_only_the_key_that_signed_it() {
        let wallet = WalletService::open(None, WalletOptions::default()).unwrap();
        let holder = Es256Signer::generate().unwrap();
        let key = holder.public_key();
        let nonce = wallet.nonce("alice");
        let now = unix_now();
        wallet
            .check_proof("alice", BASE, &key, &proof(&holder, &nonce, BASE, now))
            .unwrap();
        let refused = Err((StatusCode::BAD_REQUEST, "invalid_proof"));
        // Signed by another key than the one to bind.
        let other = Es256Signer::generate().unwrap();
        assert_eq!(
            wallet.check_proof("alice", BASE, &key, &proof(&other, &nonce, BASE, now)),
            refused
        );
        // A nonce made for someone else, a made-up one, an old one.
        let bobs = wallet.nonce("bob");
        assert_eq!(
            wallet.check_proof("alice", BASE, &key, &proof(&holder, &bobs, BASE, now)),
            refused
        );
        for nonce in [
            "AAAA".to_string(),
            wallet.nonces.issue_for("alice", now - 2 * NONCE_STEP_SECS),
        ] {
            assert_eq!(
                wallet.check_proof("alice", BASE, &key, &proof(&holder, &nonce, BASE, now)),
                refused
            );
        }
        // For another backend, or long ago.
        assert_eq!(
            wallet.check_proof(
                "alice",
                BASE,
                &key,
                &proof(&holder, &nonce, "https://elsewhere.example", now)
            ),
            refused
        );
        assert_eq!(
            wallet.check_proof(
                "alice",
                BASE,
                &key,
                &proof(&holder, &nonce, BASE, now - 3600)
            ),
            refused
        );
        assert_eq!(
            wallet.check_proof("alice", BASE, &key, "not.a.jws"),
            refused
        );
    }

    /// The test mode's salts: two backends with `deterministic_salts` give
    /// a person's licences with the very same disclosures (salts, names,
    /// values) and compact items' salts, so fixtures and interop vectors
    /// can be written down; the default gives fresh salts every time.
    #[test]
    fn deterministic_salts_repeat_across_backends_and_random_ones_do_not() {
        let caller = zhou();
        let disclosures = |deterministic_salts: bool| {
            let wallet = WalletService::open(
                None,
                WalletOptions {
                    deterministic_salts,
                    ..Default::default()
                },
            )
            .unwrap();
            let holder = Es256Signer::generate().unwrap();
            let proof = proof(&holder, &wallet.nonce("unit-zhou"), BASE, unix_now());
            let issued = wallet
                .issue(&caller, BASE, &holder.public_key().to_jwk(), Some(&proof))
                .unwrap();
            let licences = issued["licences"].as_array().unwrap().clone();
            assert_eq!(licences.len(), 4, "her ID card, register, card and licence");
            licences
                .iter()
                .map(|l| {
                    let credential = l["credential"].as_str().unwrap();
                    let mut salts: Vec<String> = credential
                        .split('~')
                        .skip(1)
                        .filter(|d| !d.is_empty())
                        .map(str::to_owned)
                        .collect();
                    // The compact form's salts, the same way.
                    let compact = URL_SAFE_NO_PAD
                        .decode(l["compact"].as_str().unwrap())
                        .unwrap();
                    let compact = IssuedCompact::from_bytes(&compact).unwrap();
                    salts.extend(compact.items.iter().map(|i| URL_SAFE_NO_PAD.encode(i.salt)));
                    salts
                })
                .collect::<Vec<_>>()
        };
        let first = disclosures(true);
        assert!(first.iter().all(|d| d.len() >= 3));
        assert_eq!(first, disclosures(true));
        let (a, b) = (disclosures(false), disclosures(false));
        for (a, b) in a.iter().zip(&b) {
            let same: Vec<_> = a.iter().filter(|d| b.contains(d)).collect();
            assert!(same.is_empty(), "fresh salts every time: {same:?}");
        }
    }

    /// Whether a compact item's value is the SD-JWT's value of that claim:
    /// text as text, a bool as a bool, a date as its `YYYY-MM-DD`.
    fn same_value(item: &ItemValue, claim: &Value) -> bool {
        match (item, claim) {
            (ItemValue::Text(t), Value::String(s)) => t == s,
            (ItemValue::Bool(b), Value::Bool(c)) => b == c,
            (ItemValue::Uint(n), v) => v.as_u64() == Some(*n),
            (ItemValue::Date(d), Value::String(s)) => {
                compact::days_to_date(*d).as_deref() == Some(s.as_str())
            }
            _ => false,
        }
    }

    /// Each licence comes with its compact form: the identifier and the
    /// type's claims as items, with the SD-JWT's values, bound to the
    /// holder key, signed by the key the trust list gives the issuer, its
    /// status entry the SD-JWT's in the list the trust list calls 1.
    #[test]
    fn each_licence_comes_with_its_compact_form() {
        let wallet = WalletService::open(None, WalletOptions::default()).unwrap();
        let caller = zhou();
        let holder = Es256Signer::generate().unwrap();
        let proof = proof(&holder, &wallet.nonce("unit-zhou"), BASE, unix_now());
        let issued = wallet
            .issue(&caller, BASE, &holder.public_key().to_jwk(), Some(&proof))
            .unwrap();

        // The trust list: the issuers' keys, and the status list by id.
        let (roots, threshold) = test_root_keys();
        let roots = roots
            .iter()
            .map(|k| PublicKey::from_jwk(k).unwrap())
            .collect();
        let root = envelope::Root::pinned(roots, threshold as usize, 1).unwrap();
        let list = wallet.trust_list(BASE).unwrap();
        let body = envelope::open(&root, TRUST_LIST_KIND, &list, None, unix_now())
            .unwrap()
            .body;
        let lists = body["status_lists"].as_array().unwrap();
        assert_eq!(lists.len(), 1);
        assert_eq!(lists[0]["id"], 1);
        assert_eq!(lists[0]["uri"], status_uri(BASE));
        let issuer_key = |iss: &str, alg: palmgov_credentials::keys::Alg| {
            body["issuers"]
                .as_array()?
                .iter()
                .find(|i| i["iss"] == iss)?["keys"]
                .as_array()?
                .iter()
                .filter_map(|k| PublicKey::from_jwk(k).ok())
                .find(|k| k.alg() == alg)
        };

        let licences = issued["licences"].as_array().unwrap();
        let types: Vec<&str> = licences
            .iter()
            .map(|l| l["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            [
                "id_card",
                "household_register",
                "social_security_card",
                "driving_licence"
            ]
        );
        for licence in licences {
            let kind = licence_types::by_name(licence["type"].as_str().unwrap()).unwrap();
            let sd_jwt = sdjwt::inspect(licence["credential"].as_str().unwrap()).unwrap();
            let payload = &sd_jwt.issuer_payload;
            // The identifier: a plain claim, always visible.
            let id = payload["licence_id"].as_str().unwrap();
            assert!(id.starts_with("1.2.156.3005.2."), "{id}");
            assert!(
                sd_jwt
                    .disclosures
                    .iter()
                    .all(|d| d.name.as_deref() != Some("licence_id"))
            );
            // The type's claims, each disclosable (the SD-JWT lists its
            // disclosures in its own order; the compact form keeps the
            // registry's).
            let disclosed: Vec<(&str, &Value)> = sd_jwt
                .disclosures
                .iter()
                .map(|d| (d.name.as_deref().unwrap(), &d.value))
                .collect();
            let names: Vec<&str> = disclosed.iter().map(|(n, _)| *n).collect();
            let in_order: Vec<&str> = kind
                .claims
                .iter()
                .copied()
                .filter(|c| names.contains(c))
                .collect();
            let (mut sorted, mut registry) = (names.clone(), in_order.clone());
            sorted.sort_unstable();
            registry.sort_unstable();
            assert_eq!(sorted, registry, "{}", kind.name);

            let bytes = URL_SAFE_NO_PAD
                .decode(licence["compact"].as_str().unwrap())
                .unwrap();
            let compact = IssuedCompact::from_bytes(&bytes).unwrap();
            let items: Vec<&str> = compact.items.iter().map(|i| i.name.as_str()).collect();
            let mut expected = vec![LICENCE_ID];
            expected.extend(&in_order);
            assert_eq!(items, expected, "{}", kind.name);
            assert_eq!(compact.items[0].value, ItemValue::Text(id.into()));
            for item in &compact.items[1..] {
                let (_, value) = disclosed.iter().find(|(n, _)| *n == item.name).unwrap();
                assert!(
                    same_value(&item.value, value),
                    "{}: {} is {:?} against {value}",
                    kind.name,
                    item.name,
                    item.value
                );
            }
            if kind.name == "id_card" {
                let item = |n| &compact.items.iter().find(|i| i.name == n).unwrap().value;
                assert_eq!(item("id_number_last4"), &ItemValue::Text("002X".into()));
                assert_eq!(
                    item("birth_date"),
                    &ItemValue::Date(compact::date_to_days("1985-11-24").unwrap())
                );
                assert_eq!(item("age_over_18"), &ItemValue::Bool(true));
            }
            if kind.name == "household_register" {
                assert!(items.contains(&"id_number_last4"));
            }

            // Shown whole by the holder's key, checked offline.
            let now = unix_now();
            let code = compact::present(
                &compact.issuer_signed,
                &compact.items,
                now as u64,
                compact::new_pid().unwrap(),
                None,
                &holder,
            )
            .unwrap();
            let options = compact::VerifyOptions {
                now,
                validity_secs: 60,
                skew_secs: 30,
                expect_request: None,
            };
            let shown = compact::verify(&code, &issuer_key, &options).unwrap();
            assert_eq!(shown.licence_type, kind.name);
            assert_eq!(shown.issuer, payload["iss"].as_str().unwrap());
            assert_eq!(shown.hash, sd_jwt.hash);
            assert_eq!(
                shown.status,
                Some(StatusRef {
                    idx: payload["status"]["status_list"]["idx"].as_u64().unwrap(),
                    list: StatusListId::Id(1),
                })
            );
            // As the licence states it, disclosed or not.
            let day = |name: &str| {
                let date = sd_jwt.claims[name].as_str().unwrap();
                u32::try_from(compact::date_to_days(date).unwrap()).unwrap()
            };
            assert_eq!(
                shown.validity,
                compact::Validity {
                    iat: payload["iat"].as_u64().unwrap(),
                    exp: payload["exp"].as_u64().unwrap(),
                    valid_from: day("valid_from"),
                    valid_until: day("valid_until"),
                }
            );
            if sd_jwt.claims["valid_until"] == "9999-12-31" {
                assert_eq!(shown.validity.valid_until, compact::NO_END);
            }
            assert_eq!(shown.items.len(), compact.items.len());
            // Another phone's key cannot show it.
            let other = Es256Signer::generate().unwrap();
            assert_eq!(
                compact::present(
                    &compact.issuer_signed,
                    &compact.items[..1],
                    now as u64,
                    compact::new_pid().unwrap(),
                    None,
                    &other,
                )
                .map_err(|e| e.reason()),
                Err("wrong_device_key")
            );
        }
    }
}
