//! `palmgov bench wallet`: the e-licence wallet's figures for
//! scripts/bench, each beside a baseline measured in the same run.
//!
//! - Offline verification of one licence (issuer signature, every
//!   disclosure's digest, the status looked up in a list already decoded),
//!   SM2/SM3 and ES256/SHA-256, beside the bare verify of the same
//!   issuer-signed bytes (ring's for ES256, the same SM2 code alone for
//!   SM2; SM2's target baseline, `openssl speed sm2`, is taken by
//!   scripts/bench itself). The four are timed in interleaved rounds
//!   ([`interleaved_us`]).
//! - Decoding and checking a status list of 1,000,000 entries, beside zlib
//!   inflating the same bytes alone (interleaved too).
//! - A wallet of 50 licences left in `--keep` for `bench wallet-list`, the
//!   cold-process listing, whose baseline is `bench sqlite-rows`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use palmgov::software::dev_browser;
use palmgov::{LogLevel, LoginOptions, default_identity_config};
use palmgov_credentials::keys::{Alg, Es256Signer, PublicKey, Signer, Sm2Signer};
use palmgov_credentials::sdjwt::{self, HashAlg};
use palmgov_credentials::status_list::StatusList;
use palmgov_server::dev_provider::{self, DevProvider};
use serde_json::json;

use crate::{CliError, CliResult, block_on, open_core_with};

/// Medians, per call in µs, of `rounds` timings of `batch` calls of each
/// of `work`, interleaved: every round times one batch of each in turn,
/// the order reversed every other round, so that a burst of load on the
/// shared machine lands on every side alike rather than on whichever ran
/// while it lasted.
pub(crate) fn interleaved_us<const N: usize>(
    rounds: usize,
    batch: usize,
    work: [&mut dyn FnMut(); N],
) -> [f64; N] {
    let mut times: [Vec<f64>; N] = std::array::from_fn(|_| Vec::with_capacity(rounds));
    for round in 0..rounds {
        for k in 0..N {
            let i = if round % 2 == 0 { k } else { N - 1 - k };
            let started = Instant::now();
            for _ in 0..batch {
                (work[i])();
            }
            times[i].push(started.elapsed().as_secs_f64() * 1e6 / batch as f64);
        }
    }
    times.map(|mut t| {
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    })
}

/// The JWS signing input and raw signature of an SD-JWT's issuer-signed
/// JWT: the bytes a bare verify checks.
fn signed_bytes(credential: &str) -> (&str, Vec<u8>) {
    let jwt = credential.split('~').next().unwrap_or_default();
    let (input, sig) = jwt.rsplit_once('.').unwrap_or_default();
    (input, B64.decode(sig).unwrap_or_default())
}

/// An ID card as the reference backend issues it: the identifier, type and
/// validity visible, the registry's 8 claims disclosable, a status entry.
fn licence(signer: &dyn Signer, hash: HashAlg, idx: usize) -> String {
    let holder = Es256Signer::generate().expect("keygen").public_key();
    let payload = json!({
        "iss": "urn:palmgov:issuer:330000:public-security", "iat": 1_700_000_000,
        "nbf": 1_699_999_940, "exp": 4_000_000_000i64, "vct": "urn:palmgov:licence:id_card",
        "licence_type": "11100000000013338W001", "valid_from": "2020-05-01",
        "valid_until": "2040-05-01", "cnf": {"jwk": holder.to_jwk()},
        "status": {"status_list": {"idx": idx, "uri": "https://api.example.gov.cn/v1/wallet/status-lists/1"}},
        "licence_id": "1.2.156.3005.2.11100000000013338W001.113300000024820075.ID000000000001.001.X",
        "name": "陈丽华", "id_number": "330106198703150221", "id_number_last4": "0221",
        "birth_date": "1987-03-15", "sex": "女", "address": "浙江省杭州市西湖区文三路90号",
        "age_over_18": true, "age_over_60": false,
    });
    let claims = [
        "/name",
        "/id_number",
        "/id_number_last4",
        "/birth_date",
        "/sex",
        "/address",
        "/age_over_18",
        "/age_over_60",
    ];
    sdjwt::issue(
        payload,
        &claims,
        hash,
        json!({"typ": "dc+sd-jwt"}),
        signer,
        &mut sdjwt::RandomSalts::new(),
    )
    .expect("issue")
}

