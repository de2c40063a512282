//! The signed-document envelope: thresholds of distinct keys, domain
//! separation, rising versions, staleness, and root rotation.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use palmgov_credentials::envelope::{
    self, DOMAIN, EnvelopeError, MAX_ENVELOPE_BYTES, MAX_SIGNATURES, ROOT_KIND, Root, signing_input,
};
use palmgov_credentials::keys::{Alg, Ed25519Signer, Es256Signer, PublicKey, Signer, Sm2Signer};
use serde_json::{Value, json};

const TRUST_LIST: &str = "palmgov.trust-list";
const REGION: &str = "palmgov.region-profile";
const NOW: i64 = 1_750_000_000;
const LATER: i64 = NOW + 86_400 * 30;

fn ed(seed: u8) -> Ed25519Signer {
    Ed25519Signer::from_seed(&[seed; 32]).unwrap()
}

fn keys(signers: &[&dyn Signer]) -> Vec<PublicKey> {
    signers.iter().map(|s| s.public_key()).collect()
}

fn body() -> Value {
    json!({"issuers": [{"name": "浙江省市场监督管理局", "kid": "abc"}]})
}

fn wire(envelope: &str) -> Value {
    serde_json::from_str(envelope).unwrap()
}

/// Re-wraps `payload` with `signatures`, as an attacker or a sloppy tool
/// could.
fn assemble(payload: &[u8], signatures: Vec<Value>) -> String {
    json!({"signed": B64.encode(payload), "signatures": signatures}).to_string()
}

fn entry(signer: &dyn Signer, message: &[u8]) -> Value {
    json!({
        "kid": signer.public_key().thumbprint(),
        "alg": signer.alg().name(),
        "sig": B64.encode(signer.sign(message).unwrap()),
    })
}

fn payload_of(envelope: &str) -> Vec<u8> {
    B64.decode(wire(envelope)["signed"].as_str().unwrap())
        .unwrap()
}

#[test]
fn wire_format_and_signing_input() {
    let signer = ed(7);
    let root = Root::pinned(keys(&[&signer]), 1, 1).unwrap();
    let text = envelope::sign(
        TRUST_LIST,
        3,
        LATER,
        &json!({"b": 1, "a": [true]}),
        &[&signer],
    )
    .unwrap();
    let doc = wire(&text);
    assert_eq!(
        doc.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["signatures", "signed"]
    );
    let payload = payload_of(&text);
    assert_eq!(
        String::from_utf8(payload.clone()).unwrap(),
        format!(
            r#"{{"body":{{"a":[true],"b":1}},"expires":{LATER},"kind":"palmgov.trust-list","version":3}}"#
        )
    );
    let sig = &doc["signatures"][0];
    assert_eq!(sig["kid"], signer.public_key().thumbprint());
    assert_eq!(sig["alg"], "EdDSA");
    let mut message = b"palmgov-envelope-v1\npalmgov.trust-list\n".to_vec();
    message.extend_from_slice(&payload);
    assert_eq!(message, signing_input(TRUST_LIST, &payload));
    assert!(message.starts_with(DOMAIN));
    signer
        .public_key()
        .verify(
            Alg::EdDsa,
            &message,
            &B64.decode(sig["sig"].as_str().unwrap()).unwrap(),
        )
        .unwrap();

    let opened = envelope::open(&root, TRUST_LIST, &text, None, NOW).unwrap();
    assert_eq!(opened.version, 3);
    assert_eq!(opened.expires, LATER);
    assert_eq!(opened.body, json!({"a": [true], "b": 1}));
    assert!(!opened.stale);
    let digest = ring::digest::digest(&ring::digest::SHA256, &payload);
    assert_eq!(opened.digest.as_slice(), digest.as_ref());
}

