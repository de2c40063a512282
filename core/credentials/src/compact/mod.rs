//! The compact form of a licence, for the offline QR code a holder shows a
//! clerk (亮证). Modelled on the mobile security object (MSO) of ISO/IEC
//! 18013-5: the issuer signs a salted digest of each claim; the phone shows
//! a few claims with their salts, under a signature by its device key.
//!
//! The backend issues it beside the SD-JWT VC, from the same claims
//! ([`issue`]); the holder keeps the issuer-signed part and the items with
//! their salts ([`IssuedCompact`]) and makes a presentation for each
//! showing ([`present`]); the clerk's device checks it offline
//! ([`verify`]).
//!
//! # The QR code
//!
//! `PG1:` followed by Base45 (RFC 9285) of the presentation's CBOR: every
//! character is in the QR alphanumeric set, so the encoder uses
//! alphanumeric mode (5.5 bits a character; Base45 costs 1.5 characters a
//! byte, 8.25 bits, where base64 in byte mode costs 10.7). The EU digital
//! COVID certificate did the same (`HC1:`). A string is at most 4,296
//! characters ([`MAX_QR_CHARS`], a version-40 code at level L); scanners
//! struggle past version 20 (970 characters at level M, 1,249 at L), which
//! is what the items shown must fit.
//!
//! CBOR (RFC 8949) and COSE (RFC 9052) rather than a JWT: binary digests,
//! keys and signatures, small integer map keys, and no base64url inside
//! the Base45. A selectively disclosable SD-JWT of an ID card with key
//! binding is about 1,800 bytes (version 36); this form is a third of that.
//! No zlib: it does not shrink digests and signatures.
//!
//! # Formats
//!
//! Everything is written in CBOR's deterministic encoding (RFC 8949
//! section 4.2.1: definite lengths, shortest integer forms, map keys in
//! ascending order), and read back only in that encoding: a verifier
//! re-encodes what it read and refuses it unless the bytes are the same
//! ([`CompactError::NotCanonical`]), so one meaning has one encoding.
//!
//! **Item** (one claim): `[id: uint, salt: bstr .size 16, name: tstr,
//! value]`, the value one of a text string, a bool, an unsigned integer,
//! or a date: tag 100 (RFC 8943) over the days since 1970-01-01, negative
//! before it (birth dates of people over 56 are). Its digest is the first
//! 16 bytes of `H(CBOR(item))`, `H` the MSO's digest algorithm.
//!
//! **MSO** (what the issuer signs), a map:
//!
//! | key | field | CBOR |
//! |---|---|---|
//! | 0 | format version | uint, 1 |
//! | 1 | licence type short name (`id_card`) | tstr |
//! | 2 | issuer id, the trust list's `iss` (`urn:palmgov:issuer:330000:public-security`) | tstr |
//! | 3 | digest algorithm | uint: 0 SHA-256, 1 SM3 |
//! | 4 | digests | map: item id (uint) → bstr .size 16 |
//! | 5 | device key: the holder's P-256 key, uncompressed (`04‖x‖y`) | bstr .size 65 |
//! | 6 | validity | `[iat, exp, valid_from, valid_until]`: the credential's issue and expiry times (uint seconds) and the licence's own validity (uint days since 1970-01-01; [`NO_END`], 9999-12-31, for none) |
//! | 7 | status, optional | `[idx: uint, list: uint / tstr]`: its Token Status List entry ([`StatusRef`]): the index, and the list as a small integer id that the verifier resolves through its trust list (the trust list's `status_lists[].id`: 1 for the reference backend's list), or as the list's URI (still accepted, at the URI's length: some 50 bytes) |
//!
//! Keys 0 to 2 keep their meaning in every version, so a verifier finds
//! the issuer and the version before anything else; an unknown key is
//! refused (a later format is a new version).
//!
//! **Issuer signature**: an untagged COSE_Sign1, `[protected: bstr .cbor
//! {1: alg}, unprotected: {}, payload: bstr .cbor MSO, signature: bstr]`,
//! over the Sig_structure `["Signature1", protected, h'', payload]`. The
//! protected header holds the algorithm and nothing else (no `crit`, no
//! `kid`): the verifier picks the key by the MSO's issuer id and the
//! algorithm, and reads nothing from the unprotected header, which must be
//! empty. COSE algorithms ([`crate::keys`]):
//!
//! | COSE `alg` | |
//! |---|---|
//! | -7 | ES256: ECDSA P-256 with SHA-256, raw `r‖s` |
//! | -8 | EdDSA (Ed25519) |
//! | -65600 | SM2 with SM3 and the default ID, raw `r‖s` |
//!
//! No COSE value is registered for SM2; -65600 is palmgov's, in the range
//! below -65536 that RFC 9053 leaves for private use.
//!
//! **Presentation** (the QR code's CBOR): `[issuer_signed: bstr (the
//! COSE_Sign1), items: [* Item] (the disclosed ones), time: uint (Unix
//! seconds, when made), pid: bstr .size 12 (random: the presentation id),
//! request: null / [nonce: bstr, verifier_id: tstr], device_signature: bstr
//! .size 64]`. The device signature is ES256, by the MSO's device key, over
//! `CBOR(["PG1-device", bstr SHA-256(issuer_signed), items, time, pid,
//! request])`: everything but itself, the issuer's part by its digest. The
//! holder key lives in the phone's keystore ([`crate::keys::Signer`]).
//!
//! **Request** (two-way, [`make_request`]/[`verify_request`]): a verifier
//! shows `PGR1:` + Base45 of `[verifier, nonce, asks, time, alg,
//! signature]`, signed by its key on the trust list; the phone answers with
//! a presentation whose `request` is that nonce and verifier id.
//!
//! # Why 16-byte digests
//!
//! What a digest must resist is a second preimage: an item of the holder's
//! making whose digest is one the issuer signed. The issuer computes every
//! digest itself, over its own claims and its own random salts, so no
//! holder gets a digest of their choosing signed, and collisions (2^64 for
//! 128 bits) do not help them; a second preimage of a 128-bit truncation
//! costs about 2^128 (2^124 against all 16 digests of an MSO). The 16-byte
//! salts keep undisclosed values (a sex, `age_over_60`) from being guessed
//! from their digests. Full digests would add 16 bytes (24 characters) per
//! item: 144 bytes for an ID card's nine, which is what keeps its QR code
//! under version 20. ISO 18013-5 uses full digests.
//!
//! # Limits
//!
//! Every read is bounded and never panics: a QR string of at most
//! [`MAX_QR_CHARS`] characters, at most [`MAX_ITEMS`] items (and digests),
//! text and byte strings of at most [`MAX_STRING`] bytes (but the two
//! nested structures), only the kinds of values above, a fixed nesting (no
//! recursion), definite lengths only.
//!
//! # What the caller must do
//!
//! - **Replay**: a presentation can be shown again within its validity
//!   window (`validity_secs` plus the skew, both ways). [`verify`] returns
//!   its `pid`; the verifier keeps the pids it accepted for that long and
//!   refuses one seen before.
//! - **Revocation**: [`verify`] checks no status. Look the MSO's status
//!   reference ([`VerifiedPresentation::status`]) up in the Token Status
//!   List the verifier holds, and say how old that list is. A list id
//!   ([`StatusListId::Id`]) is resolved through the verifier's trust list
//!   (its `status_lists[].id`); an id the trust list does not know means
//!   the status cannot be checked, as for an unknown URI.
//! - **The licence's validity**: `valid_from` and `valid_until` are
//!   returned, not judged: compare them with today's date in China, as the
//!   wallet does for an SD-JWT licence ([`Validity::in_force`]).
//! - **Trust**: `issuer_key` answers from the verifier's trust list only:
//!   the key of that issuer for that algorithm, and whether the issuer may
//!   issue the licence type returned.

