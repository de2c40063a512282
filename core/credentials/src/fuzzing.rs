//! Entry points for the fuzz targets (`fuzz/`) and for the replay of their
//! committed corpus (`fuzz/corpus/`, the tests at the end of this file).
//! Each takes any bytes and must only ever return: a panic is a bug, in a
//! parser or in one of the properties checked here (each says which
//! documented behaviour it holds the crate to).
//!
//! The keys are fixed test keys (never use them for anything real), so a
//! credential, list token or envelope committed to the corpus verifies on
//! every run. Signatures are what a fuzzer cannot forge, so each entry
//! point also re-signs what it was given with the matching fixed key and
//! runs that again: the checks behind the signature (claims, times,
//! disclosures, key binding, thresholds, versions, root bodies) see
//! mutated input too.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

use crate::compact::{self, CompactError, ItemValue, MsoFields, Validity};
use crate::envelope::{self, EnvelopeError, Root};
use crate::jws::{self, Compact};
use crate::keys::{Alg, Ed25519Signer, Es256Signer, PublicKey, Signer, Sm2Signer};
use crate::sdjwt::{self, KeyBindingInput, VerifyOptions};
use crate::status_list::{self, Status, StatusList};

/// The verifier's clock: within the KB-JWT window of RFC 9901's section
/// 5.2 presentation (`iat` 1748536865), which the corpus carries.
const NOW: i64 = 1_748_536_900;
/// The key binding a verifier requires: RFC 9901 section 5.2's.
const AUD: &str = "https://verifier.example.org";
const NONCE: &str = "1234567890";
/// The `sub` of the status list tokens.
const STATUS_SUB: &str = "https://issuer.example.cn/status/1";
/// An envelope kind the root keys sign themselves.
const TRUST_KIND: &str = "palmgov.licence-trust-list";
/// An envelope kind the root delegates to one other key.
const PROFILE_KIND: &str = "palmgov.region-profile";
/// `kid`s the issuer key lookup knows, besides each key's `alg`.
const KID_ES256: &str = "es256-issuer";
const KID_SM2: &str = "sm2-issuer";
const KID_ED25519: &str = "ed25519-issuer";

/// The issuer id of the compact licences the fixed keys issue.
const COMPACT_ISSUER: &str = "urn:palmgov:issuer:330000:public-security";
/// The request the request-bound compact seeds answer.
const COMPACT_NONCE: &[u8] = b"fuzz-nonce-0001";
const COMPACT_VERIFIER: &str = "urn:palmgov:verifier:330106:counter-1";

/// The fixed keys and the pinned root.
struct Keys {
    /// RFC 9901's issuer key (appendix A.5): the RFC examples verify.
    es256: Es256Signer,
    sm2: Sm2Signer,
    ed25519: Ed25519Signer,
    /// RFC 9901's holder key (the `cnf.jwk` of its examples).
    holder: Es256Signer,
    /// The pinned root: 2 of these 3 Ed25519 keys, version 1.
    roots: [Ed25519Signer; 3],
    /// Signs [`PROFILE_KIND`] alone, by delegation.
    delegate: Ed25519Signer,
    root: Root,
    es256_public: PublicKey,
    sm2_public: PublicKey,
    ed25519_public: PublicKey,
}

/// PKCS#8 of a P-256 key as ring writes it, around `d` and then `x‖y`.
const PKCS8_HEAD: &[u8] = &[
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
    0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02,
    0x01, 0x01, 0x04, 0x20,
];
const PKCS8_MIDDLE: &[u8] = &[0xa1, 0x44, 0x03, 0x42, 0x00, 0x04];

fn p256(d: &str, x: &str, y: &str) -> Option<Es256Signer> {
    let mut der = PKCS8_HEAD.to_vec();
    der.extend(B64.decode(d).ok()?);
    der.extend_from_slice(PKCS8_MIDDLE);
    der.extend(B64.decode(x).ok()?);
    der.extend(B64.decode(y).ok()?);
    Es256Signer::from_pkcs8(&der).ok()
}

fn make_keys() -> Option<Keys> {
    let es256 = p256(
        "Ur2bNKuBPOrAaxsRnbSH6hIhmNTxSGXshDSUD1a1y7g",
        "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
        "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8",
    )?;
    let holder = p256(
        "5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I",
        "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
        "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ",
    )?;
    let sm2 = Sm2Signer::from_bytes(&[0x5f; 32]).ok()?;
    let ed25519 = Ed25519Signer::from_seed(&[0xe1; 32]).ok()?;
    let roots = [
        Ed25519Signer::from_seed(&[0xf1; 32]).ok()?,
        Ed25519Signer::from_seed(&[0xf2; 32]).ok()?,
        Ed25519Signer::from_seed(&[0xf3; 32]).ok()?,
    ];
    let delegate = Ed25519Signer::from_seed(&[0xd1; 32]).ok()?;
    let root = Root::pinned(roots.iter().map(Signer::public_key).collect(), 2, 1)
        .ok()?
        .with_role(PROFILE_KIND, vec![delegate.public_key()], 1)
        .ok()?;
    Some(Keys {
        es256_public: es256.public_key(),
        sm2_public: sm2.public_key(),
        ed25519_public: ed25519.public_key(),
        es256,
        sm2,
        ed25519,
        holder,
        roots,
        delegate,
        root,
    })
}

/// The fixed keys, made once; `None` only if a fixed key were refused,
/// which the corpus tests rule out.
fn keys() -> Option<&'static Keys> {
    static KEYS: OnceLock<Option<Keys>> = OnceLock::new();
    KEYS.get_or_init(make_keys).as_ref()
}

impl Keys {
    /// The issuer key a verifier's configuration would give: by `kid`
    /// when the header has one, else by `alg`. A `kid` of one algorithm
    /// on a token of another makes a key of the wrong algorithm.
    fn issuer_key(&self, header: &Value) -> Option<PublicKey> {
        let name = header
            .get("kid")
            .or_else(|| header.get("alg"))
            .and_then(Value::as_str)?;
        match name {
            KID_ES256 | "ES256" => Some(self.es256_public.clone()),
            KID_SM2 | "SM2" => Some(self.sm2_public.clone()),
            KID_ED25519 | "EdDSA" | "Ed25519" => Some(self.ed25519_public.clone()),
            _ => None,
        }
    }

