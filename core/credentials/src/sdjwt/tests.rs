//! SD-JWT unit tests: RFC 9901's own examples, round trips under every
//! issuer algorithm and both digest algorithms, and each refusal.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

use super::*;
use crate::jws;
use crate::keys::{Ed25519Signer, Es256Signer, PublicKey, Signer, Sm2Signer};

const RFC_5_1: &str = include_str!("../../tests/vectors/rfc9901-5.1-sd-jwt.txt");
const RFC_5_2: &str = include_str!("../../tests/vectors/rfc9901-5.2-presentation.txt");
const RFC_A_3: &str = include_str!("../../tests/vectors/rfc9901-a.3-sd-jwt-vc.txt");

/// RFC 9901 appendix A.5.
fn rfc_issuer_key() -> PublicKey {
    PublicKey::from_jwk(&json!({
        "kty": "EC", "crv": "P-256",
        "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
        "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8",
    }))
    .unwrap()
}

/// A P-256 signer from a JWK's `d`, `x`, `y`, through the PKCS#8 form ring
/// itself writes (ring checks that the public key belongs to `d`).
fn p256_signer(d: &str, x: &str, y: &str) -> Es256Signer {
    let hex = |s: &str| -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    let mut der = hex("308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420");
    der.extend(B64.decode(d).unwrap());
    der.extend(hex("a144034200"));
    der.push(4);
    der.extend(B64.decode(x).unwrap());
    der.extend(B64.decode(y).unwrap());
    Es256Signer::from_pkcs8(&der).unwrap()
}

/// The RFC examples' holder key (the reference implementation's demo key).
fn rfc_holder() -> Es256Signer {
    p256_signer(
        "5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I",
        "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
        "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ",
    )
}

const NOW: i64 = 1_750_000_000;

fn opts() -> VerifyOptions<'static> {
    VerifyOptions {
        now: NOW,
        skew_secs: 60,
        expect_typ: None,
        key_binding: None,
        max_kb_age_secs: 300,
    }
}

fn kb_opts() -> VerifyOptions<'static> {
    VerifyOptions {
        key_binding: Some(("https://verifier.example.cn", "n-0S6_WzA2Mj")),
        ..opts()
    }
}

fn key_is(key: PublicKey) -> impl Fn(&Value, &Value) -> Option<PublicKey> {
    move |_: &Value, _: &Value| Some(key.clone())
}

/// [`super::verify`], checked against [`super::verify_claims`] on every
/// input these tests give it: the two must always answer alike.
fn verify(
    presentation: &str,
    issuer_key: &dyn Fn(&Value, &Value) -> Option<PublicKey>,
    options: &VerifyOptions<'_>,
) -> Result<Verified, SdJwtError> {
    let full = super::verify(presentation, issuer_key, options);
    assert_same_answer(&full, &verify_claims(presentation, issuer_key, options));
    full
}

fn err_reason(r: Result<Verified, SdJwtError>) -> &'static str {
    r.map(|_| ()).unwrap_err().reason()
}

/// An ID-card-like licence with nested objects and arrays.
fn licence_claims(holder: &dyn Signer) -> Value {
    json!({
        "iss": "https://zwfw.example.gov.cn",
        "iat": NOW - 3600,
        "nbf": NOW - 3600,
        "exp": NOW + 86_400,
        "vct": "urn:palmgov:licence:id-card",
        "cnf": {"jwk": holder.public_key().to_jwk()},
        "status": {"status_list": {"idx": 412, "uri": "https://zwfw.example.gov.cn/status/1"}},
        "given_name": "小明",
        "family_name": "王",
        "birthdate": "1990-01-01",
        "address": {
            "street_address": "长安街 1 号",
            "locality": "东城区",
            "region": "北京市",
            "country": "CN",
        },
        "nationalities": ["CN", "HK", "MO"],
        "degrees": [
            {"title": "学士", "year": 2012},
            {"title": "硕士", "year": 2015},
        ],
    })
}

const LICENCE_SD: &[&str] = &[
    "/given_name",
    "/family_name",
    "/birthdate",
    "/address",
    "/address/street_address",
    "/address/locality",
    "/nationalities/1",
    "/nationalities/2",
    "/degrees/1",
    "/degrees/1/title",
];

fn issue_licence(issuer: &dyn Signer, holder: &dyn Signer, hash: HashAlg) -> String {
    issue(
        licence_claims(holder),
        LICENCE_SD,
        hash,
        json!({"typ": "dc+sd-jwt", "kid": "issuer-1"}),
        issuer,
        &mut RandomSalts::new(),
    )
    .unwrap()
}

/// Signs a payload exactly as given and appends disclosures: what a buggy
/// or hostile issuer could produce, to test the verifier's own rules.
fn craft(payload: Value, disclosures: &[String], signer: &dyn Signer) -> String {
    let jwt = jws::sign(
        &json!({"typ": "example+sd-jwt"}),
        payload.to_string().as_bytes(),
        signer,
    )
    .unwrap();
    let mut out = format!("{jwt}~");
    for d in disclosures {
        out.push_str(d);
        out.push('~');
    }
    out
}

fn disc(json: Value) -> String {
    B64.encode(json.to_string())
}

fn digest(d: &str) -> String {
    disclosure_digest(HashAlg::Sha256, d)
}

// --- RFC 9901's own examples ---------------------------------------------

#[test]
fn rfc_disclosure_digests() {
    // Section 4.2.3 (the disclosure of section 4.2.1) and 4.2.2.
    let family = "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0";
    assert_eq!(
        digest(family),
        "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"
    );
    assert_eq!(
        digest("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0"),
        "w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs"
    );
    // Section 5.1.
    assert_eq!(
        digest("WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd"),
        "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4"
    );
    assert_eq!(
        digest("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIlVTIl0"),
        "pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo"
    );
    // Section 4.2.1: other spellings of the same claim decode alike and
    // digest differently, the digest being over the encoded string.
    let spellings = [
        family,
        "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
        "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
        "WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
    ];
    let mut digests = std::collections::HashSet::new();
    for s in spellings {
        let d = disclosure::decode(HashAlg::Sha256, s, &mut Vec::new())
            .ok()
            .unwrap();
        assert_eq!(d.name.as_deref(), Some("family_name"));
        assert_eq!(d.value, json!("Möbius"));
        digests.insert(d.digest);
    }
    assert_eq!(digests.len(), 4);
}

