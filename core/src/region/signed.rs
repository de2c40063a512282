//! The signed region profile in force, and how a new one is taken.
//!
//! The build pins the region's root keys and bundles a signed profile
//! ([`crate::config::RegionTrust`]). The profile in force is the newer of
//! the one last accepted and the bundled one, which is a floor: an app
//! update never runs an older profile than it shipped with, and nothing
//! fetched may go below either (a lower version, or the same version with
//! other bytes, is a rollback). Root keys rotate as TUF's do, through root
//! documents each signed by a threshold of the keys before and of its own;
//! the chain may start from an expired root, so an old build still
//! updates. No X.509: an expired cached certificate on a phone that has
//! been offline is a known way to brick a client.
//!
//! A profile is verified once, when it arrives; its envelope is stored with
//! the digest of its payload, and each start only checks that digest
//! ([`envelope::reopen`]). Past its expiry a profile keeps working, marked
//! stale, until a fresh one can be fetched.
//!
//! Everything lives in the sealed secure records of `palmgov.region`.

use palmgov_credentials::envelope::{self, Opened, Root};
use serde::{Deserialize, Serialize};

use super::profile::{self, PROFILE_KIND, Profile};
use crate::config::RegionTrust;
use crate::error::{PalmGovError, Result};
use crate::store::Store;

const NAMESPACE: &str = "palmgov.region";
const PROFILE_KEY: &str = "profile";
const FLOOR_KEY: &str = "floor";
/// Root documents are kept as `root:<version, 20 digits>`, so they list in
/// order.
const ROOT_PREFIX: &str = "root:";
/// The most root documents one refresh walks.
const MAX_ROOT_STEPS: usize = 16;

/// A profile accepted and kept.
#[derive(Serialize, Deserialize)]
struct Kept {
    document: String,
    version: u64,
    digest: String,
}

/// The profile in force, checked.
#[derive(Debug, Clone)]
pub(crate) struct Active {
    pub profile: Profile,
    pub version: u64,
    pub expires: i64,
    pub stale: bool,
    pub digest: [u8; 32],
}