#[test]
fn ed25519_p256_and_sm2_each_sign_and_open() {
    let signers: Vec<Box<dyn Signer>> = vec![
        Box::new(ed(1)),
        Box::new(Es256Signer::generate().unwrap()),
        Box::new(Sm2Signer::generate().unwrap()),
    ];
    for signer in &signers {
        let root = Root::pinned(vec![signer.public_key()], 1, 1).unwrap();
        let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[signer.as_ref()]).unwrap();
        assert_eq!(wire(&text)["signatures"][0]["alg"], signer.alg().name());
        let opened = envelope::open(&root, TRUST_LIST, &text, None, NOW).unwrap();
        assert_eq!(opened.body, body());
    }
    // And together: a 3-of-3 root over the three algorithms.
    let refs: Vec<&dyn Signer> = signers.iter().map(|s| s.as_ref()).collect();
    let root = Root::pinned(keys(&refs), 3, 1).unwrap();
    let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &refs).unwrap();
    envelope::open(&root, TRUST_LIST, &text, None, NOW).unwrap();
}

#[test]
fn threshold_counts_distinct_keys_not_signatures() {
    // ES256 signatures are randomised, so a key can make two different,
    // valid signatures of the same document.
    let a = Es256Signer::generate().unwrap();
    let b = ed(2);
    let c = Sm2Signer::generate().unwrap();
    let root = Root::pinned(keys(&[&a, &b, &c]), 2, 1).unwrap();

    let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&a]).unwrap();
    assert_eq!(
        envelope::open(&root, TRUST_LIST, &text, None, NOW),
        Err(EnvelopeError::ThresholdNotMet {
            valid: 1,
            needed: 2
        })
    );

    // The same key twice: the same entry repeated, and a second, different
    // signature by the same key.
    let payload = payload_of(&text);
    let message = signing_input(TRUST_LIST, &payload);
    let first = wire(&text)["signatures"][0].clone();
    let second = entry(&a, &message);
    assert_ne!(first["sig"], second["sig"]);
    let doubled = assemble(&payload, vec![first.clone(), first.clone(), second]);
    let error = envelope::open(&root, TRUST_LIST, &doubled, None, NOW).unwrap_err();
    assert_eq!(
        error,
        EnvelopeError::ThresholdNotMet {
            valid: 1,
            needed: 2
        }
    );
    assert_eq!(error.reason(), "threshold_not_met");

    // Signing with the same signer twice writes one signature.
    let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&a, &a]).unwrap();
    assert_eq!(wire(&text)["signatures"].as_array().unwrap().len(), 1);

    // Two distinct keys meet it.
    let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&a, &c]).unwrap();
    envelope::open(&root, TRUST_LIST, &text, None, NOW).unwrap();
}

#[test]
fn unknown_keys_and_unreadable_entries_count_zero() {
    let a = ed(1);
    let b = ed(2);
    let c = ed(3);
    let stranger = ed(9);
    let root = Root::pinned(keys(&[&a, &b, &c]), 2, 1).unwrap();

    let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&a, &stranger]).unwrap();
    assert_eq!(
        envelope::open(&root, TRUST_LIST, &text, None, NOW),
        Err(EnvelopeError::ThresholdNotMet {
            valid: 1,
            needed: 2
        })
    );
    // An unknown key alongside enough known ones is ignored.
    let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&stranger, &a, &b]).unwrap();
    envelope::open(&root, TRUST_LIST, &text, None, NOW).unwrap();

    // A stranger's signature under a trusted key's id, an algorithm we do
    // not know, a signature that is not base64, and an alg swap: none
    // counts, and none makes the document unreadable.
    let payload = payload_of(&text);
    let message = signing_input(TRUST_LIST, &payload);
    let mut impostor = entry(&stranger, &message);
    impostor["kid"] = json!(b.public_key().thumbprint());
    let mut future = entry(&b, &message);
    future["alg"] = json!("ML-DSA-65");
    let mut garbled = entry(&b, &message);
    garbled["sig"] = json!("*** not base64 ***");
    let mut swapped = entry(&b, &message);
    swapped["alg"] = json!("ES256");
    let doc = assemble(
        &payload,
        vec![entry(&a, &message), impostor, future, garbled, swapped],
    );
    assert_eq!(
        envelope::open(&root, TRUST_LIST, &doc, None, NOW),
        Err(EnvelopeError::ThresholdNotMet {
            valid: 1,
            needed: 2
        })
    );
}