#[test]
fn rfc_example_5_1_verifies_with_every_disclosure() {
    let verified = verify(RFC_5_1, &key_is(rfc_issuer_key()), &opts()).unwrap();
    assert_eq!(verified.header["typ"], "example+sd-jwt");
    assert_eq!(verified.disclosed.len(), 10);
    assert_eq!(verified.hash, HashAlg::Sha256);
    assert!(!verified.key_bound);
    assert_eq!(
        verified.claims,
        json!({
            "iss": "https://issuer.example.com", "iat": 1683000000, "exp": 1883000000,
            "sub": "user_42", "given_name": "John", "family_name": "Doe",
            "email": "johndoe@example.com", "phone_number": "+1-202-555-0101",
            "phone_number_verified": true,
            "address": {"street_address": "123 Main St", "locality": "Anytown",
                        "region": "Anystate", "country": "US"},
            "birthdate": "1940-01-01", "updated_at": 1570000000,
            "nationalities": ["US", "DE"],
            "cnf": verified.claims["cnf"].clone(),
        })
    );
    assert_eq!(verified.holder_key(), Some(rfc_holder().public_key()));
    let us = verified
        .disclosed
        .iter()
        .find(|d| d.value == json!("US"))
        .unwrap();
    assert_eq!(us.pointer(), "/nationalities/0");
    assert_eq!(us.name, None);
    assert_eq!(us.digest, "pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo");
}

#[test]
fn rfc_example_5_2_presentation_with_key_binding() {
    let iat = 1_748_536_865;
    let options = VerifyOptions {
        now: iat + 5,
        key_binding: Some(("https://verifier.example.org", "1234567890")),
        ..opts()
    };
    let verified = verify(RFC_5_2, &key_is(rfc_issuer_key()), &options).unwrap();
    assert!(verified.key_bound);
    assert_eq!(
        verified.claims,
        json!({
            "iss": "https://issuer.example.com", "iat": 1683000000, "exp": 1883000000,
            "sub": "user_42", "nationalities": ["US"],
            "cnf": {"jwk": {"kty": "EC", "crv": "P-256",
                "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
                "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ"}},
            "family_name": "Doe",
            "address": {"street_address": "123 Main St", "locality": "Anytown",
                        "region": "Anystate", "country": "US"},
            "given_name": "John",
        })
    );
    let fault =
        |options: &VerifyOptions<'_>| match verify(RFC_5_2, &key_is(rfc_issuer_key()), options) {
            Err(SdJwtError::KeyBindingInvalid(fault)) => fault,
            other => panic!("{other:?}"),
        };
    let with = |aud, nonce| VerifyOptions {
        key_binding: Some((aud, nonce)),
        ..options
    };
    assert_eq!(
        fault(&with("https://verifier.example.org", "1234567891")),
        KbFault::Nonce
    );
    assert_eq!(
        fault(&with("https://other.example.org", "1234567890")),
        KbFault::Aud
    );
    // A day later the KB-JWT is stale.
    let later = VerifyOptions {
        now: iat + 86_400,
        ..options
    };
    assert_eq!(fault(&later), KbFault::Iat);
    // Without key binding required, the KB-JWT is not judged.
    let verified = verify(RFC_5_2, &key_is(rfc_issuer_key()), &opts()).unwrap();
    assert!(!verified.key_bound);
}

#[test]
fn rfc_appendix_a_3_sd_jwt_vc_with_recursive_disclosures() {
    let options = VerifyOptions {
        expect_typ: Some("dc+sd-jwt"),
        ..opts()
    };
    let verified = verify(RFC_A_3, &key_is(rfc_issuer_key()), &options).unwrap();
    assert_eq!(verified.claims["vct"], "urn:eudi:pid:de:1");
    assert_eq!(
        verified.claims["address"]["street_address"],
        "Heidestraße 17"
    );
    assert_eq!(verified.claims["age_equal_or_over"]["18"], true);
    // Nested disclosures come after the one they sit in.
    let position = |p: &str| {
        verified
            .disclosed
            .iter()
            .position(|d| d.pointer() == p)
            .unwrap()
    };
    assert!(position("/address") < position("/address/locality"));

    // The holder (the RFC's demo key) shows only that they are over 18.
    let holder = rfc_holder();
    let presentation = present(
        RFC_A_3,
        &by_pointers(&["/age_equal_or_over/18"]).unwrap(),
        Some(KeyBindingInput {
            aud: "https://verifier.example.cn",
            nonce: "n-0S6_WzA2Mj",
            iat: NOW,
            signer: &holder,
        }),
    )
    .unwrap();
    let shown = verify(
        &presentation,
        &key_is(rfc_issuer_key()),
        &VerifyOptions {
            expect_typ: Some("dc+sd-jwt"),
            ..kb_opts()
        },
    )
    .unwrap();
    assert!(shown.key_bound);
    assert_eq!(shown.claims["age_equal_or_over"], json!({"18": true}));
    assert_eq!(shown.disclosed.len(), 2);
    assert!(shown.claims.get("given_name").is_none());
    assert!(shown.claims.get("address").is_none());
}

// --- Round trips ------------------------------------------------------------

fn signers() -> Vec<(Box<dyn Signer>, HashAlg)> {
    vec![
        (Box::new(Es256Signer::generate().unwrap()), HashAlg::Sha256),
        (Box::new(Es256Signer::generate().unwrap()), HashAlg::Sm3),
        (Box::new(Sm2Signer::generate().unwrap()), HashAlg::Sm3),
        (Box::new(Sm2Signer::generate().unwrap()), HashAlg::Sha256),
        (
            Box::new(Ed25519Signer::generate().unwrap()),
            HashAlg::Sha256,
        ),
    ]
}

