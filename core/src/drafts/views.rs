//! What a form screen shows: a whole draft (its layout and every field's
//! state), a field after a change, and a draft's line in the list.

use serde_json::Value;

use super::records::*;
use super::{DraftsService, OpenDraft};
use crate::error::Result;
use crate::forms::answer;
use crate::forms::definition::{Form, Kind};
use crate::forms::engine::{self, Answers, Path, State};
use crate::i18n::{self, pick};

impl DraftsService {
    pub(super) fn view(
        &self,
        draft: &mut OpenDraft,
        language: &str,
        prefilled: Vec<PrefilledValue>,
    ) -> Result<DraftView> {
        let fields = engine::in_order(&draft.state)
            .into_iter()
            .filter_map(|(p, _)| field_view(draft, p, language, true))
            .collect();
        let repeats = draft
            .form
            .children(None)
            .filter(|(_, f)| f.kind == Kind::Repeat)
            .map(|(_, f)| RepeatView {
                name: f.name.clone(),
                instance_ids: draft
                    .answers
                    .repeats
                    .get(&f.name)
                    .map(|l| l.iter().map(|x| x.id.clone()).collect())
                    .unwrap_or_default(),
            })
            .collect();
        let form = &draft.form;
        let layout = form
            .fields
            .iter()
            .map(|f| FieldLayout {
                name: f.name.clone(),
                kind: f.kind.name().to_string(),
                label: pick(&f.label, language),
                hint: (!f.hint.is_empty()).then(|| pick(&f.hint, language)),
                repeat: f.parent.map(|p| form.fields[p].name.clone()),
                read_only: f.readonly,
                choices: f
                    .choices
                    .iter()
                    .map(|c| ChoiceLabel {
                        value: c.value.clone(),
                        label: pick(&c.label, language),
                    })
                    .collect(),
            })
            .collect();
        let (pending_captures, abandoned_attachments) = self.media.pending_views(&draft.meta.id)?;
        Ok(DraftView {
            summary: summary_of(draft, language),
            layout,
            fields,
            repeats,
            prefilled,
            pending_captures,
            abandoned_attachments,
            dropped_answers: super::store::dropped(self, &draft.meta.id)?
                .into_iter()
                .map(|(path, value)| DroppedAnswer {
                    path,
                    value_json: value.to_string(),
                })
                .collect(),
            licence_uses: self.licence_uses(&draft.meta.id)?,
        })
    }
}

/// has just checked it passes `false`.
pub(super) fn field_view(
    draft: &OpenDraft,
    path: &Path,
    language: &str,
    recheck: bool,
) -> Option<FieldView> {
    let (_, field) = draft.form.field(&path.name)?;
    let state = draft.state.get(path)?;
    Some(FieldView {
        path: path.key(),
        relevant: state.relevant,
        required: state.required,
        read_only: field.readonly,
        value_json: draft
            .answers
            .get(path)
            .filter(|v| !v.is_null())
            // Not `to_string`: `Display` writes through a formatter into a
            // string grown from empty, on every save's reply.
            .and_then(|v| serde_json::to_string(v).ok()),
        choices: state.choices.clone(),
        issues: issues_of(draft, path, state, language, recheck),
    })
}

pub(super) fn issues_of(
    draft: &OpenDraft,
    path: &Path,
    state: &State,
    language: &str,
    recheck: bool,
) -> Vec<FieldIssue> {
    let mut out: Vec<FieldIssue> = state
        .issues
        .iter()
        .map(|i| FieldIssue {
            path: path.key(),
            code: i.code.to_string(),
            message: match &i.message {
                Some(labels) => pick(labels, language),
                None => i18n::message(i.code, language),
            },
        })
        .collect();
    // An answer stored before a rule changed (or restored from disk) is
    // re-checked, so finalize never sends a value its field refuses.
    if recheck
        && state.relevant
        && let (Some((_, f)), Some(v)) = (draft.form.field(&path.name), draft.answers.get(path))
        && let Err(p) = answer::check(f.kind, &f.choices, v)
    {
        out.push(FieldIssue {
            path: path.key(),
            code: p.code().into(),
            message: i18n::message(p.code(), language),
        });
    }
    out
}

pub(super) fn summary_of(draft: &OpenDraft, language: &str) -> DraftSummary {
    let m = &draft.meta;
    DraftSummary {
        id: m.id.clone(),
        form_id: m.form_id.clone(),
        form_version: m.form_version,
        title: pick(&draft.form.title, language),
        state: m.state,
        subject: m.subject.clone(),
        summary: summary_text(&draft.form, &draft.answers),
        created_at_ms: m.created_at_ms,
        updated_at_ms: m.updated_at_ms,
        utc_offset_min: m.utc_offset_min,
        replaces: m.replaces.clone(),
    }
}

/// The summary line of a draft ("张三 · 330106…"), computed here and
/// handed to the SQL layer to seal.
pub(super) fn summary_text(form: &Form, answers: &Answers) -> String {
    summary_values(form, answers).join(" · ")
}

/// The display values of the form's summary fields.
fn summary_values(form: &Form, answers: &Answers) -> Vec<String> {
    form.summary
        .iter()
        .filter_map(|&i| answers.top.get(&form.fields[i].name))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}
