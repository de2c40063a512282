//! A draft's life: created (prefilled), autosaved one answer at a time,
//! resumed, listed and searched, deleted, finalized into the outbox, and
//! edited after sending as a new draft that replaces the old.

use serde_json::Value;

use super::prefill::{self, Sources};
use super::records::*;
use super::store::{self, ExtraWrite};
use super::views::{field_view, issues_of, summary_text};
use super::{
    DraftsService, MAX_OPEN, OpenDraft, OpenDrafts, TOUCH_RESOLUTION_MS, bad_answer, local_date,
    lock, new_instance,
};
use crate::clock::now_ms;
use crate::crypto::uuid_v4;
use crate::error::{PalmGovError, Result};
use crate::forms::answer;
use crate::forms::definition::Kind;
use crate::forms::engine::{self, Answers, Path};
use crate::gate::Unlocked;
use crate::outbox::Envelope;

/// Who sets answers, for the checks that depend on it.
pub(super) enum SetBy<'a> {
    /// The person, in the form. `withdraw` is set when they clear a field
    /// that takes a licence, whose consent then goes.
    Person(&'a std::cell::Cell<bool>),
    /// A photo's ingest: its attachment becomes ready in this very edit.
    Ingest,
    /// The wallet: a licence attached, or the claims a shown code
    /// disclosed.
    Wallet,
}

impl DraftsService {
    pub(crate) fn create_draft(
        &self,
        unlocked: &Unlocked,
        form_id: &str,
        version: Option<u32>,
        mut subject: DraftSubject,
        utc_offset_min: i32,
        language: &str,
    ) -> Result<DraftView> {
        if !(-18 * 60..=18 * 60).contains(&utc_offset_min) {
            return Err(PalmGovError::InvalidInput {
                field: "utc_offset_min".into(),
            }
            .into());
        }
        let form = self.catalog.form(form_id, version)?;
        let owner = self.ctx.owner()?;
        // A visit picked from the roster names the household; its head is
        // who the draft is about unless the worker says otherwise. An id not
        // on the roster is kept as given (a paper list, a neighbour's grid).
        let household = match &subject.household_id {
            Some(id) => self.roster.household(unlocked, id)?,
            None => None,
        };
        // Resolved from the subject as given: with no name, the head (by
        // relation, not by a name another member may share).
        let today = local_date(utc_offset_min);
        let named = subject.name.is_some();
        let head_name = household.as_ref().map(|h| h.head_name.clone());
        let mut sources = Sources::resolve(
            &subject,
            household,
            self.identity.profile(unlocked)?,
            today.clone(),
        );
        if !named {
            subject.name = head_name;
        }
        let id = uuid_v4()?;
        let mut answers = Answers::default();
        for (_, f) in form.children(None) {
            if let Some(d) = &f.default {
                answers.top.insert(f.name.clone(), d.clone());
            }
        }
        // The wallet fills only the signed-in person's own application.
        if prefill::is_own(&subject)
            && let Some(wallet) = self.wallet.get()
        {
            for licence_type in prefill::licence_types_read(&form) {
                match wallet.held(licence_type) {
                    Ok(held) => {
                        if let Some(h) = held.into_iter().next() {
                            sources.add_licence(licence_type, h.claims);
                        }
                    }
                    // Prefill is a convenience: a wallet that cannot be
                    // read (signed out of it, a damaged entry) leaves the
                    // fields for the person.
                    Err(e) => {
                        tracing::info!(code = PalmGovError::from(e).code(), "no licence prefill")
                    }
                }
            }
        }
        let prefilled = sources.apply(&form, &mut answers)?;
        // Repeats start with at least their minimum number of instances.
        for (i, f) in form.children(None).filter(|(_, f)| f.kind == Kind::Repeat) {
            let list = answers.repeats.entry(f.name.clone()).or_default();
            while list.len() < f.min as usize {
                list.push(new_instance(&form, i)?);
            }
        }
        let state = engine::evaluate(&form, &mut answers, &today);
        let (now_ms, offset) = (now_ms(), utc_offset_min);
        let meta = store::Meta {
            id: id.clone(),
            form_id: form.id.clone(),
            form_version: form.version,
            state: DraftState::Draft,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
            utc_offset_min: offset,
            replaces: None,
            subject,
        };
        self.start_draft(
            OpenDraft {
                form,
                owner,
                answers,
                state,
                frozen: false,
                meta,
            },
            language,
            prefilled,
        )
    }

