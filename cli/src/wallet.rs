//! `palmgov wallet`: the signed-in person's e-licences (电子证照) from a
//! terminal. The CLI pins the reference backend's test trust roots
//! (`palmgov_server::wallet::test_root_keys`): it is a development tool.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use palmgov::{DisclosureProfile, LicenceVerdict, PalmGov, PresentationCheck};

use crate::{CliError, CliResult, block_on};

#[derive(Subcommand)]
pub(crate) enum WalletAction {
    /// The licences as last fetched (offline): identifier, type, validity,
    /// last verdict.
    List,
    /// One licence with every claim.
    Show { id: String },
    /// Fetch the licences again (bound to this device's key), with the
    /// trust list and the status lists.
    Refresh,
    /// Check one licence offline: signature, validity, status list.
    VerifyLicence { id: String },
    /// Fetch the trust list and status lists only.
    RefreshStatus,
    /// Show licence ID as a QR code (亮证), drawn in the terminal for light
    /// text on a dark background; each code is a new presentation, valid
    /// 60 s. Recorded in `wallet history`.
    Qr {
        id: String,
        /// What the code discloses.
        #[arg(long, value_enum, default_value_t = Profile::NameAge)]
        profile: Profile,
        /// Confirm that `--profile full` shows everything on the licence.
        #[arg(long)]
        confirm_full: bool,
        /// Write the code to FILE as a PNG (8 px a module) instead of
        /// drawing it; with `--codes` N > 1, FILE-1.png … FILE-N.png.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// How many successive codes to make.
        #[arg(long, value_name = "N", default_value_t = 1,
              value_parser = clap::value_parser!(u32).range(1..))]
        codes: u32,
    },
    /// Verifier mode: check a 亮证 code offline, once (a code seen before
    /// is refused), against the trust and status lists fetched by
    /// `refresh-status`. Takes the scanned text, or a PNG file holding the
    /// code. Exits 0 whatever the verdict.
    Verify {
        #[arg(value_name = "PAYLOAD-OR-PNG")]
        code: String,
    },
    /// What this person showed (亮证), newest first: local time
    /// (TZ_OFFSET_MIN), licence, profile, claims.
    History,
}

/// `--profile` of `wallet qr`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum Profile {
    /// Name and "over 18".
    NameAge,
    /// Name and the ID number's last four digits.
    #[value(name = "name-last4")]
    NameLast4,
    /// Name, ID number and address, for a household visit.
    HouseholdVisit,
    /// Everything on the licence; needs --confirm-full.
    Full,
}

impl From<Profile> for DisclosureProfile {
    fn from(p: Profile) -> Self {
        match p {
            Profile::NameAge => DisclosureProfile::NameAndAgeOver18,
            Profile::NameLast4 => DisclosureProfile::NameAndIdLast4,
            Profile::HouseholdVisit => DisclosureProfile::HouseholdVisit,
            Profile::Full => DisclosureProfile::Full,
        }
    }
}

/// A profile by its `--profile` name.
fn profile_name(p: DisclosureProfile) -> &'static str {
    match p {
        DisclosureProfile::NameAndAgeOver18 => "name-age",
        DisclosureProfile::NameAndIdLast4 => "name-last4",
        DisclosureProfile::HouseholdVisit => "household-visit",
        DisclosureProfile::Full => "full",
        // A verifier's request (two-way): its items, as history lists them.
        DisclosureProfile::AsRequested => "as-requested",
    }
}

/// The wallet configuration the CLI runs with: the reference backend's
/// test roots.
pub(crate) fn test_config() -> palmgov::WalletConfig {
    let (roots, threshold) = palmgov_server::wallet::test_root_keys();
    palmgov::WalletConfig {
        trust_roots: roots.iter().map(|k| k.to_string()).collect(),
        trust_threshold: threshold,
        bundled_trust_list: None,
        status_max_age_secs: 3 * 24 * 3600,
    }
}

/// A verdict as one word and its detail.
pub(crate) fn verdict(v: &LicenceVerdict) -> String {
    match v {
        LicenceVerdict::Valid => "valid".into(),
        LicenceVerdict::Expired => "expired".into(),
        LicenceVerdict::Revoked => "revoked".into(),
        LicenceVerdict::Suspended => "suspended".into(),
        LicenceVerdict::Undetermined {
            reason,
            list_age_secs,
        } => match list_age_secs {
            Some(age) => format!("undetermined ({reason}, list {age} s old)"),
            None => format!("undetermined ({reason})"),
        },
        LicenceVerdict::Invalid { reason } => format!("invalid ({reason})"),
    }
}

