//! Whom the wallet trusts, offline: the licence trust list (issuers and
//! their keys, the status lists and the keys that sign them, the verifiers
//! allowed to ask for presentations), opened as an envelope under the root
//! keys the app's configuration pins; and the status lists, checked against
//! it. Both are public documents, kept in the clear (the `trust_documents`
//! table), device-wide.
//!
//! A trust list is accepted only at a version at least the one last
//! accepted (the same version only with the same bytes): a backend, or
//! someone in the middle, cannot roll the phone back to a list that still
//! names a withdrawn key. Past its expiry it stays usable offline, marked
//! stale. Before any is fetched, the copy the app bundles is used.
//!
//! The root keys rotate as TUF's do: each new root document is signed by a
//! threshold of the keys before it and of its own, one version up, and the
//! chain from the pinned keys is replayed at every use; it may start from
//! an expired root, so an old app catches up.

use std::collections::HashMap;

use palmgov_credentials::envelope::{self, Root};
use palmgov_credentials::keys::{Alg, PublicKey};
use palmgov_credentials::status_list::{self, StatusList};
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;

use crate::config::WalletConfig;
use crate::error::{PalmGovError, Result};
use crate::store::Store;

/// The kind of the licence trust list envelope.
pub(crate) const TRUST_LIST_KIND: &str = "palmgov.licence-trust-list";

/// One issuer of the trust list.
pub(crate) struct TrustedIssuer {
    pub name: String,
    /// Keys by key id (the JWK thumbprint).
    pub keys: HashMap<String, PublicKey>,
    pub types: Vec<String>,
}

/// A verifier of the trust list: a service hall's kiosk or a clerk's app,
/// allowed to show request QR codes asking for some items.
pub(crate) struct TrustedVerifier {
    pub name: String,
    pub keys: Vec<PublicKey>,
    /// The items it may ask for.
    pub asks: Vec<String>,
}

/// The trust list in force.
pub(crate) struct TrustList {
    pub issuers: HashMap<String, TrustedIssuer>,
    /// Verifiers by id.
    pub verifiers: HashMap<String, TrustedVerifier>,
    /// Status list URI → the keys allowed to sign it.
    pub status_lists: HashMap<String, Vec<PublicKey>>,
    /// Status list short id → its URI: a QR code names its list by id.
    pub status_list_ids: HashMap<u32, String>,
    pub version: u64,
    /// Unix seconds.
    pub expires: i64,
    /// Past its expiry: still used offline, but the app should say so.
    pub stale: bool,
}

#[derive(Deserialize)]
struct Body {
    issuers: Vec<IssuerEntry>,
    #[serde(default)]
    status_lists: Vec<StatusEntry>,
    #[serde(default)]
    verifiers: Vec<VerifierEntry>,
}

#[derive(Deserialize)]
struct VerifierEntry {
    id: String,
    name: String,
    keys: Vec<serde_json::Value>,
    #[serde(default)]
    asks: Vec<String>,
}

#[derive(Deserialize)]
struct IssuerEntry {
    iss: String,
    name: String,
    keys: Vec<serde_json::Value>,
    #[serde(default)]
    types: Vec<String>,
}

#[derive(Deserialize)]
struct StatusEntry {
    /// Absent in trust lists from before QR codes named lists by id.
    #[serde(default)]
    id: Option<u32>,
    uri: String,
    keys: Vec<serde_json::Value>,
}

fn refused(reason: &str) -> PalmGovError {
    PalmGovError::LicenceRefused {
        reason: reason.into(),
    }
}

/// The root the configuration pins (version 1).
fn pinned_root(config: &WalletConfig) -> Result<Root> {
    crate::crypto::pinned_root(&config.trust_roots, config.trust_threshold, "wallet.trust")
}

/// The root in force: the pinned one, carried forward through every root
/// document accepted since (each signed by a threshold of the keys before
/// it and of its own, versions rising by one), replayed from the store so
/// that nothing stored counts unless the chain from the pinned keys holds.
pub(crate) fn trusted_root(store: &Store, config: &WalletConfig) -> Result<Root> {
    let mut root = pinned_root(config)?;
    let conn = store.conn()?;
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM trust_documents WHERE kind LIKE 'root:%' ORDER BY version",
    )?;
    let documents = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for document in documents {
        root = envelope::update_root(&root, &document)
            .map_err(|e| refused(&format!("root.{}", e.reason())))?;
    }
    Ok(root)
}

