//! The slice of JOSE the core needs, on ring: compact JWS parsing, JWK public
//! keys, signature checks under an algorithm allowlist, and ES256 signing for
//! DPoP proofs.
//!
//! Why not a JOSE crate: `jsonwebtoken` has no ring backend, `josekit` needs
//! OpenSSL, and `openidconnect` brings RustCrypto's rsa/p256/ed25519 as a
//! second crypto stack. This module is small on purpose and tested with
//! crafted tokens (see `tests` below and `idtoken`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::signature::{self, UnparsedPublicKey};
use serde::Deserialize;
use serde_json::Value;

/// Signature algorithms the core accepts. Everything else is refused before
/// any key is looked at: `none`, the HMAC family (an attacker could "sign"
/// with our public key), and anything unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alg {
    Es256,
    EdDsa,
    Rs256,
    Ps256,
}

impl Alg {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "ES256" => Some(Self::Es256),
            // "Ed25519" is the fully specified name (RFC 9864) newer providers emit.
            "EdDSA" | "Ed25519" => Some(Self::EdDsa),
            "RS256" => Some(Self::Rs256),
            "PS256" => Some(Self::Ps256),
            _ => None,
        }
    }

    fn key_type(self) -> &'static str {
        match self {
            Self::Es256 => "EC",
            Self::EdDsa => "OKP",
            Self::Rs256 | Self::Ps256 => "RSA",
        }
    }
}

/// Why a JWS was refused. Reasons are stable strings for errors and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JwsError {
    Malformed,
    AlgNotAllowed,
    UnknownKey,
    BadSignature,
}

impl JwsError {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::Malformed => "id_token.malformed",
            Self::AlgNotAllowed => "id_token.alg",
            Self::UnknownKey => "id_token.unknown_key",
            Self::BadSignature => "id_token.signature",
        }
    }
}

/// The protected header fields the core reads.
#[derive(Debug, Deserialize)]
pub(crate) struct Header {
    pub alg: String,
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default)]
    pub typ: Option<String>,
    #[serde(default)]
    pub crit: Option<Value>,
}

/// A compact JWS split and decoded, not yet verified.
pub(crate) struct Jws<'a> {
    pub header: Header,
    pub alg: Alg,
    signing_input: &'a str,
    pub payload: Vec<u8>,
    signature: Vec<u8>,
}

impl<'a> Jws<'a> {
    /// Splits and decodes a compact JWS, refusing disallowed algorithms and
    /// critical extensions we do not understand.
    pub(crate) fn parse(token: &'a str) -> Result<Self, JwsError> {
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::Malformed);
        };
        let decode = |part: &str| B64.decode(part).map_err(|_| JwsError::Malformed);
        let header: Header =
            serde_json::from_slice(&decode(h)?).map_err(|_| JwsError::Malformed)?;
        let alg = Alg::parse(&header.alg).ok_or(JwsError::AlgNotAllowed)?;
        if header.crit.is_some() {
            return Err(JwsError::Malformed);
        }
        let signing_input = &token[..h.len() + 1 + p.len()];
        Ok(Self {
            header,
            alg,
            signing_input,
            payload: decode(p)?,
            signature: decode(s)?,
        })
    }

    /// Checks the signature with `key`, which must suit the header's algorithm.
    pub(crate) fn verify(&self, key: &Jwk) -> Result<(), JwsError> {
        key.verify(self.alg, self.signing_input.as_bytes(), &self.signature)
    }
}

/// A public key from a JWKS. Only the members the supported algorithms use.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub(crate) struct Jwk {
    pub kty: String,
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default)]
    pub alg: Option<String>,
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    #[serde(default)]
    pub crv: Option<String>,
    #[serde(default)]
    pub x: Option<String>,
    #[serde(default)]
    pub y: Option<String>,
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub e: Option<String>,
}

/// A JSON Web Key Set as published at `jwks_uri`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JwkSet {
    pub keys: Vec<Jwk>,
}

