//! Verifying an SD-JWT or a presentation (RFC 9901 sections 7.1 and 7.3,
//! and the SD-JWT VC draft's rules when the token is typed `dc+sd-jwt`).

use serde_json::Value;

use super::disclosure::{Disclosure, HashAlg};
use super::process::{Keep, hash_alg, process, split};
use super::{KbFault, SdJwtError, TYP_KB_JWT, TYP_SD_JWT_VC};
use crate::jws::{Compact, JwsError, typ_matches};
use crate::keys::PublicKey;

/// What the verifier expects.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The verifier's time, seconds since the epoch.
    pub now: i64,
    /// Tolerated clock difference, both ways, for `exp`, `nbf`, `iat` and
    /// the KB-JWT's `iat`: phones are often a minute off, and a wallet
    /// that refuses a fresh licence for that is worse than one that
    /// accepts a licence a minute after it expired.
    pub skew_secs: i64,
    /// The issuer JWT's `typ` (e.g. `dc+sd-jwt`), compared as a media type;
    /// `None` accepts any.
    pub expect_typ: Option<&'a str>,
    /// `(aud, nonce)`: when set, key binding is required and its KB-JWT
    /// must carry exactly these. Whether to require it is the verifier's
    /// policy, never inferred from what the holder sent (section 7.3); when
    /// `None`, a KB-JWT that is present is not judged (but must be one).
    pub key_binding: Option<(&'a str, &'a str)>,
    /// How old a KB-JWT may be (by its `iat`), on top of the skew.
    pub max_kb_age_secs: i64,
}

/// A status list reference (`status.status_list`), for the Token Status
/// List check a verifier should make next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusListRef {
    pub idx: u64,
    pub uri: String,
}

/// A verified SD-JWT.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The issuer JWT's header.
    pub header: Value,
    /// The processed claims: what was disclosed in place of the digests,
    /// undisclosed array elements dropped, `_sd` and `_sd_alg` removed.
    /// The claims the issuer signed in clear are here as signed (the
    /// payload itself is not kept: its members move in here; see
    /// [`super::inspect`] for it).
    pub claims: Value,
    /// What the presentation disclosed, parents before nested ones; empty
    /// from [`verify_claims`], which does not record it.
    pub disclosed: Vec<Disclosure>,
    /// Whether a KB-JWT was required and verified.
    pub key_bound: bool,
    pub hash: HashAlg,
    /// `status.status_list` from the claims, if present.
    pub status: Option<StatusListRef>,
}

impl Verified {
    /// The holder key from `cnf.jwk`, when it is one of the list. Read on
    /// demand: a verifier that does not ask for key binding never needs it.
    pub fn holder_key(&self) -> Option<PublicKey> {
        holder_key(&self.claims)
    }
}

/// Verifies an SD-JWT or a presentation.
///
/// `issuer_key` is given the issuer JWT's header and payload, neither yet
/// verified, to pick the issuer's key (by `iss`, `kid`, `x5c`…): it must
/// decide from trusted configuration, and return `None` for an issuer it
/// does not know. The key's algorithm must be the header's.
///
/// Checks, in order: size and form (the last part empty or a KB-JWT); the
/// header's `alg` (the list only) and `typ`; the signature; `_sd_alg`; every disclosure (section 7.1);
/// `exp`, `nbf` and `iat` against `now` with the skew; for `dc+sd-jwt`,
/// `vct` present and the always-visible claims not disclosable; the
/// `status` reference's form; and when required, the KB-JWT: signed by the
/// `cnf.jwk` key, `typ` `kb+jwt`, `iat` within `max_kb_age_secs` (and not
/// ahead by more than the skew), `aud` and `nonce` equal to the expected
/// ones, and `sd_hash` the digest of the presentation up to its last `~`.
pub fn verify(
    presentation: &str,
    issuer_key: &dyn Fn(&Value, &Value) -> Option<PublicKey>,
    options: &VerifyOptions<'_>,
) -> Result<Verified, SdJwtError> {
    checked(presentation, issuer_key, options, Keep::Records)
}

