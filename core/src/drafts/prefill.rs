//! A new draft's first values, by the vocabulary of
//! [`crate::forms::prefill`]: what the draft is about (its subject) and who
//! fills it in (the operator) are resolved once, then each field takes the
//! value its source names.
//!
//! - A draft for a roster household is about the household: its head, or
//!   the member the draft names. The worker is only the operator, and only
//!   `operator.*` fields get the worker's values.
//! - A draft naming a person or a household the roster does not hold gets
//!   that name and nothing else about the subject: nothing is guessed.
//! - A draft naming no one is the signed-in person's own application: they
//!   are the subject and the operator.
//!
//! - Licence claims (`licence.<type>.<claim>`) come from the wallet only
//!   when the signed-in person is the subject: a worker's own licences
//!   never fill a resident's form. On a visit they come from the code the
//!   resident shows instead ([`shown`]).
//!
//! Every value goes through the field's own answer check; one that fails
//! (a relation the form does not offer, a landline in a mobile field) is
//! left for the person to fill in.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::records::{DraftSubject, PrefilledValue};
use crate::crypto::uuid_v4;
use crate::error::Result;
use crate::forms::answer;
use crate::forms::definition::{Form, Kind};
use crate::forms::engine::{Answers, Instance, Path};
use crate::forms::prefill::{MemberValue, PersonValue, Prefill, SubjectValue};
use crate::identity::sessions::Profile;
use crate::roster::{Household, HouseholdMember};

/// A person's values a form may take.
#[derive(Default)]
pub(super) struct Person {
    name: Option<String>,
    id_number: Option<String>,
    phone: Option<String>,
    birth_date: Option<String>,
}

impl Person {
    fn get(&self, value: PersonValue) -> Option<&String> {
        match value {
            PersonValue::Name => self.name.as_ref(),
            PersonValue::IdNumber => self.id_number.as_ref(),
            PersonValue::Phone => self.phone.as_ref(),
            PersonValue::BirthDate => self.birth_date.as_ref(),
        }
    }
}

impl From<Profile> for Person {
    fn from(p: Profile) -> Self {
        Self {
            name: p.name,
            id_number: p.id_number,
            phone: p.phone,
            birth_date: p.birth_date,
        }
    }
}

impl From<&HouseholdMember> for Person {
    fn from(m: &HouseholdMember) -> Self {
        Self {
            name: Some(m.name.clone()),
            id_number: m.id_number.clone(),
            phone: m.phone.clone(),
            birth_date: m.birth_date.clone(),
        }
    }
}

/// Everything a new draft may be prefilled from.
pub(super) struct Sources {
    subject: Person,
    household: Option<Household>,
    operator: Person,
    /// The signed-in person's licence claims by type name, when they are
    /// the subject.
    licences: BTreeMap<String, Map<String, Value>>,
    /// The draft's local date, `YYYY-MM-DD`, for members' ages.
    today: String,
}

/// Whether a draft with this subject is the signed-in person's own
/// application (it names no one): the only drafts the wallet fills.
pub(super) fn is_own(subject: &DraftSubject) -> bool {
    subject.household_id.is_none() && subject.name.is_none()
}

/// The licence types `form`'s prefill sources read.
pub(super) fn licence_types_read(form: &Form) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in &form.fields {
        if let Some((t, _)) = f.prefill.and_then(Prefill::licence)
            && !out.contains(&t.name)
        {
            out.push(t.name);
        }
    }
    out
}

impl Sources {
    /// Resolves the subject of a draft (module notes). `household` is the
    /// roster's entry for the subject's `household_id`, if it has one.
    pub(super) fn resolve(
        subject: &DraftSubject,
        household: Option<Household>,
        operator: Option<Profile>,
        today: String,
    ) -> Self {
        let operator = operator.map(Person::from).unwrap_or_default();
        let person = match (&household, &subject.name, &subject.household_id) {
            (Some(h), name, _) => {
                let named = |m: &&HouseholdMember| name.as_ref().is_none_or(|n| *n == m.name);
                // The head by relation when the draft names no one or names
                // the head; another member only by a name of their own.
                let member = match name {
                    Some(n) if *n != h.head_name => h.members.iter().find(named),
                    _ => h.head(),
                };
                match member {
                    Some(m) => Person::from(m),
                    None => Person {
                        name: Some(name.clone().unwrap_or_else(|| h.head_name.clone())),
                        ..Person::default()
                    },
                }
            }
            // A household or a person the roster does not hold: the name
            // given, nothing more.
            (None, Some(name), _) => Person {
                name: Some(name.clone()),
                ..Person::default()
            },
            (None, None, Some(_)) => Person::default(),
            // Nobody named: the signed-in person's own application.
            (None, None, None) => Person {
                name: operator.name.clone(),
                id_number: operator.id_number.clone(),
                phone: operator.phone.clone(),
                birth_date: operator.birth_date.clone(),
            },
        };
        Self {
            subject: person,
            household,
            operator,
            licences: BTreeMap::new(),
            today,
        }
    }

