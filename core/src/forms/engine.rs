//! Evaluating a form over a draft's answers: relevance, required,
//! calculations, constraints, repeat counts and choice filters.
//!
//! One pass in dependency order ([`Form::order`]) computes every field's
//! state ([`evaluate`]): at load, at finalize, and when repeat instances
//! come or go. A saved answer re-evaluates only its own field and what
//! reads it ([`reevaluate`]); for most answers nothing does, which keeps
//! autosave at the cost of the write.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::definition::{Field, Form, Kind, NameMap, Required};
use super::expr::{Scope, Var, list_var, map_var, null_var, string_var, to_var};

/// The answers of one draft, by path (see [`Path`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Answers {
    /// Top-level answers by field name.
    pub top: NameMap<Value>,
    /// Repeat instances by repeat name, in order.
    pub repeats: NameMap<Vec<Instance>>,
}

/// One repeat instance, named by a stable id rather than its position, so a
/// deleted member never shifts another's answers.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub id: String,
    pub values: NameMap<Value>,
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

    /// The path as stored and shown: `name` or `repeat/instance/name`.
    /// Built in one allocation; `to_string` goes through the formatter,
    /// and every save renders its paths.
    pub(crate) fn key(&self) -> String {
        match &self.instance {
            None => self.name.clone(),
            Some((r, i)) => [r.as_str(), i, &self.name].join("/"),
        }
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
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

/// The answers an edit replaced, to write out or put back. An edit that
/// adds or removes repeat instances keeps them all; an answer keeps only
/// the paths it and its calculations changed: cloning every answer on each
/// keystroke made a save cost more the fuller the draft.
pub(crate) enum Before {
    Whole(Answers),
    Paths(Vec<(Path, Option<Value>)>),
}

impl Before {
    /// Ready for an edit of `answers`; `structural` for one that adds or
    /// removes repeat instances.
    pub(crate) fn of(answers: &Answers, structural: bool) -> Self {
        match structural {
            true => Self::Whole(answers.clone()),
            false => Self::Paths(Vec::new()),
        }
    }

    /// Notes the value at `path` before its first change. Every change to
    /// an answer in a non-structural edit must be noted: writing out
    /// compares only the noted paths.
    pub(crate) fn note(&mut self, answers: &Answers, path: &Path) {
        if let Self::Paths(list) = self
            && !list.iter().any(|(p, _)| p == path)
        {
            list.push((path.clone(), answers.get(path).cloned()));
        }
    }

    /// The value at `path` before the edit; `now` holds the paths the edit
    /// did not note.
    pub(crate) fn get<'a>(&'a self, now: &'a Answers, path: &Path) -> Option<&'a Value> {
        match self {
            Self::Whole(answers) => answers.get(path),
            Self::Paths(list) => match list.iter().find(|(p, _)| p == path) {
                Some((_, old)) => old.as_ref(),
                None => now.get(path),
            },
        }
    }

    /// Puts `answers` back as they were before the edit.
    pub(crate) fn restore(self, answers: &mut Answers) {
        match self {
            Self::Whole(old) => *answers = old,
            Self::Paths(list) => {
                for (path, old) in list.into_iter().rev() {
                    answers.set(&path, old.unwrap_or(Value::Null));
                }
            }
        }
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

/// The whole draft's state, by path. Hashed, not ordered: a save looks its
/// path up a few times, and a B-tree of paths paid a chain of string
/// comparisons for each. Whatever shows states in order goes through
/// [`in_order`].
pub(crate) type FormState = HashMap<Path, State, foldhash::fast::RandomState>;

/// The states in path order (the order views and finalize list them in).
pub(crate) fn in_order(state: &FormState) -> Vec<(&Path, &State)> {
    let mut all: Vec<_> = state.iter().collect();
    all.sort_unstable_by(|a, b| a.0.cmp(b.0));
    all
}

/// Evaluates every field and writes calculated values into `answers`.
///
/// The top-level scope is built once and then kept current one variable at
/// a time: a field's variable changes only when a calculation rewrites it,
/// when its relevance differs from what the scope assumed (hidden answers
/// read as `null`), or, for a repeat, when a member's does. Rebuilding the
/// whole scope for every field made an answer with dependents cost ten
/// times one without.
pub(crate) fn evaluate(form: &Form, answers: &mut Answers, today: &str) -> FormState {
    let mut state = FormState::default();
    let mut root = Scope::root(root_values(form, answers, &state, |_| true), today);
    for &i in &form.order {
        eval_field(form, i, answers, &mut state, &mut root, None, None);
    }
    state
}

/// Re-evaluates only what a change to the answers at `touched` can move:
/// their fields and those fields' dependents (everything that reads them,
/// transitively; a repeat's members count as reading it). A member that
/// reads only its own instance is evaluated again only in the touched
/// instances: in a household of five, the other four cannot have moved.
/// Everything else keeps its state, which is what a full [`evaluate`]
/// would compute again (test `incremental_matches_full_evaluation`).
///
/// Not for adding or removing repeat instances: those change paths, not
/// just states; [`evaluate`] them. Returns each re-evaluated path with its
/// state before, so the caller can tell what moved, and notes in `before`
/// every answer a calculation rewrote. `today` is asked for only when an
/// expression will be evaluated.
pub(crate) fn reevaluate(
    form: &Form,
    answers: &mut Answers,
    today: impl FnOnce() -> String,
    state: &mut FormState,
    touched: &[Path],
    before: &mut Before,
) -> Vec<(Path, Option<State>)> {
    let mut affected = vec![false; form.fields.len()];
    let mut stack: Vec<usize> = touched
        .iter()
        .filter_map(|p| form.field(&p.name).map(|(i, _)| i))
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut affected[i], true) {
            continue;
        }
        stack.extend(&form.fields[i].dependents);
    }
    // A field without expressions needs no variables: the common answer,
    // which nothing reads, skips building the scope and even the date.
    // And the scope holds only the top-level variables the affected
    // expressions name: converting a whole household into CEL values was
    // a third of a member's save.
    let reads =
        (0..affected.len()).any(|i| affected[i] && form.fields[i].expressions().next().is_some());
    let mut root = match reads {
        true => {
            let mut wanted = vec![false; form.fields.len()];
            for i in (0..affected.len()).filter(|&i| affected[i]) {
                for &j in &form.fields[i].reads_top {
                    wanted[j] = true;
                }
            }
            Scope::root(root_values(form, answers, state, |i| wanted[i]), &today())
        }
        false => Scope::empty(),
    };
    let mut track = Track {
        before,
        replaced: Vec::new(),
    };
    for &i in form.order.iter().filter(|&&i| affected[i]) {
        let field = &form.fields[i];
        // The touched instances of this member's repeat, unless the repeat
        // itself moved (its relevance is every member's).
        let only: Option<Vec<&str>> = match field.parent {
            Some(p) if field.instance_local && !affected[p] => {
                let repeat = form.fields[p].name.as_str();
                let ids: Vec<&str> = touched
                    .iter()
                    .filter_map(|t| t.instance.as_ref())
                    .filter(|(r, _)| r == repeat)
                    .map(|(_, id)| id.as_str())
                    .collect();
                (!ids.is_empty()).then_some(ids)
            }
            _ => None,
        };
        eval_field(
            form,
            i,
            answers,
            state,
            &mut root,
            Some(&mut track),
            only.as_deref(),
        );
    }
    track.replaced
}

/// What an incremental evaluation keeps: the answers calculations rewrote
/// (in `before`) and the states it replaced. A full evaluation keeps
/// neither: it starts from nothing.
struct Track<'a> {
    before: &'a mut Before,
    replaced: Vec<(Path, Option<State>)>,
}

