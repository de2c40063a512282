//! DPoP (RFC 9449): tokens bound to a key only this install holds, so a
//! token copied off the phone is useless elsewhere.
//!
//! The key is a P-256 key the core generates and signs with ring (≈15 µs a
//! proof). Its PKCS#8 is stored wrapped by the keystore hook; signing every
//! request in hardware would cost 10–100 ms on a phone.

use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::jose::{b64, p256_public_jwk, sign_es256};
use crate::crypto::random_bytes;
use crate::error::{PalmGovError, Result};

/// A DPoP key pair in memory.
pub(crate) struct DpopKey {
    pair: EcdsaKeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
}

fn internal(detail: &str) -> PalmGovError {
    PalmGovError::Internal {
        detail: detail.into(),
    }
}

impl DpopKey {
    pub(crate) fn generate() -> Result<Self> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| internal("dpop keygen"))?;
        Self::from_pkcs8(Zeroizing::new(pkcs8.as_ref().to_vec()))
    }

    /// Rebuilds the key from its unwrapped PKCS#8.
    pub(crate) fn from_pkcs8(pkcs8: Zeroizing<Vec<u8>>) -> Result<Self> {
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &pkcs8,
            &SystemRandom::new(),
        )
        .map_err(|_| PalmGovError::Decryption)?;
        Ok(Self { pair, pkcs8 })
    }

    /// The PKCS#8 document, for wrapping by the keystore hook.
    pub(crate) fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The RFC 7638 thumbprint (`jkt`) the provider binds tokens to.
    pub(crate) fn thumbprint(&self) -> String {
        let jwk = p256_public_jwk(&self.pair);
        // Members in lexicographic order with no whitespace, as RFC 7638 requires;
        // serde_json's map is ordered and `to_string` is compact.
        let digest = ring::digest::digest(&ring::digest::SHA256, jwk.to_string().as_bytes());
        b64(digest.as_ref())
    }

    /// A proof for one request. `htu` is the target URI without query and
    /// fragment; `access_token` adds `ath` when presenting a bound token;
    /// `nonce` echoes a server-provided `DPoP-Nonce`. `iat` is the corrected
    /// clock, so a phone with a wrong clock is not refused. Every proof has a
    /// fresh random `jti`, which servers use to refuse replays.
    pub(crate) fn proof(
        &self,
        htm: &str,
        htu: &str,
        iat: i64,
        access_token: Option<&str>,
        nonce: Option<&str>,
    ) -> Result<String> {
        let mut htu = url::Url::parse(htu).map_err(|_| internal("dpop htu"))?;
        htu.set_query(None);
        htu.set_fragment(None);
        let mut claims = json!({
            "jti": b64(&random_bytes(16)?),
            "htm": htm,
            "htu": htu.as_str(),
            "iat": iat,
        });
        if let Some(token) = access_token {
            let hash = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
            claims["ath"] = Value::from(b64(hash.as_ref()));
        }
        if let Some(nonce) = nonce {
            claims["nonce"] = Value::from(nonce);
        }
        let header = json!({
            "typ": "dpop+jwt",
            "alg": "ES256",
            "jwk": p256_public_jwk(&self.pair),
        });
        Ok(sign_es256(&self.pair, &header, &claims).map_err(|_| internal("dpop sign"))?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::jose::{Jwk, Jws};
    use super::*;

    #[test]
    fn proof_verifies_with_its_embedded_key_and_has_fresh_jti() {
        let key = DpopKey::generate().unwrap();
        let a = key
            .proof(
                "POST",
                "https://id.example/token?x=1#f",
                100,
                Some("at"),
                Some("n"),
            )
            .unwrap();
        let b = key
            .proof("POST", "https://id.example/token", 100, None, None)
            .unwrap();
        let jws = Jws::parse(&a).unwrap();
        let header: Value = serde_json::from_slice(
            &base64::Engine::decode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                a.split('.').next().unwrap(),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(header["typ"], "dpop+jwt");
        let jwk: Jwk = serde_json::from_value(header["jwk"].clone()).unwrap();
        jws.verify(&jwk).unwrap();
        let claims: Value = serde_json::from_slice(&jws.payload).unwrap();
        assert_eq!(claims["htu"], "https://id.example/token");
        assert_eq!(claims["nonce"], "n");
        assert!(claims["ath"].is_string());
        let other: Value = serde_json::from_slice(&Jws::parse(&b).unwrap().payload).unwrap();
        assert_ne!(claims["jti"], other["jti"]);
    }

    #[test]
    fn key_survives_a_pkcs8_round_trip() {
        let key = DpopKey::generate().unwrap();
        let again = DpopKey::from_pkcs8(Zeroizing::new(key.pkcs8().to_vec())).unwrap();
        assert_eq!(key.thumbprint(), again.thumbprint());
        assert_eq!(key.thumbprint().len(), 43);
    }
}
