//! `palmgov region keygen|root|root-rotate|sign|cosign|verify|check`: a
//! region team's tools for its signed region profile (`regions/<code>/`,
//! `core/src/region/profile.rs`).
//!
//! Keys are files holding a private JWK (`d` beside the public members,
//! with `alg` and `kid`), written with mode 0600. Production keys never
//! enter a repository: make them on an offline machine and keep them
//! there, or in an HSM that signs [`envelope::signing_input`]. The keys in
//! `regions/keys/test/` are test and demo keys, public to everyone.
//!
//! Every document is verified with the core's own rules after it is
//! signed (`palmgov::region::profile::verify_document`), so a profile the
//! tool writes is one the apps take.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use palmgov::region::profile::{PROFILE_KIND, Verified, verify_document};
use palmgov_credentials::envelope::{self, Root};
use palmgov_credentials::keys::{Alg, PublicKey, Signer};
use palmgov_server::region::{generate_private_jwk, public_key_of, signer_from_private_jwk};
use serde_json::{Value, json};

use crate::{CliError, CliResult};

/// The envelope kind of the licence trust list.
const TRUST_LIST_KIND: &str = palmgov_server::wallet::TRUST_LIST_KIND;

#[derive(Subcommand)]
pub(crate) enum RegionAction {
    /// Make a signing key. Production keys never enter the repository.
    ///
    /// Writes the private key (a JWK with `d`, mode 0600, never over an
    /// existing file) and prints its public JWK. PRODUCTION KEYS NEVER
    /// ENTER THE REPOSITORY: make them on an offline machine and keep them
    /// there (or in an HSM that signs the envelope's signing input).
    /// regions/keys/test/ holds test and demo keys only, public to all.
    Keygen {
        #[arg(long, value_enum)]
        alg: KeyAlg,
        #[arg(long, value_name = "KEY.json")]
        out: PathBuf,
    },
    /// Write the root file a build pins (profile-root.json).
    ///
    /// The public JWKs of the keys and how many of them must sign:
    /// `{"keys": [...], "threshold": N}`. Takes private or public key files.
    Root {
        #[arg(long = "key", value_name = "KEY.json", required = true)]
        keys: Vec<PathBuf>,
        #[arg(long)]
        threshold: u32,
        #[arg(long, value_name = "profile-root.json")]
        out: PathBuf,
    },
    /// Rotate the root keys: write a root document (root-V.json).
    ///
    /// A root document (kind `palmgov.root`) naming the new keys and
    /// threshold, signed by the old keys given and by the new
    /// keys given as private files (public ones are named, not signing;
    /// their holders add signatures with `cosign`). Root version 2 follows
    /// the pinned root; each later one follows the one before. Apps walk
    /// the chain even from an expired root.
    RootRotate {
        /// A private key of the root in force.
        #[arg(long = "old-key", value_name = "KEY.json", required = true)]
        old_keys: Vec<PathBuf>,
        /// A key of the new root: private (signs) or public.
        #[arg(long = "new-key", value_name = "KEY.json", required = true)]
        new_keys: Vec<PathBuf>,
        /// How many of the new keys must sign from now on.
        #[arg(long)]
        threshold: u32,
        #[arg(long)]
        version: u64,
        /// YYYY-MM-DD (the end of that day, UTC) or YYYY-MM-DDTHH:MM:SSZ.
        #[arg(long)]
        expires: String,
        /// The pinned root file; with it (and --roots, the documents
        /// since), the new document is checked to follow the root in force.
        #[arg(long, value_name = "profile-root.json")]
        root: Option<PathBuf>,
        /// Root documents after the pinned root, in order.
        #[arg(long = "roots", value_name = "root-N.json")]
        roots: Vec<PathBuf>,
        /// Write it even though too few keys have signed yet, for others
        /// to `cosign`.
        #[arg(long)]
        partial: bool,
        #[arg(long, value_name = "root-V.json")]
        out: PathBuf,
    },
    /// Sign a profile body (profile.body.json) as a region profile.
    ///
    /// The envelope's kind is `palmgov.region-profile`. The result is checked with the core's
    /// rules before it is written: under --root when given, else under the
    /// signing keys alone (which checks the body, not the threshold).
    Sign {
        /// The profile body (JSON): `regions/<code>/profile.body.json`.
        #[arg(long, value_name = "BODY.json")]
        body: PathBuf,
        /// Higher than every version the apps have taken.
        #[arg(long)]
        version: u64,
        /// YYYY-MM-DD (the end of that day, UTC) or YYYY-MM-DDTHH:MM:SSZ.
        /// Past it the apps keep the profile, marked stale.
        #[arg(long)]
        expires: String,
        #[arg(long = "key", value_name = "KEY.json", required = true)]
        keys: Vec<PathBuf>,
        #[arg(long, value_name = "profile-root.json")]
        root: Option<PathBuf>,
        #[arg(long = "roots", value_name = "root-N.json")]
        roots: Vec<PathBuf>,
        /// Write it even though too few keys have signed yet (with --root),
        /// for others to `cosign`.
        #[arg(long)]
        partial: bool,
        /// Where to write the envelope; stdout when omitted.
        #[arg(long, value_name = "profile.json")]
        out: Option<PathBuf>,
    },
    /// Add signatures to a profile or root document.
    ///
    /// For keys kept on separate offline machines: one holder signs, the
    /// others cosign the file in turn.
    Cosign {
        #[arg(long = "key", value_name = "KEY.json", required = true)]
        keys: Vec<PathBuf>,
        /// Where to write it; over DOCUMENT when omitted.
        #[arg(long)]
        out: Option<PathBuf>,
        document: PathBuf,
    },
    /// Verify a profile offline and print what it says.
    ///
    /// As the apps verify it, without the rollback check (that needs a
    /// phone's history). Exits 1 with the reason when it is refused.
    Verify {
        #[arg(long, value_name = "profile-root.json")]
        root: PathBuf,
        /// Root documents after the pinned root, in order.
        #[arg(long = "roots", value_name = "root-N.json")]
        roots: Vec<PathBuf>,
        #[arg(value_name = "profile.json")]
        profile: PathBuf,
    },
    /// Check a region folder (regions/CODE) before a build.
    ///
    /// The profile under the build's pinned root, the licence trust list
    /// under the profile's licence roots, the bundled service catalog
    /// (catalog/: its chunks by their hashes, its manifest by the
    /// profile's pin), and that build.json and the profile agree (region,
    /// app id, redirect, languages, names, app version).
    /// One line a check; exits 1 naming the first problem.
    Check {
        #[arg(value_name = "regions/CODE")]
        dir: PathBuf,
    },
    /// Write the reference backend's licence trust list for a backend at
    /// BASE_URL (or at the base URL of the profile body BODY), signed by
    /// its test roots (TEST AND DEMO ONLY): a region folder's
    /// `trust-list.json` for the bundled demo regions.
    #[command(hide = true)]
    TestTrustList {
        #[arg(long, required_unless_present = "body", conflicts_with = "body")]
        base_url: Option<String>,
        #[arg(long, value_name = "BODY.json")]
        body: Option<PathBuf>,
        /// Default: the current Unix time, as the backend versions its own.
        #[arg(long)]
        version: Option<u64>,
        #[arg(long)]
        expires: String,
        #[arg(long)]
        out: PathBuf,
    },
}