#[test]
fn a_tampered_payload_is_refused() {
    let a = ed(1);
    let root = Root::pinned(keys(&[&a]), 1, 1).unwrap();
    let text = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&a]).unwrap();
    let signatures = wire(&text)["signatures"].as_array().unwrap().clone();
    let forged = envelope_payload(TRUST_LIST, 1, LATER, &json!({"issuers": []}));
    let doc = assemble(&forged, signatures.clone());
    assert_eq!(
        envelope::open(&root, TRUST_LIST, &doc, None, NOW),
        Err(EnvelopeError::ThresholdNotMet {
            valid: 0,
            needed: 1
        })
    );
    // A later expiry or a higher version is tampering too.
    for forged in [
        envelope_payload(TRUST_LIST, 1, LATER + 1, &body()),
        envelope_payload(TRUST_LIST, 2, LATER, &body()),
    ] {
        let doc = assemble(&forged, signatures.clone());
        assert!(matches!(
            envelope::open(&root, TRUST_LIST, &doc, None, NOW),
            Err(EnvelopeError::ThresholdNotMet { valid: 0, .. })
        ));
    }
}

fn envelope_payload(kind: &str, version: u64, expires: i64, body: &Value) -> Vec<u8> {
    envelope::canonical_json(
        &json!({"kind": kind, "version": version, "expires": expires, "body": body}),
    )
    .unwrap()
}

#[test]
fn a_signature_over_another_kind_is_refused() {
    let a = ed(1);
    let root = Root::pinned(keys(&[&a]), 1, 1).unwrap();

    // A whole document of another kind.
    let region = envelope::sign(REGION, 1, LATER, &body(), &[&a]).unwrap();
    assert_eq!(
        envelope::open(&root, TRUST_LIST, &region, None, NOW),
        Err(EnvelopeError::WrongKind)
    );
    envelope::open(&root, REGION, &region, None, NOW).unwrap();

    // A payload that claims to be a trust list, signed under the region
    // profile's prefix, or with no prefix at all.
    let payload = envelope_payload(TRUST_LIST, 1, LATER, &body());
    for message in [signing_input(REGION, &payload), payload.clone()] {
        let doc = assemble(&payload, vec![entry(&a, &message)]);
        assert_eq!(
            envelope::open(&root, TRUST_LIST, &doc, None, NOW),
            Err(EnvelopeError::ThresholdNotMet {
                valid: 0,
                needed: 1
            })
        );
    }
    // Roots are not opened as documents, and documents are not roots.
    assert_eq!(
        envelope::open(&root, ROOT_KIND, &region, None, NOW),
        Err(EnvelopeError::WrongKind)
    );
    assert_eq!(
        envelope::update_root(&root, &region),
        Err(EnvelopeError::WrongKind)
    );
}

#[test]
fn rollback_and_same_version_other_bytes_are_refused() {
    let a = ed(1);
    let root = Root::pinned(keys(&[&a]), 1, 1).unwrap();
    let v1 = envelope::sign(TRUST_LIST, 1, LATER, &json!({"n": 1}), &[&a]).unwrap();
    let v2 = envelope::sign(TRUST_LIST, 2, LATER, &json!({"n": 2}), &[&a]).unwrap();
    let v2_other = envelope::sign(TRUST_LIST, 2, LATER, &json!({"n": 22}), &[&a]).unwrap();
    let v3 = envelope::sign(TRUST_LIST, 3, LATER, &json!({"n": 3}), &[&a]).unwrap();

    let opened = envelope::open(&root, TRUST_LIST, &v2, None, NOW).unwrap();
    let last = Some((opened.version, opened.digest));

    let error = envelope::open(&root, TRUST_LIST, &v1, last, NOW).unwrap_err();
    assert_eq!(error, EnvelopeError::Rollback { last: 2, got: 1 });
    assert_eq!(error.reason(), "rollback");
    let error = envelope::open(&root, TRUST_LIST, &v2_other, last, NOW).unwrap_err();
    assert_eq!(error, EnvelopeError::SameVersionOtherBytes { version: 2 });
    assert_eq!(error.reason(), "same_version_other_bytes");

    // The same document again opens (the app re-reads it at start-up).
    assert_eq!(
        envelope::open(&root, TRUST_LIST, &v2, last, NOW).unwrap(),
        opened
    );
    assert_eq!(
        envelope::open(&root, TRUST_LIST, &v3, last, NOW)
            .unwrap()
            .version,
        3
    );
}