/// Takes the root documents a backend publishes, in order: each one
/// version up from the root in force is checked (a threshold of the old
/// keys and of the new) and kept; those already held are skipped. A
/// document that does not chain refuses the rest.
pub(crate) fn accept_roots(
    store: &Store,
    config: &WalletConfig,
    documents: &[String],
) -> Result<u32> {
    let mut root = trusted_root(store, config)?;
    let mut taken = 0;
    for document in documents {
        match envelope::update_root(&root, document) {
            Ok(next) => {
                store.conn()?.execute(
                    "INSERT OR REPLACE INTO trust_documents (kind, body, version, digest, fetched_at)
                     VALUES (?1, ?2, ?3, x'', 0)",
                    params![
                        format!("root:{:020}", next.version()),
                        document,
                        next.version() as i64
                    ],
                )?;
                root = next;
                taken += 1;
            }
            // A root this phone already holds.
            Err(envelope::EnvelopeError::Rollback { .. }) => {}
            Err(e) => return Err(refused(&format!("root.{}", e.reason())).into()),
        }
    }
    Ok(taken)
}

/// Opens `document` as a trust list under `root`, not older than `last`.
fn open_list(
    root: &Root,
    document: &str,
    last: Option<(u64, [u8; 32])>,
    now: i64,
) -> Result<(TrustList, envelope::Opened)> {
    let opened = envelope::open(root, TRUST_LIST_KIND, document, last, now)
        .map_err(|e| refused(&format!("trust_list.{}", e.reason())))?;
    let body: Body =
        serde_json::from_value(opened.body.clone()).map_err(|_| refused("trust_list.body"))?;
    // Each key states its algorithm, which must be its own and one a
    // licence or a status list may use (ES256, SM2): a key that does not
    // makes the whole list unusable rather than quietly dropping out.
    let keys_of = |jwks: &[serde_json::Value]| -> Result<Vec<PublicKey>> {
        jwks.iter()
            .map(|jwk| {
                let key =
                    PublicKey::from_jwk(&strip(jwk)).map_err(|_| refused("trust_list.key"))?;
                let stated = jwk.get("alg").and_then(serde_json::Value::as_str);
                match (stated.and_then(Alg::parse), key.alg()) {
                    (Some(alg), own) if alg == own && matches!(alg, Alg::Es256 | Alg::Sm2) => {
                        Ok(key)
                    }
                    _ => Err(refused("trust_list.key_alg").into()),
                }
            })
            .collect()
    };
    let issuers = body
        .issuers
        .into_iter()
        .map(|i| {
            let keys = keys_of(&i.keys)?
                .into_iter()
                .map(|k| (k.thumbprint(), k))
                .collect();
            Ok((
                i.iss,
                TrustedIssuer {
                    name: i.name,
                    keys,
                    types: i.types,
                },
            ))
        })
        .collect::<Result<_>>()?;
    let verifiers = body
        .verifiers
        .into_iter()
        .map(|v| {
            Ok((
                v.id,
                TrustedVerifier {
                    name: v.name,
                    keys: keys_of(&v.keys)?,
                    asks: v.asks,
                },
            ))
        })
        .collect::<Result<_>>()?;
    let status_list_ids = body
        .status_lists
        .iter()
        .filter_map(|s| Some((s.id?, s.uri.clone())))
        .collect();
    let status_lists = body
        .status_lists
        .into_iter()
        .map(|s| Ok((s.uri, keys_of(&s.keys)?)))
        .collect::<Result<_>>()?;
    // Past its expiry the list still counts offline (`opened.stale`); the
    // next refresh fetches a newer one.
    Ok((
        TrustList {
            issuers,
            verifiers,
            status_lists,
            status_list_ids,
            version: opened.version,
            expires: opened.expires,
            stale: opened.stale,
        },
        opened,
    ))
}

/// A JWK without the members a trust list adds (`kid`, `alg`, `use`): the
/// key itself.
fn strip(jwk: &serde_json::Value) -> serde_json::Value {
    let mut jwk = jwk.clone();
    if let Some(map) = jwk.as_object_mut() {
        for member in ["kid", "alg", "use", "key_ops"] {
            map.remove(member);
        }
    }
    jwk
}

/// The trust list in force: the newer of the last one accepted and the
/// copy the app bundles (an app update may bring a newer one).
pub(crate) fn current(store: &Store, config: &WalletConfig, now: i64) -> Result<TrustList> {
    let root = trusted_root(store, config)?;
    let saved =
        saved_list(store)?.and_then(|(document, _, _)| open_list(&root, &document, None, now).ok());
    let bundled = config
        .bundled_trust_list
        .as_deref()
        .and_then(|document| open_list(&root, document, None, now).ok());
    let newest = match (saved, bundled) {
        (Some(s), Some(b)) => Some(if b.1.version > s.1.version { b } else { s }),
        (s, b) => s.or(b),
    };
    newest
        .map(|(list, _)| list)
        .ok_or_else(|| refused("trust_list.none").into())
}

/// The saved trust list: its document, version and digest.
fn saved_list(store: &Store) -> Result<Option<(String, u64, [u8; 32])>> {
    let row: Option<(String, i64, Vec<u8>)> = store
        .conn()?
        .query_row(
            "SELECT body, version, digest FROM trust_documents WHERE kind = ?1",
            [TRUST_LIST_KIND],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(body, v, d)| Some((body, u64::try_from(v).ok()?, d.try_into().ok()?))))
}

