//! ID token validation (OpenID Connect Core §3.1.3.7), stricter than AppAuth:
//! the signature is always checked, and times are judged on the corrected
//! clock so a phone whose clock is hours off still signs in.

use serde::Deserialize;
use serde_json::Value;

use super::jose::{JwkSet, Jws, JwsError};

/// What the token must say, fixed before it is read.
pub(crate) struct Expected<'a> {
    /// The issuer exactly as discovered: no trailing-slash leniency.
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// The nonce sent with the authorization request; `None` on refresh,
    /// where the provider need not repeat it.
    pub nonce: Option<&'a str>,
    /// Seconds since the epoch on the corrected clock.
    pub now: i64,
    /// How far `iat`/`exp` may be off, after correction.
    pub skew: i64,
}

/// The claims the core uses. Others are ignored. Prints without the
/// person's values.
#[derive(Clone, Deserialize)]
pub(crate) struct Claims {
    pub iss: String,
    pub sub: String,
    #[serde(deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    #[serde(default)]
    pub azp: Option<String>,
    pub exp: i64,
    pub iat: i64,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub acr: Option<String>,
    /// When the person authenticated (provider clock, seconds): a level
    /// above L3 holds only for a while after it.
    #[serde(default)]
    pub auth_time: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    /// `legal` for a legal-person (法人) account, whose agent signs in.
    #[serde(default)]
    pub palmgov_account_type: Option<String>,
    /// The organisation a legal-person account acts for.
    #[serde(default)]
    pub palmgov_org_name: Option<String>,
    /// OpenID's standard phone claim, for prefilling forms.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The resident ID number (居民身份证号), for prefilling forms. Held
    /// only inside the sealed session, never logged.
    #[serde(default)]
    pub palmgov_id_number: Option<String>,
    /// OpenID's standard birth date claim (`YYYY-MM-DD`), for prefilling.
    #[serde(default)]
    pub birthdate: Option<String>,
}

crate::redact::redacted!(Claims {
    iss,
    aud,
    azp,
    exp,
    iat,
    acr,
    auth_time
});

/// Why an ID token was refused; each maps to a stable reason string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    Jws(JwsError),
    Claims,
    Issuer,
    Audience,
    AuthorizedParty,
    Nonce,
    Expired,
    IssuedInFuture,
}

impl Rejection {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::Jws(e) => e.reason(),
            Self::Claims => "id_token.claims",
            Self::Issuer => "id_token.iss",
            Self::Audience => "id_token.aud",
            Self::AuthorizedParty => "id_token.azp",
            Self::Nonce => "id_token.nonce",
            Self::Expired => "id_token.expired",
            Self::IssuedInFuture => "id_token.iat",
        }
    }
}

impl From<JwsError> for Rejection {
    fn from(e: JwsError) -> Self {
        Self::Jws(e)
    }
}

/// Verifies the signature against `keys` and every claim against `expected`.
/// An unknown key gives `Jws(UnknownKey)` so the caller can refetch the JWKS
/// once and try again.
pub(crate) fn validate(
    token: &str,
    keys: &JwkSet,
    expected: &Expected<'_>,
) -> Result<Claims, Rejection> {
    let jws = Jws::parse(token)?;
    if jws.header.typ.as_deref().is_some_and(|t| {
        !t.eq_ignore_ascii_case("JWT") && !t.eq_ignore_ascii_case("application/jwt")
    }) {
        // A DPoP proof, logout token or access token is not an ID token.
        return Err(Rejection::Claims);
    }
    let key = keys
        .find(&jws.header, jws.alg)
        .ok_or(JwsError::UnknownKey)?;
    jws.verify(key)?;
    let claims: Claims = serde_json::from_slice(&jws.payload).map_err(|_| Rejection::Claims)?;
    check_claims(&claims, expected)?;
    Ok(claims)
}

fn check_claims(c: &Claims, e: &Expected<'_>) -> Result<(), Rejection> {
    if c.iss != e.issuer {
        return Err(Rejection::Issuer);
    }
    if !c.aud.iter().any(|a| a == e.client_id) {
        return Err(Rejection::Audience);
    }
    // With several audiences azp must name us; when present it always must.
    match &c.azp {
        Some(azp) if azp != e.client_id => return Err(Rejection::AuthorizedParty),
        None if c.aud.len() > 1 => return Err(Rejection::AuthorizedParty),
        _ => {}
    }
    if let Some(nonce) = e.nonce
        && c.nonce.as_deref() != Some(nonce)
    {
        return Err(Rejection::Nonce);
    }
    if c.exp <= e.now - e.skew {
        return Err(Rejection::Expired);
    }
    if c.iat > e.now + e.skew {
        return Err(Rejection::IssuedInFuture);
    }
    if c.sub.is_empty() {
        return Err(Rejection::Claims);
    }
    Ok(())
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(vec![s]),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(serde::de::Error::custom("aud")),
            })
            .collect(),
        _ => Err(serde::de::Error::custom("aud")),
    }
}

#[cfg(test)]
mod tests {
    //! One test per refusal the identity issue lists for ID tokens.
    use super::super::jose::test_keys::*;
    use super::super::jose::{b64, sign_es256};
    use super::*;
    use ring::signature::EcdsaKeyPair;
    use serde_json::{Value, json};

    const ISS: &str = "https://id.example.gov.cn";
    const NOW: i64 = 1_800_000_000;

    struct Fixture {
        key: EcdsaKeyPair,
        keys: JwkSet,
    }

