//! Verifying a presentation, offline.

use super::cbor;
use super::{
    CompactError, HashAlg, ItemValue, MAX_CBOR_BYTES, MAX_QR_CHARS, PID_LEN, PREFIX, StatusRef,
    Validity, base45,
};
use crate::keys::{Alg, PublicKey};

/// What the verifier expects.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The verifier's time, Unix seconds.
    pub now: i64,
    /// How long after it was made a presentation is accepted (60 s: the
    /// phone refreshes the code more often than that).
    pub validity_secs: i64,
    /// Tolerated clock difference, both ways, for the presentation's time
    /// and the credential's `iat` and `exp` (30 s or more: phones are
    /// often that far off).
    pub skew_secs: i64,
    /// `(nonce, verifier id)` when the verifier showed a request (a
    /// two-way exchange): the presentation must answer exactly that one.
    /// When `None` (a code scanned as shown), a presentation that answers
    /// a request is refused ([`CompactError::UnexpectedRequest`]): it was
    /// made for another verifier and relayed.
    pub expect_request: Option<(&'a [u8], &'a str)>,
}

/// A verified presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPresentation {
    /// The licence type's short name, as the issuer signed it: whether the
    /// issuer may issue it is the trust list's to say.
    pub licence_type: String,
    /// The issuer id the key was chosen by.
    pub issuer: String,
    /// The issuer's signature algorithm.
    pub alg: Alg,
    /// The MSO's digest algorithm.
    pub hash: HashAlg,
    /// The credential's times and the licence's validity (not judged: see
    /// [`Validity::in_force`]).
    pub validity: Validity,
    /// Where to look the credential's status up (a list id resolves
    /// through the verifier's trust list); not checked here.
    pub status: Option<StatusRef>,
    /// The disclosed claims, in the order shown.
    pub items: Vec<(String, ItemValue)>,
    /// The presentation id, for the caller's replay cache.
    pub pid: [u8; PID_LEN],
    /// When the phone made it, Unix seconds.
    pub time: u64,
    /// The request it answers, `(nonce, verifier id)`.
    pub request: Option<(Vec<u8>, String)>,
}

