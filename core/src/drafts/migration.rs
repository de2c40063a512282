//! Moving a draft to another version of its form: answers whose field
//! still exists with the same type and still passes its checks carry over;
//! the rest are reported and dropped.

use serde_json::Value;

use super::records::MigrationReport;
use super::store;
use super::views::summary_text;
use super::{DraftsService, lock};
use crate::clock::now_ms;
use crate::error::{PalmGovError, Result};
use crate::forms::answer;
use crate::forms::definition::{Kind, NameMap};
use crate::forms::engine::{Answers, Instance, Path};
use crate::gate::Unlocked;

impl DraftsService {
    /// field still exists with the same type and still passes its checks
    /// carry over; the rest are reported and dropped.
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
        let mut answers = Answers::default();
        let mut dropped = Vec::new();
        let mut carried = 0u32;
        let fits = |name: &str, value: &Value| {
            let (_, old_field) = old.form.field(name)?;
            let (_, f) = form.field(name)?;
            (f.kind == old_field.kind && !f.readonly)
                .then(|| answer::check(f.kind, &f.choices, value).ok())
                .flatten()
        };
        for (name, value) in &old.answers.top {
            match fits(name, value) {
                Some(v) if form.field(name).is_some_and(|(_, f)| f.parent.is_none()) => {
                    answers.top.insert(name.clone(), v);
                    carried += 1;
                }
                _ if old.form.field(name).is_some_and(|(_, f)| f.readonly) => {}
                _ => dropped.push(name.clone()),
            }
        }
        for (repeat, instances) in &old.answers.repeats {
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
                        _ => dropped.push(path),
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
        dropped.sort();
        lock(&self.open)?.remove(draft_id);
        old.meta.form_version = version;
        old.meta.updated_at_ms = now_ms();
        let summary = summary_text(&form, &answers);
        store::replace_answers(self, &owner, &old.meta, &summary, &answers)?;
        Ok(MigrationReport {
            draft_id: draft_id.to_string(),
            carried,
            dropped,
        })
    }
}
