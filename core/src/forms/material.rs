//! Licences as form material ("申报材料重复使用") and as prefill: what a
//! form may ask of a wallet, and the consent a person gives.
//!
//! A `licence_ref` field that names a licence type (`"licence":
//! "household_register"`) is answered by attaching the person's licence
//! from the wallet instead of a photo of it. At finalize the app binds an
//! SD-JWT presentation to the submission: `aud` is the form id (the
//! service that receives it), `nonce` the submission's instance id, `iat`
//! the finalize time, disclosing only the claims the field lists. A
//! submission that waits offline past the backend's oldest accepted `iat`
//! is bound again at send time under the same instance id.
//!
//! The forms engine and the drafts and outbox that carry it sit below the
//! wallet, so they ask it through [`LicenceWallet`], which the wallet
//! implements and the open core hands over once the wallet is built
//! ([`WalletSlot`]).
//!
//! Every use of a licence is recorded as a [`Consent`]: what was shared
//! (claim names, never values), with whom (the form id), why (用证事由)
//! and when. The consents travel with the submission; the licence's
//! contents are not copied again.

use std::sync::{Arc, OnceLock, Weak};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Result;

/// One licence the signed-in person holds, as forms may use it.
#[derive(Debug, Clone)]
pub(crate) struct HeldLicence {
    /// The national licence identifier (证照标识).
    pub licence_id: String,
    /// `YYYY-MM-DD`, or empty when the licence does not end.
    pub valid_until: String,
    /// Every claim the holder's credential carries, by name.
    pub claims: Map<String, Value>,
}

/// What a presentation bound to a submission is bound to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Binding<'a> {
    pub licence_id: &'a str,
    /// Claim names to disclose; nothing else is.
    pub disclose: &'a [String],
    /// The receiving service: the form id.
    pub audience: &'a str,
    /// The submission's instance id.
    pub nonce: &'a str,
    /// Unix seconds: the finalize time, or the send time when re-bound.
    pub issued_at: i64,
}

/// What forms may ask of the wallet. Implemented by the wallet; no app
/// lock is asked here (the caller has asked it, or sends what the person
/// already consented to).
pub(crate) trait LicenceWallet: Send + Sync {
    /// The signed-in person's licences of `licence_type` that can be shown
    /// now (valid, not revoked), the most recently fetched first.
    fn held(&self, licence_type: &str) -> Result<Vec<HeldLicence>>;

    /// An SD-JWT presentation (with its key-binding JWT) of the person's
    /// licence, as [`Binding`] says.
    fn present(&self, binding: Binding<'_>) -> Result<String>;
}

/// The wallet, once the open core has built it. Lower capabilities hold
/// the slot; a weak reference, so the wallet never outlives the core.
#[derive(Default)]
pub(crate) struct WalletSlot(OnceLock<Weak<dyn LicenceWallet>>);

impl WalletSlot {
    pub(crate) fn set(&self, wallet: Weak<dyn LicenceWallet>) {
        let _ = self.0.set(wallet);
    }

    /// The wallet, or `None` when the core was built without one (tests of
    /// the lower capabilities) or is closing.
    pub(crate) fn get(&self) -> Option<Arc<dyn LicenceWallet>> {
        self.0.get().and_then(Weak::upgrade)
    }
}

/// How a licence came to be used in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ConsentKind {
    /// The person attached their own licence to a `licence_ref` field.
    Attached,
    /// A resident showed a licence's 亮证 code to a grid worker, whose app
    /// prefilled the resident's form from what it disclosed.
    Shown,
}

/// One recorded consent to a licence's use: sent with the submission, kept
/// sealed with the draft. Claim names only, never values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Consent {
    pub kind: ConsentKind,
    /// The `licence_ref` field, for an attached licence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub licence_type: String,
    /// The licence identifier, for an attached licence (the presentation
    /// carries it too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence_id: Option<String>,
    pub claims: Vec<String>,
    /// Who receives it: the form id.
    pub recipient: String,
    /// Why (用证事由), in the language the person read it in.
    pub purpose: String,
    /// When, RFC 3339 with the device's offset.
    pub at: String,
}

/// A licence reference answer: `{"type", "number"}`.
pub(crate) fn licence_answer(licence_type: &str, licence_id: &str) -> Value {
    serde_json::json!({"type": licence_type, "number": licence_id})
}
