//! What a field is, apart from the rest of a definition: its kind, its
//! choices and their labels. The answer checks (`answer`) and the
//! definition loader (`definition`) both use these, and neither the other's
//! internals.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Labels by language tag (`zh-Hans`, `zh-Hant`, `ug`, `en`, …).
pub(crate) type Labels = BTreeMap<String, String>;

/// The kinds of field, as named in the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Integer,
    Decimal,
    Date,
    Time,
    DateTime,
    SelectOne,
    SelectMultiple,
    IdNumber,
    CreditCode,
    Mobile,
    Division,
    Geopoint,
    Image,
    Signature,
    LicenceRef,
    Note,
    Repeat,
}

/// Every kind with its JSON name, the one table both directions use.
const KINDS: &[(&str, Kind)] = &[
    ("text", Kind::Text),
    ("integer", Kind::Integer),
    ("decimal", Kind::Decimal),
    ("date", Kind::Date),
    ("time", Kind::Time),
    ("datetime", Kind::DateTime),
    ("select_one", Kind::SelectOne),
    ("select_multiple", Kind::SelectMultiple),
    ("id_number", Kind::IdNumber),
    ("credit_code", Kind::CreditCode),
    ("mobile", Kind::Mobile),
    ("division", Kind::Division),
    ("geopoint", Kind::Geopoint),
    ("image", Kind::Image),
    ("signature", Kind::Signature),
    ("licence_ref", Kind::LicenceRef),
    ("note", Kind::Note),
    ("repeat", Kind::Repeat),
];

impl Kind {
    pub(super) fn parse(name: &str) -> Option<Self> {
        KINDS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// The JSON name of the kind.
    pub(crate) fn name(self) -> &'static str {
        KINDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("text", |(n, _)| n)
    }

    /// Whether the field holds an answer (notes and repeats do not).
    pub(crate) fn holds_answer(self) -> bool {
        !matches!(self, Self::Note | Self::Repeat)
    }

    /// Whether the answer is an attachment id.
    pub(crate) fn is_attachment(self) -> bool {
        matches!(self, Self::Image | Self::Signature)
    }
}

/// One choice of a select field. `tags` are what a choice filter sees as
/// `choice` (for example a county code to filter villages).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Choice {
    pub value: String,
    #[serde(default)]
    pub label: Labels,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}
