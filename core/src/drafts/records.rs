//! The drafts' records, as the shells see them. Those that hold answers
//! or who a draft is about print redacted (see [`crate::redact`]).

use crate::forms::material::{Consent, ConsentKind};
use crate::media::attachments::{AttachmentSlot, PendingAttachment};
use crate::redact::redacted;

/// Who a draft is about, in grid-worker mode (the operator is the signed-in
/// account). Stored only inside the sealed summary.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct DraftSubject {
    /// The household from the worker's roster, if any.
    #[uniffi(default = None)]
    pub household_id: Option<String>,
    #[uniffi(default = None)]
    pub name: Option<String>,
}

/// Where a draft is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DraftState {
    /// Editable, autosaved.
    Draft,
    /// Frozen and queued (or sent); see the outbox for delivery.
    Finalized,
}

impl DraftState {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Finalized => "finalized",
        }
    }

    pub(super) fn parse(s: &str) -> Self {
        if s == "draft" {
            Self::Draft
        } else {
            Self::Finalized
        }
    }
}

/// Read straight from the column, so a listing does not allocate a string
/// per row to parse it.
impl rusqlite::types::FromSql for DraftState {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        value.as_str().map(Self::parse)
    }
}

/// One row of the drafts list: enough for a list screen, in one call.
#[derive(Clone, PartialEq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct DraftSummary {
    pub id: String,
    pub form_id: String,
    pub form_version: u32,
    /// The form's title in the requested language.
    pub title: String,
    pub state: DraftState,
    pub subject: DraftSubject,
    /// The form's summary fields, joined for display ("张三 · 330106…").
    pub summary: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// The device's UTC offset when the draft was created, in minutes, so
    /// times display as the worker saw them even if the phone moves zones.
    pub utc_offset_min: i32,
    /// The submission this draft edits, for an edit after sending.
    pub replaces: Option<String>,
}

/// A problem with one field, localized.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldIssue {
    pub path: String,
    /// Stable code: `required`, `constraint`, `format`, `too_few`, …
    pub code: String,
    pub message: String,
}

/// The state of one field in one place (a path) after a change.
#[derive(Clone, PartialEq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct FieldView {
    pub path: String,
    pub relevant: bool,
    pub required: bool,
    pub read_only: bool,
    /// The answer as JSON, `None` when empty.
    pub value_json: Option<String>,
    /// For a select with a choice filter: the choice values now offered.
    pub choices: Option<Vec<String>>,
    pub issues: Vec<FieldIssue>,
}

redacted!(DraftSubject { household_id });
redacted!(DraftSummary {
    id,
    form_id,
    form_version,
    state,
    subject,
    created_at_ms,
    updated_at_ms,
    utc_offset_min,
    replaces,
});
redacted!(FieldView {
    path,
    relevant,
    required,
    read_only,
    choices,
    issues,
});

/// What one saved answer changed: the field itself, then every field whose
/// relevance, calculated value, choices or errors moved.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SaveEffects {
    pub changed: Vec<FieldView>,
}

/// A repeat's instances, by stable id, in order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RepeatView {
    pub name: String,
    pub instance_ids: Vec<String>,
}

/// A value a new draft was prefilled with, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PrefilledValue {
    pub path: String,
    /// The source as `docs/forms.md` names it: `subject.name`,
    /// `operator.phone`, `member.id_number`, `subject.members` (a repeat
    /// filled with the household's members), …
    pub source: String,
}

/// How to show one field, in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldLayout {
    pub name: String,
    /// The definition's type name (`text`, `select_one`, `repeat`, …).
    pub kind: String,
    pub label: String,
    pub hint: Option<String>,
    /// The repeat this field belongs to.
    pub repeat: Option<String>,
    pub read_only: bool,
    pub choices: Vec<ChoiceLabel>,
}

/// A choice's value and its label.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChoiceLabel {
    pub value: String,
    pub label: String,
}

