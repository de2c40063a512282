//! Form definitions: the versioned JSON format (`docs/forms.md`, schema in
//! `docs/form.schema.json`), parsed and fully checked at load.
//!
//! Loading is where every mistake in a definition surfaces, with the name
//! of the field at fault: an unknown type, a duplicate name, an expression
//! that does not parse or names a field that does not exist, a calculation
//! cycle. A draft never meets a definition that fails half-way through.
//!
//! Names are one flat namespace across the form, repeat members included,
//! so an expression names any field without paths. Repeats nest one level
//! (a household's members); deeper nesting is refused at load.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::expr::Expr;
pub(crate) use super::field::{Choice, Kind, Labels};
use super::licence_types::{self, LicenceType};
use super::prefill::Place;
pub(crate) use super::prefill::Prefill;
use crate::error::{PalmGovError, Result};

/// The only format version this build reads.
pub(crate) const FORMAT: u32 = 1;
/// A definition larger than this is refused before parsing.
const MAX_DEFINITION_BYTES: usize = 1 << 20;
/// Fields per form, repeat members included.
const MAX_FIELDS: usize = 500;

/// `required` is either a constant or an expression.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawRequired {
    Always(bool),
    When(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    format: u32,
    id: String,
    version: u32,
    title: Labels,
    /// Fields whose answers make up the draft's searchable summary.
    #[serde(default)]
    summary: Vec<String>,
    fields: Vec<RawField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    label: Labels,
    #[serde(default)]
    hint: Labels,
    required: Option<RawRequired>,
    relevant: Option<String>,
    constraint: Option<String>,
    #[serde(default)]
    constraint_message: Labels,
    calculate: Option<String>,
    default: Option<serde_json::Value>,
    #[serde(default)]
    readonly: bool,
    #[serde(default)]
    choices: Vec<Choice>,
    choice_filter: Option<String>,
    min: Option<u32>,
    max: Option<u32>,
    #[serde(default)]
    fields: Vec<RawField>,
    prefill: Option<String>,
    /// On a `licence_ref` field: the licence type (a registry name) the
    /// form takes as material from the wallet.
    licence: Option<String>,
    /// With `licence`: the claims the form needs, all the presentation
    /// discloses.
    #[serde(default)]
    disclose: Vec<String>,
    /// With `licence`: why the licence is used (用证事由), shown to the
    /// person before they share it. The form's title when absent.
    #[serde(default)]
    purpose: Labels,
}

/// What a `licence_ref` field that names a licence type asks of the
/// wallet: the type, the claims the form needs (nothing more is
/// disclosed) and why (用证事由).
#[derive(Debug, Clone)]
pub(crate) struct LicenceNeed {
    pub licence_type: &'static LicenceType,
    pub disclose: Vec<&'static str>,
    pub purpose: Labels,
}

/// When a field must be answered.
#[derive(Debug)]
pub(crate) enum Required {
    Never,
    Always,
    When(Expr),
}

/// One checked field. `parent` is the index of its repeat, if any.
#[derive(Debug)]
pub(crate) struct Field {
    pub name: String,
    pub kind: Kind,
    pub label: Labels,
    pub hint: Labels,
    pub required: Required,
    pub relevant: Option<Expr>,
    pub constraint: Option<Expr>,
    pub constraint_message: Labels,
    pub calculate: Option<Expr>,
    pub default: Option<serde_json::Value>,
    pub readonly: bool,
    pub choices: Vec<Choice>,
    pub choice_filter: Option<Expr>,
    pub min: u32,
    pub max: Option<u32>,
    pub parent: Option<usize>,
    pub prefill: Option<Prefill>,
    /// On a `licence_ref` field that names a type: the licence it takes.
    pub licence: Option<LicenceNeed>,
    /// Fields whose expressions read this one, in evaluation order.
    pub dependents: Vec<usize>,
    /// A member whose expressions read only its own instance's members:
    /// an answer in one instance cannot move it in another, so only the
    /// instance that changed is evaluated again.
    pub instance_local: bool,
    /// The top-level fields this field's expressions name: all of the root
    /// scope a re-evaluation of it needs (a member's siblings come from its
    /// instance).
    pub reads_top: Vec<usize>,
}