#[test]
fn round_trips_under_every_issuer_algorithm_and_digest() {
    let holder = Es256Signer::generate().unwrap();
    for (issuer, hash) in signers() {
        let sd_jwt = issue_licence(&*issuer, &holder, hash);
        let label = format!("{} {}", issuer.alg().name(), hash.name());
        // The holder checks what arrived: everything, nothing bound.
        let all = verify(&sd_jwt, &key_is(issuer.public_key()), &opts()).unwrap();
        assert_eq!(all.claims, licence_claims(&holder), "{label}");
        assert_eq!(all.hash, hash, "{label}");
        assert_eq!(all.disclosed.len(), LICENCE_SD.len(), "{label}");
        assert_eq!(all.holder_key(), Some(holder.public_key()));
        assert_eq!(
            all.status,
            Some(StatusListRef {
                idx: 412,
                uri: "https://zwfw.example.gov.cn/status/1".into()
            })
        );

        let presentation = present(
            &sd_jwt,
            &by_pointers(&[
                "/given_name",
                "/address/locality",
                "/nationalities/2",
                "/degrees/1",
            ])
            .unwrap(),
            Some(KeyBindingInput {
                aud: "https://verifier.example.cn",
                nonce: "n-0S6_WzA2Mj",
                iat: NOW - 10,
                signer: &holder,
            }),
        )
        .unwrap();
        let options = VerifyOptions {
            expect_typ: Some("dc+sd-jwt"),
            ..kb_opts()
        };
        let shown = verify(&presentation, &key_is(issuer.public_key()), &options).unwrap();
        assert!(shown.key_bound, "{label}");
        assert_eq!(
            shown.claims,
            json!({
                "iss": "https://zwfw.example.gov.cn",
                "iat": NOW - 3600, "nbf": NOW - 3600, "exp": NOW + 86_400,
                "vct": "urn:palmgov:licence:id-card",
                "cnf": {"jwk": holder.public_key().to_jwk()},
                "status": {"status_list": {"idx": 412, "uri": "https://zwfw.example.gov.cn/status/1"}},
                "given_name": "小明",
                // The address, its locality, not its street (not chosen).
                "address": {"locality": "东城区", "region": "北京市", "country": "CN"},
                // Position 0 is plain, 1 undisclosed, 2 disclosed.
                "nationalities": ["CN", "MO"],
                // The second degree without its (disclosable) title.
                "degrees": [{"title": "学士", "year": 2012}, {"year": 2015}],
            }),
            "{label}"
        );
        let mut pointers: Vec<String> = shown.disclosed.iter().map(Disclosure::pointer).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            [
                "/address",
                "/address/locality",
                "/degrees/1",
                "/given_name",
                "/nationalities/2"
            ],
            "{label}"
        );
    }
}

#[test]
fn a_nested_disclosure_goes_only_with_its_parent() {
    let issuer = Es256Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let sd_jwt = issue_licence(&issuer, &holder, HashAlg::Sha256);
    // Asked for the street alone (a predicate that does not include the
    // way there): the address is not disclosed, so neither is the street.
    let street_only = |path: &[PathSegment]| pointer(path) == "/address/street_address";
    let presentation = present(&sd_jwt, &street_only, None).unwrap();
    let shown = verify(&presentation, &key_is(issuer.public_key()), &opts()).unwrap();
    assert!(shown.disclosed.is_empty());
    assert!(shown.claims.get("address").is_none());
    // The SD-JWT as issued, nothing chosen: nothing disclosed, still valid.
    let nothing = present(&sd_jwt, &|_| false, None).unwrap();
    assert_eq!(nothing, format!("{}~", sd_jwt.split('~').next().unwrap()));
    let shown = verify(&nothing, &key_is(issuer.public_key()), &opts()).unwrap();
    assert_eq!(shown.claims["nationalities"], json!(["CN"]));
    assert_eq!(
        shown.claims["degrees"],
        json!([{"title": "学士", "year": 2012}])
    );
    // A disclosure sent without its parent is refused by the verifier.
    let parts: Vec<&str> = sd_jwt.split('~').collect();
    let inspected = inspect(&sd_jwt).unwrap();
    let street = inspected
        .disclosures
        .iter()
        .find(|d| d.pointer() == "/address/street_address")
        .unwrap();
    let orphan = format!("{}~{}~", parts[0], street.encoded);
    assert_eq!(
        err_reason(verify(&orphan, &key_is(issuer.public_key()), &opts())),
        "unreferenced_disclosure"
    );
}

#[test]
fn a_whole_array_and_its_elements_can_be_disclosable() {
    // RFC 9901 section 4.2.6: the array hidden, and each element too.
    let issuer = Ed25519Signer::generate().unwrap();
    let sd_jwt = issue(
        json!({"family_name": "Möbius", "nationalities": ["DE", "FR", "UK"]}),
        &[
            "/nationalities",
            "/nationalities/0",
            "/nationalities/1",
            "/nationalities/2",
        ],
        HashAlg::Sha256,
        Value::Null,
        &issuer,
        &mut RandomSalts::new(),
    )
    .unwrap();
    let inspected = inspect(&sd_jwt).unwrap();
    assert_eq!(inspected.issuer_payload["_sd"].as_array().unwrap().len(), 1);
    assert!(inspected.issuer_payload.get("nationalities").is_none());
    let presentation =
        present(&sd_jwt, &by_pointers(&["/nationalities/1"]).unwrap(), None).unwrap();
    let shown = verify(&presentation, &key_is(issuer.public_key()), &opts()).unwrap();
    assert_eq!(
        shown.claims,
        json!({"family_name": "Möbius", "nationalities": ["FR"]})
    );
}