    /// Saves one answer (`value_json`, `null` clears it) and returns what
    /// it changed. A field that takes a licence from the wallet is only
    /// cleared here ([`Self::attach_licence`] sets it), and clearing it
    /// withdraws the consent recorded for it.
    pub(crate) fn save_answer(
        &self,
        _: &Unlocked,
        draft_id: &str,
        path: &str,
        value_json: &str,
        language: &str,
    ) -> Result<SaveEffects> {
        let value: Value =
            serde_json::from_str(value_json).map_err(|_| bad_answer(path, "type"))?;
        let withdraw = std::cell::Cell::new(false);
        let key = self.ctx.store.key();
        let withdraw_consent = |conn: &rusqlite::Connection| -> Result<()> {
            if withdraw.get() {
                let mut consents = store::read_material(conn, key, draft_id)?;
                consents.retain(|c| c.field.as_deref() != Some(path));
                store::write_material(conn, key, draft_id, &consents)?;
            }
            Ok(())
        };
        self.set_values(
            draft_id,
            vec![(path.to_string(), value)],
            language,
            Some(&withdraw_consent),
            SetBy::Person(&withdraw),
        )
    }

    /// Sets an attachment field to a just-ingested attachment. `ready`
    /// marks the attachment row ready and runs in the answer's transaction,
    /// so a crash leaves either both or a pending attachment whose capture
    /// can be ingested again.
    pub(crate) fn set_ingested(
        &self,
        draft_id: &str,
        path: &str,
        attachment_id: &str,
        language: &str,
        ready: ExtraWrite<'_>,
    ) -> Result<SaveEffects> {
        let value = Value::String(attachment_id.to_string());
        self.set_values(
            draft_id,
            vec![(path.to_string(), value)],
            language,
            Some(ready),
            SetBy::Ingest,
        )
    }

    /// Sets answers by path in one edit: each checked as its field says.
    /// `also` runs in the edit's transaction (an ingest's attachment
    /// becoming ready, a licence consent recorded or withdrawn).
    pub(super) fn set_values(
        &self,
        draft_id: &str,
        values: Vec<(String, Value)>,
        language: &str,
        also: Option<ExtraWrite<'_>>,
        by: SetBy<'_>,
    ) -> Result<SaveEffects> {
        let change = |draft: &mut OpenDraft, before: &mut engine::Before| {
            let mut touched = Vec::with_capacity(values.len());
            for (path, value) in values {
                let parsed =
                    Path::parse(&path).ok_or_else(|| bad_answer(&path, "unknown_field"))?;
                let (_, field) = draft
                    .form
                    .field(&parsed.name)
                    .filter(|(_, f)| f.kind.holds_answer())
                    .ok_or_else(|| bad_answer(&path, "unknown_field"))?;
                let in_repeat = field.parent.map(|p| draft.form.fields[p].name.clone());
                if in_repeat.as_deref() != parsed.instance.as_ref().map(|(r, _)| r.as_str()) {
                    return Err(bad_answer(&path, "unknown_field"));
                }
                // Read-only to the person; the wallet fills such fields as
                // prefill does.
                if field.readonly && !matches!(by, SetBy::Wallet) {
                    return Err(bad_answer(&path, "read_only"));
                }
                let value = answer::check(field.kind, &field.choices, &value)
                    .map_err(|p| bad_answer(&path, p.code()))?;
                if let (SetBy::Person(withdraw), Some(_)) = (&by, &field.licence) {
                    // Typing a number in would send a reference no backend
                    // can verify: the wallet attaches the licence itself.
                    if !value.is_null() {
                        return Err(bad_answer(&path, "attach_from_wallet"));
                    }
                    withdraw.set(true);
                }
                if field.kind.is_attachment() && !value.is_null() {
                    // An ingest makes its attachment ready in this very
                    // transaction; any other answer must name a ready one.
                    let state = if matches!(by, SetBy::Ingest) {
                        "pending"
                    } else {
                        "ready"
                    };
                    let id = value.as_str().unwrap_or("");
                    self.media.check(&draft.meta.id, id, &path, state)?;
                }
                before.note(&draft.answers, &parsed);
                if !draft.answers.set(&parsed, value) {
                    return Err(bad_answer(&path, "unknown_instance"));
                }
                touched.push(parsed);
            }
            Ok(touched)
        };
        self.edit(draft_id, language, also, false, change)
    }