impl Field {
    pub(crate) fn expressions(&self) -> impl Iterator<Item = &Expr> {
        let required = match &self.required {
            Required::When(e) => Some(e),
            _ => None,
        };
        [
            required,
            self.relevant.as_ref(),
            self.constraint.as_ref(),
            self.calculate.as_ref(),
            self.choice_filter.as_ref(),
        ]
        .into_iter()
        .flatten()
    }
}

/// A map keyed by field name: the field index, a draft's answers. Every
/// autosave looks names up several times, and SipHash's defence against
/// chosen keys buys nothing when the keys are a bounded, verified
/// definition's names (`MAX_FIELDS`).
pub(crate) type NameMap<V> = HashMap<String, V, foldhash::fast::RandomState>;
type ByName = NameMap<usize>;

/// A loaded, fully checked form definition.
#[derive(Debug)]
pub(crate) struct Form {
    pub id: String,
    pub version: u32,
    pub title: Labels,
    pub summary: Vec<usize>,
    /// Document order; a repeat comes before its members.
    pub fields: Vec<Field>,
    by_name: ByName,
    /// Every field in an order where a calculation comes after what it reads.
    pub order: Vec<usize>,
}

impl Form {
    pub(crate) fn field(&self, name: &str) -> Option<(usize, &Field)> {
        let i = *self.by_name.get(name)?;
        Some((i, &self.fields[i]))
    }

    /// The members of repeat `index`, or the top-level fields for `None`.
    pub(crate) fn children(&self, parent: Option<usize>) -> impl Iterator<Item = (usize, &Field)> {
        self.fields
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.parent == parent)
    }

    /// Parses and checks a definition.
    pub(crate) fn load(json: &[u8]) -> Result<Self> {
        if json.len() > MAX_DEFINITION_BYTES {
            return Err(invalid("", "too_large"));
        }
        let raw: RawForm = serde_json::from_slice(json).map_err(|e| {
            // serde's message names the JSON key at fault and the position;
            // definitions hold no personal data, so it may be shown.
            invalid("", &format!("malformed: {e}"))
        })?;
        if raw.format != FORMAT {
            return Err(invalid("", "unsupported_format"));
        }
        let id_ok = !raw.id.is_empty()
            && raw.id.len() <= 64
            && raw
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(invalid("", "bad_form_id"));
        }
        if raw.title.is_empty() {
            return Err(invalid("", "missing_title"));
        }
        let mut fields = Vec::new();
        flatten(raw.fields, None, &mut fields)?;
        if fields.is_empty() {
            return Err(invalid("", "no_fields"));
        }
        if fields.len() > MAX_FIELDS {
            return Err(invalid("", "too_many_fields"));
        }
        let mut by_name = ByName::default();
        for (i, f) in fields.iter().enumerate() {
            if by_name.insert(f.name.clone(), i).is_some() {
                return Err(invalid(&f.name, "duplicate_name"));
            }
        }
        let summary = raw
            .summary
            .iter()
            .map(|name| match by_name.get(name) {
                Some(&i) if fields[i].kind.holds_answer() => Ok(i),
                _ => Err(invalid(name, "unknown_summary_field")),
            })
            .collect::<Result<Vec<_>>>()?;
        let order = link(&mut fields, &by_name)?;
        Ok(Self {
            id: raw.id,
            version: raw.version,
            title: raw.title,
            summary,
            fields,
            by_name,
            order,
        })
    }
}

