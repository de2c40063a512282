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

/// A realistic profile body for region 330106 whose bulk is what makes
/// real profiles large: the CA certificates a region trusts beside the web
/// PKI (`roots`, PEM, each a real certificate).
pub(crate) fn body(root_keys: &[Value], base_url: &str, issuer: &str, roots: &[String]) -> Value {
    json!({
        "region": {"code": "330106", "names": {"zh-Hans": "杭州市西湖区", "en": "Xihu District, Hangzhou"}},
        "api": {"base_url": base_url, "extra_roots_pem": roots,
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
        "catalog": {"url": "v1/catalog", "manifest_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
        "reminders": {},
        "licence_trust": {"roots": root_keys, "threshold": 1},
        "app": {"ids": ["cn.gov.zj.hz.xihu.palmgov"], "min_version": "1.0.0"}
    })
}

/// A self-signed CA certificate (P-256), PEM, as a region's own CA might
/// issue: a distinguished name in the region's words.
fn ca_certificate(n: usize) -> String {
    let key = rcgen::KeyPair::generate().expect("a key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        format!("浙江省政务服务根证书 {n}"),
    );
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "浙江省大数据发展管理局");
    params.self_signed(&key).expect("a certificate").pem()
}

/// Signs a body with as many CA certificates as make the envelope at
/// most `PROFILE_BYTES` long.
fn sixteen_kib(keys: &[&dyn Signer], licence_roots: &[Value]) -> String {
    let sign = |roots: &[String]| {
        let b = body(
            licence_roots,
            "https://api.xihu.example.gov.cn/",
            "https://id.xihu.example.gov.cn",
            roots,
        );
        envelope::sign(PROFILE_KIND, 2, 4_000_000_000, &b, keys).expect("signs")
    };
    let mut roots: Vec<String> = Vec::new();
    let mut document = sign(&roots);
    loop {
        roots.push(ca_certificate(roots.len() + 1));
        let next = sign(&roots);
        if next.len() > PROFILE_BYTES {
            return document;
        }
        document = next;
    }
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

/// `palmgov bench region-switch`: switching an open core between two
/// backends and providers by signed profiles (fetch, verify, apply), beside
/// opening the core afresh on the same data, alternating, `rounds` each.
pub(crate) fn switch(data_dir: &std::path::Path, rounds: usize) -> CliResult {
    use std::sync::Arc;
    use std::time::Instant;

    use palmgov::software::{SoftwareAppLock, SoftwareKeystore};
    use palmgov::{AppLockOutcome, LogLevel, PalmGov, PalmGovConfig, RegionTrust};
    use palmgov_server::RunningServer;
    use palmgov_server::dev_provider::{CLIENT_ID, REDIRECT_URI};
    use palmgov_server::region::{TEST_APP_ID, test_profile, test_profile_root_keys};

    use crate::{CliError, block_on};

    let fail = |e: &dyn std::fmt::Display| CliError::cli("cli.bench", e.to_string());
    std::fs::create_dir_all(data_dir).map_err(|e| fail(&e))?;
    let rt = tokio::runtime::Runtime::new().map_err(|e| fail(&e))?;
    let backends: Vec<RunningServer> = rt.block_on(async {
        let mut out = Vec::new();
        for _ in 0..2 {
            let server = palmgov_server::start(
                "127.0.0.1:0".parse().expect("an address"),
                palmgov_server::ServerOptions::default(),
            )
            .await
            .map_err(|e| fail(&e))?;
            out.push(server);
        }
        Ok::<_, CliError>(out)
    })?;
    let base = |i: usize| format!("{}/", backends[i].base_url().trim_end_matches('/'));
    // Two regions' worth of settings: each backend with its own provider
    // (never contacted: a switch reads no discovery document).
    let profile = |i: usize, version: u64| {
        let issuer = format!("http://127.0.0.1:{}/idp-{i}", 1 + i);
        test_profile(
            "330106",
            &base(i),
            &issuer,
            CLIENT_ID,
            REDIRECT_URI,
            version,
            vec![],
        )
        .0
    };
    let open = || {
        PalmGov::open(
            PalmGovConfig {
                data_dir: data_dir.to_string_lossy().into_owned(),
                server: palmgov::default_server_config("http://127.0.0.1:9/".into()),
                log_level: LogLevel::Error,
                log_dependencies: false,
                lock_timeout_secs: 300,
                identity: None,
                wallet: None,
                region: Some(RegionTrust {
                    root_keys: test_profile_root_keys(),
                    threshold: 2,
                    bundled_profile: profile(0, 1),
                    region_code: "330106".into(),
                    app_id: TEST_APP_ID.into(),
                    app_version: "1.0.0".into(),
                }),
            },
            Arc::new(SoftwareKeystore::from_secret(&[9; 32]).expect("a key")),
            Arc::new(SoftwareAppLock::new(AppLockOutcome::Unlocked)),
            None,
        )
    };
    let mut gov = open()?;
    let mut in_force = 0;
    let (mut switches, mut opens) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // The next version, moving to the other backend and provider,
        // served by the backend in force.
        let next = 1 - in_force;
        backends[in_force]
            .region()
            .serve_profile(profile(next, round as u64 + 2));
        let started = Instant::now();
        let refresh = block_on(gov.region().refresh_profile("zh-Hans".into(), None))?;
        switches.push(started.elapsed().as_secs_f64() * 1e3);
        assert!(refresh.switched, "every round moves the backend");
        in_force = next;
        gov.shutdown();
        let started = Instant::now();
        gov = open()?;
        opens.push(started.elapsed().as_secs_f64() * 1e3);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    say!("region_switch_ms\t{:.2}", median(switches));
    say!("core_open_ms\t{:.2}", median(opens));
    Ok(())
}
