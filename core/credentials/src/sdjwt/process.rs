//! Splitting an SD-JWT and replacing digests by disclosures (RFC 9901
//! section 7.1, step 3 to 5), shared by [`super::verify`],
//! [`super::present`] and [`inspect`].

use serde_json::map::Entry;
use serde_json::{Map, Value};

use super::disclosure::{self, B64Digest, Disclosure, HashAlg};
use super::pointer::PathSegment;
use super::{MAX_DEPTH, MAX_DISCLOSURES, MAX_PRESENTATION, SdJwtError, VC_NEVER_DISCLOSABLE};
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

/// What a walk keeps beside the processed claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// A [`Found`] record per disclosure: its path, name, value, digest and
    /// encoding, for a verifier judging what a holder disclosed, and for
    /// presenting.
    Records,
    /// The claims only. A holder checking its own licence needs the claims
    /// and the status reference, not who disclosed what; the records were
    /// five allocations and a copy of the value per disclosure, a sixth of
    /// an ES256 licence's verification beside the signature.
    ClaimsOnly,
}

pub(crate) struct Processed {
    /// The processed payload: digests replaced by what was disclosed,
    /// undisclosed array elements dropped, `_sd` and `_sd_alg` removed.
    pub claims: Value,
    /// Every disclosure, parents before the disclosures nested in them;
    /// empty with [`Keep::ClaimsOnly`].
    pub found: Vec<Found>,
    /// Whether a disclosure sits at or under a top-level claim an SD-JWT VC
    /// must keep visible ([`VC_NEVER_DISCLOSABLE`]); whether that is an
    /// error depends on the token's `typ`, which the caller judges.
    pub visible_only_disclosed: bool,
}

/// Processes `payload` (the issuer-signed claims) with `disclosures`. The
/// payload is taken by value: its members move into the processed claims
/// rather than being copied (copying them was a fifth of an ES256
/// licence's verification beside the signature).
pub(crate) fn process(
    payload: Value,
    disclosures: &[&str],
    hash: HashAlg,
    keep: Keep,
) -> Result<Processed, SdJwtError> {
    if disclosures.len() > MAX_DISCLOSURES {
        return Err(SdJwtError::TooManyDisclosures);
    }
    if !payload.is_object() {
        return Err(SdJwtError::Malformed);
    }
    let mut buffer = Vec::with_capacity(256);
    let mut digests = Vec::with_capacity(disclosures.len());
    let mut names = Vec::with_capacity(disclosures.len());
    let mut values = Vec::with_capacity(disclosures.len());
    for d in disclosures {
        let decoded = disclosure::decode(hash, d, &mut buffer)?;
        digests.push(decoded.digest);
        names.push(decoded.name);
        values.push(decoded.value);
    }
    // Sorted indices, not hash maps: at most MAX_DISCLOSURES entries, and
    // hashing each 43-character digest cost more than the binary search
    // (a tenth of an ES256 licence's verification time went to SipHash).
    let mut by_digest: Vec<usize> = (0..digests.len()).collect();
    by_digest.sort_unstable_by(|&a, &b| digests[a].cmp(&digests[b]));
    // The same disclosure twice has the same digest: the holder may send
    // each at most once (section 4).
    if by_digest.windows(2).any(|w| digests[w[0]] == digests[w[1]]) {
        return Err(SdJwtError::DuplicateDisclosure);
    }
    let mut walker = Walker {
        encoded: disclosures,
        digests: &digests,
        by_digest,
        names,
        values,
        seen: Vec::with_capacity(disclosures.len() * 2),
        used: vec![false; disclosures.len()],
        keep,
        found: Vec::with_capacity(match keep {
            Keep::Records => disclosures.len(),
            Keep::ClaimsOnly => 0,
        }),
        visible_only_disclosed: false,
    };
    let claims = walker.walk(payload, None, 1, None)?;
    // Every digest met, decoys included, at most once (section 7.1 step
    // 4), or one disclosure could fill two places.
    walker.seen.sort_unstable();
    if walker.seen.windows(2).any(|w| w[0] == w[1]) {
        return Err(SdJwtError::DuplicateDigest);
    }
    if walker.used.iter().any(|used| !used) {
        return Err(SdJwtError::UnreferencedDisclosure);
    }
    let Walker {
        mut names,
        mut found,
        visible_only_disclosed,
        ..
    } = walker;
    // Each disclosure was used exactly once: its name moves into its
    // record (a copy of it went into the claims).
    for f in &mut found {
        f.disclosure.name = names[f.input].take();
        f.disclosure.digest = disclosure::digest_text(&digests[f.input]);
    }
    Ok(Processed {
        claims,
        found,
        visible_only_disclosed,
    })
}

/// A step of the walk's current path, borrowed from the claims being
/// walked; owned [`PathSegment`]s are made only for the disclosures
/// recorded, not for every member walked.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The walk's current path, as a chain on the stack: each level borrows
/// its own member name for as long as it walks it.
struct Path<'a> {
    step: Step<'a>,
    up: Option<&'a Path<'a>>,
}

/// The top-level member a path starts at, if it starts at one.
fn root<'a>(path: &'a Path<'a>) -> Step<'a> {
    let mut at = path;
    while let Some(up) = at.up {
        at = up;
    }
    at.step
}

fn owned(path: Option<&Path<'_>>) -> Vec<PathSegment> {
    let mut out = Vec::new();
    let mut at = path;
    while let Some(node) = at {
        out.push(match node.step {
            Step::Key(k) => PathSegment::Key(k.to_owned()),
            Step::Index(i) => PathSegment::Index(i),
        });
        at = node.up;
    }
    out.reverse();
    out
}