    /// Adds an instance to a repeat; returns its id and the effects.
    pub(crate) fn add_repeat_instance(
        &self,
        _: &Unlocked,
        draft_id: &str,
        repeat: &str,
        language: &str,
    ) -> Result<RepeatAdded> {
        let mut new_id = String::new();
        let effects = self.edit(draft_id, language, None, true, |draft, _| {
            let (i, f) = draft
                .form
                .field(repeat)
                .filter(|(_, f)| f.kind == Kind::Repeat)
                .ok_or_else(|| bad_answer(repeat, "unknown_field"))?;
            let list = draft.answers.repeats.entry(repeat.to_string()).or_default();
            if f.max.is_some_and(|max| list.len() as u32 >= max) {
                return Err(bad_answer(repeat, "too_many"));
            }
            let instance = new_instance(&draft.form, i)?;
            new_id = instance.id.clone();
            list.push(instance);
            Ok(vec![Path::top(repeat), Path::member(repeat, &new_id, "")])
        })?;
        Ok(RepeatAdded {
            instance_id: new_id,
            effects,
        })
    }

    /// Removes an instance (and its answers); other instances keep their ids.
    pub(crate) fn remove_repeat_instance(
        &self,
        _: &Unlocked,
        draft_id: &str,
        repeat: &str,
        instance_id: &str,
        language: &str,
    ) -> Result<SaveEffects> {
        self.edit(draft_id, language, None, true, |draft, _| {
            let list = draft
                .answers
                .repeats
                .get_mut(repeat)
                .ok_or_else(|| bad_answer(repeat, "unknown_field"))?;
            let before = list.len();
            list.retain(|x| x.id != instance_id);
            if list.len() == before {
                return Err(bad_answer(repeat, "unknown_instance"));
            }
            Ok(vec![
                Path::top(repeat),
                Path::member(repeat, instance_id, ""),
            ])
        })
    }

