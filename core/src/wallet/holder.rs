//! The holder key: the P-256 device key the keystore hook keeps (in the
//! Android Keystore, the iOS Secure Enclave), to which the backend binds
//! every licence it issues to this phone. It never leaves the hardware; a
//! new phone has a key of its own and fetches its licences again.
//!
//! One key per account on the phone, not one per phone: two people who
//! share a phone (a grid worker's own account and her family's) must not
//! be linkable by a key their licences have in common, and signing out
//! deletes the account's key with its licences.

use serde_json::Value;

use crate::error::{PalmGovError, Result};
use crate::hooks::Keystore;
use crate::store::keystore_error;

/// The keystore alias of an account's holder key. The account id is an
/// opaque digest of issuer and subject, so the alias names no one.
pub(crate) fn alias(owner: &str) -> String {
    format!("palmgov.wallet.holder.{owner}")
}

/// The DER SubjectPublicKeyInfo prefix of a P-256 public key (RFC 5480),
/// which the keystore hook returns: the 65-byte uncompressed point follows.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// A proof that this phone holds the holder key, for the backend to bind
/// licences to it (as OpenID4VCI's `proof`): a compact JWS signed by the
/// key in the hardware, over the backend's nonce, its origin and the time.
/// Without it anyone with a person's session could bind their licences to
/// a key of their own.
pub(crate) fn proof(
    keystore: &dyn Keystore,
    owner: &str,
    aud: &str,
    nonce: &str,
    iat: i64,
) -> Result<String> {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    let header = serde_json::json!({
        "typ": "openid4vci-proof+jwt", "alg": "ES256", "jwk": public_jwk(keystore, owner)?,
    });
    let claims = serde_json::json!({"aud": aud, "nonce": nonce, "iat": iat});
    let input = format!(
        "{}.{}",
        B64.encode(serde_json::to_vec(&header)?),
        B64.encode(serde_json::to_vec(&claims)?)
    );
    let der = keystore
        .sign(alias(owner), input.as_bytes().to_vec())
        .map_err(keystore_error)?;
    let raw = der_to_raw(&der).ok_or_else(|| PalmGovError::Internal {
        detail: "the keystore's signature is not DER ECDSA".into(),
    })?;
    Ok(format!("{input}.{}", B64.encode(raw)))
}

/// An ECDSA-Sig-Value (DER, as Android and iOS sign) as JOSE's raw `r‖s`,
/// 32 bytes each. Hand-written: eight lines, and no DER crate is in the
/// core.
fn der_to_raw(der: &[u8]) -> Option<[u8; 64]> {
    fn integer(b: &[u8]) -> Option<(&[u8], &[u8])> {
        let b = b.strip_prefix(&[0x02])?;
        let (&len, b) = b.split_first()?;
        let len = usize::from(len);
        (1..=33).contains(&len).then_some(())?;
        (b.len() >= len).then(|| b.split_at(len))
    }
    fn put(out: &mut [u8], int: &[u8]) -> Option<()> {
        let first = int.iter().position(|&b| b != 0).unwrap_or(int.len());
        let int = &int[first..];
        (int.len() <= 32).then_some(())?;
        out[32 - int.len()..].copy_from_slice(int);
        Some(())
    }
    let body = der.strip_prefix(&[0x30])?;
    let (&len, body) = body.split_first()?;
    (usize::from(len) == body.len() && len < 0x80).then_some(())?;
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    rest.is_empty().then_some(())?;
    let mut raw = [0u8; 64];
    put(&mut raw[..32], r)?;
    put(&mut raw[32..], s)?;
    Some(raw)
}

/// The account's holder key's public half as a JWK, created on first use.
pub(crate) fn public_jwk(keystore: &dyn Keystore, owner: &str) -> Result<Value> {
    jwk_of(keystore, &alias(owner))
}

/// A device key's public half as a JWK, created on first use.
fn jwk_of(keystore: &dyn Keystore, alias: &str) -> Result<Value> {
    let spki = keystore
        .device_public_key(alias.into())
        .map_err(keystore_error)?;
    let point = spki
        .strip_prefix(&P256_SPKI_PREFIX[..])
        .filter(|p| p.len() == 65 && p[0] == 0x04)
        .ok_or_else(|| PalmGovError::Internal {
            detail: "the keystore's holder key is not P-256".into(),
        })?;
    Ok(palmgov_credentials::keys::PublicKey::P256(point.to_vec()).to_jwk())
}