pub(crate) mod base45;
pub(crate) mod cbor;
mod issue;
mod present;
mod request;
mod verify;

#[cfg(test)]
mod tests;

pub use base45::is_qr_alphanumeric;
pub use issue::{DeterministicSalts, IssuedCompact, MsoFields, RandomSalts, SaltSource, issue};
pub use present::{new_pid, present, present_cbor};
pub use request::{REQUEST_PREFIX, VerifiedRequest, make_request, new_nonce, verify_request};
pub use verify::{
    IssuedMso, VerifiedPresentation, VerifyOptions, verify, verify_cbor, verify_issued,
};

pub use crate::sdjwt::HashAlg;
use crate::sdjwt::StatusListRef;

/// What starts every QR string.
pub const PREFIX: &str = "PG1:";
/// The longest QR string read or made: a version-40 code's alphanumeric
/// capacity at level L.
pub const MAX_QR_CHARS: usize = 4_296;
/// The most CBOR bytes a QR string of [`MAX_QR_CHARS`] holds.
pub const MAX_CBOR_BYTES: usize = (MAX_QR_CHARS - PREFIX.len()) / 3 * 2 + 1;
/// The most items an MSO signs, and so a presentation shows.
pub const MAX_ITEMS: usize = 16;
/// The longest text or byte string (names, values, ids, uris, nonces).
pub const MAX_STRING: usize = 256;
/// The bytes of an item digest.
pub const DIGEST_LEN: usize = 16;
/// The bytes of a salt.
pub const SALT_LEN: usize = 16;
/// The bytes of a presentation id.
pub const PID_LEN: usize = 12;
/// `valid_until` of a licence without end: 9999-12-31.
pub const NO_END: u32 = 2_932_896;
/// The one format version.
pub const VERSION: u64 = 1;
/// The context string of the device signature.
pub const DEVICE_CONTEXT: &str = "PG1-device";
/// The context string of a verifier's request signature.
pub const REQUEST_CONTEXT: &str = "PGR1-request";
/// The length of a request's nonce.
pub const NONCE_LEN: usize = 16;
/// CBOR tag of a date as days since 1970-01-01 (RFC 8943).
pub const DATE_TAG: u64 = 100;