/// A 2-bit list of `len` entries, 1 % invalid at scattered positions (as
/// revocations fall), as its claim.
fn status_claim(len: usize) -> serde_json::Value {
    let mut list = StatusList::new(2, len).expect("list");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..len / 100 {
        // xorshift64: fixed, so every run measures the same bytes.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        list.set((x % len as u64) as usize, 1).expect("set");
    }
    list.to_claim()
}

pub(crate) fn wallet(keep: Option<PathBuf>) -> CliResult {
    let status = StatusList::from_claim(&status_claim(1_000_000)).expect("decode");
    let sm2 = Sm2Signer::generate().expect("keygen");
    let es256 = Es256Signer::generate().expect("keygen");
    let (sm2_key, es256_key) = (sm2.public_key(), es256.public_key());
    let sm2_credential = licence(&sm2, HashAlg::Sm3, 4242);
    let es256_credential = licence(&es256, HashAlg::Sha256, 4242);
    let options = sdjwt::VerifyOptions {
        now: 1_800_000_000,
        skew_secs: 300,
        expect_typ: Some("dc+sd-jwt"),
        key_binding: None,
        max_kb_age_secs: 0,
    };
    let verify = |credential: &str, key: &PublicKey| {
        let lookup = |_: &serde_json::Value, _: &serde_json::Value| Some(key.clone());
        // What the wallet's verdict calls.
        let verified = sdjwt::verify_claims(credential, &lookup, &options).expect("verifies");
        let idx = verified.status.as_ref().map_or(0, |s| s.idx);
        assert_eq!(status.get(idx as usize), Some(0));
    };
    // The bare verifies of the very bytes the issuer signed: ring's for
    // ES256, the same SM2 code the licence's verify calls for SM2.
    let (sm2_input, sm2_sig) = signed_bytes(&sm2_credential);
    let (es256_input, es256_sig) = signed_bytes(&es256_credential);
    let PublicKey::P256(point) = &es256_key else {
        unreachable!("an ES256 signer's key is P-256")
    };
    let ring_key = ring::signature::UnparsedPublicKey::new(
        &ring::signature::ECDSA_P256_SHA256_FIXED,
        point.clone(),
    );
    // 41 rounds of each, interleaved: a burst of load on the shared
    // machine no longer falls on one side of a ratio only.
    let [sm2_us, sm2_bare_us, es256_us, ring_us] = interleaved_us(
        41,
        50,
        [
            &mut || verify(&sm2_credential, &sm2_key),
            &mut || {
                sm2_key
                    .verify(Alg::Sm2, sm2_input.as_bytes(), &sm2_sig)
                    .expect("verifies");
            },
            &mut || verify(&es256_credential, &es256_key),
            &mut || {
                ring_key
                    .verify(es256_input.as_bytes(), &es256_sig)
                    .expect("verifies");
            },
        ],
    );
    say!("verify_sm2_us\t{sm2_us:.1}");
    say!("sm2_bare_verify_us\t{sm2_bare_us:.1}");
    say!("verify_es256_us\t{es256_us:.1}");
    say!("ring_es256_verify_us\t{ring_us:.1}");

    let claim = status_claim(1_000_000);
    let compressed = B64
        .decode(claim["lst"].as_str().unwrap_or_default())
        .unwrap_or_default();
    say!("status_list_1m_compressed_bytes\t{}", compressed.len());
    let [decode, inflate] = interleaved_us(
        11,
        3,
        [
            &mut || {
                let list = StatusList::from_claim(&claim).expect("decodes");
                assert_eq!(list.len(), 1_000_000);
            },
            &mut || {
                let bytes =
                    miniz_oxide::inflate::decompress_to_vec_zlib(&compressed).expect("inflates");
                assert_eq!(bytes.len(), 250_000);
            },
        ],
    );
    say!("status_list_1m_decode_ms\t{:.2}", decode / 1e3);
    say!("zlib_inflate_1m_ms\t{:.2}", inflate / 1e3);

    if let Some(dir) = keep {
        populate(&dir)?;
    }
    Ok(())
}

