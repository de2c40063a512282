//! What the wallet hands the shells.

use serde::{Deserialize, Serialize};

/// The answer of an offline check of a licence. Never a silent `Valid`: a
/// missing or stale status list is `Undetermined`, with the list's age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
pub enum LicenceVerdict {
    Valid,
    /// Past its validity (the credential's or the licence's own).
    Expired,
    /// The issuer revoked, cancelled or withdrew it (吊销, 注销), or the
    /// phone it was bound to was reported lost.
    Revoked,
    /// Suspended (暂扣): may be reinstated.
    Suspended,
    /// The signature and validity hold, but the revocation status is not
    /// known well enough: no status list, or one older than the policy
    /// allows (`reason` says which; `list_age_secs` how old it is).
    Undetermined {
        reason: String,
        list_age_secs: Option<u64>,
    },
    /// Not a licence this wallet can trust: a bad signature, an issuer not
    /// on the trust list, a tampered disclosure… `reason` is a stable code.
    Invalid {
        reason: String,
    },
}

/// Whether a licence is kept up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
pub enum LicenceFreshness {
    Current,
    /// Near expiry, or the issuer said an update is expected: the next sync
    /// fetches it again.
    RefreshDue,
    /// The issuer no longer gives it out (or refused this phone): it stays
    /// readable, marked so.
    NoLongerRefreshed,
}

/// A licence in the wallet's list: what the sealed index holds, without
/// opening the credential. Printed without its identifier.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct LicenceSummary {
    /// The national licence identifier (证照标识).
    pub id: String,
    /// The registry's name of its type (`id_card`…).
    pub licence_type: String,
    /// The type's name in the language asked for.
    pub display_name: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD`; `9999-12-31` for a licence without an end.
    pub valid_until: String,
    /// The verdict of the last check (at fetch, or an explicit verify).
    pub verdict: LicenceVerdict,
    pub freshness: LicenceFreshness,
    /// When the credential was fetched, ms since 1970.
    pub fetched_at_ms: i64,
}

/// One claim of a licence, as its issuer signed it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LicenceClaim {
    pub name: String,
    /// The value as JSON (a string, a number, a boolean).
    pub value_json: String,
}

/// A licence opened: its summary, its issuer and every claim it carries.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct LicenceDetail {
    pub summary: LicenceSummary,
    /// The issuer's name as the trust list gives it.
    pub issuer: String,
    pub claims: Vec<LicenceClaim>,
}

crate::redact::redacted!(LicenceDetail { summary });
crate::redact::redacted!(LicenceSummary {
    licence_type,
    verdict,
    freshness
});

/// What a wallet refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct WalletRefresh {
    /// Licences fetched and stored.
    pub fetched: u32,
    /// Credentials the backend sent that failed their check and were not
    /// stored (their codes are logged).
    pub refused: u32,
    /// Licences kept as they were because the backend did not give them
    /// again.
    pub kept: u32,
}

/// A phone the person's licences are bound to.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WalletDevice {
    /// The device key's id (its JWK thumbprint).
    pub key_id: String,
    pub bound_at_ms: i64,
    /// Reported lost: its licences no longer verify.
    pub revoked: bool,
    /// This phone.
    pub this_device: bool,
}

/// The licence trust list in force, for the app to show how current the
/// wallet's checks are.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustListStatus {
    pub version: u64,
    pub expires_at_ms: i64,
    /// Past its expiry: checks still use it offline; connect to refresh.
    pub stale: bool,
}

/// What a person chooses to show of a licence (亮证). The ID number is in
/// the code only for `HouseholdVisit` and `Full`; no portrait is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
pub enum DisclosureProfile {
    /// Name and "over 18" (a pharmacy, an internet café, a hotel).
    NameAndAgeOver18,
    /// Name and the ID number's last four digits: enough for a clerk to
    /// match a person to a form.
    NameAndIdLast4,
    /// Name, ID number and address: what a grid worker needs to fill in a
    /// household's form.
    HouseholdVisit,
    /// Everything printed on the licence (derived items such as "over 18"
    /// left out: the birth date says it). Needs an explicit confirmation.
    Full,
    /// What a verifier's request asked for (two-way), which the person saw
    /// before answering.
    AsRequested,
}

/// One QR code of a licence being shown: its text, its matrix, and how
/// long it holds.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct LicenceQr {
    /// `PG1:` and Base45 (QR alphanumeric mode). A verifier takes this
    /// text from its scanner.
    pub payload: String,
    /// The QR version (at most 20: past it, phone cameras misread).
    pub version: u8,
    /// Modules per side.
    pub width: u32,
    /// `width × width` modules, row by row: 1 dark, 0 light. The quiet zone
    /// (four modules round it) is the shell's to draw.
    pub modules: Vec<u8>,
    /// The claims in the code, by name.
    pub claims: Vec<String>,
    pub made_at_ms: i64,
    /// Show the next code from here (30 s).
    pub refresh_at_ms: i64,
    /// Verifiers refuse it after this (60 s, plus their clock skew).
    pub expires_at_ms: i64,
    /// The code holds only a reference that a verifier with a network
    /// resolves at the backend: the presentation was too large for a
    /// readable code.
    pub online: bool,
}

/// One showing of a licence, as the phone recorded it for its owner. No
/// `Debug`: it names a licence.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct PresentationRecord {
    pub shown_at_ms: i64,
    pub licence_id: String,
    pub licence_type: String,
    pub profile: DisclosureProfile,
    /// The claims shown, by name.
    pub claims: Vec<String>,
    /// The verifier that asked, when the code answered a request.
    pub verifier: Option<String>,
}

/// What a verifier's check of a scanned code found. No `Debug`: it holds
/// what a person disclosed.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct PresentationCheck {
    pub verdict: LicenceVerdict,
    /// Empty when the code could not be read far enough to say.
    pub licence_type: String,
    pub display_name: String,
    /// The issuing authority's name, from the trust list.
    pub issuer: String,
    /// What the holder disclosed: the values as JSON (a string, a bool, a
    /// number; dates as `YYYY-MM-DD`). Empty unless the signatures held.
    pub claims: Vec<LicenceClaim>,
    pub shown_at_ms: i64,
    /// `YYYY-MM-DD` of the licence's own validity.
    pub valid_from: String,
    pub valid_until: String,
}

impl PresentationCheck {
    /// A code refused before anything in it could be trusted: nothing of
    /// what it claims is shown.
    pub(crate) fn invalid(reason: String) -> Self {
        Self {
            verdict: LicenceVerdict::Invalid { reason },
            licence_type: String::new(),
            display_name: String::new(),
            issuer: String::new(),
            claims: Vec::new(),
            shown_at_ms: 0,
            valid_from: String::new(),
            valid_until: String::new(),
        }
    }
}

/// A verifier's request read from its QR code and checked against the
/// trust list: who asks, and for what. Shown to the person before they
/// choose a licence to answer with.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifierRequest {
    /// The request QR's text, to pass back to `show_licence_for`.
    pub payload: String,
    pub verifier_id: String,
    /// The verifier's name, as the trust list gives it.
    pub verifier_name: String,
    /// The items it asks for, by name.
    pub asks: Vec<String>,
    pub asked_at_ms: i64,
}

/// A verifier's request as a QR code to show the person.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RequestQr {
    pub payload: String,
    pub version: u8,
    pub width: u32,
    /// `width × width` modules, row by row: 1 dark.
    pub modules: Vec<u8>,
    /// Answers are refused after this.
    pub expires_at_ms: i64,
}
