//! Compact form unit tests: round trips under an SM2/SM3 and an
//! ES256/SHA-256 issuer, each refusal of the verification order, the
//! limits, and the QR size of an ID card.

use qrcode::{EcLevel, QrCode, Version};

use super::cbor::{self, Mso};
use super::*;
use crate::keys::{Alg, Ed25519Signer, Es256Signer, PublicKey, Signer, Sm2Signer};

const NOW: i64 = 1_760_000_000;
const ISSUER: &str = "urn:palmgov:issuer:330000:public-security";
const STATUS_URI: &str = "https://api.example.gov.cn/v1/wallet/status-lists/1";
const NONCE: &[u8] = b"0123456789abcdef";
const VERIFIER: &str = "urn:palmgov:verifier:330106:counter-7";
const PID: [u8; PID_LEN] = [7; PID_LEN];

fn sm2_issuer() -> Sm2Signer {
    Sm2Signer::from_bytes(&[0x3c; 32]).unwrap()
}

fn day(date: &str) -> i32 {
    date_to_days(date).unwrap()
}

fn uday(date: &str) -> u32 {
    u32::try_from(day(date)).unwrap()
}

/// The ID card of the size test, with realistic data.
fn id_card() -> Vec<(&'static str, ItemValue)> {
    let text = |s: &str| ItemValue::Text(s.to_owned());
    vec![
        (
            "licence_id",
            text("1.2.156.3005.2.11100000000013338W001.113300000024820075.ID000000000001.001.X"),
        ),
        ("name", text("陈丽华")),
        ("id_number", text("330106198703150221")),
        ("id_number_last4", text("0221")),
        ("birth_date", ItemValue::Date(day("1987-03-15"))),
        ("sex", text("女")),
        ("address", text("浙江省杭州市西湖区文三路90号")),
        ("age_over_18", ItemValue::Bool(true)),
        ("age_over_60", ItemValue::Bool(false)),
    ]
}

fn validity() -> Validity {
    Validity {
        iat: (NOW - 3600) as u64,
        exp: (NOW + 90 * 86_400) as u64,
        valid_from: uday("2020-05-01"),
        valid_until: uday("2040-05-01"),
    }
}

/// The status entry as the backend issues it: the list by its id in the
/// trust list.
fn status() -> StatusRef {
    StatusRef {
        idx: 704_213,
        list: StatusListId::Id(1),
    }
}

/// The same entry with the list named by its URI (still accepted).
fn status_by_uri() -> StatusRef {
    StatusRef {
        idx: 704_213,
        list: StatusListId::Uri(STATUS_URI.into()),
    }
}

fn issue_with(
    issuer: &dyn Signer,
    hash: HashAlg,
    holder: &dyn Signer,
    validity: Validity,
    items: &[(&str, ItemValue)],
) -> IssuedCompact {
    let status = status();
    let fields = MsoFields {
        licence_type: "id_card",
        issuer: ISSUER,
        device_key: &holder.public_key(),
        validity,
        status: Some(&status),
    };
    issue(
        &fields,
        items,
        hash,
        issuer,
        &mut DeterministicSalts::new(b"test"),
    )
    .unwrap()
}

fn issue_card(issuer: &dyn Signer, hash: HashAlg, holder: &dyn Signer) -> IssuedCompact {
    issue_with(issuer, hash, holder, validity(), &id_card())
}

fn opts() -> VerifyOptions<'static> {
    VerifyOptions {
        now: NOW,
        validity_secs: 60,
        skew_secs: 30,
        expect_request: None,
    }
}

fn with_request() -> VerifyOptions<'static> {
    VerifyOptions {
        expect_request: Some((NONCE, VERIFIER)),
        ..opts()
    }
}

/// The trust list of one issuer with one key, whatever the algorithm
/// asked for (so that an algorithm swap reaches the key's own check).
fn trust(key: PublicKey) -> impl Fn(&str, Alg) -> Option<PublicKey> {
    move |iss: &str, _: Alg| (iss == ISSUER).then(|| key.clone())
}

fn pick(issued: &IssuedCompact, names: &[&str]) -> Vec<Item> {
    names
        .iter()
        .map(|n| issued.items.iter().find(|i| i.name == *n).unwrap().clone())
        .collect()
}

fn qr(cbor: &[u8]) -> String {
    format!("{PREFIX}{}", base45::encode(cbor))
}

/// A presentation made without `present_cbor`'s checks: what a forger or
/// a broken phone could send, signed by `device`.
fn craft(
    issuer_signed: &[u8],
    items: &[Item],
    time: u64,
    request: Option<(&[u8], &str)>,
    device: &dyn Signer,
) -> Vec<u8> {
    let message = cbor::device_message(issuer_signed, items, time, &PID, request).unwrap();
    let signature = device.sign(&message).unwrap();
    cbor::presentation_bytes(issuer_signed, items, time, &PID, request, &signature).unwrap()
}

/// An MSO's bytes signed as a COSE_Sign1 by `signer`.
fn sign_mso(payload: &[u8], signer: &dyn Signer) -> Vec<u8> {
    let protected = cbor::protected_header(signer.alg()).unwrap();
    let sig = signer
        .sign(&cbor::sig_structure(&protected, payload).unwrap())
        .unwrap();
    cbor::sign1_bytes(&protected, payload, &sig).unwrap()
}

fn reason<T>(r: Result<T, CompactError>) -> &'static str {
    r.map_or_else(|e| e.reason(), |_| "ok")
}

