//! Token Status List: the draft's examples, every entry width, bounds on
//! what arrives, and the list token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use palmgov_credentials::jws;
use palmgov_credentials::keys::{Ed25519Signer, Es256Signer, Signer, Sm2Signer};
use palmgov_credentials::status_list::{
    self, EXP_LEEWAY_SECS, MAX_LIST_BYTES, Status, StatusList, StatusListError,
};
use serde_json::{Value, json};

const SUB: &str = "https://status.zjzwfw.gov.cn/lists/7";
const IAT: i64 = 1_686_920_170;
const EXP: i64 = 2_291_720_170;

/// draft-ietf-oauth-status-list, "Status List in JSON Format": 16 entries
/// of 1 bit, bytes b9 a3.
#[test]
fn draft_one_bit_example() {
    let claim = json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ"});
    let list = StatusList::from_claim(&claim).unwrap();
    assert_eq!(list.bytes(), &[0xb9, 0xa3]);
    assert_eq!(list.bits(), 1);
    assert_eq!(list.len(), 16);
    let expected = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    for (idx, value) in expected.into_iter().enumerate() {
        assert_eq!(list.get(idx), Some(value), "status[{idx}]");
    }
    assert_eq!(list.get(16), None);

    let mut built = StatusList::new(1, 16).unwrap();
    for (idx, value) in expected.into_iter().enumerate() {
        built.set(idx, value).unwrap();
    }
    assert_eq!(built, list);
    assert_eq!(built.to_claim(), claim);
}

/// The draft's "Status List Token with 2-Bit Status Values": 12 entries,
/// bytes c9 44 f9.
#[test]
fn draft_two_bit_example() {
    let claim = json!({"bits": 2, "lst": "eNo76fITAAPfAgc"});
    let list = StatusList::from_claim(&claim).unwrap();
    assert_eq!(list.bytes(), &[0xc9, 0x44, 0xf9]);
    assert_eq!(list.len(), 12);
    let expected = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];
    for (idx, value) in expected.into_iter().enumerate() {
        assert_eq!(list.get(idx), Some(value), "status[{idx}]");
    }
    assert_eq!(list.status(0), Ok(Status::Invalid));
    assert_eq!(list.status(1), Ok(Status::Suspended));
    assert_eq!(list.status(2), Ok(Status::Valid));
    assert_eq!(list.status(3), Ok(Status::ApplicationSpecific(3)));

    let mut built = StatusList::new(2, 12).unwrap();
    for (idx, value) in expected.into_iter().enumerate() {
        built.set(idx, value).unwrap();
    }
    assert_eq!(built.to_claim(), claim);
}

#[test]
fn status_values_map_both_ways() {
    for value in 0..=u8::MAX {
        assert_eq!(Status::from_value(value).value(), value);
    }
    assert_eq!(Status::from_value(0), Status::Valid);
    assert_eq!(Status::from_value(1), Status::Invalid);
    assert_eq!(Status::from_value(2), Status::Suspended);
    assert_eq!(Status::from_value(3), Status::ApplicationSpecific(3));
    assert_eq!(Status::from_value(200), Status::ApplicationSpecific(200));
}

#[test]
fn every_width_sets_one_entry_without_touching_its_neighbours() {
    for bits in [1u8, 2, 4, 8] {
        let top = u8::MAX >> (8 - bits);
        let mut list = StatusList::new(bits, 40).unwrap();
        assert_eq!(list.len(), 40);
        for idx in 0..40 {
            let value = (idx as u8).wrapping_mul(7) & top;
            list.set(idx, value).unwrap();
        }
        for idx in 0..40 {
            assert_eq!(list.get(idx), Some((idx as u8).wrapping_mul(7) & top));
        }
        list.set(17, top).unwrap();
        list.set(17, 0).unwrap();
        assert_eq!(list.get(16), Some(16u8.wrapping_mul(7) & top));
        assert_eq!(list.get(17), Some(0));
        assert_eq!(list.get(18), Some(18u8.wrapping_mul(7) & top));
        assert_eq!(StatusList::from_claim(&list.to_claim()).unwrap(), list);

        if bits < 8 {
            assert_eq!(
                list.set(0, top + 1),
                Err(StatusListError::ValueTooWide {
                    value: top + 1,
                    bits
                })
            );
        }
        assert_eq!(
            list.set(40, 0),
            Err(StatusListError::OutOfRange { idx: 40, len: 40 })
        );
    }
    // Lengths round up to whole bytes.
    assert_eq!(StatusList::new(2, 5).unwrap().len(), 8);
    assert_eq!(StatusList::new(1, 0).unwrap().len(), 0);
}

