//! Evaluating a form over a draft's answers: relevance, required,
//! calculations, constraints, repeat counts and choice filters.
//!
//! One pass in dependency order ([`Form::order`]) computes every field's
//! state. A save whose field nothing reads skips the pass entirely; that is
//! most answers, and keeps autosave at the cost of the write.

use std::collections::{BTreeMap, HashMap};

use cel::Value as Cel;
use serde_json::Value;

use super::definition::{Field, Form, Kind, Required};
use super::expr::{Scope, map_value, to_cel};

/// The answers of one draft, by path (see [`Path`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Answers {
    /// Top-level answers by field name.
    pub top: HashMap<String, Value>,
    /// Repeat instances by repeat name, in order.
    pub repeats: HashMap<String, Vec<Instance>>,
}

/// One repeat instance, named by a stable id rather than its position, so a
/// deleted member never shifts another's answers.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub id: String,
    pub values: HashMap<String, Value>,
}

/// Where an answer lives: `name` at the top, `repeat/instance/name` in a
/// repeat instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Path {
    pub instance: Option<(String, String)>,
    pub name: String,
}

impl Path {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split('/');
        let first = parts.next()?;
        match (parts.next(), parts.next(), parts.next()) {
            (None, _, _) => Some(Self {
                instance: None,
                name: first.to_string(),
            }),
            (Some(instance), Some(name), None) => Some(Self {
                instance: Some((first.to_string(), instance.to_string())),
                name: name.to_string(),
            }),
            _ => None,
        }
    }

    pub(crate) fn top(name: &str) -> Self {
        Self {
            instance: None,
            name: name.to_string(),
        }
    }

    pub(crate) fn member(repeat: &str, instance: &str, name: &str) -> Self {
        Self {
            instance: Some((repeat.to_string(), instance.to_string())),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.instance {
            None => f.write_str(&self.name),
            Some((r, i)) => write!(f, "{r}/{i}/{}", self.name),
        }
    }
}

impl Answers {
    pub(crate) fn get(&self, path: &Path) -> Option<&Value> {
        match &path.instance {
            None => self.top.get(&path.name),
            Some((r, i)) => self
                .repeats
                .get(r)?
                .iter()
                .find(|x| &x.id == i)?
                .values
                .get(&path.name),
        }
    }

    /// Sets (or, with `null`, clears) an answer. False if the instance
    /// does not exist.
    pub(crate) fn set(&mut self, path: &Path, value: Value) -> bool {
        let slot = match &path.instance {
            None => &mut self.top,
            Some((r, i)) => match self
                .repeats
                .get_mut(r)
                .and_then(|list| list.iter_mut().find(|x| &x.id == i))
            {
                Some(instance) => &mut instance.values,
                None => return false,
            },
        };
        if value.is_null() {
            slot.remove(&path.name);
        } else {
            slot.insert(path.name.clone(), value);
        }
        true
    }
}

/// One problem with one field: a stable code, and the form's own message
/// for a failed constraint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    pub code: &'static str,
    pub message: Option<BTreeMap<String, String>>,
}

/// A field's computed state in one place (a path).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    pub relevant: bool,
    pub required: bool,
    /// The value of a calculated field, as computed.
    pub calculated: Option<Value>,
    /// For a select with a choice filter: the choices now offered.
    pub choices: Option<Vec<String>>,
    pub issues: Vec<Issue>,
}

/// The whole draft's state, by path.
pub(crate) type FormState = BTreeMap<Path, State>;

/// Evaluates every field and writes calculated values into `answers`.
pub(crate) fn evaluate(form: &Form, answers: &mut Answers, today: &str) -> FormState {
    let mut state = FormState::new();
    let mut scope_values = root_values(form, answers, &state);
    for &i in &form.order {
        let field = &form.fields[i];
        match field.parent {
            None => {
                let path = Path::top(&field.name);
                let scope = Scope::root(scope_values.clone(), today);
                let s = field_state(field, answers.get(&path), true, &scope);
                let changed = apply(answers, &path, &s);
                state.insert(path, s);
                if changed || !state_relevant(&state, &field.name) {
                    scope_values = root_values(form, answers, &state);
                }
            }
            Some(p) => {
                let repeat = &form.fields[p].name;
                let parent_relevant = state_relevant(&state, repeat);
                let ids: Vec<String> = answers
                    .repeats
                    .get(repeat)
                    .map(|l| l.iter().map(|x| x.id.clone()).collect())
                    .unwrap_or_default();
                let root = Scope::root(scope_values.clone(), today);
                let mut changed_any = false;
                for id in ids {
                    let members = instance_values(form, p, answers, &id, &state);
                    let scope = root.child(members);
                    let path = Path::member(repeat, &id, &field.name);
                    let s = field_state(field, answers.get(&path), parent_relevant, &scope);
                    changed_any |= apply(answers, &path, &s);
                    state.insert(path, s);
                }
                if changed_any {
                    scope_values = root_values(form, answers, &state);
                }
            }
        }
        if field.kind == Kind::Repeat {
            let path = Path::top(&field.name);
            let count = answers.repeats.get(&field.name).map_or(0, Vec::len) as u32;
            if let Some(s) = state.get_mut(&path)
                && s.relevant
            {
                if count < field.min {
                    s.issues.push(issue("too_few"));
                }
                if field.max.is_some_and(|max| count > max) {
                    s.issues.push(issue("too_many"));
                }
            }
        }
    }
    state
}

