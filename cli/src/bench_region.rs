//! `palmgov bench region`: the figures of signed region profiles.
//!
//! - Verifying a 16 KiB profile signed by 2 of its 3 root keys (the
//!   envelope's parse and canonical check, both signatures, the rollback
//!   check against the version and digest accepted before, the body's
//!   checks), beside ring's bare verification of the same two signatures
//!   over the same bytes, in interleaved rounds.
//! - Switching the region of an open core (fetching and verifying a newer
//!   profile that moves the backend, its pins and the provider, and
//!   applying it), beside opening the core afresh on the same data.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use palmgov::region::profile::{PROFILE_KIND, ProfileVerifier};
use palmgov_credentials::envelope;
use palmgov_credentials::keys::{Es256Signer, PublicKey, Signer};
use serde_json::{Value, json};

use crate::CliResult;
use crate::bench_wallet::interleaved_us;

/// The envelope size the target names.
const PROFILE_BYTES: usize = 16 * 1024;

/// A realistic profile body for region 330106 whose signed envelope is
/// `PROFILE_BYTES` long: the bulk is what makes real profiles large, the
/// government CA certificates a region trusts beside the web PKI.
pub(crate) fn body(root_keys: &[Value], base_url: &str, issuer: &str, pem_len: usize) -> Value {
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ".repeat(pem_len / 64 + 1)
    );
    json!({
        "region": {"code": "330106", "names": {"zh-Hans": "杭州市西湖区", "en": "Xihu District, Hangzhou"}},
        "api": {"base_url": base_url, "extra_roots_pem": [pem],
                "pins": ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],
                "backup_pins": ["x4QzPSC810K5/cMjb05Qm4k3Bw5zBn4lTdO/nEW/Td4="]},
        "identity": {"issuer": issuer, "client_id": "palmgov-app",
                     "redirect_uri": "cn.gov.zj.hz.xihu.palmgov:/oauth2redirect",
                     "scopes": ["openid", "profile", "offline_access"],
                     "acr_levels": ["urn:palmgov:loa:2", "urn:palmgov:loa:3",
                                    "urn:palmgov:loa:4", "urn:palmgov:loa:5"]},
        "services": ["drafts", "wallet", "roster", "catalog", "reminders"],
        "languages": {"offered": ["zh-Hans"], "default": "zh-Hans", "fallback": ["zh-Hans", "en"]},
        "branding": {"colours": {"primary": "#1B5FAA", "on_primary": "#FFFFFF"}, "hotline": "12345",
                     "names": {"zh-Hans": "西湖掌上办", "en": "Xihu Services"}},
        "catalog": {"url": "v1/catalog"},
        "reminders": {},
        "licence_trust": {"roots": root_keys, "threshold": 1},
        "app": {"ids": ["cn.gov.zj.hz.xihu.palmgov"], "min_version": "1.0.0"}
    })
}

/// Signs a body padded so the envelope is `PROFILE_BYTES` long.
fn sixteen_kib(keys: &[&dyn Signer], licence_roots: &[Value]) -> String {
    let sign = |pem_len: usize| {
        let b = body(
            licence_roots,
            "https://api.xihu.example.gov.cn/",
            "https://id.xihu.example.gov.cn",
            pem_len,
        );
        envelope::sign(PROFILE_KIND, 2, 4_000_000_000, &b, keys).expect("signs")
    };
    let base = sign(0).len();
    // The PEM grows in 64-character lines; base64 makes 4 of every 3 bytes.
    let mut pem = (PROFILE_BYTES.saturating_sub(base)) * 3 / 4;
    let mut document = sign(pem);
    while document.len() > PROFILE_BYTES && pem > 64 {
        pem -= 64;
        document = sign(pem);
    }
    document
}

pub(crate) fn region() -> CliResult {
    let keys: Vec<Es256Signer> = (0..3)
        .map(|_| Es256Signer::generate().expect("keygen"))
        .collect();
    let jwks: Vec<String> = keys
        .iter()
        .map(|k| k.public_key().to_jwk().to_string())
        .collect();
    let licence_roots = vec![keys[2].public_key().to_jwk()];
    let document = sixteen_kib(&[&keys[0], &keys[1]], &licence_roots);
    let verifier = ProfileVerifier::new(&jwks, 2, &[]).expect("root");
    // The version and digest accepted before: version 1.
    let last = Some((1u64, [0u8; 32]));
    let now = 1_800_000_000;
    assert!(verifier.verify(&document, last, now).is_ok());

    // The bare baseline: the two signatures over the same signing input.
    let wire: Value = serde_json::from_str(&document).expect("json");
    let payload = B64
        .decode(wire["signed"].as_str().unwrap_or_default())
        .expect("payload");
    let message = envelope::signing_input(PROFILE_KIND, &payload);
    let bare: Vec<(ring::signature::UnparsedPublicKey<Vec<u8>>, Vec<u8>)> = wire["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(|s| {
            let k = keys
                .iter()
                .find(|k| k.public_key().thumbprint() == s["kid"].as_str().unwrap_or_default())
                .expect("a root key signed");
            let PublicKey::P256(point) = k.public_key() else {
                unreachable!("ES256 keys are P-256")
            };
            let sig = B64
                .decode(s["sig"].as_str().unwrap_or_default())
                .expect("sig");
            (
                ring::signature::UnparsedPublicKey::new(
                    &ring::signature::ECDSA_P256_SHA256_FIXED,
                    point,
                ),
                sig,
            )
        })
        .collect();
    for (key, sig) in &bare {
        key.verify(&message, sig).expect("verifies");
    }
    let [verify_us, ring_us] = interleaved_us(
        41,
        20,
        [
            &mut || {
                verifier.verify(&document, last, now).expect("verifies");
            },
            &mut || {
                for (key, sig) in &bare {
                    key.verify(&message, sig).expect("verifies");
                }
            },
        ],
    );
    say!("profile_bytes\t{}", document.len());
    say!("profile_verify_us\t{verify_us:.1}");
    say!("ring_two_verifies_us\t{ring_us:.1}");
    Ok(())
}