    fn fixture() -> Fixture {
        let key = es256();
        let keys = JwkSet {
            keys: vec![es256_jwk(&key, "k1")],
        };
        Fixture { key, keys }
    }

    fn claims() -> Value {
        json!({
            "iss": ISS, "sub": "u1", "aud": "app", "exp": NOW + 600, "iat": NOW,
            "nonce": "n-1", "acr": "urn:palmgov:loa:3",
        })
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: ISS,
            client_id: "app",
            nonce: Some("n-1"),
            now: NOW,
            skew: 120,
        }
    }

    fn signed(f: &Fixture, payload: &Value) -> String {
        sign_es256(&f.key, &json!({"alg": "ES256", "kid": "k1"}), payload).unwrap()
    }

    fn check(f: &Fixture, payload: Value) -> Result<Claims, Rejection> {
        validate(&signed(f, &payload), &f.keys, &expected())
    }

    fn with(patch: Value) -> Value {
        let mut c = claims();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    }

    #[test]
    fn a_good_token_passes() {
        let f = fixture();
        let c = check(&f, claims()).unwrap();
        assert_eq!(c.sub, "u1");
        assert_eq!(c.acr.as_deref(), Some("urn:palmgov:loa:3"));
    }

    #[test]
    fn alg_none() {
        let f = fixture();
        let t = format!(
            "{}.{}.",
            b64(br#"{"alg":"none"}"#),
            b64(claims().to_string().as_bytes())
        );
        assert_eq!(
            validate(&t, &f.keys, &expected()).unwrap_err().reason(),
            "id_token.alg"
        );
    }

    #[test]
    fn hs256_signed_with_the_public_key() {
        let f = fixture();
        let public = serde_json::to_vec(&f.keys.keys[0].x).unwrap();
        let hmac_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &public);
        let t = token(&json!({"alg": "HS256", "kid": "k1"}), &claims(), |m| {
            ring::hmac::sign(&hmac_key, m).as_ref().to_vec()
        });
        assert_eq!(
            validate(&t, &f.keys, &expected()).unwrap_err().reason(),
            "id_token.alg"
        );
    }

    #[test]
    fn tampered_payload() {
        let f = fixture();
        let t = signed(&f, &claims());
        let mut parts: Vec<String> = t.split('.').map(String::from).collect();
        parts[1] = b64(with(json!({"sub": "mallory"})).to_string().as_bytes());
        assert_eq!(
            validate(&parts.join("."), &f.keys, &expected()).unwrap_err(),
            Rejection::Jws(JwsError::BadSignature)
        );
    }

    #[test]
    fn unknown_kid() {
        let f = fixture();
        let t = sign_es256(
            &f.key,
            &json!({"alg": "ES256", "kid": "rotated"}),
            &claims(),
        )
        .unwrap();
        assert_eq!(
            validate(&t, &f.keys, &expected()).unwrap_err(),
            Rejection::Jws(JwsError::UnknownKey)
        );
    }

    #[test]
    fn wrong_issuer_including_a_trailing_slash() {
        let f = fixture();
        for iss in [format!("{ISS}/"), "https://evil.example".into()] {
            assert_eq!(
                check(&f, with(json!({ "iss": iss }))).unwrap_err(),
                Rejection::Issuer
            );
        }
    }

    #[test]
    fn audience_without_our_client() {
        let f = fixture();
        assert_eq!(
            check(&f, with(json!({"aud": ["other"]}))).unwrap_err(),
            Rejection::Audience
        );
    }

    #[test]
    fn foreign_azp_and_missing_azp_with_several_audiences() {
        let f = fixture();
        assert_eq!(
            check(&f, with(json!({"azp": "other"}))).unwrap_err(),
            Rejection::AuthorizedParty
        );
        assert_eq!(
            check(&f, with(json!({"aud": ["app", "other"]}))).unwrap_err(),
            Rejection::AuthorizedParty
        );
        check(&f, with(json!({"aud": ["app", "other"], "azp": "app"}))).unwrap();
    }

    #[test]
    fn missing_or_mismatched_nonce() {
        let f = fixture();
        assert_eq!(
            check(&f, with(json!({"nonce": null}))).unwrap_err(),
            Rejection::Nonce
        );
        assert_eq!(
            check(&f, with(json!({"nonce": "n-2"}))).unwrap_err(),
            Rejection::Nonce
        );
    }

    #[test]
    fn expired_and_issued_in_the_future() {
        let f = fixture();
        assert_eq!(
            check(&f, with(json!({"exp": NOW - 121, "iat": NOW - 900}))).unwrap_err(),
            Rejection::Expired
        );
        assert_eq!(
            check(&f, with(json!({"iat": NOW + 121, "exp": NOW + 900}))).unwrap_err(),
            Rejection::IssuedInFuture
        );
        // Within the skew both pass.
        check(&f, with(json!({"exp": NOW - 100, "iat": NOW - 700}))).unwrap();
        check(&f, with(json!({"iat": NOW + 100}))).unwrap();
    }

    #[test]
    fn another_token_type_is_not_an_id_token() {
        let f = fixture();
        let t = sign_es256(
            &f.key,
            &json!({"alg": "ES256", "kid": "k1", "typ": "dpop+jwt"}),
            &claims(),
        )
        .unwrap();
        assert_eq!(
            validate(&t, &f.keys, &expected()).unwrap_err(),
            Rejection::Claims
        );
    }
}