/// Where a credential's status is: its entry in a Token Status List (MSO
/// key 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRef {
    /// The entry's index in the list.
    pub idx: u64,
    pub list: StatusListId,
}

/// Which status list: a short id or a URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusListId {
    /// The list's id in the verifier's trust list (`status_lists[].id`),
    /// which gives its URI and the keys that sign it. One byte in the QR
    /// code for ids below 24, where a URI takes fifty.
    Id(u32),
    /// The list's URI (`status.status_list.uri` of the SD-JWT), at most
    /// [`MAX_STRING`] bytes.
    Uri(String),
}

impl From<&StatusListRef> for StatusRef {
    /// An SD-JWT's status reference, the list named by its URI.
    fn from(status: &StatusListRef) -> Self {
        Self {
            idx: status.idx,
            list: StatusListId::Uri(status.uri.clone()),
        }
    }
}

/// The value of a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemValue {
    Text(String),
    Bool(bool),
    Uint(u64),
    /// Days since 1970-01-01, negative before ([`date_to_days`]).
    Date(i32),
}

/// One claim as the issuer signed it: its id in the MSO, its salt, name
/// and value. What the holder keeps, and shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: u8,
    pub salt: [u8; SALT_LEN],
    pub name: String,
    pub value: ItemValue,
}

/// The times in an MSO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// When the credential was issued, Unix seconds.
    pub iat: u64,
    /// When the credential expires, Unix seconds (it is re-issued before).
    pub exp: u64,
    /// The licence's own validity, days since 1970-01-01, both days
    /// included; `valid_until` is [`NO_END`] for a licence without end.
    pub valid_from: u32,
    pub valid_until: u32,
}

impl Validity {
    /// Whether the licence is in force on `day` (days since 1970-01-01,
    /// the verifier's date in China).
    pub fn in_force(&self, day: i64) -> bool {
        i64::from(self.valid_from) <= day && day <= i64::from(self.valid_until)
    }
}

