//! Offline drafts: create, autosave one answer at a time, resume, list and
//! search, migrate to a newer form version, and finalize into the outbox.
//!
//! Durability: every answer is its own transaction, so once `save_answer`
//! returns the answer survives a process kill. Ordinary saves commit with
//! `synchronous=NORMAL` and a background checkpoint syncs the WAL within
//! about a second of the last change ([`flush`]), so a power cut loses at
//! most that second. Finalize and every outbox transition commit with FULL.
//!
//! Privacy: answers and each draft's summary (the resident's name, the
//! village) are sealed with the device data key, bound to the draft and the
//! path. Search decrypts summaries into memory once per open core; no
//! plaintext index of personal data ever reaches the disk.
//!
//! Drafts belong to the operator's account (the grid worker), encrypted
//! under the device key, so signing out does not destroy them.

mod flush;
mod search;
mod store;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::crypto::uuid_v4;
use crate::error::{PalmGovError, Result};
use crate::facade::Core;
use crate::forms::answer;
use crate::forms::definition::{Form, Kind, Labels, NameMap, Prefill};
use crate::forms::engine::{self, Answers, FormState, Instance, Path, State};
use crate::i18n;

pub(crate) use flush::Flusher;
pub(crate) use search::SearchIndex;
pub(crate) use store::freeze;

/// Who a draft is about, in grid-worker mode (the operator is the signed-in
/// account). Stored only inside the sealed summary.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, uniffi::Record,
)]
pub struct DraftSubject {
    /// The household from the worker's roster, if any.
    #[uniffi(default = None)]
    pub household_id: Option<String>,
    #[uniffi(default = None)]
    pub name: Option<String>,
}

/// Where a draft is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DraftState {
    /// Editable, autosaved.
    Draft,
    /// Frozen and queued (or sent); see the outbox for delivery.
    Finalized,
}

impl DraftState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Finalized => "finalized",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "draft" {
            Self::Draft
        } else {
            Self::Finalized
        }
    }
}

/// Read straight from the column, so a listing does not allocate a string
/// per row to parse it.
impl rusqlite::types::FromSql for DraftState {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        value.as_str().map(Self::parse)
    }
}

/// One row of the drafts list: enough for a list screen, in one call.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DraftSummary {
    pub id: String,
    pub form_id: String,
    pub form_version: u32,
    /// The form's title in the requested language.
    pub title: String,
    pub state: DraftState,
    pub subject: DraftSubject,
    /// The form's summary fields, joined for display ("张三 · 330106…").
    pub summary: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// The device's UTC offset when the draft was created, in minutes, so
    /// times display as the worker saw them even if the phone moves zones.
    pub utc_offset_min: i32,
    /// The submission this draft edits, for an edit after sending.
    pub replaces: Option<String>,
}

/// A problem with one field, localized.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldIssue {
    pub path: String,
    /// Stable code: `required`, `constraint`, `format`, `too_few`, …
    pub code: String,
    pub message: String,
}

/// The state of one field in one place (a path) after a change.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FieldView {
    pub path: String,
    pub relevant: bool,
    pub required: bool,
    pub read_only: bool,
    /// The answer as JSON, `None` when empty.
    pub value_json: Option<String>,
    /// For a select with a choice filter: the choice values now offered.
    pub choices: Option<Vec<String>>,
    pub issues: Vec<FieldIssue>,
}

/// What one saved answer changed: the field itself, then every field whose
/// relevance, calculated value, choices or errors moved.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SaveEffects {
    pub changed: Vec<FieldView>,
}

/// A repeat's instances, by stable id, in order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RepeatView {
    pub name: String,
    pub instance_ids: Vec<String>,
}

/// A value filled in from the signed-in profile, and from which claim.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PrefilledValue {
    pub path: String,
    /// `profile.name`, `profile.id_number` or `profile.phone`.
    pub source: String,
}

/// How to show one field, in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldLayout {
    pub name: String,
    /// The definition's type name (`text`, `select_one`, `repeat`, …).
    pub kind: String,
    pub label: String,
    pub hint: Option<String>,
    /// The repeat this field belongs to.
    pub repeat: Option<String>,
    pub read_only: bool,
    pub choices: Vec<ChoiceLabel>,
}

/// A choice's value and its label.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChoiceLabel {
    pub value: String,
    pub label: String,
}

