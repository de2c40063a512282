//! The signature algorithms signed documents may use, a closed list, with
//! their public keys as JWKs and one `Signer` trait for issuers, holders and
//! envelope signers.
//!
//! | `alg` | COSE `alg` | What | JWK |
//! |---|---|---|---|
//! | `ES256` | -7 | ECDSA P-256 with SHA-256, raw `r‖s` (ring) | `{"kty":"EC","crv":"P-256","x","y"}` |
//! | `EdDSA` | -8 | Ed25519 (ring) | `{"kty":"OKP","crv":"Ed25519","x"}` |
//! | `SM2` | -65600 | SM2 with SM3 and the default ID, raw `r‖s` ([`crate::sm`]) | `{"kty":"EC","crv":"SM2","x","y"}` |
//!
//! No JOSE or COSE name is registered for SM2; palmgov uses `SM2` (meaning
//! SM2 signature over SM3, distinguishing ID `1234567812345678`) and the
//! curve name `SM2`, as several Chinese JOSE libraries do, and in COSE
//! (the compact QR form, [`crate::compact`]) the value -65600, in the
//! range below -65536 that RFC 9053 leaves for private use. Anything else,
//! `none` and the HMAC family above all, is refused before a key is
//! looked at, and a key verifies only under its own algorithm (an `alg`
//! swap fails).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde_json::{Value, json};

use crate::sm::{Sm2PublicKey, Sm2SigningKey};

/// A signature algorithm of the closed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alg {
    Es256,
    EdDsa,
    Sm2,
}

impl Alg {
    /// The `alg` name; `None` for anything off the list.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "ES256" => Some(Self::Es256),
            "EdDSA" | "Ed25519" => Some(Self::EdDsa),
            "SM2" => Some(Self::Sm2),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Es256 => "ES256",
            Self::EdDsa => "EdDSA",
            Self::Sm2 => "SM2",
        }
    }

    /// The COSE `alg` value (RFC 9053; SM2's is palmgov's, private use).
    pub fn cose(self) -> i64 {
        match self {
            Self::Es256 => -7,
            Self::EdDsa => -8,
            Self::Sm2 => -65_600,
        }
    }

    /// The algorithm of a COSE `alg` value; `None` for anything off the
    /// list.
    pub fn from_cose(value: i64) -> Option<Self> {
        [Self::Es256, Self::EdDsa, Self::Sm2]
            .into_iter()
            .find(|alg| alg.cose() == value)
    }
}

/// Why a key or a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is not one of ES256, EdDSA or SM2, or is malformed")]
    BadKey,
    #[error("the key's algorithm is not the one named")]
    WrongAlg,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the key could not sign")]
    SignFailed,
}

/// A public key of one algorithm of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// Uncompressed SEC 1 point, 65 bytes.
    P256(Vec<u8>),
    /// 32 bytes.
    Ed25519(Vec<u8>),
    Sm2(Sm2PublicKey),
}

fn field(jwk: &Value, name: &str, len: usize) -> Result<Vec<u8>, KeyError> {
    let bytes = jwk[name]
        .as_str()
        .and_then(|s| B64.decode(s).ok())
        .ok_or(KeyError::BadKey)?;
    if bytes.len() == len {
        Ok(bytes)
    } else {
        Err(KeyError::BadKey)
    }
}

impl PublicKey {
    /// The key a JWK describes; refused unless it is a complete public key of
    /// the list (a JWK carrying a private part `d` is refused too: it
    /// should never travel).
    pub fn from_jwk(jwk: &Value) -> Result<Self, KeyError> {
        if jwk.get("d").is_some() {
            return Err(KeyError::BadKey);
        }
        match (jwk["kty"].as_str(), jwk["crv"].as_str()) {
            (Some("EC"), Some("P-256")) => {
                let mut point = vec![0x04];
                point.extend(field(jwk, "x", 32)?);
                point.extend(field(jwk, "y", 32)?);
                // Not checked to be on the curve here: ring checks the
                // point at every verify, where a bad one fails as a bad
                // signature. Checking it here as well (ring offers only a
                // throwaway ECDH for that) cost 50 µs per credential: a
                // holder key read from every licence checked.
                Ok(Self::P256(point))
            }
            (Some("OKP"), Some("Ed25519")) => Ok(Self::Ed25519(field(jwk, "x", 32)?)),
            (Some("EC"), Some("SM2")) => {
                let key = Sm2PublicKey::from_xy(&field(jwk, "x", 32)?, &field(jwk, "y", 32)?)
                    .map_err(|_| KeyError::BadKey)?;
                Ok(Self::Sm2(key))
            }
            _ => Err(KeyError::BadKey),
        }
    }