/// A local provider and the embedded backend trusting it, issuing each
/// licence `copies` times over (a wallet of 50 at 13).
pub(crate) fn wallet_backend(
    copies: u32,
) -> CliResult<(
    DevProvider,
    tokio::runtime::Runtime,
    palmgov_server::RunningServer,
)> {
    let provider = DevProvider::try_start(0, 600).map_err(|e| CliError::cli("cli.provider", e))?;
    let rt = tokio::runtime::Runtime::new().map_err(|e| CliError::cli("cli.system", e))?;
    let server = rt
        .block_on(palmgov_server::start(
            "127.0.0.1:0".parse().expect("loopback"),
            palmgov_server::ServerOptions {
                auth: Some(dev_provider::backend_auth(&provider.issuer)),
                wallet: palmgov_server::wallet::WalletOptions {
                    copies,
                    ..Default::default()
                },
                ..Default::default()
            },
        ))
        .map_err(|e| CliError::cli("cli.backend", format!("backend: {e}")))?;
    Ok((provider, rt, server))
}

/// A core over `dir` on `server`, unlocked and signed in as `user`.
pub(crate) fn signed_in(
    dir: &Path,
    provider: &DevProvider,
    server: &palmgov_server::RunningServer,
    user: &str,
) -> CliResult<std::sync::Arc<palmgov::PalmGov>> {
    let identity = default_identity_config(
        provider.issuer.clone(),
        dev_provider::CLIENT_ID.into(),
        dev_provider::REDIRECT_URI.into(),
    );
    let gov = open_core_with(dir, &server.base_url(), LogLevel::Warn, Some(identity))?;
    block_on(gov.unlock("bench".into()))?;
    block_on(gov.identity().login(
        LoginOptions::default(),
        dev_browser(user.into(), None),
        None,
    ))?;
    Ok(gov)
}

/// A resident's wallet of 50 licences in `dir`, fetched from the embedded
/// backend (each licence issued over and over, as a bench needs).
fn populate(dir: &Path) -> CliResult {
    let (provider, _rt, server) = wallet_backend(13)?;
    let gov = signed_in(dir, &provider, &server, "alice")?;
    let fetched = block_on(gov.wallet().refresh(None))?;
    say!("wallet_licences\t{}", fetched.fetched);
    gov.shutdown();
    Ok(())
}

/// Opens the core over `dir` (software keystore, software app lock),
/// unlocks, lists the wallet; prints µs from process start.
pub(crate) fn list_cold(dir: &Path, started: Instant) -> CliResult {
    let identity = default_identity_config(
        // Offline: the issuer is never contacted.
        "http://127.0.0.1:9".into(),
        dev_provider::CLIENT_ID.into(),
        dev_provider::REDIRECT_URI.into(),
    );
    let gov = open_core_with(dir, "http://127.0.0.1:9/", LogLevel::Warn, Some(identity))?;
    block_on(gov.unlock("bench".into()))?;
    let list = block_on(gov.wallet().licences("zh-Hans".into()))?;
    let elapsed = started.elapsed();
    if list.len() < 50 {
        return Err(CliError::cli(
            "cli.bench",
            format!("{} licences, not 50", list.len()),
        ));
    }
    gov.shutdown();
    say!("{}", elapsed.as_micros());
    Ok(())
}

/// The baseline: the same kind of process opens the same database with
/// bare SQLite and reads 50 rows of the licences table; µs from start.
pub(crate) fn sqlite_rows(dir: &Path, rows: u32, started: Instant) -> CliResult {
    let db = rusqlite::Connection::open(dir.join("core").join("palmgov.db"))
        .map_err(|e| CliError::cli("cli.bench", e))?;
    let read: Vec<Vec<u8>> = db
        .prepare("SELECT summary FROM licences LIMIT ?1")
        .and_then(|mut stmt| {
            stmt.query_map([rows], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(|e| CliError::cli("cli.bench", e))?;
    let elapsed = started.elapsed();
    if read.len() < rows as usize {
        return Err(CliError::cli("cli.bench", "too few rows"));
    }
    say!("{}", elapsed.as_micros());
    Ok(())
}
