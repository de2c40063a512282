//! `palmgov bench qr`: the 亮证 code's figures for scripts/bench (issue
//! 21), each beside a baseline measured in the same run. The licence is an
//! ID card with realistic data, issued as the reference backend issues it
//! (SM2/SM3 issuer, its status list by id), its compact form and its
//! SD-JWT VC from the same claims.
//!
//! - QR size per profile: the compact presentation's QR version at the
//!   level the core gives that profile (M for the two short ones, L for
//!   the others), beside an SD-JWT presentation of the same claims with a
//!   key-binding JWT in byte mode at the same level, and both lengths.
//! - Building one code (presentation id, device ES256 signature, CBOR,
//!   Base45, then the matrix as the core makes it), beside the `qrcode`
//!   crate's matrix of the same text alone, interleaved (and the text
//!   without its matrix, to say where the time goes). The device key is
//!   in memory here; on a phone it is in the keystore, whose signing time
//!   is the hardware's.
//! - Verifying one code offline (issuer SM2, device ES256, digests, times,
//!   the status looked up in a list already decoded; no replay record),
//!   beside the two signature checks of the same bytes alone, interleaved.
//! - Reading a name + over 18 code from a 1080p RGB screenshot (PNG) and
//!   verifying it, as `wallet verify FILE.png` does, beside the png
//!   crate's decode and rqrr on the same bytes alone, interleaved.
//! - The replay record's durable commit, as `first_sighting` makes it
//!   (prune, count, insert, `synchronous=FULL` for the one transaction on
//!   the core's WAL connection), beside a bare insert into the same table
//!   with the same durability, alternating, in a temporary directory.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use palmgov_credentials::compact::{self, IssuedCompact, Item, ItemValue, StatusListId};
use palmgov_credentials::keys::{Alg, Es256Signer, PublicKey, Signer, Sm2Signer};
use palmgov_credentials::sdjwt::{self, HashAlg};
use palmgov_credentials::status_list::StatusList;
use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, Version};
use rusqlite::{Connection, params};
use serde_json::json;

use crate::bench_wallet::interleaved_us;
use crate::{CliError, CliResult};

/// The time of the bench's licences and codes, Unix seconds.
const NOW: i64 = 1_760_000_000;
const ISSUER: &str = "urn:palmgov:issuer:330000:public-security";
const LICENCE_ID: &str =
    "1.2.156.3005.2.11100000000013338W001.113300000024820075.ID000000000001.001.X";
/// The reference backend's list: id 1 in the trust list, this URI in an
/// SD-JWT, 100,000 entries.
const STATUS_LIST: u32 = 1;
const STATUS_URI: &str = "https://api.example.gov.cn/v1/wallet/status-lists/1";
const STATUS_LEN: usize = 100_000;
const STATUS_IDX: u64 = 70_421;
/// Who the SD-JWT's key-binding JWT is for (`aud`).
const VERIFIER: &str = "urn:palmgov:verifier:330106:counter-7";
/// The core's windows (core/src/wallet/showing.rs and verifier.rs).
const VALID_SECS: i64 = 60;
const SKEW_SECS: i64 = 30;
const MAX_SEEN: i64 = 100_000;
/// Commits measured on each side, after the warm-up that fills the
/// replay table's window (one code a second, each kept for 120 s).
const COMMITS: usize = 300;
const WARM_UP: usize = 120;

/// The profiles of core/src/wallet/showing.rs: a name for the output, the
/// items shown, the level the core makes the code at.
const PROFILES: &[(&str, &[&str], EcLevel)] = &[
    ("name_age", &["name", "age_over_18"], EcLevel::M),
    ("name_last4", &["name", "id_number_last4"], EcLevel::M),
    ("household", &["name", "id_number", "address"], EcLevel::L),
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

/// The ID card's claims, as the backend gives an ID card's (the licence id
/// first, then the type's claims in its order).
fn id_card() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("name", json!("陈丽华")),
        ("id_number", json!("330106198703150221")),
        ("id_number_last4", json!("0221")),
        ("birth_date", json!("1987-03-15")),
        ("sex", json!("女")),
        ("address", json!("浙江省杭州市西湖区文三路90号")),
        ("age_over_18", json!(true)),
        ("age_over_60", json!(false)),
    ]
}

