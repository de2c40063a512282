//! Issuing an SD-JWT.

use serde_json::{Map, Value, json};

use super::disclosure::{self, HashAlg, SaltSource};
use super::pointer::{self, PathSegment};
use super::{
    MAX_DEPTH, MAX_DISCLOSURES, MAX_PRESENTATION, SdJwtError, TYP_SD_JWT_VC, VC_NEVER_DISCLOSABLE,
};
use crate::jws;
use crate::keys::Signer;

/// Issues an SD-JWT: `<jwt>~<disclosure>~…~`.
///
/// - `payload`: the claims as they should read once everything is
///   disclosed (a JSON object). It may not use the names SD-JWT reserves
///   (`_sd`, `...`, `_sd_alg`) anywhere.
/// - `disclosable`: JSON pointers of the claims to make selectively
///   disclosable: object members (`/given_name`, `/address/locality`) and
///   array elements (`/nationalities/1`), at any depth. A pointer may lead
///   into a claim that is itself disclosable (`/address` and
///   `/address/locality`): the inner one becomes a disclosure nested in the
///   outer one's value, so the holder can show the address with or
///   without the locality. Each `_sd` array is sorted, so the digests'
///   order says nothing of the claims' order.
/// - `hash`: written to `_sd_alg`, always (explicit, even for the
///   default `sha-256`).
/// - `header_extra`: merged into the JWS header (`typ`, `kid`, `x5c`…). With
///   `"typ": "dc+sd-jwt"` (an SD-JWT VC) the claims that must stay visible
///   (`iss`, `nbf`, `exp`, `cnf`, `vct`, `status`…) may not be disclosable.
/// - `salts`: [`super::RandomSalts`] for real credentials.
///
/// Nothing is issued that [`super::verify`] would refuse as too large,
/// too deep or with too many disclosures.
pub fn issue(
    payload: Value,
    disclosable: &[&str],
    hash: HashAlg,
    header_extra: Value,
    signer: &dyn Signer,
    salts: &mut dyn SaltSource,
) -> Result<String, SdJwtError> {
    let Value::Object(_) = payload else {
        return Err(SdJwtError::Malformed);
    };
    let header = match header_extra {
        Value::Null => Map::new(),
        Value::Object(map) => map,
        _ => return Err(SdJwtError::Malformed),
    };
    // No verifier here understands a critical extension.
    if header.contains_key("crit") {
        return Err(SdJwtError::CritNotUnderstood);
    }
    check_claims(&payload, 1)?;
    if disclosable.len() > MAX_DISCLOSURES {
        return Err(SdJwtError::TooManyDisclosures);
    }
    let mut paths = Vec::with_capacity(disclosable.len());
    for p in disclosable {
        let path = pointer::resolve(&payload, p)?;
        if paths.contains(&path) {
            return Err(SdJwtError::BadPointer);
        }
        paths.push(path);
    }
    let is_vc = header
        .get("typ")
        .and_then(Value::as_str)
        .is_some_and(|typ| jws::typ_matches(typ, TYP_SD_JWT_VC));
    if is_vc {
        let hidden = |path: &Vec<PathSegment>| matches!(path.first(), Some(PathSegment::Key(k)) if VC_NEVER_DISCLOSABLE.contains(&k.as_str()));
        if paths.iter().any(hidden) {
            return Err(SdJwtError::ClaimNotDisclosable);
        }
    }
    // Innermost first: a claim's disclosure must hold the digests of the
    // claims disclosable inside it. Hiding a claim leaves the paths of the
    // others valid (an array element is replaced in place, a member moves
    // into `_sd`), and no ancestor is hidden before its descendants.
    paths.sort_by_key(|path| std::cmp::Reverse(path.len()));
    let mut payload = payload;
    let mut disclosures = Vec::with_capacity(paths.len());
    for path in &paths {
        let Some((last, parent)) = path.split_last() else {
            return Err(SdJwtError::BadPointer);
        };
        let container = navigate(&mut payload, parent)?;
        let salt = salts.salt()?;
        match (container, last) {
            (Value::Object(map), PathSegment::Key(name)) => {
                let value = map.remove(name).ok_or(SdJwtError::BadPointer)?;
                let encoded = disclosure::encode(&salt, Some(name), &value)?;
                insert_sorted(map, disclosure::disclosure_digest(hash, &encoded))?;
                disclosures.push(encoded);
            }
            (Value::Array(items), PathSegment::Index(i)) => {
                let slot = items.get_mut(*i).ok_or(SdJwtError::BadPointer)?;
                let encoded = disclosure::encode(&salt, None, slot)?;
                *slot = json!({"...": disclosure::disclosure_digest(hash, &encoded)});
                disclosures.push(encoded);
            }
            _ => return Err(SdJwtError::BadPointer),
        }
    }
    if let Value::Object(map) = &mut payload {
        map.insert("_sd_alg".into(), hash.name().into());
    }
    let payload = serde_json::to_vec(&payload).map_err(|_| SdJwtError::Malformed)?;
    let jwt = jws::sign(&Value::Object(header), &payload, signer)?;
    let mut out = jwt;
    out.push('~');
    for d in &disclosures {
        out.push_str(d);
        out.push('~');
    }
    if out.len() > MAX_PRESENTATION {
        return Err(SdJwtError::TooLarge);
    }
    Ok(out)
}

/// Refuses reserved names anywhere, and nesting deeper than
/// [`MAX_DEPTH`].
fn check_claims(value: &Value, depth: usize) -> Result<(), SdJwtError> {
    let children: Box<dyn Iterator<Item = &Value>> = match value {
        Value::Object(map) => {
            if map
                .keys()
                .any(|k| matches!(k.as_str(), "_sd" | "..." | "_sd_alg"))
            {
                return Err(SdJwtError::ReservedClaimName);
            }
            Box::new(map.values())
        }
        Value::Array(items) => Box::new(items.iter()),
        _ => return Ok(()),
    };
    if depth > MAX_DEPTH {
        return Err(SdJwtError::TooDeep);
    }
    for child in children {
        check_claims(child, depth + 1)?;
    }
    Ok(())
}

fn navigate<'v>(
    mut here: &'v mut Value,
    path: &[PathSegment],
) -> Result<&'v mut Value, SdJwtError> {
    for segment in path {
        here = match (here, segment) {
            (Value::Object(map), PathSegment::Key(k)) => map.get_mut(k),
            (Value::Array(items), PathSegment::Index(i)) => items.get_mut(*i),
            _ => None,
        }
        .ok_or(SdJwtError::BadPointer)?;
    }
    Ok(here)
}

/// Adds a digest to the object's `_sd`, keeping it sorted.
fn insert_sorted(map: &mut Map<String, Value>, digest: String) -> Result<(), SdJwtError> {
    let sd = map
        .entry("_sd")
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or(SdJwtError::Malformed)?;
    let at = sd
        .binary_search_by(|d| d.as_str().unwrap_or_default().cmp(&digest))
        .unwrap_or_else(|at| at);
    sd.insert(at, Value::String(digest));
    Ok(())
}