/// A whole draft for a form screen: the layout and every field's state in
/// one call.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DraftView {
    pub summary: DraftSummary,
    /// Fields in document order (a repeat before its members).
    pub layout: Vec<FieldLayout>,
    pub fields: Vec<FieldView>,
    pub repeats: Vec<RepeatView>,
    pub prefilled: Vec<PrefilledValue>,
    /// Photos the camera wrote while the app was gone (the OS killed it
    /// with the camera open): ingest each on resume.
    pub pending_captures: Vec<PendingAttachment>,
    /// Photos started in this run whose capture never came (the camera was
    /// cancelled) or could not be read: offer "retake or discard"
    /// (`register_attachment` again for the field, or `remove_attachment`).
    /// Finalize drops them.
    pub abandoned_attachments: Vec<AttachmentSlot>,
    /// Answers a move to a newer form version could not carry: shown so the
    /// person can enter them again where they now belong. Kept until the
    /// draft is finalized.
    pub dropped_answers: Vec<DroppedAnswer>,
    /// Every use of a licence the person consented to in this draft.
    pub licence_uses: Vec<LicenceUse>,
}

/// What attaching a licence to a field shares, with whom and why, and the
/// person's licences it can take: the consent screen's content.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct LicenceOffer {
    pub field: String,
    /// The type's registry name (`household_register`).
    pub licence_type: String,
    /// The type's name in the requested language.
    pub type_name: String,
    /// Who receives it: the form's title.
    pub recipient: String,
    /// Why (用证事由).
    pub purpose: String,
    /// The claims shared (registry names); nothing else is disclosed.
    pub claims: Vec<String>,
    /// The person's licences of the type that can be shown now, the most
    /// recently fetched first. Empty: fetch the wallet's licences first.
    pub licences: Vec<OfferedLicence>,
}

redacted!(LicenceOffer {
    field,
    licence_type,
    claims
});

/// One of the person's licences a field can take.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct OfferedLicence {
    /// Its identifier (证照标识), what `attach_licence` takes.
    pub licence_id: String,
    /// `YYYY-MM-DD`.
    pub valid_until: String,
}

redacted!(OfferedLicence { valid_until });

/// How a licence came to be used in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LicenceUseKind {
    /// The person attached their own licence to a field.
    Attached,
    /// A resident showed a licence's code to the worker, whose app filled
    /// the resident's form from what it disclosed.
    Shown,
}

/// A recorded consent to a licence's use: what was shared (claim names),
/// with whom, why and when. Sent with the submission.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LicenceUse {
    pub kind: LicenceUseKind,
    /// The field an attached licence answers.
    pub field: Option<String>,
    pub licence_type: String,
    pub claims: Vec<String>,
    /// The form id.
    pub recipient: String,
    pub purpose: String,
    /// RFC 3339 with the device's offset.
    pub at: String,
}

impl From<Consent> for LicenceUse {
    fn from(c: Consent) -> Self {
        Self {
            kind: match c.kind {
                ConsentKind::Attached => LicenceUseKind::Attached,
                ConsentKind::Shown => LicenceUseKind::Shown,
            },
            field: c.field,
            licence_type: c.licence_type,
            claims: c.claims,
            recipient: c.recipient,
            purpose: c.purpose,
            at: c.at,
        }
    }
}

/// What finalize did: an instance id when queued, or every problem at once.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FinalizeOutcome {
    pub instance_id: Option<String>,
    pub issues: Vec<FieldIssue>,
}

/// An answer a form migration could not carry.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct DroppedAnswer {
    /// Its path under the old version.
    pub path: String,
    /// The answer as JSON.
    pub value_json: String,
}

redacted!(DroppedAnswer { path });

/// What moving a draft to a newer form version kept and dropped.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MigrationReport {
    pub draft_id: String,
    pub carried: u32,
    /// Paths whose answers the new version has no place for (or no longer
    /// accepts). A preview changes nothing; a migration keeps them aside
    /// (`DraftView::dropped_answers`) until the draft is finalized.
    pub dropped: Vec<String>,
}

/// A stored attachment, and what setting it changed in the draft.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct IngestedAttachment {
    pub attachment_id: String,
    pub sha256_hex: String,
    pub size: u64,
    pub width: u32,
    pub height: u32,
    pub effects: SaveEffects,
}

/// A new repeat instance and what adding it changed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RepeatAdded {
    pub instance_id: String,
    pub effects: SaveEffects,
}
