//! The CBOR of the compact form on minicbor: writing items, the MSO, the
//! COSE_Sign1 and the presentation in deterministic encoding, and reading
//! them back within the limits. Each reader walks one fixed shape (no
//! recursion, no generic skip), and anything else is refused.

use std::convert::Infallible;

use minicbor::data::{Tag, Type};
use minicbor::{Decoder, Encoder};

use super::{
    CompactError, DATE_TAG, DEVICE_CONTEXT, DIGEST_LEN, HashAlg, Item, ItemValue, MAX_ITEMS,
    MAX_STRING, PID_LEN, SALT_LEN, StatusListId, StatusRef, VERSION, Validity,
};
use crate::keys::Alg;

type Enc = Encoder<Vec<u8>>;
type Written = Result<(), minicbor::encode::Error<Infallible>>;

/// The bytes `write` makes. Writing to a `Vec` cannot fail; were it to,
/// nothing would be signed or sent.
fn build(write: impl FnOnce(&mut Enc) -> Written) -> Result<Vec<u8>, CompactError> {
    let mut e = Encoder::new(Vec::new());
    write(&mut e).map_err(|_| CompactError::Malformed)?;
    Ok(e.into_writer())
}

/// A strict reader over one CBOR structure.
pub(crate) struct Reader<'b> {
    d: Decoder<'b>,
}

fn bad<E>(_: E) -> CompactError {
    CompactError::Malformed
}

impl<'b> Reader<'b> {
    pub fn new(bytes: &'b [u8]) -> Self {
        Self {
            d: Decoder::new(bytes),
        }
    }

    fn datatype(&self) -> Result<Type, CompactError> {
        self.d.datatype().map_err(bad)
    }

    /// A definite-length array of exactly `len` elements.
    fn array(&mut self, len: u64) -> Result<(), CompactError> {
        match self.d.array().map_err(bad)? {
            Some(n) if n == len => Ok(()),
            _ => Err(CompactError::Malformed),
        }
    }

    /// A definite-length array or map header of at most `max` entries.
    fn count(&mut self, map: bool, max: usize) -> Result<usize, CompactError> {
        let n = if map { self.d.map() } else { self.d.array() }
            .map_err(bad)?
            .ok_or(CompactError::Malformed)?;
        match usize::try_from(n) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(CompactError::LimitExceeded),
        }
    }

    fn uint(&mut self) -> Result<u64, CompactError> {
        self.d.u64().map_err(bad)
    }

    /// A map key, which must be `key`.
    fn key(&mut self, key: u64) -> Result<(), CompactError> {
        if self.uint()? == key {
            Ok(())
        } else {
            Err(CompactError::Malformed)
        }
    }

    /// A text string of at most [`MAX_STRING`] bytes.
    fn text(&mut self) -> Result<&'b str, CompactError> {
        let s = self.d.str().map_err(bad)?;
        if s.len() > MAX_STRING {
            return Err(CompactError::LimitExceeded);
        }
        Ok(s)
    }

    /// A byte string of at most [`MAX_STRING`] bytes.
    fn bytes(&mut self) -> Result<&'b [u8], CompactError> {
        let b = self.nested()?;
        if b.len() > MAX_STRING {
            return Err(CompactError::LimitExceeded);
        }
        Ok(b)
    }

    /// A byte string holding a structure (the COSE_Sign1, the MSO): as long
    /// as the input allows, which is bounded.
    fn nested(&mut self) -> Result<&'b [u8], CompactError> {
        self.d.bytes().map_err(bad)
    }

    /// A byte string of exactly `N` bytes.
    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], CompactError> {
        self.bytes()?.try_into().map_err(bad)
    }

    /// Refuses what follows the structure.
    fn finish(&self) -> Result<(), CompactError> {
        if self.d.position() == self.d.input().len() {
            Ok(())
        } else {
            Err(CompactError::TrailingBytes)
        }
    }

    fn position(&self) -> usize {
        self.d.position()
    }
}

// ---- items ----

