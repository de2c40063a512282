//! E-licences attached to a submission as form material (申报材料): the
//! backend's check of each one when the submission arrives, and the
//! consents that travel with them.
//!
//! A `licence_ref` field that names a licence type (`"licence":
//! "household_register"`, `"disclose": [...]`) is answered with
//! `{"type", "number"}` (the licence identifier) and filled by attaching
//! the person's licence from the wallet: the submission carries, in
//! `licences`, one SD-JWT+KB presentation per such field, and in
//! `consents`, what the person agreed to share (claim names, never
//! values), with whom and why. A grid worker's prefill from a resident's
//! shown code is recorded there too (`"kind": "shown"`); it carries no
//! presentation, so only its shape is checked.
//!
//! The checks, and why each exists:
//!
//! - **Bounds** ([`MAX_LICENCES`], [`MAX_LICENCE_PRESENTATION`],
//!   [`MAX_CONSENTS`]): the body comes from any HTTP client; a licence
//!   presentation is about 2 KB, so anything far larger is not one.
//! - **One presentation per answered field, none elsewhere**: the answer
//!   only names a licence; without its presentation the service would take
//!   the person's word for it (`licence_missing`). A presentation nobody
//!   asked for is data the form does not need (`not_requested`).
//! - **Issuer signature against this backend's trust list**: the same
//!   issuer keys an app trusts ([`WalletService::trust_list`], opened under
//!   the pinned roots and their rotations), by `iss` and `kid`; a key of
//!   the list that is not authorised for the licence's type does not do.
//! - **Key binding**: the KB-JWT is signed by the holder key in `cnf`, so
//!   only the phone the licence was issued to can attach it; `sd_hash`
//!   ties it to exactly these disclosures; `aud` (the form id) and `nonce`
//!   (the instance id) tie it to this submission, so it cannot be replayed
//!   into another form or another submission.
//! - **Type and identifier**: the licence's `vct` and `licence_type` are
//!   the field's declared type, and its `licence_id` the answer's
//!   `number`: the answer the service files says what was verified.
//! - **Holder is the caller**: the licence was issued to the signed-in
//!   account (this backend's register of what it issued); a grid worker
//!   cannot attach a resident's licence to a form of their own, even with
//!   the resident's phone in hand.
//! - **Status**: the credential's entry in the backend's status list is
//!   valid, so a revoked or suspended licence (or one on a phone reported
//!   lost) is refused although its signature still verifies.
//! - **Disclosures equal the field's `disclose`**: a missing claim leaves
//!   the service without what the form needs; an extra one is data the
//!   person was not asked to share (data minimisation).
//! - **Consent**: every attached licence has the `attached` consent the
//!   person gave for it (same field, type, identifier, claim set, this
//!   form as recipient): what was shared is on record with the
//!   submission.
//! - **Freshness of `iat`**: a binding older than the backend's maximum age
//!   ([`DEFAULT_LICENCE_MAX_AGE`], `--licence-max-age`) is `licence_stale`,
//!   which the app answers by binding again under the same instance id; a
//!   binding more than [`IAT_FUTURE_SECS`] ahead of the server's clock is
//!   refused (`iat_future`): no phone's clock is that far off honestly.
//! - **Accepted once**: the SHA-256 of each accepted KB-JWT is recorded with
//!   the submission, in the same transaction; a presentation already
//!   recorded is `replayed`.
//!
//! Refusals name the field and a stable reason code, never a claim value.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::StatusCode;
use palmgov::forms::licence_types;
use palmgov::forms::submission::LicenceRequirement;
use palmgov_credentials::envelope;
use palmgov_credentials::jws::Compact;
use palmgov_credentials::keys::PublicKey;
use palmgov_credentials::sdjwt::{self, KbFault, PathSegment, SdJwtError, VerifyOptions};
use palmgov_credentials::status_list::{self, Status};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::store::sha256;
use crate::wallet::{self, WalletService};