#[test]
fn lookups_past_the_end_are_typed_errors() {
    let list = StatusList::from_claim(&json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ"})).unwrap();
    for idx in [16, 17, 1 << 20, usize::MAX / 2, usize::MAX] {
        assert_eq!(list.get(idx), None);
        assert_eq!(
            list.status(idx),
            Err(StatusListError::OutOfRange { idx, len: 16 })
        );
    }
    let empty = StatusList::new(8, 0).unwrap();
    assert!(empty.is_empty());
    assert!(matches!(
        empty.status(0),
        Err(StatusListError::OutOfRange { idx: 0, len: 0 })
    ));
}

/// A small deterministic generator (SplitMix64), so the test list is the
/// same on every run.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn a_million_entries_with_one_percent_revoked_round_trip() {
    const ENTRIES: usize = 1_000_000;
    let mut list = StatusList::new(2, ENTRIES).unwrap();
    let mut state = 2024;
    let mut revoked = std::collections::BTreeSet::new();
    while revoked.len() < ENTRIES / 100 {
        let idx = (splitmix(&mut state) % ENTRIES as u64) as usize;
        if revoked.insert(idx) {
            list.set(idx, 1).unwrap();
        }
    }
    let claim = list.to_claim();
    let lst = claim["lst"].as_str().unwrap();
    let compressed = B64.decode(lst).unwrap().len();
    println!(
        "1,000,000 entries of 2 bits, 1% revoked: {} bytes raw, {compressed} bytes zlib, {} characters of lst",
        list.bytes().len(),
        lst.len()
    );
    assert_eq!(list.bytes().len(), 250_000);
    // Ten thousand random positions carry about 17 bits of information
    // each; anything far above that means the compressor is not doing its
    // job.
    assert!(compressed < 40_000, "{compressed}");

    let back = StatusList::from_claim(&claim).unwrap();
    assert_eq!(back, list);
    assert_eq!(back.len(), ENTRIES);
    let counted = (0..ENTRIES)
        .filter(|&idx| back.status(idx) == Ok(Status::Invalid))
        .count();
    assert_eq!(counted, ENTRIES / 100);
    for &idx in revoked.iter().take(100) {
        assert_eq!(back.status(idx), Ok(Status::Invalid));
    }
}

fn zlib(bytes: &[u8]) -> String {
    B64.encode(miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6))
}

