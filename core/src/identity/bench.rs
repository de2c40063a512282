//! Measurements for `scripts/bench` that need the crate's internals: ID
//! token validation beside ring's bare ES256 verify, in the same run.

use std::time::Instant;

use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, UnparsedPublicKey};
use serde_json::json;

use super::idtoken::{self, Expected};
use super::jose::{Jwk, JwkSet, Jws, p256_public_jwk, sign_es256};

/// Microseconds per call of (full ES256 ID token validation, bare ring ES256
/// verify of the same token), over `iterations` calls each. The two are
/// measured in alternating rounds and each reported as its median round, so
/// a burst of load on a shared machine hits both or is discarded.
#[doc(hidden)]
pub fn id_token_validation_us(iterations: u32) -> (f64, f64) {
    let rng = SystemRandom::new();
    let pkcs8 =
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).expect("keygen");
    let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
        .expect("key");
    let mut jwk = p256_public_jwk(&key);
    jwk["kid"] = "k1".into();
    let jwk: Jwk = serde_json::from_value(jwk).expect("jwk");
    let keys = JwkSet { keys: vec![jwk] };
    let now = 1_800_000_000;
    let token = sign_es256(
        &key,
        &json!({"alg": "ES256", "kid": "k1", "typ": "JWT"}),
        &json!({"iss": "https://id.example.gov.cn", "sub": "u", "aud": "app", "exp": now + 600,
                "iat": now, "nonce": "n", "acr": "urn:palmgov:loa:3", "name": "测试"}),
    )
    .expect("sign");
    let expected = Expected {
        issuer: "https://id.example.gov.cn",
        client_id: "app",
        nonce: Some("n"),
        now,
        skew: 120,
    };
    let jws = Jws::parse(&token).expect("parse");
    let input = &token[..token.rfind('.').expect("dot")];
    let signature = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        &token[token.rfind('.').expect("dot") + 1..],
    )
    .expect("b64");
    use ring::signature::KeyPair;
    let public = UnparsedPublicKey::new(
        &ring::signature::ECDSA_P256_SHA256_FIXED,
        key.public_key().as_ref().to_vec(),
    );
    drop(jws);

    const ROUNDS: u32 = 21;
    let per_round = (iterations / ROUNDS).max(1);
    let time = |work: &dyn Fn()| {
        let started = Instant::now();
        for _ in 0..per_round {
            work();
        }
        started.elapsed().as_secs_f64() * 1e6 / f64::from(per_round)
    };
    let (mut fulls, mut bares) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        fulls.push(time(&|| {
            idtoken::validate(&token, &keys, &expected).expect("valid");
        }));
        bares.push(time(&|| {
            public.verify(input.as_bytes(), &signature).expect("verify");
        }));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut fulls), median(&mut bares))
}
