//! The roster's records as the shells see them. Each carries names, ID
//! numbers and phones of people who never signed in to this app, so each
//! prints redacted: in Rust's `Debug` and, through the exported traits, in
//! the generated Kotlin `toString()` and Swift `description`.

use serde::{Deserialize, Serialize};

use crate::redact::redacted;

/// Where a household on the roster came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HouseholdOrigin {
    /// Assigned by the township.
    Assigned,
    /// Added by this worker (on this phone or another).
    AddedByWorker,
}

/// Whether the backend has a household the worker added.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum HouseholdSync {
    /// The backend has it.
    Synced,
    /// Added offline; goes with the next sync.
    Pending,
    /// The backend refused it (`reason` is its error code); fix and re-add.
    Rejected { reason: String },
}

/// The relations to the head a member may have: the major classes of GB/T
/// 4761-2008 (家庭关系代码), by name. A form's relation field uses these
/// values as its choices.
pub const RELATIONS: &[&str] = &[
    "head",        // 02 户主
    "spouse",      // 1x 配偶
    "child",       // 2x 子, 3x 女
    "grandchild",  // 4x 孙子女
    "parent",      // 5x 父母
    "grandparent", // 6x 祖父母
    "sibling",     // 7x 兄弟姐妹
    "other",       // 8x 其他
];

/// One person of a household, as the township's register lists them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HouseholdMember {
    /// The backend's id for the member. A visit's member row carries it
    /// back, so a correction updates this member instead of adding one.
    pub id: String,
    pub name: String,
    /// One of [`RELATIONS`]; the head of the household is `head`.
    pub relation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// One household on the worker's roster.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Household {
    /// The township's id, or the UUID the phone gave a household it added.
    /// Drafts name it as their subject's `household_id`.
    pub id: String,
    /// The head of the household (户主).
    pub head_name: String,
    pub address: String,
    /// A 6-digit county or 12-digit village division code.
    pub division: String,
    /// Everyone in the household the register lists, the head (relation
    /// `head`) included. Empty for a household the worker added until a
    /// visit's members come back from the backend.
    pub members: Vec<HouseholdMember>,
    pub origin: HouseholdOrigin,
    pub sync: HouseholdSync,
}

impl Household {
    /// The head as a member, when the register lists one.
    pub fn head(&self) -> Option<&HouseholdMember> {
        self.members.iter().find(|m| m.relation == "head")
    }
}

/// A household the worker adds on the phone.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct NewHousehold {
    pub head_name: String,
    #[uniffi(default = "")]
    pub address: String,
    /// Checked like a form's division field: a known county, or a village
    /// code with a known county prefix.
    pub division: String,
}

redacted!(HouseholdMember { id, relation });
redacted!(Household {
    id,
    members,
    origin,
    sync
});
redacted!(NewHousehold {});