fn day(date: &str) -> i32 {
    compact::date_to_days(date).expect("a date")
}

/// The compact form, as the backend issues it (server/src/wallet.rs).
fn issue_compact(issuer: &Sm2Signer, holder: &PublicKey) -> IssuedCompact {
    let mut items = vec![("licence_id", ItemValue::Text(LICENCE_ID.into()))];
    for (name, value) in id_card() {
        items.push((
            name,
            match value {
                serde_json::Value::Bool(b) => ItemValue::Bool(b),
                serde_json::Value::String(s) if name == "birth_date" => ItemValue::Date(day(&s)),
                serde_json::Value::String(s) => ItemValue::Text(s),
                _ => unreachable!("the card's values are text and booleans"),
            },
        ));
    }
    let status = compact::StatusRef {
        idx: STATUS_IDX,
        list: StatusListId::Id(STATUS_LIST),
    };
    let fields = compact::MsoFields {
        licence_type: "id_card",
        issuer: ISSUER,
        device_key: holder,
        validity: compact::Validity {
            iat: NOW as u64 - 3600,
            exp: (NOW + 90 * 86_400) as u64,
            valid_from: day("2020-05-01") as u32,
            valid_until: day("2040-05-01") as u32,
        },
        status: Some(&status),
    };
    compact::issue(
        &fields,
        &items,
        HashAlg::Sm3,
        issuer,
        &mut compact::RandomSalts::new(),
    )
    .expect("issues")
}

/// The SD-JWT VC, as the backend issues it: the licence id and the
/// validity plain, the type's claims disclosable.
fn issue_sd_jwt(issuer: &Sm2Signer, holder: &PublicKey) -> String {
    let mut payload = json!({
        "iss": ISSUER, "iat": NOW - 3600, "nbf": NOW - 3660, "exp": NOW + 90 * 86_400,
        "vct": "urn:palmgov:licence:id_card", "licence_type": "11100000000013338W001",
        "licence_id": LICENCE_ID, "valid_from": "2020-05-01", "valid_until": "2040-05-01",
        "cnf": {"jwk": holder.to_jwk()},
        "status": {"status_list": {"idx": STATUS_IDX, "uri": STATUS_URI}},
    });
    let card = id_card();
    for (name, value) in &card {
        payload[*name] = value.clone();
    }
    let pointers: Vec<String> = card.iter().map(|(name, _)| format!("/{name}")).collect();
    let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
    sdjwt::issue(
        payload,
        &pointers,
        HashAlg::Sm3,
        json!({"typ": "dc+sd-jwt", "kid": issuer.public_key().thumbprint()}),
        issuer,
        &mut sdjwt::RandomSalts::new(),
    )
    .expect("issues")
}

fn pick(issued: &IssuedCompact, names: &[&str]) -> Vec<Item> {
    names
        .iter()
        .map(|name| {
            issued
                .items
                .iter()
                .find(|i| i.name == *name)
                .cloned()
                .expect("an item of the card")
        })
        .collect()
}

/// The QR version the `qrcode` crate picks for `text` at `level`, as the
/// core makes its codes.
fn version(text: &str, level: EcLevel) -> String {
    match QrCode::with_error_correction_level(text.as_bytes(), level).map(|c| c.version()) {
        Ok(Version::Normal(v)) => v.to_string(),
        _ => ">40".into(),
    }
}

/// The smallest QR version that holds `data` as one byte-mode segment at
/// `level`.
fn byte_mode_version(data: &[u8], level: EcLevel) -> String {
    (1..=40)
        .find(|v| {
            let mut bits = Bits::new(Version::Normal(*v));
            bits.push_byte_data(data).is_ok() && bits.push_terminator(level).is_ok()
        })
        .map_or_else(|| ">40".into(), |v| v.to_string())
}

/// The core's matrix (core/src/wallet/showing.rs `matrix`, at one level):
/// the code, refused past version 20, as one byte per module.
fn matrix(payload: &str, level: EcLevel) -> (u8, u32, Vec<u8>) {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), level).expect("fits");
    let Version::Normal(v) = code.version() else {
        unreachable!("a normal code")
    };
    assert!(v <= 20, "version {v}");
    let modules = code
        .to_colors()
        .into_iter()
        .map(|c| u8::from(c == qrcode::Color::Dark))
        .collect();
    (v as u8, code.width() as u32, modules)
}