    /// The compact issuer key a verifier's trust list would give: the
    /// fixed key of the algorithm, for [`COMPACT_ISSUER`] only.
    fn compact_key(&self, iss: &str, alg: Alg) -> Option<PublicKey> {
        if iss != COMPACT_ISSUER {
            return None;
        }
        Some(match alg {
            Alg::Es256 => self.es256_public.clone(),
            Alg::Sm2 => self.sm2_public.clone(),
            Alg::EdDsa => self.ed25519_public.clone(),
        })
    }

    fn issuer_signer(&self, alg: Alg) -> &dyn Signer {
        match alg {
            Alg::Es256 => &self.es256,
            Alg::Sm2 => &self.sm2,
            Alg::EdDsa => &self.ed25519,
        }
    }
}

/// `token` (a compact JWS) signed again over its own header and payload
/// by `signer(alg)`, or `None` when it does not parse or cannot be signed.
fn resign<'k>(token: &str, signer: impl Fn(Alg) -> Option<&'k dyn Signer>) -> Option<String> {
    let jws = Compact::parse(token).ok()?;
    jws::sign(&jws.header, &jws.payload, signer(jws.alg)?).ok()
}

fn verify_options() -> [VerifyOptions<'static>; 4] {
    let plain = VerifyOptions {
        now: NOW,
        skew_secs: 60,
        expect_typ: None,
        key_binding: None,
        max_kb_age_secs: 300,
    };
    [
        plain,
        VerifyOptions {
            expect_typ: Some(sdjwt::TYP_SD_JWT_VC),
            key_binding: Some((AUD, NONCE)),
            ..plain
        },
        // The clock arithmetic at its ends.
        VerifyOptions {
            now: i64::MAX,
            skew_secs: i64::MAX,
            max_kb_age_secs: i64::MAX,
            key_binding: Some((AUD, NONCE)),
            ..plain
        },
        VerifyOptions {
            now: i64::MIN,
            skew_secs: i64::MIN,
            max_kb_age_secs: i64::MIN,
            expect_typ: Some("example+sd-jwt"),
            ..plain
        },
    ]
}

/// Any bytes as an SD-JWT or a presentation (lossy UTF-8): inspected,
/// verified with and without required key binding, and presented. Then
/// the same with the issuer JWT, and any KB-JWT, re-signed by the fixed
/// keys.
///
/// Properties: whatever [`sdjwt::verify`] accepts, [`sdjwt::inspect`]
/// accepts (it checks a subset); [`sdjwt::verify_claims`] gives the same
/// answer as [`sdjwt::verify`] (the same error, or the same claims, status
/// and binding); and an SD-JWT that verifies, presented
/// in full with a KB-JWT by the holder key it names, verifies with key
/// binding required.
pub fn credential(data: &[u8]) {
    let Some(keys) = keys() else {
        return;
    };
    let text = String::from_utf8_lossy(data);
    credential_text(keys, &text);

    // Re-signed: the issuer JWT by the issuer key of its `alg`, a KB-JWT
    // by the holder key.
    let Some((jwt, rest)) = text.split_once('~') else {
        return;
    };
    let Some(jwt) = resign(jwt, |alg| Some(keys.issuer_signer(alg))) else {
        return;
    };
    let mut resigned = format!("{jwt}~{rest}");
    if let Some((sd_jwt, kb)) = resigned.rsplit_once('~') {
        if let Some(kb) = resign(kb, |alg| {
            (alg == Alg::Es256).then_some(&keys.holder as &dyn Signer)
        }) {
            resigned = format!("{sd_jwt}~{kb}");
        }
    }
    credential_text(keys, &resigned);
}

fn credential_text(keys: &Keys, text: &str) {
    let inspected = sdjwt::inspect(text);
    let issuer_key = |header: &Value, _: &Value| keys.issuer_key(header);
    let mut verified_plain = false;
    for (i, options) in verify_options().iter().enumerate() {
        let verified = sdjwt::verify(text, &issuer_key, options);
        sdjwt::assert_same_answer(&verified, &sdjwt::verify_claims(text, &issuer_key, options));
        if verified.is_ok() {
            assert!(
                inspected.is_ok(),
                "verify accepted what inspect refused: {:?}",
                inspected.as_ref().err()
            );
            verified_plain |= i == 0;
        }
    }

    // The holder's side: an issued SD-JWT, presented.
    let _ = sdjwt::present(text, &|path| path.len() == 1, None);
    let kb = KeyBindingInput {
        aud: AUD,
        nonce: NONCE,
        iat: NOW,
        signer: &keys.holder,
    };
    match sdjwt::present(text, &|_| true, Some(kb)) {
        Ok(presentation) if verified_plain => {
            let options = VerifyOptions {
                key_binding: Some((AUD, NONCE)),
                ..verify_options()[0]
            };
            let again = sdjwt::verify(&presentation, &issuer_key, &options);
            assert!(
                again.as_ref().is_ok_and(|v| v.key_bound),
                "a verified SD-JWT, presented in full with key binding, was refused: {:?}",
                again.err()
            );
        }
        Ok(_) | Err(_) => {}
    }
}

/// Any bytes as a status list: as a JSON `status_list` claim (or a token's
/// claims holding one); as a zlib stream with the width from the first
/// byte; and as a status list token (lossy UTF-8), verified with the fixed
/// ES256 and SM2 keys and then re-signed by them.
///
/// Properties: a lookup succeeds exactly below [`StatusList::len`];
/// [`StatusList::set`] stores what [`StatusList::get`] then reads; a list
/// round-trips through its claim.
pub fn status_list(data: &[u8]) {
    if let Ok(claim) = serde_json::from_slice::<Value>(data) {
        if let Ok(list) = StatusList::from_claim(&claim) {
            exercise_list(&list);
        }
        if let Some(Ok(list)) = claim.get("status_list").map(StatusList::from_claim) {
            exercise_list(&list);
        }
    }
    if let Some((&first, zlib)) = data.split_first() {
        let bits = [1u8, 2, 4, 8][usize::from(first & 3)];
        let claim = json!({"bits": bits, "lst": B64.encode(zlib)});
        if let Ok(list) = StatusList::from_claim(&claim) {
            exercise_list(&list);
        }
    }

    let Some(keys) = keys() else {
        return;
    };
    let text = String::from_utf8_lossy(data);
    verify_list_token(keys, &text);
    if let Some(resigned) = resign(&text, |alg| match alg {
        Alg::Es256 | Alg::Sm2 => Some(keys.issuer_signer(alg)),
        Alg::EdDsa => None,
    }) {
        verify_list_token(keys, &resigned);
    }
}