impl JwkSet {
    /// The key that verifies a token with this header. With a `kid`, only
    /// that key; without one, the single signing key of the right type.
    pub(crate) fn find(&self, header: &Header, alg: Alg) -> Option<&Jwk> {
        let usable = |k: &&Jwk| k.suits(alg);
        match &header.kid {
            Some(kid) => self
                .keys
                .iter()
                .filter(usable)
                .find(|k| k.kid.as_deref() == Some(kid)),
            None => {
                let mut candidates = self.keys.iter().filter(usable);
                let only = candidates.next()?;
                candidates.next().is_none().then_some(only)
            }
        }
    }
}

impl Jwk {
    /// Whether this key may verify `alg`: the key type matches, and the
    /// key's own `alg` and `use`, when present, agree.
    fn suits(&self, alg: Alg) -> bool {
        self.kty == alg.key_type()
            && self.use_.as_deref().is_none_or(|u| u == "sig")
            && self
                .alg
                .as_deref()
                .is_none_or(|a| Alg::parse(a) == Some(alg))
    }

    fn member(&self, value: &Option<String>) -> Result<Vec<u8>, JwsError> {
        let raw = value.as_deref().ok_or(JwsError::UnknownKey)?;
        B64.decode(raw).map_err(|_| JwsError::UnknownKey)
    }

    fn verify(&self, alg: Alg, message: &[u8], sig: &[u8]) -> Result<(), JwsError> {
        if !self.suits(alg) {
            return Err(JwsError::UnknownKey);
        }
        let ok = match alg {
            Alg::Es256 => {
                if self.crv.as_deref() != Some("P-256") {
                    return Err(JwsError::UnknownKey);
                }
                let (x, y) = (self.member(&self.x)?, self.member(&self.y)?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(JwsError::UnknownKey);
                }
                let point = [&[4u8][..], &x, &y].concat();
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, sig)
            }
            Alg::EdDsa => {
                if self.crv.as_deref() != Some("Ed25519") {
                    return Err(JwsError::UnknownKey);
                }
                UnparsedPublicKey::new(&signature::ED25519, self.member(&self.x)?)
                    .verify(message, sig)
            }
            Alg::Rs256 | Alg::Ps256 => {
                let params = if alg == Alg::Rs256 {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                } else {
                    &signature::RSA_PSS_2048_8192_SHA256
                };
                let key = signature::RsaPublicKeyComponents {
                    n: self.member(&self.n)?,
                    e: self.member(&self.e)?,
                };
                key.verify(params, message, sig)
            }
        };
        ok.map_err(|_| JwsError::BadSignature)
    }
}

/// Base64url without padding, as JOSE writes it.
pub(crate) fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Signs `header.payload` with an ES256 key (DPoP proofs; test issuers).
pub(crate) fn sign_es256(
    key: &signature::EcdsaKeyPair,
    header: &Value,
    payload: &Value,
) -> Result<String, ring::error::Unspecified> {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let sig = key.sign(&ring::rand::SystemRandom::new(), input.as_bytes())?;
    Ok(format!("{input}.{}", b64(sig.as_ref())))
}

/// The public JWK of a P-256 key pair, members in RFC 7638 thumbprint order.
pub(crate) fn p256_public_jwk(key: &signature::EcdsaKeyPair) -> Value {
    use ring::signature::KeyPair;
    let point = key.public_key().as_ref();
    serde_json::json!({
        "crv": "P-256",
        "kty": "EC",
        "x": b64(&point[1..33]),
        "y": b64(&point[33..65]),
    })
}

#[cfg(test)]
pub(crate) mod test_keys {
    //! Keys and signing for crafted tokens in tests.
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair};

    pub(crate) fn es256() -> EcdsaKeyPair {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap()
    }

    pub(crate) fn es256_jwk(key: &EcdsaKeyPair, kid: &str) -> Jwk {
        let mut v = p256_public_jwk(key);
        v["kid"] = kid.into();
        v["alg"] = "ES256".into();
        serde_json::from_value(v).unwrap()
    }

    pub(crate) fn ed25519() -> (Ed25519KeyPair, Jwk) {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let jwk = Jwk {
            kty: "OKP".into(),
            kid: Some("ed".into()),
            alg: None,
            use_: Some("sig".into()),
            crv: Some("Ed25519".into()),
            x: Some(b64(key.public_key().as_ref())),
            y: None,
            n: None,
            e: None,
        };
        (key, jwk)
    }

    /// A compact JWS over arbitrary header and payload, signed by `sign`.
    pub(crate) fn token(
        header: &Value,
        payload: &Value,
        sign: impl Fn(&[u8]) -> Vec<u8>,
    ) -> String {
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(payload.to_string().as_bytes())
        );
        let sig = sign(input.as_bytes());
        format!("{input}.{}", b64(&sig))
    }
}