/// A byte string's CBOR head (major type 2, definite length).
fn bstr_head(len: usize) -> Vec<u8> {
    match len {
        0..=23 => vec![0x40 | len as u8],
        24..=255 => vec![0x58, len as u8],
        _ => {
            let [hi, lo] = u16::try_from(len).expect("short").to_be_bytes();
            vec![0x59, hi, lo]
        }
    }
}

/// The byte string at `at` in `cbor`: its content and where the next item
/// starts.
fn bstr_at(cbor: &[u8], at: usize) -> (&[u8], usize) {
    let (len, start) = match cbor[at] {
        b @ 0x40..=0x57 => (usize::from(b & 0x1f), at + 1),
        0x58 => (usize::from(cbor[at + 1]), at + 2),
        0x59 => (
            usize::from(u16::from_be_bytes([cbor[at + 1], cbor[at + 2]])),
            at + 3,
        ),
        other => panic!("not a short byte string: {other:#x}"),
    };
    (&cbor[start..start + len], start + len)
}

/// The two signature checks of a presentation alone, over the very bytes
/// `compact::verify` checks: the issuer's SM2 over the COSE Sig_structure
/// of the MSO, the device's ES256 over the device message.
struct BareSignatures {
    issuer_key: PublicKey,
    sig_structure: Vec<u8>,
    issuer_sig: Vec<u8>,
    device_key: ring::signature::UnparsedPublicKey<Vec<u8>>,
    device_message: Vec<u8>,
    device_sig: Vec<u8>,
}

impl BareSignatures {
    /// From a presentation's CBOR (`[issuer_signed, items, time, pid,
    /// request, device_signature]`), read by hand.
    fn new(issuer_key: PublicKey, device_key: &PublicKey, cbor: &[u8]) -> Self {
        assert_eq!(cbor[0], 0x86);
        let (issuer_signed, shown_at) = bstr_at(cbor, 1);
        let shown = &cbor[shown_at..cbor.len() - 66];
        assert_eq!(&cbor[cbor.len() - 66..cbor.len() - 64], &[0x58, 0x40]);
        let device_sig = cbor[cbor.len() - 64..].to_vec();
        // COSE_Sign1: [protected, {}, payload, signature].
        assert_eq!(issuer_signed[0], 0x84);
        let (protected, at) = bstr_at(issuer_signed, 1);
        assert_eq!(issuer_signed[at], 0xa0);
        let (payload, at) = bstr_at(issuer_signed, at + 1);
        let (issuer_sig, _) = bstr_at(issuer_signed, at);
        let mut sig_structure = vec![0x84, 0x6a];
        sig_structure.extend_from_slice(b"Signature1");
        sig_structure.extend(bstr_head(protected.len()));
        sig_structure.extend_from_slice(protected);
        sig_structure.push(0x40);
        sig_structure.extend(bstr_head(payload.len()));
        sig_structure.extend_from_slice(payload);
        let mut device_message = vec![0x86, 0x6a];
        device_message.extend_from_slice(compact::DEVICE_CONTEXT.as_bytes());
        device_message.extend(bstr_head(32));
        device_message
            .extend_from_slice(ring::digest::digest(&ring::digest::SHA256, issuer_signed).as_ref());
        device_message.extend_from_slice(shown);
        let PublicKey::P256(point) = device_key else {
            unreachable!("the device key is P-256")
        };
        let bare = Self {
            issuer_key,
            sig_structure,
            issuer_sig: issuer_sig.to_vec(),
            device_key: ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                point.clone(),
            ),
            device_message,
            device_sig,
        };
        // Checked once here: bytes read wrong would not verify.
        bare.verify();
        bare
    }

    fn verify(&self) {
        self.issuer_key
            .verify(Alg::Sm2, &self.sig_structure, &self.issuer_sig)
            .expect("the issuer's signature");
        self.device_key
            .verify(&self.device_message, &self.device_sig)
            .expect("the device's signature");
    }
}

