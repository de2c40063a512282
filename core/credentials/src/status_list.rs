//! IETF Token Status List (draft-ietf-oauth-status-list): the revocation
//! and suspension state of many credentials in one small, signed,
//! cacheable token, so a verifier can check a licence offline with a list
//! it fetched earlier and the issuer does not learn which licence was
//! checked.
//!
//! A list is an array of `bits`-wide entries (1, 2, 4 or 8 bits), packed
//! least significant bit first within each byte (entry 0 is bits 0..bits of
//! byte 0), zlib-compressed and base64url-encoded as `lst`:
//! `{"bits": 2, "lst": "eNo76fITAAPfAgc"}`. The list token is a JWS with
//! `typ: statuslist+jwt` and the claims `sub` (the list's URI, which the
//! referenced token names in `status.status_list.uri`), `iat`, optional
//! `exp` and `ttl`, and `status_list`.
//!
//! Everything that arrives is bounded before it is trusted: the base64
//! text, the compressed bytes and, above all, the inflated size (a few
//! kilobytes of zlib can claim gigabytes). A lookup past the end of a list
//! (an index the issuer never allocated, or a list shorter than the token
//! that references it expects) is a typed error, never a panic: the
//! honest answer then is "undetermined", which the caller decides.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

use crate::jws::{self, Compact, JwsError};
use crate::keys::{PublicKey, Signer};

/// The largest inflated list accepted: 16 MiB, room for 134 million 1-bit
/// or 16 million 8-bit entries. Larger claims are refused before (not
/// after) they are inflated.
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

/// The largest compressed list accepted. Deflate's stored blocks add five
/// bytes per 64 KiB, so an incompressible list of [`MAX_LIST_BYTES`] fits
/// under this; anything longer cannot be a list we would accept.
const MAX_COMPRESSED_BYTES: usize = MAX_LIST_BYTES + 64 * 1024;

/// The longest `lst` text accepted: base64 of [`MAX_COMPRESSED_BYTES`].
const MAX_LST_CHARS: usize = MAX_COMPRESSED_BYTES.div_ceil(3) * 4;

/// zlib level for `lst`: the draft recommends the highest compression, and
/// the draft's own examples are level 9 (`eNr…` is the `78 DA` header).
const ZLIB_LEVEL: u8 = 9;

/// The JWS `typ` of a list token, which keeps a list token from being
/// taken for any other JWT the same issuer signs.
pub const TOKEN_TYP: &str = "statuslist+jwt";

/// How far past `exp` a list token is still accepted, for phone clocks a
/// little ahead. The caller should pass a clock already corrected against
/// the server (for instance with its `Date` header); this only absorbs the
/// remainder.
pub const EXP_LEEWAY_SECS: i64 = 60;

/// Why a status list, a lookup in one, or a list token was refused. The
/// variants are stable; none carries list content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusListError {
    #[error("bits must be 1, 2, 4 or 8")]
    BadBits,
    #[error("the status_list claim is not an object with an integer bits and a string lst")]
    Malformed,
    #[error("lst is not base64url without padding")]
    BadBase64,
    #[error("lst is not a complete zlib stream")]
    BadZlib,
    #[error("the status list is larger than {MAX_LIST_BYTES} bytes")]
    TooLarge,
    #[error("index {idx} is outside the status list of {len} entries")]
    OutOfRange { idx: usize, len: usize },
    #[error("status value {value} does not fit in {bits} bits")]
    ValueTooWide { value: u8, bits: u8 },
    #[error("the status list token is not a well-formed JWS with the required claims")]
    BadToken,
    #[error("the status list token's typ is not statuslist+jwt")]
    WrongType,
    #[error("the status list token's signature does not verify under the key")]
    BadSignature,
    #[error("the status list token's sub is not the list the credential references")]
    WrongSubject,
    #[error("the status list token has expired")]
    Expired,
    #[error("the status list token could not be signed")]
    SignFailed,
}