/// Checks each raw field and appends it (then its members) in document order.
fn flatten(raw: Vec<RawField>, parent: Option<usize>, out: &mut Vec<Field>) -> Result<()> {
    for r in raw {
        let name = r.name;
        let bad = |reason: &str| invalid(&name, reason);
        if !is_identifier(&name) || EXPR_RESERVED.contains(&name.as_str()) {
            return Err(bad("bad_name"));
        }
        let kind = Kind::parse(&r.kind).ok_or_else(|| bad("unknown_type"))?;
        let compile = |source: Option<String>| -> Result<Option<Expr>> {
            source
                .map(|s| Expr::compile(&s).map_err(|_| bad("bad_expression")))
                .transpose()
        };
        let required = match r.required {
            None | Some(RawRequired::Always(false)) => Required::Never,
            Some(RawRequired::Always(true)) => Required::Always,
            Some(RawRequired::When(s)) => {
                Required::When(Expr::compile(&s).map_err(|_| bad("bad_expression"))?)
            }
        };
        let is_select = matches!(kind, Kind::SelectOne | Kind::SelectMultiple);
        if is_select && r.choices.is_empty() {
            return Err(bad("missing_choices"));
        }
        if !is_select && (!r.choices.is_empty() || r.choice_filter.is_some()) {
            return Err(bad("choices_not_allowed"));
        }
        let mut seen = HashSet::new();
        if r.choices.iter().any(|c| !seen.insert(c.value.as_str())) {
            return Err(bad("duplicate_choice"));
        }
        if kind == Kind::Repeat {
            if parent.is_some() {
                return Err(bad("nested_repeat"));
            }
            if r.fields.is_empty() {
                return Err(bad("empty_repeat"));
            }
            if let Some(max) = r.max
                && max < r.min.unwrap_or(0)
            {
                return Err(bad("bad_repeat_bounds"));
            }
        } else if !r.fields.is_empty() || r.min.is_some() || r.max.is_some() {
            return Err(bad("members_not_allowed"));
        }
        if !kind.holds_answer()
            && (r.calculate.is_some() || r.default.is_some() || r.constraint.is_some())
        {
            return Err(bad("no_answer_to_check"));
        }
        if r.calculate.is_some() && r.default.is_some() {
            return Err(bad("calculate_and_default"));
        }
        let prefill = match r.prefill.as_deref() {
            None => None,
            Some(source) => Some(Prefill::parse(source).ok_or_else(|| bad("unknown_prefill"))?),
        };
        if let Some(source) = prefill {
            let members_repeat = parent.is_some_and(|p| out[p].prefill == Some(Prefill::Members));
            let fits = match source.place() {
                Place::Top => parent.is_none() && kind.holds_answer(),
                Place::Repeat => kind == Kind::Repeat,
                Place::MemberOfMembers => members_repeat && kind.holds_answer(),
            };
            if !fits {
                return Err(bad("misplaced_prefill"));
            }
        }
        let licence = match r.licence.as_deref() {
            None if r.disclose.is_empty() && r.purpose.is_empty() => None,
            None => return Err(bad("disclose_without_licence")),
            Some(name) => {
                if kind != Kind::LicenceRef || parent.is_some() {
                    return Err(bad("licence_not_allowed"));
                }
                let licence_type =
                    licence_types::by_name(name).ok_or_else(|| bad("unknown_licence_type"))?;
                let mut disclose: Vec<&'static str> = Vec::with_capacity(r.disclose.len());
                for claim in &r.disclose {
                    let known = licence_type.claims.iter().find(|c| *c == claim);
                    match known {
                        Some(c) if !disclose.contains(c) => disclose.push(c),
                        _ => return Err(bad("unknown_claim")),
                    }
                }
                if disclose.is_empty() {
                    return Err(bad("nothing_disclosed"));
                }
                Some(LicenceNeed {
                    licence_type,
                    disclose,
                    purpose: r.purpose,
                })
            }
        };
        if let Some(default) = &r.default
            && super::answer::check(kind, &r.choices, default).is_err()
        {
            return Err(bad("bad_default"));
        }
        let index = out.len();
        out.push(Field {
            kind,
            label: r.label,
            hint: r.hint,
            required,
            relevant: compile(r.relevant)?,
            constraint: compile(r.constraint)?,
            constraint_message: r.constraint_message,
            readonly: r.readonly || r.calculate.is_some(),
            calculate: compile(r.calculate)?,
            default: r.default,
            choices: r.choices,
            choice_filter: compile(r.choice_filter)?,
            min: r.min.unwrap_or(0),
            max: r.max,
            parent,
            prefill,
            licence,
            dependents: Vec::new(),
            instance_local: false,
            reads_top: Vec::new(),
            name,
        });
        if kind == Kind::Repeat {
            flatten(r.fields, Some(index), out)?;
        }
    }
    Ok(())
}

