//! Disclosures, their digests and salts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::Value;

use super::SdJwtError;
use super::pointer::{PathSegment, pointer};

/// The digest algorithm of an SD-JWT, named by its `_sd_alg` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// `sha-256`: the default when `_sd_alg` is absent, and the one every
    /// implementation supports.
    Sha256,
    /// `sm3` (GB/T 32905): a palmgov profile value for issuers held to
    /// the Chinese algorithms. Other SD-JWT implementations refuse it.
    Sm3,
}

impl HashAlg {
    /// The `_sd_alg` value; case-sensitive, as RFC 9901 section 4.1.1
    /// says.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sha-256" => Some(Self::Sha256),
            "sm3" => Some(Self::Sm3),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha-256",
            Self::Sm3 => "sm3",
        }
    }

    pub fn digest(self, data: &[u8]) -> [u8; 32] {
        match self {
            Self::Sha256 => {
                let d = ring::digest::digest(&ring::digest::SHA256, data);
                let mut out = [0; 32];
                out.copy_from_slice(d.as_ref());
                out
            }
            Self::Sm3 => crate::sm::sm3(data),
        }
    }

    /// base64url of the digest of `data`: the form `_sd`, `...` and
    /// `sd_hash` carry.
    pub fn b64_digest(self, data: &[u8]) -> String {
        B64.encode(self.digest(data))
    }

    /// [`HashAlg::b64_digest`] inline, for the verifier's comparisons: no
    /// allocation per disclosure.
    pub(crate) fn b64_digest_inline(self, data: &[u8]) -> B64Digest {
        let mut out = [0; 43];
        // 32 bytes are always 43 characters of unpadded base64.
        let written = B64
            .encode_slice(self.digest(data), &mut out)
            .unwrap_or_default();
        debug_assert_eq!(written, out.len());
        out
    }
}

/// The base64url text of a 32-byte digest (both algorithms give 32), held
/// inline: the ASCII bytes of what `_sd` and `...` carry.
pub(crate) type B64Digest = [u8; 43];

/// A [`B64Digest`] as the text it is.
pub(crate) fn digest_text(digest: &B64Digest) -> String {
    // Base64url is ASCII.
    digest.iter().map(|&b| char::from(b)).collect()
}

/// The digest of a disclosure as the issuer signs it: over the ASCII of the
/// base64url string itself, not the JSON it encodes (RFC 9901 section
/// 4.2.3), so each issuer's JSON spelling is fixed by the signature and no
/// canonical form is needed.
pub fn disclosure_digest(hash: HashAlg, disclosure_b64: &str) -> String {
    hash.b64_digest(disclosure_b64.as_bytes())
}

/// A source of disclosure salts.
pub trait SaltSource {
    fn salt(&mut self) -> Result<String, SdJwtError>;
}

/// 128 random bits per salt from the system's CSPRNG (ring), base64url:
/// what RFC 9901 section 9.3 recommends. Salts are what keeps a verifier
/// from guessing undisclosed values from their digests.
pub struct RandomSalts {
    rng: SystemRandom,
}

impl RandomSalts {
    pub fn new() -> Self {
        Self {
            rng: SystemRandom::new(),
        }
    }
}

impl Default for RandomSalts {
    fn default() -> Self {
        Self::new()
    }
}

impl SaltSource for RandomSalts {
    fn salt(&mut self) -> Result<String, SdJwtError> {
        let mut bytes = [0u8; 16];
        self.rng
            .fill(&mut bytes)
            .map_err(|_| SdJwtError::SignFailed)?;
        Ok(B64.encode(bytes))
    }
}

/// Salts derived from a seed and a counter, for the reference backend's
/// deterministic-salt test mode and for reproducible test vectors: salt
/// `n` is the first 128 bits of `SHA-256("palmgov sd-jwt test salt" ‖ seed
/// ‖ n as 8 bytes big-endian)`, base64url.
///
/// Anyone who knows the seed can recompute every salt and so test guesses
/// of undisclosed values against their digests: never for real holders.
pub struct DeterministicSalts {
    seed: Vec<u8>,
    counter: u64,
}