pub(crate) fn qr() -> CliResult {
    let issuer = Sm2Signer::generate().expect("keygen");
    let device = Es256Signer::generate().expect("keygen");
    let holder = device.public_key();
    let issued = issue_compact(&issuer, &holder);
    let sd_jwt = issue_sd_jwt(&issuer, &holder);
    let present = |items: &[Item]| {
        let pid = compact::new_pid().expect("pid");
        compact::present(&issued.issuer_signed, items, NOW as u64, pid, None, &device)
            .expect("presents")
    };

    // QR size per profile, beside the SD-JWT of the same claims with key
    // binding (the licence id is plain in the SD-JWT: always shown).
    for (name, shown, level) in PROFILES {
        let code = present(&pick(&issued, shown));
        let pointers: Vec<String> = shown
            .iter()
            .filter(|n| **n != "licence_id")
            .map(|n| format!("/{n}"))
            .collect();
        let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
        let disclose = sdjwt::by_pointers(&pointers).expect("pointers");
        // 128 random bits, base64url, as a verifier's nonce.
        let nonce = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            compact::new_nonce().expect("nonce"),
        );
        let presentation = sdjwt::present(
            &sd_jwt,
            &disclose,
            Some(sdjwt::KeyBindingInput {
                aud: VERIFIER,
                nonce: &nonce,
                iat: NOW,
                signer: &device,
            }),
        )
        .expect("presents");
        let l = if *level == EcLevel::M { "m" } else { "l" };
        say!("qr_{name}_chars\t{}", code.len());
        say!("qr_{name}_{l}_version\t{}", version(&code, *level));
        say!("sdjwt_{name}_bytes\t{}", presentation.len());
        say!(
            "sdjwt_{name}_{l}_version\t{}",
            byte_mode_version(presentation.as_bytes(), *level)
        );
    }

    // Building one code, beside the matrix of the same text alone: the
    // shortest profile (where the signature weighs most) and the longest.
    // The presentation without its matrix is timed too (in the same
    // rounds), to say which part the build spends its time in.
    for (name, shown, level) in [PROFILES[0], PROFILES[3]] {
        let items = pick(&issued, shown);
        let text = present(&items);
        let [build, alone, text_only] = interleaved_us(
            41,
            10,
            [
                &mut || {
                    black_box(matrix(&present(&items), level));
                },
                &mut || {
                    black_box(
                        QrCode::with_error_correction_level(text.as_bytes(), level).expect("fits"),
                    );
                },
                &mut || {
                    black_box(present(&items));
                },
            ],
        );
        say!("qr_build_{name}_us\t{build:.1}");
        say!("qrcode_matrix_{name}_us\t{alone:.1}");
        say!("qr_present_{name}_us\t{text_only:.1}");
    }

    // Verifying one code offline, as the core's verifier does short of the
    // replay record: the issuer's key from the trust list, the issuer's
    // types, the licence's dates, the status list by its id.
    let full = pick(&issued, PROFILES[3].1);
    let code = present(&full);
    let cbor = compact::present_cbor(
        &issued.issuer_signed,
        &full,
        NOW as u64,
        compact::new_pid().expect("pid"),
        None,
        &device,
    )
    .expect("presents");
    let bare = BareSignatures::new(issuer.public_key(), &holder, &cbor);
    let trusted: HashMap<String, (Vec<PublicKey>, Vec<String>)> = HashMap::from([(
        ISSUER.to_string(),
        (
            vec![issuer.public_key()],
            vec!["id_card".into(), "household_register".into()],
        ),
    )]);
    let list_ids: HashMap<u32, String> = HashMap::from([(STATUS_LIST, STATUS_URI.to_string())]);
    let mut list = StatusList::new(2, STATUS_LEN).expect("list");
    for i in (0..STATUS_LEN).step_by(97) {
        list.set(i, 1).expect("set");
    }
    let lists: HashMap<String, StatusList> = HashMap::from([(STATUS_URI.to_string(), list)]);
    let options = compact::VerifyOptions {
        now: NOW,
        validity_secs: VALID_SECS,
        skew_secs: SKEW_SECS,
        expect_request: None,
    };
    // The day in China (UTC+8), as the core judges a licence's dates.
    let today = (NOW + 8 * 3600).div_euclid(86_400);
    let verify = |code: &str| {
        let key_of = |iss: &str, alg: Alg| {
            let (keys, _) = trusted.get(iss)?;
            keys.iter().find(|k| k.alg() == alg).cloned()
        };
        let shown = compact::verify(code, &key_of, &options).expect("verifies");
        let (_, types) = trusted.get(&shown.issuer).expect("trusted");
        assert!(types.contains(&shown.licence_type));
        assert!(shown.validity.in_force(today));
        let status = shown.status.as_ref().expect("a status");
        let uri = match &status.list {
            StatusListId::Id(id) => list_ids.get(id).expect("a known list"),
            StatusListId::Uri(uri) => uri,
        };
        assert_eq!(lists[uri].get(status.idx as usize), Some(0));
        black_box(shown);
    };
    let [verified, signatures] =
        interleaved_us(41, 20, [&mut || verify(&code), &mut || bare.verify()]);
    say!("qr_verify_us\t{verified:.1}");
    say!("qr_signatures_alone_us\t{signatures:.1}");

    // A 1080p screenshot of a name + over 18 code, read and verified as
    // `wallet verify FILE.png` does (the CLI's own PNG reader and rqrr
    // scan), beside the png crate's decode and rqrr on the same bytes alone.
    let (name, shown, level) = PROFILES[0];
    let text = present(&pick(&issued, shown));
    let (_, width, modules) = matrix(&text, level);
    let png = screenshot(width as usize, &modules);
    assert_eq!(png_rqrr(&png), text);
    let from_png = || {
        let read = crate::qr::read_png(&png).and_then(|luma| crate::qr::decode(&luma));
        let Ok(found) = read else {
            panic!("the {name} code is not read from its screenshot")
        };
        verify(&found);
    };
    from_png();
    let [read_verified, decoded] = interleaved_us(
        PNG_ROUNDS,
        1,
        [&mut || from_png(), &mut || {
            black_box(png_rqrr(&png));
        }],
    );
    say!("qr_png_verify_ms\t{:.2}", read_verified / 1000.0);
    say!("qr_png_decode_ms\t{:.2}", decoded / 1000.0);

    // The replay record's durable commit.
    let dir = tempfile::tempdir().map_err(|e| CliError::cli("cli.bench", e))?;
    let (commits, inserts) =
        replay_commits(dir.path()).map_err(|e| CliError::cli("cli.bench", e))?;
    for (name, mut times) in [("replay_commit", commits), ("bare_insert", inserts)] {
        times.sort();
        let at = |p: f64| times[((p * times.len() as f64).ceil() as usize).max(1) - 1];
        say!("{name}_p50_us\t{}", at(0.50).as_micros());
        say!("{name}_p99_us\t{}", at(0.99).as_micros());
    }
    say!("replay_commits\t{COMMITS}");
    Ok(())
}