impl StatusListError {
    /// A stable, lower-case reason for logs and the FFI layer.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::BadBits => "bad_bits",
            Self::Malformed => "malformed",
            Self::BadBase64 => "bad_base64",
            Self::BadZlib => "bad_zlib",
            Self::TooLarge => "too_large",
            Self::OutOfRange { .. } => "out_of_range",
            Self::ValueTooWide { .. } => "value_too_wide",
            Self::BadToken => "bad_token",
            Self::WrongType => "wrong_type",
            Self::BadSignature => "bad_signature",
            Self::WrongSubject => "wrong_subject",
            Self::Expired => "expired",
            Self::SignFailed => "sign_failed",
        }
    }
}

/// The meaning of an entry's value (the draft's Status Types registry).
///
/// Only [`Status::Valid`] means the credential may be relied on: the
/// draft leaves 3 and the values above it to applications and to future
/// registrations, so a verifier that meets one it does not know must not
/// treat it as valid. All of them land in `ApplicationSpecific`, which
/// keeps the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 0: valid.
    Valid,
    /// 1: revoked, cancelled, lapsed or withdrawn; irreversible.
    Invalid,
    /// 2: suspended (暂扣); reversible.
    Suspended,
    /// 3 (the draft's APPLICATION_SPECIFIC) and any other value.
    ApplicationSpecific(u8),
}

impl Status {
    pub fn from_value(value: u8) -> Self {
        match value {
            0 => Self::Valid,
            1 => Self::Invalid,
            2 => Self::Suspended,
            other => Self::ApplicationSpecific(other),
        }
    }

    pub fn value(self) -> u8 {
        match self {
            Self::Valid => 0,
            Self::Invalid => 1,
            Self::Suspended => 2,
            Self::ApplicationSpecific(value) => value,
        }
    }
}

/// A status list: `bits`-wide entries packed least significant bit first.
///
/// The fields are private so that `bits` is always one of 1, 2, 4 or 8
/// and the bytes never exceed [`MAX_LIST_BYTES`]; every accessor can then
/// index without a case that panics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bits: u8,
    bytes: Vec<u8>,
}

fn check_bits(bits: u8) -> Result<(), StatusListError> {
    match bits {
        1 | 2 | 4 | 8 => Ok(()),
        _ => Err(StatusListError::BadBits),
    }
}

impl StatusList {
    /// An all-valid list with room for at least `len` entries (the byte
    /// array is rounded up to whole bytes, so [`len`](Self::len) may be a
    /// little larger).
    pub fn new(bits: u8, len: usize) -> Result<Self, StatusListError> {
        check_bits(bits)?;
        let bytes = len
            .checked_mul(usize::from(bits))
            .map(|total_bits| total_bits.div_ceil(8))
            .filter(|&bytes| bytes <= MAX_LIST_BYTES)
            .ok_or(StatusListError::TooLarge)?;
        Ok(Self {
            bits,
            bytes: vec![0; bytes],
        })
    }

    /// A list over already packed bytes (as the draft lays them out).
    pub fn from_bytes(bits: u8, bytes: Vec<u8>) -> Result<Self, StatusListError> {
        check_bits(bits)?;
        if bytes.len() > MAX_LIST_BYTES {
            return Err(StatusListError::TooLarge);
        }
        Ok(Self { bits, bytes })
    }

    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// The packed bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The number of entries the bytes hold: the wire format carries no
    /// count, so a list always holds a whole number of bytes' worth.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8 / usize::from(self.bits)
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Where entry `idx` lives: its byte and the shift of its lowest bit.
    /// Entries never straddle bytes, since `bits` divides 8.
    fn locate(&self, idx: usize) -> Option<(usize, u32)> {
        let first_bit = idx.checked_mul(usize::from(self.bits))?;
        let byte = first_bit / 8;
        if byte >= self.bytes.len() {
            return None;
        }
        // `first_bit % 8` is below 8, so the conversion cannot fail.
        let shift = u32::try_from(first_bit % 8).ok()?;
        Some((byte, shift))
    }

