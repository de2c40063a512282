//! The verifier's request, for two-way 亮证: a kiosk or a clerk's app shows
//! a QR code naming itself, a fresh nonce and the items it asks for,
//! signed by its key on the trust list; the phone shows the person who is
//! asking and what for, and its presentation's device signature covers
//! that nonce and that verifier id ([`super::present`]'s `request`). A
//! screenshot of the phone's code, or a code relayed from elsewhere, then
//! fails at any other verifier, and at this one for any other nonce.
//!
//! `PGR1:` + Base45 of the CBOR `[verifier: tstr, nonce: bstr .size 16,
//! asks: [* tstr], time: uint, alg: int (COSE), signature: bstr]`, the
//! signature over `CBOR(["PGR1-request", verifier, nonce, asks, time])`,
//! by the verifier's key for `alg` (ES256, EdDSA or SM2, as the trust list
//! names it). Read strictly, as the presentation is.

use ring::rand::{SecureRandom, SystemRandom};

use super::{
    CompactError, MAX_CBOR_BYTES, MAX_ITEMS, MAX_QR_CHARS, MAX_STRING, NONCE_LEN, base45, cbor,
};
use crate::keys::{Alg, PublicKey, Signer};

/// The request QR string's prefix.
pub const REQUEST_PREFIX: &str = "PGR1:";

/// A fresh random nonce for a request (ring's system CSPRNG).
pub fn new_nonce() -> Result<[u8; NONCE_LEN], CompactError> {
    let mut nonce = [0; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| CompactError::SignFailed)?;
    Ok(nonce)
}

/// Makes a request QR string: `verifier` (its id on the trust list) asks
/// for the items named in `asks`, at `time` (Unix seconds), under `nonce`
/// ([`new_nonce`], one per request).
pub fn make_request(
    verifier: &str,
    nonce: &[u8; NONCE_LEN],
    asks: &[String],
    time: u64,
    signer: &dyn Signer,
) -> Result<String, CompactError> {
    if asks.len() > MAX_ITEMS
        || verifier.len() > MAX_STRING
        || asks.iter().any(|a| a.is_empty() || a.len() > MAX_STRING)
    {
        return Err(CompactError::LimitExceeded);
    }
    let message = cbor::request_message(verifier, nonce, asks, time)?;
    let signature = signer
        .sign(&message)
        .map_err(|_| CompactError::SignFailed)?;
    let bytes = cbor::request_bytes(verifier, nonce, asks, time, signer.alg(), &signature)?;
    let qr = format!("{REQUEST_PREFIX}{}", base45::encode(&bytes));
    if qr.len() > MAX_QR_CHARS {
        return Err(CompactError::TooLarge);
    }
    Ok(qr)
}

/// A request whose signature held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRequest {
    pub verifier: String,
    pub nonce: [u8; NONCE_LEN],
    /// The items asked for, by name, as the verifier listed them.
    pub asks: Vec<String>,
    pub time: u64,
}