#[test]
fn malformed_claims_are_typed_errors() {
    let good = zlib(&[0xb9, 0xa3]);
    for (claim, error) in [
        (json!("eNrbuRgAAhcBXQ"), StatusListError::Malformed),
        (json!({"lst": good}), StatusListError::Malformed),
        (json!({"bits": 1}), StatusListError::Malformed),
        (
            json!({"bits": "1", "lst": good}),
            StatusListError::Malformed,
        ),
        (json!({"bits": -1, "lst": good}), StatusListError::Malformed),
        (
            json!({"bits": 1.5, "lst": good}),
            StatusListError::Malformed,
        ),
        (json!({"bits": 1, "lst": 7}), StatusListError::Malformed),
        (json!({"bits": 0, "lst": good}), StatusListError::BadBits),
        (json!({"bits": 3, "lst": good}), StatusListError::BadBits),
        (json!({"bits": 16, "lst": good}), StatusListError::BadBits),
        (json!({"bits": 257, "lst": good}), StatusListError::BadBits),
        (
            json!({"bits": 1, "lst": "not base64!"}),
            StatusListError::BadBase64,
        ),
        (
            json!({"bits": 1, "lst": "eNrbuRgAAhcBXQ=="}),
            StatusListError::BadBase64,
        ),
        (
            json!({"bits": 1, "lst": "eNrbuRgAAhcBXR"}),
            StatusListError::BadBase64,
        ),
        (json!({"bits": 1, "lst": ""}), StatusListError::BadZlib),
        (
            json!({"bits": 1, "lst": B64.encode([0xb9, 0xa3])}),
            StatusListError::BadZlib,
        ),
        // Raw deflate without the zlib wrapper.
        (
            json!({"bits": 1, "lst": B64.encode(miniz_oxide::deflate::compress_to_vec(&[1, 2], 6))}),
            StatusListError::BadZlib,
        ),
    ] {
        assert_eq!(StatusList::from_claim(&claim), Err(error), "{claim}");
    }
    // Unknown members (the draft's aggregation_uri) are ignored.
    let with_uri = json!({"bits": 1, "lst": good, "aggregation_uri": "https://x"});
    assert_eq!(
        StatusList::from_claim(&with_uri).unwrap().bytes(),
        &[0xb9, 0xa3]
    );
}

#[test]
fn truncated_or_corrupted_zlib_is_refused() {
    let bytes: Vec<u8> = (0..5_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 9);
    for end in 0..compressed.len() {
        let claim = json!({"bits": 4, "lst": B64.encode(&compressed[..end])});
        assert_eq!(
            StatusList::from_claim(&claim),
            Err(StatusListError::BadZlib),
            "truncated to {end}"
        );
    }
    // A flipped checksum byte.
    let mut corrupted = compressed.clone();
    let last = corrupted.len() - 1;
    corrupted[last] ^= 1;
    let claim = json!({"bits": 4, "lst": B64.encode(&corrupted)});
    assert_eq!(
        StatusList::from_claim(&claim),
        Err(StatusListError::BadZlib)
    );
    let claim = json!({"bits": 4, "lst": B64.encode(&compressed)});
    assert_eq!(StatusList::from_claim(&claim).unwrap().bytes(), &bytes[..]);
}

#[test]
fn zlib_bombs_and_oversized_text_are_refused() {
    // 64 MiB of zeros, four times the bound, in 300 KB (at the fast level
    // the test can afford; deflate can reach 1:1000).
    let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0; 4 * MAX_LIST_BYTES], 1);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let claim = json!({"bits": 1, "lst": B64.encode(&bomb)});
    assert_eq!(
        StatusList::from_claim(&claim),
        Err(StatusListError::TooLarge)
    );

    // Just over the bound is refused; exactly at it is accepted.
    let over = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0; MAX_LIST_BYTES + 1], 1);
    let claim = json!({"bits": 8, "lst": B64.encode(&over)});
    assert_eq!(
        StatusList::from_claim(&claim),
        Err(StatusListError::TooLarge)
    );
    let at = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0; MAX_LIST_BYTES], 1);
    let claim = json!({"bits": 8, "lst": B64.encode(&at)});
    assert_eq!(
        StatusList::from_claim(&claim).unwrap().len(),
        MAX_LIST_BYTES
    );

    // Text longer than any acceptable list is refused before decoding.
    let claim = json!({"bits": 1, "lst": "A".repeat(MAX_LIST_BYTES / 3 * 4 + 200_000)});
    assert_eq!(
        StatusList::from_claim(&claim),
        Err(StatusListError::TooLarge)
    );

    // And lists built here are bounded the same way.
    assert_eq!(StatusList::new(3, 8), Err(StatusListError::BadBits));
    assert_eq!(
        StatusList::new(1, usize::MAX),
        Err(StatusListError::TooLarge)
    );
    assert_eq!(
        StatusList::new(8, MAX_LIST_BYTES + 1),
        Err(StatusListError::TooLarge)
    );
    assert_eq!(
        StatusList::from_bytes(8, vec![0; MAX_LIST_BYTES + 1]),
        Err(StatusListError::TooLarge)
    );
    assert_eq!(
        StatusList::from_bytes(5, vec![0]),
        Err(StatusListError::BadBits)
    );
}