/// A screenshot's size, pixels.
const SCREEN: (usize, usize) = (1920, 1080);
/// Rounds of the 1080p screenshot's read (one read each, alternating).
const PNG_ROUNDS: usize = 21;

/// A 1920×1080 RGB screenshot as a PNG (the png crate's default
/// compression): a light grey ground, the code in the middle on white, at
/// the CLI's pixels per module with its quiet zone.
fn screenshot(width: usize, modules: &[u8]) -> Vec<u8> {
    use crate::qr::{PNG_SCALE, QUIET};
    let (w, h) = SCREEN;
    let side = (width + 2 * QUIET) * PNG_SCALE;
    assert!(side <= h, "the code fits the screen");
    let (left, top) = ((w - side) / 2, (h - side) / 2);
    let mut rgb = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let pixel = if !(left..left + side).contains(&x) || !(top..top + side).contains(&y) {
                [242, 242, 247]
            } else {
                let (mx, my) = ((x - left) / PNG_SCALE, (y - top) / PNG_SCALE);
                let code = QUIET..QUIET + width;
                if code.contains(&mx)
                    && code.contains(&my)
                    && modules[(my - QUIET) * width + (mx - QUIET)] == 1
                {
                    [17, 17, 17]
                } else {
                    [255, 255, 255]
                }
            };
            rgb.extend_from_slice(&pixel);
        }
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("a header");
    writer.write_image_data(&rgb).expect("encodes");
    writer.finish().expect("encodes");
    png
}