/// `--alg` of `keygen`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum KeyAlg {
    /// ECDSA P-256 with SHA-256.
    Es256,
    Ed25519,
    /// SM2 with SM3 (GB/T 32918), where a region's 密评 asks for it.
    Sm2,
}

pub(crate) fn run(action: RegionAction) -> CliResult {
    match action {
        RegionAction::Keygen { alg, out } => keygen(alg, &out),
        RegionAction::Root {
            keys,
            threshold,
            out,
        } => root(&keys, threshold, &out),
        RegionAction::RootRotate {
            old_keys,
            new_keys,
            threshold,
            version,
            expires,
            root,
            roots,
            partial,
            out,
        } => root_rotate(RootRotate {
            old_keys,
            new_keys,
            threshold,
            version,
            expires,
            root,
            roots,
            partial,
            out,
        }),
        RegionAction::Sign {
            body,
            version,
            expires,
            keys,
            root,
            roots,
            partial,
            out,
        } => sign(Sign {
            body,
            version,
            expires,
            keys,
            root,
            roots,
            partial,
            out,
        }),
        RegionAction::Cosign {
            keys,
            out,
            document,
        } => cosign(&keys, &document, out.as_deref()),
        RegionAction::Verify {
            root,
            roots,
            profile,
        } => verify(&root, &roots, &profile),
        RegionAction::Check { dir } => check(&dir),
        RegionAction::TestTrustList {
            base_url,
            body,
            version,
            expires,
            out,
        } => {
            let expires = parse_expiry(&expires)?;
            let base_url = match (base_url, body) {
                (Some(url), _) => url,
                (None, Some(body)) => read_json(&body)?["api"]["base_url"]
                    .as_str()
                    .map(String::from)
                    .ok_or_else(|| {
                        CliError::cli("cli.file", format!("{}: no api.base_url", body.display()))
                    })?,
                (None, None) => return Err(CliError::cli("cli.usage", "--base-url or --body")),
            };
            let version = version.unwrap_or_else(|| now().max(1) as u64);
            let list = palmgov_server::region::test_trust_list(&base_url, version, expires)
                .map_err(|e| CliError::cli("cli.region_sign", e))?;
            write(&out, &format!("{list}\n"))?;
            say!(
                "wrote {} (version {version}, test licence roots)",
                out.display()
            );
            Ok(())
        }
    }
}

// --- files ----------------------------------------------------------------------

fn read_text(path: &Path) -> CliResult<String> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::cli("cli.file", format!("{}: {e}", path.display())))
}

fn read_json(path: &Path) -> CliResult<Value> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|e| CliError::cli("cli.file", format!("{}: not JSON: {e}", path.display())))
}

fn write(path: &Path, text: &str) -> CliResult {
    std::fs::write(path, text)
        .map_err(|e| CliError::cli("cli.file", format!("{}: {e}", path.display())))
}

/// A document as written: the envelope, then a newline.
fn write_document(path: Option<&Path>, document: &str) -> CliResult {
    match path {
        Some(path) => write(path, &format!("{document}\n")),
        None => {
            println!("{document}");
            Ok(())
        }
    }
}

fn key_error(path: &Path, reason: impl std::fmt::Display) -> CliError {
    CliError::cli("cli.key", format!("{}: {reason}", path.display()))
}

/// The signer of a private key file.
fn signer(path: &Path) -> CliResult<Box<dyn Signer>> {
    signer_from_private_jwk(&read_json(path)?).map_err(|e| key_error(path, e))
}