/// Verifies exactly as [`verify`] does, and gives the same answer, but
/// does not record what was disclosed ([`Verified::disclosed`] is empty):
/// for a holder checking its own licence, which needs the claims and the
/// status reference, not who disclosed what.
pub fn verify_claims(
    presentation: &str,
    issuer_key: &dyn Fn(&Value, &Value) -> Option<PublicKey>,
    options: &VerifyOptions<'_>,
) -> Result<Verified, SdJwtError> {
    checked(presentation, issuer_key, options, Keep::ClaimsOnly)
}

fn checked(
    presentation: &str,
    issuer_key: &dyn Fn(&Value, &Value) -> Option<PublicKey>,
    options: &VerifyOptions<'_>,
    keep: Keep,
) -> Result<Verified, SdJwtError> {
    let parts = split(presentation)?;
    // Section 4: a verifier expecting an SD-JWT checks that the last part
    // is empty. An SD-JWT+KB shown to a verifier that does not need the
    // binding is still accepted (its KB-JWT unjudged), but anything else
    // there is refused: `jwt~disclosure` without the final `~` would
    // otherwise lose its last disclosure silently.
    if let (None, Some(kb_jwt)) = (options.key_binding, parts.kb_jwt) {
        let kb = Compact::parse(kb_jwt).map_err(|_| SdJwtError::Malformed)?;
        if !kb.typ().is_some_and(|typ| typ_matches(typ, TYP_KB_JWT)) {
            return Err(SdJwtError::Malformed);
        }
    }
    let jwt = Compact::parse(parts.jwt)?;
    if let Some(expected) = options.expect_typ {
        if !jwt.typ().is_some_and(|typ| typ_matches(typ, expected)) {
            return Err(SdJwtError::WrongTyp);
        }
    }
    let issuer_payload = jwt.claims()?;
    let key = issuer_key(&jwt.header, &issuer_payload).ok_or(SdJwtError::UnknownIssuerKey)?;
    jwt.verify(&key)?;

    let hash = hash_alg(&issuer_payload)?;
    let vc = jwt.typ().is_some_and(|typ| typ_matches(typ, TYP_SD_JWT_VC));
    if vc && !issuer_payload.get("vct").is_some_and(Value::is_string) {
        return Err(SdJwtError::MissingClaim);
    }
    let processed = process(issuer_payload, &parts.disclosures, hash, keep)?;
    let claims = processed.claims;
    let disclosed: Vec<Disclosure> = processed.found.into_iter().map(|f| f.disclosure).collect();

    check_times(&claims, options)?;
    // SD-JWT VC: like `vct` (checked in the signed payload above), the
    // claims a verifier needs in order to judge the rest may not come from
    // a disclosure, at any depth.
    if vc && processed.visible_only_disclosed {
        return Err(SdJwtError::ClaimNotDisclosable);
    }
    let status = status(&claims)?;
    let key_bound = match options.key_binding {
        None => false,
        Some((aud, nonce)) => {
            let kb_jwt = parts.kb_jwt.ok_or(SdJwtError::KeyBindingRequired)?;
            let holder =
                holder_key(&claims).ok_or(SdJwtError::KeyBindingInvalid(KbFault::NoHolderKey))?;
            check_kb(kb_jwt, &holder, parts.sd_jwt, hash, aud, nonce, options)
                .map_err(SdJwtError::KeyBindingInvalid)?;
            true
        }
    };

    Ok(Verified {
        header: jwt.header,
        claims,
        disclosed,
        key_bound,
        hash,
        status,
    })
}

/// Asserts that [`verify_claims`] answered as [`verify`] did: the same
/// error, or the same claims, header, status and binding. For the tests and
/// the fuzz targets.
#[cfg(any(test, feature = "fuzzing"))]
pub fn assert_same_answer(
    full: &Result<Verified, SdJwtError>,
    claims_only: &Result<Verified, SdJwtError>,
) {
    match (full, claims_only) {
        (Err(a), Err(b)) => assert_eq!(a, b, "verify and verify_claims refused differently"),
        (Ok(a), Ok(b)) => {
            assert_eq!(a.claims, b.claims);
            assert_eq!(a.header, b.header);
            assert_eq!(a.status, b.status);
            assert_eq!((a.key_bound, a.hash), (b.key_bound, b.hash));
            assert!(b.disclosed.is_empty());
        }
        (a, b) => panic!(
            "verify and verify_claims disagree: {:?} against {:?}",
            a.as_ref().err(),
            b.as_ref().err()
        ),
    }
}