#[test]
fn an_expired_document_is_stale_but_opens() {
    let a = ed(1);
    let root = Root::pinned(keys(&[&a]), 1, 1).unwrap();
    let text = envelope::sign(TRUST_LIST, 1, NOW - 1, &body(), &[&a]).unwrap();
    let opened = envelope::open(&root, TRUST_LIST, &text, None, NOW).unwrap();
    assert!(opened.stale);
    assert_eq!(opened.body, body());
    assert!(
        !envelope::open(&root, TRUST_LIST, &text, None, NOW - 2)
            .unwrap()
            .stale
    );
}

/// A root document for `next` (version and keys), signed by `signers`.
fn root_doc(next: &Root, expires: i64, signers: &[&dyn Signer]) -> String {
    envelope::sign(ROOT_KIND, next.version(), expires, &next.to_body(), signers).unwrap()
}

#[test]
fn roots_rotate_through_a_chain_from_an_expired_root() {
    let (a1, b1) = (ed(11), ed(12));
    let (a2, b2, c2) = (
        Es256Signer::generate().unwrap(),
        ed(22),
        Sm2Signer::generate().unwrap(),
    );
    let (a3, b3) = (ed(31), ed(32));

    // Root 1 ships with the app and expired long ago; so did root 2.
    let spec1 = Root::pinned(keys(&[&a1, &b1]), 2, 1).unwrap();
    let doc1 = root_doc(&spec1, NOW - 400 * 86_400, &[&a1, &b1]);
    let spec2 = Root::pinned(keys(&[&a2, &b2, &c2]), 2, 2).unwrap();
    let doc2 = root_doc(&spec2, NOW - 30 * 86_400, &[&a1, &b1, &a2, &c2]);
    let spec3 = Root::pinned(keys(&[&a3, &b3]), 1, 3).unwrap();
    let doc3 = root_doc(&spec3, LATER, &[&b2, &c2, &a3]);

    let root1 = Root::pinned_document(&doc1).unwrap();
    assert_eq!(root1.version(), 1);
    assert!(root1.expires() < NOW);

    let mut trusted = root1.clone();
    for doc in [&doc2, &doc3] {
        trusted = envelope::update_root(&trusted, doc).unwrap();
    }
    assert_eq!(trusted.version(), 3);
    assert_eq!(trusted.expires(), LATER);
    assert_eq!(trusted.threshold(), 1);
    assert_eq!(trusted.keys(), spec3.keys());

    // Documents follow the keys: the new root's keys sign, the old do not.
    let fresh = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&b3]).unwrap();
    assert!(
        !envelope::open(&trusted, TRUST_LIST, &fresh, None, NOW)
            .unwrap()
            .stale
    );
    let old = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&a1, &b1]).unwrap();
    assert!(matches!(
        envelope::open(&trusted, TRUST_LIST, &old, None, NOW),
        Err(EnvelopeError::ThresholdNotMet { valid: 0, .. })
    ));
    // Under an expired root, even a current document is stale.
    assert!(
        envelope::open(&root1, TRUST_LIST, &old, None, NOW)
            .unwrap()
            .stale
    );

    // The chain does not go back: root 2 is not signed by root 3's keys
    // (signatures are checked first, as TUF does), and replaying it from
    // root 2 itself is a rollback.
    assert!(matches!(
        envelope::update_root(&trusted, &doc2),
        Err(EnvelopeError::ThresholdNotMet { .. })
    ));
    let root2 = envelope::update_root(&root1, &doc2).unwrap();
    assert_eq!(
        envelope::update_root(&root2, &doc2),
        Err(EnvelopeError::Rollback { last: 2, got: 2 })
    );
}