fn verify_list_token(keys: &Keys, token: &str) {
    for key in [&keys.es256_public, &keys.sm2_public] {
        for (sub, now) in [(STATUS_SUB, NOW), (STATUS_SUB, i64::MAX), ("", i64::MIN)] {
            if let Ok(token) = status_list::verify_token(token, key, sub, now) {
                assert_eq!(token.sub, sub);
                let _ = token.cache_until(NOW);
                let _ = token.cache_until(i64::MAX);
                let _ = token.status(0);
                exercise_list(&token.list);
            }
        }
    }
}

fn exercise_list(list: &StatusList) {
    let len = list.len();
    let indices = [
        0,
        1,
        7,
        8,
        len / 2,
        len.wrapping_sub(1),
        len,
        len.saturating_add(1),
        u32::MAX as usize,
        usize::MAX / 8 + 1,
        usize::MAX / 2,
        usize::MAX,
    ];
    for idx in indices {
        let status = list.status(idx);
        assert_eq!(
            status.is_ok(),
            idx < len,
            "status({idx}) of {len} entries: {status:?}"
        );
        if let Ok(status) = status {
            assert_eq!(Status::from_value(status.value()), status);
        }
    }
    let widest = u8::MAX >> (8 - u32::from(list.bits()));
    let mut copy = list.clone();
    for idx in indices {
        for value in [0, 1, widest] {
            let set = copy.set(idx, value);
            assert_eq!(set.is_ok(), idx < len, "set({idx}) of {len}: {set:?}");
            if set.is_ok() {
                assert_eq!(copy.get(idx), Some(value));
            }
        }
    }
    if list.bits() < 8 {
        assert!(copy.set(0, widest + 1).is_err());
    }
    // Compressing at level 9 costs; a few hundred KiB is plenty here.
    if list.bytes().len() <= 256 * 1024 {
        assert_eq!(StatusList::from_claim(&list.to_claim()).as_ref(), Ok(list));
    }
}

/// Any bytes as an envelope (lossy UTF-8): opened as each of two kinds
/// under the fixed pinned root, with and without a last accepted version,
/// taken as the next root ([`envelope::update_root`]) and as a build's
/// root document. Then the same after the three root keys and the
/// delegate have cosigned it.
///
/// Properties: a document that opens opens again given its own version
/// and digest as `last`, and not given the same version with other
/// bytes; a root update is one version up.
pub fn envelope(data: &[u8]) {
    let Some(keys) = keys() else {
        return;
    };
    let text = String::from_utf8_lossy(data);
    envelope_text(keys, &text);
    let [a, b, c] = &keys.roots;
    if let Ok(cosigned) = envelope::cosign(&text, &[a, b, c, &keys.delegate]) {
        envelope_text(keys, &cosigned);
    }
}

fn envelope_text(keys: &Keys, text: &str) {
    open_each(&keys.root, text);
    if let Ok(next) = envelope::update_root(&keys.root, text) {
        assert_eq!(Some(next.version()), keys.root.version().checked_add(1));
        let _ = next.to_body();
        open_each(&next, text);
        // The same document again is no longer one version up.
        assert!(envelope::update_root(&next, text).is_err());
    }
    let _ = Root::pinned_document(text);
    assert_eq!(
        envelope::open(&keys.root, envelope::ROOT_KIND, text, None, NOW).err(),
        Some(EnvelopeError::WrongKind)
    );
}

fn open_each(root: &Root, text: &str) {
    for kind in [TRUST_KIND, PROFILE_KIND] {
        let Ok(opened) = envelope::open(root, kind, text, None, NOW) else {
            continue;
        };
        let again = envelope::open(root, kind, text, Some((opened.version, opened.digest)), NOW);
        assert_eq!(again.as_ref().ok(), Some(&opened));
        let mut other = opened.digest;
        other[0] ^= 1;
        assert_eq!(
            envelope::open(root, kind, text, Some((opened.version, other)), NOW).err(),
            Some(EnvelopeError::SameVersionOtherBytes {
                version: opened.version
            })
        );
        for last in [0, 1, u64::MAX] {
            let _ = envelope::open(root, kind, text, Some((last, [0; 32])), i64::MAX);
        }
    }
}

fn compact_options() -> [compact::VerifyOptions<'static>; 4] {
    let plain = compact::VerifyOptions {
        now: NOW,
        validity_secs: 60,
        skew_secs: 30,
        expect_request: None,
    };
    [
        plain,
        compact::VerifyOptions {
            expect_request: Some((COMPACT_NONCE, COMPACT_VERIFIER)),
            ..plain
        },
        // The clock arithmetic at its ends.
        compact::VerifyOptions {
            now: i64::MAX,
            validity_secs: i64::MAX,
            skew_secs: i64::MAX,
            expect_request: Some((COMPACT_NONCE, COMPACT_VERIFIER)),
        },
        compact::VerifyOptions {
            now: i64::MIN,
            validity_secs: i64::MIN,
            skew_secs: i64::MIN,
            ..plain
        },
    ]
}

/// A small ID card, as the compact seeds carry it.
fn compact_items() -> Vec<(&'static str, ItemValue)> {
    vec![
        ("name", ItemValue::Text("陈丽华".into())),
        ("id_number_last4", ItemValue::Text("0221".into())),
        ("birth_date", ItemValue::Date(6282)),
        ("age_over_18", ItemValue::Bool(true)),
        ("age_over_60", ItemValue::Bool(false)),
        ("serial", ItemValue::Uint(1_000_001)),
    ]
}