impl DeterministicSalts {
    pub fn new(seed: &[u8]) -> Self {
        Self {
            seed: seed.to_vec(),
            counter: 0,
        }
    }
}

impl SaltSource for DeterministicSalts {
    fn salt(&mut self) -> Result<String, SdJwtError> {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(b"palmgov sd-jwt test salt");
        ctx.update(&self.seed);
        ctx.update(&self.counter.to_be_bytes());
        self.counter = self.counter.wrapping_add(1);
        Ok(B64.encode(&ctx.finish().as_ref()[..16]))
    }
}

/// One disclosure as found in an SD-JWT: where its claim sits, what it
/// says, and how it was encoded and digested.
#[derive(Debug, Clone, PartialEq)]
pub struct Disclosure {
    /// The claim's place in the claims as issued: object member names, and
    /// for array elements their position in the issuer-signed array (the
    /// position at issuance, counting elements not disclosed), so the path
    /// of a disclosure is the JSON pointer it was issued under.
    pub path: Vec<PathSegment>,
    /// The member name; `None` for an array element.
    pub name: Option<String>,
    /// The value, with the disclosures nested in it resolved as far as
    /// they were presented (and `_sd` removed).
    pub value: Value,
    /// base64url of the digest the issuer signed.
    pub digest: String,
    /// The disclosure as it travels (base64url).
    pub encoded: String,
}

impl Disclosure {
    /// [`Disclosure::path`] as a JSON pointer (RFC 6901).
    pub fn pointer(&self) -> String {
        pointer(&self.path)
    }
}

/// A disclosure decoded, before its place is known.
pub(crate) struct Decoded {
    pub digest: B64Digest,
    pub name: Option<String>,
    pub value: Value,
}

/// Decodes one disclosure: base64url of a JSON array of a salt (a string)
/// and a value, with a member name (a string) between them for an object
/// member.
pub(crate) fn decode(
    hash: HashAlg,
    encoded: &str,
    bytes: &mut Vec<u8>,
) -> Result<Decoded, SdJwtError> {
    // One buffer for every disclosure of a credential (the caller's).
    bytes.clear();
    B64.decode_vec(encoded, bytes)
        .map_err(|_| SdJwtError::TamperedDisclosure)?;
    // Read straight into its parts, not into a `Value::Array` first: the
    // salt is checked to be a string but never kept, which spares every
    // disclosure of a verification two allocations.
    let Array(name, value) = crate::jws::from_json(bytes).ok_or(SdJwtError::TamperedDisclosure)?;
    Ok(Decoded {
        digest: hash.b64_digest_inline(encoded.as_bytes()),
        name,
        value,
    })
}

/// `[salt, value]` or `[salt, name, value]`, the salt and name strings.
struct Array(Option<String>, Value);

impl<'de> serde::Deserialize<'de> for Array {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Array;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a disclosure array")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Array, A::Error> {
                use serde::de::Error;
                // The salt must be a string; its value is not needed. (serde
                // reads a `Cow<str>` as an owned string: one small copy.)
                let _salt: std::borrow::Cow<'de, str> = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let second: Value = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                let Some(third) = seq.next_element::<Value>()? else {
                    return Ok(Array(None, second));
                };
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::invalid_length(4, &self));
                }
                match second {
                    Value::String(name) => Ok(Array(Some(name), third)),
                    _ => Err(A::Error::custom("a member name that is not a string")),
                }
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

/// Encodes a disclosure: compact JSON, UTF-8, base64url.
pub(crate) fn encode(salt: &str, name: Option<&str>, value: &Value) -> Result<String, SdJwtError> {
    let array = match name {
        Some(name) => serde_json::json!([salt, name, value]),
        None => serde_json::json!([salt, value]),
    };
    let json = serde_json::to_vec(&array).map_err(|_| SdJwtError::Malformed)?;
    Ok(B64.encode(json))
}
