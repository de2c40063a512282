//! Encryption at rest: AES-256-GCM on ring, in a self-describing envelope.
//!
//! Every ciphertext starts with a format version and an algorithm id, so a
//! deployment that must pass a 密评 (commercial cryptography assessment) can
//! add SM4-GCM as algorithm 2 and read old AES data side by side, with no
//! migration. The header bytes are part of the authenticated data, so an
//! attacker cannot relabel a ciphertext as another algorithm.
//!
//! Record envelope (`seal` / `open`):
//! `[version=1][alg][nonce: 12][ciphertext][tag: 16]`
//!
//! File envelope (`FileSealer` / `open_file`): the STREAM construction
//! (Hoang et al. 2015), so a 20 MB attachment is encrypted in 64 KiB chunks
//! with bounded memory and a truncated file is detected:
//! `[version=1][alg][nonce prefix: 7]` then chunks of
//! `[ciphertext][tag]`, each sealed with nonce `prefix ‖ index (u32 BE) ‖ last (u8)`.
//!
//! Nonces are random (96 bits) for records. With one data key per install
//! and far fewer than 2^32 records written, the collision bound is negligible.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::error::{PalmGovError, Result};

/// Envelope format version written today.
const FORMAT_V1: u8 = 1;
/// Algorithm ids. 2 is reserved for SM4-GCM (GB/T 32907).
const ALG_AES_256_GCM: u8 = 1;
const HEADER_LEN: usize = 2;
const TAG_LEN: usize = 16;
/// Plaintext bytes per file chunk.
pub(crate) const FILE_CHUNK: usize = 64 * 1024;
const FILE_PREFIX_LEN: usize = 7;

/// Length of a data key in bytes.
pub(crate) const KEY_LEN: usize = 32;

/// A data-encryption key in memory. The raw bytes exist only while the key
/// is generated or wrapped; ring keeps its own expanded schedule.
pub(crate) struct DataKey {
    key: LessSafeKey,
}

impl DataKey {
    /// A new random key, returned with its raw bytes so the caller can wrap
    /// them with the keystore hook. The raw bytes are zeroized on drop.
    pub(crate) fn generate() -> Result<(Self, Zeroizing<Vec<u8>>)> {
        let mut raw = Zeroizing::new(vec![0u8; KEY_LEN]);
        SystemRandom::new()
            .fill(&mut raw)
            .map_err(|_| internal("rng"))?;
        Ok((Self::from_bytes(&raw)?, raw))
    }

    /// Rebuilds a key unwrapped by the keystore. A wrong length means the
    /// keystore returned something that is not our key.
    pub(crate) fn from_bytes(raw: &[u8]) -> Result<Self> {
        let unbound = UnboundKey::new(&AES_256_GCM, raw).map_err(|_| PalmGovError::WrongKey)?;
        Ok(Self {
            key: LessSafeKey::new(unbound),
        })
    }

    /// Encrypts one record. `context` binds the ciphertext to where it is
    /// stored (table, row key), so rows cannot be swapped undetected.
    pub(crate) fn seal(&self, context: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
        let nonce = record_nonce()?;
        let mut out = Vec::with_capacity(HEADER_LEN + NONCE_LEN + plaintext.len() + TAG_LEN);
        out.extend_from_slice(&[FORMAT_V1, ALG_AES_256_GCM]);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let aad = aad_for(&out[..HEADER_LEN], context);
        let tag = self
            .key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(&aad),
                &mut out[HEADER_LEN + NONCE_LEN..],
            )
            .map_err(|_| internal("seal"))?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Decrypts a record sealed by [`DataKey::seal`] with the same `context`.
    pub(crate) fn open(&self, context: &[u8], envelope: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        check_header(envelope, HEADER_LEN + NONCE_LEN + TAG_LEN)?;
        let aad = aad_for(&envelope[..HEADER_LEN], context);
        let nonce = Nonce::try_assume_unique_for_key(&envelope[HEADER_LEN..HEADER_LEN + NONCE_LEN])
            .map_err(|_| PalmGovError::Decryption)?;
        let mut buf = Zeroizing::new(envelope[HEADER_LEN + NONCE_LEN..].to_vec());
        let len = self
            .key
            .open_in_place(nonce, Aad::from(&aad), &mut buf)
            .map_err(|_| PalmGovError::Decryption)?
            .len();
        buf.truncate(len);
        Ok(buf)
    }