    /// Adds the signed-in person's claims of a licence of `licence_type`.
    pub(super) fn add_licence(&mut self, licence_type: &str, claims: Map<String, Value>) {
        self.licences.insert(licence_type.to_string(), claims);
    }

    fn subject_value(&self, value: SubjectValue) -> Option<Value> {
        match value {
            SubjectValue::Person(v) => self.subject.get(v).cloned().map(Value::String),
            SubjectValue::Address => self
                .household
                .as_ref()
                .map(|h| h.address.clone())
                .filter(|a| !a.is_empty())
                .map(Value::String),
            SubjectValue::Division => self
                .household
                .as_ref()
                .map(|h| Value::String(h.division.clone())),
        }
    }

    fn member_value(&self, member: &HouseholdMember, value: MemberValue) -> Option<Value> {
        match value {
            MemberValue::Person(v) => Person::from(member).get(v).cloned().map(Value::String),
            MemberValue::Relation => Some(Value::String(member.relation.clone())),
            MemberValue::Age => member
                .birth_date
                .as_deref()
                .and_then(|born| age(born, &self.today))
                .map(Value::from),
        }
    }

    /// The household's members a members repeat lists: everyone but the
    /// head, whose values are the subject's own fields.
    fn members(&self) -> impl Iterator<Item = &HouseholdMember> {
        self.household
            .iter()
            .flat_map(|h| h.members.iter())
            .filter(|m| m.relation != "head")
    }

    /// Fills every prefilled field of `form` into `answers` and says what
    /// was filled from where.
    pub(super) fn apply(&self, form: &Form, answers: &mut Answers) -> Result<Vec<PrefilledValue>> {
        let mut out = Vec::new();
        let mut put = |path: String, source: Prefill| {
            out.push(PrefilledValue {
                path,
                source: source.name(),
            });
        };
        for (i, f) in form.children(None) {
            let Some(source) = f.prefill else { continue };
            let value = match source {
                Prefill::Subject(v) => self.subject_value(v),
                Prefill::Operator(v) => self.operator.get(v).cloned().map(Value::String),
                Prefill::Members => {
                    let max = f.max.map_or(usize::MAX, |m| m as usize);
                    let mut list = Vec::new();
                    for member in self.members().take(max) {
                        // The member's id names the instance, so the visit
                        // sends it back and the register updates this
                        // member rather than adding one.
                        let taken = list.iter().any(|x: &Instance| x.id == member.id);
                        let id = if taken { uuid_v4()? } else { member.id.clone() };
                        let mut instance = super::new_instance(form, i)?;
                        instance.id = id;
                        for (_, m) in form.children(Some(i)) {
                            let Some(Prefill::Member(v)) = m.prefill else {
                                continue;
                            };
                            if let Some(value) = self.member_value(member, v)
                                && let Ok(value) = answer::check(m.kind, &m.choices, &value)
                            {
                                instance.values.insert(m.name.clone(), value);
                                put(
                                    Path::member(&f.name, &instance.id, &m.name).key(),
                                    Prefill::Member(v),
                                );
                            }
                        }
                        list.push(instance);
                    }
                    if !list.is_empty() {
                        put(f.name.clone(), source);
                        answers.repeats.insert(f.name.clone(), list);
                    }
                    continue;
                }
                Prefill::Member(_) => continue,
                Prefill::Licence { .. } => source
                    .licence()
                    .and_then(|(t, claim)| self.licences.get(t.name)?.get(claim).cloned()),
            };
            if let Some(value) = value
                && f.kind != Kind::Repeat
                && let Ok(value) = answer::check(f.kind, &f.choices, &value)
            {
                answers.top.insert(f.name.clone(), value);
                put(f.name.clone(), source);
            }
        }
        Ok(out)
    }
}