/// Takes a fetched trust list, if it opens and is not a rollback of the
/// saved one or of the bundled copy. Checked and written in one
/// transaction, so two refreshes at once cannot leave the older list.
pub(crate) fn accept(store: &Store, config: &WalletConfig, document: &str, now: i64) -> Result<()> {
    let root = trusted_root(store, config)?;
    let bundled = config
        .bundled_trust_list
        .as_deref()
        .and_then(|b| open_list(&root, b, None, now).ok())
        .map(|(_, o)| (o.version, o.digest));
    store.write_durably(|tx| {
        let saved: Option<(i64, Vec<u8>)> = tx
            .query_row(
                "SELECT version, digest FROM trust_documents WHERE kind = ?1",
                [TRUST_LIST_KIND],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let saved = saved.and_then(|(v, d)| Some((u64::try_from(v).ok()?, d.try_into().ok()?)));
        // Never below the newer of what was accepted and what was bundled.
        let last = match (saved, bundled) {
            (Some(s), Some(b)) => Some(if b.0 > s.0 { b } else { s }),
            (s, b) => s.or(b),
        };
        let (_, opened) = open_list(&root, document, last, now)?;
        tx.execute(
            "INSERT INTO trust_documents (kind, body, version, digest, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (kind) DO UPDATE SET body = excluded.body, version = excluded.version,
                 digest = excluded.digest, fetched_at = excluded.fetched_at",
            params![
                TRUST_LIST_KIND,
                document,
                opened.version as i64,
                opened.digest.to_vec(),
                now
            ],
        )?;
        Ok(())
    })
}

/// Keeps a fetched status list token for `uri`, once it verifies under a
/// key the trust list names for it and is not older than the one kept (an
/// older list, replayed or from a stale cache, could undo a suspension).
pub(crate) fn accept_status(
    store: &Store,
    trust: &TrustList,
    uri: &str,
    token: &str,
    now: i64,
) -> Result<()> {
    let decoded = decode_status(trust, uri, token, now)?;
    if decoded.iat > now + FUTURE_SKEW_SECS {
        return Err(refused("status_list.from_the_future").into());
    }
    store.write_durably(|tx| {
        let kept: Option<i64> = tx
            .query_row(
                "SELECT version FROM trust_documents WHERE kind = ?1",
                [status_kind(uri)],
                |r| r.get(0),
            )
            .optional()?;
        if kept.is_some_and(|iat| iat > decoded.iat) {
            return Err(refused("status_list.older_than_kept").into());
        }
        tx.execute(
            "INSERT INTO trust_documents (kind, body, version, digest, fetched_at)
             VALUES (?1, ?2, ?3, x'', ?4)
             ON CONFLICT (kind) DO UPDATE SET body = excluded.body, version = excluded.version,
                 fetched_at = excluded.fetched_at",
            params![status_kind(uri), token, decoded.iat, now],
        )?;
        Ok(())
    })
}

/// How far ahead of the corrected clock a status list's issue time may be.
const FUTURE_SKEW_SECS: i64 = 300;

fn status_kind(uri: &str) -> String {
    format!("status:{uri}")
}

/// A status list token verified under the trust list's keys for `uri`, as
/// of `at` (its expiry is judged by the caller).
fn decode_status(
    trust: &TrustList,
    uri: &str,
    token: &str,
    at: i64,
) -> Result<status_list::StatusListToken> {
    let keys = trust
        .status_lists
        .get(uri)
        .ok_or_else(|| refused("status_list.unknown"))?;
    let mut reason = "status_list.no_key";
    for key in keys {
        match status_list::verify_token(token, key, uri, at) {
            Ok(decoded) => return Ok(decoded),
            Err(e) => reason = e.reason(),
        }
    }
    Err(refused(&format!("status_list.{reason}")).into())
}

/// A status list as last fetched: the list, how old it is (by when its
/// issuer made it), and whether it is past its own expiry.
pub(crate) struct CachedStatus {
    pub list: StatusList,
    pub age: u64,
    pub expired: bool,
}

/// The status list for `uri` as last fetched, decoded; `None` when none was
/// ever fetched.
pub(crate) fn cached_status(
    store: &Store,
    trust: &TrustList,
    uri: &str,
    now: i64,
) -> Result<Option<CachedStatus>> {
    let row: Option<(String, i64)> = store
        .conn()?
        .query_row(
            "SELECT body, version FROM trust_documents WHERE kind = ?1",
            [status_kind(uri)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((token, iat)) = row else {
        return Ok(None);
    };
    // Checked as of its own issue time (signature, subject, shape), so an
    // expired list still says how old it is.
    let decoded = decode_status(trust, uri, &token, iat)?;
    Ok(Some(CachedStatus {
        age: u64::try_from(now - decoded.iat).unwrap_or(0),
        expired: decoded
            .exp
            .is_some_and(|exp| now >= exp.saturating_add(status_list::EXP_LEEWAY_SECS)),
        list: decoded.list,
    }))
}
