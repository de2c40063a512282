//! Compact JWS (RFC 7515) under the closed algorithm list of [`crate::keys`]:
//! `header.payload.signature`, each part base64url without padding.
//!
//! Written out rather than taken from a JOSE crate for the same reasons as
//! the core's `identity::jose` (no ring backend, or OpenSSL, or a second
//! crypto stack), and because SM2 has no JOSE name any crate knows.
//!
//! What is refused, and when:
//! - before anything is decoded: tokens over [`MAX_TOKEN`] bytes, so a
//!   hostile QR code or HTTP body costs at most one bounded parse;
//! - while parsing: a header that is not a JSON object, an `alg` off the
//!   list (`none` and the HMAC family above all: with HS256 an attacker
//!   would "sign" with the issuer's public key), and a `crit` naming an
//!   extension the caller did not declare it understands (RFC 7515
//!   section 4.1.11 makes that a MUST);
//! - while verifying: a key of another algorithm than the header's, so an
//!   ES256 token is never checked against an SM2 key or the reverse.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::Value;

use crate::keys::{Alg, KeyError, PublicKey, Signer};

/// The largest compact JWS accepted or produced: 64 KiB, well above any
/// licence (a few KB) and far below what could hurt a phone.
pub const MAX_TOKEN: usize = 64 * 1024;

/// Header parameters RFC 7515 registers: `crit` may not name them.
const REGISTERED: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// Why a JWS was refused or could not be made. [`JwsError::reason`] gives
/// stable strings for logs, errors shown to the app and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    #[error("not a compact JWS")]
    Malformed,
    #[error("the token is larger than 64 KiB")]
    TooLarge,
    #[error("the algorithm is not one of ES256, EdDSA or SM2")]
    AlgNotAllowed,
    #[error("the header marks an extension critical that is not understood")]
    CritNotUnderstood,
    #[error("the key is of another algorithm than the token's")]
    WrongAlg,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the signer failed")]
    SignFailed,
}

impl JwsError {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::TooLarge => "too_large",
            Self::AlgNotAllowed => "alg_not_allowed",
            Self::CritNotUnderstood => "crit_not_understood",
            Self::WrongAlg => "wrong_alg",
            Self::BadSignature => "bad_signature",
            Self::SignFailed => "sign_failed",
        }
    }
}

/// Signs `payload` under `header` (a JSON object) with `signer`, returning
/// the compact serialization.
///
/// `alg` is set from the signer. A header that already names an algorithm
/// must name the signer's (`Ed25519` counts as `EdDSA`): a caller who
/// wrote `"alg": "ES256"` and passed an SM2 key has a bug, and a token
/// claiming one algorithm while signed with another would fail everywhere
/// later, far from the cause.
pub fn sign(header: &Value, payload: &[u8], signer: &dyn Signer) -> Result<String, JwsError> {
    let mut header = header.as_object().cloned().ok_or(JwsError::Malformed)?;
    match header.get("alg") {
        None => {
            header.insert("alg".into(), signer.alg().name().into());
        }
        Some(named) => {
            let named = named.as_str().ok_or(JwsError::Malformed)?;
            match Alg::parse(named) {
                Some(alg) if alg == signer.alg() => {}
                Some(_) => return Err(JwsError::WrongAlg),
                None => return Err(JwsError::AlgNotAllowed),
            }
        }
    }
    let header = serde_json::to_vec(&Value::Object(header)).map_err(|_| JwsError::Malformed)?;
    let input = format!("{}.{}", B64.encode(header), B64.encode(payload));
    let signature = signer
        .sign(input.as_bytes())
        .map_err(|_| JwsError::SignFailed)?;
    let token = format!("{input}.{}", B64.encode(signature));
    // Never produce what `parse` would refuse.
    if token.len() > MAX_TOKEN {
        return Err(JwsError::TooLarge);
    }
    Ok(token)
}

/// A compact JWS split and decoded, its algorithm on the list, its
/// signature not yet checked. It borrows the signing input from the token
/// rather than copying it (over a kilobyte for a licence).
#[derive(Debug, Clone)]
pub struct Compact<'a> {
    /// The protected header, a JSON object.
    pub header: Value,
    /// The header's `alg`, parsed.
    pub alg: Alg,
    /// The payload bytes (for a JWT, a JSON object: see [`Compact::claims`]).
    pub payload: Vec<u8>,
    signing_input: &'a str,
    signature: Vec<u8>,
}