/// The public key of a key file, private or public.
fn public_key(path: &Path) -> CliResult<PublicKey> {
    public_key_of(&read_json(path)?).map_err(|e| key_error(path, e))
}

/// A root file (`profile-root.json`): the keys as JWK texts, and the
/// threshold.
fn read_root(path: &Path) -> CliResult<(Vec<String>, u32)> {
    let file = read_json(path)?;
    let keys = file["keys"].as_array();
    let threshold = file["threshold"]
        .as_u64()
        .and_then(|t| u32::try_from(t).ok());
    let known = file
        .as_object()
        .is_some_and(|m| m.keys().all(|k| k == "keys" || k == "threshold"));
    match (keys, threshold) {
        (Some(keys), Some(threshold)) if known => {
            Ok((keys.iter().map(Value::to_string).collect(), threshold))
        }
        _ => Err(CliError::cli(
            "cli.file",
            format!(
                "{}: not a root file ({{\"keys\": [JWK…], \"threshold\": N}})",
                path.display()
            ),
        )),
    }
}

fn read_roots(paths: &[PathBuf]) -> CliResult<Vec<String>> {
    paths
        .iter()
        .map(|p| read_text(p).map(|t| t.trim().to_string()))
        .collect()
}

/// The root in force: a root file's keys, through root documents in order.
fn root_in_force(root: &Path, roots: &[String]) -> CliResult<Root> {
    let (keys, threshold) = read_root(root)?;
    let keys = keys
        .iter()
        .map(|k| {
            serde_json::from_str(k)
                .ok()
                .and_then(|v| PublicKey::from_jwk(&v).ok())
                .ok_or_else(|| key_error(root, "a key is not a public JWK"))
        })
        .collect::<CliResult<Vec<_>>>()?;
    let mut trusted = Root::pinned(keys, threshold as usize, 1)
        .map_err(|_| key_error(root, "the threshold is 0 or above the number of keys"))?;
    for (i, document) in roots.iter().enumerate() {
        trusted = envelope::update_root(&trusted, document).map_err(|e| {
            CliError::cli(
                "cli.region_refused",
                format!("root document {} refused: root.{}", i + 1, e.reason()),
            )
        })?;
    }
    Ok(trusted)
}

// --- time -------------------------------------------------------------------------