fn write_item(e: &mut Enc, item: &Item) -> Written {
    e.array(4)?
        .u8(item.id)?
        .bytes(&item.salt)?
        .str(&item.name)?;
    match &item.value {
        ItemValue::Text(s) => e.str(s)?,
        ItemValue::Bool(b) => e.bool(*b)?,
        ItemValue::Uint(n) => e.u64(*n)?,
        ItemValue::Date(days) => e.tag(Tag::new(DATE_TAG))?.i32(*days)?,
    };
    Ok(())
}

pub(crate) fn item_bytes(item: &Item) -> Result<Vec<u8>, CompactError> {
    build(|e| write_item(e, item))
}

/// The digest of an item as the MSO holds it: the first 16 bytes of its
/// CBOR's digest.
pub(crate) fn item_digest(hash: HashAlg, item_cbor: &[u8]) -> [u8; DIGEST_LEN] {
    let full = hash.digest(item_cbor);
    let mut out = [0; DIGEST_LEN];
    for (o, f) in out.iter_mut().zip(full) {
        *o = f;
    }
    out
}

fn read_item(r: &mut Reader<'_>) -> Result<Item, CompactError> {
    r.array(4)?;
    let id = u8::try_from(r.uint()?).map_err(bad)?;
    let salt = r.fixed::<SALT_LEN>()?;
    let name = r.text()?.to_owned();
    let value = match r.datatype()? {
        Type::String => ItemValue::Text(r.text()?.to_owned()),
        Type::Bool => ItemValue::Bool(r.d.bool().map_err(bad)?),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => ItemValue::Uint(r.uint()?),
        Type::Tag => {
            if r.d.tag().map_err(bad)? != Tag::new(DATE_TAG) {
                return Err(CompactError::Malformed);
            }
            let days = r.d.i64().map_err(bad)?;
            ItemValue::Date(i32::try_from(days).map_err(bad)?)
        }
        _ => return Err(CompactError::Malformed),
    };
    Ok(Item {
        id,
        salt,
        name,
        value,
    })
}

// ---- MSO ----

/// The MSO, as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mso {
    pub licence_type: String,
    pub issuer: String,
    pub hash: HashAlg,
    /// Ascending by id, ids distinct.
    pub digests: Vec<(u8, [u8; DIGEST_LEN])>,
    /// `04‖x‖y`, 65 bytes.
    pub device_key: Vec<u8>,
    pub validity: Validity,
    pub status: Option<StatusRef>,
}

impl Mso {
    pub fn digest(&self, id: u8) -> Option<&[u8; DIGEST_LEN]> {
        self.digests
            .binary_search_by_key(&id, |(i, _)| *i)
            .ok()
            .and_then(|at| self.digests.get(at))
            .map(|(_, d)| d)
    }
}

fn hash_code(hash: HashAlg) -> u8 {
    match hash {
        HashAlg::Sha256 => 0,
        HashAlg::Sm3 => 1,
    }
}

pub(crate) fn mso_bytes(mso: &Mso) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.map(if mso.status.is_some() { 8 } else { 7 })?;
        e.u8(0)?.u64(VERSION)?;
        e.u8(1)?.str(&mso.licence_type)?;
        e.u8(2)?.str(&mso.issuer)?;
        e.u8(3)?.u8(hash_code(mso.hash))?;
        e.u8(4)?.map(mso.digests.len() as u64)?;
        for (id, digest) in &mso.digests {
            e.u8(*id)?.bytes(digest)?;
        }
        e.u8(5)?.bytes(&mso.device_key)?;
        let v = &mso.validity;
        e.u8(6)?
            .array(4)?
            .u64(v.iat)?
            .u64(v.exp)?
            .u32(v.valid_from)?
            .u32(v.valid_until)?;
        if let Some(status) = &mso.status {
            e.u8(7)?.array(2)?.u64(status.idx)?;
            match &status.list {
                StatusListId::Id(id) => e.u32(*id)?,
                StatusListId::Uri(uri) => e.str(uri)?,
            };
        }
        Ok(())
    })
}