/// The most licences one submission may attach.
pub const MAX_LICENCES: usize = 8;
/// The largest presentation accepted (a licence with key binding is about
/// 2 KB).
pub const MAX_LICENCE_PRESENTATION: usize = 16 * 1024;
/// The most consents one submission may carry.
pub const MAX_CONSENTS: usize = 32;
/// How far ahead of the server's clock a key binding's `iat` may be; also
/// the tolerance for the licence's own times.
pub const IAT_FUTURE_SECS: i64 = 300;
/// How old a key binding may be when its submission arrives, unless the
/// server is told otherwise (`FormsOptions::licence_max_age`).
pub const DEFAULT_LICENCE_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);
/// The longest maximum age the command line accepts.
const LONGEST_MAX_AGE: Duration = Duration::from_secs(366 * 24 * 3600);
/// The `vct` of a licence of type `name` is this followed by the name, as
/// [`WalletService::issue`] makes it.
const VCT_PREFIX: &str = "urn:palmgov:licence:";
/// Bounds on the consents' strings: names and times, licence identifiers
/// (about 80 characters), texts.
const MAX_NAME: usize = 64;
const MAX_ID: usize = 128;
const MAX_TEXT: usize = 1024;
const MAX_CLAIMS: usize = 32;

/// One licence attached to a submission: the field it answers and its
/// SD-JWT+KB presentation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttachedLicence {
    pub field: String,
    pub presentation: String,
}

/// One consent to a licence's use, as the app records it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Consent {
    pub kind: String,
    #[serde(default)]
    pub field: Option<String>,
    pub licence_type: String,
    #[serde(default)]
    pub licence_id: Option<String>,
    pub claims: Vec<String>,
    #[serde(default)]
    pub presentation_id: Option<String>,
    pub recipient: String,
    #[serde(default)]
    pub purpose: Option<String>,
    pub at: String,
}

/// What checking licences needs from the rest of the backend: the wallet
/// that issued them (its trust list, status list and register) and the
/// origin it issued them under (the status list's URI names it).
#[derive(Clone, Copy)]
pub struct Issuance<'a> {
    pub wallet: &'a WalletService,
    pub base: &'a str,
}

/// The part of a submission the checks read.
pub(crate) struct Submitted<'a> {
    pub subject: &'a str,
    pub instance_id: &'a str,
    pub form_id: &'a str,
    pub answers: &'a Map<String, Value>,
    pub licences: &'a [AttachedLicence],
    pub consents: &'a [Consent],
}

/// A presentation that passed: what is recorded with the submission.
#[derive(Debug, Clone)]
pub(crate) struct Accepted {
    pub field: String,
    pub licence_id: String,
    /// Hex SHA-256 of the KB-JWT: the key that makes it accepted once.
    pub kb_sha256: String,
}

/// Why the licences of a submission were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `licences` or `consents` is not of the shape the API describes.
    Malformed,
    /// A field answered with a licence has no presentation.
    Missing(String),
    /// A presentation (or its consent) does not pass; a stable reason.
    Invalid(String, &'static str),
    /// The key binding is older than the maximum age: bind again.
    Stale(String),
    /// The trust list or the status list could not be read.
    Internal,
}

impl Refusal {
    /// The API's reply for the refusal.
    pub(crate) fn reply(&self) -> (StatusCode, Value) {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match self {
            Self::Malformed => (unprocessable, json!({"error": "invalid_submission"})),
            Self::Missing(field) => (
                unprocessable,
                json!({"error": "licence_missing", "field": field}),
            ),
            Self::Invalid(field, reason) => (
                unprocessable,
                json!({"error": "licence_invalid", "field": field, "reason": reason}),
            ),
            Self::Stale(field) => (
                unprocessable,
                json!({"error": "licence_stale", "field": field}),
            ),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "internal"}),
            ),
        }
    }
}

