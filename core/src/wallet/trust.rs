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

use std::collections::HashMap;

use palmgov_credentials::envelope::{self, Root};
use palmgov_credentials::keys::PublicKey;
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

/// The trust list in force.
pub(crate) struct TrustList {
    pub issuers: HashMap<String, TrustedIssuer>,
    /// Status list URI → the keys allowed to sign it.
    pub status_lists: HashMap<String, Vec<PublicKey>>,
}

#[derive(Deserialize)]
struct Body {
    issuers: Vec<IssuerEntry>,
    #[serde(default)]
    status_lists: Vec<StatusEntry>,
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
    uri: String,
    keys: Vec<serde_json::Value>,
}

fn refused(reason: &str) -> PalmGovError {
    PalmGovError::LicenceRefused {
        reason: reason.into(),
    }
}

/// The root the configuration pins.
pub(crate) fn pinned_root(config: &WalletConfig) -> Result<Root> {
    let keys = config
        .trust_roots
        .iter()
        .map(|jwk| {
            serde_json::from_str(jwk)
                .ok()
                .and_then(|v| PublicKey::from_jwk(&v).ok())
                .ok_or_else(|| PalmGovError::InvalidInput {
                    field: "wallet.trust_roots".into(),
                })
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(
        Root::pinned(keys, config.trust_threshold as usize, 1).map_err(|_| {
            PalmGovError::InvalidInput {
                field: "wallet.trust_threshold".into(),
            }
        })?,
    )
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
    let keys_of = |jwks: &[serde_json::Value]| -> Vec<PublicKey> {
        jwks.iter()
            .filter_map(|jwk| PublicKey::from_jwk(&strip(jwk)).ok())
            .collect()
    };
    let issuers = body
        .issuers
        .into_iter()
        .map(|i| {
            let keys = keys_of(&i.keys)
                .into_iter()
                .map(|k| (k.thumbprint(), k))
                .collect();
            (
                i.iss,
                TrustedIssuer {
                    name: i.name,
                    keys,
                    types: i.types,
                },
            )
        })
        .collect();
    let status_lists = body
        .status_lists
        .into_iter()
        .map(|s| (s.uri, keys_of(&s.keys)))
        .collect();
    // Past its expiry the list still counts offline (`opened.stale`); the
    // next refresh fetches a newer one.
    Ok((
        TrustList {
            issuers,
            status_lists,
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

/// The trust list in force: the last one accepted, or the bundled copy.
pub(crate) fn current(store: &Store, config: &WalletConfig, now: i64) -> Result<TrustList> {
    let root = pinned_root(config)?;
    let saved: Option<String> = store
        .conn()?
        .query_row(
            "SELECT body FROM trust_documents WHERE kind = ?1",
            [TRUST_LIST_KIND],
            |r| r.get(0),
        )
        .optional()?;
    let document = saved
        .or_else(|| config.bundled_trust_list.clone())
        .ok_or_else(|| refused("trust_list.none"))?;
    Ok(open_list(&root, &document, None, now)?.0)
}

/// Takes a fetched trust list, if it opens and is not a rollback.
pub(crate) fn accept(store: &Store, config: &WalletConfig, document: &str, now: i64) -> Result<()> {
    let root = pinned_root(config)?;
    let last: Option<(i64, Vec<u8>)> = store
        .conn()?
        .query_row(
            "SELECT version, digest FROM trust_documents WHERE kind = ?1",
            [TRUST_LIST_KIND],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let last = last.and_then(|(v, d)| Some((u64::try_from(v).ok()?, d.try_into().ok()?)));
    // The bundled copy counts as accepted: never go below it.
    let last = match (last, &config.bundled_trust_list) {
        (None, Some(bundled)) => open_list(&root, bundled, None, now)
            .ok()
            .map(|(_, o)| (o.version, o.digest)),
        (last, _) => last,
    };
    let (_, opened) = open_list(&root, document, last, now)?;
    store.conn()?.execute(
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
}

/// Keeps a fetched status list token for `uri`, once it verifies under a
/// key the trust list names for it.
pub(crate) fn accept_status(
    store: &Store,
    trust: &TrustList,
    uri: &str,
    token: &str,
    now: i64,
) -> Result<()> {
    decode_status(trust, uri, token, now)?;
    store.conn()?.execute(
        "INSERT INTO trust_documents (kind, body, version, digest, fetched_at)
         VALUES (?1, ?2, 0, x'', ?3)
         ON CONFLICT (kind) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
        params![status_kind(uri), token, now],
    )?;
    Ok(())
}

fn status_kind(uri: &str) -> String {
    format!("status:{uri}")
}

/// A status list token verified under the trust list's keys for `uri`.
fn decode_status(
    trust: &TrustList,
    uri: &str,
    token: &str,
    now: i64,
) -> Result<status_list::StatusListToken> {
    let keys = trust
        .status_lists
        .get(uri)
        .ok_or_else(|| refused("status_list.unknown"))?;
    keys.iter()
        .find_map(|key| status_list::verify_token(token, key, uri, now).ok())
        .ok_or_else(|| refused("status_list.signature").into())
}

/// The status list for `uri` as last fetched, decoded, with its age in
/// seconds; `None` when none was ever fetched.
pub(crate) fn cached_status(
    store: &Store,
    trust: &TrustList,
    uri: &str,
    now: i64,
) -> Result<Option<(StatusList, u64)>> {
    let row: Option<(String, i64)> = store
        .conn()?
        .query_row(
            "SELECT body, fetched_at FROM trust_documents WHERE kind = ?1",
            [status_kind(uri)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((token, _fetched_at)) = row else {
        return Ok(None);
    };
    let decoded = decode_status(trust, uri, &token, now)?;
    // How current the statuses are is when the issuer made the list, not
    // when this phone fetched it.
    let age = u64::try_from(now - decoded.iat).unwrap_or(0);
    Ok(Some((decoded.list, age)))
}