#[test]
fn a_rotation_needs_both_the_old_and_the_new_keys() {
    let (a1, b1) = (ed(11), ed(12));
    let (a2, b2) = (ed(21), ed(22));
    let trusted = Root::pinned(keys(&[&a1, &b1]), 2, 1).unwrap();
    let next = Root::pinned(keys(&[&a2, &b2]), 2, 2).unwrap();

    let only_old = root_doc(&next, LATER, &[&a1, &b1]);
    assert_eq!(
        envelope::update_root(&trusted, &only_old),
        Err(EnvelopeError::ThresholdNotMet {
            valid: 0,
            needed: 2
        })
    );
    let only_new = root_doc(&next, LATER, &[&a2, &b2]);
    assert_eq!(
        envelope::update_root(&trusted, &only_new),
        Err(EnvelopeError::ThresholdNotMet {
            valid: 0,
            needed: 2
        })
    );
    // Half of the old: below the old threshold.
    let half_old = root_doc(&next, LATER, &[&a1, &a2, &b2]);
    assert_eq!(
        envelope::update_root(&trusted, &half_old),
        Err(EnvelopeError::ThresholdNotMet {
            valid: 1,
            needed: 2
        })
    );
    // Old and new keyholders sign on different machines: cosign.
    let started = root_doc(&next, LATER, &[&a1, &b1]);
    let finished = envelope::cosign(&started, &[&a2, &b2]).unwrap();
    assert_eq!(wire(&finished)["signatures"].as_array().unwrap().len(), 4);
    let rotated = envelope::update_root(&trusted, &finished).unwrap();
    assert_eq!(rotated.keys(), next.keys());
}

#[test]
fn a_root_version_must_rise_by_exactly_one() {
    let a = ed(1);
    let trusted = Root::pinned(keys(&[&a]), 1, 1).unwrap();
    let sign_as = |version| {
        let next = Root::pinned(keys(&[&a]), 1, version).unwrap();
        root_doc(&next, LATER, &[&a])
    };
    let error = envelope::update_root(&trusted, &sign_as(3)).unwrap_err();
    assert_eq!(
        error,
        EnvelopeError::RootVersionSkipped { trusted: 1, got: 3 }
    );
    assert_eq!(error.reason(), "root_version_skipped");
    for version in [0, 1] {
        assert!(matches!(
            envelope::update_root(&trusted, &sign_as(version)),
            Err(EnvelopeError::Rollback { last: 1, .. })
        ));
    }
    assert_eq!(
        envelope::update_root(&trusted, &sign_as(2))
            .unwrap()
            .version(),
        2
    );
    // u64::MAX has no successor, and must not wrap.
    let top = Root::pinned(keys(&[&a]), 1, u64::MAX).unwrap();
    assert!(matches!(
        envelope::update_root(&top, &sign_as(0)),
        Err(EnvelopeError::Rollback { .. })
    ));
}