impl<'a> Compact<'a> {
    /// Parses a compact JWS whose header marks no extension critical.
    pub fn parse(token: &'a str) -> Result<Self, JwsError> {
        Self::parse_with_crit(token, &[])
    }

    /// Parses a compact JWS, accepting a `crit` header only when every name
    /// in it is in `understood` (and present in the header, and not one of
    /// the registered parameters, as RFC 7515 section 4.1.11 requires).
    pub fn parse_with_crit(token: &'a str, understood: &[&str]) -> Result<Self, JwsError> {
        if token.len() > MAX_TOKEN {
            return Err(JwsError::TooLarge);
        }
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::Malformed);
        };
        let decode = |part: &str| B64.decode(part).map_err(|_| JwsError::Malformed);
        let header: Value = from_json(&decode(h)?).ok_or(JwsError::Malformed)?;
        let object = header.as_object().ok_or(JwsError::Malformed)?;
        let alg = object
            .get("alg")
            .ok_or(JwsError::Malformed)?
            .as_str()
            .ok_or(JwsError::AlgNotAllowed)?;
        let alg = Alg::parse(alg).ok_or(JwsError::AlgNotAllowed)?;
        if let Some(crit) = object.get("crit") {
            let names = crit.as_array().ok_or(JwsError::Malformed)?;
            if names.is_empty() {
                return Err(JwsError::Malformed);
            }
            for name in names {
                let name = name.as_str().ok_or(JwsError::Malformed)?;
                if REGISTERED.contains(&name) || !object.contains_key(name) {
                    return Err(JwsError::Malformed);
                }
                if !understood.contains(&name) {
                    return Err(JwsError::CritNotUnderstood);
                }
            }
        }
        let payload = decode(p)?;
        let signature = decode(s)?;
        Ok(Self {
            header,
            alg,
            payload,
            signing_input: &token[..h.len() + 1 + p.len()],
            signature,
        })
    }

    /// Checks the signature with `key`, which must be of the header's
    /// algorithm.
    pub fn verify(&self, key: &PublicKey) -> Result<(), JwsError> {
        key.verify(self.alg, self.signing_input.as_bytes(), &self.signature)
            .map_err(|e| match e {
                KeyError::WrongAlg => JwsError::WrongAlg,
                _ => JwsError::BadSignature,
            })
    }

    /// The payload as a JWT claims set: a JSON object, or `Malformed`.
    pub fn claims(&self) -> Result<Value, JwsError> {
        let claims: Value = from_json(&self.payload).ok_or(JwsError::Malformed)?;
        if claims.is_object() {
            Ok(claims)
        } else {
            Err(JwsError::Malformed)
        }
    }

    /// The header's `typ`, if it is a string.
    pub fn typ(&self) -> Option<&str> {
        self.header.get("typ").and_then(Value::as_str)
    }

    /// `header.payload`, the bytes the signature covers.
    pub fn signing_input(&self) -> &'a str {
        self.signing_input
    }

    pub fn signature(&self) -> &[u8] {
        &self.signature
    }
}

/// JSON bytes parsed, their UTF-8 checked in one pass first: serde_json's
/// `from_slice` checks each string on its own instead, which cost a sixth
/// of parsing a licence's payload. Invalid UTF-8 is refused either way.
pub(crate) fn from_json<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    serde_json::from_str(std::str::from_utf8(bytes).ok()?).ok()
}