    /// The key as a JWK (public members only, no `kid`).
    pub fn to_jwk(&self) -> Value {
        match self {
            Self::P256(point) => json!({
                "kty": "EC", "crv": "P-256",
                "x": B64.encode(&point[1..33]), "y": B64.encode(&point[33..65]),
            }),
            Self::Ed25519(x) => json!({"kty": "OKP", "crv": "Ed25519", "x": B64.encode(x)}),
            Self::Sm2(key) => {
                let (x, y) = key.xy();
                json!({"kty": "EC", "crv": "SM2", "x": B64.encode(x), "y": B64.encode(y)})
            }
        }
    }

    /// The one algorithm this key verifies under.
    pub fn alg(&self) -> Alg {
        match self {
            Self::P256(_) => Alg::Es256,
            Self::Ed25519(_) => Alg::EdDsa,
            Self::Sm2(_) => Alg::Sm2,
        }
    }

    /// The JWK thumbprint (RFC 7638, SHA-256, base64url): a key id that
    /// names the key itself, so two ids are two keys.
    pub fn thumbprint(&self) -> String {
        let jwk = self.to_jwk();
        // RFC 7638: the required members in lexicographic order, no spaces.
        let canonical = match self {
            Self::P256(_) | Self::Sm2(_) => format!(
                r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
                jwk["crv"].as_str().unwrap_or_default(),
                jwk["x"].as_str().unwrap_or_default(),
                jwk["y"].as_str().unwrap_or_default()
            ),
            Self::Ed25519(_) => format!(
                r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
                jwk["x"].as_str().unwrap_or_default()
            ),
        };
        B64.encode(ring::digest::digest(
            &ring::digest::SHA256,
            canonical.as_bytes(),
        ))
    }

    /// Checks `signature` of `message` under `alg`, which must be this key's.
    pub fn verify(&self, alg: Alg, message: &[u8], signature: &[u8]) -> Result<(), KeyError> {
        if alg != self.alg() {
            return Err(KeyError::WrongAlg);
        }
        let ok = match self {
            Self::P256(point) => UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                .verify(message, signature)
                .is_ok(),
            Self::Ed25519(x) => UnparsedPublicKey::new(&signature::ED25519, x)
                .verify(message, signature)
                .is_ok(),
            Self::Sm2(key) => key.verify(message, signature).is_ok(),
        };
        if ok {
            Ok(())
        } else {
            Err(KeyError::BadSignature)
        }
    }
}

/// Something that signs under one algorithm of the list: an issuer's key, a
/// trust-list signer, or the holder's device key (which the app keeps
/// behind its keystore, so the trait is all this crate sees of it).
pub trait Signer: Send + Sync {
    fn alg(&self) -> Alg;
    fn public_key(&self) -> PublicKey;
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError>;
}

/// An ES256 key held in memory (ring).
pub struct Es256Signer {
    pair: EcdsaKeyPair,
    pkcs8: Vec<u8>,
}

impl Es256Signer {
    pub fn generate() -> Result<Self, KeyError> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| KeyError::SignFailed)?;
        Self::from_pkcs8(pkcs8.as_ref())
    }

    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, KeyError> {
        let rng = SystemRandom::new();
        let pair =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8, &rng)
                .map_err(|_| KeyError::BadKey)?;
        Ok(Self {
            pair,
            pkcs8: pkcs8.to_vec(),
        })
    }

    /// The PKCS#8 document, for storing test keys.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }
}

impl Signer for Es256Signer {
    fn alg(&self) -> Alg {
        Alg::Es256
    }
    fn public_key(&self) -> PublicKey {
        PublicKey::P256(self.pair.public_key().as_ref().to_vec())
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let sig = self
            .pair
            .sign(&SystemRandom::new(), message)
            .map_err(|_| KeyError::SignFailed)?;
        Ok(sig.as_ref().to_vec())
    }
}

/// An Ed25519 key held in memory (ring).
pub struct Ed25519Signer {
    pair: Ed25519KeyPair,
}

impl Ed25519Signer {
    pub fn generate() -> Result<Self, KeyError> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| KeyError::SignFailed)?;
        Self::from_pkcs8(pkcs8.as_ref())
    }

    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, KeyError> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| KeyError::BadKey)?;
        Ok(Self { pair })
    }

    /// The key from its 32-byte seed, for fixed test keys.
    pub fn from_seed(seed: &[u8]) -> Result<Self, KeyError> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed).map_err(|_| KeyError::BadKey)?;
        Ok(Self { pair })
    }
}

