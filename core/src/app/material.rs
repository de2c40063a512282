//! A household visit's licence prefill, which spans the wallet (verifier
//! mode) and drafts: the worker's app checks the 亮证 code the resident
//! shows, and the claims it disclosed fill the resident's form, with the
//! resident's consent recorded in the draft. The worker's own wallet is
//! never a source for someone else's form.

use serde_json::{Map, Value};

use super::App;
use crate::drafts::{PrefilledValue, SaveEffects, ShownLicence};
use crate::error::Result;
use crate::gate::Unlocked;
use crate::wallet::{LicenceVerdict, PresentationCheck};

/// What a shown code did to a resident's draft: the verifier's check, and
/// when it held, what it filled.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct ShownLicencePrefill {
    pub check: PresentationCheck,
    /// Empty unless the code held.
    pub prefilled: Vec<PrefilledValue>,
    pub effects: Option<SaveEffects>,
}

/// Checks `payload` (a scanned code, offline) and fills draft `draft_id`
/// from it when its signatures and validity hold. A status the phone
/// cannot confirm offline (no fresh status list) still fills: the values
/// are the issuer's, and the backend checks the submission.
pub(crate) fn prefill_from_code(
    app: &App,
    unlocked: &Unlocked,
    draft_id: &str,
    payload: &str,
    language: &str,
) -> Result<ShownLicencePrefill> {
    // The draft's own checks first: checking the code uses it up.
    app.drafts.may_take_shown(unlocked, draft_id)?;
    let check = app
        .wallet
        .check_presentation(unlocked, payload, language, None)?;
    let holds = matches!(
        check.verdict,
        LicenceVerdict::Valid | LicenceVerdict::Undetermined { .. }
    );
    if !holds || check.claims.is_empty() {
        return Ok(ShownLicencePrefill {
            check,
            prefilled: Vec::new(),
            effects: None,
        });
    }
    let claims: Map<String, Value> = check
        .claims
        .iter()
        .filter_map(|c| Some((c.name.clone(), serde_json::from_str(&c.value_json).ok()?)))
        .collect();
    let shown = ShownLicence {
        licence_type: check.licence_type.clone(),
        claims,
    };
    let (effects, prefilled) = app
        .drafts
        .apply_shown(unlocked, draft_id, &shown, language)?;
    Ok(ShownLicencePrefill {
        check,
        prefilled,
        effects: Some(effects),
    })
}