    /// Starts a streaming file encryption.
    pub(crate) fn file_sealer(&self, context: &[u8]) -> Result<FileSealer<'_>> {
        let mut prefix = [0u8; FILE_PREFIX_LEN];
        SystemRandom::new()
            .fill(&mut prefix)
            .map_err(|_| internal("rng"))?;
        Ok(FileSealer {
            key: self,
            aad: aad_for(&[FORMAT_V1, ALG_AES_256_GCM], context),
            prefix,
            index: 0,
        })
    }

    /// Decrypts a whole file envelope, checking every chunk and that the
    /// last chunk is marked last (so truncation is an error, not a short file).
    pub(crate) fn open_file(&self, context: &[u8], envelope: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let body_start = HEADER_LEN + FILE_PREFIX_LEN;
        check_header(envelope, body_start + TAG_LEN)?;
        let aad = aad_for(&envelope[..HEADER_LEN], context);
        let mut prefix = [0u8; FILE_PREFIX_LEN];
        prefix.copy_from_slice(&envelope[HEADER_LEN..body_start]);
        let body = &envelope[body_start..];
        let mut out = Zeroizing::new(Vec::with_capacity(body.len()));
        let chunks: Vec<&[u8]> = body.chunks(FILE_CHUNK + TAG_LEN).collect();
        for (index, chunk) in chunks.iter().enumerate() {
            let last = index + 1 == chunks.len();
            let index = u32::try_from(index).map_err(|_| PalmGovError::Decryption)?;
            let mut buf = Zeroizing::new(chunk.to_vec());
            let plain = self
                .key
                .open_in_place(
                    stream_nonce(&prefix, index, last),
                    Aad::from(&aad),
                    &mut buf,
                )
                .map_err(|_| PalmGovError::Decryption)?;
            out.extend_from_slice(plain);
        }
        Ok(out)
    }
}

/// Encrypts a file chunk by chunk; the caller writes each output as it comes.
pub(crate) struct FileSealer<'k> {
    key: &'k DataKey,
    aad: Vec<u8>,
    prefix: [u8; FILE_PREFIX_LEN],
    index: u32,
}

impl FileSealer<'_> {
    /// The header to write before the first chunk.
    pub(crate) fn header(&self) -> Vec<u8> {
        let mut header = vec![FORMAT_V1, ALG_AES_256_GCM];
        header.extend_from_slice(&self.prefix);
        header
    }

    /// Seals one chunk of at most [`FILE_CHUNK`] bytes. Only the final chunk
    /// may be shorter, and it must be passed with `last = true`.
    pub(crate) fn seal_chunk(&mut self, chunk: &[u8], last: bool) -> Result<Vec<u8>> {
        if chunk.len() > FILE_CHUNK || (!last && chunk.len() != FILE_CHUNK) {
            return Err(internal("file chunk size").into());
        }
        let mut buf = chunk.to_vec();
        let nonce = stream_nonce(&self.prefix, self.index, last);
        self.index = self
            .index
            .checked_add(1)
            .ok_or(internal("file too large"))?;
        let tag = self
            .key
            .key
            .seal_in_place_separate_tag(nonce, Aad::from(&self.aad), &mut buf)
            .map_err(|_| internal("seal"))?;
        buf.extend_from_slice(tag.as_ref());
        Ok(buf)
    }
}

/// Record nonces drawn from the OS in batches of this many.
const NONCE_BATCH: usize = 64;

/// Random record nonces, drawn from the OS a batch at a time.
///
/// Each seal used to make its own `getrandom` call for 12 bytes, about a
/// tenth of an autosave's Rust time in perf. Bytes from one larger call are
/// as random as bytes from many, and each is handed out once, so the nonces
/// keep the bound in the module doc. The one way to hand one out twice is a
/// `fork` that copies the pool; nothing forks a process that holds a data
/// key (Android forks the zygote before the app loads us, iOS never forks).
struct NoncePool {
    bytes: [u8; NONCE_LEN * NONCE_BATCH],
    used: usize,
}

static NONCES: std::sync::Mutex<NoncePool> = std::sync::Mutex::new(NoncePool {
    bytes: [0; NONCE_LEN * NONCE_BATCH],
    used: NONCE_LEN * NONCE_BATCH,
});

fn record_nonce() -> Result<[u8; NONCE_LEN]> {
    // Nothing below panics, so even a poisoned lock holds a whole pool.
    let mut pool = NONCES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if pool.used == pool.bytes.len() {
        SystemRandom::new()
            .fill(&mut pool.bytes)
            .map_err(|_| internal("rng"))?;
        pool.used = 0;
    }
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&pool.bytes[pool.used..pool.used + NONCE_LEN]);
    pool.used += NONCE_LEN;
    Ok(nonce)
}

fn stream_nonce(prefix: &[u8; FILE_PREFIX_LEN], index: u32, last: bool) -> Nonce {
    let mut nonce = [0u8; NONCE_LEN];
    nonce[..FILE_PREFIX_LEN].copy_from_slice(prefix);
    nonce[FILE_PREFIX_LEN..FILE_PREFIX_LEN + 4].copy_from_slice(&index.to_be_bytes());
    nonce[NONCE_LEN - 1] = u8::from(last);
    Nonce::assume_unique_for_key(nonce)
}

fn check_header(envelope: &[u8], min_len: usize) -> Result<()> {
    if envelope.len() < min_len {
        return Err(PalmGovError::Decryption.into());
    }
    match (envelope[0], envelope[1]) {
        (FORMAT_V1, ALG_AES_256_GCM) => Ok(()),
        // An unknown version or algorithm is data from a newer build or an
        // SM4 deployment: not corrupt, but not readable here.
        _ => Err(PalmGovError::Decryption.into()),
    }
}