impl Signer for Ed25519Signer {
    fn alg(&self) -> Alg {
        Alg::EdDsa
    }
    fn public_key(&self) -> PublicKey {
        PublicKey::Ed25519(self.pair.public_key().as_ref().to_vec())
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        Ok(self.pair.sign(message).as_ref().to_vec())
    }
}

/// An SM2 key held in memory.
pub struct Sm2Signer {
    key: Sm2SigningKey,
}

impl Sm2Signer {
    pub fn generate() -> Result<Self, KeyError> {
        Ok(Self {
            key: Sm2SigningKey::generate().map_err(|_| KeyError::SignFailed)?,
        })
    }

    pub fn from_bytes(private: &[u8]) -> Result<Self, KeyError> {
        Ok(Self {
            key: Sm2SigningKey::from_bytes(private).map_err(|_| KeyError::BadKey)?,
        })
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }
}

impl Signer for Sm2Signer {
    fn alg(&self) -> Alg {
        Alg::Sm2
    }
    fn public_key(&self) -> PublicKey {
        PublicKey::Sm2(self.key.public_key())
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        Ok(self.key.sign(message).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signers() -> Vec<Box<dyn Signer>> {
        vec![
            Box::new(Es256Signer::generate().unwrap()),
            Box::new(Ed25519Signer::generate().unwrap()),
            Box::new(Sm2Signer::generate().unwrap()),
        ]
    }

    #[test]
    fn each_key_verifies_under_its_own_algorithm_only() {
        for signer in signers() {
            let sig = signer.sign(b"doc").unwrap();
            let key = PublicKey::from_jwk(&signer.public_key().to_jwk()).unwrap();
            assert_eq!(key, signer.public_key());
            key.verify(signer.alg(), b"doc", &sig).unwrap();
            assert_eq!(
                key.verify(signer.alg(), b"dog", &sig),
                Err(KeyError::BadSignature)
            );
            for other in [Alg::Es256, Alg::EdDsa, Alg::Sm2] {
                if other != signer.alg() {
                    assert_eq!(key.verify(other, b"doc", &sig), Err(KeyError::WrongAlg));
                }
            }
        }
    }

    #[test]
    fn only_the_list_parses() {
        for name in ["none", "HS256", "RS256", "ES384", "sm2", ""] {
            assert_eq!(Alg::parse(name), None, "{name}");
        }
        assert_eq!(Alg::parse("SM2"), Some(Alg::Sm2));
        for alg in [Alg::Es256, Alg::EdDsa, Alg::Sm2] {
            assert_eq!(Alg::from_cose(alg.cose()), Some(alg));
        }
        // ES384, PS256, RS1 (-65535), SM2's neighbour, and no algorithm.
        for value in [-35, -37, -65_535, -65_601, 0, 1] {
            assert_eq!(Alg::from_cose(value), None, "{value}");
        }
        for jwk in [
            json!({"kty": "oct", "k": "AAAA"}),
            json!({"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}),
            json!({"kty": "EC", "crv": "SM2", "x": B64.encode([1u8; 32]), "y": B64.encode([2u8; 32])}),
        ] {
            assert_eq!(PublicKey::from_jwk(&jwk), Err(KeyError::BadKey), "{jwk}");
        }
        // A P-256 point off the curve is read, and verifies nothing: ring
        // refuses it at the verify.
        let off = PublicKey::from_jwk(
            &json!({"kty": "EC", "crv": "P-256", "x": B64.encode([1u8; 32]), "y": B64.encode([2u8; 32])}),
        )
        .unwrap();
        assert_eq!(
            off.verify(Alg::Es256, b"doc", &[7u8; 64]),
            Err(KeyError::BadSignature)
        );
        let mut with_private = Es256Signer::generate().unwrap().public_key().to_jwk();
        with_private["d"] = json!("AAAA");
        assert_eq!(PublicKey::from_jwk(&with_private), Err(KeyError::BadKey));
    }

    #[test]
    fn thumbprints_follow_rfc_7638() {
        // RFC 7638 section 3.1's example is RSA; RFC 8037 A.3 gives Ed25519's.
        let key = PublicKey::from_jwk(
            &json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
        )
        .unwrap();
        assert_eq!(
            key.thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }
}
