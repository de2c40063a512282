//! Moving a draft to another version of its form: answers whose field
//! still exists with the same type and still passes its checks carry over;
//! the rest are reported, and kept aside with the draft (sealed) until it
//! is sent, so the person sees what to enter again instead of losing it.
//! A preview says all this before anything changes.

use serde_json::Value;

use super::records::MigrationReport;
use super::store;
use super::views::summary_text;
use super::{DraftsService, lock};
use crate::clock::now_ms;
use crate::error::{PalmGovError, Result};
use crate::forms::answer;
use crate::forms::definition::{Form, Kind, NameMap};
use crate::forms::engine::{Answers, Instance, Path};
use crate::gate::Unlocked;

/// What a migration would carry and drop.
struct Plan {
    answers: Answers,
    carried: u32,
    /// Dropped answers by path, with their values.
    dropped: Vec<(String, Value)>,
}

impl DraftsService {
    /// What moving a draft to `version` would carry and drop, without
    /// changing anything.
    pub(crate) fn preview_migration(
        &self,
        _: &Unlocked,
        draft_id: &str,
        version: u32,
    ) -> Result<MigrationReport> {
        let old = self.load_draft(draft_id)?;
        if old.frozen {
            return Err(PalmGovError::DraftFrozen.into());
        }
        let form = self.catalog.form(&old.form.id, Some(version))?;
        let plan = plan(&old.form, &old.answers, &form);
        Ok(report(draft_id, &plan))
    }

    /// Moves a draft to `version` (module notes).
    pub(crate) fn migrate_draft(
        &self,
        _: &Unlocked,
        draft_id: &str,
        version: u32,
    ) -> Result<MigrationReport> {
        let owner = self.ctx.owner()?;
        let mut old = self.load_draft(draft_id)?;
        if old.frozen {
            return Err(PalmGovError::DraftFrozen.into());
        }
        let form = self.catalog.form(&old.form.id, Some(version))?;
        let plan = plan(&old.form, &old.answers, &form);
        // Kept with what an earlier migration dropped.
        let mut kept = store::dropped(self, draft_id)?;
        kept.retain(|(path, _)| !plan.dropped.iter().any(|(p, _)| p == path));
        kept.extend(plan.dropped.iter().cloned());
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        lock(&self.open)?.remove(draft_id);
        old.meta.form_version = version;
        old.meta.updated_at_ms = now_ms();
        let summary = summary_text(&form, &plan.answers);
        store::replace_answers(self, &owner, &old.meta, &summary, &plan.answers, &kept)?;
        Ok(report(draft_id, &plan))
    }
}

fn report(draft_id: &str, plan: &Plan) -> MigrationReport {
    MigrationReport {
        draft_id: draft_id.to_string(),
        carried: plan.carried,
        dropped: plan.dropped.iter().map(|(p, _)| p.clone()).collect(),
    }
}

/// Which answers of `old_answers` (under `old_form`) fit `form`.
fn plan(old_form: &Form, old_answers: &Answers, form: &Form) -> Plan {
    let mut answers = Answers::default();
    let mut dropped = Vec::new();
    let mut carried = 0u32;
    let fits = |name: &str, value: &Value| {
        let (_, old_field) = old_form.field(name)?;
        let (_, f) = form.field(name)?;
        (f.kind == old_field.kind && !f.readonly)
            .then(|| answer::check(f.kind, &f.choices, value).ok())
            .flatten()
    };
    for (name, value) in &old_answers.top {
        match fits(name, value) {
            Some(v) if form.field(name).is_some_and(|(_, f)| f.parent.is_none()) => {
                answers.top.insert(name.clone(), v);
                carried += 1;
            }
            _ if old_form.field(name).is_some_and(|(_, f)| f.readonly) => {}
            _ => dropped.push((name.clone(), value.clone())),
        }
    }
    for (repeat, instances) in &old_answers.repeats {
        let kept = form
            .field(repeat)
            .is_some_and(|(_, f)| f.kind == Kind::Repeat);
        for x in instances {
            let mut values = NameMap::default();
            for (name, value) in &x.values {
                let path = Path::member(repeat, &x.id, name).key();
                let same_repeat = form
                    .field(name)
                    .and_then(|(_, f)| f.parent)
                    .is_some_and(|p| &form.fields[p].name == repeat);
                match fits(name, value) {
                    Some(v) if kept && same_repeat => {
                        values.insert(name.clone(), v);
                        carried += 1;
                    }
                    _ => dropped.push((path, value.clone())),
                }
            }
            if kept {
                answers
                    .repeats
                    .entry(repeat.clone())
                    .or_default()
                    .push(Instance {
                        id: x.id.clone(),
                        values,
                    });
            }
        }
    }
    dropped.sort_by(|a, b| a.0.cmp(&b.0));
    Plan {
        answers,
        carried,
        dropped,
    }
}