#[test]
fn round_trips_under_sm2_sm3_and_es256_sha256() {
    let holder = Es256Signer::generate().unwrap();
    let es256 = Es256Signer::generate().unwrap();
    let sm2 = sm2_issuer();
    for (issuer, hash) in [
        (&sm2 as &dyn Signer, HashAlg::Sm3),
        (&es256 as &dyn Signer, HashAlg::Sha256),
    ] {
        let issued = issue_card(issuer, hash, &holder);
        assert_eq!(issued.items.len(), 9);
        assert!(
            issued
                .items
                .iter()
                .enumerate()
                .all(|(i, item)| usize::from(item.id) == i)
        );
        // What the backend sends and the holder stores reads back.
        let stored = IssuedCompact::from_bytes(&issued.to_bytes().unwrap()).unwrap();
        assert_eq!(stored, issued);

        let shown = pick(&issued, &["name", "age_over_18", "birth_date"]);
        let time = NOW as u64 - 5;
        let code = present(&issued.issuer_signed, &shown, time, PID, None, &holder).unwrap();
        assert!(code.starts_with("PG1:") && is_qr_alphanumeric(&code));
        let v = verify(&code, &trust(issuer.public_key()), &opts()).unwrap();
        assert_eq!(v.licence_type, "id_card");
        assert_eq!(v.issuer, ISSUER);
        assert_eq!((v.alg, v.hash), (issuer.alg(), hash));
        assert_eq!(v.validity, validity());
        assert!(v.validity.in_force(i64::from(day("2025-10-09"))));
        assert!(!v.validity.in_force(i64::from(day("2040-05-02"))));
        assert_eq!(v.status, Some(status()));
        assert_eq!(
            v.items,
            vec![
                ("name".into(), ItemValue::Text("陈丽华".into())),
                ("age_over_18".into(), ItemValue::Bool(true)),
                ("birth_date".into(), ItemValue::Date(day("1987-03-15"))),
            ]
        );
        assert_eq!(v.item("age_over_18"), Some(&ItemValue::Bool(true)));
        assert_eq!(v.item("id_number"), None);
        assert_eq!((v.pid, v.time, v.request), (PID, time, None));

        // Bound to a verifier's request; everything; nothing.
        let code = present(
            &issued.issuer_signed,
            &shown,
            time,
            PID,
            Some((NONCE, VERIFIER)),
            &holder,
        )
        .unwrap();
        let v = verify(&code, &trust(issuer.public_key()), &with_request()).unwrap();
        assert_eq!(v.request, Some((NONCE.to_vec(), VERIFIER.to_owned())));
        let all = present(
            &issued.issuer_signed,
            &issued.items,
            time,
            PID,
            None,
            &holder,
        )
        .unwrap();
        let v = verify(&all, &trust(issuer.public_key()), &opts()).unwrap();
        assert_eq!(v.items.len(), 9);
        let none = present(&issued.issuer_signed, &[], time, PID, None, &holder).unwrap();
        assert!(
            verify(&none, &trust(issuer.public_key()), &opts())
                .unwrap()
                .items
                .is_empty()
        );
        // The same bytes over another channel.
        let cbor = present_cbor(&issued.issuer_signed, &shown, time, PID, None, &holder).unwrap();
        assert!(verify_cbor(&cbor, &trust(issuer.public_key()), &opts()).is_ok());
    }
    // An Ed25519 issuer, a status-less MSO and every kind of value.
    let ed = Ed25519Signer::from_seed(&[9; 32]).unwrap();
    let fields = MsoFields {
        licence_type: "t",
        issuer: ISSUER,
        device_key: &holder.public_key(),
        validity: validity(),
        status: None,
    };
    let items = [
        ("count", ItemValue::Uint(u64::MAX)),
        ("old", ItemValue::Date(i32::MIN)),
        ("empty", ItemValue::Text(String::new())),
    ];
    let issued = issue(
        &fields,
        &items,
        HashAlg::Sha256,
        &ed,
        &mut RandomSalts::new(),
    )
    .unwrap();
    let code = present(&issued.issuer_signed, &issued.items, 0, PID, None, &holder).unwrap();
    let v = verify(
        &code,
        &trust(ed.public_key()),
        &VerifyOptions { now: 30, ..opts() },
    );
    assert_eq!(reason(v.clone()), "not_yet_valid");
    let late = VerifyOptions {
        now: NOW,
        validity_secs: i64::MAX,
        ..opts()
    };
    let v = verify(&code, &trust(ed.public_key()), &late).unwrap();
    assert_eq!(v.status, None);
    assert_eq!(v.items[1], ("old".into(), ItemValue::Date(i32::MIN)));

    // The status list named by its URI, and by the largest id; an SD-JWT's
    // reference converts to the URI form.
    let sdjwt_status = crate::sdjwt::StatusListRef {
        idx: 704_213,
        uri: STATUS_URI.into(),
    };
    assert_eq!(StatusRef::from(&sdjwt_status), status_by_uri());
    let largest = StatusRef {
        idx: u64::MAX,
        list: StatusListId::Id(u32::MAX),
    };
    for status in [status_by_uri(), largest] {
        let fields = MsoFields {
            status: Some(&status),
            ..fields
        };
        let issued = issue(
            &fields,
            &items,
            HashAlg::Sha256,
            &ed,
            &mut RandomSalts::new(),
        )
        .unwrap();
        let code = present(&issued.issuer_signed, &[], 0, PID, None, &holder).unwrap();
        let v = verify(&code, &trust(ed.public_key()), &late).unwrap();
        assert_eq!(v.status, Some(status));
    }
}