/// A P-256 device key of the keystore hook as a
/// [`palmgov_credentials::keys::Signer`]: the account's holder key for
/// presentations, the device's verifier key for request QR codes. Every
/// signature goes through the hook, so the key never leaves the hardware.
pub(crate) struct KeystoreSigner<'a> {
    keystore: &'a dyn Keystore,
    alias: String,
    public: palmgov_credentials::keys::PublicKey,
}

impl<'a> KeystoreSigner<'a> {
    /// The account's holder key.
    pub(crate) fn holder(keystore: &'a dyn Keystore, owner: &str) -> Result<Self> {
        Self::new(keystore, alias(owner))
    }

    /// The device key `alias`, created on first use.
    pub(crate) fn new(keystore: &'a dyn Keystore, alias: String) -> Result<Self> {
        let public = palmgov_credentials::keys::PublicKey::from_jwk(&jwk_of(keystore, &alias)?)
            .map_err(|_| PalmGovError::Internal {
                detail: "the keystore's key is not P-256".into(),
            })?;
        Ok(Self {
            keystore,
            alias,
            public,
        })
    }

    pub(crate) fn public(&self) -> &palmgov_credentials::keys::PublicKey {
        &self.public
    }
}

impl palmgov_credentials::keys::Signer for KeystoreSigner<'_> {
    fn alg(&self) -> palmgov_credentials::keys::Alg {
        palmgov_credentials::keys::Alg::Es256
    }

    fn public_key(&self) -> palmgov_credentials::keys::PublicKey {
        self.public.clone()
    }

    fn sign(
        &self,
        message: &[u8],
    ) -> std::result::Result<Vec<u8>, palmgov_credentials::keys::KeyError> {
        let der = self
            .keystore
            .sign(self.alias.clone(), message.to_vec())
            .map_err(|_| palmgov_credentials::keys::KeyError::SignFailed)?;
        der_to_raw(&der)
            .map(|raw| raw.to_vec())
            .ok_or(palmgov_credentials::keys::KeyError::SignFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_verifies_under_the_holder_key() {
        let keystore = crate::software::SoftwareKeystore::from_secret(&[4; 32]).unwrap();
        let proof = proof(
            &keystore,
            "acct-1",
            "http://127.0.0.1:8787",
            "n-1",
            1_800_000_000,
        )
        .unwrap();
        let key = palmgov_credentials::keys::PublicKey::from_jwk(
            &public_jwk(&keystore, "acct-1").unwrap(),
        )
        .unwrap();
        let jws = palmgov_credentials::jws::Compact::parse(&proof).unwrap();
        jws.verify(&key).unwrap();
        assert_eq!(jws.claims().unwrap()["nonce"], "n-1");
    }

    #[test]
    fn der_signatures_become_raw_and_bad_der_is_refused() {
        // r with a leading zero (high bit set), s short.
        let mut der = vec![0x30, 0x26, 0x02, 0x21, 0x00];
        der.extend([0x80; 32]);
        der.extend([0x02, 0x01, 0x07]);
        let raw = der_to_raw(&der).unwrap();
        assert_eq!(&raw[..32], &[0x80; 32]);
        assert_eq!(raw[63], 7);
        assert!(raw[32..63].iter().all(|&b| b == 0));
        for bad in [&der[..10], &[0x31, 0x00][..], &[][..]] {
            assert!(der_to_raw(bad).is_none());
        }
        let mut trailing = der.clone();
        trailing.push(0);
        assert!(der_to_raw(&trailing).is_none());
    }

    #[test]
    fn each_account_has_its_own_p256_holder_key_until_it_is_deleted() {
        let keystore = crate::software::SoftwareKeystore::from_secret(&[4; 32]).unwrap();
        let jwk = public_jwk(&keystore, "acct-1").unwrap();
        assert_eq!(jwk["crv"], "P-256");
        assert_eq!(
            public_jwk(&keystore, "acct-1").unwrap(),
            jwk,
            "the same key every time"
        );
        let other = public_jwk(&keystore, "acct-2").unwrap();
        assert_ne!(other, jwk, "another account on the phone, another key");
        keystore.delete_key(alias("acct-1")).unwrap();
        keystore.delete_key(alias("acct-1")).unwrap();
        assert_ne!(
            public_jwk(&keystore, "acct-1").unwrap(),
            jwk,
            "a new key after deletion"
        );
        assert_eq!(public_jwk(&keystore, "acct-2").unwrap(), other);
    }
}