/// Fills a resident's draft from the claims their shown licence code
/// disclosed (a household visit): every top-level field whose source is a
/// claim of that licence type, and the subject's own name, ID number,
/// birth date and address, which the licence is the authority for.
/// Returns what was filled from where (`licence.id_card.name`).
pub(super) fn shown(
    form: &Form,
    answers: &mut Answers,
    licence_type: &str,
    claims: &Map<String, Value>,
) -> Vec<PrefilledValue> {
    let mut out = Vec::new();
    for (_, f) in form.children(None) {
        if f.kind == Kind::Repeat {
            continue;
        }
        let claim = match f.prefill {
            Some(p @ Prefill::Licence { .. }) => match p.licence() {
                Some((t, claim)) if t.name == licence_type => claim,
                _ => continue,
            },
            Some(Prefill::Subject(SubjectValue::Person(PersonValue::Name))) => "name",
            Some(Prefill::Subject(SubjectValue::Person(PersonValue::IdNumber))) => "id_number",
            Some(Prefill::Subject(SubjectValue::Person(PersonValue::BirthDate))) => "birth_date",
            Some(Prefill::Subject(SubjectValue::Address)) => "address",
            _ => continue,
        };
        if let Some(value) = claims.get(claim)
            && let Ok(value) = answer::check(f.kind, &f.choices, value)
        {
            answers.top.insert(f.name.clone(), value);
            out.push(PrefilledValue {
                path: f.name.clone(),
                source: format!("licence.{licence_type}.{claim}"),
            });
        }
    }
    out
}

/// Whole years from `born` to `today`, both `YYYY-MM-DD`.
fn age(born: &str, today: &str) -> Option<i64> {
    let parts = |s: &str| -> Option<(i64, i64, i64)> {
        let mut it = s.splitn(3, '-').map(|p| p.parse::<i64>().ok());
        Some((it.next()??, it.next()??, it.next()??))
    };
    let (by, bm, bd) = parts(born)?;
    let (ty, tm, td) = parts(today)?;
    let years = ty - by - i64::from((tm, td) < (bm, bd));
    (years >= 0).then_some(years)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age("1952-03-15", "2026-03-14"), Some(73));
        assert_eq!(age("1952-03-15", "2026-03-15"), Some(74));
        assert_eq!(age("2024-02-29", "2025-02-28"), Some(0));
        assert_eq!(age("2030-01-01", "2026-12-07"), None);
        assert_eq!(age("x", "2026-12-07"), None);
    }

    use crate::roster::{HouseholdOrigin, HouseholdSync};

    fn member(id: &str, name: &str, relation: &str, id_number: &str) -> HouseholdMember {
        HouseholdMember {
            id: id.into(),
            name: name.into(),
            relation: relation.into(),
            id_number: Some(id_number.into()),
            birth_date: None,
            phone: None,
        }
    }

    #[test]
    fn the_subject_is_the_head_by_relation_or_the_member_named() {
        // A daughter named after her mother, listed before her.
        let household = Household {
            id: "HH-9".into(),
            head_name: "王秀英".into(),
            address: String::new(),
            division: "330106001001".into(),
            members: vec![
                member("M-2", "王秀英", "child", "330106198001010021"),
                member("M-1", "王秀英", "head", "330106195203150029"),
                member("M-3", "李卫东", "spouse", "330106195011080011"),
            ],
            origin: HouseholdOrigin::Assigned,
            sync: HouseholdSync::Synced,
        };
        let resolve = |name: Option<&str>| {
            let subject = DraftSubject {
                household_id: Some("HH-9".into()),
                name: name.map(str::to_string),
            };
            Sources::resolve(&subject, Some(household.clone()), None, "2026-12-07".into())
        };
        for name in [None, Some("王秀英")] {
            let head = resolve(name);
            assert_eq!(
                head.subject.id_number.as_deref(),
                Some("330106195203150029")
            );
        }
        let spouse = resolve(Some("李卫东"));
        assert_eq!(
            spouse.subject.id_number.as_deref(),
            Some("330106195011080011")
        );
        // Someone the register does not list: the name, nothing else.
        let visitor = resolve(Some("赵六"));
        assert_eq!(visitor.subject.name.as_deref(), Some("赵六"));
        assert_eq!(visitor.subject.id_number, None);
    }
}