#[test]
fn deterministic_salts_and_sm2_reproduce_an_issuance() {
    let holder = Es256Signer::generate().unwrap();
    let a = issue_card(&sm2_issuer(), HashAlg::Sm3, &holder);
    let b = issue_card(&sm2_issuer(), HashAlg::Sm3, &holder);
    assert_eq!(a, b);
    let mut salts = DeterministicSalts::new(b"test");
    let first = salts.salt().unwrap();
    assert_eq!(a.items[0].salt, first);
    assert_ne!(salts.salt().unwrap(), first);
    let mut random = RandomSalts::new();
    assert_ne!(random.salt().unwrap(), random.salt().unwrap());
    assert_ne!(new_pid().unwrap(), new_pid().unwrap());
}

#[test]
fn the_wire_format_is_the_documented_one() {
    let holder = Es256Signer::generate().unwrap();
    let issued = issue_card(&sm2_issuer(), HashAlg::Sm3, &holder);
    let sign1 = cbor::read_sign1(&issued.issuer_signed).unwrap();
    // {1: -65600}
    assert_eq!(sign1.protected, [0xa1, 0x01, 0x3a, 0x00, 0x01, 0x00, 0x3f]);
    assert_eq!(
        cbor::protected_header(Alg::Es256).unwrap(),
        [0xa1, 0x01, 0x26]
    );
    assert_eq!(
        cbor::protected_header(Alg::EdDsa).unwrap(),
        [0xa1, 0x01, 0x27]
    );
    // Array of 4, the protected bstr, then an empty map.
    assert_eq!(
        issued.issuer_signed[..10],
        [0x84, 0x47, 0xa1, 0x01, 0x3a, 0x00, 0x01, 0x00, 0x3f, 0xa0]
    );
    // The MSO: a map of 8, version 1, the type, the issuer, SM3 (1), nine
    // digests.
    let p = sign1.payload;
    assert_eq!(p[..4], [0xa8, 0x00, 0x01, 0x01]);
    assert_eq!(&p[4..12], b"\x67id_card");
    let mso = cbor::read_mso(p).unwrap();
    assert_eq!(mso.hash, HashAlg::Sm3);
    assert_eq!(mso.digests.len(), 9);
    // Last, the status: 7: [704213, 1], the list by its id.
    assert!(p.ends_with(&[0x07, 0x82, 0x1a, 0x00, 0x0a, 0xbe, 0xd5, 0x01]));
    // Item 4, the birth date: tag 100 over the day 6282.
    let item = cbor::item_bytes(&issued.items[4]).unwrap();
    assert_eq!(day("1987-03-15"), 6282);
    assert!(item.ends_with(&[0xd8, 0x64, 0x19, 0x18, 0x8a]));
    let digest = crate::sm::sm3(&item);
    assert_eq!(mso.digest(4).unwrap()[..], digest[..16]);
    // The device signs ["PG1-device", SHA-256(issuer_signed), items, time,
    // pid, request].
    let message = cbor::device_message(&issued.issuer_signed, &[], 1, &PID, None).unwrap();
    let mut expected = vec![0x86, 0x6a];
    expected.extend_from_slice(b"PG1-device");
    expected.extend_from_slice(&[0x58, 0x20]);
    expected.extend_from_slice(&HashAlg::Sha256.digest(&issued.issuer_signed));
    expected.extend_from_slice(&[0x80, 0x01, 0x4c]);
    expected.extend_from_slice(&PID);
    expected.push(0xf6);
    assert_eq!(message, expected);
}

#[test]
fn dates_are_days_since_1970() {
    for (date, days) in [
        ("1970-01-01", 0),
        ("1969-12-31", -1),
        ("1950-06-01", -7154),
        ("2000-02-29", 11_016),
        ("2024-02-29", 19_782),
        ("9999-12-31", NO_END as i32),
        ("0000-01-01", -719_528),
    ] {
        assert_eq!(date_to_days(date), Some(days), "{date}");
        assert_eq!(days_to_date(days).as_deref(), Some(date), "{days}");
    }
    for bad in [
        "2023-02-29",
        "1900-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-04-31",
        "2024-4-01",
        "2024/04/01",
        "+024-04-01",
        "２０２４-04-01",
        "",
    ] {
        assert_eq!(date_to_days(bad), None, "{bad}");
    }
    assert_eq!(days_to_date(NO_END as i32 + 1), None);
    assert_eq!(days_to_date(i32::MIN), None);
}