/// Checks the shape of `licences` and `consents`, for any submission
/// (with or without licence fields): bounded, and every consent one the
/// API describes, addressed to this form.
pub(crate) fn check_shape(
    form_id: &str,
    licences: &[AttachedLicence],
    consents: &[Consent],
) -> Result<(), Refusal> {
    let name_ok = |s: &str| !s.is_empty() && s.len() <= MAX_NAME;
    let text_ok = |s: &str| s.len() <= MAX_TEXT;
    if licences.len() > MAX_LICENCES || consents.len() > MAX_CONSENTS {
        return Err(Refusal::Malformed);
    }
    if licences.iter().any(|l| !name_ok(&l.field)) {
        return Err(Refusal::Malformed);
    }
    for c in consents {
        let common = licence_types::by_name(&c.licence_type).is_some()
            && !c.claims.is_empty()
            && c.claims.len() <= MAX_CLAIMS
            && c.claims.iter().all(|claim| name_ok(claim))
            && name_ok(&c.recipient)
            && !c.at.is_empty()
            && c.at.len() <= MAX_NAME
            && c.purpose.as_deref().is_none_or(text_ok)
            && c.presentation_id.as_deref().is_none_or(name_ok)
            && c.licence_id
                .as_deref()
                .is_none_or(|id| !id.is_empty() && id.len() <= MAX_ID);
        let kind = match c.kind.as_str() {
            // Matched against its licence below; an attached licence's
            // consent names its field and identifier.
            "attached" => {
                c.field.as_deref().is_some_and(name_ok)
                    && c.licence_id.is_some()
                    && c.presentation_id.is_none()
            }
            // Shown to a grid worker for this form: nothing to verify.
            "shown" => c.field.is_none() && c.recipient == form_id,
            _ => false,
        };
        if !(common && kind) {
            return Err(Refusal::Malformed);
        }
    }
    Ok(())
}

