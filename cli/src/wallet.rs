//! `palmgov wallet`: the signed-in person's e-licences (电子证照) from a
//! terminal. The CLI pins the reference backend's test trust roots
//! (`palmgov_server::wallet::test_root_keys`): it is a development tool.

use clap::Subcommand;
use palmgov::{LicenceVerdict, PalmGov};

use crate::{CliResult, block_on};

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
    }
    Ok(())
}