pub(crate) fn refused(reason: &str) -> crate::error::Error {
    PalmGovError::RegionProfileRefused {
        reason: reason.into(),
    }
    .into()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

/// The root in force: the pinned one, carried through every root document
/// accepted since.
pub(crate) fn trusted_root(store: &Store, trust: &RegionTrust) -> Result<Root> {
    let mut root = crate::crypto::pinned_root(&trust.root_keys, trust.threshold, "region.trust")?;
    // Listed by key, so in version order.
    let roots = store
        .secure_list(NAMESPACE)?
        .into_iter()
        .filter(|e| e.key.starts_with(ROOT_PREFIX));
    for entry in roots {
        let document = String::from_utf8(entry.value).map_err(|_| refused("root.stored"))?;
        root = envelope::update_root(&root, &document)
            .map_err(|e| refused(&format!("root.{}", e.reason())))?;
    }
    Ok(root)
}

/// Takes root documents in order, each one version up from the root in
/// force; those already held are skipped, and one that does not chain
/// refuses the rest.
pub(crate) fn accept_roots(store: &Store, trust: &RegionTrust, documents: &[String]) -> Result<()> {
    let mut root = trusted_root(store, trust)?;
    for document in documents.iter().take(MAX_ROOT_STEPS) {
        match envelope::update_root(&root, document) {
            Ok(next) => {
                let key = format!("{ROOT_PREFIX}{:020}", next.version());
                store.secure_put_durable(NAMESPACE, &key, document.as_bytes())?;
                root = next;
            }
            Err(envelope::EnvelopeError::Rollback { .. }) => {}
            Err(e) => return Err(refused(&format!("root.{}", e.reason()))),
        }
    }
    Ok(())
}

/// Opens `document` under `root` not below `last`, then checks that it is
/// this build's: its region code and one of its app ids.
pub(crate) fn open_profile(
    root: &Root,
    trust: &RegionTrust,
    document: &str,
    last: Option<(u64, [u8; 32])>,
    now: i64,
) -> Result<Active> {
    let opened = envelope::open(root, PROFILE_KIND, document, last, now)
        .map_err(|e| refused(&format!("profile.{}", e.reason())))?;
    active(trust, opened)
}

fn active(trust: &RegionTrust, opened: Opened) -> Result<Active> {
    let profile = profile::parse(opened.body)?;
    if profile.region.code != trust.region_code {
        return Err(refused("profile.other_region"));
    }
    if !profile.app.ids.contains(&trust.app_id) {
        return Err(refused("profile.app_id"));
    }
    Ok(Active {
        profile,
        version: opened.version,
        expires: opened.expires,
        stale: opened.stale,
        digest: opened.digest,
    })
}

/// The payload digest of an envelope, without verifying it: to see that a
/// fetched profile is the one in force.
pub(crate) fn digest_of(document: &str) -> Option<[u8; 32]> {
    envelope::payload_digest(document).ok()
}

fn kept(store: &Store, key: &str) -> Result<Option<Kept>> {
    Ok(match store.secure_get(NAMESPACE, key)? {
        None => None,
        Some(bytes) => Some(serde_json::from_slice(&bytes).map_err(|_| refused("profile.stored"))?),
    })
}

/// The bundled profile as the floor: verified the first time a build runs
/// (and whenever the bundled bytes change, with an app update), then known
/// by its digest.
fn floor(store: &Store, trust: &RegionTrust, root: &Root, now: i64) -> Result<Active> {
    if let Some(k) = kept(store, FLOOR_KEY)?
        && let Some(digest) = unhex(&k.digest)
        && let Ok(opened) = envelope::reopen(
            PROFILE_KIND,
            &trust.bundled_profile,
            digest,
            root.expires(),
            now,
        )
    {
        return active(trust, opened);
    }
    let bundled = open_profile(root, trust, &trust.bundled_profile, None, now)?;
    let record = Kept {
        document: String::new(),
        version: bundled.version,
        digest: crate::crypto::hex(&bundled.digest),
    };
    store.secure_put_durable(NAMESPACE, FLOOR_KEY, &serde_json::to_vec(&record)?)?;
    Ok(bundled)
}

/// The profile in force at start: the newer of the one kept (checked by its
/// digest) and the bundled floor.
pub(crate) fn in_force(store: &Store, trust: &RegionTrust, now: i64) -> Result<Active> {
    let root = trusted_root(store, trust)?;
    let floor = floor(store, trust, &root, now)?;
    // A kept profile's network settings were checked when it was accepted
    // ([`accept`]), so they build now too.
    let saved = kept(store, PROFILE_KEY)?.and_then(|k| {
        let digest = unhex(&k.digest)?;
        let opened =
            envelope::reopen(PROFILE_KIND, &k.document, digest, root.expires(), now).ok()?;
        active(trust, opened).ok()
    });
    Ok(match saved {
        Some(s) if s.version > floor.version => s,
        _ => floor,
    })
}

/// Takes a fetched profile: verified under the root in force, not below
/// the one kept nor the bundled floor, this build's; kept durably. Returns
/// it, or the typed refusal (the profile in force stays).
pub(crate) fn accept(
    store: &Store,
    trust: &RegionTrust,
    document: &str,
    now: i64,
) -> Result<Active> {
    let root = trusted_root(store, trust)?;
    // A root past its expiry that no rotation renewed signs nothing new:
    // the profile in force stays (stale) until one does.
    if now >= root.expires() {
        return Err(refused("root.expired"));
    }
    let floor = floor(store, trust, &root, now)?;
    let saved = kept(store, PROFILE_KEY)?
        .and_then(|k| Some((k.version, unhex(&k.digest)?)))
        .filter(|(v, _)| *v >= floor.version);
    let last = saved.unwrap_or((floor.version, floor.digest));
    let active = open_profile(&root, trust, document, Some(last), now)?;
    active.profile.check_network()?;
    let record = Kept {
        document: document.to_string(),
        version: active.version,
        digest: crate::crypto::hex(&active.digest),
    };
    store.secure_put_durable(NAMESPACE, PROFILE_KEY, &serde_json::to_vec(&record)?)?;
    Ok(active)
}