/// A compact licence of [`compact_items`] issued to the fixed holder by
/// the fixed key of `alg`, valid around [`NOW`].
fn compact_issue(keys: &Keys, alg: Alg) -> Option<compact::IssuedCompact> {
    let hash = match alg {
        Alg::Sm2 => sdjwt::HashAlg::Sm3,
        Alg::Es256 | Alg::EdDsa => sdjwt::HashAlg::Sha256,
    };
    let status = compact::StatusRef {
        idx: 5,
        list: compact::StatusListId::Uri(STATUS_SUB.into()),
    };
    let fields = MsoFields {
        licence_type: "id_card",
        issuer: COMPACT_ISSUER,
        device_key: &keys.holder.public_key(),
        validity: Validity {
            iat: (NOW - 3600) as u64,
            exp: (NOW + 86_400) as u64,
            valid_from: 18_383,
            valid_until: compact::NO_END,
        },
        status: Some(&status),
    };
    let mut salts = compact::DeterministicSalts::new(alg.name().as_bytes());
    compact::issue(
        &fields,
        &compact_items(),
        hash,
        keys.issuer_signer(alg),
        &mut salts,
    )
    .ok()
}

/// A valid presentation (CBOR) under the ES256 issuer key, made once: the
/// cheapest to verify on every run.
fn compact_fixture(keys: &Keys) -> Option<&'static [u8]> {
    static FIXTURE: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    FIXTURE
        .get_or_init(|| {
            let issued = compact_issue(keys, Alg::Es256)?;
            let shown = issued.items.get(..2)?;
            compact::present_cbor(
                &issued.issuer_signed,
                shown,
                NOW as u64,
                [1; compact::PID_LEN],
                None,
                &keys.holder,
            )
            .ok()
        })
        .as_deref()
}

/// The verifier id of the fuzzed requests' fixture.
const REQUEST_VERIFIER: &str = "urn:palmgov:verifier:330106:xihu-service-hall";

/// Any bytes as a verifier's request QR (two-way 亮证), as a string and
/// as CBOR behind the prefix: a typed error or a request, never a panic.
/// Properties: an accepted request names the fixture's verifier (the only
/// one with a key); the fixed fixture verifies, and refuses any bytes
/// appended to it.
pub fn request_qr(data: &[u8]) {
    let Some(keys) = keys() else {
        return;
    };
    let key = |id: &str, alg: Alg| {
        (id == REQUEST_VERIFIER && alg == Alg::Es256).then(|| keys.es256_public.clone())
    };
    let now = NOW;
    let text = String::from_utf8_lossy(data);
    let raw = format!(
        "{}{}",
        compact::REQUEST_PREFIX,
        compact::base45::encode(data)
    );
    for qr in [text.as_ref(), raw.as_str()] {
        if let Ok(request) = compact::verify_request(qr, &key, now, 300, 30) {
            assert_eq!(request.verifier, REQUEST_VERIFIER);
        }
    }
    let fixture = compact::make_request(
        REQUEST_VERIFIER,
        &[7; compact::NONCE_LEN],
        &["name".to_string(), "age_over_18".to_string()],
        now as u64,
        &keys.es256,
    )
    .expect("the fixture signs");
    assert!(compact::verify_request(&fixture, &key, now, 300, 30).is_ok());
    if !data.is_empty() {
        let bytes = compact::base45::decode(&fixture[compact::REQUEST_PREFIX.len()..])
            .expect("the fixture decodes");
        let longer = [bytes.as_slice(), data].concat();
        let longer = format!(
            "{}{}",
            compact::REQUEST_PREFIX,
            compact::base45::encode(&longer)
        );
        assert!(compact::verify_request(&longer, &key, now, 300, 30).is_err());
    }
}

/// Any bytes as a compact presentation: as a QR string (lossy UTF-8) and
/// as CBOR behind `PG1:` and Base45, verified under each of four options
/// (with and without a request, the clock's ends); and as what a holder
/// stores. Then, for whatever reads as a presentation, the same with the
/// issuer's COSE_Sign1 re-signed by the fixed key of its algorithm and
/// the device signature made again by the fixed holder key: the checks
/// behind the signatures (MSO, items, request, times) see mutated input.
///
/// Properties: the QR string and its CBOR verify alike; an accepted
/// presentation's request is the one the options expected; the fixed
/// fixture verifies, and refuses any bytes appended to it.
pub fn compact_presentation(data: &[u8]) {
    let Some(keys) = keys() else {
        return;
    };
    let text = String::from_utf8_lossy(data);
    compact_text(keys, &text);
    let raw = format!("{}{}", compact::PREFIX, compact::base45::encode(data));
    compact_text(keys, &raw);
    let _ = compact::IssuedCompact::from_bytes(data);

    let decoded = text
        .strip_prefix(compact::PREFIX)
        .and_then(compact::base45::decode);
    for cbor in [Some(data), decoded.as_deref()].into_iter().flatten() {
        if let Some(resigned) = compact_resign(keys, cbor) {
            compact_text(keys, &resigned);
        }
    }

    if let Some(fixture) = compact_fixture(keys) {
        let issuer_key = |iss: &str, alg: Alg| keys.compact_key(iss, alg);
        let options = compact_options()[0];
        let verified = compact::verify_cbor(fixture, &issuer_key, &options);
        assert!(
            verified.is_ok(),
            "the fixture was refused: {:?}",
            verified.err()
        );
        if !data.is_empty() && fixture.len() + data.len() <= compact::MAX_CBOR_BYTES {
            let longer = [fixture, data].concat();
            assert_eq!(
                compact::verify_cbor(&longer, &issuer_key, &options).err(),
                Some(CompactError::TrailingBytes)
            );
        }
    }
}