/// Checks every licence `submitted` attaches against the form's
/// `requirements`, at `now` (unix seconds). `recorded` says whether a
/// KB-JWT (by its hex SHA-256) was accepted before. Returns what to record
/// with the submission.
pub(crate) fn verify(
    issuance: Issuance<'_>,
    requirements: &[LicenceRequirement],
    submitted: &Submitted<'_>,
    max_age: Duration,
    now: i64,
    recorded: &dyn Fn(&str) -> Result<bool, Refusal>,
) -> Result<Vec<Accepted>, Refusal> {
    check_shape(submitted.form_id, submitted.licences, submitted.consents)?;
    let answered = |r: &LicenceRequirement| {
        submitted
            .answers
            .get(&r.field)
            .is_some_and(|v| !v.is_null())
    };
    // Each presentation answers one requirement, answered, once.
    let mut seen = BTreeSet::new();
    for l in submitted.licences {
        if !requirements
            .iter()
            .any(|r| r.field == l.field && answered(r))
        {
            return Err(Refusal::Invalid(l.field.clone(), "not_requested"));
        }
        if !seen.insert(l.field.as_str()) {
            return Err(Refusal::Invalid(l.field.clone(), "duplicate"));
        }
    }
    let wanted: Vec<(&LicenceRequirement, &AttachedLicence)> = requirements
        .iter()
        .filter(|r| answered(r))
        .map(|r| {
            submitted
                .licences
                .iter()
                .find(|l| l.field == r.field)
                .map(|l| (r, l))
                .ok_or_else(|| Refusal::Missing(r.field.clone()))
        })
        .collect::<Result<_, _>>()?;
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let trust = Trust::load(issuance, now)?;
    let held = issuance.wallet.licences(submitted.subject);
    let max_age = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    let mut status_token: Option<String> = None;
    let mut accepted = Vec::with_capacity(wanted.len());
    for (requirement, licence) in wanted {
        let field = requirement.field.as_str();
        let invalid = |reason: &'static str| Refusal::Invalid(field.to_owned(), reason);
        let answer = &submitted.answers[field];
        if answer.get("type").and_then(Value::as_str) != Some(requirement.licence_type.as_str()) {
            return Err(invalid("answer_type"));
        }
        let number = answer.get("number").and_then(Value::as_str);
        let presentation = licence.presentation.as_str();
        if presentation.len() > MAX_LICENCE_PRESENTATION {
            return Err(invalid("too_large"));
        }
        // The KB-JWT is the part after the last `~`; without one, the
        // verification below refuses it (key binding is required).
        let kb_jwt = presentation.rsplit('~').next().unwrap_or_default();
        let kb_sha256 = sha256(kb_jwt.as_bytes());
        if !kb_jwt.is_empty() && recorded(&kb_sha256)? {
            return Err(invalid("replayed"));
        }

        let options = VerifyOptions {
            now,
            skew_secs: IAT_FUTURE_SECS,
            expect_typ: Some(sdjwt::TYP_SD_JWT_VC),
            key_binding: Some((submitted.form_id, submitted.instance_id)),
            // Judged below, so that a stale binding is told apart from a
            // bad one.
            max_kb_age_secs: i64::MAX / 4,
        };
        let verified = sdjwt::verify(presentation, &|h, p| trust.issuer_key(h, p), &options)
            .map_err(|e| invalid(sdjwt_reason(&e)))?;
        let claims = &verified.claims;

        // The declared type, from an issuer authorised for it.
        let kind = licence_types::by_name(&requirement.licence_type).ok_or(Refusal::Internal)?;
        let vct = format!("{VCT_PREFIX}{}", kind.name);
        let iss = claims
            .get("iss")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if claims.get("vct").and_then(Value::as_str) != Some(vct.as_str())
            || claims.get("licence_type").and_then(Value::as_str) != Some(kind.type_code)
            || !trust.authorises(iss, kind.name)
        {
            return Err(invalid("licence_type"));
        }
        let licence_id = claims
            .get(licence_types::LICENCE_ID)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("licence_id"))?;
        if number != Some(licence_id) {
            return Err(invalid("licence_id"));
        }
        // Issued to the caller, as this type.
        match held.iter().find(|(id, _, _)| id == licence_id) {
            Some((_, held_type, _)) if *held_type == kind.name => {}
            Some(_) => return Err(invalid("licence_type")),
            None => return Err(invalid("not_holder")),
        }
        // Its credential's entry in the status list.
        let entry = verified.status.as_ref().ok_or_else(|| invalid("status"))?;
        let list_key = trust
            .status_key(&entry.uri)
            .ok_or_else(|| invalid("status"))?;
        let token = match &status_token {
            Some(token) => token.clone(),
            None => {
                let token = issuance
                    .wallet
                    .status_list(issuance.base)
                    .map_err(|_| Refusal::Internal)?;
                status_token.insert(token).clone()
            }
        };
        let list = status_list::verify_token(&token, list_key, &entry.uri, now)
            .map_err(|_| Refusal::Internal)?;
        let idx = usize::try_from(entry.idx).map_err(|_| invalid("status"))?;
        match list.status(idx) {
            Ok(Status::Valid) => {}
            Ok(Status::Invalid) => return Err(invalid("revoked")),
            Ok(Status::Suspended) => return Err(invalid("suspended")),
            _ => return Err(invalid("status")),
        }
        // Exactly the claims the form needs.
        let mut disclosed = BTreeSet::new();
        for d in &verified.disclosed {
            match d.path.as_slice() {
                [PathSegment::Key(name)] => {
                    disclosed.insert(name.as_str());
                }
                _ => return Err(invalid("disclosure_extra")),
            }
        }
        let needed: BTreeSet<&str> = requirement.disclose.iter().map(String::as_str).collect();
        if !needed.is_subset(&disclosed) {
            return Err(invalid("disclosure_missing"));
        }
        if disclosed != needed {
            return Err(invalid("disclosure_extra"));
        }
        // The person's consent to exactly this.
        let consented = submitted.consents.iter().any(|c| {
            c.kind == "attached"
                && c.field.as_deref() == Some(field)
                && c.licence_type == kind.name
                && c.licence_id.as_deref() == Some(licence_id)
                && c.recipient == submitted.form_id
                && c.claims.iter().map(String::as_str).collect::<BTreeSet<_>>() == needed
        });
        if !consented {
            return Err(invalid("consent_missing"));
        }
        // Last: a stale binding that is otherwise good is worth binding
        // again; anything above is not.
        let iat = Compact::parse(kb_jwt)
            .ok()
            .and_then(|kb| kb.claims().ok())
            .and_then(|c| c.get("iat").and_then(Value::as_i64))
            .ok_or_else(|| invalid("kb_malformed"))?;
        if now.saturating_sub(iat) > max_age {
            return Err(Refusal::Stale(field.to_owned()));
        }
        accepted.push(Accepted {
            field: field.to_owned(),
            licence_id: licence_id.to_owned(),
            kb_sha256,
        });
    }
    Ok(accepted)
}

