//! Splitting an SD-JWT and replacing digests by disclosures (RFC 9901
//! section 7.1, step 3 to 5), shared by [`super::verify`],
//! [`super::present`] and [`inspect`].

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::disclosure::{self, Decoded, Disclosure, HashAlg};
use super::pointer::PathSegment;
use super::{MAX_DEPTH, MAX_DISCLOSURES, MAX_PRESENTATION, SdJwtError};
use crate::jws::Compact;

/// An SD-JWT or presentation split at its tildes.
pub(crate) struct Parts<'a> {
    pub jwt: &'a str,
    pub disclosures: Vec<&'a str>,
    /// The KB-JWT, when the last part is not empty.
    pub kb_jwt: Option<&'a str>,
    /// Everything up to and including the last `~`: what `sd_hash` covers.
    pub sd_jwt: &'a str,
}

pub(crate) fn split(input: &str) -> Result<Parts<'_>, SdJwtError> {
    if input.len() > MAX_PRESENTATION {
        return Err(SdJwtError::TooLarge);
    }
    // The SD-JWT must end with `~` even without disclosures (section 4):
    // a bare JWT is not an SD-JWT.
    let last = input.rfind('~').ok_or(SdJwtError::Malformed)?;
    let (sd_jwt, kb) = (&input[..=last], &input[last + 1..]);
    let mut parts = input[..last].split('~');
    let jwt = parts.next().unwrap_or_default();
    if jwt.is_empty() {
        return Err(SdJwtError::Malformed);
    }
    let mut disclosures = Vec::new();
    for part in parts {
        if part.is_empty() {
            return Err(SdJwtError::Malformed);
        }
        if disclosures.len() == MAX_DISCLOSURES {
            return Err(SdJwtError::TooManyDisclosures);
        }
        disclosures.push(part);
    }
    Ok(Parts {
        jwt,
        disclosures,
        kb_jwt: (!kb.is_empty()).then_some(kb),
        sd_jwt,
    })
}

/// The digest algorithm the payload names, `sha-256` when it names none.
pub(crate) fn hash_alg(payload: &Value) -> Result<HashAlg, SdJwtError> {
    match payload.get("_sd_alg") {
        None => Ok(HashAlg::Sha256),
        Some(Value::String(name)) => HashAlg::parse(name).ok_or(SdJwtError::HashAlgNotAllowed),
        Some(_) => Err(SdJwtError::Malformed),
    }
}

/// A disclosure found in the walk, with the disclosure it was nested in.
pub(crate) struct Found {
    /// Its position among the SD-JWT's disclosures.
    pub input: usize,
    /// The `Found` (index into the list) whose value held its digest;
    /// `None` when the issuer-signed payload itself did.
    pub parent: Option<usize>,
    pub disclosure: Disclosure,
}

pub(crate) struct Processed {
    /// The processed payload: digests replaced by what was disclosed,
    /// undisclosed array elements dropped, `_sd` and `_sd_alg` removed.
    pub claims: Value,
    /// Every disclosure, parents before the disclosures nested in them.
    pub found: Vec<Found>,
}

/// Processes `payload` (the issuer-signed claims) with `disclosures`.
pub(crate) fn process(
    payload: &Value,
    disclosures: &[&str],
    hash: HashAlg,
) -> Result<Processed, SdJwtError> {
    if disclosures.len() > MAX_DISCLOSURES {
        return Err(SdJwtError::TooManyDisclosures);
    }
    if !payload.is_object() {
        return Err(SdJwtError::Malformed);
    }
    let decoded = disclosures
        .iter()
        .map(|d| disclosure::decode(hash, d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut by_digest = HashMap::with_capacity(decoded.len());
    for (i, d) in decoded.iter().enumerate() {
        // The same disclosure twice has the same digest: the holder may
        // send each at most once (section 4).
        if by_digest.insert(d.digest.as_str(), i).is_some() {
            return Err(SdJwtError::DuplicateDisclosure);
        }
    }
    let mut walker = Walker {
        encoded: disclosures,
        decoded: &decoded,
        by_digest,
        seen: HashSet::new(),
        used: vec![false; decoded.len()],
        found: Vec::new(),
    };
    let claims = walker.walk(payload, &mut Vec::new(), 1, None)?;
    if walker.used.iter().any(|used| !used) {
        return Err(SdJwtError::UnreferencedDisclosure);
    }
    Ok(Processed {
        claims,
        found: walker.found,
    })
}

struct Walker<'a> {
    encoded: &'a [&'a str],
    decoded: &'a [Decoded],
    by_digest: HashMap<&'a str, usize>,
    /// Every digest met so far, decoys included: none may repeat (section
    /// 7.1 step 4), or one disclosure could fill two places.
    seen: HashSet<&'a str>,
    used: Vec<bool>,
    found: Vec<Found>,
}

impl<'a> Walker<'a> {
    fn walk(
        &mut self,
        value: &'a Value,
        path: &mut Vec<PathSegment>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        match value {
            Value::Object(map) => {
                if depth > MAX_DEPTH {
                    return Err(SdJwtError::TooDeep);
                }
                self.object(map, path, depth, parent)
            }
            Value::Array(items) => {
                if depth > MAX_DEPTH {
                    return Err(SdJwtError::TooDeep);
                }
                self.array(items, path, depth, parent)
            }
            scalar => Ok(scalar.clone()),
        }
    }

