//! Presenting: the chosen items, the time, a presentation id and the
//! verifier's request if there is one, under the device key's signature.

use ring::rand::{SecureRandom, SystemRandom};

use super::cbor;
use super::{
    CompactError, Item, MAX_CBOR_BYTES, MAX_ITEMS, MAX_QR_CHARS, MAX_STRING, PID_LEN, PREFIX,
    base45,
};
use crate::keys::{Alg, PublicKey, Signer};

/// A random presentation id (ring's system CSPRNG).
pub fn new_pid() -> Result<[u8; PID_LEN], CompactError> {
    let mut pid = [0; PID_LEN];
    SystemRandom::new()
        .fill(&mut pid)
        .map_err(|_| CompactError::SignFailed)?;
    Ok(pid)
}

/// Makes a presentation of an issued compact licence, as the QR string
/// (`PG1:` + Base45); [`present_cbor`] gives its CBOR.
pub fn present(
    issuer_signed: &[u8],
    items: &[Item],
    time: u64,
    pid: [u8; PID_LEN],
    request: Option<(&[u8], &str)>,
    device: &dyn Signer,
) -> Result<String, CompactError> {
    let cbor = present_cbor(issuer_signed, items, time, pid, request, device)?;
    let qr = format!("{PREFIX}{}", base45::encode(&cbor));
    if qr.len() > MAX_QR_CHARS {
        return Err(CompactError::TooLarge);
    }
    Ok(qr)
}

/// Makes a presentation's CBOR.
///
/// - `issuer_signed`: [`super::IssuedCompact::issuer_signed`]. Its
///   signature is not checked here (the holder did when it arrived); its
///   form is, and the MSO must name `device` as its device key.
/// - `items`: the items to show, from [`super::IssuedCompact::items`], in
///   the order to show them. Each must match its digest in the MSO, and
///   none may come twice.
/// - `time`: now, Unix seconds; `pid`: [`new_pid`].
/// - `request`: the verifier's `(nonce, verifier id)` when it showed one
///   (a two-way exchange); `None` for a code shown to whoever scans it.
/// - `device`: the holder key, ES256, in the phone's keystore.
pub fn present_cbor(
    issuer_signed: &[u8],
    items: &[Item],
    time: u64,
    pid: [u8; PID_LEN],
    request: Option<(&[u8], &str)>,
    device: &dyn Signer,
) -> Result<Vec<u8>, CompactError> {
    if device.alg() != Alg::Es256 {
        return Err(CompactError::BadDeviceKey);
    }
    let sign1 = cbor::read_sign1(issuer_signed)?;
    let mso = cbor::read_mso(sign1.payload)?;
    if device.public_key() != PublicKey::P256(mso.device_key.clone()) {
        return Err(CompactError::WrongDeviceKey);
    }
    if items.len() > MAX_ITEMS {
        return Err(CompactError::LimitExceeded);
    }
    for (position, item) in items.iter().enumerate() {
        if items.iter().take(position).any(|i| i.id == item.id) {
            return Err(CompactError::DuplicateItem);
        }
        let digest = mso.digest(item.id).ok_or(CompactError::UnknownItem)?;
        if cbor::item_digest(mso.hash, &cbor::item_bytes(item)?) != *digest {
            return Err(CompactError::TamperedItem);
        }
    }
    if let Some((nonce, verifier)) = request {
        if nonce.len() > MAX_STRING || verifier.len() > MAX_STRING {
            return Err(CompactError::LimitExceeded);
        }
    }
    let message = cbor::device_message(issuer_signed, items, time, &pid, request)?;
    let signature = device
        .sign(&message)
        .map_err(|_| CompactError::SignFailed)?;
    if signature.len() != 64 {
        return Err(CompactError::SignFailed);
    }
    let out = cbor::presentation_bytes(issuer_signed, items, time, &pid, request, &signature)?;
    if out.len() > MAX_CBOR_BYTES {
        return Err(CompactError::TooLarge);
    }
    Ok(out)
}