    /// Applies `change` to a cached draft, re-evaluates what it touches,
    /// writes the touched rows (and runs `also`) in one transaction and
    /// reports the effects. `change` returns the paths it touched, having
    /// checked every value it stored there. `structural` is for a change
    /// that adds or removes repeat instances; any other must note in its
    /// `Before` each answer it changes.
    /// On a failed write the cached copy is dropped and reloaded next time,
    /// so memory never runs ahead of the disk.
    fn edit(
        &self,
        draft_id: &str,
        language: &str,
        also: Option<ExtraWrite<'_>>,
        structural: bool,
        change: impl FnOnce(&mut OpenDraft, &mut engine::Before) -> Result<Vec<Path>>,
    ) -> Result<SaveEffects> {
        let mut open = lock(&self.open)?;
        let draft = self.cached(&mut open, draft_id)?;
        if draft.frozen {
            return Err(PalmGovError::DraftFrozen.into());
        }
        let mut before = engine::Before::of(&draft.answers, structural);
        let touched = match change(draft, &mut before) {
            Ok(t) => t,
            Err(e) => {
                before.restore(&mut draft.answers);
                return Err(e);
            }
        };
        // Adding or removing an instance changes paths: evaluate it all.
        // An answer re-evaluates its own state and whatever reads it.
        debug_assert_eq!(structural, touched.iter().any(|p| p.name.is_empty()));
        let offset = draft.meta.utc_offset_min;
        let today = move || local_date(offset);
        let mut moved: Vec<Path> = Vec::new();
        if structural {
            let new_state = engine::evaluate(&draft.form, &mut draft.answers, &today());
            let old_state = std::mem::replace(&mut draft.state, new_state);
            for (path, s) in engine::in_order(&draft.state) {
                if old_state.get(path) != Some(s)
                    || draft.answers.get(path) != before.get(&draft.answers, path)
                {
                    moved.push(path.clone());
                }
            }
        } else {
            let replaced = engine::reevaluate(
                &draft.form,
                &mut draft.answers,
                today,
                &mut draft.state,
                &touched,
                &mut before,
            );
            for (path, old) in replaced {
                if old.as_ref() != draft.state.get(&path)
                    || draft.answers.get(&path) != before.get(&draft.answers, &path)
                {
                    moved.push(path);
                }
            }
        }
        let summary_changed = touched.iter().chain(&moved).any(|p| {
            draft
                .form
                .field(&p.name)
                .is_some_and(|(i, _)| draft.form.summary.contains(&i))
        });
        // `updated_at` has one-second resolution: rewriting the draft row
        // and its list index on every keystroke doubled an autosave's
        // writes, and a list sorted by the second is sorted as people see it.
        let now = now_ms();
        let touch = summary_changed || now - draft.meta.updated_at_ms >= TOUCH_RESOLUTION_MS;
        if touch {
            draft.meta.updated_at_ms = now;
        }
        // The change checked the values it stored; what moved is re-checked.
        let checked = touched.len();
        let mut candidates = touched;
        for p in moved {
            if !candidates.contains(&p) {
                candidates.push(p);
            }
        }
        let written = store::write_changes(
            self,
            draft,
            &before,
            store::Writes {
                summary: summary_changed.then(|| summary_text(&draft.form, &draft.answers)),
                touch,
                also,
            },
        );
        if let Err(e) = written {
            open.remove(draft_id);
            return Err(e);
        }
        if summary_changed {
            self.remember_summary(draft);
        }
        let changed = candidates
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.name.is_empty())
            .filter_map(|(i, p)| field_view(draft, p, language, i >= checked))
            .collect();
        drop(open);
        self.ctx.store.changed();
        Ok(SaveEffects { changed })
    }

    /// Stores a new draft, indexes and caches it, and schedules the WAL
    /// sync: the one path for a fresh draft and for an edit of a sent one.
    fn start_draft(
        &self,
        mut draft: OpenDraft,
        language: &str,
        prefilled: Vec<PrefilledValue>,
    ) -> Result<DraftView> {
        let summary = summary_text(&draft.form, &draft.answers);
        store::insert_draft(self, &draft.owner, &draft.meta, &summary, &draft.answers)?;
        self.remember_summary(&draft);
        let view = self.view(&mut draft, language, prefilled)?;
        self.cache(draft)?;
        self.ctx.store.changed();
        Ok(view)
    }

    fn remember_summary(&self, draft: &OpenDraft) {
        let summary = summary_text(&draft.form, &draft.answers);
        self.search
            .remember(&draft.meta.id, &draft.meta.subject, &summary);
    }

    /// Forgets decrypted drafts and summaries (account switch, logout).
    pub(crate) fn forget(&self) {
        if let Ok(mut open) = self.open.lock() {
            open.clear();
        }
        self.search.clear();
    }

    /// The cached draft, loaded (and decrypted) on first use.
    pub(super) fn cached<'a>(
        &self,
        open: &'a mut OpenDrafts,
        draft_id: &str,
    ) -> Result<&'a mut OpenDraft> {
        if !open.contains_key(draft_id) {
            let draft = self.load_draft(draft_id)?;
            if open.len() >= MAX_OPEN {
                open.clear();
            }
            open.insert(draft_id.to_string(), draft);
        }
        Ok(open.get_mut(draft_id).ok_or(PalmGovError::NotFound)?)
    }

    fn cache(&self, draft: OpenDraft) -> Result<()> {
        let mut open = lock(&self.open)?;
        if open.len() >= MAX_OPEN {
            open.clear();
        }
        open.insert(draft.meta.id.clone(), draft);
        Ok(())
    }

    pub(super) fn load_draft(&self, draft_id: &str) -> Result<OpenDraft> {
        let (owner, meta, mut answers) = store::load(self, draft_id)?;
        if owner != self.ctx.owner()? {
            return Err(PalmGovError::NotFound.into());
        }
        let form = self.catalog.form(&meta.form_id, Some(meta.form_version))?;
        let state = engine::evaluate(&form, &mut answers, &local_date(meta.utc_offset_min));
        Ok(OpenDraft {
            form,
            owner,
            answers,
            state,
            frozen: meta.state != DraftState::Draft,
            meta,
        })
    }

    /// The whole draft for a form screen.
    pub(crate) fn open_draft(
        &self,
        unlocked: &Unlocked,
        draft_id: &str,
        language: &str,
    ) -> Result<DraftView> {
        // Before the drafts lock: ingesting takes it.
        self.settle_pending(unlocked, draft_id, language, false)?;
        let mut open = lock(&self.open)?;
        let draft = self.cached(&mut open, draft_id)?;
        self.view(draft, language, Vec::new())
    }

    /// This account's drafts (and finalized forms), newest first.
    pub(crate) fn list_drafts(&self, _: &Unlocked, language: &str) -> Result<Vec<DraftSummary>> {
        let owner = self.ctx.owner()?;
        store::list(self, &owner, language, None)
    }

    /// Drafts whose summary contains `query` (any length, Chinese included).
    pub(crate) fn search_drafts(
        &self,
        _: &Unlocked,
        query: &str,
        language: &str,
    ) -> Result<Vec<DraftSummary>> {
        let owner = self.ctx.owner()?;
        if !self.search.is_loaded() {
            let all = store::all_search_texts(self, &owner)?;
            self.search.load(all);
        }
        let hits = self.search.find(query);
        store::list(self, &owner, language, Some(&hits))
    }

    /// Deletes an unfinalized draft and its attachments.
    pub(crate) fn delete_draft(&self, _: &Unlocked, draft_id: &str) -> Result<()> {
        let owner = self.ctx.owner()?;
        lock(&self.open)?.remove(draft_id);
        let files = store::delete_draft(self, &owner, draft_id)?;
        self.media.delete_files(&files)?;
        self.search.remove(draft_id);
        Ok(())
    }

    /// Validates everything and, when clean, freezes the draft and queues
    /// its submission in one durable transaction.
    pub(crate) fn finalize(
        &self,
        unlocked: &Unlocked,
        draft_id: &str,
        language: &str,
    ) -> Result<FinalizeOutcome> {
        // Nothing pending blocks the form: waiting captures go in, attempts
        // that never got one go (before the drafts lock: ingesting takes it).
        self.settle_pending(unlocked, draft_id, language, true)?;
        let mut open = lock(&self.open)?;
        let draft = self.cached(&mut open, draft_id)?;
        if draft.frozen {
            return Err(PalmGovError::DraftFrozen.into());
        }
        draft.state = engine::evaluate(
            &draft.form,
            &mut draft.answers,
            &local_date(draft.meta.utc_offset_min),
        );
        let mut issues: Vec<FieldIssue> = Vec::new();
        for (path, s) in engine::in_order(&draft.state) {
            issues.extend(issues_of(draft, path, s, language, true));
        }
        if !issues.is_empty() {
            return Ok(FinalizeOutcome {
                instance_id: None,
                issues,
            });
        }
        let answers = engine::submission_answers(&draft.form, &draft.answers, &draft.state);
        let instance_id = uuid_v4()?;
        let finalized_at_ms = now_ms();
        // Attached licences are bound to this very submission (its id as
        // nonce, now as `iat`) before the transaction that queues it.
        let (licences, consents) =
            self.bind_licences(draft, &answers, &instance_id, finalized_at_ms)?;
        let meta = &draft.meta;
        let envelope = Envelope {
            draft_id: &meta.id,
            form_id: &meta.form_id,
            form_version: meta.form_version,
            owner: &draft.owner,
            subject: serde_json::to_value(&meta.subject)?,
            replaces: meta.replaces.as_deref(),
            created_at_ms: meta.created_at_ms,
            utc_offset_min: meta.utc_offset_min,
            instance_id: &instance_id,
            finalized_at_ms,
            licences,
            consents: &consents,
        };
        // Drafts opens the transaction; the outbox queues inside it, so the
        // draft is frozen exactly when its submission is queued.
        let instance_id = self.ctx.store.write_durably(|tx| {
            store::freeze(tx, &meta.id)?;
            self.outbox.enqueue(tx, &envelope, answers)
        })?;
        draft.frozen = true;
        draft.meta.state = DraftState::Finalized;
        Ok(FinalizeOutcome {
            instance_id: Some(instance_id),
            issues,
        })
    }

    /// Moves a draft to another (newer) version of its form: answers whose
    /// Starts an edit of a finalized submission: a new draft with the same
    /// answers that references the old instance. Sent records never change.
    pub(crate) fn edit_submitted(
        &self,
        _: &Unlocked,
        draft_id: &str,
        language: &str,
    ) -> Result<DraftView> {
        let owner = self.ctx.owner()?;
        let old = self.load_draft(draft_id)?;
        if !old.frozen {
            return Err(bad_answer("draft_id", "not_finalized"));
        }
        let instance = self
            .outbox
            .instance_of(draft_id)?
            .ok_or(PalmGovError::NotFound)?;
        let id = uuid_v4()?;
        let mut answers = old.answers.clone();
        // Attachments are re-registered by the shell; the new submission
        // must not claim files it does not carry.
        for (_, f) in old
            .form
            .children(None)
            .filter(|(_, f)| f.kind.is_attachment())
        {
            answers.top.remove(&f.name);
        }
        let state = engine::evaluate(
            &old.form,
            &mut answers,
            &local_date(old.meta.utc_offset_min),
        );
        let meta = store::Meta {
            id,
            state: DraftState::Draft,
            created_at_ms: now_ms(),
            updated_at_ms: now_ms(),
            replaces: Some(instance),
            ..old.meta.clone()
        };
        let new_id = meta.id.clone();
        let mut view = self.start_draft(
            OpenDraft {
                form: old.form,
                owner,
                answers,
                state,
                frozen: false,
                meta,
            },
            language,
            Vec::new(),
        )?;
        // The consents go with the answers they gave: an attached licence
        // is bound again, to the new submission, at its finalize.
        let key = self.ctx.store.key();
        let conn = self.ctx.store.conn()?;
        let consents = store::read_material(&conn, key, draft_id)?;
        if !consents.is_empty() {
            store::write_material(&conn, key, &new_id, &consents)?;
            view.licence_uses = consents.into_iter().map(Into::into).collect();
        }
        Ok(view)
    }
}