/// The stable reason for a presentation `sdjwt::verify` refused.
fn sdjwt_reason(e: &SdJwtError) -> &'static str {
    match e {
        SdJwtError::KeyBindingInvalid(fault) => match fault {
            // The maximum age is judged apart, so only a future `iat` is
            // left here.
            KbFault::Iat => "iat_future",
            KbFault::Aud => "aud",
            KbFault::Nonce => "nonce",
            KbFault::SdHash => "sd_hash",
            KbFault::Signature => "kb_signature",
            KbFault::NoHolderKey => "no_holder_key",
            KbFault::HolderKey => "holder_key",
            KbFault::Typ => "kb_typ",
            KbFault::Alg => "kb_alg",
            KbFault::Malformed => "kb_malformed",
        },
        SdJwtError::BadSignature => "signature",
        SdJwtError::UnknownIssuerKey => "unknown_issuer",
        other => other.reason(),
    }
}

/// What the backend's trust list says: the issuers with their keys and
/// types, and the status lists with theirs.
struct Trust {
    issuers: Vec<TrustedIssuer>,
    status_lists: Vec<(String, PublicKey)>,
}

struct TrustedIssuer {
    iss: String,
    /// `(kid, key)`.
    keys: Vec<(Option<String>, PublicKey)>,
    types: Vec<String>,
}

impl Trust {
    /// The wallet's trust list, opened as an app opens it: under the
    /// pinned test roots and the rotations the wallet publishes.
    fn load(issuance: Issuance<'_>, now: i64) -> Result<Self, Refusal> {
        let internal = |_| Refusal::Internal;
        let (roots, threshold) = wallet::test_root_keys();
        let roots = roots
            .iter()
            .map(PublicKey::from_jwk)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Refusal::Internal)?;
        let mut root = envelope::Root::pinned(roots, threshold as usize, 1).map_err(internal)?;
        for document in issuance.wallet.root_documents() {
            root = envelope::update_root(&root, document).map_err(internal)?;
        }
        let list = issuance
            .wallet
            .trust_list(issuance.base)
            .map_err(|_| Refusal::Internal)?;
        let body = envelope::open(&root, wallet::TRUST_LIST_KIND, &list, None, now)
            .map_err(internal)?
            .body;
        let keys = |entry: &Value| -> Vec<(Option<String>, PublicKey)> {
            entry["keys"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|jwk| {
                    let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
                    Some((kid, PublicKey::from_jwk(jwk).ok()?))
                })
                .collect()
        };
        let issuers = body["issuers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| {
                Some(TrustedIssuer {
                    iss: i["iss"].as_str()?.to_owned(),
                    keys: keys(i),
                    types: i["types"]
                        .as_array()?
                        .iter()
                        .filter_map(|t| t.as_str().map(str::to_owned))
                        .collect(),
                })
            })
            .collect();
        let status_lists = body["status_lists"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| {
                let uri = l["uri"].as_str()?.to_owned();
                let (_, key) = keys(l).into_iter().next()?;
                Some((uri, key))
            })
            .collect();
        Ok(Self {
            issuers,
            status_lists,
        })
    }

    /// The key of the issuer the payload names (`iss`), of the header's
    /// algorithm and, when the header names one, its `kid`.
    fn issuer_key(&self, header: &Value, payload: &Value) -> Option<PublicKey> {
        let iss = payload.get("iss")?.as_str()?;
        let alg = header.get("alg")?.as_str()?;
        let kid = header.get("kid").and_then(Value::as_str);
        let issuer = self.issuers.iter().find(|i| i.iss == iss)?;
        issuer
            .keys
            .iter()
            .find(|(k, key)| {
                key.alg().name() == alg && kid.is_none_or(|kid| k.as_deref() == Some(kid))
            })
            .map(|(_, key)| key.clone())
    }

    /// Whether issuer `iss` issues licences of type `name`.
    fn authorises(&self, iss: &str, name: &str) -> bool {
        self.issuers
            .iter()
            .any(|i| i.iss == iss && i.types.iter().any(|t| t == name))
    }

    /// The key of the status list at `uri`, if the trust list has it.
    fn status_key(&self, uri: &str) -> Option<&PublicKey> {
        self.status_lists
            .iter()
            .find(|(u, _)| u == uri)
            .map(|(_, key)| key)
    }
}