fn now() -> i64 {
    crate::now_ms() / 1000
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` (the last second of that day, UTC) or
/// `YYYY-MM-DDTHH:MM:SSZ`, as Unix seconds.
pub(crate) fn parse_expiry(text: &str) -> CliResult<i64> {
    let bad = || {
        CliError::cli(
            "cli.usage",
            format!("--expires {text:?}: give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"),
        )
    };
    let number = |s: &str, len: usize| -> Option<i64> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time.strip_suffix('Z').ok_or_else(bad)?)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) = (
        parts.next().and_then(|p| number(p, 4)),
        parts.next().and_then(|p| number(p, 2)),
        parts.next().and_then(|p| number(p, 2)),
        parts.next(),
    ) else {
        return Err(bad());
    };
    let days = days_from_civil(y, m, d);
    if !(1..=12).contains(&m) || civil_from_days(days) != (y, m, d) {
        return Err(bad());
    }
    let seconds = match time {
        None => 86_399,
        Some(time) => {
            let mut parts = time.split(':');
            let (Some(h), Some(min), Some(s), None) = (
                parts.next().and_then(|p| number(p, 2)),
                parts.next().and_then(|p| number(p, 2)),
                parts.next().and_then(|p| number(p, 2)),
                parts.next(),
            ) else {
                return Err(bad());
            };
            if h > 23 || min > 59 || s > 59 {
                return Err(bad());
            }
            h * 3600 + min * 60 + s
        }
    };
    Ok(days * 86_400 + seconds)
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn utc(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

// --- commands ------------------------------------------------------------------------

fn keygen(alg: KeyAlg, out: &Path) -> CliResult {
    let alg = match alg {
        KeyAlg::Es256 => Alg::Es256,
        KeyAlg::Ed25519 => Alg::EdDsa,
        KeyAlg::Sm2 => Alg::Sm2,
    };
    let jwk = generate_private_jwk(alg).map_err(|e| CliError::cli("cli.system", e))?;
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&jwk).unwrap_or_default()
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(out).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "exists; a key file is never overwritten".to_string()
        } else {
            e.to_string()
        };
        CliError::cli("cli.file", format!("{}: {why}", out.display()))
    })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::cli("cli.file", format!("{}: {e}", out.display())))?;
    let mut public = jwk;
    if let Some(members) = public.as_object_mut() {
        members.remove("d");
    }
    say!("{public}");
    tell!(
        "wrote the private key to {} (mode 0600): keep it offline, never in a repository",
        out.display()
    );
    Ok(())
}

fn root(keys: &[PathBuf], threshold: u32, out: &Path) -> CliResult {
    let keys = keys
        .iter()
        .map(|p| public_key(p))
        .collect::<CliResult<Vec<_>>>()?;
    // The same rules as the apps' pinned root: distinct keys, a threshold
    // between 1 and their number.
    Root::pinned(keys.clone(), threshold as usize, 1).map_err(|_| {
        CliError::cli(
            "cli.usage",
            "the keys must be distinct and the threshold between 1 and their number",
        )
    })?;
    let body = json!({
        "keys": keys.iter().map(PublicKey::to_jwk).collect::<Vec<_>>(),
        "threshold": threshold,
    });
    write(
        out,
        &format!(
            "{}\n",
            serde_json::to_string_pretty(&body).unwrap_or_default()
        ),
    )?;
    say!(
        "wrote {}: {threshold} of {} keys must sign",
        out.display(),
        keys.len()
    );
    Ok(())
}

struct RootRotate {
    old_keys: Vec<PathBuf>,
    new_keys: Vec<PathBuf>,
    threshold: u32,
    version: u64,
    expires: String,
    root: Option<PathBuf>,
    roots: Vec<PathBuf>,
    partial: bool,
    out: PathBuf,
}

fn root_rotate(a: RootRotate) -> CliResult {
    let expires = parse_expiry(&a.expires)?;
    let mut signers = a
        .old_keys
        .iter()
        .map(|p| signer(p))
        .collect::<CliResult<Vec<_>>>()?;
    let mut new_public = Vec::new();
    for path in &a.new_keys {
        let jwk = read_json(path)?;
        new_public.push(public_key_of(&jwk).map_err(|e| key_error(path, e))?);
        if jwk.get("d").is_some() {
            signers.push(signer_from_private_jwk(&jwk).map_err(|e| key_error(path, e))?);
        }
    }
    let next = Root::pinned(new_public, a.threshold as usize, a.version).map_err(|_| {
        CliError::cli(
            "cli.usage",
            "the new keys must be distinct and the threshold between 1 and their number",
        )
    })?;
    let by: Vec<&dyn Signer> = signers.iter().map(|s| s.as_ref()).collect();
    let document = envelope::sign(
        envelope::ROOT_KIND,
        a.version,
        expires,
        &next.to_body(),
        &by,
    )
    .map_err(|e| CliError::cli("cli.region_sign", e))?;
    // Signed by a threshold of its own keys, and (with --root) following
    // the root in force.
    let checked = match &a.root {
        Some(root) => {
            let trusted = root_in_force(root, &read_roots(&a.roots)?)?;
            envelope::update_root(&trusted, &document).map(|_| ())
        }
        None => Root::pinned_document(&document).map(|_| ()),
    };
    settle(
        checked.map_err(|e| e.reason()),
        a.partial,
        &a.out,
        &document,
        "root",
    )?;
    say!(
        "wrote {}: root version {}, {} of {} keys, expires {}",
        a.out.display(),
        a.version,
        a.threshold,
        next.keys().len(),
        utc(expires)
    );
    if a.root.is_none() {
        say!("not checked against the root in force: pass --root (and --roots) for that");
    }
    Ok(())
}

/// Writes `document` when its check passed, or when only signatures are
/// missing and `partial` allows that; refuses otherwise.
fn settle(
    checked: Result<(), &str>,
    partial: bool,
    out: &Path,
    document: &str,
    what: &str,
) -> CliResult {
    match checked {
        Ok(()) => write_document(Some(out), document),
        Err("threshold_not_met") if partial => {
            write_document(Some(out), document)?;
            say!("too few keys have signed yet: have the others `palmgov region cosign` it");
            Ok(())
        }
        Err(reason) => Err(CliError::cli(
            "cli.region_refused",
            format!("the signed {what} would be refused ({what}.{reason}); nothing written"),
        )),
    }
}

struct Sign {
    body: PathBuf,
    version: u64,
    expires: String,
    keys: Vec<PathBuf>,
    root: Option<PathBuf>,
    roots: Vec<PathBuf>,
    partial: bool,
    out: Option<PathBuf>,
}

fn sign(a: Sign) -> CliResult {
    let expires = parse_expiry(&a.expires)?;
    let body = read_json(&a.body)?;
    let signers = a
        .keys
        .iter()
        .map(|p| signer(p))
        .collect::<CliResult<Vec<_>>>()?;
    let by: Vec<&dyn Signer> = signers.iter().map(|s| s.as_ref()).collect();
    let document = envelope::sign(PROFILE_KIND, a.version, expires, &body, &by)
        .map_err(|e| CliError::cli("cli.region_sign", e))?;
    // The body, by the core's rules, under the signing keys themselves.
    let own: Vec<String> = signers
        .iter()
        .map(|s| s.public_key().to_jwk().to_string())
        .collect();
    verify_document(&own, 1, &[], &document, now()).map_err(|reason| {
        CliError::cli(
            "cli.region_refused",
            format!("the profile would be refused ({reason}); nothing written"),
        )
    })?;
    let mut threshold_met = true;
    if let Some(root) = &a.root {
        let (keys, threshold) = read_root(root)?;
        match verify_document(&keys, threshold, &read_roots(&a.roots)?, &document, now()) {
            Ok(_) => {}
            Err(reason) if reason == "profile.threshold_not_met" && a.partial => {
                threshold_met = false;
            }
            Err(reason) => {
                return Err(CliError::cli(
                    "cli.region_refused",
                    format!(
                        "the profile would be refused under {} ({reason}); nothing written",
                        root.display()
                    ),
                ));
            }
        }
    }
    write_document(a.out.as_deref(), &document)?;
    let signed_by = signers.len();
    match &a.out {
        Some(out) => tell!(
            "wrote {}: profile version {}, signed by {signed_by} key{}, expires {}",
            out.display(),
            a.version,
            if signed_by == 1 { "" } else { "s" },
            utc(expires)
        ),
        None => tell!("profile version {}, expires {}", a.version, utc(expires)),
    }
    if a.root.is_none() {
        tell!("body checked; the threshold not checked: pass --root for that");
    }
    if !threshold_met {
        tell!("too few keys have signed yet: have the others `palmgov region cosign` it");
    }
    Ok(())
}

fn cosign(keys: &[PathBuf], document: &Path, out: Option<&Path>) -> CliResult {
    let text = read_text(document)?;
    let signers = keys
        .iter()
        .map(|p| signer(p))
        .collect::<CliResult<Vec<_>>>()?;
    let by: Vec<&dyn Signer> = signers.iter().map(|s| s.as_ref()).collect();
    let signed = envelope::cosign(text.trim(), &by).map_err(|e| {
        CliError::cli(
            "cli.region_sign",
            format!("{}: {e} ({})", document.display(), e.reason()),
        )
    })?;
    let out = out.unwrap_or(document);
    write_document(Some(out), &signed)?;
    let count = serde_json::from_str::<Value>(&signed)
        .ok()
        .and_then(|v| v["signatures"].as_array().map(Vec::len))
        .unwrap_or(0);
    say!("wrote {}: {count} signatures", out.display());
    Ok(())
}

fn verify(root: &Path, roots: &[PathBuf], profile: &Path) -> CliResult {
    let (keys, threshold) = read_root(root)?;
    let document = read_text(profile)?;
    let v = verify_document(
        &keys,
        threshold,
        &read_roots(roots)?,
        document.trim(),
        now(),
    )
    .map_err(|reason| {
        CliError::cli(
            "cli.region_refused",
            format!("{}: refused: {reason}", profile.display()),
        )
    })?;
    print_profile(&v);
    Ok(())
}

fn print_profile(v: &Verified) {
    let p = &v.profile;
    say!("version: {}", v.version);
    say!("expires: {}", utc(v.expires));
    say!(
        "stale: {}",
        if v.stale {
            "yes (past its expiry: the apps keep it and refresh)"
        } else {
            "no"
        }
    );
    let names: Vec<String> = p
        .region
        .names
        .iter()
        .map(|(lang, name)| format!("{lang}: {name}"))
        .collect();
    say!("region: {} ({})", p.region.code, names.join(", "));
    say!("base_url: {}", p.api.base_url);
    match &p.identity {
        Some(i) => say!(
            "issuer: {} (client {}, redirect {})",
            i.issuer,
            i.client_id,
            i.redirect_uri
        ),
        None => say!("issuer: none"),
    }
    say!(
        "languages: {} (default {}, fallback {})",
        p.languages.offered.join(", "),
        p.languages.default,
        p.languages.fallback.join(", ")
    );
    say!("services: {}", p.services.join(", "));
    say!("app: {} from {}", p.app.ids.join(", "), p.app.min_version);
    say!(
        "licence trust: {} of {} roots",
        p.licence_trust.threshold,
        p.licence_trust.roots.len()
    );
}

// --- check ------------------------------------------------------------------------------

/// `regions/<code>/build.json`, the parts the profile must agree with.
struct Build {
    region_code: String,
    app_id: String,
    names: BTreeMap<String, String>,
    languages: Vec<String>,
    default_language: String,
    redirect: Redirect,
    root_keys: String,
    version_name: String,
}

struct Redirect {
    scheme: Option<String>,
    app_link_domain: Option<String>,
}

fn read_build(path: &Path) -> CliResult<Build> {
    let b = read_json(path)?;
    let bad = |what: &str| CliError::cli("cli.file", format!("{}: {what}", path.display()));
    let text = |v: &Value, what: &str| v.as_str().map(String::from).ok_or_else(|| bad(what));
    let strings = |v: &Value, what: &str| -> CliResult<Vec<String>> {
        v.as_array()
            .ok_or_else(|| bad(what))?
            .iter()
            .map(|s| text(s, what))
            .collect()
    };
    let names = b["names"]
        .as_object()
        .ok_or_else(|| bad("names is not an object"))?
        .iter()
        .map(|(lang, name)| Ok((lang.clone(), text(name, "a name is not text")?)))
        .collect::<CliResult<_>>()?;
    let optional = |key: &str| -> CliResult<Option<String>> {
        match &b["redirect"][key] {
            Value::Null => Ok(None),
            v => text(v, "redirect values are text").map(Some),
        }
    };
    Ok(Build {
        region_code: text(&b["region_code"], "no region_code")?,
        app_id: text(&b["app_id"], "no app_id")?,
        names,
        languages: strings(&b["languages"], "languages is not a list of tags")?,
        default_language: text(&b["default_language"], "no default_language")?,
        redirect: Redirect {
            scheme: optional("scheme")?,
            app_link_domain: optional("app_link_domain")?,
        },
        root_keys: text(&b["root_keys"], "no root_keys")?,
        version_name: text(&b["version"]["name"], "no version.name")?,
    })
}

/// The lines of `check` and its first problem.
struct Checks {
    problem: Option<(&'static str, String)>,
}

impl Checks {
    fn ok(&self, what: &str, detail: impl std::fmt::Display) {
        say!("ok    {what}: {detail}");
    }

    fn warn(&self, what: &str, detail: impl std::fmt::Display) {
        say!("warn  {what}: {detail}");
    }

    fn fail(&mut self, code: &'static str, what: &str, detail: impl std::fmt::Display) {
        let line = format!("{what}: {detail}");
        say!("FAIL  {line}");
        self.problem.get_or_insert((code, line));
    }

    fn agree(&mut self, what: &str, agreed: Result<String, String>) {
        match agreed {
            Ok(detail) => self.ok(what, detail),
            Err(detail) => self.fail("cli.region_mismatch", what, detail),
        }
    }
}

fn check(dir: &Path) -> CliResult {
    let mut c = Checks { problem: None };
    let build = read_build(&dir.join("build.json"))?;
    c.ok(
        "build.json",
        format!("region {}, app {}", build.region_code, build.app_id),
    );
    let root_path = dir.join(&build.root_keys);
    let (keys, threshold) = read_root(&root_path)?;
    c.ok(
        &build.root_keys,
        format!("{threshold} of {} keys must sign", keys.len()),
    );
    let profile_text = read_text(&dir.join("profile.json"))?;
    let verified = match verify_document(&keys, threshold, &[], profile_text.trim(), now()) {
        Ok(v) => {
            c.ok(
                "profile.json",
                format!(
                    "version {}, expires {}, verified under {}",
                    v.version,
                    utc(v.expires),
                    build.root_keys
                ),
            );
            if v.stale {
                c.warn(
                    "profile.json",
                    "past its expiry: the apps run it marked stale; re-sign before a release",
                );
            }
            Some(v)
        }
        Err(reason) => {
            c.fail(
                "cli.region_refused",
                "profile.json",
                format!("refused: {reason}"),
            );
            None
        }
    };
    if let Some(v) = &verified {
        check_trust_list(&mut c, dir, v);
    }
    if let Some(v) = &verified {
        agreement(&mut c, &build, v);
    }
    check_catalog(&mut c, dir, &build.region_code, verified.as_ref());
    match c.problem {
        None => {
            say!("{}: the build and its profile agree", dir.display());
            Ok(())
        }
        Some((code, line)) => Err(CliError::cli(code, format!("{}: {line}", dir.display()))),
    }
}

fn check_trust_list(c: &mut Checks, dir: &Path, v: &Verified) {
    let text = match std::fs::read_to_string(dir.join("trust-list.json")) {
        Ok(text) => text,
        Err(e) => return c.fail("cli.file", "trust-list.json", e),
    };
    let t = &v.profile.licence_trust;
    let root = t
        .roots
        .iter()
        .map(PublicKey::from_jwk)
        .collect::<Result<Vec<_>, _>>()
        .ok()
        .and_then(|keys| Root::pinned(keys, t.threshold as usize, 1).ok());
    let Some(root) = root else {
        return c.fail(
            "cli.region_refused",
            "trust-list.json",
            "the profile's licence roots are unusable",
        );
    };
    match envelope::open(&root, TRUST_LIST_KIND, text.trim(), None, now()) {
        Ok(opened) => {
            let issuers = opened.body["issuers"].as_array();
            let lists = opened.body["status_lists"].as_array();
            match (issuers, lists) {
                (Some(issuers), Some(_)) => {
                    c.ok(
                        "trust-list.json",
                        format!(
                            "version {}, {} issuers, expires {}, under the profile's licence roots ({} of {})",
                            opened.version,
                            issuers.len(),
                            utc(opened.expires),
                            t.threshold,
                            t.roots.len()
                        ),
                    );
                    if opened.stale {
                        c.warn("trust-list.json", "past its expiry: sign a fresh one");
                    }
                }
                _ => c.fail(
                    "cli.region_refused",
                    "trust-list.json",
                    "refused: trust_list.body (no issuers or status_lists)",
                ),
            }
        }
        Err(e) => c.fail(
            "cli.region_refused",
            "trust-list.json",
            format!("refused: trust_list.{}", e.reason()),
        ),
    }
}

/// Lowercase hex SHA-256, as the catalog names and pins its files.
fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest
        .as_ref()
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// A chunk as `catalog/manifest.json` lists it (docs/catalog.md).
struct ChunkEntry {
    sha256: String,
    bytes: u64,
    raw_bytes: u64,
}

/// The manifest's region code and chunks, or what is wrong with its shape.
fn read_manifest(bytes: &[u8]) -> Result<(String, u64, Vec<ChunkEntry>), String> {
    let m: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if m["format"].as_u64() != Some(1) {
        return Err("format is not 1".into());
    }
    let region_code = m["region_code"].as_str().ok_or("no region_code")?;
    let version = m["version"].as_u64().ok_or("no version")?;
    let chunks = m["chunks"].as_array().ok_or("no chunks")?;
    let mut entries = Vec::with_capacity(chunks.len());
    for (i, chunk) in chunks.iter().enumerate() {
        let sha256 = chunk["sha256"].as_str().unwrap_or_default();
        let hex = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let kind_ok = match chunk["kind"].as_str() {
            Some("index") => i == 0,
            Some("guides") => i > 0,
            _ => false,
        };
        match (
            hex,
            kind_ok,
            chunk["bytes"].as_u64(),
            chunk["raw_bytes"].as_u64(),
        ) {
            (true, true, Some(bytes), Some(raw_bytes)) => entries.push(ChunkEntry {
                sha256: sha256.to_string(),
                bytes,
                raw_bytes,
            }),
            _ => {
                return Err(format!(
                    "chunk {i} is not an entry of the format (the index first, then guides; \
                     lowercase hex sha256, bytes, raw_bytes)"
                ));
            }
        }
    }
    if entries.is_empty() {
        return Err("no chunks".into());
    }
    Ok((region_code.to_string(), version, entries))
}

/// The bundled service catalog, `catalog/` (docs/catalog.md), as the app
/// takes it at first start: the manifest for the build's region, every chunk
/// it lists present and hashing to its name (which is the manifest's entry)
/// with the sizes given, nothing else in the folder (the builds bundle all
/// of it), and the manifest the one the profile pins.
fn check_catalog(c: &mut Checks, dir: &Path, region_code: &str, v: Option<&Verified>) {
    const MANIFEST: &str = "catalog/manifest.json";
    let catalog = dir.join("catalog");
    let manifest = match std::fs::read(catalog.join("manifest.json")) {
        Ok(bytes) => bytes,
        Err(e) => return c.fail("cli.file", MANIFEST, e),
    };
    let manifest_sha256 = sha256_hex(&manifest);
    let (code, version, chunks) = match read_manifest(&manifest) {
        Ok(read) => read,
        Err(e) => {
            return c.fail(
                "cli.region_refused",
                MANIFEST,
                format!("refused: catalog.manifest_shape ({e})"),
            );
        }
    };
    if code != region_code {
        c.fail(
            "cli.region_mismatch",
            MANIFEST,
            format!("for region {code}, the build is {region_code}"),
        );
    } else {
        c.ok(
            MANIFEST,
            format!(
                "region {code}, version {version}, {} chunks, SHA-256 {manifest_sha256}",
                chunks.len()
            ),
        );
    }

    // Every listed chunk, and nothing else.
    let mut listed = BTreeSet::new();
    let mut sound = true;
    let (mut bytes, mut raw_bytes) = (0u64, 0u64);
    for chunk in &chunks {
        let name = format!("{}.zlib", chunk.sha256);
        let what = format!("catalog/chunks/{name}");
        if !listed.insert(name.clone()) {
            sound = false;
            c.fail(
                "cli.region_refused",
                &what,
                "refused: catalog.manifest_chunks (listed twice)",
            );
            continue;
        }
        let data = match std::fs::read(catalog.join("chunks").join(&name)) {
            Ok(data) => data,
            Err(e) => {
                sound = false;
                c.fail("cli.file", &what, format!("listed by the manifest: {e}"));
                continue;
            }
        };
        let hash = sha256_hex(&data);
        let problem = if hash != chunk.sha256 {
            Some(format!(
                "refused: catalog.chunk_hash (its SHA-256 is {hash})"
            ))
        } else if data.len() as u64 != chunk.bytes {
            Some(format!(
                "refused: catalog.chunk_hash ({} bytes, the manifest says {})",
                data.len(),
                chunk.bytes
            ))
        } else {
            let limit = usize::try_from(chunk.raw_bytes).unwrap_or(usize::MAX);
            match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&data, limit) {
                Ok(raw) if raw.len() as u64 == chunk.raw_bytes => None,
                Ok(raw) => Some(format!(
                    "refused: catalog.chunk_inflate ({} bytes inflated, the manifest says {})",
                    raw.len(),
                    chunk.raw_bytes
                )),
                Err(_) => Some(format!(
                    "refused: catalog.chunk_inflate (not zlib, or more than the manifest's {} bytes)",
                    chunk.raw_bytes
                )),
            }
        };
        match problem {
            Some(problem) => {
                sound = false;
                c.fail("cli.region_refused", &what, problem);
            }
            None => {
                bytes += chunk.bytes;
                raw_bytes += chunk.raw_bytes;
            }
        }
    }
    let mut stray = Vec::new();
    match std::fs::read_dir(&catalog) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name != "manifest.json" && name != "chunks" {
                    stray.push(format!("catalog/{name}"));
                }
            }
        }
        Err(e) => stray.push(format!("catalog/ ({e})")),
    }
    match std::fs::read_dir(catalog.join("chunks")) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !listed.contains(&name) {
                    stray.push(format!("catalog/chunks/{name}"));
                }
            }
        }
        Err(e) => stray.push(format!("catalog/chunks/ ({e})")),
    }
    stray.sort();
    for what in &stray {
        sound = false;
        c.fail(
            "cli.region_refused",
            what,
            "not listed by the manifest (the build bundles the whole catalog folder)",
        );
    }
    if sound {
        c.ok(
            "catalog/chunks",
            format!(
                "{} chunks, each hashing to its name and of the manifest's sizes ({bytes} bytes, {raw_bytes} inflated)",
                chunks.len()
            ),
        );
    }

    // The profile pins the manifest; the core refuses any other.
    let Some(v) = v else { return };
    match &v.profile.catalog {
        Some(pin) if pin.manifest_sha256 == manifest_sha256 => c.ok(
            "catalog",
            format!("pinned by the profile (manifest SHA-256 {manifest_sha256})"),
        ),
        Some(pin) => c.fail(
            "cli.region_mismatch",
            "catalog",
            format!(
                "the profile pins manifest SHA-256 {}, the bundled manifest's is {manifest_sha256}: \
                 set catalog.manifest_sha256 in profile.body.json and sign again",
                pin.manifest_sha256
            ),
        ),
        None => c.fail(
            "cli.region_mismatch",
            "catalog",
            "the profile names no catalog, the build bundles one",
        ),
    }
}

/// Whether `redirect_uri` is what the build registers with the OS.
fn redirect_agrees(redirect: &Redirect, redirect_uri: &str) -> Result<String, String> {
    match (&redirect.scheme, &redirect.app_link_domain) {
        (Some(scheme), None) => {
            let used = redirect_uri.split_once(':').map(|(s, _)| s);
            if used.is_some_and(|s| s.eq_ignore_ascii_case(scheme)) {
                Ok(format!("{redirect_uri} uses the build's scheme {scheme}"))
            } else {
                Err(format!(
                    "the profile's redirect_uri {redirect_uri} does not use the build's scheme {scheme}"
                ))
            }
        }
        (None, Some(domain)) => {
            let host = redirect_uri
                .strip_prefix("https://")
                .and_then(|rest| rest.split_once('/'))
                .map(|(host, _)| host);
            if host.is_some_and(|h| h.eq_ignore_ascii_case(domain)) {
                Ok(format!("{redirect_uri} is on the build's App Link domain"))
            } else {
                Err(format!(
                    "the profile's redirect_uri {redirect_uri} is not https://{domain}/…, the build's App Link domain"
                ))
            }
        }
        _ => Err("build.json's redirect needs exactly one of scheme and app_link_domain".into()),
    }
}

fn agreement(c: &mut Checks, build: &Build, v: &Verified) {
    let p = &v.profile;
    c.agree(
        "region_code",
        if p.region.code == build.region_code {
            Ok(format!("{} in both", p.region.code))
        } else {
            Err(format!(
                "the build is {}, the profile {}",
                build.region_code, p.region.code
            ))
        },
    );
    c.agree(
        "app_id",
        if p.app.ids.contains(&build.app_id) {
            Ok(format!("{} is one of the profile's app ids", build.app_id))
        } else {
            Err(format!(
                "{} is not among the profile's app ids ({})",
                build.app_id,
                p.app.ids.join(", ")
            ))
        },
    );
    match &p.identity {
        Some(identity) => c.agree(
            "redirect",
            redirect_agrees(&build.redirect, &identity.redirect_uri),
        ),
        None => c.ok("redirect", "the profile names no identity provider"),
    }
    let built: BTreeSet<&String> = build.languages.iter().collect();
    let offered: BTreeSet<&String> = p.languages.offered.iter().collect();
    let list = |set: &BTreeSet<&String>| {
        set.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    c.agree(
        "languages",
        if built == offered {
            Ok(list(&built))
        } else {
            Err(format!(
                "the build has {}, the profile offers {}",
                list(&built),
                list(&offered)
            ))
        },
    );
    c.agree(
        "default_language",
        if build.default_language == p.languages.default {
            Ok(format!("{} in both", p.languages.default))
        } else {
            Err(format!(
                "the build's is {}, the profile's {}",
                build.default_language, p.languages.default
            ))
        },
    );
    let unnamed: Vec<&str> = build
        .languages
        .iter()
        .filter(|lang| build.names.get(*lang).is_none_or(|n| n.trim().is_empty()))
        .map(String::as_str)
        .collect();
    c.agree(
        "names",
        if unnamed.is_empty() {
            // The profile's region and branding names for every offered
            // language were checked when it was verified.
            Ok(format!(
                "the build and the profile name the app in {}",
                list(&built)
            ))
        } else {
            Err(format!("build.json has no name in {}", unnamed.join(", ")))
        },
    );
    c.agree(
        "min_version",
        if p.supports(&build.version_name) {
            Ok(format!(
                "the build {} runs the profile (from {})",
                build.version_name, p.app.min_version
            ))
        } else {
            Err(format!(
                "the profile needs app version {} or later, the build is {}",
                p.app.min_version, build.version_name
            ))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_dates() {
        assert_eq!(parse_expiry("1970-01-01").ok(), Some(86_399));
        assert_eq!(parse_expiry("2027-12-31").ok(), Some(1_830_297_599));
        assert_eq!(
            parse_expiry("2027-12-31T00:00:00Z").ok(),
            Some(1_830_211_200)
        );
        assert_eq!(utc(1_830_297_599), "2027-12-31T23:59:59Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        for bad in [
            "2027-02-30",
            "2027-13-01",
            "27-12-31",
            "2027-12-31T24:00:00Z",
            "2027-12-31T00:00:00",
            "tomorrow",
            "",
        ] {
            assert!(parse_expiry(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redirects() {
        let scheme = Redirect {
            scheme: Some("cn.gov.a.palmgov".into()),
            app_link_domain: None,
        };
        assert!(redirect_agrees(&scheme, "cn.gov.a.palmgov:/oauth2redirect").is_ok());
        assert!(redirect_agrees(&scheme, "cn.gov.b.palmgov:/oauth2redirect").is_err());
        let domain = Redirect {
            scheme: None,
            app_link_domain: Some("app.example.gov.cn".into()),
        };
        assert!(redirect_agrees(&domain, "https://app.example.gov.cn/oauth2redirect").is_ok());
        for bad in [
            "http://app.example.gov.cn/oauth2redirect",
            "https://app.example.gov.cn.evil.cn/oauth2redirect",
            "https://user@app.example.gov.cn/x",
            "https://app.example.gov.cn",
        ] {
            assert!(redirect_agrees(&domain, bad).is_err(), "{bad}");
        }
        let neither = Redirect {
            scheme: None,
            app_link_domain: None,
        };
        assert!(redirect_agrees(&neither, "x:/y").is_err());
    }
}
