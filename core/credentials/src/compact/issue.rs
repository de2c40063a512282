//! Issuing the compact form: items with their salts, the MSO of their
//! digests, and the issuer's COSE_Sign1 over it.

use ring::rand::{SecureRandom, SystemRandom};

use super::cbor::{self, Mso};
use super::{
    CompactError, HashAlg, Item, ItemValue, MAX_ITEMS, MAX_STRING, SALT_LEN, StatusListId,
    StatusRef, Validity,
};
use crate::keys::{PublicKey, Signer};

/// A source of item salts.
pub trait SaltSource {
    fn salt(&mut self) -> Result<[u8; SALT_LEN], CompactError>;
}

/// 128 random bits per salt from the system's CSPRNG (ring): salts are
/// what keeps a verifier from testing guesses of undisclosed values
/// against their digests.
pub struct RandomSalts {
    rng: SystemRandom,
}

impl RandomSalts {
    pub fn new() -> Self {
        Self {
            rng: SystemRandom::new(),
        }
    }
}

impl Default for RandomSalts {
    fn default() -> Self {
        Self::new()
    }
}

impl SaltSource for RandomSalts {
    fn salt(&mut self) -> Result<[u8; SALT_LEN], CompactError> {
        let mut salt = [0; SALT_LEN];
        self.rng
            .fill(&mut salt)
            .map_err(|_| CompactError::SignFailed)?;
        Ok(salt)
    }
}

/// Salts derived from a seed and a counter, for reproducible test vectors
/// and the reference backend's deterministic test mode: salt `n` is the
/// first 128 bits of `SHA-256("palmgov compact test salt" ‖ seed ‖ n as 8
/// bytes big-endian)`.
///
/// Anyone who knows the seed can recompute every salt and so test guesses
/// of undisclosed values against their digests: never for real holders.
pub struct DeterministicSalts {
    seed: Vec<u8>,
    counter: u64,
}

impl DeterministicSalts {
    pub fn new(seed: &[u8]) -> Self {
        Self {
            seed: seed.to_vec(),
            counter: 0,
        }
    }
}

impl SaltSource for DeterministicSalts {
    fn salt(&mut self) -> Result<[u8; SALT_LEN], CompactError> {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(b"palmgov compact test salt");
        ctx.update(&self.seed);
        ctx.update(&self.counter.to_be_bytes());
        self.counter = self.counter.wrapping_add(1);
        let mut salt = [0; SALT_LEN];
        for (s, d) in salt.iter_mut().zip(ctx.finish().as_ref()) {
            *s = *d;
        }
        Ok(salt)
    }
}

/// What the MSO says besides the digests.
#[derive(Debug, Clone, Copy)]
pub struct MsoFields<'a> {
    /// The licence type's short name (`id_card`).
    pub licence_type: &'a str,
    /// The issuer id, as the trust list names it.
    pub issuer: &'a str,
    /// The holder's key, which signs presentations: P-256, the one key
    /// type every phone keystore (the Secure Enclave above all) holds.
    pub device_key: &'a PublicKey,
    pub validity: Validity,
    /// The credential's status list entry: the list by its trust-list id
    /// ([`StatusListId::Id`]) keeps the QR code short.
    pub status: Option<&'a StatusRef>,
}

/// An issued compact licence: what the backend sends the holder, who
/// keeps it to make presentations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCompact {
    /// The issuer's COSE_Sign1 over the MSO.
    pub issuer_signed: Vec<u8>,
    /// Every item, with its id and salt, in the order given.
    pub items: Vec<Item>,
}

impl IssuedCompact {
    /// `[issuer_signed: bstr, items: [* Item]]` in CBOR, to send or store.
    pub fn to_bytes(&self) -> Result<Vec<u8>, CompactError> {
        cbor::issued_bytes(&self.issuer_signed, &self.items)
    }

    /// Reads [`IssuedCompact::to_bytes`]'s form (within the same limits
    /// as a presentation; nothing is verified).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CompactError> {
        let (issuer_signed, items) = cbor::read_issued(bytes)?;
        Ok(Self {
            issuer_signed: issuer_signed.to_vec(),
            items,
        })
    }
}

fn short(s: &str) -> Result<(), CompactError> {
    if s.len() <= MAX_STRING {
        Ok(())
    } else {
        Err(CompactError::LimitExceeded)
    }
}

/// Issues a compact licence: each of `items` (name and value) gets the id
/// of its position and a salt from `salts` ([`RandomSalts`] for real
/// credentials); the MSO signs their digests under `hash`, and `signer`
/// (ES256, EdDSA or SM2) signs the MSO.
///
/// Refused, so that nothing is issued that [`super::verify`] would
/// refuse: more than [`MAX_ITEMS`] items, a string longer than
/// [`MAX_STRING`] bytes, an empty or repeated item name, a device key
/// that is not P-256, `exp` not after `iat` or `valid_until` before
/// `valid_from`.
pub fn issue(
    fields: &MsoFields<'_>,
    items: &[(&str, ItemValue)],
    hash: HashAlg,
    signer: &dyn Signer,
    salts: &mut dyn SaltSource,
) -> Result<IssuedCompact, CompactError> {
    if items.len() > MAX_ITEMS {
        return Err(CompactError::LimitExceeded);
    }
    short(fields.licence_type)?;
    short(fields.issuer)?;
    if let Some(StatusRef {
        list: StatusListId::Uri(uri),
        ..
    }) = fields.status
    {
        short(uri)?;
    }
    let PublicKey::P256(device_key) = fields.device_key else {
        return Err(CompactError::BadDeviceKey);
    };
    if device_key.len() != 65 || device_key.first() != Some(&0x04) {
        return Err(CompactError::BadDeviceKey);
    }
    let v = fields.validity;
    if v.exp <= v.iat || v.valid_until < v.valid_from {
        return Err(CompactError::Malformed);
    }

    let mut issued = Vec::with_capacity(items.len());
    let mut digests = Vec::with_capacity(items.len());
    for (position, (name, value)) in items.iter().enumerate() {
        short(name)?;
        if let ItemValue::Text(text) = value {
            short(text)?;
        }
        if name.is_empty() {
            return Err(CompactError::Malformed);
        }
        if items.iter().take(position).any(|(n, _)| n == name) {
            return Err(CompactError::DuplicateItem);
        }
        let item = Item {
            id: u8::try_from(position).map_err(|_| CompactError::LimitExceeded)?,
            salt: salts.salt()?,
            name: (*name).to_owned(),
            value: value.clone(),
        };
        digests.push((item.id, cbor::item_digest(hash, &cbor::item_bytes(&item)?)));
        issued.push(item);
    }

    let mso = Mso {
        licence_type: fields.licence_type.to_owned(),
        issuer: fields.issuer.to_owned(),
        hash,
        digests,
        device_key: device_key.clone(),
        validity: v,
        status: fields.status.cloned(),
    };
    let payload = cbor::mso_bytes(&mso)?;
    let protected = cbor::protected_header(signer.alg())?;
    let signature = signer
        .sign(&cbor::sig_structure(&protected, &payload)?)
        .map_err(|_| CompactError::SignFailed)?;
    if signature.len() > MAX_STRING {
        return Err(CompactError::SignFailed);
    }
    Ok(IssuedCompact {
        issuer_signed: cbor::sign1_bytes(&protected, &payload, &signature)?,
        items: issued,
    })
}