#[cfg(test)]
mod tests {
    use super::test_keys::*;
    use super::*;
    use serde_json::json;

    fn es_token(key: &signature::EcdsaKeyPair, kid: &str) -> String {
        sign_es256(key, &json!({"alg": "ES256", "kid": kid}), &json!({"a": 1})).unwrap()
    }

    #[test]
    fn es256_round_trip_and_tamper() {
        let key = es256();
        let set = JwkSet {
            keys: vec![es256_jwk(&key, "k1")],
        };
        let token = es_token(&key, "k1");
        let jws = Jws::parse(&token).unwrap();
        jws.verify(set.find(&jws.header, jws.alg).unwrap()).unwrap();

        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = b64(br#"{"a":2}"#);
        parts[1] = &forged;
        let tampered = parts.join(".");
        let jws = Jws::parse(&tampered).unwrap();
        assert_eq!(
            jws.verify(&set.keys[0]),
            Err(JwsError::BadSignature),
            "a changed payload must fail"
        );
    }

    #[test]
    fn eddsa_and_its_new_name() {
        let (key, jwk) = ed25519();
        for alg in ["EdDSA", "Ed25519"] {
            let t = token(&json!({"alg": alg, "kid": "ed"}), &json!({}), |m| {
                key.sign(m).as_ref().to_vec()
            });
            let jws = Jws::parse(&t).unwrap();
            jws.verify(&jwk).unwrap();
        }
    }

    #[test]
    fn disallowed_algorithms_are_refused_before_any_key() {
        for alg in ["none", "HS256", "HS512", "ES384", "RS512", ""] {
            let t = token(&json!({"alg": alg}), &json!({}), |_| b"sig".to_vec());
            assert_eq!(Jws::parse(&t).err(), Some(JwsError::AlgNotAllowed), "{alg}");
        }
        // alg=none with an empty signature, the classic form.
        let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(b"{}"));
        assert_eq!(Jws::parse(&none).err(), Some(JwsError::AlgNotAllowed));
    }

    #[test]
    fn key_type_must_match_alg() {
        let key = es256();
        let jwk = es256_jwk(&key, "k1");
        // The same EC key offered for an RSA alg is not a candidate.
        assert!(!jwk.suits(Alg::Rs256));
        let set = JwkSet { keys: vec![jwk] };
        let header: Header = serde_json::from_value(json!({"alg": "RS256", "kid": "k1"})).unwrap();
        assert!(set.find(&header, Alg::Rs256).is_none());
    }

    #[test]
    fn malformed_tokens() {
        for t in ["", "a.b", "a.b.c.d", "!!.e30.", "e30.e30.e30"] {
            assert!(Jws::parse(t).is_err(), "{t}");
        }
        let crit = token(
            &json!({"alg": "ES256", "crit": ["exp"]}),
            &json!({}),
            |_| vec![1],
        );
        assert_eq!(Jws::parse(&crit).err(), Some(JwsError::Malformed));
    }

    #[test]
    fn kid_less_token_needs_a_single_candidate() {
        let (a, b) = (es256(), es256());
        let header: Header = serde_json::from_value(json!({"alg": "ES256"})).unwrap();
        let one = JwkSet {
            keys: vec![es256_jwk(&a, "a")],
        };
        assert!(one.find(&header, Alg::Es256).is_some());
        let two = JwkSet {
            keys: vec![es256_jwk(&a, "a"), es256_jwk(&b, "b")],
        };
        assert!(two.find(&header, Alg::Es256).is_none());
    }
}