pub(crate) fn wallet(gov: &PalmGov, action: WalletAction, lang: &str) -> CliResult {
    block_on(gov.unlock("palmgov wallet".into()))?;
    let wallet = gov.wallet();
    match action {
        WalletAction::List => {
            for l in block_on(wallet.licences(lang.into()))? {
                say!(
                    "{}\t{}\t{}..{}\t{}\t{:?}",
                    l.id,
                    l.display_name,
                    l.valid_from,
                    l.valid_until,
                    verdict(&l.verdict),
                    l.freshness
                );
            }
        }
        WalletAction::Show { id } => {
            let detail = block_on(wallet.licence(id, lang.into()))?;
            say!("{} ({})", detail.summary.display_name, detail.issuer);
            for c in detail.claims {
                say!("  {}: {}", c.name, c.value_json);
            }
        }
        WalletAction::Refresh => {
            let r = block_on(wallet.refresh(None))?;
            say!(
                "{} licence(s) fetched, {} refused, {} kept as they were",
                r.fetched,
                r.refused,
                r.kept
            );
        }
        WalletAction::VerifyLicence { id } => {
            say!("{}", verdict(&block_on(wallet.verify_licence(id))?));
        }
        WalletAction::RefreshStatus => {
            say!(
                "{} status list(s) refreshed",
                block_on(wallet.refresh_status(None))?
            );
        }
        WalletAction::Qr {
            id,
            profile,
            confirm_full,
            png,
            codes,
        } => show(gov, id, profile.into(), confirm_full, png.as_deref(), codes)?,
        WalletAction::Verify { code } => {
            let payload = payload_of(&code)?;
            print_check(&block_on(wallet.check_presentation(payload, lang.into()))?);
        }
        WalletAction::History => {
            let names: std::collections::HashMap<String, String> =
                block_on(wallet.licences(lang.into()))?
                    .into_iter()
                    .map(|l| (l.licence_type, l.display_name))
                    .collect();
            let history = block_on(wallet.history())?;
            if history.is_empty() {
                say!("nothing shown yet");
            }
            for r in history {
                let name = names.get(&r.licence_type).unwrap_or(&r.licence_type);
                let mut line = format!(
                    "{}\t{name}\t{}\t{}",
                    local_time(r.shown_at_ms),
                    profile_name(r.profile),
                    r.claims.join(", ")
                );
                if let Some(verifier) = r.verifier {
                    line.push_str(&format!("\tasked by {verifier}"));
                }
                say!("{line}");
            }
        }
    }
    Ok(())
}

/// `wallet qr`: shows licence `id`, `codes` codes one after the other.
fn show(
    gov: &PalmGov,
    id: String,
    profile: DisclosureProfile,
    confirm_full: bool,
    png: Option<&Path>,
    codes: u32,
) -> CliResult {
    let showing = block_on(gov.wallet().show_licence(
        id,
        profile,
        confirm_full,
        "Show a licence (亮证)".into(),
    ))?;
    for n in 1..=codes {
        let code = block_on(showing.code())?;
        if n > 1 {
            say!();
        }
        say!("{}", code.payload);
        say!("claims: {}", code.claims.join(", "));
        say!(
            "QR version {} ({}×{} modules), {} characters",
            code.version,
            code.width,
            code.width,
            code.payload.len()
        );
        say!(
            "valid {} .. {} (next code from {})",
            local_time(code.made_at_ms),
            local_time(code.expires_at_ms),
            local_time(code.refresh_at_ms)
        );
        let width = code.width as usize;
        match png {
            Some(file) => {
                let file = numbered(file, n, codes);
                crate::qr::save_png(&file, width, &code.modules)?;
                say!("written to {}", file.display());
            }
            None => {
                let columns = width + 2 * crate::qr::QUIET;
                if n == 1 && columns > 80 {
                    tell!(
                        "the code is {columns} columns wide: widen the terminal, or use --png FILE"
                    );
                }
                for line in crate::qr::terminal(width, &code.modules) {
                    say!("{line}");
                }
            }
        }
    }
    Ok(())
}