fn aad_for(header: &[u8], context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + context.len());
    aad.extend_from_slice(header);
    aad.extend_from_slice(context);
    aad
}

fn internal(detail: &str) -> PalmGovError {
    PalmGovError::Internal {
        detail: format!("crypto {detail}"),
    }
}

/// Fills a buffer from the system CSPRNG.
pub(crate) fn random_bytes(len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(vec![0u8; len]);
    SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| internal("rng"))?;
    Ok(out)
}

/// `bytes` as lowercase hex. By table, into one string: a `format!` per
/// byte made the reminder ids (300 hashes a plan) a third of a plan's time.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// The SHA-256 of `bytes`, as lowercase hex: how receipts and uploads
/// name a body.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Whether `text` is a SHA-256 as lowercase hex ([`sha256_hex`]'s form).
pub(crate) fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A random (version 4) UUID: the ids of drafts, repeat instances,
/// attachments and submissions, which the backend also uses as
/// idempotency keys, so they must never collide across devices.
pub(crate) fn uuid_v4() -> Result<String> {
    let mut b = random_bytes(16)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = hex(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// A root of signed documents pinned by the app's configuration (version
/// 1): its keys, JWKs as JSON text, and how many distinct ones must sign.
/// `field` names the setting in the error, never a key.
pub(crate) fn pinned_root(
    jwks: &[String],
    threshold: u32,
    field: &str,
) -> Result<palmgov_credentials::envelope::Root> {
    use palmgov_credentials::keys::PublicKey;
    let invalid = |what: &str| PalmGovError::InvalidInput {
        field: format!("{field}.{what}"),
    };
    let keys = jwks
        .iter()
        .map(|jwk| {
            serde_json::from_str(jwk)
                .ok()
                .and_then(|v| PublicKey::from_jwk(&v).ok())
                .ok_or_else(|| invalid("keys"))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(
        palmgov_credentials::envelope::Root::pinned(keys, threshold as usize, 1)
            .map_err(|_| invalid("threshold"))?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_two_digits_a_byte() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        // FIPS 180-2's "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&sha256_hex(b"abc")));
        let id = uuid_v4().unwrap();
        assert_eq!((id.len(), &id[14..15]), (36, "4"));
    }

    fn key() -> DataKey {
        DataKey::generate().unwrap().0
    }

    #[test]
    fn record_nonces_never_repeat_across_batches() {
        let k = key();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..NONCE_BATCH * 3 + 1 {
            let sealed = k.seal(b"ctx", b"x").unwrap();
            assert!(seen.insert(sealed[HEADER_LEN..HEADER_LEN + NONCE_LEN].to_vec()));
        }
    }

    #[test]
    fn record_round_trip_and_header() {
        let k = key();
        let sealed = k.seal(b"ctx", b"hello").unwrap();
        assert_eq!(&sealed[..2], &[1, 1]);
        assert_eq!(&k.open(b"ctx", &sealed).unwrap()[..], b"hello");
    }

    #[test]
    fn record_bound_to_context_and_key() {
        let k = key();
        let sealed = k.seal(b"row-a", b"secret").unwrap();
        assert!(k.open(b"row-b", &sealed).is_err());
        assert!(key().open(b"row-a", &sealed).is_err());
    }

    #[test]
    fn tampering_and_relabelling_are_detected() {
        let k = key();
        let sealed = k.seal(b"c", b"payload").unwrap();
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(
                k.open(b"c", &bad).is_err(),
                "flip at byte {i} went unnoticed"
            );
        }
        assert!(k.open(b"c", &sealed[..10]).is_err());
        assert!(k.open(b"c", &[]).is_err());
    }

    #[test]
    fn file_round_trip_sizes() {
        let k = key();
        for size in [
            0,
            1,
            FILE_CHUNK - 1,
            FILE_CHUNK,
            FILE_CHUNK + 1,
            3 * FILE_CHUNK + 17,
        ] {
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let sealed = seal_file(&k, b"f", &data);
            assert_eq!(
                &k.open_file(b"f", &sealed).unwrap()[..],
                &data[..],
                "size {size}"
            );
        }
    }

    #[test]
    fn file_truncation_is_detected() {
        let k = key();
        let data = vec![7u8; 2 * FILE_CHUNK + 5];
        let sealed = seal_file(&k, b"f", &data);
        // Cut exactly at a chunk boundary: every remaining chunk is intact,
        // but none is marked last.
        let cut = 9 + FILE_CHUNK + TAG_LEN;
        assert!(k.open_file(b"f", &sealed[..cut]).is_err());
        assert!(k.open_file(b"g", &sealed).is_err());
    }

    fn seal_file(k: &DataKey, ctx: &[u8], data: &[u8]) -> Vec<u8> {
        let mut sealer = k.file_sealer(ctx).unwrap();
        let mut out = sealer.header();
        let chunks: Vec<&[u8]> = if data.is_empty() {
            vec![&[][..]]
        } else {
            data.chunks(FILE_CHUNK).collect()
        };
        for (i, c) in chunks.iter().enumerate() {
            out.extend(sealer.seal_chunk(c, i + 1 == chunks.len()).unwrap());
        }
        out
    }
}