/// The baseline: the png crate's decode of an 8-bit RGB PNG, then rqrr on
/// its luma (Rec. 601, as the CLI weighs it) and the first code's text.
fn png_rqrr(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("fits")];
    let frame = reader.next_frame(&mut buf).expect("decodes");
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    let line = frame.line_size;
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        frame.width as usize,
        frame.height as usize,
        |x, y| {
            let p = &buf[y * line + 3 * x..y * line + 3 * x + 3];
            let [r, g, b] = [p[0], p[1], p[2]].map(u32::from);
            ((299 * r + 587 * g + 114 * b) / 1000) as u8
        },
    );
    let grids = prepared.detect_grids();
    grids
        .iter()
        .find_map(|g| g.decode().ok().map(|(_, t)| t))
        .expect("a code")
}

/// A connection configured as the core's store configures its own
/// (core/src/store/mod.rs `configure`).
fn core_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    assert!(mode.eq_ignore_ascii_case("wal"));
    conn.execute_batch(
        "PRAGMA synchronous=NORMAL;
         PRAGMA foreign_keys=ON;
         PRAGMA secure_delete=ON;",
    )?;
    conn.pragma_update(None, "wal_autocheckpoint", 1_000)?;
    conn.execute_batch(
        "CREATE TABLE seen_presentations (
            pid BLOB PRIMARY KEY,
            expires_at INTEGER NOT NULL
         ) STRICT;
         CREATE INDEX seen_presentations_expiry ON seen_presentations (expires_at);",
    )?;
    Ok(conn)
}

/// `first_sighting` (core/src/wallet/verifier.rs) in `store.write_durably`
/// (core/src/store/mod.rs `durable`): one transaction committed with
/// `synchronous=FULL`.
fn first_sighting(conn: &mut Connection, pid: &[u8], now: i64) -> rusqlite::Result<bool> {
    let expires = now + VALID_SECS + 2 * SKEW_SECS;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let result = (|| {
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM seen_presentations WHERE expires_at < ?1",
            [now],
        )?;
        let live: i64 =
            tx.query_row("SELECT COUNT(*) FROM seen_presentations", [], |r| r.get(0))?;
        assert!(live < MAX_SEEN);
        let first = tx.execute(
            "INSERT INTO seen_presentations (pid, expires_at) VALUES (?1, ?2)
             ON CONFLICT (pid) DO NOTHING",
            params![pid, expires],
        )? == 1;
        tx.commit()?;
        Ok(first)
    })();
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    result
}

/// [`COMMITS`] timings of each: the replay record's commit and a bare
/// insert of the same row into the same table, WAL and `synchronous=FULL`,
/// without pruning; alternating, which goes first swapped every time.
/// A code a second: after the warm-up each commit prunes one row.
fn replay_commits(dir: &Path) -> rusqlite::Result<(Vec<Duration>, Vec<Duration>)> {
    let mut core = core_connection(&dir.join("verifier.db"))?;
    let bare = Connection::open(dir.join("bare.db"))?;
    bare.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))?;
    bare.execute_batch(
        "PRAGMA synchronous=FULL;
         CREATE TABLE seen (pid BLOB PRIMARY KEY, expires_at INTEGER NOT NULL) STRICT;
         CREATE INDEX seen_expiry ON seen (expires_at);",
    )?;
    let (mut commits, mut inserts) = (Vec::new(), Vec::new());
    for i in 0..WARM_UP + COMMITS {
        let now = NOW + i as i64;
        let pid = compact::new_pid().expect("pid");
        let mut commit = || -> rusqlite::Result<Duration> {
            let started = Instant::now();
            assert!(first_sighting(&mut core, &pid, now)?);
            Ok(started.elapsed())
        };
        let insert = || -> rusqlite::Result<Duration> {
            let started = Instant::now();
            bare.execute(
                "INSERT INTO seen (pid, expires_at) VALUES (?1, ?2)",
                params![pid.as_slice(), now + VALID_SECS + 2 * SKEW_SECS],
            )?;
            Ok(started.elapsed())
        };
        let (c, b) = if i % 2 == 0 {
            let c = commit()?;
            (c, insert()?)
        } else {
            let b = insert()?;
            (commit()?, b)
        };
        if i >= WARM_UP {
            commits.push(c);
            inserts.push(b);
        }
    }
    Ok((commits, inserts))
}