/// Checks a scanned request: its form, the verifier's key on the trust
/// list (`verifier_key`, given the verifier id and the algorithm, `None`
/// for one it does not know), the signature, and its time: refused when
/// older than `max_age_secs` or ahead by more than `skew_secs`. Whether
/// the verifier may ask for these items is the trust list's to say.
pub fn verify_request(
    qr: &str,
    verifier_key: &dyn Fn(&str, Alg) -> Option<PublicKey>,
    now: i64,
    max_age_secs: i64,
    skew_secs: i64,
) -> Result<VerifiedRequest, CompactError> {
    if qr.len() > MAX_QR_CHARS {
        return Err(CompactError::TooLarge);
    }
    let encoded = qr
        .strip_prefix(REQUEST_PREFIX)
        .ok_or(CompactError::BadRequestPrefix)?;
    let bytes = base45::decode(encoded).ok_or(CompactError::BadBase45)?;
    if bytes.len() > MAX_CBOR_BYTES {
        return Err(CompactError::TooLarge);
    }
    let parts = cbor::read_request(&bytes)?;
    let key = verifier_key(parts.verifier, parts.alg).ok_or(CompactError::UnknownVerifier)?;
    let message = cbor::request_message(parts.verifier, &parts.nonce, &parts.asks, parts.time)?;
    key.verify(parts.alg, &message, parts.signature)
        .map_err(|e| match e {
            crate::keys::KeyError::WrongAlg => CompactError::WrongAlg,
            _ => CompactError::BadVerifierSignature,
        })?;
    let (now, time) = (i128::from(now), i128::from(parts.time));
    if time > now + i128::from(skew_secs.max(0))
        || now > time + i128::from(max_age_secs.max(0)) + i128::from(skew_secs.max(0))
    {
        return Err(CompactError::StaleRequest);
    }
    Ok(VerifiedRequest {
        verifier: parts.verifier.to_owned(),
        nonce: parts.nonce,
        asks: parts.asks,
        time: parts.time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Ed25519Signer, Es256Signer, Sm2Signer};

    const NOW: i64 = 1_800_000_000;
    const KIOSK: &str = "urn:palmgov:verifier:330106:xihu-service-hall";

    fn asks() -> Vec<String> {
        vec!["name".into(), "id_number_last4".into()]
    }

    fn trusted(key: PublicKey) -> impl Fn(&str, Alg) -> Option<PublicKey> {
        move |id: &str, _| (id == KIOSK).then(|| key.clone())
    }

    fn reason<T>(r: Result<T, CompactError>) -> &'static str {
        r.err().map(|e| e.reason()).unwrap_or("accepted")
    }

    #[test]
    fn a_request_round_trips_under_each_algorithm() {
        let signers: Vec<Box<dyn Signer>> = vec![
            Box::new(Es256Signer::generate().unwrap()),
            Box::new(Ed25519Signer::generate().unwrap()),
            Box::new(Sm2Signer::generate().unwrap()),
        ];
        for signer in signers {
            let nonce = new_nonce().unwrap();
            let qr = make_request(KIOSK, &nonce, &asks(), NOW as u64, signer.as_ref()).unwrap();
            assert!(qr.starts_with(REQUEST_PREFIX));
            assert!(super::super::is_qr_alphanumeric(&qr));
            let request =
                verify_request(&qr, &trusted(signer.public_key()), NOW + 10, 300, 30).unwrap();
            assert_eq!(request.verifier, KIOSK);
            assert_eq!(request.nonce, nonce);
            assert_eq!(request.asks, asks());
        }
    }

    #[test]
    fn each_refusal() {
        let kiosk = Es256Signer::generate().unwrap();
        let nonce = new_nonce().unwrap();
        let qr = make_request(KIOSK, &nonce, &asks(), NOW as u64, &kiosk).unwrap();
        let key = trusted(kiosk.public_key());
        let check = |qr: &str| reason(verify_request(qr, &key, NOW, 300, 30));
        assert_eq!(check(&qr), "accepted");
        assert_eq!(
            check(&qr.replacen("PGR1:", "PG1:", 1)),
            "bad_request_prefix"
        );
        assert_eq!(check("PGR1:~~"), "bad_base45");
        // Cut short: not Base45, or Base45 of a truncated structure.
        assert!(matches!(
            check(&qr[..qr.len() - 3]),
            "bad_base45" | "malformed"
        ));
        // Another verifier's key, and one not on the list.
        let other = Es256Signer::generate().unwrap();
        assert_eq!(
            reason(verify_request(
                &qr,
                &trusted(other.public_key()),
                NOW,
                300,
                30
            )),
            "bad_verifier_signature"
        );
        assert_eq!(
            reason(verify_request(&qr, &|_, _| None, NOW, 300, 30)),
            "unknown_verifier"
        );
        // An SM2 key named for an ES256 request: the algorithm swap.
        let sm2 = Sm2Signer::generate().unwrap();
        assert_eq!(
            reason(verify_request(
                &qr,
                &trusted(sm2.public_key()),
                NOW,
                300,
                30
            )),
            "wrong_alg"
        );
        // Old, and from the future.
        assert_eq!(
            reason(verify_request(&qr, &key, NOW + 331, 300, 30)),
            "stale_request"
        );
        assert_eq!(
            reason(verify_request(&qr, &key, NOW - 31, 300, 30)),
            "stale_request"
        );
        // Another nonce under the same signature.
        let bytes = base45::decode(&qr[REQUEST_PREFIX.len()..]).unwrap();
        let mut forged = bytes.clone();
        let at = forged.windows(NONCE_LEN).position(|w| w == nonce).unwrap();
        forged[at] ^= 1;
        let forged = format!("{REQUEST_PREFIX}{}", base45::encode(&forged));
        assert_eq!(check(&forged), "bad_verifier_signature");
        // Trailing bytes.
        let mut longer = bytes;
        longer.push(0);
        assert_eq!(
            check(&format!("{REQUEST_PREFIX}{}", base45::encode(&longer))),
            "trailing_bytes"
        );
    }

    #[test]
    fn mangled_requests_never_panic() {
        let kiosk = Es256Signer::generate().unwrap();
        let qr = make_request(KIOSK, &new_nonce().unwrap(), &asks(), NOW as u64, &kiosk).unwrap();
        let bytes = base45::decode(&qr[REQUEST_PREFIX.len()..]).unwrap();
        let key = trusted(kiosk.public_key());
        for cut in 0..bytes.len() {
            let s = format!("{REQUEST_PREFIX}{}", base45::encode(&bytes[..cut]));
            assert!(verify_request(&s, &key, NOW, 300, 30).is_err());
        }
        for i in 0..bytes.len() {
            for flip in [1u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                let s = format!("{REQUEST_PREFIX}{}", base45::encode(&b));
                let _ = verify_request(&s, &key, NOW, 300, 30);
            }
        }
    }
}