/// A NumericDate (RFC 7519): seconds, possibly fractional; truncated.
fn numeric_date(claims: &Value, name: &str) -> Result<Option<i64>, SdJwtError> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => {
            if let Some(i) = v.as_i64() {
                Ok(Some(i))
            } else if let Some(f) = v.as_f64().filter(|f| f.is_finite()) {
                // `as` saturates: a date beyond i64 stays beyond any `now`.
                Ok(Some(f as i64))
            } else {
                Err(SdJwtError::Malformed)
            }
        }
    }
}

fn check_times(claims: &Value, options: &VerifyOptions<'_>) -> Result<(), SdJwtError> {
    let now = options.now;
    let skew = options.skew_secs.max(0);
    if let Some(exp) = numeric_date(claims, "exp")? {
        // Valid while now < exp (RFC 7519 section 4.1.4), give or take skew.
        if now.saturating_sub(skew) >= exp {
            return Err(SdJwtError::Expired);
        }
    }
    if let Some(nbf) = numeric_date(claims, "nbf")? {
        if now.saturating_add(skew) < nbf {
            return Err(SdJwtError::NotYetValid);
        }
    }
    // Issued in the future: an issuer's clock or a forgery; refused too.
    if let Some(iat) = numeric_date(claims, "iat")? {
        if now.saturating_add(skew) < iat {
            return Err(SdJwtError::NotYetValid);
        }
    }
    Ok(())
}

/// `status.status_list {idx, uri}`, when present; another status
/// mechanism is left to the caller.
fn status(claims: &Value) -> Result<Option<StatusListRef>, SdJwtError> {
    let Some(list) = claims.get("status").and_then(|s| s.get("status_list")) else {
        return Ok(None);
    };
    match (
        list.get("idx").and_then(Value::as_u64),
        list.get("uri").and_then(Value::as_str),
    ) {
        (Some(idx), Some(uri)) => Ok(Some(StatusListRef {
            idx,
            uri: uri.to_owned(),
        })),
        _ => Err(SdJwtError::Malformed),
    }
}

/// The holder key of `cnf.jwk` (RFC 7800), if it is a key of the list;
/// other confirmation methods give none.
pub(crate) fn holder_key(claims: &Value) -> Option<PublicKey> {
    let jwk = claims.get("cnf")?.get("jwk")?;
    PublicKey::from_jwk(jwk).ok()
}

fn check_kb(
    kb_jwt: &str,
    holder: &PublicKey,
    sd_jwt: &str,
    hash: HashAlg,
    aud: &str,
    nonce: &str,
    options: &VerifyOptions<'_>,
) -> Result<(), KbFault> {
    let jws = Compact::parse(kb_jwt).map_err(|e| match e {
        JwsError::AlgNotAllowed => KbFault::Alg,
        _ => KbFault::Malformed,
    })?;
    // The signature first: nothing in an unsigned token is worth judging.
    jws.verify(holder).map_err(|_| KbFault::Signature)?;
    if !jws.typ().is_some_and(|typ| typ_matches(typ, TYP_KB_JWT)) {
        return Err(KbFault::Typ);
    }
    let claims = jws.claims().map_err(|_| KbFault::Malformed)?;
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or(KbFault::Malformed)?;
    let skew = options.skew_secs.max(0);
    let oldest = options
        .now
        .saturating_sub(options.max_kb_age_secs.max(0))
        .saturating_sub(skew);
    if iat < oldest || iat > options.now.saturating_add(skew) {
        return Err(KbFault::Iat);
    }
    // `aud` must be a single string (section 4.3), not an array.
    if claims.get("aud").and_then(Value::as_str) != Some(aud) {
        return Err(KbFault::Aud);
    }
    if claims.get("nonce").and_then(Value::as_str) != Some(nonce) {
        return Err(KbFault::Nonce);
    }
    if claims.get("sd_hash").and_then(Value::as_str)
        != Some(hash.b64_digest(sd_jwt.as_bytes()).as_str())
    {
        return Err(KbFault::SdHash);
    }
    Ok(())
}