/// Why a compact licence or presentation was refused or could not be
/// made. [`CompactError::reason`] gives stable strings for logs, the app
/// and tests. No variant carries anything from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CompactError {
    #[error("the QR string is longer than 4,296 characters")]
    TooLarge,
    #[error("more than 16 items, or a string longer than 256 bytes")]
    LimitExceeded,
    #[error("the QR string does not start with PG1:")]
    BadPrefix,
    #[error("the QR string is not Base45")]
    BadBase45,
    /// Not of the form this module reads: truncated CBOR, another kind of
    /// value, an indefinite length, a missing or unknown field, map keys
    /// out of order or repeated.
    #[error("not a well-formed compact presentation")]
    Malformed,
    #[error("bytes follow the presentation")]
    TrailingBytes,
    #[error("not in deterministic CBOR encoding")]
    NotCanonical,
    #[error("the COSE algorithm is not ES256, EdDSA or SM2")]
    AlgNotAllowed,
    #[error("no key is known for this issuer and algorithm")]
    UnknownIssuerKey,
    #[error("the issuer key is of another algorithm than the header's")]
    WrongAlg,
    #[error("the issuer's signature does not verify")]
    BadIssuerSignature,
    #[error("the MSO's format version is not 1")]
    UnsupportedVersion,
    #[error("the digest algorithm is not sha-256 or sm3")]
    HashAlgNotAllowed,
    #[error("an item's id has no digest in the MSO")]
    UnknownItem,
    #[error("an item id or name appears more than once")]
    DuplicateItem,
    #[error("an item does not match its digest in the MSO")]
    TamperedItem,
    #[error("the device signature does not verify under the MSO's device key")]
    BadDeviceSignature,
    #[error("the verifier asked for a request-bound presentation and this one has no request")]
    RequestMissing,
    /// A presentation made for a verifier's request (a two-way exchange),
    /// shown to a verifier that made none: someone relaying it.
    #[error("the presentation answers a request this verifier did not make")]
    UnexpectedRequest,
    #[error("the presentation answers another nonce")]
    WrongNonce,
    #[error("the presentation was made for another verifier")]
    WrongVerifier,
    #[error("the presentation is older than its validity")]
    TooOld,
    #[error("the presentation was made in the future")]
    FromFuture,
    #[error("the credential has expired")]
    Expired,
    #[error("the credential was issued in the future")]
    NotYetValid,
    /// Issuing: the holder key is not P-256; presenting: the signer is
    /// not ES256.
    #[error("the device key is not a P-256 key")]
    BadDeviceKey,
    #[error("the signer is not the device key the MSO names")]
    WrongDeviceKey,
    #[error("the signer or the random source failed")]
    SignFailed,
    #[error("the request QR string does not start with PGR1:")]
    BadRequestPrefix,
    #[error("the verifier is not on the trust list")]
    UnknownVerifier,
    #[error("the verifier's signature does not verify")]
    BadVerifierSignature,
    #[error("the request is too old, or from the future")]
    StaleRequest,
}

impl CompactError {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::TooLarge => "too_large",
            Self::LimitExceeded => "limit_exceeded",
            Self::BadPrefix => "bad_prefix",
            Self::BadBase45 => "bad_base45",
            Self::Malformed => "malformed",
            Self::TrailingBytes => "trailing_bytes",
            Self::NotCanonical => "not_canonical",
            Self::AlgNotAllowed => "alg_not_allowed",
            Self::UnknownIssuerKey => "unknown_issuer_key",
            Self::WrongAlg => "wrong_alg",
            Self::BadIssuerSignature => "bad_issuer_signature",
            Self::UnsupportedVersion => "unsupported_version",
            Self::HashAlgNotAllowed => "hash_alg_not_allowed",
            Self::UnknownItem => "unknown_item",
            Self::DuplicateItem => "duplicate_item",
            Self::TamperedItem => "tampered_item",
            Self::BadDeviceSignature => "bad_device_signature",
            Self::RequestMissing => "request_missing",
            Self::UnexpectedRequest => "unexpected_request",
            Self::WrongNonce => "wrong_nonce",
            Self::WrongVerifier => "wrong_verifier",
            Self::TooOld => "too_old",
            Self::FromFuture => "from_future",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::BadDeviceKey => "bad_device_key",
            Self::WrongDeviceKey => "wrong_device_key",
            Self::SignFailed => "sign_failed",
            Self::BadRequestPrefix => "bad_request_prefix",
            Self::UnknownVerifier => "unknown_verifier",
            Self::BadVerifierSignature => "bad_verifier_signature",
            Self::StaleRequest => "stale_request",
        }
    }
}

/// The days since 1970-01-01 of a `YYYY-MM-DD` date (years 0000 to
/// 9999, proleptic Gregorian); `None` for anything else, 2023-02-29
/// included.
pub fn date_to_days(date: &str) -> Option<i32> {
    let b = date.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = date.get(range)?;
        if !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // H. Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = i32::try_from(era * 146_097 + doe - 719_468).ok()?;
    // 2023-02-31 computes as a day of March: refuse what does not come back.
    (days_to_date(days).as_deref() == Some(date)).then_some(days)
}

/// `YYYY-MM-DD` of a day since 1970-01-01; `None` outside years 0000 to
/// 9999.
pub fn days_to_date(days: i32) -> Option<String> {
    // H. Hinnant's civil_from_days.
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (0..=9999)
        .contains(&y)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}