fn signers() -> Vec<Box<dyn Signer>> {
    vec![
        Box::new(Es256Signer::generate().unwrap()),
        Box::new(Ed25519Signer::generate().unwrap()),
        Box::new(Sm2Signer::generate().unwrap()),
    ]
}

fn draft_list() -> StatusList {
    StatusList::from_claim(&json!({"bits": 2, "lst": "eNo76fITAAPfAgc"})).unwrap()
}

#[test]
fn list_tokens_round_trip_under_each_algorithm() {
    for signer in signers() {
        let token = status_list::issue_token(
            &draft_list(),
            SUB,
            IAT,
            Some(EXP),
            Some(43_200),
            signer.as_ref(),
        )
        .unwrap();
        let parsed = jws::Compact::parse(&token).unwrap();
        assert_eq!(parsed.typ(), Some("statuslist+jwt"));
        assert_eq!(parsed.header["kid"], signer.public_key().thumbprint());
        assert_eq!(parsed.header["alg"], signer.alg().name());
        let claims = parsed.claims().unwrap();
        assert_eq!(
            claims["status_list"],
            json!({"bits": 2, "lst": "eNo76fITAAPfAgc"})
        );

        let verified =
            status_list::verify_token(&token, &signer.public_key(), SUB, IAT + 10).unwrap();
        assert_eq!(verified.sub, SUB);
        assert_eq!(verified.iat, IAT);
        assert_eq!(verified.exp, Some(EXP));
        assert_eq!(verified.ttl, Some(43_200));
        assert_eq!(verified.list, draft_list());
        assert_eq!(verified.status(1), Ok(Status::Suspended));
        assert!(matches!(
            verified.status(12),
            Err(StatusListError::OutOfRange { idx: 12, len: 12 })
        ));
        assert_eq!(verified.cache_until(IAT + 100), Some(IAT + 100 + 43_200));
        assert_eq!(verified.cache_until(EXP - 5), Some(EXP));
    }
    // Without exp and ttl.
    let signer = Ed25519Signer::from_seed(&[3; 32]).unwrap();
    let token = status_list::issue_token(&draft_list(), SUB, IAT, None, None, &signer).unwrap();
    let verified = status_list::verify_token(&token, &signer.public_key(), SUB, EXP * 2).unwrap();
    assert_eq!((verified.exp, verified.ttl), (None, None));
    assert_eq!(verified.cache_until(IAT), None);
}