fn compact_text(keys: &Keys, text: &str) {
    let issuer_key = |iss: &str, alg: Alg| keys.compact_key(iss, alg);
    let cbor = text
        .strip_prefix(compact::PREFIX)
        .and_then(compact::base45::decode);
    for options in compact_options() {
        let verified = compact::verify(text, &issuer_key, &options);
        if let Some(cbor) = &cbor {
            if text.len() <= compact::MAX_QR_CHARS {
                assert_eq!(
                    compact::verify_cbor(cbor, &issuer_key, &options),
                    verified,
                    "the QR string and its CBOR verified differently"
                );
            }
        }
        if let Ok(v) = verified {
            let expected = options
                .expect_request
                .map(|(nonce, verifier)| (nonce.to_vec(), verifier.to_owned()));
            assert_eq!(v.request, expected, "a request other than the one expected");
        }
    }
}

/// A presentation's CBOR with its issuer part re-signed by the fixed key
/// of its COSE algorithm and its device signature by the fixed holder
/// key, as a QR string; `None` when it does not read as one.
fn compact_resign(keys: &Keys, cbor: &[u8]) -> Option<String> {
    use crate::compact::cbor as c;
    let shown = c::read_presentation(cbor).ok()?;
    let sign1 = c::read_sign1(shown.issuer_signed).ok()?;
    let signer = keys.issuer_signer(sign1.alg);
    let protected = c::protected_header(sign1.alg).ok()?;
    let signature = signer
        .sign(&c::sig_structure(&protected, sign1.payload).ok()?)
        .ok()?;
    let issuer_signed = c::sign1_bytes(&protected, sign1.payload, &signature).ok()?;
    let message = c::device_message(
        &issuer_signed,
        &shown.items,
        shown.time,
        &shown.pid,
        shown.request,
    )
    .ok()?;
    let device_signature = keys.holder.sign(&message).ok()?;
    let bytes = c::presentation_bytes(
        &issuer_signed,
        &shown.items,
        shown.time,
        &shown.pid,
        shown.request,
        &device_signature,
    )
    .ok()?;
    Some(format!(
        "{}{}",
        compact::PREFIX,
        compact::base45::encode(&bytes)
    ))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::sdjwt::{DeterministicSalts, HashAlg, SdJwtError};
    use crate::status_list::issue_token;

    fn corpus(target: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus")
            .join(target)
    }

    /// Replays `fuzz/corpus/<target>` as `tests/tests/fuzz_corpus.rs` does
    /// for the core's targets (the system tests do not depend on this
    /// crate).
    fn replay(target: &str, run: fn(&[u8])) -> usize {
        assert!(keys().is_some(), "a fixed key was refused");
        let mut n = 0;
        for entry in std::fs::read_dir(corpus(target)).unwrap().flatten() {
            let data = std::fs::read(entry.path()).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {:?} panicked", entry.path());
            n += 1;
        }
        n
    }

    #[test]
    fn credential_corpus() {
        assert!(replay("credential", credential) >= 19);
    }

    #[test]
    fn status_list_corpus() {
        assert!(replay("status_list", status_list) >= 16);
    }

    #[test]
    fn envelope_corpus() {
        assert!(replay("envelope", envelope) >= 13);
    }

    #[test]
    fn request_qr_corpus() {
        assert!(replay("request_qr", request_qr) >= 2);
        // The named seeds are valid requests, and stay so.
        let keys = keys().unwrap();
        let key = |id: &str, alg: Alg| {
            (id == REQUEST_VERIFIER && alg == Alg::Es256).then(|| keys.es256_public.clone())
        };
        for name in ["name_age", "household_visit"] {
            let qr = std::fs::read_to_string(corpus("request_qr").join(name)).unwrap();
            assert!(
                compact::verify_request(&qr, &key, NOW, 300, 30).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn compact_presentation_corpus() {
        assert!(replay("compact_presentation", compact_presentation) >= 3);
        // The named seeds are valid payloads, and stay so.
        let keys = keys().unwrap();
        let issuer_key = |iss: &str, alg: Alg| keys.compact_key(iss, alg);
        let mut named = 0;
        for entry in std::fs::read_dir(corpus("compact_presentation"))
            .unwrap()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.len() == 40 && name.bytes().all(|c| c.is_ascii_hexdigit()) {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let verified = compact_options()[..2]
                .iter()
                .any(|options| compact::verify(&text, &issuer_key, options).is_ok());
            assert!(verified, "{name} no longer verifies");
            named += 1;
        }
        assert!(named >= 3);
    }

    /// Why an SD-JWT the seed generator made was refused, or `ok`.
    fn reason(result: &Result<sdjwt::Verified, SdJwtError>) -> &'static str {
        result.as_ref().map_or_else(SdJwtError::reason, |_| "ok")
    }

    fn write(target: &str, name: &str, bytes: impl AsRef<[u8]>) {
        let dir = corpus(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }

    fn opts(key_binding: bool) -> VerifyOptions<'static> {
        VerifyOptions {
            key_binding: key_binding.then_some((AUD, NONCE)),
            ..verify_options()[0]
        }
    }

    fn verify(text: &str, key_binding: bool) -> Result<sdjwt::Verified, SdJwtError> {
        let keys = keys().unwrap();
        sdjwt::verify(text, &|h, _| keys.issuer_key(h), &opts(key_binding))
    }

    fn licence(keys: &Keys) -> Value {
        json!({
            "iss": "https://issuer.example.cn",
            "iat": NOW - 3600,
            "nbf": NOW - 3600,
            "exp": NOW + 86_400,
            "vct": "urn:palmgov:licence:driving_licence",
            "cnf": {"jwk": keys.holder.public_key().to_jwk()},
            "status": {"status_list": {"idx": 5, "uri": STATUS_SUB}},
            "licence_number": "1.2.156.3005.2.11100000000013338W.001.330000.0123456.001.X",
            "holder_name": "王小明",
            "address": {"locality": "西湖区", "region": "浙江省", "country": "CN"},
            "classes": ["C1", "C2", "D"],
        })
    }

    const LICENCE_SD: &[&str] = &[
        "/licence_number",
        "/holder_name",
        "/address",
        "/address/locality",
        "/classes/1",
        "/classes/2",
    ];

    fn issue(signer: &dyn Signer, kid: &str, hash: HashAlg, claims: Value) -> String {
        sdjwt::issue(
            claims,
            LICENCE_SD,
            hash,
            json!({"typ": sdjwt::TYP_SD_JWT_VC, "kid": kid}),
            signer,
            &mut DeterministicSalts::new(kid.as_bytes()),
        )
        .unwrap_or_else(|e| panic!("{kid}: {}", e.reason()))
    }

    fn present(sd_jwt: &str, pointers: &[&str], keys: &Keys, nonce: &str) -> String {
        let kb = KeyBindingInput {
            aud: AUD,
            nonce,
            iat: NOW - 10,
            signer: &keys.holder,
        };
        sdjwt::present(sd_jwt, &sdjwt::by_pointers(pointers).unwrap(), Some(kb)).unwrap()
    }

    /// A JWT signed over any header and claims, as an issuer would never
    /// make but a fuzzer's input may hold.
    fn signed(header: Value, claims: &Value, signer: &dyn Signer) -> String {
        jws::sign(&header, claims.to_string().as_bytes(), signer).unwrap()
    }

    /// Writes the named seeds of the four targets' corpus (the files with
    /// 40-hex names are the fuzzer's, and stay). ES256 signatures are
    /// randomised, so a run rewrites those seeds with other bytes that say
    /// the same. `cargo test -p palmgov-credentials --lib fuzzing -- --ignored`
    #[test]
    #[ignore = "writes fuzz/corpus; run by hand when the seeds change"]
    fn write_seed_corpus() {
        let keys = keys().unwrap();
        credential_seeds(keys);
        status_list_seeds(keys);
        envelope_seeds(keys);
        compact_seeds(keys);
        request_seeds(keys);
    }

    /// The request target's seeds: `cargo test -p palmgov-credentials --lib
    /// write_request_seed_corpus -- --ignored`
    #[test]
    #[ignore = "writes fuzz/corpus/request_qr; run by hand when the seeds change"]
    fn write_request_seed_corpus() {
        request_seeds(keys().unwrap());
    }

    fn request_seeds(keys: &Keys) {
        let t = "request_qr";
        let key = |id: &str, alg: Alg| {
            (id == REQUEST_VERIFIER && alg == Alg::Es256).then(|| keys.es256_public.clone())
        };
        for (name, asks) in [
            ("name_age", vec!["name", "age_over_18"]),
            ("household_visit", vec!["name", "id_number", "address"]),
        ] {
            let asks: Vec<String> = asks.into_iter().map(str::to_owned).collect();
            let qr = compact::make_request(
                REQUEST_VERIFIER,
                &[name.len() as u8; compact::NONCE_LEN],
                &asks,
                NOW as u64,
                &keys.es256,
            )
            .unwrap();
            assert!(compact::verify_request(&qr, &key, NOW, 300, 30).is_ok());
            write(t, name, qr);
        }
    }

    /// The compact target's seeds alone: `cargo test -p
    /// palmgov-credentials --lib write_compact_seed_corpus -- --ignored`
    #[test]
    #[ignore = "writes fuzz/corpus/compact_presentation; run by hand when the seeds change"]
    fn write_compact_seed_corpus() {
        compact_seeds(keys().unwrap());
    }

    /// Three valid presentations: SM2/SM3 with two items, ES256/SHA-256
    /// answering a request, Ed25519 with every item (text, date, bool,
    /// uint).
    fn compact_seeds(keys: &Keys) {
        let t = "compact_presentation";
        let issuer_key = |iss: &str, alg: Alg| keys.compact_key(iss, alg);
        let seed = |name: &str, alg: Alg, shown: &[&str], request: Option<(&[u8], &str)>| {
            let issued = compact_issue(keys, alg).unwrap();
            let items: Vec<compact::Item> = issued
                .items
                .iter()
                .filter(|i| shown.contains(&i.name.as_str()))
                .cloned()
                .collect();
            let pid = [name.len() as u8; compact::PID_LEN];
            let code = compact::present(
                &issued.issuer_signed,
                &items,
                NOW as u64 - 10,
                pid,
                request,
                &keys.holder,
            )
            .unwrap();
            let options = compact::VerifyOptions {
                expect_request: request,
                ..compact_options()[0]
            };
            let verified = compact::verify(&code, &issuer_key, &options).unwrap();
            assert_eq!(verified.items.len(), shown.len(), "{name}");
            write(t, name, code);
        };
        seed("sm2_sm3_name_age", Alg::Sm2, &["name", "age_over_18"], None);
        seed(
            "es256_request",
            Alg::Es256,
            &["name", "id_number_last4", "birth_date"],
            Some((COMPACT_NONCE, COMPACT_VERIFIER)),
        );
        let all: Vec<&str> = compact_items().iter().map(|(n, _)| *n).collect();
        seed("ed25519_all_items", Alg::EdDsa, &all, None);
    }

    fn credential_seeds(keys: &Keys) {
        let t = "credential";
        let expect = |name: &str, text: &str, kb: bool, want: &str| {
            let got = reason(&verify(text, kb));
            assert_eq!(got, want, "{name}");
            write(t, name, text);
        };
        let es = issue(&keys.es256, KID_ES256, HashAlg::Sha256, licence(keys));
        expect("es256_vc_issued", &es, false, "ok");
        let sm = issue(&keys.sm2, KID_SM2, HashAlg::Sm3, licence(keys));
        expect("sm2_sm3_vc_issued", &sm, false, "ok");
        let kb = present(&es, &["/holder_name", "/address/locality"], keys, NONCE);
        expect("es256_vc_kb", &kb, true, "ok");
        let kb_sm = present(&sm, &["/licence_number", "/classes"], keys, NONCE);
        expect("sm2_vc_kb", &kb_sm, true, "ok");
        let ed = sdjwt::issue(
            json!({"iss": "https://issuer.example.cn", "sub": "x", "items": [1, [2, {"a": 3}]]}),
            &["/sub", "/items/0", "/items/1", "/items/1/1", "/items/1/1/a"],
            HashAlg::Sha256,
            json!({"typ": "example+sd-jwt"}),
            &keys.ed25519,
            &mut DeterministicSalts::new(b"ed"),
        )
        .unwrap();
        expect("ed25519_nested_arrays", &ed, false, "ok");

        // Near misses.
        let wrong_nonce = present(&es, &["/holder_name"], keys, "another-nonce");
        expect("kb_wrong_nonce", &wrong_nonce, true, "key_binding_invalid");
        // `es256_vc_issued` is verified with key binding required too.
        assert_eq!(reason(&verify(&es, true)), "key_binding_required");
        let parts: Vec<&str> = es.split('~').collect();
        let duplicate = format!("{}~{}~{}~", parts[0], parts[1], parts[1]);
        expect(
            "duplicate_disclosure",
            &duplicate,
            false,
            "duplicate_disclosure",
        );
        let mut tampered = parts.clone();
        let altered = B64.encode(br#"["salt","holder_name","Eve"]"#);
        tampered[2] = &altered;
        expect(
            "unreferenced_disclosure",
            &tampered.join("~"),
            false,
            "unreferenced_disclosure",
        );
        let no_tilde = es.trim_end_matches('~').to_owned();
        expect("no_trailing_tilde", &no_tilde, false, "malformed");
        let mut claims = licence(keys);
        claims["exp"] = json!(NOW - 86_400);
        let expired = issue(&keys.es256, KID_ES256, HashAlg::Sha256, claims);
        expect("expired", &expired, false, "expired");
        // Signed by SM2 but naming the ES256 key.
        let swapped = issue(&keys.sm2, KID_ES256, HashAlg::Sm3, licence(keys));
        expect("alg_swap", &swapped, false, "wrong_alg");
        let none = format!(
            "{}.{}.~",
            B64.encode(br#"{"alg":"none","typ":"dc+sd-jwt"}"#),
            B64.encode(licence(keys).to_string())
        );
        expect("alg_none", &none, false, "alg_not_allowed");
        // A VC whose status is disclosable: issued untyped, then the
        // header made dc+sd-jwt and signed again.
        let untyped = sdjwt::issue(
            licence(keys),
            &["/status", "/holder_name"],
            HashAlg::Sha256,
            json!({"typ": "example+sd-jwt"}),
            &keys.es256,
            &mut DeterministicSalts::new(b"status"),
        )
        .unwrap();
        let (jwt, rest) = untyped.split_once('~').unwrap();
        let payload = Compact::parse(jwt).unwrap().payload;
        let retyped = jws::sign(&json!({"typ": "dc+sd-jwt"}), &payload, &keys.es256).unwrap();
        expect(
            "status_disclosable",
            &format!("{retyped}~{rest}"),
            false,
            "claim_not_disclosable",
        );
        let mut deep = json!("leaf");
        for _ in 0..20 {
            deep = json!({"d": deep});
        }
        let deep = signed(json!({}), &json!({"deep": deep}), &keys.es256) + "~";
        expect("too_deep", &deep, false, "too_deep");
        let reserved = signed(json!({}), &json!({"_sd": "x", "...": 1}), &keys.es256) + "~";
        expect("reserved_misused", &reserved, false, "malformed");
        let sd_alg = signed(json!({}), &json!({"_sd_alg": "md5"}), &keys.ed25519) + "~";
        expect("sd_alg_md5", &sd_alg, false, "hash_alg_not_allowed");

        // RFC 9901's own examples, under its issuer key.
        let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        for (file, name, kb, want) in [
            ("rfc9901-5.1-sd-jwt.txt", "rfc9901_5_1", false, "ok"),
            ("rfc9901-5.2-presentation.txt", "rfc9901_5_2", true, "ok"),
            ("rfc9901-a.3-sd-jwt-vc.txt", "rfc9901_a_3", false, "ok"),
        ] {
            let text = std::fs::read_to_string(vectors.join(file)).unwrap();
            expect(name, &text, kb, want);
        }
    }

    fn status_list_seeds(keys: &Keys) {
        let t = "status_list";
        let claim = |name: &str, claim: Value| write(t, name, claim.to_string());
        for bits in [1u8, 2, 4, 8] {
            let mut list = StatusList::new(bits, 64).unwrap();
            for idx in (0..64).step_by(5) {
                list.set(idx, (idx % 3) as u8 & (u8::MAX >> (8 - bits)))
                    .unwrap();
            }
            claim(&format!("claim_{bits}bit"), list.to_claim());
        }
        // draft-ietf-oauth-status-list's examples.
        claim("draft_1bit", json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ"}));
        claim(
            "draft_token_claims",
            json!({"sub": STATUS_SUB, "iat": NOW, "ttl": 43200,
                   "status_list": {"bits": 2, "lst": "eNo76fITAAPfAgc"}}),
        );
        claim("bits_3", json!({"bits": 3, "lst": "eNrbuRgAAhcBXQ"}));
        claim(
            "padded_base64",
            json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ=="}),
        );
        claim("truncated_zlib", json!({"bits": 1, "lst": "eNrbuRgA"}));
        // The raw form: a width byte, then a zlib stream.
        let mut raw = vec![1u8];
        raw.extend(miniz_oxide::deflate::compress_to_vec_zlib(&[0xa5; 300], 9));
        write(t, "raw_zlib_300", raw);
        // A zlib stream of 17 MiB of zeros: refused while inflating.
        let mut bomb = vec![3u8];
        bomb.extend(miniz_oxide::deflate::compress_to_vec_zlib(
            &vec![0; status_list::MAX_LIST_BYTES + 1024 * 1024],
            9,
        ));
        write(t, "raw_zlib_bomb", bomb);

        let mut list = StatusList::new(2, 1000).unwrap();
        list.set(5, 1).unwrap();
        list.set(6, 2).unwrap();
        let token = |signer: &dyn Signer, exp: Option<i64>, sub: &str| {
            issue_token(&list, sub, NOW - 60, exp, Some(300), signer).unwrap()
        };
        let es = token(&keys.es256, Some(NOW + 3600), STATUS_SUB);
        assert!(status_list::verify_token(&es, &keys.es256_public, STATUS_SUB, NOW).is_ok());
        write(t, "token_es256", &es);
        let sm = token(&keys.sm2, None, STATUS_SUB);
        assert!(status_list::verify_token(&sm, &keys.sm2_public, STATUS_SUB, NOW).is_ok());
        write(t, "token_sm2", &sm);
        write(
            t,
            "token_expired",
            token(&keys.es256, Some(NOW - 3600), STATUS_SUB),
        );
        write(
            t,
            "token_wrong_sub",
            token(&keys.es256, None, "https://elsewhere.example"),
        );
        write(t, "token_ed25519", token(&keys.ed25519, None, STATUS_SUB));
    }

    fn envelope_seeds(keys: &Keys) {
        let t = "envelope";
        let [a, b, c] = &keys.roots;
        let trust_body = json!({"issuers": [{
            "iss": "https://issuer.example.cn",
            "keys": [keys.es256_public.to_jwk(), keys.sm2_public.to_jwk()],
            "types": ["driving_licence"],
        }]});
        let open = |text: &str, kind: &str| envelope::open(&keys.root, kind, text, None, NOW);
        let doc =
            |kind: &str, version: u64, expires: i64, body: &Value, signers: &[&dyn Signer]| {
                envelope::sign(kind, version, expires, body, signers).unwrap()
            };

        let trust = doc(TRUST_KIND, 3, NOW + 86_400, &trust_body, &[a, b]);
        assert!(!open(&trust, TRUST_KIND).unwrap().stale);
        write(t, "trust_list", &trust);
        let stale = doc(TRUST_KIND, 2, NOW - 1, &trust_body, &[b, c]);
        assert!(open(&stale, TRUST_KIND).unwrap().stale);
        write(t, "trust_list_stale", &stale);
        let one = doc(TRUST_KIND, 3, NOW + 86_400, &trust_body, &[c]);
        assert_eq!(
            open(&one, TRUST_KIND).unwrap_err().reason(),
            "threshold_not_met"
        );
        write(t, "trust_list_one_signature", &one);
        let profile = doc(
            PROFILE_KIND,
            1,
            NOW + 86_400,
            &json!({"region": "330106", "forms": []}),
            &[&keys.delegate],
        );
        assert!(open(&profile, PROFILE_KIND).is_ok());
        write(t, "profile_delegated", &profile);
        let by_roots = doc(PROFILE_KIND, 1, NOW + 86_400, &json!({}), &[a, b, c]);
        assert_eq!(
            open(&by_roots, PROFILE_KIND).unwrap_err().reason(),
            "threshold_not_met"
        );
        write(t, "profile_by_roots", &by_roots);

        // Root rotation: version 2 drops the first key, adds one, keeps
        // the delegation; signed by the old and the new threshold.
        let new_key = Ed25519Signer::from_seed(&[0xf4; 32]).unwrap();
        let next = Root::pinned(
            vec![b.public_key(), c.public_key(), new_key.public_key()],
            2,
            2,
        )
        .unwrap()
        .with_role(PROFILE_KIND, vec![keys.delegate.public_key()], 1)
        .unwrap();
        let root_v2 = doc(
            envelope::ROOT_KIND,
            2,
            NOW + 365 * 86_400,
            &next.to_body(),
            &[a, b],
        );
        let root_v2 = envelope::cosign(&root_v2, &[&new_key]).unwrap();
        let rotated = envelope::update_root(&keys.root, &root_v2).unwrap();
        assert_eq!(
            (rotated.version(), rotated.keys(), rotated.roles()),
            (2, next.keys(), next.roles())
        );
        write(t, "root_v2", &root_v2);
        let skipped = doc(
            envelope::ROOT_KIND,
            3,
            NOW + 86_400,
            &keys.root.to_body(),
            &[a, b],
        );
        assert_eq!(
            envelope::update_root(&keys.root, &skipped)
                .unwrap_err()
                .reason(),
            "root_version_skipped"
        );
        write(t, "root_v3_skipped", &skipped);
        let old_only = doc(envelope::ROOT_KIND, 2, NOW + 86_400, &next.to_body(), &[a]);
        assert!(envelope::update_root(&keys.root, &old_only).is_err());
        write(t, "root_v2_old_keys_only", &old_only);

        // Hand-made near misses.
        let wire = |payload: &[u8], signatures: Value| {
            json!({"signed": B64.encode(payload), "signatures": signatures}).to_string()
        };
        let spaced = format!(
            r#"{{"body": {{}}, "expires": {}, "kind": "{TRUST_KIND}", "version": 1}}"#,
            NOW + 60
        );
        let message = envelope::signing_input(TRUST_KIND, spaced.as_bytes());
        let signature = |signer: &Ed25519Signer| {
            json!({
                "kid": signer.public_key().thumbprint(),
                "alg": "EdDSA",
                "sig": B64.encode(signer.sign(&message).unwrap()),
            })
        };
        let sigs = json!([signature(a), signature(b)]);
        let not_canonical = wire(spaced.as_bytes(), sigs);
        assert_eq!(
            open(&not_canonical, TRUST_KIND).unwrap_err().reason(),
            "not_canonical"
        );
        write(t, "not_canonical", &not_canonical);
        let duplicate = format!(
            r#"{{"body":{{}},"expires":1,"kind":"{TRUST_KIND}","kind":"{PROFILE_KIND}","version":1}}"#
        );
        write(t, "duplicate_member", wire(duplicate.as_bytes(), json!([])));
        let mut extra: Value = serde_json::from_str(&trust).unwrap();
        extra["unsigned"] = json!(true);
        assert_eq!(
            open(&extra.to_string(), TRUST_KIND).unwrap_err().reason(),
            "malformed"
        );
        write(t, "unknown_member", extra.to_string());
        let mut hs: Value = serde_json::from_str(&trust).unwrap();
        hs["signatures"][0]["alg"] = json!("HS256");
        assert_eq!(
            open(&hs.to_string(), TRUST_KIND).unwrap_err().reason(),
            "threshold_not_met"
        );
        write(t, "alg_hs256", hs.to_string());
        let mut twice: Value = serde_json::from_str(&trust).unwrap();
        let first = twice["signatures"][0].clone();
        twice["signatures"][1] = first;
        assert_eq!(
            open(&twice.to_string(), TRUST_KIND).unwrap_err().reason(),
            "threshold_not_met"
        );
        write(t, "same_key_twice", twice.to_string());
    }
}