/// The issuer id (key 2) of an MSO not yet verified, to pick the key
/// that verifies it: keys 0 to 2 lead every version's map.
pub(crate) fn mso_issuer(payload: &[u8]) -> Result<&str, CompactError> {
    let mut r = Reader::new(payload);
    if r.count(true, usize::MAX)? < 3 {
        return Err(CompactError::Malformed);
    }
    r.key(0)?;
    r.uint()?;
    r.key(1)?;
    r.text()?;
    r.key(2)?;
    r.text()
}

/// The MSO, once its signature verified: version 1 only, every field of
/// the table in order, nothing else, in deterministic encoding.
pub(crate) fn read_mso(payload: &[u8]) -> Result<Mso, CompactError> {
    let mut r = Reader::new(payload);
    let entries = r.count(true, usize::MAX)?;
    r.key(0)?;
    if r.uint()? != VERSION {
        return Err(CompactError::UnsupportedVersion);
    }
    if !(7..=8).contains(&entries) {
        return Err(CompactError::Malformed);
    }
    r.key(1)?;
    let licence_type = r.text()?.to_owned();
    r.key(2)?;
    let issuer = r.text()?.to_owned();
    r.key(3)?;
    let hash = match r.uint()? {
        0 => HashAlg::Sha256,
        1 => HashAlg::Sm3,
        _ => return Err(CompactError::HashAlgNotAllowed),
    };
    r.key(4)?;
    let n = r.count(true, MAX_ITEMS)?;
    let mut digests: Vec<(u8, [u8; DIGEST_LEN])> = Vec::with_capacity(n);
    for _ in 0..n {
        let id = u8::try_from(r.uint()?).map_err(bad)?;
        let digest = r.fixed::<DIGEST_LEN>()?;
        // Ascending: a repeated id is refused here too.
        if digests.last().is_some_and(|(last, _)| *last >= id) {
            return Err(CompactError::Malformed);
        }
        digests.push((id, digest));
    }
    r.key(5)?;
    let device_key = r.fixed::<65>()?;
    if device_key.first() != Some(&0x04) {
        return Err(CompactError::Malformed);
    }
    r.key(6)?;
    r.array(4)?;
    let validity = Validity {
        iat: r.uint()?,
        exp: r.uint()?,
        valid_from: u32::try_from(r.uint()?).map_err(bad)?,
        valid_until: u32::try_from(r.uint()?).map_err(bad)?,
    };
    let status = if entries == 8 {
        r.key(7)?;
        r.array(2)?;
        let idx = r.uint()?;
        let list = match r.datatype()? {
            Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
                StatusListId::Id(u32::try_from(r.uint()?).map_err(bad)?)
            }
            Type::String => StatusListId::Uri(r.text()?.to_owned()),
            _ => return Err(CompactError::Malformed),
        };
        Some(StatusRef { idx, list })
    } else {
        None
    };
    r.finish()?;
    let mso = Mso {
        licence_type,
        issuer,
        hash,
        digests,
        device_key: device_key.to_vec(),
        validity,
        status,
    };
    if mso_bytes(&mso)? != payload {
        return Err(CompactError::NotCanonical);
    }
    Ok(mso)
}

// ---- COSE_Sign1 ----

/// The protected header: `{1: alg}`.
pub(crate) fn protected_header(alg: Alg) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.map(1)?.u8(1)?.i64(alg.cose())?;
        Ok(())
    })
}

/// What the issuer signs (RFC 9052 section 4.4).
pub(crate) fn sig_structure(protected: &[u8], payload: &[u8]) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.array(4)?
            .str("Signature1")?
            .bytes(protected)?
            .bytes(&[])?
            .bytes(payload)?;
        Ok(())
    })
}

pub(crate) fn sign1_bytes(
    protected: &[u8],
    payload: &[u8],
    signature: &[u8],
) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.array(4)?
            .bytes(protected)?
            .map(0)?
            .bytes(payload)?
            .bytes(signature)?;
        Ok(())
    })
}

/// A COSE_Sign1, read.
pub(crate) struct Sign1<'b> {
    pub alg: Alg,
    pub protected: &'b [u8],
    pub payload: &'b [u8],
    pub signature: &'b [u8],
}