/// Names an expression may use besides field names.
pub(crate) const EXPR_RESERVED: &[&str] = &["value", "choice", "today", "now"];

/// Resolves every expression's references and orders the fields so that a
/// calculation is evaluated after everything it reads. Fills `dependents`,
/// `instance_local` and `reads_top`.
fn link(fields: &mut [Field], by_name: &ByName) -> Result<Vec<usize>> {
    let mut reads: Vec<Vec<usize>> = Vec::with_capacity(fields.len());
    // Per field: whether it is instance-local, and the top-level fields it names.
    let mut scopes: Vec<(bool, Vec<usize>)> = Vec::with_capacity(fields.len());
    // Members that read their own repeat as a list, by repeat: they see
    // every sibling instance, so any member's answer can move them. Not an
    // ordering edge (two such members would make a cycle of constraints
    // that feed nothing forward), only a dependency.
    let mut list_readers: Vec<(usize, usize)> = Vec::new();
    for f in fields.iter() {
        // A member's relevance follows its repeat's: it comes after it.
        let mut r: Vec<usize> = f.parent.into_iter().collect();
        // Whether a member reads anything but its siblings (a top-level
        // field, or its own repeat as a list).
        let mut outside = false;
        let mut top: Vec<usize> = Vec::new();
        for e in f.expressions() {
            for name in e.variables() {
                if EXPR_RESERVED.contains(&name.as_str()) {
                    continue;
                }
                let &i = by_name
                    .get(&name)
                    .ok_or_else(|| invalid(&f.name, "unknown_reference"))?;
                outside |= fields[i].parent != f.parent || f.parent == Some(i);
                if f.parent == Some(i) {
                    list_readers.push((i, reads.len()));
                }
                // A member of a repeat is visible only inside its instance;
                // from outside, the repeat is read as a list.
                if let Some(p) = fields[i].parent
                    && f.parent != Some(p)
                    && by_name.get(&f.name) != Some(&p)
                {
                    return Err(invalid(&f.name, "reference_outside_repeat"));
                }
                if fields[i].parent.is_none() && !top.contains(&i) {
                    top.push(i);
                }
                if !r.contains(&i) {
                    r.push(i);
                }
                // From outside, a repeat is read as the list of its
                // instances, members and all: such a reader comes after
                // every member's calculation and relevance.
                if fields[i].kind == Kind::Repeat && f.parent != Some(i) {
                    for (m, member) in fields.iter().enumerate() {
                        if member.parent == Some(i) && !r.contains(&m) {
                            r.push(m);
                        }
                    }
                }
            }
        }
        scopes.push((f.parent.is_some() && !outside, top));
        reads.push(r);
    }
    for (f, (local, top)) in fields.iter_mut().zip(scopes) {
        f.instance_local = local;
        f.reads_top = top;
    }
    // Kahn's algorithm over "calculation reads field" edges. Only
    // calculations feed values forward; relevance and constraints read but
    // change nothing another expression sees (relevance does, through
    // exclusion, so it counts as an edge as well).
    let n = fields.len();
    let mut indegree = vec![0usize; n];
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, r) in reads.iter().enumerate() {
        for &j in r {
            if j != i {
                readers[j].push(i);
                indegree[i] += 1;
            }
        }
    }
    let mut ready: std::collections::VecDeque<usize> =
        (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_front() {
        order.push(i);
        for &k in &readers[i] {
            indegree[k] -= 1;
            if indegree[k] == 0 {
                ready.push_back(k);
            }
        }
    }
    if order.len() != n {
        let stuck = (0..n).find(|&i| indegree[i] > 0).unwrap_or(0);
        return Err(invalid(&fields[stuck].name, "cycle"));
    }
    let position: Vec<usize> = {
        let mut p = vec![0; n];
        for (pos, &i) in order.iter().enumerate() {
            p[i] = pos;
        }
        p
    };
    for (repeat, reader) in list_readers {
        for m in (0..n).filter(|&m| fields[m].parent == Some(repeat) && m != reader) {
            if !readers[m].contains(&reader) {
                readers[m].push(reader);
            }
        }
    }
    // Transitive dependents, in evaluation order: changing one answer
    // re-evaluates exactly these.
    for start in 0..n {
        let mut seen = vec![false; n];
        let mut stack = readers[start].clone();
        let mut found = Vec::new();
        while let Some(k) = stack.pop() {
            if !seen[k] {
                seen[k] = true;
                found.push(k);
                stack.extend(readers[k].iter().copied());
            }
        }
        found.sort_by_key(|&k| position[k]);
        fields[start].dependents = found;
    }
    Ok(order)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 64
}

