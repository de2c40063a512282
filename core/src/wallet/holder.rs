//! The holder key: the P-256 device key the keystore hook keeps (in the
//! Android Keystore, the iOS Secure Enclave), to which the backend binds
//! every licence it issues to this phone. It never leaves the hardware; a
//! new phone has a key of its own and fetches its licences again.

use serde_json::Value;

use crate::error::{PalmGovError, Result};
use crate::hooks::Keystore;
use crate::store::keystore_error;

/// The keystore alias of the holder key.
pub(crate) const HOLDER_ALIAS: &str = "palmgov.wallet.holder";

/// The DER SubjectPublicKeyInfo prefix of a P-256 public key (RFC 5480),
/// which the keystore hook returns: the 65-byte uncompressed point follows.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// The holder key's public half as a JWK, created on first use.
pub(crate) fn public_jwk(keystore: &dyn Keystore) -> Result<Value> {
    let spki = keystore
        .device_public_key(HOLDER_ALIAS.into())
        .map_err(keystore_error)?;
    let point = spki
        .strip_prefix(&P256_SPKI_PREFIX[..])
        .filter(|p| p.len() == 65 && p[0] == 0x04)
        .ok_or_else(|| PalmGovError::Internal {
            detail: "the keystore's holder key is not P-256".into(),
        })?;
    Ok(palmgov_credentials::keys::PublicKey::P256(point.to_vec()).to_jwk())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_software_keystore_gives_a_p256_holder_key() {
        let keystore = crate::software::SoftwareKeystore::from_secret(&[4; 32]).unwrap();
        let jwk = public_jwk(&keystore).unwrap();
        assert_eq!(jwk["crv"], "P-256");
        assert_eq!(
            public_jwk(&keystore).unwrap(),
            jwk,
            "the same key every time"
        );
    }
}
