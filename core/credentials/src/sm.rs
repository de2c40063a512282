//! SM2 signatures with SM3 (GB/T 32918.2, GM/T 0009) and SM3 digests
//! (GB/T 32905), for Chinese issuers. ring has neither, so this is the one
//! place a second crypto family enters: RustCrypto's `sm2` and `sm3`,
//! written for constant time.
//!
//! Signatures are raw `r‖s` (64 bytes), over `e = SM3(ZA ‖ M)` with `ZA`
//! computed from the default distinguishing ID `1234567812345678`, as
//! GM/T 0009 recommends and OFD seals use. Public keys are affine points
//! (`x`, `y`, 32 bytes each) on the recommended curve.

use sm2::dsa::signature::{Signer as _, Verifier as _};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm3::Digest;

/// The default distinguishing ID of GM/T 0009, used by every Chinese
/// issuer this wallet meets.
pub const DEFAULT_ID: &str = "1234567812345678";

/// Why an SM2 operation failed: never key material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SmError {
    #[error("not a point on the SM2 curve")]
    BadPublicKey,
    #[error("not an SM2 private key")]
    BadPrivateKey,
    #[error("the SM2 signature does not verify")]
    BadSignature,
}

/// SM3 of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    sm3::Sm3::digest(data).into()
}

/// An SM2 public key.
#[derive(Clone)]
pub struct Sm2PublicKey {
    key: VerifyingKey,
}

impl std::fmt::Debug for Sm2PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sm2PublicKey").finish_non_exhaustive()
    }
}

impl PartialEq for Sm2PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.to_sec1() == other.to_sec1()
    }
}

impl Eq for Sm2PublicKey {}

impl Sm2PublicKey {
    /// The key at affine point (`x`, `y`); refused when not on the curve.
    pub fn from_xy(x: &[u8], y: &[u8]) -> Result<Self, SmError> {
        if x.len() != 32 || y.len() != 32 {
            return Err(SmError::BadPublicKey);
        }
        let mut sec1 = Vec::with_capacity(65);
        sec1.push(0x04);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        Self::from_sec1(&sec1)
    }

    /// The key from an uncompressed (`04‖x‖y`) or compressed SEC 1 point.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, SmError> {
        let key =
            VerifyingKey::from_sec1_bytes(DEFAULT_ID, bytes).map_err(|_| SmError::BadPublicKey)?;
        Ok(Self { key })
    }

    /// The uncompressed SEC 1 point, `04‖x‖y`.
    pub fn to_sec1(&self) -> Vec<u8> {
        self.key.to_sec1_bytes().into_vec()
    }

    /// `x` and `y`, 32 bytes each.
    pub fn xy(&self) -> ([u8; 32], [u8; 32]) {
        let sec1 = self.to_sec1();
        let mut x = [0; 32];
        let mut y = [0; 32];
        x.copy_from_slice(&sec1[1..33]);
        y.copy_from_slice(&sec1[33..65]);
        (x, y)
    }

    /// Checks a raw `r‖s` signature of `message` (with the default ID).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SmError> {
        let signature = Signature::from_slice(signature).map_err(|_| SmError::BadSignature)?;
        self.key
            .verify(message, &signature)
            .map_err(|_| SmError::BadSignature)
    }
}

/// An SM2 private key. Its bytes are never printed.
pub struct Sm2SigningKey {
    key: SigningKey,
}

impl std::fmt::Debug for Sm2SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sm2SigningKey").finish_non_exhaustive()
    }
}

impl Sm2SigningKey {
    /// The key whose private scalar is `bytes` (32, big-endian).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SmError> {
        let key = SigningKey::from_slice(DEFAULT_ID, bytes).map_err(|_| SmError::BadPrivateKey)?;
        Ok(Self { key })
    }

    /// A new random key, from ring's system random source.
    pub fn generate() -> Result<Self, SmError> {
        use ring::rand::SecureRandom;
        let rng = ring::rand::SystemRandom::new();
        // A random 32-byte string is a valid scalar but for a chance of
        // about 2^-32 (zero or at least n); draw again then.
        for _ in 0..8 {
            let mut bytes = [0u8; 32];
            rng.fill(&mut bytes).map_err(|_| SmError::BadPrivateKey)?;
            if let Ok(key) = Self::from_bytes(&bytes) {
                return Ok(key);
            }
        }
        Err(SmError::BadPrivateKey)
    }

    /// The private scalar (32 bytes, big-endian), for storing test keys.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes().into()
    }

    pub fn public_key(&self) -> Sm2PublicKey {
        Sm2PublicKey {
            key: self.key.verifying_key().clone(),
        }
    }

    /// A raw `r‖s` signature of `message` (deterministic nonce, RFC 6979
    /// style, with the default ID).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let signature: Signature = self.key.sign(message);
        signature.to_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn sm3_vectors_of_gb_t_32905() {
        assert_eq!(
            sm3(b"abc").to_vec(),
            hex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        );
        assert_eq!(
            sm3("abcd".repeat(16).as_bytes()).to_vec(),
            hex("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
        );
    }

    /// GB/T 32918.5 Annex A, on the recommended curve: the signature
    /// verifies with the default ID, and the key matches its private part.
    #[test]
    fn the_annex_a_vector_verifies() {
        let x = hex("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020");
        let y = hex("CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13");
        let key = Sm2PublicKey::from_xy(&x, &y).unwrap();
        let mut sig = hex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3");
        sig.extend(hex(
            "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA",
        ));
        key.verify(b"message digest", &sig).unwrap();
        assert_eq!(
            key.verify(b"message digesT", &sig),
            Err(SmError::BadSignature)
        );
        let private = Sm2SigningKey::from_bytes(&hex(
            "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8",
        ))
        .unwrap();
        assert_eq!(private.public_key(), key);
        // Another distinguishing ID gives another ZA: the vector fails.
        let other = VerifyingKey::from_sec1_bytes("ALICE123@YAHOO.COM", &key.to_sec1()).unwrap();
        let sig = Signature::from_slice(&sig).unwrap();
        assert!(other.verify(b"message digest", &sig).is_err());
    }

    #[test]
    fn signatures_round_trip_and_bad_input_is_refused() {
        let key = Sm2SigningKey::generate().unwrap();
        let sig = key.sign(b"licence");
        key.public_key().verify(b"licence", &sig).unwrap();
        assert_eq!(
            key.public_key().verify(b"licence", &sig[..63]),
            Err(SmError::BadSignature)
        );
        assert_eq!(
            Sm2PublicKey::from_xy(&[1; 32], &[2; 32]).unwrap_err(),
            SmError::BadPublicKey
        );
        assert!(Sm2SigningKey::from_bytes(&[0; 32]).is_err());
        let again = Sm2SigningKey::from_bytes(&key.to_bytes()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
    }
}
