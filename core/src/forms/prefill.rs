//! The prefill vocabulary: where a field's first value may come from.
//!
//! A draft is about a **subject** (the person or household the form
//! concerns) and is filled in by an **operator** (the signed-in account). A
//! resident applying for themselves is both; a grid worker visiting a
//! household is only the operator, and nothing of theirs may land in a
//! field about the household. So every source names whose value it is:
//!
//! | source | value | on |
//! |---|---|---|
//! | `subject.name`, `subject.id_number`, `subject.phone`, `subject.birth_date` | the subject person: a roster household's head (or the member the draft names), else the signed-in person when the draft names no one | top-level fields |
//! | `subject.address`, `subject.division` | a roster household's address and division code | top-level fields |
//! | `operator.name`, `operator.id_number`, `operator.phone` | the signed-in person, whoever the subject is | top-level fields |
//! | `subject.members` | one instance per member of the household (the head excluded) | a repeat |
//! | `member.name`, `member.relation`, `member.id_number`, `member.birth_date`, `member.phone`, `member.age` | that member's value (`age`: whole years on the draft's local date) | fields of a `subject.members` repeat |
//!
//! `name`, `id_number` and `phone`, the only sources of the first published
//! forms, mean `subject.*`: a form written for residents filling in their
//! own applications keeps working, and a worker's draft of it is prefilled
//! from the household instead of from the worker.
//!
//! | `licence.<type>.<claim>` | a claim of a licence of that type (`licence.household_register.address`): the signed-in person's own licence from the wallet when they are the subject, or the claims a resident disclosed when a worker scanned their 亮证 code | top-level fields |
//!
//! Licence sources are checked against the registry
//! ([`super::licence_types`]): a type it does not know, or a claim the type
//! does not carry, does not load.

use super::licence_types::{LICENCE_TYPES, LicenceType};

/// A value about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PersonValue {
    Name,
    IdNumber,
    Phone,
    BirthDate,
}

/// A value about the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubjectValue {
    Person(PersonValue),
    Address,
    Division,
}

/// A value about one household member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemberValue {
    Person(PersonValue),
    Relation,
    Age,
}

/// Where a field's first value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefill {
    Subject(SubjectValue),
    Operator(PersonValue),
    /// On a repeat: one instance per household member.
    Members,
    /// On a member of a [`Prefill::Members`] repeat.
    Member(MemberValue),
    /// A claim of a licence of a type: indexes into
    /// [`super::licence_types::LICENCE_TYPES`] and that type's `claims`.
    Licence {
        licence_type: u8,
        claim: u8,
    },
}

/// Every source with its name in a definition, the one table both
/// directions use. The legacy names come last so [`Prefill::name`] gives
/// the current one.
const SOURCES: &[(&str, Prefill)] = &[
    (
        "subject.name",
        Prefill::Subject(SubjectValue::Person(PersonValue::Name)),
    ),
    (
        "subject.id_number",
        Prefill::Subject(SubjectValue::Person(PersonValue::IdNumber)),
    ),
    (
        "subject.phone",
        Prefill::Subject(SubjectValue::Person(PersonValue::Phone)),
    ),
    (
        "subject.birth_date",
        Prefill::Subject(SubjectValue::Person(PersonValue::BirthDate)),
    ),
    ("subject.address", Prefill::Subject(SubjectValue::Address)),
    ("subject.division", Prefill::Subject(SubjectValue::Division)),
    ("operator.name", Prefill::Operator(PersonValue::Name)),
    (
        "operator.id_number",
        Prefill::Operator(PersonValue::IdNumber),
    ),
    ("operator.phone", Prefill::Operator(PersonValue::Phone)),
    ("subject.members", Prefill::Members),
    (
        "member.name",
        Prefill::Member(MemberValue::Person(PersonValue::Name)),
    ),
    ("member.relation", Prefill::Member(MemberValue::Relation)),
    (
        "member.id_number",
        Prefill::Member(MemberValue::Person(PersonValue::IdNumber)),
    ),
    (
        "member.birth_date",
        Prefill::Member(MemberValue::Person(PersonValue::BirthDate)),
    ),
    (
        "member.phone",
        Prefill::Member(MemberValue::Person(PersonValue::Phone)),
    ),
    ("member.age", Prefill::Member(MemberValue::Age)),
    (
        "name",
        Prefill::Subject(SubjectValue::Person(PersonValue::Name)),
    ),
    (
        "id_number",
        Prefill::Subject(SubjectValue::Person(PersonValue::IdNumber)),
    ),
    (
        "phone",
        Prefill::Subject(SubjectValue::Person(PersonValue::Phone)),
    ),
];

/// Where a source may be used, for the definition loader's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A top-level field that holds an answer.
    Top,
    /// A repeat.
    Repeat,
    /// A member of a repeat that is prefilled from the members.
    MemberOfMembers,
}

impl Prefill {
    /// The source named `name` in a definition.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        if let Some(rest) = name.strip_prefix("licence.") {
            let (type_name, claim) = rest.split_once('.')?;
            let t = LICENCE_TYPES.iter().position(|t| t.name == type_name)?;
            let c = LICENCE_TYPES[t].claims.iter().position(|c| *c == claim)?;
            return Some(Self::Licence {
                licence_type: u8::try_from(t).ok()?,
                claim: u8::try_from(c).ok()?,
            });
        }
        SOURCES.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    /// The source's current name (`subject.name`,
    /// `licence.household_register.address`), as drafts report it.
    pub(crate) fn name(self) -> String {
        if let Some((t, claim)) = self.licence() {
            return format!("licence.{}.{claim}", t.name);
        }
        SOURCES
            .iter()
            .find(|(_, p)| *p == self)
            .map_or(String::new(), |(n, _)| (*n).to_string())
    }

    /// For a licence source: the licence type and the claim.
    pub(crate) fn licence(self) -> Option<(&'static LicenceType, &'static str)> {
        match self {
            Self::Licence {
                licence_type,
                claim,
            } => {
                let t = LICENCE_TYPES.get(usize::from(licence_type))?;
                Some((t, t.claims.get(usize::from(claim))?))
            }
            _ => None,
        }
    }

    /// Where this source can be used.
    pub(crate) fn place(self) -> Place {
        match self {
            Self::Subject(_) | Self::Operator(_) | Self::Licence { .. } => Place::Top,
            Self::Members => Place::Repeat,
            Self::Member(_) => Place::MemberOfMembers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_round_trips_and_legacy_names_mean_the_subject() {
        for (name, source) in SOURCES {
            assert_eq!(Prefill::parse(name), Some(*source));
            assert!(Prefill::parse(&source.name()) == Some(*source));
        }
        assert_eq!(
            Prefill::parse("id_number").map(Prefill::name),
            Some("subject.id_number".to_string())
        );
        assert_eq!(Prefill::parse("profile.name"), None);
        assert_eq!(Prefill::parse("operator.address"), None);
    }

    #[test]
    fn licence_sources_name_a_registered_type_and_one_of_its_claims() {
        let source = Prefill::parse("licence.household_register.address").unwrap();
        assert_eq!(source.name(), "licence.household_register.address");
        let (t, claim) = source.licence().unwrap();
        assert_eq!((t.name, claim), ("household_register", "address"));
        assert_eq!(source.place(), Place::Top);
        for bad in [
            "licence.household_register",
            "licence.passport.name",
            "licence.id_card.credit_code",
            "licence.id_card.licence_id",
            "licence..name",
        ] {
            assert_eq!(Prefill::parse(bad), None, "{bad}");
        }
    }
}