/// `file`, or `file-N.ext` when there are several codes.
fn numbered(file: &Path, n: u32, of: u32) -> PathBuf {
    if of == 1 {
        return file.to_path_buf();
    }
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let name = match file.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    file.with_file_name(name)
}

/// The payload `wallet verify` checks: the QR code in a PNG file, or the
/// text itself. A `.png` name that is no file is an error, not a payload
/// (Base45 has no lower-case letters).
pub(crate) fn payload_of(arg: &str) -> CliResult<String> {
    let path = Path::new(arg);
    let png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if png && (path.is_file() || !arg.starts_with("PG1:")) {
        crate::qr::read_code(path)
    } else if arg.trim().is_empty() {
        Err(CliError::cli("cli.usage", "no code to check"))
    } else {
        Ok(arg.to_string())
    }
}

/// What verifier mode found, for the clerk.
pub(crate) fn print_check(check: &PresentationCheck) {
    say!("{}", verdict(&check.verdict));
    if check.licence_type.is_empty() {
        return;
    }
    say!("{} ({})", check.display_name, check.licence_type);
    say!("issued by {}", check.issuer);
    say!(
        "licence valid {} .. {}",
        check.valid_from,
        check.valid_until
    );
    for c in &check.claims {
        say!("  {}: {}", c.name, claim_value(&c.value_json));
    }
    if check.shown_at_ms > 0 {
        say!("shown {}", local_time(check.shown_at_ms));
    }
}

/// A claim's JSON value as a person reads it: text without its quotes.
pub(crate) fn claim_value(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::String(s)) => s,
        _ => json.to_string(),
    }
}

/// `YYYY-MM-DD HH:MM:SS +HH:MM` in the terminal's offset
/// (`TZ_OFFSET_MIN`, else UTC).
pub(crate) fn local_time(ms: i64) -> String {
    format_time(ms, crate::output::local_offset_min())
}

pub(crate) fn format_time(ms: i64, offset_min: i32) -> String {
    let secs = ms.div_euclid(1000) + i64::from(offset_min) * 60;
    let (days, day_secs) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let date = i32::try_from(days)
        .ok()
        .and_then(palmgov_credentials::compact::days_to_date)
        .unwrap_or_else(|| "????-??-??".into());
    let sign = if offset_min < 0 { '-' } else { '+' };
    let off = offset_min.unsigned_abs();
    format!(
        "{date} {:02}:{:02}:{:02} {sign}{:02}:{:02}",
        day_secs / 3600,
        day_secs / 60 % 60,
        day_secs % 60,
        off / 60,
        off % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_the_terminal_offset() {
        assert_eq!(format_time(0, 0), "1970-01-01 00:00:00 +00:00");
        // 2026-12-07 15:54:49.5 UTC.
        let ms = 1_796_658_889_500;
        assert_eq!(format_time(ms, 480), "2026-12-07 23:54:49 +08:00");
        assert_eq!(format_time(ms, -330), "2026-12-07 10:24:49 -05:30");
        assert_eq!(
            format_time(951_782_400_000, 0),
            "2000-02-29 00:00:00 +00:00"
        );
    }

    #[test]
    fn several_codes_go_to_numbered_files() {
        let file = Path::new("/tmp/card.png");
        assert_eq!(numbered(file, 1, 1), file);
        assert_eq!(numbered(file, 2, 3), Path::new("/tmp/card-2.png"));
        assert_eq!(numbered(Path::new("code"), 1, 2), Path::new("code-1"));
    }

    #[test]
    fn a_payload_is_text_unless_it_names_a_png() {
        assert!(matches!(payload_of("PG1:ABC"), Ok(p) if p == "PG1:ABC"));
        assert!(matches!(
            payload_of("missing.png"),
            Err(CliError::Cli {
                code: "cli.file",
                ..
            })
        ));
        assert!(matches!(
            payload_of(" "),
            Err(CliError::Cli {
                code: "cli.usage",
                ..
            })
        ));
        assert_eq!(claim_value("\"陈丽华\""), "陈丽华");
        assert_eq!(claim_value("true"), "true");
    }
}
