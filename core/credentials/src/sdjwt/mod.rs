//! SD-JWT (RFC 9901) and SD-JWT VC (IETF draft `oauth-sd-jwt-vc`): issue,
//! present and verify, on [`crate::jws`] and the closed algorithm list of
//! [`crate::keys`].
//!
//! An SD-JWT is `<issuer-signed JWT>~<disclosure>~…~`; a presentation keeps
//! some of the disclosures and may end with a key-binding JWT (KB-JWT)
//! instead of nothing. A disclosure is base64url of the JSON array
//! `[salt, name, value]` (an object member) or `[salt, value]` (an array
//! element); the issuer signs only its digest, in an `_sd` array of the
//! object or as `{"...": digest}` in place of the array element.
//!
//! - [`issue`] makes one from a payload and the JSON pointers of the claims
//!   to make selectively disclosable (nested ones too).
//! - [`present`] keeps the disclosures the holder chooses and appends a
//!   KB-JWT when asked.
//! - [`verify`] checks the issuer's signature, every disclosure (RFC 9901
//!   section 7.1, strictly: an unreferenced or repeated disclosure, a
//!   repeated digest, a name clash or a reserved name is an error, never
//!   skipped), validity times with a clock skew, the SD-JWT VC rules when
//!   the token is typed `dc+sd-jwt`, and the KB-JWT when the verifier
//!   requires one (section 7.3).
//! - [`verify_claims`] verifies exactly as [`verify`] does without
//!   recording each disclosure: for a holder checking its own licence.
//! - [`inspect`] processes an SD-JWT without checking any signature: for
//!   the issuer listing what it just issued (each disclosure with its
//!   digest, which the QR encoding signs), and for the holder's display
//!   after [`verify`].
//!
//! Digest algorithms ([`HashAlg`]): `sha-256`, which RFC 9901 requires, and
//! `sm3`, a palmgov profile value for issuers bound to the Chinese
//! algorithms (no `sm3` entry exists in the IANA "Named Information Hash
//! Algorithm" registry; section 4.1.1 allows a value "defined in another
//! specification and/or profile"). Anything else is refused.
//!
//! Inputs are bounded ([`MAX_PRESENTATION`], [`MAX_DISCLOSURES`],
//! [`MAX_DEPTH`]) and never make these functions panic: presentations come
//! from QR codes and the network.

mod disclosure;
mod issue;
mod pointer;
mod present;
mod process;
mod verify;

#[cfg(test)]
mod tests;

pub use disclosure::{
    DeterministicSalts, Disclosure, HashAlg, RandomSalts, SaltSource, disclosure_digest,
};
pub use issue::issue;
pub use pointer::{PathSegment, by_pointers, pointer};
pub use present::{KeyBindingInput, present};
pub use process::{Inspected, inspect};
#[cfg(any(test, feature = "fuzzing"))]
pub use verify::assert_same_answer;
pub use verify::{StatusListRef, Verified, VerifyOptions, verify, verify_claims};

use crate::jws::JwsError;

/// The largest SD-JWT or presentation handled: 64 KiB. A licence with key
/// binding is about 2 KB; a QR code holds at most 3 KB.
pub const MAX_PRESENTATION: usize = 64 * 1024;
/// The most disclosures one SD-JWT may carry (issued or presented).
pub const MAX_DISCLOSURES: usize = 100;
/// The deepest nesting of objects and arrays in the processed claims, the
/// top-level object counting as 1. Real credentials stay under 8; the
/// bound keeps the recursive walks short whatever arrives.
pub const MAX_DEPTH: usize = 16;

/// `typ` of an SD-JWT VC (draft `oauth-sd-jwt-vc`; `vc+sd-jwt` until
/// November 2024, no longer accepted by the draft).
pub const TYP_SD_JWT_VC: &str = "dc+sd-jwt";
/// `typ` of a key-binding JWT (RFC 9901 section 4.3).
pub const TYP_KB_JWT: &str = "kb+jwt";

/// Top-level claims an SD-JWT VC must not make selectively disclosable,
/// nor anything inside them (draft `oauth-sd-jwt-vc`, "Registered JWT
/// Claims"): a verifier needs them to decide whether to trust the rest.
pub const VC_NEVER_DISCLOSABLE: &[&str] = &[
    "iss",
    "nbf",
    "exp",
    "cnf",
    "vct",
    "vct#integrity",
    "aka_vcts",
    "status",
];

/// What was wrong with a key-binding JWT; the error's reason stays
/// `key_binding_invalid`, this says which check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KbFault {
    /// Not a compact JWS, or its payload is not a claims set with the
    /// required members of the right types.
    Malformed,
    /// Its `alg` is off the list.
    Alg,
    /// The SD-JWT names no holder key (`cnf.jwk`) of the list.
    NoHolderKey,
    /// Presenting: the signer is not the key the SD-JWT names.
    HolderKey,
    /// `typ` is not `kb+jwt`.
    Typ,
    /// Not signed by the holder key (or under another algorithm than
    /// the holder key's).
    Signature,
    /// `iat` is outside the accepted window.
    Iat,
    Aud,
    Nonce,
    /// `sd_hash` is not the digest of the presented SD-JWT.
    SdHash,
}