/// Writes a calculated value into the answers; true if it changed.
fn apply(answers: &mut Answers, path: &Path, s: &State) -> bool {
    let Some(value) = &s.calculated else {
        return false;
    };
    if answers.get(path).unwrap_or(&Value::Null) == value {
        return false;
    }
    answers.set(path, value.clone())
}

fn state_relevant(state: &FormState, name: &str) -> bool {
    state.get(&Path::top(name)).is_none_or(|s| s.relevant)
}

fn issue(code: &'static str) -> Issue {
    Issue {
        code,
        message: None,
    }
}

fn field_state(
    field: &Field,
    answer: Option<&Value>,
    parent_relevant: bool,
    scope: &Scope<'_>,
) -> State {
    let relevant = parent_relevant
        && field
            .relevant
            .as_ref()
            .is_none_or(|e| e.test(scope).unwrap_or(false));
    let mut state = State {
        relevant,
        required: false,
        calculated: None,
        choices: None,
        issues: Vec::new(),
    };
    if !relevant {
        return state;
    }
    state.required = match &field.required {
        Required::Never => false,
        Required::Always => true,
        Required::When(e) => e.test(scope).unwrap_or(false),
    };
    let answer = if let Some(calc) = &field.calculate {
        let value = calc
            .eval(scope)
            .and_then(|v| super::expr::to_json(&v))
            .and_then(|v| super::answer::check(field.kind, &field.choices, &v).ok())
            .unwrap_or(Value::Null);
        state.calculated = Some(value);
        state.calculated.as_ref()
    } else {
        answer
    };
    let answered = answer.is_some_and(|v| !v.is_null());
    if state.required && !answered && field.kind.holds_answer() {
        state.issues.push(issue("required"));
    }
    if let Some(filter) = &field.choice_filter {
        let offered: Vec<String> = field
            .choices
            .iter()
            .filter(|c| {
                let choice = map_value(
                    c.tags
                        .iter()
                        .map(|(k, v)| (k.clone(), Cel::String(v.clone().into())))
                        .chain([("value".to_string(), Cel::String(c.value.clone().into()))]),
                );
                filter
                    .test(&scope.child([("choice".to_string(), choice)]))
                    .unwrap_or(false)
            })
            .map(|c| c.value.clone())
            .collect();
        if let Some(answer) = answer
            && !picked(answer).all(|v| offered.iter().any(|o| o == v))
        {
            state.issues.push(issue("not_a_choice"));
        }
        state.choices = Some(offered);
    }
    if answered && let (Some(constraint), Some(answer)) = (&field.constraint, answer) {
        let own = scope.child([("value".to_string(), to_cel(answer))]);
        if !constraint.test(&own).unwrap_or(false) {
            state.issues.push(Issue {
                code: "constraint",
                message: (!field.constraint_message.is_empty())
                    .then(|| field.constraint_message.clone()),
            });
        }
    }
    state
}

/// The choice values an answer picks (one or several).
fn picked(answer: &Value) -> impl Iterator<Item = &str> {
    let many = answer
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str));
    let one = answer.as_str();
    many.into_iter().flatten().chain(one)
}

