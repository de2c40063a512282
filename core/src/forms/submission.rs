//! Checking a submission's answers against its form, for a backend.
//!
//! A region's backend must not trust the app: it receives answers that any
//! HTTP client could have written. [`check_submission`] runs them through
//! the same engine the app fills forms with (types, choices, relevance,
//! required fields, constraints, repeat counts), so what the app would
//! refuse to finalize the backend refuses to store. The reference backend
//! calls it before it stores a submission (`server/src/submissions.rs`).

use serde_json::{Map, Value};

use super::answer;
use super::definition::{Form, Kind, NameMap};
use super::engine::{self, Answers, Instance, Path};

/// The most problems reported for one submission: enough to fix a form,
/// never a reply as large as the submission.
const MAX_PROBLEMS: usize = 20;
/// The longest repeat instance id the app mints (a UUID) is 36 characters.
const MAX_INSTANCE_ID: usize = 64;

/// One thing wrong with a submission's answers: where (`name`, or
/// `repeat/instance/name`) and a stable code (`unknown_field`, `type`,
/// `required`, `constraint`, `not_a_choice`, `not_relevant`,
/// `bad_instance`, …). Never the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionProblem {
    pub path: String,
    pub code: String,
}

/// Why a submission cannot be checked at all, or what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionCheck {
    /// The definition itself does not load (a backend configuration error).
    BadDefinition,
    /// The answers break the form's rules; at most [`MAX_PROBLEMS`].
    Problems(Vec<SubmissionProblem>),
}

/// A `licence_ref` field that takes a licence from the wallet as material:
/// the backend verifies the presentation attached for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceRequirement {
    pub field: String,
    /// The licence type's registry name (`household_register`).
    pub licence_type: String,
    /// The claims the presentation must disclose, and no others.
    pub disclose: Vec<String>,
}

/// The fields of form `definition` that take a licence as material, in
/// document order.
pub fn licence_requirements(definition: &[u8]) -> Result<Vec<LicenceRequirement>, SubmissionCheck> {
    let form = Form::load(definition).map_err(|_| SubmissionCheck::BadDefinition)?;
    Ok(form
        .children(None)
        .filter_map(|(_, f)| {
            let need = f.licence.as_ref()?;
            Some(LicenceRequirement {
                field: f.name.clone(),
                licence_type: need.licence_type.name.to_string(),
                disclose: need.disclose.iter().map(|c| (*c).to_string()).collect(),
            })
        })
        .collect())
}

/// Checks `answers` (a submission's `answers` object, as the app's outbox
/// sends it) against the form `definition` (its JSON), evaluated on
/// `today` (`YYYY-MM-DD`, the person's local date).
pub fn check_submission(
    definition: &[u8],
    answers: &Map<String, Value>,
    today: &str,
) -> Result<(), SubmissionCheck> {
    let form = Form::load(definition).map_err(|_| SubmissionCheck::BadDefinition)?;
    let mut problems = Problems::default();
    let mut parsed = Answers::default();
    for (name, value) in answers {
        let Some((i, field)) = form.field(name).filter(|(_, f)| f.parent.is_none()) else {
            problems.push(name, "unknown_field");
            continue;
        };
        if field.kind == Kind::Repeat {
            let instances = repeat_instances(&form, i, name, value, &mut problems);
            parsed.repeats.insert(name.clone(), instances);
        } else if let Some(v) = checked(&form, name, value, &mut problems) {
            parsed.top.insert(name.clone(), v);
        }
    }
    if problems.0.is_empty() {
        let sent = parsed.clone();
        let state = engine::evaluate(&form, &mut parsed, today);
        for (path, s) in engine::in_order(&state) {
            if !s.relevant {
                // The app sends relevant answers only.
                if sent.get(path).is_some_and(|v| !v.is_null()) {
                    problems.push(&path.key(), "not_relevant");
                }
                continue;
            }
            for issue in &s.issues {
                problems.push(&path.key(), issue.code);
            }
        }
    }
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(SubmissionCheck::Problems(problems.0))
    }
}

/// A repeat's instances from their JSON list: objects with a unique `_id`
/// and the repeat's own members.
fn repeat_instances(
    form: &Form,
    repeat: usize,
    name: &str,
    value: &Value,
    problems: &mut Problems,
) -> Vec<Instance> {
    let Some(list) = value.as_array() else {
        problems.push(name, "type");
        return Vec::new();
    };
    let mut out: Vec<Instance> = Vec::new();
    for member in list {
        let Some(object) = member.as_object() else {
            problems.push(name, "type");
            continue;
        };
        let id = object.get("_id").and_then(Value::as_str).unwrap_or("");
        if id.is_empty() || id.len() > MAX_INSTANCE_ID || out.iter().any(|x| x.id == id) {
            problems.push(name, "bad_instance");
            continue;
        }
        let mut values = NameMap::default();
        for (key, v) in object.iter().filter(|(k, _)| *k != "_id") {
            let path = Path::member(name, id, key).key();
            if form
                .field(key)
                .is_none_or(|(_, f)| f.parent != Some(repeat))
            {
                problems.push(&path, "unknown_field");
            } else if let Some(v) = checked(form, &path, v, problems) {
                values.insert(key.clone(), v);
            }
        }
        out.push(Instance {
            id: id.to_string(),
            values,
        });
    }
    out
}

/// A value its field accepts, normalized; `None` (and a problem) otherwise.
fn checked(form: &Form, path: &str, value: &Value, problems: &mut Problems) -> Option<Value> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (_, field) = form.field(name)?;
    if !field.kind.holds_answer() {
        problems.push(path, "not_an_answer");
        return None;
    }
    match answer::check(field.kind, &field.choices, value) {
        Ok(v) => Some(v),
        Err(p) => {
            problems.push(path, p.code());
            None
        }
    }
}

#[derive(Default)]
struct Problems(Vec<SubmissionProblem>);

impl Problems {
    fn push(&mut self, path: &str, code: &str) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(SubmissionProblem {
                path: path.chars().take(200).collect(),
                code: code.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HOUSEHOLD: &[u8] = include_bytes!("../../../server/forms/household-visit.v1.json");

    fn answers(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn codes(result: Result<(), SubmissionCheck>) -> Vec<(String, String)> {
        match result {
            Err(SubmissionCheck::Problems(p)) => p.into_iter().map(|p| (p.path, p.code)).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn nonsense_is_refused_with_where_and_why() {
        let got = codes(check_submission(
            HOUSEHOLD,
            &answers(json!({"nonsense": ["a"]})),
            "2026-12-07",
        ));
        assert_eq!(got, [("nonsense".to_string(), "unknown_field".to_string())]);
    }

    #[test]
    fn an_empty_form_misses_its_required_answers() {
        let got = codes(check_submission(HOUSEHOLD, &Map::new(), "2026-12-07"));
        assert!(got.iter().any(|(_, c)| c == "required"), "{got:?}");
    }

    #[test]
    fn a_broken_definition_is_the_backends_fault() {
        assert_eq!(
            check_submission(b"{}", &Map::new(), "2026-12-07"),
            Err(SubmissionCheck::BadDefinition)
        );
    }
}