/// A whole draft for a form screen: the layout and every field's state in
/// one call.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DraftView {
    pub summary: DraftSummary,
    /// Fields in document order (a repeat before its members).
    pub layout: Vec<FieldLayout>,
    pub fields: Vec<FieldView>,
    pub repeats: Vec<RepeatView>,
    pub prefilled: Vec<PrefilledValue>,
    /// Photos the camera wrote while the app was gone (the OS killed it
    /// with the camera open): ingest each on resume.
    pub pending_captures: Vec<crate::media::attachments::PendingAttachment>,
}

/// What finalize did: an instance id when queued, or every problem at once.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FinalizeOutcome {
    pub instance_id: Option<String>,
    pub issues: Vec<FieldIssue>,
}

/// What moving a draft to a newer form version kept and dropped.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MigrationReport {
    pub draft_id: String,
    pub carried: u32,
    /// Paths whose answers the new version has no place for (or no longer
    /// accepts); they are gone from the migrated draft.
    pub dropped: Vec<String>,
}

/// Decrypted drafts by id. Ids are minted by the core, so SipHash's
/// defence against chosen keys buys nothing on this per-save lookup.
type OpenDrafts = HashMap<String, OpenDraft, foldhash::fast::RandomState>;

/// The drafts side of an open core: forms and open drafts cached in memory.
#[derive(Default)]
pub(crate) struct Drafts {
    forms: Mutex<HashMap<(String, u32), Arc<Form>>>,
    open: Mutex<OpenDrafts>,
    pub(crate) search: SearchIndex,
    pub(crate) flusher: Flusher,
}

/// A draft being edited: its answers decrypted and its state evaluated, so
/// a save costs the write plus the expressions it touches.
struct OpenDraft {
    form: Arc<Form>,
    owner: String,
    answers: Answers,
    state: FormState,
    frozen: bool,
    meta: store::Meta,
}

/// How many drafts stay decrypted in memory at once.
const MAX_OPEN: usize = 8;

/// How stale a draft's stored `updated_at` may get during an edit burst.
const TOUCH_RESOLUTION_MS: i64 = 1_000;

impl Core {
    /// The account drafts belong to: the signed-in operator, or `device`
    /// when the core runs without identity (the CLI's offline commands).
    pub(crate) fn draft_owner(&self) -> Result<String> {
        if self.identity.is_none() {
            return Ok("device".into());
        }
        self.current_account()?
            .ok_or_else(|| PalmGovError::SignInRequired.into())
    }

    pub(crate) fn form(&self, form_id: &str, version: Option<u32>) -> Result<Arc<Form>> {
        let version = match version {
            Some(v) => v,
            None => store::latest_version(self, form_id)?.ok_or(PalmGovError::FormNotFound)?,
        };
        let key = (form_id.to_string(), version);
        if let Some(f) = lock(&self.drafts.forms)?.get(&key) {
            return Ok(f.clone());
        }
        let body = store::definition(self, form_id, version)?.ok_or(PalmGovError::FormNotFound)?;
        let form = Arc::new(Form::load(&body)?);
        lock(&self.drafts.forms)?.insert(key, form.clone());
        Ok(form)
    }

    /// Stores a definition after checking it fully. Definitions are
    /// immutable per version: a different body under a stored version is
    /// refused rather than silently changing open drafts.
    pub(crate) fn store_form(&self, body: &[u8]) -> Result<(String, u32)> {
        let form = Form::load(body)?;
        store::put_definition(self, &form.id, form.version, body)?;
        Ok((form.id, form.version))
    }