impl KbFault {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::Alg => "alg",
            Self::NoHolderKey => "no_holder_key",
            Self::HolderKey => "holder_key",
            Self::Typ => "typ",
            Self::Signature => "signature",
            Self::Iat => "iat",
            Self::Aud => "aud",
            Self::Nonce => "nonce",
            Self::SdHash => "sd_hash",
        }
    }
}

/// Why an SD-JWT was refused or could not be made. [`SdJwtError::reason`]
/// gives stable strings for logs, the app and tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdJwtError {
    /// Not an SD-JWT: the tilde-separated form, a JWS or a claims set is
    /// broken, or `_sd`/`...`/`_sd_alg` are used other than as RFC 9901
    /// defines.
    #[error("not a well-formed SD-JWT")]
    Malformed,
    #[error("the SD-JWT is larger than 64 KiB")]
    TooLarge,
    #[error("more than 100 disclosures")]
    TooManyDisclosures,
    #[error("claims nested deeper than 16 levels")]
    TooDeep,
    #[error("the signature algorithm is not one of ES256, EdDSA or SM2")]
    AlgNotAllowed,
    #[error("the JWS header marks an extension critical that is not understood")]
    CritNotUnderstood,
    #[error("the digest algorithm (_sd_alg) is not sha-256 or sm3")]
    HashAlgNotAllowed,
    #[error("no key is known for this issuer")]
    UnknownIssuerKey,
    #[error("the issuer key is of another algorithm than the token's")]
    WrongAlg,
    #[error("the issuer's signature does not verify")]
    BadSignature,
    #[error("the token's typ is not the one expected")]
    WrongTyp,
    /// A disclosure that does not decode to `[salt, name, value]` or
    /// `[salt, value]`, or whose form does not fit where its digest is
    /// (an array element's disclosure named in an `_sd`, or the reverse).
    /// A disclosure whose content was changed no longer matches its
    /// digest: that is [`SdJwtError::UnreferencedDisclosure`].
    #[error("a disclosure is not a well-formed disclosure for its place")]
    TamperedDisclosure,
    #[error("a disclosure is not referenced by any digest the issuer signed")]
    UnreferencedDisclosure,
    #[error("a disclosure appears more than once")]
    DuplicateDisclosure,
    #[error("a digest appears more than once in the issuer-signed claims")]
    DuplicateDigest,
    #[error("a disclosed claim has the name of a claim already present")]
    ClaimClash,
    #[error("a claim uses a name SD-JWT reserves (_sd, ..., _sd_alg)")]
    ReservedClaimName,
    #[error("an SD-JWT VC makes a claim disclosable that must always be visible")]
    ClaimNotDisclosable,
    #[error("a required claim is missing")]
    MissingClaim,
    #[error("the SD-JWT has expired")]
    Expired,
    #[error("the SD-JWT is not valid yet")]
    NotYetValid,
    #[error("key binding is required and the presentation has none")]
    KeyBindingRequired,
    #[error("the key-binding JWT is invalid ({})", .0.reason())]
    KeyBindingInvalid(KbFault),
    /// The holder was given an SD-JWT+KB to present (RFC 9901 section 7.2:
    /// an issuer never sends one).
    #[error("an SD-JWT with key binding cannot be presented again")]
    UnexpectedKeyBinding,
    #[error("a JSON pointer is invalid or names nothing in the payload")]
    BadPointer,
    #[error("the signer or the random source failed")]
    SignFailed,
}

impl SdJwtError {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::TooLarge => "too_large",
            Self::TooManyDisclosures => "too_many_disclosures",
            Self::TooDeep => "too_deep",
            Self::AlgNotAllowed => "alg_not_allowed",
            Self::CritNotUnderstood => "crit_not_understood",
            Self::HashAlgNotAllowed => "hash_alg_not_allowed",
            Self::UnknownIssuerKey => "unknown_issuer_key",
            Self::WrongAlg => "wrong_alg",
            Self::BadSignature => "bad_signature",
            Self::WrongTyp => "wrong_typ",
            Self::TamperedDisclosure => "tampered_disclosure",
            Self::UnreferencedDisclosure => "unreferenced_disclosure",
            Self::DuplicateDisclosure => "duplicate_disclosure",
            Self::DuplicateDigest => "duplicate_digest",
            Self::ClaimClash => "claim_clash",
            Self::ReservedClaimName => "reserved_claim_name",
            Self::ClaimNotDisclosable => "claim_not_disclosable",
            Self::MissingClaim => "missing_claim",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::KeyBindingRequired => "key_binding_required",
            Self::KeyBindingInvalid(_) => "key_binding_invalid",
            Self::UnexpectedKeyBinding => "unexpected_key_binding",
            Self::BadPointer => "bad_pointer",
            Self::SignFailed => "sign_failed",
        }
    }
}

impl From<JwsError> for SdJwtError {
    fn from(e: JwsError) -> Self {
        match e {
            JwsError::Malformed => Self::Malformed,
            JwsError::TooLarge => Self::TooLarge,
            JwsError::AlgNotAllowed => Self::AlgNotAllowed,
            JwsError::CritNotUnderstood => Self::CritNotUnderstood,
            JwsError::WrongAlg => Self::WrongAlg,
            JwsError::BadSignature => Self::BadSignature,
            JwsError::SignFailed => Self::SignFailed,
        }
    }
}
