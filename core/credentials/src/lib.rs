//! Signed documents the palmgov core verifies offline, and the reference
//! backend issues: one crate, so both sides run the same code.
//!
//! - [`sm`]: SM2 signatures with SM3 (GB/T 32918, GM/T 0009 default ID) and
//!   SM3 digests, on RustCrypto's constant-time `sm2`/`sm3`; ring does not
//!   offer them.
//! - [`keys`]: the signature algorithms (a closed list: ES256 and Ed25519 on
//!   ring, SM2), their public keys as JWKs, and the `Signer` trait.
//! - [`jws`]: compact JWS under that list.
//! - [`sdjwt`]: SD-JWT (RFC 9901) and SD-JWT VC: issue, present, verify.
//! - [`status_list`]: IETF Token Status List, 1 or 2 bits per entry.
//! - [`envelope`]: a signed document under a domain prefix, a threshold of
//!   distinct keys, a rising version and a pinned, rotatable root.
//! - [`compact`]: the compact form of a licence for an offline QR code
//!   (亮证): salted claim digests under a COSE_Sign1 (after the ISO 18013-5
//!   MSO), shown with a device signature as `PG1:` + Base45 of CBOR.
//! - `fuzzing` (feature `fuzzing`, and in this crate's tests): the entry
//!   points of the fuzz targets (`fuzz/`) and the replay of their committed
//!   corpus, with fixed test keys; never in the library an app links.

pub mod compact;
pub mod envelope;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod jws;
pub mod keys;
pub mod sdjwt;
pub mod sm;
pub mod status_list;