#[test]
fn delegated_roles_sign_their_kind_only() {
    let (r1, r2) = (ed(1), ed(2));
    let (t1, t2, t3) = (ed(5), Es256Signer::generate().unwrap(), ed(7));
    let pinned = Root::pinned(keys(&[&r1, &r2]), 2, 1).unwrap();
    let next = Root::pinned(keys(&[&r1, &r2]), 2, 2)
        .unwrap()
        .with_role(TRUST_LIST, keys(&[&t1, &t2, &t3]), 2)
        .unwrap();
    let trusted = envelope::update_root(&pinned, &root_doc(&next, LATER, &[&r1, &r2])).unwrap();
    assert_eq!(trusted.roles().len(), 1);
    assert_eq!(trusted.roles()[TRUST_LIST].threshold(), 2);

    // The trust list: a threshold of the role's keys, not the root keys.
    let by_role = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&t1, &t2]).unwrap();
    envelope::open(&trusted, TRUST_LIST, &by_role, None, NOW).unwrap();
    let by_root = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&r1, &r2]).unwrap();
    assert!(matches!(
        envelope::open(&trusted, TRUST_LIST, &by_root, None, NOW),
        Err(EnvelopeError::ThresholdNotMet { valid: 0, .. })
    ));
    let one_of_role = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&t3, &r1]).unwrap();
    assert!(envelope::open(&trusted, TRUST_LIST, &one_of_role, None, NOW).is_err());

    // Other kinds stay with the root keys; role keys cannot sign them, nor
    // a new root.
    let region = envelope::sign(REGION, 1, LATER, &body(), &[&t1, &t2, &t3]).unwrap();
    assert!(envelope::open(&trusted, REGION, &region, None, NOW).is_err());
    let takeover = Root::pinned(keys(&[&t1, &t2]), 2, 3).unwrap();
    assert!(matches!(
        envelope::update_root(&trusted, &root_doc(&takeover, LATER, &[&t1, &t2, &t3])),
        Err(EnvelopeError::ThresholdNotMet { valid: 0, .. })
    ));
}

#[test]
fn bad_root_bodies_are_refused() {
    let a = ed(1);
    let trusted = Root::pinned(keys(&[&a]), 1, 1).unwrap();
    let jwk = a.public_key().to_jwk();
    for body in [
        json!({"keys": [jwk], "threshold": 0}),
        json!({"keys": [jwk], "threshold": 2}),
        json!({"keys": [jwk, jwk], "threshold": 2}),
        json!({"keys": [], "threshold": 1}),
        json!({"keys": [{"kty": "oct", "k": "AAAA"}], "threshold": 1}),
        json!({"keys": [jwk], "threshold": 1, "extra": true}),
        json!({"keys": [jwk], "threshold": 1, "roles": {ROOT_KIND: {"keys": [jwk], "threshold": 1}}}),
        json!({"keys": [jwk], "threshold": 1, "roles": {TRUST_LIST: {"keys": [jwk], "threshold": 0}}}),
        json!({"keys": [jwk], "threshold": -1}),
    ] {
        let doc = envelope::sign(ROOT_KIND, 2, LATER, &body, &[&a]).unwrap();
        assert_eq!(
            envelope::update_root(&trusted, &doc),
            Err(EnvelopeError::BadRoot),
            "{body}"
        );
    }
}