    pub(crate) fn create_draft(
        &self,
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
        let form = self.form(form_id, version)?;
        let owner = self.draft_owner()?;
        // A visit picked from the roster names the household; its head is
        // who the draft is about unless the worker says otherwise. An id not
        // on the roster is kept as given (a paper list, a neighbour's grid).
        if let (Some(id), None) = (&subject.household_id, &subject.name) {
            subject.name = self.household(&owner, id)?.map(|h| h.head_name);
        }
        let id = uuid_v4()?;
        let mut answers = Answers::default();
        for (_, f) in form.children(None) {
            if let Some(d) = &f.default {
                answers.top.insert(f.name.clone(), d.clone());
            }
        }
        let prefilled = self.prefill(&form, &mut answers)?;
        // Repeats start with their minimum number of instances.
        for (i, f) in form.children(None).filter(|(_, f)| f.kind == Kind::Repeat) {
            let list = answers.repeats.entry(f.name.clone()).or_default();
            for _ in 0..f.min {
                list.push(new_instance(&form, i)?);
            }
        }
        let state = engine::evaluate(&form, &mut answers, &local_date(utc_offset_min));
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

    /// Fills `prefill` fields from the signed-in profile.
    fn prefill(&self, form: &Form, answers: &mut Answers) -> Result<Vec<PrefilledValue>> {
        let profile = match self.identity {
            Some(_) => self.current_session()?,
            None => None,
        };
        let Some(profile) = profile else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (_, f) in form.children(None) {
            let (value, source) = match f.prefill {
                Some(Prefill::Name) => (profile.display_name.clone(), "profile.name"),
                Some(Prefill::IdNumber) => (profile.id_number.clone(), "profile.id_number"),
                Some(Prefill::Phone) => (profile.phone.clone(), "profile.phone"),
                None => continue,
            };
            if let Some(v) = value
                && let Ok(v) = answer::check(f.kind, &f.choices, &Value::String(v))
            {
                answers.top.insert(f.name.clone(), v);
                out.push(PrefilledValue {
                    path: f.name.clone(),
                    source: source.into(),
                });
            }
        }
        Ok(out)
    }

    /// Saves one answer (`value_json`, `null` clears it) and returns what
    /// it changed.
    pub(crate) fn save_answer(
        &self,
        draft_id: &str,
        path: &str,
        value_json: &str,
        language: &str,
    ) -> Result<SaveEffects> {
        let value: Value =
            serde_json::from_str(value_json).map_err(|_| bad_answer(path, "type"))?;
        self.set_answer(draft_id, path, value, language, None)
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
        ready: store::ExtraWrite<'_>,
    ) -> Result<SaveEffects> {
        let value = Value::String(attachment_id.to_string());
        self.set_answer(draft_id, path, value, language, Some(ready))
    }

    fn set_answer(
        &self,
        draft_id: &str,
        path: &str,
        value: Value,
        language: &str,
        ingest: Option<store::ExtraWrite<'_>>,
    ) -> Result<SaveEffects> {
        let parsed = Path::parse(path).ok_or_else(|| bad_answer(path, "unknown_field"))?;
        let change = |draft: &mut OpenDraft, before: &mut engine::Before| {
            let (_, field) = draft
                .form
                .field(&parsed.name)
                .filter(|(_, f)| f.kind.holds_answer())
                .ok_or_else(|| bad_answer(path, "unknown_field"))?;
            let in_repeat = field.parent.map(|p| draft.form.fields[p].name.clone());
            if in_repeat.as_deref() != parsed.instance.as_ref().map(|(r, _)| r.as_str()) {
                return Err(bad_answer(path, "unknown_field"));
            }
            if field.readonly {
                return Err(bad_answer(path, "read_only"));
            }
            let value = answer::check(field.kind, &field.choices, &value)
                .map_err(|p| bad_answer(path, p.code()))?;
            if field.kind.is_attachment() && !value.is_null() {
                // An ingest makes its attachment ready in this very
                // transaction; any other answer must name a ready one.
                let state = if ingest.is_some() { "pending" } else { "ready" };
                let id = value.as_str().unwrap_or("");
                store::check_attachment(self, &draft.meta.id, id, path, state)?;
            }
            before.note(&draft.answers, &parsed);
            if !draft.answers.set(&parsed, value) {
                return Err(bad_answer(path, "unknown_instance"));
            }
            Ok(vec![parsed.clone()])
        };
        self.edit(draft_id, language, ingest, false, change)
    }

    /// Adds an instance to a repeat; returns its id and the effects.
    pub(crate) fn add_repeat_instance(
        &self,
        draft_id: &str,
        repeat: &str,
        language: &str,
    ) -> Result<(String, SaveEffects)> {
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
        Ok((new_id, effects))
    }

    /// Removes an instance (and its answers); other instances keep their ids.
    pub(crate) fn remove_repeat_instance(
        &self,
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
        also: Option<store::ExtraWrite<'_>>,
        structural: bool,
        change: impl FnOnce(&mut OpenDraft, &mut engine::Before) -> Result<Vec<Path>>,
    ) -> Result<SaveEffects> {
        let mut open = lock(&self.drafts.open)?;
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
                summary: summary_changed,
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
        self.drafts.flusher.changed(self);
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
        store::insert_draft(self, &draft.owner, &draft.meta, &draft.form, &draft.answers)?;
        self.remember_summary(&draft);
        let view = self.view(&mut draft, language, prefilled)?;
        self.cache(draft)?;
        self.drafts.flusher.changed(self);
        Ok(view)
    }

    fn remember_summary(&self, draft: &OpenDraft) {
        let summary = summary_text(&draft.form, &draft.answers);
        self.drafts
            .search
            .remember(&draft.meta.id, &draft.meta.subject, &summary);
    }

    /// Forgets decrypted drafts and summaries (account switch, logout).
    pub(crate) fn forget_drafts(&self) {
        if let Ok(mut open) = self.drafts.open.lock() {
            open.clear();
        }
        self.drafts.search.clear();
    }

    /// The cached draft, loaded (and decrypted) on first use.
    fn cached<'a>(&self, open: &'a mut OpenDrafts, draft_id: &str) -> Result<&'a mut OpenDraft> {
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
        let mut open = lock(&self.drafts.open)?;
        if open.len() >= MAX_OPEN {
            open.clear();
        }
        open.insert(draft.meta.id.clone(), draft);
        Ok(())
    }

    fn load_draft(&self, draft_id: &str) -> Result<OpenDraft> {
        let (owner, meta, mut answers) = store::load(self, draft_id)?;
        if owner != self.draft_owner()? {
            return Err(PalmGovError::NotFound.into());
        }
        let form = self.form(&meta.form_id, Some(meta.form_version))?;
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
    pub(crate) fn open_draft(&self, draft_id: &str, language: &str) -> Result<DraftView> {
        let mut open = lock(&self.drafts.open)?;
        let draft = self.cached(&mut open, draft_id)?;
        self.view(draft, language, Vec::new())
    }

    fn view(
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
        Ok(DraftView {
            summary: summary_of(draft, language),
            layout,
            fields,
            repeats,
            prefilled,
            pending_captures: self.pending_captures(&draft.meta.id)?,
        })
    }

    /// This account's drafts (and finalized forms), newest first.
    pub(crate) fn list_drafts(&self, language: &str) -> Result<Vec<DraftSummary>> {
        let owner = self.draft_owner()?;
        store::list(self, &owner, language, None)
    }

    /// Drafts whose summary contains `query` (any length, Chinese included).
    pub(crate) fn search_drafts(&self, query: &str, language: &str) -> Result<Vec<DraftSummary>> {
        let owner = self.draft_owner()?;
        if !self.drafts.search.is_loaded() {
            let all = store::all_search_texts(self, &owner)?;
            self.drafts.search.load(all);
        }
        let hits = self.drafts.search.find(query);
        store::list(self, &owner, language, Some(&hits))
    }

    /// Deletes an unfinalized draft and its attachments.
    pub(crate) fn delete_draft(&self, draft_id: &str) -> Result<()> {
        let owner = self.draft_owner()?;
        lock(&self.drafts.open)?.remove(draft_id);
        let files = store::delete_draft(self, &owner, draft_id)?;
        for f in files {
            self.store.secure_file_delete(&f)?;
        }
        self.drafts.search.remove(draft_id);
        Ok(())
    }

    /// Validates everything and, when clean, freezes the draft and queues
    /// its submission in one durable transaction.
    pub(crate) fn finalize(&self, draft_id: &str, language: &str) -> Result<FinalizeOutcome> {
        let mut open = lock(&self.drafts.open)?;
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
        let pending = store::pending_attachments(self, draft_id)?;
        for path in pending {
            issues.push(FieldIssue {
                message: i18n::message("attachment_pending", language),
                path,
                code: "attachment_pending".into(),
            });
        }
        if !issues.is_empty() {
            return Ok(FinalizeOutcome {
                instance_id: None,
                issues,
            });
        }
        let answers = engine::submission_answers(&draft.form, &draft.answers, &draft.state);
        let summary = summary_of(draft, language);
        let instance_id =
            crate::outbox::enqueue(self, &draft.meta.id, &summary, &draft.owner, answers)?;
        draft.frozen = true;
        draft.meta.state = DraftState::Finalized;
        Ok(FinalizeOutcome {
            instance_id: Some(instance_id),
            issues,
        })
    }

    /// Moves a draft to another (newer) version of its form: answers whose
    /// field still exists with the same type and still passes its checks
    /// carry over; the rest are reported and dropped.
    pub(crate) fn migrate_draft(&self, draft_id: &str, version: u32) -> Result<MigrationReport> {
        let owner = self.draft_owner()?;
        let mut old = self.load_draft(draft_id)?;
        if old.frozen {
            return Err(PalmGovError::DraftFrozen.into());
        }
        let form = self.form(&old.form.id, Some(version))?;
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
        lock(&self.drafts.open)?.remove(draft_id);
        old.meta.form_version = version;
        old.meta.updated_at_ms = now_ms();
        store::replace_answers(self, &owner, &old.meta, &form, &answers)?;
        Ok(MigrationReport {
            draft_id: draft_id.to_string(),
            carried,
            dropped,
        })
    }

    /// Starts an edit of a finalized submission: a new draft with the same
    /// answers that references the old instance. Sent records never change.
    pub(crate) fn edit_submitted(&self, draft_id: &str, language: &str) -> Result<DraftView> {
        let owner = self.draft_owner()?;
        let old = self.load_draft(draft_id)?;
        if !old.frozen {
            return Err(bad_answer("draft_id", "not_finalized"));
        }
        let instance = crate::outbox::instance_of(self, draft_id)?.ok_or(PalmGovError::NotFound)?;
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
        self.start_draft(
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
        )
    }
}