pub(crate) fn read_sign1(bytes: &[u8]) -> Result<Sign1<'_>, CompactError> {
    let mut r = Reader::new(bytes);
    // Untagged: a tag 18 is refused with the rest.
    r.array(4)?;
    let protected = r.nested()?;
    // The unprotected header: empty, since nothing in it would be
    // authenticated.
    if r.count(true, MAX_ITEMS) != Ok(0) {
        return Err(CompactError::Malformed);
    }
    let payload = r.nested()?;
    let signature = r.bytes()?;
    r.finish()?;
    if sign1_bytes(protected, payload, signature)? != bytes {
        return Err(CompactError::NotCanonical);
    }
    // The protected header: the algorithm, and nothing else understood.
    let mut h = Reader::new(protected);
    if h.count(true, MAX_ITEMS) != Ok(1) {
        return Err(CompactError::Malformed);
    }
    h.key(1)?;
    let value = h.d.i64().map_err(bad)?;
    h.finish()?;
    let alg = Alg::from_cose(value).ok_or(CompactError::AlgNotAllowed)?;
    if protected_header(alg)? != protected {
        return Err(CompactError::NotCanonical);
    }
    Ok(Sign1 {
        alg,
        protected,
        payload,
        signature,
    })
}

// ---- presentation ----

/// A presentation, read (the device signature not yet checked).
pub(crate) struct Presentation<'b> {
    pub issuer_signed: &'b [u8],
    pub items: Vec<Item>,
    /// Each item's CBOR as it came, what its digest is over.
    pub item_cbor: Vec<&'b [u8]>,
    pub time: u64,
    pub pid: [u8; PID_LEN],
    pub request: Option<(&'b [u8], &'b str)>,
    pub device_signature: &'b [u8],
}

/// `items, time, pid, request`: what the presentation and the device
/// signature's input share.
fn write_shown(
    e: &mut Enc,
    items: &[Item],
    time: u64,
    pid: &[u8; PID_LEN],
    request: Option<(&[u8], &str)>,
) -> Written {
    e.array(items.len() as u64)?;
    for item in items {
        write_item(e, item)?;
    }
    e.u64(time)?.bytes(pid)?;
    match request {
        None => e.null()?,
        Some((nonce, verifier)) => e.array(2)?.bytes(nonce)?.str(verifier)?,
    };
    Ok(())
}

/// What the device signs.
pub(crate) fn device_message(
    issuer_signed: &[u8],
    items: &[Item],
    time: u64,
    pid: &[u8; PID_LEN],
    request: Option<(&[u8], &str)>,
) -> Result<Vec<u8>, CompactError> {
    let issuer_digest = HashAlg::Sha256.digest(issuer_signed);
    build(|e| {
        e.array(6)?.str(DEVICE_CONTEXT)?.bytes(&issuer_digest)?;
        write_shown(e, items, time, pid, request)
    })
}

pub(crate) fn presentation_bytes(
    issuer_signed: &[u8],
    items: &[Item],
    time: u64,
    pid: &[u8; PID_LEN],
    request: Option<(&[u8], &str)>,
    device_signature: &[u8],
) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.array(6)?.bytes(issuer_signed)?;
        write_shown(e, items, time, pid, request)?;
        e.bytes(device_signature)?;
        Ok(())
    })
}

pub(crate) fn read_presentation(bytes: &[u8]) -> Result<Presentation<'_>, CompactError> {
    let mut r = Reader::new(bytes);
    r.array(6)?;
    let issuer_signed = r.nested()?;
    let n = r.count(false, MAX_ITEMS)?;
    let mut items = Vec::with_capacity(n);
    let mut item_cbor = Vec::with_capacity(n);
    for _ in 0..n {
        let start = r.position();
        items.push(read_item(&mut r)?);
        item_cbor.push(
            bytes
                .get(start..r.position())
                .ok_or(CompactError::Malformed)?,
        );
    }
    let time = r.uint()?;
    let pid = r.fixed::<PID_LEN>()?;
    let request = if r.datatype()? == Type::Null {
        r.d.null().map_err(bad)?;
        None
    } else {
        r.array(2)?;
        Some((r.bytes()?, r.text()?))
    };
    let device_signature = r.bytes()?;
    if device_signature.len() != 64 {
        return Err(CompactError::Malformed);
    }
    r.finish()?;
    if presentation_bytes(issuer_signed, &items, time, &pid, request, device_signature)? != bytes {
        return Err(CompactError::NotCanonical);
    }
    Ok(Presentation {
        issuer_signed,
        items,
        item_cbor,
        time,
        pid,
        request,
        device_signature,
    })
}