/// Whether a `typ` header value names the media type `expected`: RFC 7515
/// section 4.1.9 lets the `application/` prefix be left out, and media
/// type names compare without regard to case.
pub fn typ_matches(typ: &str, expected: &str) -> bool {
    fn bare(t: &str) -> &str {
        match t.get(..12) {
            Some(prefix) if prefix.eq_ignore_ascii_case("application/") => &t[12..],
            _ => t,
        }
    }
    bare(typ).eq_ignore_ascii_case(bare(expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Ed25519Signer, Es256Signer, Sm2Signer};
    use serde_json::json;

    fn signers() -> Vec<Box<dyn Signer>> {
        vec![
            Box::new(Es256Signer::generate().unwrap()),
            Box::new(Ed25519Signer::generate().unwrap()),
            Box::new(Sm2Signer::generate().unwrap()),
        ]
    }

    /// A token with any header and signature, as an attacker would make it.
    fn forged(header: &Value, payload: &[u8], signature: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            B64.encode(header.to_string()),
            B64.encode(payload),
            B64.encode(signature)
        )
    }

    #[test]
    fn invalid_utf8_in_the_header_or_the_payload_is_malformed() {
        // Inside a string, where a per-string check would look, and
        // outside one.
        for bytes in [&b"{\"a\":\"\xff\"}"[..], b"{\"a\":1}\xc3"] {
            let token = forged(&json!({"alg": "ES256"}), bytes, &[0; 64]);
            let jws = Compact::parse(&token).unwrap();
            assert_eq!(jws.claims().unwrap_err(), JwsError::Malformed);
            let header = format!("{}.{}.AA", B64.encode(bytes), B64.encode(b"{}"));
            assert_eq!(Compact::parse(&header).unwrap_err(), JwsError::Malformed);
        }
        let token = forged(
            &json!({"alg": "ES256"}),
            "{\"名\":\"陈\"}".as_bytes(),
            &[0; 64],
        );
        assert_eq!(
            Compact::parse(&token).unwrap().claims().unwrap(),
            json!({"名": "陈"})
        );
    }

    #[test]
    fn every_algorithm_round_trips_and_tampering_fails() {
        for signer in signers() {
            let token = sign(&json!({"typ": "JWT", "kid": "k"}), b"{\"a\":1}", &*signer).unwrap();
            let jws = Compact::parse(&token).unwrap();
            assert_eq!(jws.alg, signer.alg());
            assert_eq!(jws.header["alg"], signer.alg().name());
            assert_eq!(jws.header["kid"], "k");
            assert_eq!(jws.typ(), Some("JWT"));
            assert_eq!(jws.claims().unwrap(), json!({"a": 1}));
            jws.verify(&signer.public_key()).unwrap();

            let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
            parts[1] = B64.encode(b"{\"a\":2}");
            let tampered = parts.join(".");
            let tampered = Compact::parse(&tampered).unwrap();
            assert_eq!(
                tampered.verify(&signer.public_key()),
                Err(JwsError::BadSignature)
            );
        }
    }

    #[test]
    fn an_algorithm_swap_fails_both_ways() {
        let es = Es256Signer::generate().unwrap();
        let sm = Sm2Signer::generate().unwrap();
        let es_token = sign(&json!({}), b"x", &es).unwrap();
        let sm_token = sign(&json!({}), b"x", &sm).unwrap();
        let err = Compact::parse(&es_token)
            .unwrap()
            .verify(&sm.public_key())
            .unwrap_err();
        assert_eq!(err.reason(), "wrong_alg");
        assert_eq!(
            Compact::parse(&sm_token).unwrap().verify(&es.public_key()),
            Err(JwsError::WrongAlg)
        );
        // Relabelling an SM2-signed token as ES256 makes it an ES256 token
        // with a bad signature, never an SM2 one.
        let mut parts: Vec<String> = sm_token.split('.').map(str::to_owned).collect();
        parts[0] = B64.encode(br#"{"alg":"ES256"}"#);
        let relabelled = parts.join(".");
        let relabelled = Compact::parse(&relabelled).unwrap();
        assert_eq!(relabelled.verify(&sm.public_key()), Err(JwsError::WrongAlg));
    }

    #[test]
    fn sign_refuses_a_header_naming_another_algorithm() {
        let sm = Sm2Signer::generate().unwrap();
        assert_eq!(
            sign(&json!({"alg": "ES256"}), b"x", &sm),
            Err(JwsError::WrongAlg)
        );
        assert_eq!(
            sign(&json!({"alg": "none"}), b"x", &sm),
            Err(JwsError::AlgNotAllowed)
        );
        assert_eq!(sign(&json!([1]), b"x", &sm), Err(JwsError::Malformed));
        assert!(sign(&json!({"alg": "SM2"}), b"x", &sm).is_ok());
        let ed = Ed25519Signer::generate().unwrap();
        let token = sign(&json!({"alg": "Ed25519"}), b"x", &ed).unwrap();
        Compact::parse(&token)
            .unwrap()
            .verify(&ed.public_key())
            .unwrap();
        assert_eq!(
            sign(&json!({}), &vec![b'a'; MAX_TOKEN], &ed),
            Err(JwsError::TooLarge)
        );
    }

    #[test]
    fn algorithms_off_the_list_are_refused_before_any_key() {
        for alg in [
            "none", "HS256", "HS512", "RS256", "ES384", "PS256", "sm2", "",
        ] {
            let token = forged(&json!({"alg": alg}), b"{}", b"sig");
            assert_eq!(
                Compact::parse(&token).unwrap_err().reason(),
                "alg_not_allowed",
                "{alg}"
            );
        }
        let none = format!(
            "{}.{}.",
            B64.encode(br#"{"alg":"none"}"#),
            B64.encode(b"{}")
        );
        assert_eq!(Compact::parse(&none).unwrap_err(), JwsError::AlgNotAllowed);
        let number = forged(&json!({"alg": 256}), b"{}", b"sig");
        assert_eq!(
            Compact::parse(&number).unwrap_err(),
            JwsError::AlgNotAllowed
        );
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let es = Es256Signer::generate().unwrap();
        let good = sign(&json!({}), b"{}", &es).unwrap();
        let mut cases = vec![
            String::new(),
            "a.b".into(),
            "a.b.c.d".into(),
            "!!.e30.".into(),
            format!("{good}="),
            format!("{good}.x"),
            good.replacen('.', "..", 1),
            // Padding is not base64url without padding.
            format!("{}=.e30.AA", B64.encode(br#"{"alg":"ES256"}"#)),
        ];
        for header in [
            json!([1]),
            json!("ES256"),
            json!(null),
            json!({"typ": "JWT"}),
        ] {
            cases.push(forged(&header, b"{}", b"sig"));
        }
        cases.push(format!("{}.e30.AA", B64.encode(br#"{"alg":"ES256""#)));
        for token in cases {
            assert_eq!(
                Compact::parse(&token).unwrap_err().reason(),
                "malformed",
                "{token}"
            );
        }
        let huge = "a".repeat(MAX_TOKEN + 1);
        assert_eq!(Compact::parse(&huge).unwrap_err(), JwsError::TooLarge);
        // A payload that is not an object is fine for a JWS, not for a JWT.
        let array = sign(&json!({}), b"[1]", &es).unwrap();
        assert_eq!(
            Compact::parse(&array).unwrap().claims(),
            Err(JwsError::Malformed)
        );
    }

    #[test]
    fn crit_must_be_understood() {
        let token = forged(
            &json!({"alg": "ES256", "crit": ["exp"], "exp": 1}),
            b"{}",
            b"s",
        );
        assert_eq!(
            Compact::parse(&token).unwrap_err(),
            JwsError::CritNotUnderstood
        );
        assert_eq!(
            Compact::parse(&token).unwrap_err().reason(),
            "crit_not_understood"
        );
        assert!(Compact::parse_with_crit(&token, &["exp"]).is_ok());
        for header in [
            // Names a parameter the header lacks.
            json!({"alg": "ES256", "crit": ["exp"]}),
            // Names a registered parameter.
            json!({"alg": "ES256", "crit": ["kid"], "kid": "k"}),
            json!({"alg": "ES256", "crit": []}),
            json!({"alg": "ES256", "crit": "exp", "exp": 1}),
        ] {
            let token = forged(&header, b"{}", b"s");
            assert_eq!(
                Compact::parse_with_crit(&token, &["exp", "kid"]).unwrap_err(),
                JwsError::Malformed,
                "{header}"
            );
        }
    }

    #[test]
    fn typ_compares_as_a_media_type() {
        assert!(typ_matches("dc+sd-jwt", "dc+sd-jwt"));
        assert!(typ_matches("application/dc+sd-jwt", "dc+sd-jwt"));
        assert!(typ_matches("DC+SD-JWT", "application/dc+sd-jwt"));
        assert!(!typ_matches("vc+sd-jwt", "dc+sd-jwt"));
        assert!(!typ_matches("application/", "dc+sd-jwt"));
        assert!(!typ_matches("应用", "dc+sd-jwt"));
    }
}