/// A maximum age from the command line: seconds, or a number with `s`,
/// `m`, `h` or `d` (`30d`, `12h`); more than zero, at most 366 days.
pub fn parse_max_age(text: &str) -> Result<Duration, String> {
    let bad = || format!("bad licence maximum age {text:?}: use seconds or 30d, 12h, 90m, 3600s");
    let (digits, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c),
        _ => (text, 's'),
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let scale = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 24 * 3600,
        _ => return Err(bad()),
    };
    let secs = n.checked_mul(scale).ok_or_else(bad)?;
    let age = Duration::from_secs(secs);
    if secs == 0 || age > LONGEST_MAX_AGE {
        return Err(format!(
            "the licence maximum age must be more than 0 and at most 366 days, not {text:?}"
        ));
    }
    Ok(age)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maximum_ages_from_the_command_line() {
        assert_eq!(parse_max_age("30d"), Ok(DEFAULT_LICENCE_MAX_AGE));
        assert_eq!(parse_max_age("12h"), Ok(Duration::from_secs(12 * 3600)));
        assert_eq!(parse_max_age("90m"), Ok(Duration::from_secs(90 * 60)));
        assert_eq!(parse_max_age("3600s"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_max_age("3600"), Ok(Duration::from_secs(3600)));
        for bad in [
            "",
            "d",
            "0",
            "0d",
            "367d",
            "-1d",
            "1w",
            "1.5h",
            "1 d",
            "99999999999999999999",
        ] {
            assert!(parse_max_age(bad).is_err(), "{bad:?}");
        }
    }

    fn consent(v: Value) -> Consent {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn consents_are_checked_for_shape() {
        let shown = json!({"kind": "shown", "licence_type": "id_card",
            "claims": ["name", "id_number", "address"], "presentation_id": "9f2c41d0",
            "recipient": "household-visit", "purpose": "入户走访", "at": "2026-12-07T10:00:00+08:00"});
        let attached = json!({"kind": "attached", "field": "household_register",
            "licence_type": "household_register", "licence_id": "1.2.156.3005.2.x",
            "claims": ["name"], "recipient": "household-visit", "purpose": "办理",
            "at": "2026-12-07T10:00:00+08:00"});
        let ok = |v: &Value| check_shape("household-visit", &[], &[consent(v.clone())]);
        assert_eq!(ok(&shown), Ok(()));
        assert_eq!(ok(&attached), Ok(()));
        for (base, key, value) in [
            (&shown, "kind", json!("copied")),
            (&shown, "licence_type", json!("passport")),
            (&shown, "claims", json!([])),
            (&shown, "recipient", json!("subsidy-application")),
            (&shown, "at", json!("")),
            (&shown, "field", json!("household_register")),
            (&attached, "field", Value::Null),
            (&attached, "licence_id", Value::Null),
        ] {
            let mut v = base.clone();
            v[key] = value;
            assert_eq!(ok(&v), Err(Refusal::Malformed), "{key}");
        }
        // Not a consent at all: refused when the submission is parsed.
        let mut extra = shown.clone();
        extra["name"] = json!("周晓梅");
        assert!(serde_json::from_value::<Consent>(extra).is_err());
        let too_many: Vec<Consent> = (0..=MAX_CONSENTS).map(|_| consent(shown.clone())).collect();
        assert_eq!(
            check_shape("household-visit", &[], &too_many),
            Err(Refusal::Malformed)
        );
    }
}