/// Every refusal of the verification order, one row each.
#[test]
fn each_refusal_in_the_verification_order() {
    let holder = Es256Signer::generate().unwrap();
    let other_holder = Es256Signer::generate().unwrap();
    let sm2 = sm2_issuer();
    let es256 = Es256Signer::generate().unwrap();
    let issued = issue_card(&sm2, HashAlg::Sm3, &holder);
    let shown = pick(&issued, &["name", "age_over_18"]);
    let time = NOW as u64;
    let good = present_cbor(&issued.issuer_signed, &shown, time, PID, None, &holder).unwrap();
    let good_qr = qr(&good);
    let sm2_key = trust(sm2.public_key());
    assert_eq!(reason(verify(&good_qr, &sm2_key, &opts())), "ok");

    let mut rows: Vec<(&str, String, VerifyOptions<'static>, &str)> = Vec::new();
    let mut row = |name, code: String, options, want| rows.push((name, code, options, want));

    // Prefix, Base45, CBOR form.
    row(
        "bad prefix",
        good_qr.replacen("PG1:", "PG2:", 1),
        opts(),
        "bad_prefix",
    );
    row(
        "lower-case prefix",
        good_qr.to_lowercase(),
        opts(),
        "bad_prefix",
    );
    row("no prefix", base45::encode(&good), opts(), "bad_prefix");
    row(
        "bad base45 character",
        format!("{good_qr}a"),
        opts(),
        "bad_base45",
    );
    row(
        "base45 of length 1 mod 3",
        format!("{PREFIX}A"),
        opts(),
        "bad_base45",
    );
    row(
        "base45 pair above 255",
        format!("{PREFIX}::"),
        opts(),
        "bad_base45",
    );
    row(
        "too long",
        format!("{PREFIX}{}", "0".repeat(MAX_QR_CHARS)),
        opts(),
        "too_large",
    );
    row("empty", PREFIX.into(), opts(), "malformed");
    row(
        "truncated CBOR",
        qr(&good[..good.len() - 1]),
        opts(),
        "malformed",
    );
    row(
        "truncated to half",
        qr(&good[..good.len() / 2]),
        opts(),
        "malformed",
    );
    let mut trailing = good.clone();
    trailing.push(0);
    row("trailing bytes", qr(&trailing), opts(), "trailing_bytes");
    // The outer array's length written in two bytes: the device signature
    // does not cover it, the deterministic encoding does.
    let mut long_header = vec![0x98, 0x06];
    long_header.extend_from_slice(&good[1..]);
    row(
        "not deterministic CBOR",
        qr(&long_header),
        opts(),
        "not_canonical",
    );
    let mut indefinite = vec![0x9f];
    indefinite.extend_from_slice(&good[1..]);
    indefinite.push(0xff);
    row("indefinite length", qr(&indefinite), opts(), "malformed");
    let seventeen = vec![shown[0].clone(); MAX_ITEMS + 1];
    row(
        "more than 16 items",
        qr(&craft(
            &issued.issuer_signed,
            &seventeen,
            time,
            None,
            &holder,
        )),
        opts(),
        "limit_exceeded",
    );

    // COSE: the protected algorithm and the issuer's signature.
    let payload = cbor::read_sign1(&issued.issuer_signed)
        .unwrap()
        .payload
        .to_vec();
    let es384 = [0xa1, 0x01, 0x38, 0x22];
    let sig = sm2
        .sign(&cbor::sig_structure(&es384, &payload).unwrap())
        .unwrap();
    let cose_es384 = cbor::sign1_bytes(&es384, &payload, &sig).unwrap();
    row(
        "COSE alg ES384",
        qr(&craft(&cose_es384, &shown, time, None, &holder)),
        opts(),
        "alg_not_allowed",
    );
    let with_kid = [0xa2, 0x01, 0x26, 0x04, 0x41, 0x00];
    let cose_kid = cbor::sign1_bytes(&with_kid, &payload, &sig).unwrap();
    row(
        "protected header with a kid",
        qr(&craft(&cose_kid, &shown, time, None, &holder)),
        opts(),
        "malformed",
    );
    let mut tagged = vec![0xd2];
    tagged.extend_from_slice(&issued.issuer_signed);
    row(
        "tagged COSE_Sign1",
        qr(&craft(&tagged, &shown, time, None, &holder)),
        opts(),
        "malformed",
    );
    let mut bad_sig = issued.issuer_signed.clone();
    let last = bad_sig.len() - 1;
    bad_sig[last] ^= 1;
    row(
        "wrong issuer signature",
        qr(&craft(&bad_sig, &shown, time, None, &holder)),
        opts(),
        "bad_issuer_signature",
    );
    let impostor = Sm2Signer::from_bytes(&[0x4d; 32]).unwrap();
    let by_impostor = issue_card(&impostor, HashAlg::Sm3, &holder);
    row(
        "signed by another SM2 key",
        present(&by_impostor.issuer_signed, &shown, time, PID, None, &holder).unwrap(),
        opts(),
        "bad_issuer_signature",
    );
    let by_es256 = issue_card(&es256, HashAlg::Sha256, &holder);
    let es256_shown = pick(&by_es256, &["name"]);
    row(
        "alg swap: ES256 header, SM2 key",
        present(
            &by_es256.issuer_signed,
            &es256_shown,
            time,
            PID,
            None,
            &holder,
        )
        .unwrap(),
        opts(),
        "wrong_alg",
    );

    // The MSO, signed by the trusted key but not of the form.
    let mso = cbor::read_mso(&payload).unwrap();
    let resigned = |payload: &[u8]| {
        let cose = sign_mso(payload, &sm2);
        qr(&craft(&cose, &shown, time, None, &holder))
    };
    // Map of 8, key 0, version 1; then key 3, the digest algorithm, after
    // the type and the issuer id.
    assert_eq!(payload[..3], [0xa8, 0x00, 0x01]);
    let mut version_2 = payload.clone();
    version_2[2] = 0x02;
    row(
        "MSO version 2",
        resigned(&version_2),
        opts(),
        "unsupported_version",
    );
    let key_3 = 4 + 8 + 1 + 2 + ISSUER.len();
    assert_eq!(payload[key_3..key_3 + 2], [0x03, 0x01]);
    let mut hash_2 = payload.clone();
    hash_2[key_3 + 1] = 0x02;
    row(
        "digest algorithm 2",
        resigned(&hash_2),
        opts(),
        "hash_alg_not_allowed",
    );
    let mut unknown_key = payload.clone();
    unknown_key[0] = 0xa9;
    unknown_key.extend_from_slice(&[0x08, 0xf5]);
    row(
        "MSO with key 8",
        resigned(&unknown_key),
        opts(),
        "malformed",
    );
    let short_key = Mso {
        device_key: mso.device_key[..64].to_vec(),
        ..mso.clone()
    };
    row(
        "device key of 64 bytes",
        resigned(&cbor::mso_bytes(&short_key).unwrap()),
        opts(),
        "malformed",
    );
    let mut unsorted = mso.clone();
    unsorted.digests.swap(0, 1);
    row(
        "digests out of order",
        resigned(&cbor::mso_bytes(&unsorted).unwrap()),
        opts(),
        "malformed",
    );
    let mut long_version = payload.clone();
    long_version.splice(2..3, [0x18, 0x01]);
    row(
        "MSO not deterministic",
        resigned(&long_version),
        opts(),
        "not_canonical",
    );
    // The status list id, the MSO's last byte: 1.
    assert_eq!(payload.last(), Some(&0x01));
    let with_list = |list: &[u8]| {
        let mut p = payload[..payload.len() - 1].to_vec();
        p.extend_from_slice(list);
        resigned(&p)
    };
    row(
        "status list id above 32 bits",
        with_list(&[0x1b, 0, 0, 0, 1, 0, 0, 0, 0]),
        opts(),
        "malformed",
    );
    row(
        "status list as a bool",
        with_list(&[0xf5]),
        opts(),
        "malformed",
    );
    row(
        "status list as bytes",
        with_list(&[0x41, 0x01]),
        opts(),
        "malformed",
    );
    row(
        "status list id not deterministic",
        with_list(&[0x18, 0x01]),
        opts(),
        "not_canonical",
    );
    row(
        "status list by its URI",
        with_list(&{
            let mut uri = vec![0x78, STATUS_URI.len() as u8];
            uri.extend_from_slice(STATUS_URI.as_bytes());
            uri
        }),
        opts(),
        "ok",
    );
    let other_issuer = Mso {
        issuer: "urn:palmgov:issuer:110000:public-security".into(),
        ..mso.clone()
    };
    row(
        "unknown issuer id",
        resigned(&cbor::mso_bytes(&other_issuer).unwrap()),
        opts(),
        "unknown_issuer_key",
    );

    // The items.
    let mut tampered = shown.clone();
    tampered[0].value = ItemValue::Text("陈丽丽".into());
    row(
        "tampered item value",
        qr(&craft(
            &issued.issuer_signed,
            &tampered,
            time,
            None,
            &holder,
        )),
        opts(),
        "tampered_item",
    );
    let mut renamed = shown.clone();
    renamed[1].name = "age_over_60".into();
    row(
        "item renamed",
        qr(&craft(&issued.issuer_signed, &renamed, time, None, &holder)),
        opts(),
        "tampered_item",
    );
    let mut moved = shown.clone();
    moved[1].id = 8;
    row(
        "item under another id",
        qr(&craft(&issued.issuer_signed, &moved, time, None, &holder)),
        opts(),
        "tampered_item",
    );
    let mut stranger = shown.clone();
    stranger[1].id = 42;
    row(
        "item id not in the MSO",
        qr(&craft(
            &issued.issuer_signed,
            &stranger,
            time,
            None,
            &holder,
        )),
        opts(),
        "unknown_item",
    );
    let twice = vec![shown[0].clone(), shown[1].clone(), shown[0].clone()];
    row(
        "repeated item",
        qr(&craft(&issued.issuer_signed, &twice, time, None, &holder)),
        opts(),
        "duplicate_item",
    );

    // The device signature.
    row(
        "signed by another device key",
        qr(&craft(
            &issued.issuer_signed,
            &shown,
            time,
            None,
            &other_holder,
        )),
        opts(),
        "bad_device_signature",
    );
    let mut late = good.clone();
    // From the end: the signature (2 + 64), null, the pid (1 + 12), then
    // the time's 4 bytes after its head.
    let at = late.len() - (2 + 64) - 1 - (1 + PID_LEN) - 4;
    assert_eq!(late[at - 1], 0x1a, "the time's head");
    late[at + 3] ^= 1;
    row(
        "time changed after signing",
        qr(&late),
        opts(),
        "bad_device_signature",
    );
    let mut sig_flipped = good.clone();
    let last = sig_flipped.len() - 1;
    sig_flipped[last] ^= 0x80;
    row(
        "device signature flipped",
        qr(&sig_flipped),
        opts(),
        "bad_device_signature",
    );
    let mut wrong_length = good[..good.len() - 66].to_vec();
    wrong_length.push(0x58);
    wrong_length.push(63);
    wrong_length.extend_from_slice(&good[good.len() - 63..]);
    row(
        "device signature of 63 bytes",
        qr(&wrong_length),
        opts(),
        "malformed",
    );

    // The request.
    let for_request = |nonce: &[u8], verifier: &str| {
        present(
            &issued.issuer_signed,
            &shown,
            time,
            PID,
            Some((nonce, verifier)),
            &holder,
        )
        .unwrap()
    };
    row(
        "the expected request",
        for_request(NONCE, VERIFIER),
        with_request(),
        "ok",
    );
    row(
        "another nonce",
        for_request(b"fedcba9876543210", VERIFIER),
        with_request(),
        "wrong_nonce",
    );
    row(
        "another verifier",
        for_request(NONCE, "urn:palmgov:verifier:330106:counter-8"),
        with_request(),
        "wrong_verifier",
    );
    row(
        "no request",
        good_qr.clone(),
        with_request(),
        "request_missing",
    );
    row(
        "a request shown to a one-way verifier",
        for_request(NONCE, VERIFIER),
        opts(),
        "unexpected_request",
    );

    // The presentation's time: 60 s of validity, 30 s of skew.
    let at_time =
        |t: i64| present(&issued.issuer_signed, &shown, t as u64, PID, None, &holder).unwrap();
    row("90 s old", at_time(NOW - 90), opts(), "ok");
    row("too old", at_time(NOW - 91), opts(), "too_old");
    row("made at 0", at_time(0), opts(), "too_old");
    row("30 s ahead", at_time(NOW + 30), opts(), "ok");
    row("from the future", at_time(NOW + 31), opts(), "from_future");

    // The credential's times.
    let with_times = |iat: i64, exp: i64| {
        let v = Validity {
            iat: iat as u64,
            exp: exp as u64,
            ..validity()
        };
        let issued = issue_with(&sm2, HashAlg::Sm3, &holder, v, &id_card());
        present(
            &issued.issuer_signed,
            &issued.items[1..2],
            time,
            PID,
            None,
            &holder,
        )
        .unwrap()
    };
    row(
        "expired within the skew",
        with_times(NOW - 86_400, NOW - 29),
        opts(),
        "ok",
    );
    row(
        "credential expired",
        with_times(NOW - 86_400, NOW - 30),
        opts(),
        "expired",
    );
    row(
        "issued within the skew",
        with_times(NOW + 30, NOW + 86_400),
        opts(),
        "ok",
    );
    row(
        "credential issued in the future",
        with_times(NOW + 31, NOW + 86_400),
        opts(),
        "not_yet_valid",
    );

    let keys = |iss: &str, alg: Alg| (iss == ISSUER && alg == Alg::Sm2).then(|| sm2.public_key());
    let mut failed = Vec::new();
    for (name, code, options, want) in &rows {
        let got = reason(verify(code, &sm2_key, options));
        if got != *want {
            failed.push(format!("{name}: {got}, expected {want}"));
        }
        // A trust list that knows the key by its algorithm gives the same
        // answer, but for the swap, where it knows no ES256 key.
        let by_alg = reason(verify(code, &keys, options));
        let want = if *name == "alg swap: ES256 header, SM2 key" {
            "unknown_issuer_key"
        } else {
            want
        };
        if by_alg != want {
            failed.push(format!("{name} (by alg): {by_alg}, expected {want}"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
    // A trust list without the issuer.
    assert_eq!(
        reason(verify(&good_qr, &|_, _| None, &opts())),
        "unknown_issuer_key"
    );
}

#[test]
fn issue_refuses_what_verify_would() {
    let holder = Es256Signer::generate().unwrap();
    let sm2 = sm2_issuer();
    let status = status();
    let key = holder.public_key();
    let fields = MsoFields {
        licence_type: "id_card",
        issuer: ISSUER,
        device_key: &key,
        validity: validity(),
        status: Some(&status),
    };
    let try_issue = |fields: &MsoFields<'_>, items: &[(&str, ItemValue)]| {
        reason(issue(
            fields,
            items,
            HashAlg::Sm3,
            &sm2,
            &mut RandomSalts::new(),
        ))
    };
    let names: Vec<String> = (0..=MAX_ITEMS).map(|i| format!("c{i}")).collect();
    let many: Vec<(&str, ItemValue)> = names
        .iter()
        .map(|n| (n.as_str(), ItemValue::Bool(true)))
        .collect();
    assert_eq!(try_issue(&fields, &many[..MAX_ITEMS]), "ok");
    assert_eq!(try_issue(&fields, &many), "limit_exceeded");
    let long = "长".repeat(86);
    assert_eq!(
        try_issue(&fields, &[("x", ItemValue::Text(long.clone()))]),
        "limit_exceeded"
    );
    assert_eq!(
        try_issue(&fields, &[(long.as_str(), ItemValue::Bool(true))]),
        "limit_exceeded"
    );
    assert_eq!(
        try_issue(
            &MsoFields {
                issuer: &long,
                ..fields
            },
            &[]
        ),
        "limit_exceeded"
    );
    let long_uri = StatusRef {
        idx: 1,
        list: StatusListId::Uri(long.clone()),
    };
    assert_eq!(
        try_issue(
            &MsoFields {
                status: Some(&long_uri),
                ..fields
            },
            &[]
        ),
        "limit_exceeded"
    );
    assert_eq!(
        try_issue(
            &fields,
            &[("a", ItemValue::Bool(true)), ("a", ItemValue::Bool(false))]
        ),
        "duplicate_item"
    );
    assert_eq!(
        try_issue(&fields, &[("", ItemValue::Bool(true))]),
        "malformed"
    );
    let sm2_key = sm2.public_key();
    assert_eq!(
        try_issue(
            &MsoFields {
                device_key: &sm2_key,
                ..fields
            },
            &[]
        ),
        "bad_device_key"
    );
    let no_time = Validity {
        exp: validity().iat,
        ..validity()
    };
    assert_eq!(
        try_issue(
            &MsoFields {
                validity: no_time,
                ..fields
            },
            &[]
        ),
        "malformed"
    );
}

#[test]
fn present_refuses_what_verify_would() {
    let holder = Es256Signer::generate().unwrap();
    let issued = issue_card(&sm2_issuer(), HashAlg::Sm3, &holder);
    let signed = &issued.issuer_signed;
    let shown = pick(&issued, &["name"]);
    let time = NOW as u64;
    let go = |items: &[Item], request, device: &dyn Signer| {
        reason(present(signed, items, time, PID, request, device))
    };
    assert_eq!(go(&shown, None, &holder), "ok");
    assert_eq!(
        go(&shown, None, &Es256Signer::generate().unwrap()),
        "wrong_device_key"
    );
    assert_eq!(go(&shown, None, &sm2_issuer()), "bad_device_key");
    let mut tampered = shown.clone();
    tampered[0].value = ItemValue::Text("王小明".into());
    assert_eq!(go(&tampered, None, &holder), "tampered_item");
    let mut stranger = shown.clone();
    stranger[0].id = 99;
    assert_eq!(go(&stranger, None, &holder), "unknown_item");
    assert_eq!(
        go(&[shown[0].clone(), shown[0].clone()], None, &holder),
        "duplicate_item"
    );
    let long = vec![0; MAX_STRING + 1];
    assert_eq!(
        go(&shown, Some((&long, VERIFIER)), &holder),
        "limit_exceeded"
    );
    assert_eq!(
        reason(present(&signed[1..], &shown, time, PID, None, &holder)),
        "malformed"
    );
}

#[test]
fn mangled_presentations_never_panic() {
    let holder = Es256Signer::generate().unwrap();
    // ES256 (ring, optimised in tests) for the issuer too: most mangled
    // presentations reach the issuer's signature.
    let issuer = Es256Signer::generate().unwrap();
    let issued = issue_card(&issuer, HashAlg::Sha256, &holder);
    let good = present_cbor(
        &issued.issuer_signed,
        &issued.items,
        NOW as u64,
        PID,
        Some((NONCE, VERIFIER)),
        &holder,
    )
    .unwrap();
    let key = trust(issuer.public_key());
    assert!(verify_cbor(&good, &key, &with_request()).is_ok());
    // Every prefix, and every byte changed: refused, never accepted.
    for len in 0..good.len() {
        assert!(verify_cbor(&good[..len], &key, &with_request()).is_err());
    }
    for at in 0..good.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[at] ^= flip;
            assert!(
                verify_cbor(&bad, &key, &with_request()).is_err(),
                "byte {at} ^ {flip:#x} accepted"
            );
        }
    }
    // Hand-made shapes: deep nesting, huge lengths, every kind of value.
    let mut deep = vec![0x81; 10_000];
    deep.push(0);
    let shapes: Vec<Vec<u8>> = vec![
        deep,
        vec![0x86, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        vec![
            0x86, 0x40, 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ],
        vec![0x86, 0x40, 0x81, 0x84, 0x00, 0x50],
        vec![0xa0],
        vec![0xff],
        vec![0x1c],
        vec![0x86, 0xf9, 0x7c, 0x00],
    ];
    for shape in shapes {
        assert!(verify_cbor(&shape, &key, &opts()).is_err());
        assert!(verify(&qr(&shape), &key, &opts()).is_err());
        assert!(IssuedCompact::from_bytes(&shape).is_err());
    }
    assert_eq!(
        reason(verify_cbor(&[0; MAX_CBOR_BYTES + 1], &key, &opts())),
        "too_large"
    );
    // The clock's extremes.
    let good_qr = qr(&good);
    for (now, skew, validity) in [
        (i64::MIN, i64::MIN, i64::MIN),
        (i64::MAX, i64::MAX, i64::MAX),
        (i64::MIN, i64::MAX, 0),
        (i64::MAX, 0, i64::MAX),
    ] {
        let options = VerifyOptions {
            now,
            skew_secs: skew,
            validity_secs: validity,
            expect_request: Some((NONCE, VERIFIER)),
        };
        // Whatever the answer (an infinite skew accepts anything), no
        // overflow.
        let _ = verify(&good_qr, &key, &options);
    }
    let never = VerifyOptions {
        now: i64::MIN,
        skew_secs: i64::MIN,
        validity_secs: i64::MIN,
        ..with_request()
    };
    assert_eq!(reason(verify(&good_qr, &key, &never)), "from_future");
}

#[test]
fn every_error_has_a_distinct_reason() {
    use CompactError::*;
    let all = [
        TooLarge,
        LimitExceeded,
        BadPrefix,
        BadBase45,
        Malformed,
        TrailingBytes,
        NotCanonical,
        AlgNotAllowed,
        UnknownIssuerKey,
        WrongAlg,
        BadIssuerSignature,
        UnsupportedVersion,
        HashAlgNotAllowed,
        UnknownItem,
        DuplicateItem,
        TamperedItem,
        BadDeviceSignature,
        RequestMissing,
        UnexpectedRequest,
        WrongNonce,
        WrongVerifier,
        TooOld,
        FromFuture,
        Expired,
        NotYetValid,
        BadDeviceKey,
        WrongDeviceKey,
        SignFailed,
        BadRequestPrefix,
        UnknownVerifier,
        BadVerifierSignature,
        StaleRequest,
    ];
    let mut reasons: Vec<&str> = all.iter().map(CompactError::reason).collect();
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(reasons.len(), all.len());
}

/// The QR version a string needs at a level (alphanumeric mode when
/// every character allows it: the encoder chooses).
fn qr_version(data: &str, level: EcLevel) -> i16 {
    match QrCode::with_error_correction_level(data, level)
        .unwrap()
        .version()
    {
        Version::Normal(v) | Version::Micro(v) => v,
    }
}

/// One profile's presentation of an ID card issued by the SM2 key:
/// (CBOR bytes, QR characters, version at M, version at L).
fn measure(
    issuer: &str,
    status: Option<&StatusRef>,
    items: &[(&str, ItemValue)],
    shown: &[&str],
    request: Option<(&[u8], &str)>,
) -> (usize, usize, i16, i16) {
    let sm2 = sm2_issuer();
    let holder = Es256Signer::from_pkcs8(
        HOLDER_PKCS8.get_or_init(|| Es256Signer::generate().unwrap().pkcs8().to_vec()),
    )
    .unwrap();
    let fields = MsoFields {
        licence_type: "id_card",
        issuer,
        device_key: &holder.public_key(),
        validity: validity(),
        status,
    };
    let issued = issue(&fields, items, HashAlg::Sm3, &sm2, &mut RandomSalts::new()).unwrap();
    let shown = pick(&issued, shown);
    let time = NOW as u64;
    let cbor = present_cbor(&issued.issuer_signed, &shown, time, PID, request, &holder).unwrap();
    let code = present(&issued.issuer_signed, &shown, time, PID, request, &holder).unwrap();
    assert_eq!(
        code.len(),
        PREFIX.len() + cbor.len().div_ceil(2) * 3 - cbor.len() % 2
    );
    // Every character in the alphanumeric set: the encoder picks that mode.
    assert!(is_qr_alphanumeric(&code));
    let trusted =
        |iss: &str, alg: Alg| (iss == issuer && alg == Alg::Sm2).then(|| sm2.public_key());
    let options = VerifyOptions {
        expect_request: request,
        ..opts()
    };
    assert_eq!(reason(verify(&code, &trusted, &options)), "ok");
    (
        cbor.len(),
        code.len(),
        qr_version(&code, EcLevel::M),
        qr_version(&code, EcLevel::L),
    )
}

static HOLDER_PKCS8: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

/// The presentation profiles the app offers a clerk, by the items they
/// show (from an ID card that signs all nine), and the QR level each must
/// fit version 20 at: M (15% recovery) for the short ones a phone screen
/// shows to a counter's scanner, L for the longer.
const PROFILES: &[(&str, &[&str], EcLevel)] = &[
    ("name + age_over_18", &["name", "age_over_18"], EcLevel::M),
    ("name + last four", &["name", "id_number_last4"], EcLevel::M),
    (
        "household visit",
        &["name", "id_number", "address"],
        EcLevel::L,
    ),
    // The licence's own printed fields: the derived items (last four, the
    // ages) are signed but not shown, since the birth date says the same.
    (
        "full",
        &[
            "licence_id",
            "name",
            "id_number",
            "birth_date",
            "sex",
            "address",
        ],
        EcLevel::L,
    ),
];

/// An ID card with realistic data (all nine items signed) under the
/// SM2/SM3 issuer `urn:palmgov:issuer:330000:public-security`, its status
/// list named by id 1: each profile of [`PROFILES`] fits version 20 at
/// its level. The rows after them are not asserted: a two-way exchange,
/// the status list by its URI, every item. `--nocapture` prints the
/// table.
#[test]
fn an_id_card_fits_a_version_20_qr_code() {
    // The capacities the assertions rely on (alphanumeric, version 20).
    assert_eq!(qr_version(&"A".repeat(970), EcLevel::M), 20);
    assert_eq!(qr_version(&"A".repeat(971), EcLevel::M), 21);
    assert_eq!(qr_version(&"A".repeat(1249), EcLevel::L), 20);
    assert_eq!(qr_version(&"A".repeat(1250), EcLevel::L), 21);

    let card = id_card();
    let all: Vec<&str> = card.iter().map(|(n, _)| *n).collect();
    let status = status();
    let row = |name: &str, size: (usize, usize, i16, i16)| {
        let (bytes, chars, m, l) = size;
        println!("{name:<44} {bytes:>5} {chars:>5} {m:>3} {l:>3}");
        (m, l)
    };
    println!(
        "{:<44} {:>5} {:>5} {:>3} {:>3}",
        "profile", "bytes", "chars", "M", "L"
    );
    for (name, shown, level) in PROFILES {
        let (m, l) = row(name, measure(ISSUER, Some(&status), &card, shown, None));
        let version = if *level == EcLevel::M { m } else { l };
        assert!(version <= 20, "{name}: version {version} at {level:?}");
    }

    // Not asserted.
    row(
        "name + last four, with a request",
        measure(
            ISSUER,
            Some(&status),
            &card,
            &["name", "id_number_last4"],
            Some((NONCE, VERIFIER)),
        ),
    );
    let (_, full, _) = PROFILES[3];
    row(
        "full, status list by its URI",
        measure(ISSUER, Some(&status_by_uri()), &card, full, None),
    );
    row(
        "all 9 items",
        measure(ISSUER, Some(&status), &card, &all, None),
    );
}

/// What the holder checks when a compact licence arrives: the issuer's
/// signature and every item's digest, each item once.
#[test]
fn an_issued_licence_is_checked_as_it_arrives() {
    let issuer = sm2_issuer();
    let holder = Es256Signer::generate().unwrap();
    let issued = issue_card(&issuer, HashAlg::Sm3, &holder);
    let mso = verify_issued(&issued, &trust(issuer.public_key())).unwrap();
    assert_eq!(mso.licence_type, "id_card");
    assert_eq!(mso.device_key, holder.public_key());
    assert_eq!(mso.alg, Alg::Sm2);

    let other = Sm2Signer::generate().unwrap();
    assert_eq!(
        reason(verify_issued(&issued, &trust(other.public_key()))),
        "bad_issuer_signature"
    );
    assert_eq!(
        reason(verify_issued(&issued, &|_, _| None)),
        "unknown_issuer_key"
    );
    let mut tampered = issued.clone();
    tampered.items[1].value = ItemValue::Text("刘建国".into());
    assert_eq!(
        reason(verify_issued(&tampered, &trust(issuer.public_key()))),
        "tampered_item"
    );
    let mut twice = issued.clone();
    twice.items.push(issued.items[0].clone());
    assert_eq!(
        reason(verify_issued(&twice, &trust(issuer.public_key()))),
        "duplicate_item"
    );
}