/// The top-level variables: answers (null when empty or not relevant) and
/// repeats as lists of instance maps.
fn root_values(form: &Form, answers: &Answers, state: &FormState) -> HashMap<String, Cel> {
    let mut values = HashMap::with_capacity(form.fields.len());
    for (i, f) in form.children(None) {
        let value = if !state_relevant(state, &f.name) {
            Cel::Null
        } else if f.kind == Kind::Repeat {
            let list = answers
                .repeats
                .get(&f.name)
                .map(|instances| {
                    instances
                        .iter()
                        .map(|x| map_value(instance_values(form, i, answers, &x.id, state)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            Cel::List(list.into())
        } else {
            answers.top.get(&f.name).map_or(Cel::Null, to_cel)
        };
        values.insert(f.name.clone(), value);
    }
    values
}

fn instance_values(
    form: &Form,
    repeat: usize,
    answers: &Answers,
    id: &str,
    state: &FormState,
) -> Vec<(String, Cel)> {
    let repeat_name = &form.fields[repeat].name;
    form.children(Some(repeat))
        .map(|(_, f)| {
            let path = Path::member(repeat_name, id, &f.name);
            let relevant = state.get(&path).is_none_or(|s| s.relevant);
            let value = match answers.get(&path) {
                Some(v) if relevant => to_cel(v),
                _ => Cel::Null,
            };
            (f.name.clone(), value)
        })
        .collect()
}

/// The answers that go into a submission: relevant ones only.
pub(crate) fn submission_answers(form: &Form, answers: &Answers, state: &FormState) -> Value {
    let mut out = serde_json::Map::new();
    for (i, f) in form.children(None) {
        if !state_relevant(state, &f.name) {
            continue;
        }
        if f.kind == Kind::Repeat {
            let list: Vec<Value> = answers
                .repeats
                .get(&f.name)
                .into_iter()
                .flatten()
                .map(|x| {
                    let mut member = serde_json::Map::new();
                    member.insert("_id".into(), x.id.clone().into());
                    for (_, m) in form.children(Some(i)) {
                        let path = Path::member(&f.name, &x.id, &m.name);
                        if state.get(&path).is_some_and(|s| s.relevant)
                            && let Some(v) = answers.get(&path)
                        {
                            member.insert(m.name.clone(), v.clone());
                        }
                    }
                    Value::Object(member)
                })
                .collect();
            out.insert(f.name.clone(), list.into());
        } else if let Some(v) = answers.top.get(&f.name) {
            out.insert(f.name.clone(), v.clone());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn household() -> Form {
        Form::load(include_bytes!(
            "../../../server/forms/household-visit.v1.json"
        ))
        .unwrap()
    }

    fn answers(top: Value) -> Answers {
        Answers {
            top: serde_json::from_value(top).unwrap(),
            repeats: HashMap::new(),
        }
    }

    #[test]
    fn relevance_required_and_constraints() {
        let form = household();
        let mut a = answers(json!({"head_name": "张三", "housing": "rented"}));
        let state = evaluate(&form, &mut a, "2026-11-24");
        assert!(state[&Path::top("rent_monthly")].relevant);
        assert_eq!(state[&Path::top("rent_monthly")].issues[0].code, "required");
        a.top.insert("housing".into(), json!("owned"));
        a.top.insert("rent_monthly".into(), json!(-5));
        let state = evaluate(&form, &mut a, "2026-11-24");
        assert!(!state[&Path::top("rent_monthly")].relevant);
        assert!(state[&Path::top("rent_monthly")].issues.is_empty());
        let submitted = submission_answers(&form, &a, &state);
        assert!(
            submitted.get("rent_monthly").is_none(),
            "non-relevant answers are excluded"
        );
    }

    #[test]
    fn repeats_calculate_and_count() {
        let form = household();
        let mut a = answers(json!({"head_name": "张三"}));
        let state = evaluate(&form, &mut a, "2026-11-24");
        assert_eq!(state[&Path::top("members")].issues[0].code, "too_few");
        a.repeats.insert(
            "members".into(),
            vec![
                Instance {
                    id: "m1".into(),
                    values: serde_json::from_value(
                        json!({"member_name": "李四", "member_age": 70}),
                    )
                    .unwrap(),
                },
                Instance {
                    id: "m2".into(),
                    values: serde_json::from_value(json!({"member_name": "王五", "member_age": 8}))
                        .unwrap(),
                },
            ],
        );
        let state = evaluate(&form, &mut a, "2026-11-24");
        assert!(state[&Path::top("members")].issues.is_empty());
        assert_eq!(a.top["member_count"], json!(2));
        assert_eq!(a.top["elderly_count"], json!(1));
        // Relevance inside an instance reads that instance's members.
        assert!(state[&Path::member("members", "m2", "school")].relevant);
        assert!(!state[&Path::member("members", "m1", "school")].relevant);
    }
}