#[test]
fn deterministic_salts_reproduce_an_issuance() {
    // SM2 and Ed25519 signatures are deterministic here, so the whole
    // SD-JWT is.
    let sm = Sm2Signer::generate().unwrap();
    let ed = Ed25519Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    for issuer in [&sm as &dyn Signer, &ed] {
        let make = |seed: &[u8]| {
            issue(
                licence_claims(&holder),
                LICENCE_SD,
                HashAlg::Sm3,
                json!({"typ": "dc+sd-jwt"}),
                issuer,
                &mut DeterministicSalts::new(seed),
            )
            .unwrap()
        };
        assert_eq!(make(b"seed"), make(b"seed"));
        assert_ne!(make(b"seed"), make(b"other seed"));
    }
    let mut salts = DeterministicSalts::new(b"seed");
    let first = salts.salt().unwrap();
    assert_eq!(B64.decode(&first).unwrap().len(), 16);
    assert_ne!(first, salts.salt().unwrap());
    let mut random = RandomSalts::new();
    let salt = random.salt().unwrap();
    assert_eq!(B64.decode(&salt).unwrap().len(), 16);
    assert_ne!(salt, random.salt().unwrap());
}

#[test]
fn inspect_lists_each_disclosure_with_its_digest() {
    let issuer = Sm2Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let sd_jwt = issue_licence(&issuer, &holder, HashAlg::Sm3);
    let inspected = inspect(&sd_jwt).unwrap();
    assert_eq!(inspected.hash, HashAlg::Sm3);
    assert_eq!(inspected.claims, licence_claims(&holder));
    let mut pointers: Vec<String> = inspected
        .disclosures
        .iter()
        .map(Disclosure::pointer)
        .collect();
    pointers.sort();
    let mut expected: Vec<String> = LICENCE_SD.iter().map(|p| p.to_string()).collect();
    expected.sort();
    assert_eq!(pointers, expected);
    let signed = inspected.issuer_payload.to_string();
    for d in &inspected.disclosures {
        assert_eq!(d.digest, disclosure_digest(HashAlg::Sm3, &d.encoded));
        assert!(sd_jwt.contains(&format!("~{}~", d.encoded)));
        // Every digest is in the signed payload or in its parent's
        // disclosure.
        let in_parent = inspected.disclosures.iter().any(|p| {
            B64.decode(&p.encoded)
                .map(|json| String::from_utf8_lossy(&json).contains(&d.digest))
                .unwrap_or(false)
        });
        assert!(signed.contains(&d.digest) || in_parent, "{}", d.pointer());
    }
    // `_sd` arrays are sorted.
    let sd: Vec<&str> = inspected.issuer_payload["_sd"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(sd.windows(2).all(|w| w[0] < w[1]));
}

// --- Refusals: the issuer side ------------------------------------------------

#[test]
fn issue_refuses_what_it_should_not_sign() {
    let issuer = Es256Signer::generate().unwrap();
    let go = |payload: Value, sd: &[&str], header: Value| {
        issue(
            payload,
            sd,
            HashAlg::Sha256,
            header,
            &issuer,
            &mut RandomSalts::new(),
        )
        .map(|_| ())
        .unwrap_err()
        .reason()
    };
    let claims = json!({"a": 1, "b": {"c": [1, 2]}, "exp": 5, "vct": "x"});
    for sd in [
        &["/z"][..],
        &["/b/c/2"],
        &["/b/c/01"],
        &["a"],
        &[""],
        &["/a", "/a"],
        &["/a/x"],
    ] {
        assert_eq!(go(claims.clone(), sd, Value::Null), "bad_pointer", "{sd:?}");
    }
    assert_eq!(go(json!([1]), &[], Value::Null), "malformed");
    assert_eq!(go(claims.clone(), &[], json!("dc+sd-jwt")), "malformed");
    for reserved in [
        json!({"_sd": []}),
        json!({"a": {"...": "x"}}),
        json!({"a": [{"_sd_alg": 1}]}),
    ] {
        assert_eq!(go(reserved, &[], Value::Null), "reserved_claim_name");
    }
    // An SD-JWT VC keeps its validity and type claims visible.
    for sd in ["/exp", "/vct"] {
        assert_eq!(
            go(claims.clone(), &[sd], json!({"typ": "dc+sd-jwt"})),
            "claim_not_disclosable"
        );
    }
    assert!(
        issue(
            claims.clone(),
            &["/exp"],
            HashAlg::Sha256,
            Value::Null,
            &issuer,
            &mut RandomSalts::new()
        )
        .is_ok()
    );
    assert_eq!(
        go(claims.clone(), &[], json!({"crit": ["x"], "x": 1})),
        "crit_not_understood"
    );
    // A header naming another algorithm than the signer's.
    assert_eq!(go(claims.clone(), &[], json!({"alg": "SM2"})), "wrong_alg");
    // Bounds.
    let mut deep = json!(1);
    for _ in 0..MAX_DEPTH {
        deep = json!([deep]);
    }
    assert_eq!(go(json!({"a": deep}), &[], Value::Null), "too_deep");
    let many: serde_json::Map<String, Value> = (0..=MAX_DISCLOSURES)
        .map(|i| (format!("c{i}"), json!(i)))
        .collect();
    let pointers: Vec<String> = (0..=MAX_DISCLOSURES).map(|i| format!("/c{i}")).collect();
    let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
    assert_eq!(
        go(Value::Object(many.clone()), &pointers, Value::Null),
        "too_many_disclosures"
    );
    assert!(
        issue(
            Value::Object(many),
            &pointers[1..],
            HashAlg::Sha256,
            Value::Null,
            &issuer,
            &mut RandomSalts::new()
        )
        .is_ok()
    );
    assert_eq!(
        go(
            json!({"a": "x".repeat(MAX_PRESENTATION)}),
            &["/a"],
            Value::Null
        ),
        "too_large"
    );
}

// --- Refusals: the verifier side ------------------------------------------------

#[test]
fn a_changed_or_broken_disclosure_is_refused() {
    let issuer = Es256Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let sd_jwt = issue_licence(&issuer, &holder, HashAlg::Sha256);
    let key = key_is(issuer.public_key());
    let given = inspect(&sd_jwt)
        .unwrap()
        .disclosures
        .into_iter()
        .find(|d| d.pointer() == "/given_name")
        .unwrap();
    let swap = |replacement: &str| sd_jwt.replace(&given.encoded, replacement);
    // Its value changed: it matches no digest any more.
    let salt = B64.decode(&given.encoded).unwrap();
    let salt: Value = serde_json::from_slice(&salt).unwrap();
    let forged = disc(json!([salt[0], "given_name", "小红"]));
    assert_eq!(
        err_reason(verify(&swap(&forged), &key, &opts())),
        "unreferenced_disclosure"
    );
    // Not base64url, not JSON, not a disclosure's shape.
    for broken in [
        "!!!".to_string(),
        B64.encode(b"[\"salt\", \"given_name\""),
        disc(json!({"salt": "s"})),
        disc(json!(["s"])),
        disc(json!(["s", "a", 1, 2])),
        disc(json!([1, "given_name", "x"])),
        disc(json!(["s", 7, "x"])),
    ] {
        assert_eq!(
            err_reason(verify(&swap(&broken), &key, &opts())),
            "tampered_disclosure",
            "{broken}"
        );
    }
    // The same disclosure twice.
    let twice = format!("{sd_jwt}{}~", given.encoded);
    assert_eq!(
        err_reason(verify(&twice, &key, &opts())),
        "duplicate_disclosure"
    );
    // A disclosure of another credential of the same issuer.
    let other = issue_licence(&issuer, &holder, HashAlg::Sha256);
    let foreign = other.split('~').nth(1).unwrap();
    let mixed = format!("{sd_jwt}{foreign}~");
    assert_eq!(
        err_reason(verify(&mixed, &key, &opts())),
        "unreferenced_disclosure"
    );
}

#[test]
fn the_rfc_processing_rules_are_enforced() {
    let issuer = Es256Signer::generate().unwrap();
    let key = key_is(issuer.public_key());
    let check = |payload: Value, disclosures: &[String]| {
        err_reason(verify(&craft(payload, disclosures, &issuer), &key, &opts()))
    };
    let name = disc(json!(["salt1", "name", "Alice"]));
    let element = disc(json!(["salt2", "FR"]));
    // A digest used twice, in `_sd` or as an array element, or across.
    assert_eq!(
        check(
            json!({"_sd": [digest(&name), digest(&name)]}),
            std::slice::from_ref(&name)
        ),
        "duplicate_digest"
    );
    assert_eq!(
        check(
            json!({"_sd": [digest(&name)], "x": {"_sd": [digest(&name)]}}),
            std::slice::from_ref(&name)
        ),
        "duplicate_digest"
    );
    assert_eq!(
        check(
            json!({"a": [{"...": digest(&element)}, {"...": digest(&element)}]}),
            std::slice::from_ref(&element)
        ),
        "duplicate_digest"
    );
    // Decoys repeat no more than real digests may.
    assert_eq!(
        check(json!({"_sd": ["decoy", "decoy"]}), &[]),
        "duplicate_digest"
    );
    // A disclosed name that is already a plain claim.
    assert_eq!(
        check(
            json!({"name": "Bob", "_sd": [digest(&name)]}),
            std::slice::from_ref(&name)
        ),
        "claim_clash"
    );
    let again = disc(json!(["salt3", "name", "Carol"]));
    assert_eq!(
        check(
            json!({"_sd": [digest(&name), digest(&again)]}),
            &[name.clone(), again.clone()]
        ),
        "claim_clash"
    );
    // Reserved names.
    for reserved in ["_sd", "...", "_sd_alg"] {
        let d = disc(json!(["salt4", reserved, ["x"]]));
        assert_eq!(
            check(json!({"_sd": [digest(&d)]}), &[d]),
            "reserved_claim_name",
            "{reserved}"
        );
    }
    // An element's disclosure under `_sd`, a member's in an array.
    assert_eq!(
        check(
            json!({"_sd": [digest(&element)]}),
            std::slice::from_ref(&element)
        ),
        "tampered_disclosure"
    );
    assert_eq!(
        check(
            json!({"a": [{"...": digest(&name)}]}),
            std::slice::from_ref(&name)
        ),
        "tampered_disclosure"
    );
    // `_sd`, `...` and `_sd_alg` used other than as defined.
    for payload in [
        json!({"_sd": "x"}),
        json!({"_sd": [1]}),
        json!({"a": [{"...": digest(&element), "b": 1}]}),
        json!({"a": [{"...": 5}]}),
        json!({"a": {"...": "x"}}),
        json!({"a": {"_sd_alg": "sha-256"}}),
        json!({"_sd_alg": 256}),
    ] {
        assert_eq!(check(payload.clone(), &[]), "malformed", "{payload}");
    }
    // Digest algorithms: sha-256 (explicit or by default) and sm3 only.
    for alg in ["sha-512", "SHA-256", "sha256", "md5", ""] {
        assert_eq!(
            check(json!({"_sd_alg": alg}), &[]),
            "hash_alg_not_allowed",
            "{alg}"
        );
    }
    let ok = |payload: Value, disclosures: &[String]| {
        verify(&craft(payload, disclosures, &issuer), &key, &opts()).unwrap()
    };
    assert_eq!(
        ok(json!({"_sd": [digest(&name)]}), std::slice::from_ref(&name)).claims,
        json!({"name": "Alice"})
    );
    // Decoys and undisclosed elements are dropped; an empty `_sd` is fine.
    assert_eq!(
        ok(
            json!({"_sd": [], "a": [{"...": "decoy"}, {"...": digest(&element)}, 1]}),
            std::slice::from_ref(&element)
        )
        .claims,
        json!({"a": ["FR", 1]})
    );
    // The same disclosure under an sm3 `_sd_alg` has another digest.
    let sm3 = disclosure_digest(HashAlg::Sm3, &name);
    assert_eq!(
        ok(
            json!({"_sd_alg": "sm3", "_sd": [sm3]}),
            std::slice::from_ref(&name)
        )
        .claims,
        json!({"name": "Alice"})
    );
    assert_eq!(
        check(
            json!({"_sd_alg": "sm3", "_sd": [digest(&name)]}),
            std::slice::from_ref(&name)
        ),
        "unreferenced_disclosure"
    );
    // Nesting deeper than the bound, in the payload or through disclosures.
    let mut deep = json!(1);
    for _ in 0..MAX_DEPTH {
        deep = json!([deep]);
    }
    assert_eq!(check(json!({"a": deep.clone()}), &[]), "too_deep");
    let inner = disc(json!(["salt5", "deep", deep]));
    assert_eq!(
        check(json!({"_sd": [digest(&inner)]}), &[inner]),
        "too_deep"
    );
}

#[test]
fn signatures_keys_and_algorithms() {
    let es = Es256Signer::generate().unwrap();
    let sm = Sm2Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let es_token = issue_licence(&es, &holder, HashAlg::Sha256);
    let sm_token = issue_licence(&sm, &holder, HashAlg::Sm3);
    // An algorithm swap: the key of one algorithm for a token of another.
    assert_eq!(
        err_reason(verify(&es_token, &key_is(sm.public_key()), &opts())),
        "wrong_alg"
    );
    assert_eq!(
        err_reason(verify(&sm_token, &key_is(es.public_key()), &opts())),
        "wrong_alg"
    );
    // A foreign key of the right algorithm.
    let other = Es256Signer::generate().unwrap();
    assert_eq!(
        err_reason(verify(&es_token, &key_is(other.public_key()), &opts())),
        "bad_signature"
    );
    // An unknown issuer.
    assert_eq!(
        err_reason(verify(&es_token, &|_: &Value, _: &Value| None, &opts())),
        "unknown_issuer_key"
    );
    // The key is chosen from the header and payload it is given.
    let by_kid = |header: &Value, payload: &Value| {
        (header["kid"] == "issuer-1" && payload["iss"] == "https://zwfw.example.gov.cn")
            .then(|| es.public_key())
    };
    assert!(verify(&es_token, &by_kid, &opts()).is_ok());
    // A changed payload.
    let mut parts: Vec<String> = es_token.split('.').map(str::to_owned).collect();
    let mut payload: Value = serde_json::from_slice(&B64.decode(&parts[1]).unwrap()).unwrap();
    payload["exp"] = json!(NOW + 10 * 365 * 86_400);
    parts[1] = B64.encode(payload.to_string());
    assert_eq!(
        err_reason(verify(&parts.join("."), &key_is(es.public_key()), &opts())),
        "bad_signature"
    );
    // `none`, HMAC and unknown algorithms, whatever key the caller has.
    for alg in ["none", "HS256", "RS256", "ES512"] {
        let header = B64.encode(json!({"alg": alg, "typ": "dc+sd-jwt"}).to_string());
        let forged = format!("{header}.{}.~", B64.encode(b"{}"));
        assert_eq!(
            err_reason(verify(&forged, &key_is(es.public_key()), &opts())),
            "alg_not_allowed",
            "{alg}"
        );
    }
    // `typ` checked when expected.
    let rfc = verify(
        RFC_5_1,
        &key_is(rfc_issuer_key()),
        &VerifyOptions {
            expect_typ: Some("dc+sd-jwt"),
            ..opts()
        },
    );
    assert_eq!(err_reason(rfc), "wrong_typ");
    let rfc = verify(
        RFC_5_1,
        &key_is(rfc_issuer_key()),
        &VerifyOptions {
            expect_typ: Some("application/example+sd-jwt"),
            ..opts()
        },
    );
    assert!(rfc.is_ok());
}

#[test]
fn validity_times_with_skew() {
    let issuer = Es256Signer::generate().unwrap();
    let key = key_is(issuer.public_key());
    let at = |claims: Value, now: i64| {
        verify(
            &craft(claims, &[], &issuer),
            &key,
            &VerifyOptions { now, ..opts() },
        )
        .map(|_| ())
        .map_err(|e| e.reason())
    };
    let exp = json!({"exp": NOW});
    assert_eq!(at(exp.clone(), NOW + 61), Err("expired"));
    assert_eq!(at(exp.clone(), NOW + 60), Err("expired"));
    assert_eq!(at(exp.clone(), NOW + 59), Ok(()));
    let nbf = json!({"nbf": NOW});
    assert_eq!(at(nbf.clone(), NOW - 61), Err("not_yet_valid"));
    assert_eq!(at(nbf.clone(), NOW - 60), Ok(()));
    assert_eq!(at(json!({"iat": NOW + 120}), NOW), Err("not_yet_valid"));
    assert_eq!(at(json!({"exp": NOW as f64 + 0.5}), NOW), Ok(()));
    assert_eq!(at(json!({"exp": "tomorrow"}), NOW), Err("malformed"));
    assert_eq!(at(json!({"exp": 1e300}), NOW), Ok(()));
    // A selectively disclosed `exp` counts once disclosed (plain JWT rules).
    let hidden_exp = disc(json!(["s", "exp", NOW - 1000]));
    let token = craft(
        json!({"_sd": [digest(&hidden_exp)]}),
        &[hidden_exp],
        &issuer,
    );
    assert_eq!(err_reason(verify(&token, &key, &opts())), "expired");
    // An SD-JWT VC may not hide it at all, and must have a `vct`.
    let vc = |payload: Value, disclosures: &[String]| {
        let jwt = jws::sign(
            &json!({"typ": "dc+sd-jwt"}),
            payload.to_string().as_bytes(),
            &issuer,
        )
        .unwrap();
        let mut out = format!("{jwt}~");
        for d in disclosures {
            out.push_str(d);
            out.push('~');
        }
        verify(&out, &key, &opts())
            .map(|_| ())
            .map_err(|e| e.reason())
    };
    let exp_d = disc(json!(["s", "exp", NOW + 1000]));
    assert_eq!(
        vc(json!({"vct": "t", "_sd": [digest(&exp_d)]}), &[exp_d]),
        Err("claim_not_disclosable")
    );
    let cnf_d = disc(json!(["s", "jwk", {"kty": "EC"}]));
    assert_eq!(
        vc(
            json!({"vct": "t", "cnf": {"_sd": [digest(&cnf_d)]}}),
            &[cnf_d]
        ),
        Err("claim_not_disclosable")
    );
    assert_eq!(vc(json!({"iss": "x"}), &[]), Err("missing_claim"));
    assert_eq!(vc(json!({"vct": "t"}), &[]), Ok(()));
    assert_eq!(
        vc(
            json!({"vct": "t", "status": {"status_list": {"idx": -1, "uri": "u"}}}),
            &[]
        ),
        Err("malformed")
    );
}

#[test]
fn key_binding_is_checked_when_required() {
    let issuer = Es256Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let sd_jwt = issue_licence(&issuer, &holder, HashAlg::Sha256);
    let key = key_is(issuer.public_key());
    let kb = |aud, nonce, iat, signer: &dyn Signer| {
        present(
            &sd_jwt,
            &by_pointers(&["/given_name", "/nationalities/1"]).unwrap(),
            Some(KeyBindingInput {
                aud,
                nonce,
                iat,
                signer,
            }),
        )
    };
    let aud = "https://verifier.example.cn";
    let nonce = "n-0S6_WzA2Mj";
    let good = kb(aud, nonce, NOW, &holder).unwrap();
    assert!(verify(&good, &key, &kb_opts()).unwrap().key_bound);
    let fault = |presentation: &str| match verify(presentation, &key, &kb_opts()) {
        Err(SdJwtError::KeyBindingInvalid(fault)) => fault.reason(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        fault(&kb(aud, "another nonce", NOW, &holder).unwrap()),
        "nonce"
    );
    assert_eq!(
        fault(&kb("https://evil.example", nonce, NOW, &holder).unwrap()),
        "aud"
    );
    assert_eq!(fault(&kb(aud, nonce, NOW - 361, &holder).unwrap()), "iat");
    assert_eq!(fault(&kb(aud, nonce, NOW + 61, &holder).unwrap()), "iat");
    assert!(
        verify(
            &kb(aud, nonce, NOW - 359, &holder).unwrap(),
            &key,
            &kb_opts()
        )
        .is_ok()
    );
    // A disclosure dropped or added after the holder signed.
    let parts: Vec<&str> = good.split('~').collect();
    let dropped = format!("{}~{}~{}", parts[0], parts[1], parts[3]);
    assert_eq!(fault(&dropped), "sd_hash");
    let extra = inspect(&sd_jwt)
        .unwrap()
        .disclosures
        .into_iter()
        .find(|d| d.pointer() == "/birthdate")
        .unwrap();
    let added = format!(
        "{}~{}~{}~{}~{}",
        parts[0], parts[1], parts[2], extra.encoded, parts[3]
    );
    assert_eq!(fault(&added), "sd_hash");
    // Signed by another key than the holder's: `present` refuses to, a
    // forger's KB-JWT fails the signature.
    let thief = Es256Signer::generate().unwrap();
    assert_eq!(
        kb(aud, nonce, NOW, &thief).unwrap_err(),
        SdJwtError::KeyBindingInvalid(KbFault::HolderKey)
    );
    let sd_part = &good[..=good.rfind('~').unwrap()];
    let kb_claims = json!({"iat": NOW, "aud": aud, "nonce": nonce,
        "sd_hash": HashAlg::Sha256.b64_digest(sd_part.as_bytes())});
    let forged = jws::sign(
        &json!({"typ": "kb+jwt"}),
        kb_claims.to_string().as_bytes(),
        &thief,
    )
    .unwrap();
    assert_eq!(fault(&format!("{sd_part}{forged}")), "signature");
    let sm_thief = Sm2Signer::generate().unwrap();
    let forged = jws::sign(
        &json!({"typ": "kb+jwt"}),
        kb_claims.to_string().as_bytes(),
        &sm_thief,
    )
    .unwrap();
    assert_eq!(fault(&format!("{sd_part}{forged}")), "signature");
    // The holder's key, another typ.
    let typed = jws::sign(
        &json!({"typ": "JWT"}),
        kb_claims.to_string().as_bytes(),
        &holder,
    )
    .unwrap();
    assert_eq!(fault(&format!("{sd_part}{typed}")), "typ");
    // Members missing or of the wrong type.
    let bare = jws::sign(&json!({"typ": "kb+jwt"}), br#"{"aud":"x"}"#, &holder).unwrap();
    assert_eq!(fault(&format!("{sd_part}{bare}")), "malformed");
    let mut listed = kb_claims.clone();
    listed["aud"] = json!([aud]);
    let listed = jws::sign(
        &json!({"typ": "kb+jwt"}),
        listed.to_string().as_bytes(),
        &holder,
    )
    .unwrap();
    assert_eq!(fault(&format!("{sd_part}{listed}")), "aud");
    let none = format!(
        "{}.{}.",
        B64.encode(br#"{"alg":"none","typ":"kb+jwt"}"#),
        B64.encode(kb_claims.to_string())
    );
    assert_eq!(fault(&format!("{sd_part}{none}")), "alg");
    assert_eq!(fault(&format!("{sd_part}not.a-jwt")), "malformed");
    // Required and absent.
    assert_eq!(
        err_reason(verify(sd_part, &key, &kb_opts())),
        "key_binding_required"
    );
    assert_eq!(
        err_reason(verify(&sd_jwt, &key, &kb_opts())),
        "key_binding_required"
    );
    // No holder key in the credential.
    let unbound = issue(
        json!({"a": 1}),
        &[],
        HashAlg::Sha256,
        Value::Null,
        &issuer,
        &mut RandomSalts::new(),
    )
    .unwrap();
    assert_eq!(
        present(
            &unbound,
            &|_| true,
            Some(KeyBindingInput {
                aud,
                nonce,
                iat: NOW,
                signer: &holder
            })
        )
        .unwrap_err(),
        SdJwtError::KeyBindingInvalid(KbFault::NoHolderKey)
    );
    let stray = format!("{unbound}{}", good.rsplit('~').next().unwrap());
    assert_eq!(fault(&stray), "no_holder_key");
    // An SD-JWT+KB is not presented again.
    assert_eq!(
        present(&good, &|_| true, None).unwrap_err().reason(),
        "unexpected_key_binding"
    );
    // An SM3 SD-JWT binds with an SM3 `sd_hash`.
    let sm3 = issue_licence(&issuer, &holder, HashAlg::Sm3);
    let bound = present(
        &sm3,
        &|_| true,
        Some(KeyBindingInput {
            aud,
            nonce,
            iat: NOW,
            signer: &holder,
        }),
    )
    .unwrap();
    let kb_jwt = jws::Compact::parse(bound.rsplit('~').next().unwrap()).unwrap();
    let sd_part = &bound[..=bound.rfind('~').unwrap()];
    assert_eq!(
        kb_jwt.claims().unwrap()["sd_hash"],
        HashAlg::Sm3.b64_digest(sd_part.as_bytes())
    );
    assert_eq!(kb_jwt.header, json!({"alg": "ES256", "typ": "kb+jwt"}));
    assert!(verify(&bound, &key, &kb_opts()).unwrap().key_bound);
}

#[test]
fn malformed_and_oversized_input_is_refused() {
    let issuer = Es256Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let sd_jwt = issue_licence(&issuer, &holder, HashAlg::Sha256);
    let key = key_is(issuer.public_key());
    let jwt = sd_jwt.split('~').next().unwrap();
    for bad in [
        String::new(),
        "~".into(),
        "~~".into(),
        jwt.to_string(),
        format!("{jwt}~~"),
        format!("~{jwt}~"),
        format!("{jwt}.x~"),
        format!("{}~", B64.encode(b"{}")),
        sd_jwt.replacen('~', "~~", 1),
    ] {
        assert_eq!(
            err_reason(verify(&bad, &key, &opts())),
            "malformed",
            "{bad}"
        );
    }
    let huge = format!("{sd_jwt}{}~", "A".repeat(MAX_PRESENTATION));
    assert_eq!(err_reason(verify(&huge, &key, &opts())), "too_large");
    let many = format!("{jwt}~{}", "AAAA~".repeat(MAX_DISCLOSURES + 1));
    assert_eq!(
        err_reason(verify(&many, &key, &opts())),
        "too_many_disclosures"
    );
    assert_eq!(inspect(&many).unwrap_err().reason(), "too_many_disclosures");
    // Without the final `~`, the last disclosure would pass for a KB-JWT.
    let parts: Vec<&str> = sd_jwt.split('~').collect();
    let unterminated = parts[..parts.len() - 1].join("~");
    assert_eq!(
        err_reason(verify(&unterminated, &key, &opts())),
        "malformed"
    );
    let not_kb = format!(
        "{sd_jwt}{}",
        jws::sign(&json!({"typ": "JWT"}), b"{}", &holder).unwrap()
    );
    assert_eq!(err_reason(verify(&not_kb, &key, &opts())), "malformed");
    // A payload that is not an object.
    let array = jws::sign(&json!({}), b"[1]", &issuer).unwrap();
    assert_eq!(
        err_reason(verify(&format!("{array}~"), &key, &opts())),
        "malformed"
    );
}

/// Cheap fuzzing: every truncation and many byte changes of a valid
/// presentation are refused or accepted, never a panic.
#[test]
fn mangled_presentations_never_panic() {
    // ES256 (ring, optimised even in tests): SM2 unoptimised would make
    // the thousands of verifications below take seconds.
    let issuer = Es256Signer::generate().unwrap();
    let holder = Es256Signer::generate().unwrap();
    let sd_jwt = issue_licence(&issuer, &holder, HashAlg::Sm3);
    let presentation = present(
        &sd_jwt,
        &by_pointers(&["/address/locality", "/degrees/1/title"]).unwrap(),
        Some(KeyBindingInput {
            aud: "https://verifier.example.cn",
            nonce: "n-0S6_WzA2Mj",
            iat: NOW,
            signer: &holder,
        }),
    )
    .unwrap();
    let key = key_is(issuer.public_key());
    for cut in 0..presentation.len() {
        let _ = verify(&presentation[..cut], &key, &kb_opts());
        let _ = inspect(&presentation[..cut]);
    }
    let alphabet = b"~._-AZaz09=!{\"[";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes = presentation.as_bytes();
    for _ in 0..1000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut mangled = bytes.to_vec();
        let at = (state % bytes.len() as u64) as usize;
        mangled[at] = alphabet[(state >> 32) as usize % alphabet.len()];
        let mangled = String::from_utf8(mangled).unwrap();
        if mangled != presentation {
            let result = verify(&mangled, &key, &kb_opts());
            // A change the signatures cover never verifies; one inside a
            // base64 padding bit might.
            if let Ok(v) = result {
                assert!(v.key_bound);
            }
        }
    }
    // A disclosure of JSON nested past serde_json's recursion limit.
    let raw = B64.encode("[".repeat(10_000));
    assert_eq!(
        err_reason(verify(&format!("{sd_jwt}{raw}~"), &key, &opts())),
        "tampered_disclosure"
    );
}

#[test]
fn every_error_has_a_distinct_reason() {
    let all = [
        SdJwtError::Malformed,
        SdJwtError::TooLarge,
        SdJwtError::TooManyDisclosures,
        SdJwtError::TooDeep,
        SdJwtError::AlgNotAllowed,
        SdJwtError::CritNotUnderstood,
        SdJwtError::HashAlgNotAllowed,
        SdJwtError::UnknownIssuerKey,
        SdJwtError::WrongAlg,
        SdJwtError::BadSignature,
        SdJwtError::WrongTyp,
        SdJwtError::TamperedDisclosure,
        SdJwtError::UnreferencedDisclosure,
        SdJwtError::DuplicateDisclosure,
        SdJwtError::DuplicateDigest,
        SdJwtError::ClaimClash,
        SdJwtError::ReservedClaimName,
        SdJwtError::ClaimNotDisclosable,
        SdJwtError::MissingClaim,
        SdJwtError::Expired,
        SdJwtError::NotYetValid,
        SdJwtError::KeyBindingRequired,
        SdJwtError::KeyBindingInvalid(KbFault::SdHash),
        SdJwtError::UnexpectedKeyBinding,
        SdJwtError::BadPointer,
        SdJwtError::SignFailed,
    ];
    let reasons: std::collections::HashSet<&str> = all.iter().map(SdJwtError::reason).collect();
    assert_eq!(reasons.len(), all.len());
    assert_eq!(
        SdJwtError::KeyBindingInvalid(KbFault::Nonce).to_string(),
        "the key-binding JWT is invalid (nonce)"
    );
}