fn new_instance(form: &Form, repeat: usize) -> Result<Instance> {
    let mut values = NameMap::default();
    for (_, f) in form.children(Some(repeat)) {
        if let Some(d) = &f.default {
            values.insert(f.name.clone(), d.clone());
        }
    }
    Ok(Instance {
        id: uuid_v4()?,
        values,
    })
}

/// `recheck` re-checks the stored value against its field; a caller that
/// has just checked it passes `false`.
fn field_view(draft: &OpenDraft, path: &Path, language: &str, recheck: bool) -> Option<FieldView> {
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

fn issues_of(
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

/// A label in `language`, falling back the way the messages do.
pub(crate) fn pick(labels: &Labels, language: &str) -> String {
    i18n::fallbacks(language)
        .iter()
        .find_map(|l| labels.get(*l))
        .or_else(|| labels.values().next())
        .cloned()
        .unwrap_or_default()
}

fn summary_of(draft: &OpenDraft, language: &str) -> DraftSummary {
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

/// The summary line of a draft ("张三 · 330106…").
pub(crate) fn summary_text(form: &Form, answers: &Answers) -> String {
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

pub(crate) fn bad_answer(field: &str, reason: &str) -> crate::error::Error {
    PalmGovError::InvalidAnswer {
        field: field.to_string(),
        reason: reason.to_string(),
    }
    .into()
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock().map_err(|_| {
        PalmGovError::Internal {
            detail: "drafts lock poisoned".into(),
        }
        .into()
    })
}

pub(crate) fn now_ms() -> i64 {
    crate::facade::unix_ms(std::time::SystemTime::now())
}

/// The local date (`YYYY-MM-DD`) at a UTC offset. The shell passes the
/// offset when it creates a draft: Rust cannot read the zone safely in a
/// multi-threaded process on Android or Linux, and the phone knows it.
fn local_date(offset_min: i32) -> String {
    let offset =
        time::UtcOffset::from_whole_seconds(offset_min * 60).unwrap_or(time::UtcOffset::UTC);
    let date = time::OffsetDateTime::now_utc().to_offset(offset).date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The form catalog on the backend.
#[derive(serde::Deserialize)]
struct Catalog {
    forms: Vec<CatalogEntry>,
}

#[derive(serde::Deserialize)]
struct CatalogEntry {
    id: String,
    version: u32,
}

impl Core {
    /// Fetches the catalog and every definition not yet stored.
    pub(crate) async fn refresh_forms(self: &Arc<Self>) -> Result<()> {
        let catalog: Catalog = self.api.get_json("v1/forms").await?.body;
        let have = store::definitions(self)?;
        for entry in catalog.forms {
            if have.contains(&(entry.id.clone(), entry.version)) {
                continue;
            }
            let path = format!("v1/forms/{}/{}", entry.id, entry.version);
            let body: Value = self.api.get_json(&path).await?.body;
            let (id, version) = self.store_form(&serde_json::to_vec(&body)?)?;
            if (id.as_str(), version) != (entry.id.as_str(), entry.version) {
                return Err(PalmGovError::BadServerReply.into());
            }
        }
        Ok(())
    }

    /// The forms on the device, newest version first within each form.
    pub(crate) fn form_infos(&self, language: &str) -> Result<Vec<crate::facade_forms::FormInfo>> {
        store::definitions(self)?
            .into_iter()
            .map(|(id, version)| {
                let form = self.form(&id, Some(version))?;
                Ok(crate::facade_forms::FormInfo {
                    form_id: id,
                    version,
                    title: pick(&form.title, language),
                })
            })
            .collect()
    }
}
