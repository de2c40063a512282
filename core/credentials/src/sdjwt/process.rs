//! Splitting an SD-JWT and replacing digests by disclosures (RFC 9901
//! section 7.1, step 3 to 5), shared by [`super::verify`],
//! [`super::present`] and [`inspect`].

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
    let mut disclosures =
        Vec::with_capacity(input[..last].matches('~').count().min(MAX_DISCLOSURES));
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
    let mut decoded = disclosures
        .iter()
        .map(|d| disclosure::decode(hash, d))
        .collect::<Result<Vec<_>, _>>()?;
    // Sorted vectors, not hash maps: at most MAX_DISCLOSURES entries, and
    // hashing each 43-character digest cost more than the binary search
    // (a tenth of an ES256 licence's verification time went to SipHash).
    let mut by_digest: Vec<(&str, usize)> = decoded
        .iter()
        .enumerate()
        .map(|(i, d)| (d.digest.as_str(), i))
        .collect();
    by_digest.sort_unstable();
    // The same disclosure twice has the same digest: the holder may send
    // each at most once (section 4).
    if by_digest.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(SdJwtError::DuplicateDisclosure);
    }
    let mut walker = Walker {
        encoded: disclosures,
        decoded: &decoded,
        by_digest,
        seen: Vec::with_capacity(decoded.len() * 2),
        used: vec![false; decoded.len()],
        found: Vec::with_capacity(decoded.len()),
    };
    let claims = walker.walk(payload, &mut Vec::new(), 1, None)?;
    // Every digest met, decoys included, at most once (section 7.1 step
    // 4), or one disclosure could fill two places.
    walker.seen.sort_unstable();
    if walker.seen.windows(2).any(|w| w[0] == w[1]) {
        return Err(SdJwtError::DuplicateDigest);
    }
    if walker.used.iter().any(|used| !used) {
        return Err(SdJwtError::UnreferencedDisclosure);
    }
    let mut found = walker.found;
    // Each disclosure was used exactly once: its digest, name and (for a
    // value with nothing nested to resolve) value move into the record
    // instead of being copied during the walk.
    for f in &mut found {
        let d = &mut decoded[f.input];
        f.disclosure.digest = std::mem::take(&mut d.digest);
        f.disclosure.name = d.name.take();
        if !matches!(d.value, Value::Object(_) | Value::Array(_)) {
            f.disclosure.value = std::mem::take(&mut d.value);
        }
    }
    Ok(Processed { claims, found })
}

/// A step of the walk's current path, borrowed from the payload or a
/// disclosure: owned [`PathSegment`]s are made only for the disclosures
/// recorded, not for every member walked.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn owned(path: &[Step<'_>]) -> Vec<PathSegment> {
    path.iter()
        .map(|step| match *step {
            Step::Key(k) => PathSegment::Key(k.to_owned()),
            Step::Index(i) => PathSegment::Index(i),
        })
        .collect()
}

struct Walker<'a> {
    encoded: &'a [&'a str],
    decoded: &'a [Decoded],
    /// Sorted by digest.
    by_digest: Vec<(&'a str, usize)>,
    /// Every digest met, decoys included, checked for repeats at the end.
    seen: Vec<&'a str>,
    used: Vec<bool>,
    found: Vec<Found>,
}

impl<'a> Walker<'a> {
    fn walk(
        &mut self,
        value: &'a Value,
        path: &mut Vec<Step<'a>>,
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
        path: &mut Vec<Step<'a>>,
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
            path.push(Step::Key(name));
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
            path.push(Step::Key(name));
            let value = self.disclosed(i, &decoded.value, path, depth + 1, parent)?;
            path.pop();
            out.insert(name.to_owned(), value);
        }
        Ok(Value::Object(out))
    }

    fn array(
        &mut self,
        items: &'a [Value],
        path: &mut Vec<Step<'a>>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        let mut out = Vec::with_capacity(items.len());
        for (position, item) in items.iter().enumerate() {
            path.push(Step::Index(position));
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
    /// A digest met twice is refused once the walk ends; the second one
    /// finds its disclosure already used here.
    fn reference(&mut self, digest: &'a str) -> Result<Option<usize>, SdJwtError> {
        self.seen.push(digest);
        let found = self
            .by_digest
            .binary_search_by(|(d, _)| (*d).cmp(digest))
            .ok()
            .map(|at| self.by_digest[at].1);
        if let Some(i) = found {
            if std::mem::replace(&mut self.used[i], true) {
                return Err(SdJwtError::DuplicateDigest);
            }
        }
        Ok(found)
    }

    /// Records disclosure `i` at `path`, then processes its value, which
    /// may hold further digests (recursive disclosures, section 4.2.6).
    fn disclosed(
        &mut self,
        i: usize,
        value: &'a Value,
        path: &mut Vec<Step<'a>>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        let slot = self.found.len();
        self.found.push(Found {
            input: i,
            parent,
            // Name, digest and a scalar value are moved in by `process`.
            disclosure: Disclosure {
                path: owned(path),
                name: None,
                value: Value::Null,
                digest: String::new(),
                encoded: self.encoded[i].to_owned(),
            },
        });
        let processed = self.walk(value, path, depth, Some(slot))?;
        if matches!(processed, Value::Object(_) | Value::Array(_)) {
            self.found[slot].disclosure.value = processed.clone();
        }
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
