//! Presenting an SD-JWT: choosing disclosures, binding to a verifier.

use serde_json::json;

use super::pointer::PathSegment;
use super::process::{Keep, hash_alg, process, split};
use super::verify::holder_key;
use super::{KbFault, MAX_PRESENTATION, SdJwtError, TYP_KB_JWT};
use crate::jws::{self, Compact};
use crate::keys::Signer;

/// What a key-binding JWT says and who signs it: the verifier's `aud` and
/// `nonce`, the time (`iat`, seconds since the epoch), and the holder key
/// named in the SD-JWT's `cnf`.
pub struct KeyBindingInput<'a> {
    pub aud: &'a str,
    pub nonce: &'a str,
    pub iat: i64,
    pub signer: &'a dyn Signer,
}

/// Makes a presentation of an issued SD-JWT.
///
/// `disclose` is asked about every disclosure's path (see
/// [`super::Disclosure::path`]; [`super::by_pointers`] builds one from JSON
/// pointers). A disclosure nested in another is kept only if that one is
/// kept too: without its parent it would reference nothing, and a
/// verifier must refuse it (RFC 9901 section 4.2.6).
///
/// With `key_binding`, a KB-JWT (`typ: kb+jwt`, `iat`, `aud`, `nonce`,
/// `sd_hash`) is appended, signed by the holder key, which must be the one
/// the SD-JWT names in `cnf.jwk`; `sd_hash` covers the presentation up to
/// and including the last `~`, with the SD-JWT's digest algorithm.
///
/// The issuer's signature is not checked here: the holder did that when
/// the credential arrived ([`super::verify`]). The structure is, so a
/// broken SD-JWT is refused rather than presented.
pub fn present(
    sd_jwt: &str,
    disclose: &dyn Fn(&[PathSegment]) -> bool,
    key_binding: Option<KeyBindingInput<'_>>,
) -> Result<String, SdJwtError> {
    let parts = split(sd_jwt)?;
    // An issuer sends an SD-JWT, never an SD-JWT+KB (section 7.2).
    if parts.kb_jwt.is_some() {
        return Err(SdJwtError::UnexpectedKeyBinding);
    }
    let jwt = Compact::parse(parts.jwt)?;
    let payload = jwt.claims()?;
    let hash = hash_alg(&payload)?;
    let processed = process(payload, &parts.disclosures, hash, Keep::Records)?;

    // Parents come before the disclosures nested in them.
    let mut kept = vec![false; processed.found.len()];
    let mut keep_input = vec![false; parts.disclosures.len()];
    for (i, found) in processed.found.iter().enumerate() {
        let parent_kept = found
            .parent
            .is_none_or(|p| kept.get(p).copied().unwrap_or(false));
        kept[i] = parent_kept && disclose(&found.disclosure.path);
        keep_input[found.input] = kept[i];
    }
    let mut out = String::with_capacity(sd_jwt.len());
    out.push_str(parts.jwt);
    out.push('~');
    for (d, keep) in parts.disclosures.iter().zip(&keep_input) {
        if *keep {
            out.push_str(d);
            out.push('~');
        }
    }

    if let Some(kb) = key_binding {
        match holder_key(&processed.claims) {
            Some(key) if key == kb.signer.public_key() => {}
            Some(_) => return Err(SdJwtError::KeyBindingInvalid(KbFault::HolderKey)),
            None => return Err(SdJwtError::KeyBindingInvalid(KbFault::NoHolderKey)),
        }
        let claims = json!({
            "iat": kb.iat,
            "aud": kb.aud,
            "nonce": kb.nonce,
            "sd_hash": hash.b64_digest(out.as_bytes()),
        });
        let claims = serde_json::to_vec(&claims).map_err(|_| SdJwtError::Malformed)?;
        let kb_jwt = jws::sign(&json!({"typ": TYP_KB_JWT}), &claims, kb.signer)?;
        out.push_str(&kb_jwt);
    }
    if out.len() > MAX_PRESENTATION {
        return Err(SdJwtError::TooLarge);
    }
    Ok(out)
}