/// Evaluates field `i` in every place it occurs and updates `state` and
/// the scope, recording in `track`, when there is one, what it replaced.
/// A member is evaluated in the instances `only` names, or in all.
fn eval_field(
    form: &Form,
    i: usize,
    answers: &mut Answers,
    state: &mut FormState,
    root: &mut Scope<'static>,
    mut track: Option<&mut Track<'_>>,
    only: Option<&[&str]>,
) {
    let field = &form.fields[i];
    match field.parent {
        None => {
            let path = Path::top(&field.name);
            let s = field_state(field, answers.get(&path), true, root);
            let changed = apply(answers, &path, &s, track.as_deref_mut());
            let relevant = s.relevant;
            let old = state.insert(path.clone(), s);
            // What the scope holds for this field was built assuming the
            // old relevance (see `state_relevant`).
            if changed || old.as_ref().is_none_or(|o| o.relevant) != relevant {
                root.set(&field.name, scope_value(form, i, answers, state));
            }
            if let Some(t) = &mut track {
                t.replaced.push((path, old));
            }
        }
        Some(p) => {
            let repeat = &form.fields[p].name;
            let parent_relevant = state_relevant(state, repeat);
            let ids: Vec<String> = answers
                .repeats
                .get(repeat)
                .map(|l| {
                    l.iter()
                        .filter(|x| only.is_none_or(|o| o.contains(&x.id.as_str())))
                        .map(|x| x.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            let mut moved = false;
            for id in ids {
                let members = instance_values(form, p, answers, &id, state);
                let path = Path::member(repeat, &id, &field.name);
                let assumed = state.get(&path).is_none_or(|s| s.relevant);
                let s = field_state(
                    field,
                    answers.get(&path),
                    parent_relevant,
                    &root.child(members),
                );
                moved |= apply(answers, &path, &s, track.as_deref_mut());
                // An answer whose relevance flipped reads differently now.
                moved |= s.relevant != assumed && answers.get(&path).is_some();
                let old = state.insert(path.clone(), s);
                if let Some(t) = &mut track {
                    t.replaced.push((path, old));
                }
            }
            if moved {
                root.set(repeat, scope_value(form, p, answers, state));
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

/// Writes a calculated value into the answers; true if it changed.
fn apply(answers: &mut Answers, path: &Path, s: &State, track: Option<&mut Track<'_>>) -> bool {
    let Some(value) = &s.calculated else {
        return false;
    };
    if answers.get(path).unwrap_or(&Value::Null) == value {
        return false;
    }
    if let Some(t) = track {
        t.before.note(answers, path);
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
                let choice = map_var(
                    c.tags
                        .iter()
                        .map(|(k, v)| (k.clone(), string_var(v.clone())))
                        .chain([("value".to_string(), string_var(c.value.clone()))]),
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
        let own = scope.child([("value".to_string(), to_var(answer))]);
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

/// The top-level variables of the fields `wanted` picks: answers (null
/// when empty or not relevant) and repeats as lists of instance maps.
fn root_values<'a>(
    form: &'a Form,
    answers: &'a Answers,
    state: &'a FormState,
    wanted: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = (String, Var)> + 'a {
    form.children(None)
        .filter(move |&(i, _)| wanted(i))
        .map(|(i, f)| (f.name.clone(), scope_value(form, i, answers, state)))
}

/// The variable of top-level field `i` (see [`root_values`]).
fn scope_value(form: &Form, i: usize, answers: &Answers, state: &FormState) -> Var {
    let f = &form.fields[i];
    if !state_relevant(state, &f.name) {
        null_var()
    } else if f.kind == Kind::Repeat {
        let list = answers
            .repeats
            .get(&f.name)
            .map(|instances| {
                instances
                    .iter()
                    .map(|x| map_var(instance_values(form, i, answers, &x.id, state)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        list_var(list)
    } else {
        answers.top.get(&f.name).map_or_else(null_var, to_var)
    }
}

fn instance_values(
    form: &Form,
    repeat: usize,
    answers: &Answers,
    id: &str,
    state: &FormState,
) -> Vec<(String, Var)> {
    let repeat_name = &form.fields[repeat].name;
    form.children(Some(repeat))
        .map(|(_, f)| {
            let path = Path::member(repeat_name, id, &f.name);
            let relevant = state.get(&path).is_none_or(|s| s.relevant);
            let value = match answers.get(&path) {
                Some(v) if relevant => to_var(v),
                _ => null_var(),
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
            repeats: NameMap::default(),
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

    /// Every path that holds an answer.
    fn paths(a: &Answers) -> Vec<Path> {
        let mut out: Vec<Path> = a.top.keys().map(|k| Path::top(k)).collect();
        for (r, list) in &a.repeats {
            for x in list {
                out.extend(x.values.keys().map(|k| Path::member(r, &x.id, k)));
            }
        }
        out
    }

    /// Sets random answers from `pool` (field, candidate values) and checks
    /// after each that re-evaluating only what it can move gives what
    /// evaluating everything gives.
    fn check_incremental(form: &Form, repeat: &str, pool: &[(&str, Vec<Value>)]) {
        let ids = ["m1", "m2", "m3"];
        let mut a = answers(json!({}));
        a.repeats.insert(
            repeat.into(),
            ids.iter()
                .map(|id| Instance {
                    id: id.to_string(),
                    values: NameMap::default(),
                })
                .collect(),
        );
        let mut state = evaluate(form, &mut a, "2026-11-24");
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        for step in 0..3_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let (name, values) = &pool[(rng % pool.len() as u64) as usize];
            let value = values[(rng >> 8) as usize % values.len()].clone();
            let (_, f) = form.field(name).unwrap();
            let path = match f.parent {
                None => Path::top(name),
                Some(_) => Path::member(repeat, ids[(rng >> 16) as usize % 3], name),
            };
            let old_answers = a.clone();
            let mut before = Before::of(&a, false);
            before.note(&a, &path);
            a.set(&path, value);
            reevaluate(
                form,
                &mut a,
                || "2026-11-24".into(),
                &mut state,
                std::slice::from_ref(&path),
                &mut before,
            );
            // Every answer that moved was noted, so writing out the noted
            // paths writes all the edit changed, and undoing restores it.
            for p in paths(&old_answers).into_iter().chain(paths(&a)) {
                assert_eq!(before.get(&a, &p), old_answers.get(&p), "step {step}: {p}");
            }
            let mut undone = a.clone();
            before.restore(&mut undone);
            assert_eq!(undone.top, old_answers.top, "step {step}: undo {path}");
            for (r, list) in &old_answers.repeats {
                let values =
                    |l: &[Instance]| l.iter().map(|x| x.values.clone()).collect::<Vec<_>>();
                assert_eq!(
                    values(&undone.repeats[r]),
                    values(list),
                    "step {step}: undo {path}"
                );
            }
            let mut full_answers = a.clone();
            let full = evaluate(form, &mut full_answers, "2026-11-24");
            for (p, s) in &full {
                assert_eq!(
                    state.get(p),
                    Some(s),
                    "step {step}: set {path}, differs at {p}"
                );
            }
            assert_eq!(state.len(), full.len(), "step {step}: {path}");
            assert_eq!(a.top, full_answers.top, "step {step}: {path}");
        }
    }

    #[test]
    fn incremental_matches_full_evaluation() {
        check_incremental(
            &household(),
            "members",
            &[
                (
                    "housing",
                    vec![json!("owned"), json!("rented"), json!("other"), Value::Null],
                ),
                ("rent_monthly", vec![json!(1200.5), json!(-3), Value::Null]),
                (
                    "head_name",
                    vec![json!("张三"), json!("x".repeat(40)), Value::Null],
                ),
                (
                    "visit_date",
                    vec![json!("2026-11-20"), json!("2030-01-01"), Value::Null],
                ),
                (
                    "member_age",
                    vec![json!(8), json!(70), json!(30), json!(200), Value::Null],
                ),
                ("member_name", vec![json!("李四"), Value::Null]),
                ("school", vec![json!("yes"), json!("no"), Value::Null]),
                (
                    "relation",
                    vec![json!("child"), json!("spouse"), Value::Null],
                ),
            ],
        );
        // Choice filters, a calculation chain, a repeat whose relevance
        // follows a top-level answer, and required-when.
        let form = Form::load(
            json!({
                "format": 1, "id": "mix", "version": 1, "title": {"en": "Mix"},
                "fields": [
                    {"name": "region", "type": "select_one", "choices": [
                        {"value": "north"}, {"value": "south"}]},
                    {"name": "city", "type": "select_one",
                     "choice_filter": "region != null && choice.region == region",
                     "choices": [
                        {"value": "a", "tags": {"region": "north"}},
                        {"value": "b", "tags": {"region": "south"}}]},
                    {"name": "has_kids", "type": "select_one", "choices": [
                        {"value": "yes"}, {"value": "no"}]},
                    {"name": "kids", "type": "repeat", "relevant": "has_kids == 'yes'", "fields": [
                        {"name": "age", "type": "integer", "required": "has_kids == 'yes'"},
                        {"name": "older", "type": "integer", "calculate": "age != null ? age + 1 : null"},
                        {"name": "nick", "type": "text"},
                        {"name": "eldest", "type": "text", "relevant": "region == 'north'"},
                        {"name": "crowd", "type": "text", "relevant": "kids.exists(k, k.nick == '小明')"}
                    ]},
                    {"name": "total", "type": "integer",
                     "calculate": "kids == null ? 0 : size(kids.filter(k, k.older != null))"},
                    {"name": "many", "type": "text", "relevant": "total >= 2"}
                ]
            })
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        check_incremental(
            &form,
            "kids",
            &[
                ("region", vec![json!("north"), json!("south"), Value::Null]),
                ("city", vec![json!("a"), json!("b"), Value::Null]),
                ("has_kids", vec![json!("yes"), json!("no"), Value::Null]),
                ("age", vec![json!(3), json!(12), Value::Null]),
                ("many", vec![json!("x"), Value::Null]),
                ("nick", vec![json!("小明"), Value::Null]),
                ("eldest", vec![json!("y"), Value::Null]),
                ("crowd", vec![json!("z"), Value::Null]),
            ],
        );
    }

    /// A member that reads nothing still follows its repeat's relevance:
    /// the repeat is evaluated first. (Members with no expressions once came
    /// first in the evaluation order and were judged relevant under a
    /// hidden repeat.)
    #[test]
    fn members_of_a_hidden_repeat_are_hidden() {
        let form = Form::load(
            json!({
                "format": 1, "id": "kids", "version": 1, "title": {"en": "Kids"},
                "fields": [
                    {"name": "has_kids", "type": "select_one", "choices": [{"value": "yes"}]},
                    {"name": "kids", "type": "repeat", "relevant": "has_kids == 'yes'",
                     "fields": [{"name": "nick", "type": "text", "required": true}]}
                ]
            })
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        let mut a = answers(json!({}));
        a.repeats.insert(
            "kids".into(),
            vec![Instance {
                id: "k1".into(),
                values: NameMap::default(),
            }],
        );
        let state = evaluate(&form, &mut a, "2026-11-24");
        let nick = &state[&Path::member("kids", "k1", "nick")];
        assert!(!nick.relevant && nick.issues.is_empty(), "{nick:?}");
    }

    /// A member answer hidden by its instance's relevance reads as null in
    /// the repeat's list too, not only in the instance's own scope. (The
    /// list was built before any member's relevance was known, and kept
    /// the stale answer unless a calculation happened to change.)
    #[test]
    fn hidden_member_answers_are_null_in_the_repeat_list() {
        let form = Form::load(
            json!({
                "format": 1, "id": "kids", "version": 1, "title": {"en": "Kids"},
                "fields": [
                    {"name": "kids", "type": "repeat", "fields": [
                        {"name": "age", "type": "integer"},
                        {"name": "school", "type": "text", "relevant": "age != null && age < 18"}
                    ]},
                    {"name": "schooled", "type": "integer",
                     "calculate": "size(kids.filter(k, k.school != null))"}
                ]
            })
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        let kid = |id: &str, age: i64| Instance {
            id: id.into(),
            values: serde_json::from_value(json!({"age": age, "school": "一中"})).unwrap(),
        };
        let mut a = answers(json!({}));
        a.repeats
            .insert("kids".into(), vec![kid("k1", 12), kid("k2", 30)]);
        let state = evaluate(&form, &mut a, "2026-11-24");
        assert!(!state[&Path::member("kids", "k2", "school")].relevant);
        assert_eq!(a.top["schooled"], json!(1));
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