/// What the holder keeps: `[issuer_signed: bstr, items: [* Item]]`.
pub(crate) fn issued_bytes(issuer_signed: &[u8], items: &[Item]) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.array(2)?
            .bytes(issuer_signed)?
            .array(items.len() as u64)?;
        for item in items {
            write_item(e, item)?;
        }
        Ok(())
    })
}

pub(crate) fn read_issued(bytes: &[u8]) -> Result<(&[u8], Vec<Item>), CompactError> {
    let mut r = Reader::new(bytes);
    r.array(2)?;
    let issuer_signed = r.nested()?;
    let n = r.count(false, MAX_ITEMS)?;
    let mut items = Vec::with_capacity(n);
    for _ in 0..n {
        items.push(read_item(&mut r)?);
    }
    r.finish()?;
    if issued_bytes(issuer_signed, &items)? != bytes {
        return Err(CompactError::NotCanonical);
    }
    Ok((issuer_signed, items))
}

// ---- the verifier's request ----

/// What a request's signature covers:
/// `["PGR1-request", verifier, nonce, asks, time]`.
pub(crate) fn request_message(
    verifier: &str,
    nonce: &[u8],
    asks: &[String],
    time: u64,
) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.array(5)?
            .str(super::REQUEST_CONTEXT)?
            .str(verifier)?
            .bytes(nonce)?;
        e.array(asks.len() as u64)?;
        for ask in asks {
            e.str(ask)?;
        }
        e.u64(time)?;
        Ok(())
    })
}

/// A request: `[verifier: tstr, nonce: bstr .size 16, asks: [* tstr],
/// time: uint, alg: int, signature: bstr]`.
pub(crate) fn request_bytes(
    verifier: &str,
    nonce: &[u8],
    asks: &[String],
    time: u64,
    alg: Alg,
    signature: &[u8],
) -> Result<Vec<u8>, CompactError> {
    build(|e| {
        e.array(6)?.str(verifier)?.bytes(nonce)?;
        e.array(asks.len() as u64)?;
        for ask in asks {
            e.str(ask)?;
        }
        e.u64(time)?.i64(alg.cose())?.bytes(signature)?;
        Ok(())
    })
}

/// A request as read, not yet verified.
pub(crate) struct RequestParts<'b> {
    pub verifier: &'b str,
    pub nonce: [u8; super::NONCE_LEN],
    pub asks: Vec<String>,
    pub time: u64,
    pub alg: Alg,
    pub signature: &'b [u8],
}

pub(crate) fn read_request(bytes: &[u8]) -> Result<RequestParts<'_>, CompactError> {
    let mut r = Reader::new(bytes);
    r.array(6)?;
    let verifier = r.text()?;
    let nonce = r.fixed::<{ super::NONCE_LEN }>()?;
    let n = r.count(false, MAX_ITEMS)?;
    let mut asks = Vec::with_capacity(n);
    for _ in 0..n {
        asks.push(r.text()?.to_owned());
    }
    let time = r.uint()?;
    let alg = Alg::from_cose(r.d.i64().map_err(bad)?).ok_or(CompactError::AlgNotAllowed)?;
    let signature = r.bytes()?;
    r.finish()?;
    if request_bytes(verifier, &nonce, &asks, time, alg, signature)? != bytes {
        return Err(CompactError::NotCanonical);
    }
    Ok(RequestParts {
        verifier,
        nonce,
        asks,
        time,
        alg,
        signature,
    })
}
