//! The SD-JWT flow through the public API only, as the reference backend
//! and the app use it: an SM2/SM3 issuer in deterministic-salt test mode,
//! the digests a compact QR encoding would sign, a key-bound presentation
//! from the holder's P-256 key, and the verifier's view.

use palmgov_credentials::jws::Compact;
use palmgov_credentials::keys::{Es256Signer, Signer, Sm2Signer};
use palmgov_credentials::sdjwt::{
    self, DeterministicSalts, HashAlg, KeyBindingInput, StatusListRef, VerifyOptions, by_pointers,
    disclosure_digest,
};
use serde_json::{Value, json};

const NOW: i64 = 1_760_000_000;

#[test]
fn backend_issues_app_presents_verifier_checks() {
    let issuer = Sm2Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let claims = json!({
        "iss": "https://zwfw.example.gov.cn",
        "iat": NOW - 86_400,
        "exp": NOW + 365 * 86_400,
        "vct": "urn:palmgov:licence:1.2.156.3005.2.11100000000013338W011",
        "cnf": {"jwk": holder.public_key().to_jwk()},
        "status": {"status_list": {"idx": 7, "uri": "https://zwfw.example.gov.cn/status/3"}},
        "licence_id": "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
        "name": "王小明",
        "id_number": "110101199001011234",
        "address": {"region": "北京市", "street_address": "长安街 1 号"},
    });
    let disclosable = ["/name", "/id_number", "/address", "/address/street_address"];
    let issue = || {
        sdjwt::issue(
            claims.clone(),
            &disclosable,
            HashAlg::Sm3,
            json!({"typ": "dc+sd-jwt", "kid": issuer.public_key().thumbprint()}),
            &issuer,
            &mut DeterministicSalts::new(b"backend test mode"),
        )
        .unwrap()
    };
    let sd_jwt = issue();
    // SM2 signs deterministically: the test mode reproduces an issuance.
    assert_eq!(issue(), sd_jwt);

    // What a compact QR encoding needs: each disclosure with its digest.
    let inspected = sdjwt::inspect(&sd_jwt).unwrap();
    assert_eq!(inspected.hash, HashAlg::Sm3);
    assert_eq!(inspected.claims, claims);
    for d in &inspected.disclosures {
        assert_eq!(d.digest, disclosure_digest(HashAlg::Sm3, &d.encoded));
    }
    let mut pointers: Vec<String> = inspected.disclosures.iter().map(|d| d.pointer()).collect();
    pointers.sort();
    assert_eq!(
        pointers,
        ["/address", "/address/street_address", "/id_number", "/name"]
    );

    // The issuer is found by `kid` in a trust list.
    let trusted = issuer.public_key();
    let trust_list = move |header: &Value, _: &Value| {
        (header["kid"] == trusted.thumbprint()).then(|| trusted.clone())
    };

    // The holder checks what arrived, then shows the name and region.
    let options = VerifyOptions {
        now: NOW,
        skew_secs: 60,
        expect_typ: Some("dc+sd-jwt"),
        key_binding: None,
        max_kb_age_secs: 120,
    };
    sdjwt::verify(&sd_jwt, &trust_list, &options).unwrap();
    let presentation = sdjwt::present(
        &sd_jwt,
        &by_pointers(&["/name", "/address"]).unwrap(),
        Some(KeyBindingInput {
            aud: "verifier:police-42",
            nonce: "qr-8c1f",
            iat: NOW,
            signer: &holder,
        }),
    )
    .unwrap();
    let kb = Compact::parse(presentation.rsplit('~').next().unwrap()).unwrap();
    assert_eq!(kb.header["typ"], "kb+jwt");
    assert_eq!(kb.alg, holder.alg());

    let verified = sdjwt::verify(
        &presentation,
        &trust_list,
        &VerifyOptions {
            key_binding: Some(("verifier:police-42", "qr-8c1f")),
            now: NOW + 30,
            ..options
        },
    )
    .unwrap();
    assert!(verified.key_bound);
    assert_eq!(verified.holder_key(), Some(holder.public_key()));
    assert_eq!(verified.claims["name"], "王小明");
    assert_eq!(verified.claims["address"], json!({"region": "北京市"}));
    assert!(verified.claims.get("id_number").is_none());
    assert_eq!(
        verified.status,
        Some(StatusListRef {
            idx: 7,
            uri: "https://zwfw.example.gov.cn/status/3".into()
        })
    );

    // Replayed to another verifier, or a day later: refused.
    for (aud, now) in [
        ("verifier:shop-9", NOW + 30),
        ("verifier:police-42", NOW + 86_400),
    ] {
        let replay = sdjwt::verify(
            &presentation,
            &trust_list,
            &VerifyOptions {
                key_binding: Some((aud, "qr-8c1f")),
                now,
                ..options
            },
        );
        assert_eq!(replay.unwrap_err().reason(), "key_binding_invalid");
    }
}