impl VerifiedPresentation {
    /// The disclosed value of `name`.
    pub fn item(&self, name: &str) -> Option<&ItemValue> {
        self.items.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// What an issued compact licence says, once [`verify_issued`] checked
/// it: for the holder, when it arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedMso {
    pub licence_type: String,
    pub issuer: String,
    pub alg: Alg,
    pub hash: HashAlg,
    /// The holder key the issuer bound it to.
    pub device_key: PublicKey,
    pub validity: Validity,
    pub status: Option<StatusRef>,
}

/// Checks an issued compact licence as the holder receives it: the
/// issuer's signature (the key chosen as in [`verify`]), the MSO's form,
/// and that every item, each once, is the one whose digest the issuer
/// signed. No time is judged: the holder keeps what its issuer gave.
pub fn verify_issued(
    issued: &super::IssuedCompact,
    issuer_key: &dyn Fn(&str, Alg) -> Option<PublicKey>,
) -> Result<IssuedMso, CompactError> {
    let (sign1, mso) = issuer_signed(&issued.issuer_signed, issuer_key)?;
    let encoded = issued
        .items
        .iter()
        .map(cbor::item_bytes)
        .collect::<Result<Vec<_>, _>>()?;
    check_items(&mso, &issued.items, encoded.iter().map(Vec::as_slice))?;
    Ok(IssuedMso {
        licence_type: mso.licence_type,
        issuer: mso.issuer,
        alg: sign1.alg,
        hash: mso.hash,
        device_key: PublicKey::P256(mso.device_key),
        validity: mso.validity,
        status: mso.status,
    })
}

/// Verifies a QR string.
///
/// `issuer_key` is given the MSO's issuer id and the COSE algorithm,
/// neither yet verified, and must answer from the verifier's trust list
/// alone: that issuer's key for that algorithm, `None` for an issuer it
/// does not know. A key of another algorithm is refused.
///
/// Checks, in order:
///
/// 1. the string's length, `PG1:` and Base45;
/// 2. the presentation's CBOR form and limits (no trailing bytes,
///    deterministic encoding);
/// 3. the COSE_Sign1's form and its protected algorithm (the list only);
/// 4. the issuer's signature, by the key chosen for the MSO's issuer id
///    (read from the MSO before the signature: keys 0 to 2 only);
/// 5. the MSO: version 1, digest algorithm, form;
/// 6. each disclosed item: no id or name twice, an id the MSO has a
///    digest for, and that digest;
/// 7. the device signature, by the MSO's device key;
/// 8. the request against `expect_request`;
/// 9. the presentation's time: refused when `time > now + skew` or
///    `now > time + validity_secs + skew`;
/// 10. the credential's: `iat ≤ now + skew` and `now < exp + skew`.
///
/// Not checked: replay (keep the returned `pid`), status (look
/// [`VerifiedPresentation::status`] up), the licence's own validity dates.
pub fn verify(
    qr: &str,
    issuer_key: &dyn Fn(&str, Alg) -> Option<PublicKey>,
    options: &VerifyOptions<'_>,
) -> Result<VerifiedPresentation, CompactError> {
    if qr.len() > MAX_QR_CHARS {
        return Err(CompactError::TooLarge);
    }
    let encoded = qr.strip_prefix(PREFIX).ok_or(CompactError::BadPrefix)?;
    let cbor = base45::decode(encoded).ok_or(CompactError::BadBase45)?;
    verify_cbor(&cbor, issuer_key, options)
}

/// Verifies a presentation's CBOR (the QR string's content, or the same
/// bytes over another channel), as [`verify`] does.
pub fn verify_cbor(
    bytes: &[u8],
    issuer_key: &dyn Fn(&str, Alg) -> Option<PublicKey>,
    options: &VerifyOptions<'_>,
) -> Result<VerifiedPresentation, CompactError> {
    if bytes.len() > MAX_CBOR_BYTES {
        return Err(CompactError::TooLarge);
    }
    let shown = cbor::read_presentation(bytes)?;

    // The issuer's signature, by the key of the issuer the MSO names, and
    // each item one the issuer signed.
    let (sign1, mso) = issuer_signed(shown.issuer_signed, issuer_key)?;
    check_items(&mso, &shown.items, shown.item_cbor.iter().copied())?;

    // The holder's signature over everything shown.
    let message = cbor::device_message(
        shown.issuer_signed,
        &shown.items,
        shown.time,
        &shown.pid,
        shown.request,
    )?;
    PublicKey::P256(mso.device_key.clone())
        .verify(Alg::Es256, &message, shown.device_signature)
        .map_err(|_| CompactError::BadDeviceSignature)?;

    match (options.expect_request, shown.request) {
        (None, None) => {}
        (None, Some(_)) => return Err(CompactError::UnexpectedRequest),
        (Some(_), None) => return Err(CompactError::RequestMissing),
        (Some((nonce, verifier)), Some((got_nonce, got_verifier))) => {
            if got_nonce != nonce {
                return Err(CompactError::WrongNonce);
            }
            if got_verifier != verifier {
                return Err(CompactError::WrongVerifier);
            }
        }
    }

    // Times, in i128: no sum of an i64 and a u64 overflows it.
    let now = i128::from(options.now);
    let skew = i128::from(options.skew_secs.max(0));
    let window = i128::from(options.validity_secs.max(0));
    let time = i128::from(shown.time);
    if time > now + skew {
        return Err(CompactError::FromFuture);
    }
    if now > time + window + skew {
        return Err(CompactError::TooOld);
    }
    if i128::from(mso.validity.iat) > now + skew {
        return Err(CompactError::NotYetValid);
    }
    // Valid while now < exp (as a JWT's `exp`), give or take the skew.
    if now >= i128::from(mso.validity.exp) + skew {
        return Err(CompactError::Expired);
    }

    Ok(VerifiedPresentation {
        licence_type: mso.licence_type,
        issuer: mso.issuer,
        alg: sign1.alg,
        hash: mso.hash,
        validity: mso.validity,
        status: mso.status,
        items: shown
            .items
            .into_iter()
            .map(|item| (item.name, item.value))
            .collect(),
        pid: shown.pid,
        time: shown.time,
        request: shown
            .request
            .map(|(nonce, verifier)| (nonce.to_vec(), verifier.to_owned())),
    })
}

/// The COSE_Sign1 checked under the key chosen for the MSO's issuer id
/// (read before the signature: keys 0 to 2 only), and the MSO it signs.
fn issuer_signed<'b>(
    bytes: &'b [u8],
    issuer_key: &dyn Fn(&str, Alg) -> Option<PublicKey>,
) -> Result<(cbor::Sign1<'b>, cbor::Mso), CompactError> {
    let sign1 = cbor::read_sign1(bytes)?;
    let issuer = cbor::mso_issuer(sign1.payload)?;
    let key = issuer_key(issuer, sign1.alg).ok_or(CompactError::UnknownIssuerKey)?;
    let signed = cbor::sig_structure(sign1.protected, sign1.payload)?;
    key.verify(sign1.alg, &signed, sign1.signature)
        .map_err(|e| match e {
            crate::keys::KeyError::WrongAlg => CompactError::WrongAlg,
            _ => CompactError::BadIssuerSignature,
        })?;
    let mso = cbor::read_mso(sign1.payload)?;
    Ok((sign1, mso))
}

/// Each item (with its CBOR as it came) is one the issuer signed: an id the
/// MSO has a digest for, that digest, no id or name twice.
fn check_items<'a>(
    mso: &cbor::Mso,
    items: &[super::Item],
    encoded: impl Iterator<Item = &'a [u8]>,
) -> Result<(), CompactError> {
    let mut seen: Vec<(u8, &str)> = Vec::with_capacity(items.len());
    for (item, item_cbor) in items.iter().zip(encoded) {
        if seen
            .iter()
            .any(|(id, name)| *id == item.id || *name == item.name)
        {
            return Err(CompactError::DuplicateItem);
        }
        seen.push((item.id, &item.name));
        let digest = mso.digest(item.id).ok_or(CompactError::UnknownItem)?;
        if cbor::item_digest(mso.hash, item_cbor) != *digest {
            return Err(CompactError::TamperedItem);
        }
    }
    Ok(())
}