struct Walker<'a> {
    encoded: &'a [&'a str],
    /// Each disclosure's digest, by its position among the disclosures.
    digests: &'a [B64Digest],
    /// Disclosure positions, sorted by digest.
    by_digest: Vec<usize>,
    /// Each disclosure's member name, and its value until it is placed.
    names: Vec<Option<String>>,
    values: Vec<Value>,
    /// Every digest met, decoys included, checked for repeats at the end.
    seen: Vec<String>,
    used: Vec<bool>,
    keep: Keep,
    found: Vec<Found>,
    visible_only_disclosed: bool,
}

impl Walker<'_> {
    fn walk(
        &mut self,
        value: Value,
        path: Option<&Path<'_>>,
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
            scalar => Ok(scalar),
        }
    }

    fn object(
        &mut self,
        mut map: Map<String, Value>,
        path: Option<&Path<'_>>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        let digests = map.remove("_sd");
        // `_sd_alg` belongs at the top level only (section 4.1.1), and is
        // removed there (section 7.1 step 3.6).
        let top = depth == 1 && parent.is_none();
        if top {
            map.remove("_sd_alg");
        }
        // `...` only ever appears as an array element's digest.
        if (!top && map.contains_key("_sd_alg")) || map.contains_key("...") {
            return Err(SdJwtError::Malformed);
        }
        for (name, value) in map.iter_mut() {
            // A scalar holds no digests (most of a licence's members).
            if !(value.is_object() || value.is_array()) {
                continue;
            }
            let here = Path {
                step: Step::Key(name),
                up: path,
            };
            let taken = std::mem::take(value);
            *value = self.walk(taken, Some(&here), depth + 1, parent)?;
        }
        let Some(digests) = digests else {
            return Ok(Value::Object(map));
        };
        let Value::Array(digests) = digests else {
            return Err(SdJwtError::Malformed);
        };
        for digest in digests {
            let Value::String(digest) = digest else {
                return Err(SdJwtError::Malformed);
            };
            let Some(i) = self.reference(digest)? else {
                continue;
            };
            // An array element's disclosure cannot name a member. Its
            // record, if one is kept, needs the name too.
            let name = match self.keep {
                Keep::Records => self.names[i].clone(),
                Keep::ClaimsOnly => self.names[i].take(),
            }
            .ok_or(SdJwtError::TamperedDisclosure)?;
            if matches!(name.as_str(), "_sd" | "..." | "_sd_alg") {
                return Err(SdJwtError::ReservedClaimName);
            }
            // One search of the map for the clash check and the insert.
            let Entry::Vacant(slot) = map.entry(name) else {
                return Err(SdJwtError::ClaimClash);
            };
            let value = std::mem::take(&mut self.values[i]);
            let placed = {
                let here = Path {
                    step: Step::Key(slot.key()),
                    up: path,
                };
                self.disclosed(i, value, Some(&here), depth + 1, parent)?
            };
            slot.insert(placed);
        }
        Ok(Value::Object(map))
    }

    fn array(
        &mut self,
        items: Vec<Value>,
        path: Option<&Path<'_>>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        let mut out = Vec::with_capacity(items.len());
        for (position, item) in items.into_iter().enumerate() {
            let here = Path {
                step: Step::Index(position),
                up: path,
            };
            match item {
                Value::Object(object) if object.contains_key("...") => {
                    // `{"...": digest}` and nothing else (section 4.2.4.2).
                    let (1, Some((_, Value::String(digest)))) =
                        (object.len(), object.into_iter().next())
                    else {
                        return Err(SdJwtError::Malformed);
                    };
                    if let Some(i) = self.reference(digest)? {
                        if self.names[i].is_some() {
                            return Err(SdJwtError::TamperedDisclosure);
                        }
                        let value = std::mem::take(&mut self.values[i]);
                        out.push(self.disclosed(i, value, Some(&here), depth + 1, parent)?);
                    }
                    // No disclosure: a decoy or an element not disclosed,
                    // removed (section 7.1 step 3.4).
                }
                other => out.push(self.walk(other, Some(&here), depth + 1, parent)?),
            }
        }
        Ok(Value::Array(out))
    }

    /// Notes a digest as met, and returns the disclosure it references.
    /// A digest met twice is refused once the walk ends; the second one
    /// finds its disclosure already used here.
    fn reference(&mut self, digest: String) -> Result<Option<usize>, SdJwtError> {
        let digests = self.digests;
        let found = self
            .by_digest
            .binary_search_by(|&i| digests[i].as_slice().cmp(digest.as_bytes()))
            .ok()
            .map(|at| self.by_digest[at]);
        self.seen.push(digest);
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
        value: Value,
        path: Option<&Path<'_>>,
        depth: usize,
        parent: Option<usize>,
    ) -> Result<Value, SdJwtError> {
        if let Some(Step::Key(top)) = path.map(root) {
            self.visible_only_disclosed |= VC_NEVER_DISCLOSABLE.contains(&top);
        }
        if self.keep == Keep::ClaimsOnly {
            return self.walk(value, path, depth, None);
        }
        let slot = self.found.len();
        self.found.push(Found {
            input: i,
            parent,
            // The name and digest are moved in by `process`.
            disclosure: Disclosure {
                path: owned(path),
                name: None,
                value: Value::Null,
                digest: String::new(),
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
    let processed = process(
        issuer_payload.clone(),
        &parts.disclosures,
        hash,
        Keep::Records,
    )?;
    Ok(Inspected {
        header: jwt.header,
        issuer_payload,
        claims: processed.claims,
        hash,
        disclosures: processed.found.into_iter().map(|f| f.disclosure).collect(),
        kb_jwt: parts.kb_jwt.map(str::to_owned),
    })
}