#[test]
fn list_tokens_are_refused_for_the_wrong_key_list_time_or_type() {
    let signer = Ed25519Signer::from_seed(&[1; 32]).unwrap();
    let other = Ed25519Signer::from_seed(&[2; 32]).unwrap();
    let p256 = Es256Signer::generate().unwrap();
    let key = signer.public_key();
    let token =
        status_list::issue_token(&draft_list(), SUB, IAT, Some(EXP), None, &signer).unwrap();

    let verify = |token: &str, now| status_list::verify_token(token, &key, SUB, now);
    assert_eq!(
        status_list::verify_token(&token, &other.public_key(), SUB, IAT),
        Err(StatusListError::BadSignature)
    );
    assert_eq!(
        status_list::verify_token(&token, &p256.public_key(), SUB, IAT),
        Err(StatusListError::BadSignature)
    );
    assert_eq!(
        status_list::verify_token(&token, &key, "https://status.zjzwfw.gov.cn/lists/8", IAT),
        Err(StatusListError::WrongSubject)
    );
    assert!(verify(&token, EXP + EXP_LEEWAY_SECS - 1).is_ok());
    assert_eq!(
        verify(&token, EXP + EXP_LEEWAY_SECS),
        Err(StatusListError::Expired)
    );

    // Tampering with the payload breaks the signature.
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    claims["status_list"]["lst"] = json!("eNrbuRgAAhcBXQ");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        B64.encode(serde_json::to_vec(&claims).unwrap()),
        parts[2]
    );
    assert_eq!(verify(&forged, IAT), Err(StatusListError::BadSignature));
    for garbage in ["", "a.b", "a.b.c", &format!("{token}.x")] {
        assert_eq!(
            verify(garbage, IAT),
            Err(StatusListError::BadToken),
            "{garbage}"
        );
    }

    // Signed by the right key, but not a status list token.
    let claims = json!({"sub": SUB, "iat": IAT, "status_list": draft_list().to_claim()});
    let payload = serde_json::to_vec(&claims).unwrap();
    for header in [
        json!({}),
        json!({"typ": "JWT"}),
        json!({"typ": "dc+sd-jwt"}),
    ] {
        let token = jws::sign(&header, &payload, &signer).unwrap();
        assert_eq!(
            verify(&token, IAT),
            Err(StatusListError::WrongType),
            "{header}"
        );
    }
    let token = jws::sign(
        &json!({"typ": "application/statuslist+jwt"}),
        &payload,
        &signer,
    )
    .unwrap();
    assert!(verify(&token, IAT).is_ok());

    // Signed, typed, but with claims that do not hold up.
    let typed = |claims: Value| {
        jws::sign(
            &json!({"typ": "statuslist+jwt"}),
            &serde_json::to_vec(&claims).unwrap(),
            &signer,
        )
        .unwrap()
    };
    let list = draft_list().to_claim();
    for (claims, error) in [
        (
            json!({"iat": IAT, "status_list": list}),
            StatusListError::BadToken,
        ),
        (
            json!({"sub": SUB, "status_list": list}),
            StatusListError::BadToken,
        ),
        (
            json!({"sub": SUB, "iat": "now", "status_list": list}),
            StatusListError::BadToken,
        ),
        (json!({"sub": SUB, "iat": IAT}), StatusListError::BadToken),
        (
            json!({"sub": SUB, "iat": IAT, "exp": "soon", "status_list": list}),
            StatusListError::BadToken,
        ),
        (
            json!({"sub": SUB, "iat": IAT, "ttl": 0, "status_list": list}),
            StatusListError::BadToken,
        ),
        (
            json!({"sub": SUB, "iat": IAT, "ttl": -5, "status_list": list}),
            StatusListError::BadToken,
        ),
        (
            json!({"sub": SUB, "iat": IAT, "status_list": {"bits": 3, "lst": "eNo76fITAAPfAgc"}}),
            StatusListError::BadBits,
        ),
        (
            json!({"sub": SUB, "iat": IAT, "status_list": {"bits": 1, "lst": "%%%"}}),
            StatusListError::BadBase64,
        ),
        (
            json!({"sub": SUB, "iat": IAT, "status_list": {"bits": 1, "lst": "eNo76fIT"}}),
            StatusListError::BadZlib,
        ),
        (json!([SUB, IAT]), StatusListError::BadToken),
    ] {
        assert_eq!(verify(&typed(claims.clone()), IAT), Err(error), "{claims}");
    }

    // Issuing refuses a non-positive ttl, and a list too large for a token.
    assert_eq!(
        status_list::issue_token(&draft_list(), SUB, IAT, None, Some(0), &signer),
        Err(StatusListError::BadToken)
    );
    let mut state = 7;
    let noisy: Vec<u8> = (0..100_000).map(|_| splitmix(&mut state) as u8).collect();
    let noisy = StatusList::from_bytes(8, noisy).unwrap();
    assert_eq!(
        status_list::issue_token(&noisy, SUB, IAT, None, None, &signer),
        Err(StatusListError::TooLarge)
    );
}