#[test]
fn malformed_oversized_and_non_canonical_input_gives_typed_errors() {
    let a = ed(1);
    let root = Root::pinned(keys(&[&a]), 1, 1).unwrap();
    let good = envelope::sign(TRUST_LIST, 1, LATER, &body(), &[&a]).unwrap();
    let open = |text: &str| envelope::open(&root, TRUST_LIST, text, None, NOW);

    // Every prefix of a good envelope: an error, never a panic.
    for end in 0..good.len() {
        if good.is_char_boundary(end) {
            assert!(open(&good[..end]).is_err(), "{end}");
        }
    }
    for text in [
        "",
        "null",
        "[]",
        r#"{"signed": 1, "signatures": []}"#,
        r#"{"signed": "e30", "signatures": []}"#,
        r#"{"signed": "!!", "signatures": []}"#,
        r#"{"signed": "e30", "signatures": [], "extra": 1}"#,
        r#"{"signed": "e30", "signatures": [{"kid": "k"}]}"#,
    ] {
        assert_eq!(open(text), Err(EnvelopeError::Malformed), "{text}");
    }
    let mut extra = wire(&good);
    extra["signatures"][0]["x5c"] = json!([]);
    assert_eq!(open(&extra.to_string()), Err(EnvelopeError::Malformed));

    // Payloads that verify but are not canonical: whitespace, key order, a
    // duplicate member (which another JSON reader could resolve the other
    // way).
    for payload in [
        r#"{"body": {}, "expires": 1, "kind": "palmgov.trust-list", "version": 1}"#,
        r#"{"version":1,"body":{},"expires":1,"kind":"palmgov.trust-list"}"#,
        r#"{"body":{"a":1,"a":2},"expires":1,"kind":"palmgov.trust-list","version":1}"#,
        r#"{"body":{},"expires":1,"kind":"palmgov.trust-list","version":1,"version":2}"#,
    ] {
        let message = signing_input(TRUST_LIST, payload.as_bytes());
        let doc = assemble(payload.as_bytes(), vec![entry(&a, &message)]);
        assert_eq!(open(&doc), Err(EnvelopeError::NotCanonical), "{payload}");
    }
    // Canonical, signed, but missing or extra payload members.
    for payload in [
        json!({"body": {}, "kind": TRUST_LIST, "version": 1}),
        json!({"body": {}, "expires": 1, "kind": TRUST_LIST, "version": 1, "x": 0}),
        json!({"body": {}, "expires": 1, "kind": TRUST_LIST, "version": -1}),
        json!({"body": {}, "expires": 1, "kind": "Bad Kind", "version": 1}),
    ] {
        let payload = envelope::canonical_json(&payload).unwrap();
        let message = signing_input(TRUST_LIST, &payload);
        let doc = assemble(&payload, vec![entry(&a, &message)]);
        assert_eq!(open(&doc), Err(EnvelopeError::Malformed));
    }

    // Size bounds.
    let huge = format!(
        r#"{{"signed":"{}","signatures":[]}}"#,
        "A".repeat(MAX_ENVELOPE_BYTES)
    );
    assert_eq!(open(&huge), Err(EnvelopeError::TooLarge));
    let mut many = wire(&good);
    let first = many["signatures"][0].clone();
    many["signatures"] = Value::Array(vec![first; MAX_SIGNATURES + 1]);
    assert_eq!(open(&many.to_string()), Err(EnvelopeError::TooLarge));
    let big_body = json!({"blob": "x".repeat(MAX_ENVELOPE_BYTES)});
    assert_eq!(
        envelope::sign(TRUST_LIST, 1, LATER, &big_body, &[&a]),
        Err(EnvelopeError::TooLarge)
    );

    // Bad arguments.
    assert_eq!(
        envelope::sign("Trust List", 1, LATER, &body(), &[&a]),
        Err(EnvelopeError::Malformed)
    );
    assert_eq!(
        envelope::sign(TRUST_LIST, 1, LATER, &body(), &[]),
        Err(EnvelopeError::SignFailed)
    );
    assert_eq!(
        envelope::open(&root, "palmgov.trust-list\n", &good, None, NOW),
        Err(EnvelopeError::WrongKind)
    );
}

#[test]
fn a_pinned_root_document_must_be_a_self_signed_root() {
    let (a, b, stranger) = (ed(1), ed(2), ed(9));
    let spec = Root::pinned(keys(&[&a, &b]), 2, 5).unwrap();
    let doc = root_doc(&spec, NOW - 1, &[&a, &b]);
    let root = Root::pinned_document(&doc).unwrap();
    assert_eq!((root.version(), root.expires()), (5, NOW - 1));
    assert_eq!(root.keys(), spec.keys());

    // Signed by one of its two keys, or by someone else: a mis-built file.
    for signers in [vec![&a as &dyn Signer], vec![&stranger as &dyn Signer]] {
        let doc = root_doc(&spec, LATER, &signers);
        assert!(matches!(
            Root::pinned_document(&doc),
            Err(EnvelopeError::ThresholdNotMet { needed: 2, .. })
        ));
    }
    let list = envelope::sign(TRUST_LIST, 5, LATER, &spec.to_body(), &[&a, &b]).unwrap();
    assert_eq!(Root::pinned_document(&list), Err(EnvelopeError::WrongKind));
    assert_eq!(Root::pinned_document("{}"), Err(EnvelopeError::Malformed));
}