pub(crate) fn invalid(field: &str, reason: &str) -> crate::error::Error {
    PalmGovError::InvalidForm {
        field: field.to_string(),
        reason: reason.to_string(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refusal(fields: serde_json::Value) -> (String, String) {
        let form =
            json!({"format": 1, "id": "t", "version": 1, "title": {"en": "T"}, "fields": fields});
        match Form::load(form.to_string().as_bytes()) {
            Err(crate::error::Error::Public(PalmGovError::InvalidForm { field, reason })) => {
                (field, reason)
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn every_mistake_names_its_field() {
        let text = |name: &str| json!({"name": name, "type": "text"});
        let cases = [
            (
                json!([{"name": "a", "type": "colour"}]),
                "a",
                "unknown_type",
            ),
            (json!([text("a"), text("a")]), "a", "duplicate_name"),
            (
                json!([{"name": "a", "type": "text", "relevant": "b +"}]),
                "a",
                "bad_expression",
            ),
            (
                json!([{"name": "a", "type": "text", "relevant": "nope == 1"}]),
                "a",
                "unknown_reference",
            ),
            (
                json!([{"name": "a", "type": "integer", "calculate": "b + 1"}, {"name": "b", "type": "integer", "calculate": "a + 1"}]),
                "a",
                "cycle",
            ),
            (
                json!([{"name": "a", "type": "select_one"}]),
                "a",
                "missing_choices",
            ),
            (
                json!([{"name": "r", "type": "repeat", "fields": [{"name": "s", "type": "repeat", "fields": [text("x")]}]}]),
                "s",
                "nested_repeat",
            ),
            (
                json!([{"name": "r", "type": "repeat", "min": 3, "max": 1, "fields": [text("x")]}]),
                "r",
                "bad_repeat_bounds",
            ),
            (
                json!([{"name": "r", "type": "repeat", "fields": [text("x")]}, {"name": "y", "type": "text", "relevant": "x == 'a'"}]),
                "y",
                "reference_outside_repeat",
            ),
            (
                json!([{"name": "a", "type": "integer", "default": "x"}]),
                "a",
                "bad_default",
            ),
            (
                json!([{"name": "a", "type": "text", "prefill": "email"}]),
                "a",
                "unknown_prefill",
            ),
            // A member's value outside a members repeat, a subject's value
            // inside one, the members list on a plain field.
            (
                json!([{"name": "a", "type": "text", "prefill": "member.name"}]),
                "a",
                "misplaced_prefill",
            ),
            (
                json!([{"name": "r", "type": "repeat", "fields": [
                    {"name": "a", "type": "text", "prefill": "member.name"}]}]),
                "a",
                "misplaced_prefill",
            ),
            (
                json!([{"name": "r", "type": "repeat", "prefill": "subject.members", "fields": [
                    {"name": "a", "type": "text", "prefill": "subject.name"}]}]),
                "a",
                "misplaced_prefill",
            ),
            (
                json!([{"name": "a", "type": "text", "prefill": "subject.members"}]),
                "a",
                "misplaced_prefill",
            ),
            (
                json!([{"name": "value", "type": "text"}]),
                "value",
                "bad_name",
            ),
            (
                json!([{"name": "a", "type": "text", "colour": "red"}]),
                "",
                "malformed",
            ),
            // Licence material: a type the registry knows, on a top-level
            // licence_ref, disclosing some of that type's claims.
            (
                json!([{"name": "a", "type": "text", "licence": "id_card", "disclose": ["name"]}]),
                "a",
                "licence_not_allowed",
            ),
            (
                json!([{"name": "a", "type": "licence_ref", "licence": "passport", "disclose": ["name"]}]),
                "a",
                "unknown_licence_type",
            ),
            (
                json!([{"name": "a", "type": "licence_ref", "licence": "id_card", "disclose": ["credit_code"]}]),
                "a",
                "unknown_claim",
            ),
            (
                json!([{"name": "a", "type": "licence_ref", "licence": "id_card", "disclose": ["name", "name"]}]),
                "a",
                "unknown_claim",
            ),
            (
                json!([{"name": "a", "type": "licence_ref", "licence": "id_card"}]),
                "a",
                "nothing_disclosed",
            ),
            (
                json!([{"name": "a", "type": "licence_ref", "disclose": ["name"]}]),
                "a",
                "disclose_without_licence",
            ),
            (
                json!([{"name": "r", "type": "repeat", "fields": [
                    {"name": "a", "type": "licence_ref", "licence": "id_card", "disclose": ["name"]}]}]),
                "a",
                "licence_not_allowed",
            ),
            (
                json!([{"name": "a", "type": "text", "prefill": "licence.id_card.bank_account"}]),
                "a",
                "unknown_prefill",
            ),
        ];
        for (fields, field, reason) in cases {
            let (f, r) = refusal(fields.clone());
            assert_eq!(f, field, "{fields}");
            assert!(r.starts_with(reason), "{fields}: {r}");
        }
    }

    #[test]
    fn dependents_follow_calculations_transitively() {
        let form = Form::load(
            json!({"format": 1, "id": "t", "version": 1, "title": {"en": "T"}, "fields": [
                {"name": "a", "type": "integer"},
                {"name": "c", "type": "integer", "calculate": "b * 2"},
                {"name": "b", "type": "integer", "calculate": "a + 1"},
                {"name": "d", "type": "text"}
            ]})
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        let names = |i: usize| -> Vec<&str> {
            form.fields[i]
                .dependents
                .iter()
                .map(|&k| form.fields[k].name.as_str())
                .collect()
        };
        assert_eq!(names(0), ["b", "c"]);
        assert!(names(3).is_empty());
        let pos = |n: &str| form.order.iter().position(|&i| form.fields[i].name == n);
        assert!(pos("b") < pos("c"));
    }

    /// A member that reads only its siblings is re-evaluated in one
    /// instance; one that reads a top-level field, or its own repeat as a
    /// list, in all. The list reader also depends on every sibling member
    /// (it once went stale when another instance's answer changed).
    #[test]
    fn members_know_whether_they_read_outside_their_instance() {
        let form = Form::load(
            json!({"format": 1, "id": "t", "version": 1, "title": {"en": "T"}, "fields": [
                {"name": "top", "type": "text"},
                {"name": "kids", "type": "repeat", "fields": [
                    {"name": "age", "type": "integer", "constraint": "value >= 0"},
                    {"name": "school", "type": "text", "relevant": "age >= 6"},
                    {"name": "note", "type": "text", "relevant": "top != null"},
                    {"name": "crowd", "type": "text", "constraint": "size(kids) < 9"},
                    {"name": "also", "type": "text", "constraint": "size(kids) < 9"}
                ]}
            ]})
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        let field = |n: &str| form.field(n).unwrap().1;
        assert!(field("age").instance_local);
        assert!(field("school").instance_local);
        assert!(!field("note").instance_local);
        assert!(!field("crowd").instance_local);
        assert!(!field("top").instance_local);
        let (crowd, _) = form.field("crowd").unwrap();
        assert!(field("age").dependents.contains(&crowd));
        // Two list readers are no cycle: they feed nothing forward.
        assert!(field("also").dependents.contains(&crowd));
    }
}