    fn mask(&self) -> u8 {
        // bits is 1, 2, 4 or 8: 0x01, 0x03, 0x0f, 0xff.
        u8::MAX >> (8 - u32::from(self.bits))
    }

    /// The raw value of entry `idx`, or `None` past the end of the list.
    pub fn get(&self, idx: usize) -> Option<u8> {
        let (byte, shift) = self.locate(idx)?;
        Some((self.bytes[byte] >> shift) & self.mask())
    }

    /// The status of entry `idx`; past the end of the list (the list is
    /// shorter than the referencing token needs) a typed error, so the
    /// caller can answer "undetermined" rather than "valid".
    pub fn status(&self, idx: usize) -> Result<Status, StatusListError> {
        self.get(idx)
            .map(Status::from_value)
            .ok_or(StatusListError::OutOfRange {
                idx,
                len: self.len(),
            })
    }

    /// Sets entry `idx` to `value`, which must fit in `bits`.
    pub fn set(&mut self, idx: usize, value: u8) -> Result<(), StatusListError> {
        let mask = self.mask();
        if value & !mask != 0 {
            return Err(StatusListError::ValueTooWide {
                value,
                bits: self.bits,
            });
        }
        let len = self.len();
        let (byte, shift) = self
            .locate(idx)
            .ok_or(StatusListError::OutOfRange { idx, len })?;
        let entry = &mut self.bytes[byte];
        *entry = (*entry & !(mask << shift)) | (value << shift);
        Ok(())
    }

    /// The list from a `status_list` claim `{"bits", "lst"}`. Other
    /// members (such as the draft's `aggregation_uri`) are ignored. The
    /// inflated size is bounded by [`MAX_LIST_BYTES`] while inflating, so
    /// a zlib bomb costs at most that much memory before it is refused.
    pub fn from_claim(claim: &Value) -> Result<Self, StatusListError> {
        let object = claim.as_object().ok_or(StatusListError::Malformed)?;
        let bits = object
            .get("bits")
            .and_then(Value::as_u64)
            .ok_or(StatusListError::Malformed)?;
        let bits = u8::try_from(bits).map_err(|_| StatusListError::BadBits)?;
        check_bits(bits)?;
        let lst = object
            .get("lst")
            .and_then(Value::as_str)
            .ok_or(StatusListError::Malformed)?;
        if lst.len() > MAX_LST_CHARS {
            return Err(StatusListError::TooLarge);
        }
        let compressed = B64.decode(lst).map_err(|_| StatusListError::BadBase64)?;
        // Bytes after the end of the zlib stream are ignored, as zlib
        // itself does; they are inside the signed token, so they cannot
        // be slipped in by anyone but the issuer.
        let bytes =
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_LIST_BYTES)
                .map_err(|error| match error.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => StatusListError::TooLarge,
                    _ => StatusListError::BadZlib,
                })?;
        Ok(Self { bits, bytes })
    }

    /// The `status_list` claim: `{"bits": n, "lst": "<base64url of zlib>"}`.
    pub fn to_claim(&self) -> Value {
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&self.bytes, ZLIB_LEVEL);
        json!({"bits": self.bits, "lst": B64.encode(compressed)})
    }
}

/// A verified status list token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusListToken {
    /// The list's URI, equal to the referencing token's
    /// `status.status_list.uri`.
    pub sub: String,
    pub iat: i64,
    pub exp: Option<i64>,
    /// Seconds a consumer may cache the list before fetching it again.
    pub ttl: Option<i64>,
    pub list: StatusList,
}

impl StatusListToken {
    /// The status of entry `idx` (see [`StatusList::status`]).
    pub fn status(&self, idx: usize) -> Result<Status, StatusListError> {
        self.list.status(idx)
    }

    /// Until when a copy fetched at `fetched_at` may be used before a
    /// fresh one should be fetched: the earlier of `exp` and
    /// `fetched_at + ttl` (the rule nl-wallet's verifier follows); `None`
    /// when the token sets neither.
    pub fn cache_until(&self, fetched_at: i64) -> Option<i64> {
        let by_ttl = self.ttl.map(|ttl| fetched_at.saturating_add(ttl));
        match (self.exp, by_ttl) {
            (Some(exp), Some(ttl)) => Some(exp.min(ttl)),
            (one, other) => one.or(other),
        }
    }
}

