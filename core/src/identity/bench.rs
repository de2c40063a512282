//! Measurements for `scripts/bench` that need the crate's internals: ID
//! token validation beside ring's bare ES256 verify, in the same run.

use std::time::Instant;

use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, UnparsedPublicKey};
use serde_json::json;

use super::idtoken::{self, Expected};
use super::jose::{Jwk, JwkSet, Jws, p256_public_jwk, sign_es256};

/// Mean microseconds per call of (full ES256 ID token validation, bare ring
/// ES256 verify of the same token), over `iterations` calls each.
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
    let n = iterations.max(1);
    let started = Instant::now();
    for _ in 0..n {
        idtoken::validate(&token, &keys, &expected).expect("valid");
    }
    let full = started.elapsed().as_secs_f64() * 1e6 / f64::from(n);

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
    let started = Instant::now();
    for _ in 0..n {
        public.verify(input.as_bytes(), &signature).expect("verify");
    }
    let bare = started.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    (full, bare)
}