    fn object(
        &mut self,
        map: &'a Map<String, Value>,
        path: &mut Vec<PathSegment>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        let mut out = Map::new();
        for (name, value) in map {
            match name.as_str() {
                "_sd" => continue,
                // `_sd_alg` belongs at the top level only (section 4.1.1),
                // and is removed there (section 7.1 step 3.6).
                "_sd_alg" if depth == 1 && parent.is_none() => continue,
                // `...` only ever appears as an array element's digest.
                "_sd_alg" | "..." => return Err(SdJwtError::Malformed),
                _ => {}
            }
            path.push(PathSegment::Key(name.clone()));
            let processed = self.walk(value, path, depth + 1, parent)?;
            path.pop();
            out.insert(name.clone(), processed);
        }
        let Some(digests) = map.get("_sd") else {
            return Ok(Value::Object(out));
        };
        let digests = digests.as_array().ok_or(SdJwtError::Malformed)?;
        for digest in digests {
            let digest = digest.as_str().ok_or(SdJwtError::Malformed)?;
            let Some(i) = self.reference(digest)? else {
                continue;
            };
            let decoded = &self.decoded[i];
            // An array element's disclosure cannot name a member.
            let name = decoded
                .name
                .as_deref()
                .ok_or(SdJwtError::TamperedDisclosure)?;
            if matches!(name, "_sd" | "..." | "_sd_alg") {
                return Err(SdJwtError::ReservedClaimName);
            }
            if out.contains_key(name) {
                return Err(SdJwtError::ClaimClash);
            }
            path.push(PathSegment::Key(name.to_owned()));
            let value = self.disclosed(i, &decoded.value, path, depth + 1, parent)?;
            path.pop();
            out.insert(name.to_owned(), value);
        }
        Ok(Value::Object(out))
    }

    fn array(
        &mut self,
        items: &'a [Value],
        path: &mut Vec<PathSegment>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        let mut out = Vec::with_capacity(items.len());
        for (position, item) in items.iter().enumerate() {
            path.push(PathSegment::Index(position));
            match item.as_object().and_then(|o| o.get("...").map(|d| (o, d))) {
                Some((object, digest)) => {
                    // `{"...": digest}` and nothing else (section 4.2.4.2).
                    let (1, Some(digest)) = (object.len(), digest.as_str()) else {
                        return Err(SdJwtError::Malformed);
                    };
                    if let Some(i) = self.reference(digest)? {
                        let decoded = &self.decoded[i];
                        if decoded.name.is_some() {
                            return Err(SdJwtError::TamperedDisclosure);
                        }
                        out.push(self.disclosed(i, &decoded.value, path, depth + 1, parent)?);
                    }
                    // No disclosure: a decoy or an element not disclosed,
                    // removed (section 7.1 step 3.4).
                }
                None => out.push(self.walk(item, path, depth + 1, parent)?),
            }
            path.pop();
        }
        Ok(Value::Array(out))
    }

    /// Notes a digest as met, and returns the disclosure it references.
    fn reference(&mut self, digest: &'a str) -> Result<Option<usize>, SdJwtError> {
        if !self.seen.insert(digest) {
            return Err(SdJwtError::DuplicateDigest);
        }
        let found = self.by_digest.get(digest).copied();
        if let Some(i) = found {
            self.used[i] = true;
        }
        Ok(found)
    }

    /// Records disclosure `i` at `path`, then processes its value, which
    /// may hold further digests (recursive disclosures, section 4.2.6).
    fn disclosed(
        &mut self,
        i: usize,
        value: &'a Value,
        path: &mut Vec<PathSegment>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        let slot = self.found.len();
        let decoded = &self.decoded[i];
        self.found.push(Found {
            input: i,
            parent,
            disclosure: Disclosure {
                path: path.clone(),
                name: decoded.name.clone(),
                value: Value::Null,
                digest: decoded.digest.clone(),
                encoded: self.encoded[i].to_owned(),
            },
        });
        let processed = self.walk(value, path, depth, Some(slot))?;
        self.found[slot].disclosure.value = processed.clone();
        Ok(processed)
    }
}

/// An SD-JWT processed without any signature checked.
#[derive(Debug, Clone)]
pub struct Inspected {
    /// The issuer-signed JWT's header.
    pub header: Value,
    /// The issuer-signed payload as signed (digests, `_sd_alg`).
    pub issuer_payload: Value,
    /// The claims with every disclosure applied.
    pub claims: Value,
    pub hash: HashAlg,
    /// Every disclosure, parents before the disclosures nested in them.
    pub disclosures: Vec<Disclosure>,
    /// The key-binding JWT, if the input was a presentation with one.
    pub kb_jwt: Option<String>,
}

/// Processes an SD-JWT (or presentation) by the rules of RFC 9901 section
/// 7.1 but checks no signature, time or key binding: for an issuer listing
/// what it just issued, each disclosure with the digest it signed (what a
/// compact QR encoding carries), and for a holder displaying a credential
/// already verified with [`super::verify`]. Never trust its claims
/// otherwise.
pub fn inspect(sd_jwt: &str) -> Result<Inspected, SdJwtError> {
    let parts = split(sd_jwt)?;
    let jwt = Compact::parse(parts.jwt)?;
    let issuer_payload = jwt.claims()?;
    let hash = hash_alg(&issuer_payload)?;
    let processed = process(&issuer_payload, &parts.disclosures, hash)?;
    Ok(Inspected {
        header: jwt.header,
        issuer_payload,
        claims: processed.claims,
        hash,
        disclosures: processed.found.into_iter().map(|f| f.disclosure).collect(),
        kb_jwt: parts.kb_jwt.map(str::to_owned),
    })
}