/// Signs `list` as a status list token for the list at URI `sub`: a JWS
/// with `typ: statuslist+jwt`, `kid` the signer's JWK thumbprint, and the
/// claims `sub`, `iat`, `exp` and `ttl` (each when given) and
/// `status_list`. `ttl` must be positive, as the draft requires.
///
/// The token is bounded by [`jws::MAX_TOKEN`] (64 KiB), so the compressed
/// list must stay under about 48 KiB; a larger one is
/// [`StatusListError::TooLarge`].
pub fn issue_token(
    list: &StatusList,
    sub: &str,
    iat: i64,
    exp: Option<i64>,
    ttl: Option<i64>,
    signer: &dyn Signer,
) -> Result<String, StatusListError> {
    if ttl.is_some_and(|ttl| ttl <= 0) {
        return Err(StatusListError::BadToken);
    }
    let mut claims = json!({"sub": sub, "iat": iat, "status_list": list.to_claim()});
    if let Some(exp) = exp {
        claims["exp"] = json!(exp);
    }
    if let Some(ttl) = ttl {
        claims["ttl"] = json!(ttl);
    }
    let header = json!({"typ": TOKEN_TYP, "kid": signer.public_key().thumbprint()});
    let payload = serde_json::to_vec(&claims).map_err(|_| StatusListError::BadToken)?;
    jws::sign(&header, &payload, signer).map_err(|error| match error {
        JwsError::TooLarge => StatusListError::TooLarge,
        _ => StatusListError::SignFailed,
    })
}

/// Verifies a status list token: signed by `key` (the issuer's; the
/// caller resolves it, as for the credential itself), of type
/// `statuslist+jwt`, for the list `expected_sub` (the referencing token's
/// `status.status_list.uri`), not expired at `now` (unix seconds, give or
/// take [`EXP_LEEWAY_SECS`]), with a well-formed, bounded `status_list`.
///
/// The signature is checked before any claim is read, so every error
/// past [`StatusListError::BadSignature`] is about content the key
/// vouched for.
pub fn verify_token(
    token: &str,
    key: &PublicKey,
    expected_sub: &str,
    now: i64,
) -> Result<StatusListToken, StatusListError> {
    let jws = Compact::parse(token).map_err(|error| match error {
        JwsError::TooLarge => StatusListError::TooLarge,
        _ => StatusListError::BadToken,
    })?;
    jws.verify(key).map_err(|_| StatusListError::BadSignature)?;
    if !jws
        .typ()
        .is_some_and(|typ| jws::typ_matches(typ, TOKEN_TYP))
    {
        return Err(StatusListError::WrongType);
    }
    let claims = jws.claims().map_err(|_| StatusListError::BadToken)?;
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or(StatusListError::BadToken)?;
    if sub != expected_sub {
        return Err(StatusListError::WrongSubject);
    }
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or(StatusListError::BadToken)?;
    // Optional integer claims: absent is fine, present but not an integer
    // is not.
    let optional = |name: &str| -> Result<Option<i64>, StatusListError> {
        match claims.get(name) {
            None => Ok(None),
            Some(value) => value.as_i64().map(Some).ok_or(StatusListError::BadToken),
        }
    };
    let exp = optional("exp")?;
    let ttl = optional("ttl")?;
    if ttl.is_some_and(|ttl| ttl <= 0) {
        return Err(StatusListError::BadToken);
    }
    let list = StatusList::from_claim(claims.get("status_list").ok_or(StatusListError::BadToken)?)?;
    if exp.is_some_and(|exp| now >= exp.saturating_add(EXP_LEEWAY_SECS)) {
        return Err(StatusListError::Expired);
    }
    Ok(StatusListToken {
        sub: sub.to_owned(),
        iat,
        exp,
        ttl,
        list,
    })
}
