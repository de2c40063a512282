//! The drafts' SQL: the `drafts` and `answers` tables, sealed answers and
//! summaries. The summary text comes from the caller; this layer seals it.
//!
//! Each answer is one row keyed by (draft, path) and sealed with the data
//! key bound to both, so a sealed value moved to another draft or field
//! fails to open. A save writes only the rows it changed.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use super::records::{DraftState, DraftSubject, DraftSummary};
use super::{DraftsService, OpenDraft};
use crate::crypto::DataKey;
use crate::error::{PalmGovError, Result};
use crate::forms::definition::NameMap;
use crate::forms::engine::{Answers, Before, Instance, Path};
use crate::forms::material::Consent;
use crate::i18n::pick;
use crate::media::MediaService;

/// A draft's clear-text columns plus its decrypted subject.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub id: String,
    pub form_id: String,
    pub form_version: u32,
    pub state: DraftState,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub utc_offset_min: i32,
    pub replaces: Option<String>,
    pub subject: DraftSubject,
}

/// The sealed part of a draft row: who it is about and its summary values.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct SealedSummary {
    pub subject: DraftSubject,
    pub summary: String,
}

fn answer_context(draft: &str, path: &str) -> Vec<u8> {
    // Built per autosave; `concat` sizes it once, where `format!` grew it.
    [
        &b"drafts.answer\0"[..],
        draft.as_bytes(),
        b"\0",
        path.as_bytes(),
    ]
    .concat()
}

fn summary_context(draft: &str) -> Vec<u8> {
    format!("drafts.summary\0{draft}").into_bytes()
}

/// A draft of `owner`'s form, version and state, if there is one.
pub(super) fn form_of(
    svc: &DraftsService,
    owner: &str,
    draft_id: &str,
) -> Result<Option<(String, u32, String)>> {
    Ok(svc
        .ctx
        .store
        .conn()?
        .prepare_cached(
            "SELECT form_id, form_version, state FROM drafts WHERE id = ?1 AND owner = ?2",
        )?
        .query_row(params![draft_id, owner], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

fn seal_summary(svc: &DraftsService, meta: &Meta, summary: &str) -> Result<Vec<u8>> {
    let sealed = SealedSummary {
        subject: meta.subject.clone(),
        summary: summary.to_string(),
    };
    let json = zeroize::Zeroizing::new(serde_json::to_vec(&sealed)?);
    svc.ctx.store.key().seal(&summary_context(&meta.id), &json)
}

fn put_answer(
    svc: &DraftsService,
    tx: &rusqlite::Connection,
    draft: &str,
    path: &str,
    value: &Value,
) -> Result<()> {
    let json = zeroize::Zeroizing::new(serde_json::to_vec(value)?);
    let sealed = svc
        .ctx
        .store
        .key()
        .seal(&answer_context(draft, path), &json)?;
    // An update first: nearly every save replaces an answer, and an upsert
    // has SQLite search the index twice for that (the insert's conflict,
    // then the update). An update that finds no row writes nothing, so the
    // insert after it needs no transaction around the two.
    let updated = tx
        .prepare_cached("UPDATE answers SET value = ?3 WHERE draft_id = ?1 AND path = ?2")?
        .execute(params![draft, path, sealed])?;
    if updated == 0 {
        tx.prepare_cached("INSERT INTO answers (draft_id, path, value) VALUES (?1, ?2, ?3)")?
            .execute(params![draft, path, sealed])?;
    }
    Ok(())
}

/// Writes every row of `answers`.
fn put_all(
    svc: &DraftsService,
    tx: &Transaction<'_>,
    draft: &str,
    answers: &Answers,
) -> Result<()> {
    for (path, value) in rows(answers) {
        put_answer(svc, tx, draft, &path, &value)?;
    }
    Ok(())
}

fn delete_answer(tx: &rusqlite::Connection, draft: &str, path: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM answers WHERE draft_id = ?1 AND path = ?2")?
        .execute(params![draft, path])?;
    Ok(())
}

/// Every row of a draft's answers: the top-level answers, one row per
/// repeat instance (its order), and the instances' answers.
fn rows(answers: &Answers) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = answers
        .top
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (repeat, instances) in &answers.repeats {
        for (order, x) in instances.iter().enumerate() {
            out.push((
                format!("{repeat}/{}", x.id),
                serde_json::json!({ "order": order }),
            ));
            for (name, v) in &x.values {
                out.push((Path::member(repeat, &x.id, name).key(), v.clone()));
            }
        }
    }
    out
}

pub(super) fn insert_draft(
    svc: &DraftsService,
    owner: &str,
    meta: &Meta,
    summary: &str,
    answers: &Answers,
) -> Result<()> {
    let summary = seal_summary(svc, meta, summary)?;
    let mut conn = svc.ctx.store.conn()?;
    let tx = conn.transaction()?;
    tx.prepare_cached(
        "INSERT INTO drafts (id, seq, owner, form_id, form_version, state, created_at,
             updated_at, utc_offset_min, summary, replaces)
         VALUES (?1, (SELECT IFNULL(MAX(seq), 0) + 1 FROM drafts), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        meta.id,
        owner,
        meta.form_id,
        meta.form_version,
        meta.state.as_str(),
        meta.created_at_ms,
        meta.updated_at_ms,
        meta.utc_offset_min,
        summary,
        meta.replaces,
    ])?;
    put_all(svc, &tx, &meta.id, answers)?;
    tx.commit()?;
    Ok(())
}

/// More writes that must commit with an edit's answers, on its connection
/// and in its transaction.
pub(crate) type ExtraWrite<'a> = &'a dyn Fn(&rusqlite::Connection) -> Result<()>;

/// What an edit writes besides its answers.
pub(super) struct Writes<'a> {
    /// The new summary text to seal, when a summary field changed.
    pub summary: Option<String>,
    /// Store the draft's new `updated_at`.
    pub touch: bool,
    /// More writes that must commit with the answers (an ingested
    /// attachment turning ready).
    pub also: Option<ExtraWrite<'a>>,
}

/// Writes what changed between `before` and the draft's answers, plus the
/// row's time (and summary) and any [`Writes::also`], in one transaction.
/// An answer's edit compares only the paths it noted; one that added or
/// removed instances diffs every answer.
pub(super) fn write_changes(
    svc: &DraftsService,
    draft: &OpenDraft,
    before: &Before,
    writes: Writes<'_>,
) -> Result<()> {
    let id = &draft.meta.id;
    // (path, new value or None to delete)
    let mut ops: Vec<(String, Option<Value>)> = Vec::new();
    match before {
        Before::Paths(noted) => {
            for (p, old) in noted {
                let new = draft.answers.get(p);
                if new != old.as_ref() {
                    ops.push((p.key(), new.cloned()));
                }
            }
        }
        Before::Whole(before) => {
            let old: HashMap<String, Value> = rows(before).into_iter().collect();
            let new = rows(&draft.answers);
            let new_paths: std::collections::HashSet<&str> =
                new.iter().map(|(p, _)| p.as_str()).collect();
            for path in old.keys() {
                if !new_paths.contains(path.as_str()) {
                    ops.push((path.clone(), None));
                }
            }
            for (path, value) in new {
                if old.get(&path) != Some(&value) {
                    ops.push((path, Some(value)));
                }
            }
        }
    }
    let summary = match &writes.summary {
        Some(text) => Some(seal_summary(svc, &draft.meta, text)?),
        None => None,
    };
    let statements = ops.len()
        + usize::from(summary.is_some() || writes.touch)
        + usize::from(writes.also.is_some());
    let conn = svc.ctx.store.conn()?;
    // One statement commits on its own (the common keystroke: one answer,
    // the draft row touched at most once a second). More go in one
    // transaction; BEGIN and COMMIT are cached statements, as rusqlite's
    // `Transaction` would prepare them afresh on every save.
    let batch = statements > 1;
    if batch {
        conn.prepare_cached("BEGIN")?.execute([])?;
    }
    let result = (|| -> Result<()> {
        for (path, value) in &ops {
            match value {
                Some(v) => put_answer(svc, &conn, id, path, v)?,
                None => delete_answer(&conn, id, path)?,
            }
        }
        if let Some(summary) = &summary {
            conn.prepare_cached("UPDATE drafts SET updated_at = ?2, summary = ?3 WHERE id = ?1")?
                .execute(params![id, draft.meta.updated_at_ms, summary])?;
        } else if writes.touch {
            conn.prepare_cached("UPDATE drafts SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![id, draft.meta.updated_at_ms])?;
        }
        if let Some(also) = writes.also {
            also(&conn)?;
        }
        Ok(())
    })();
    if batch {
        match &result {
            Ok(()) => {
                if let Err(e) = conn
                    .prepare_cached("COMMIT")
                    .and_then(|mut c| c.execute([]))
                {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(e.into());
                }
            }
            Err(_) => {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
    }
    result
}

fn material_context(draft: &str) -> Vec<u8> {
    format!("drafts.material\0{draft}").into_bytes()
}

/// The consents recorded for a draft's licence material, sealed (what was
/// shared with whom and why; claim names, never values).
pub(super) fn read_material(
    conn: &rusqlite::Connection,
    key: &DataKey,
    draft_id: &str,
) -> Result<Vec<Consent>> {
    let sealed: Option<Vec<u8>> = conn
        .prepare_cached("SELECT material FROM drafts WHERE id = ?1")?
        .query_row([draft_id], |r| r.get(0))
        .optional()?
        .flatten();
    match sealed {
        None => Ok(Vec::new()),
        Some(sealed) => Ok(serde_json::from_slice(
            &key.open(&material_context(draft_id), &sealed)?,
        )?),
    }
}

/// Replaces a draft's consents, on the caller's transaction.
pub(super) fn write_material(
    conn: &rusqlite::Connection,
    key: &DataKey,
    draft_id: &str,
    consents: &[Consent],
) -> Result<()> {
    let sealed = if consents.is_empty() {
        None
    } else {
        let json = zeroize::Zeroizing::new(serde_json::to_vec(consents)?);
        Some(key.seal(&material_context(draft_id), &json)?)
    };
    conn.prepare_cached("UPDATE drafts SET material = ?2 WHERE id = ?1")?
        .execute(params![draft_id, sealed])?;
    Ok(())
}

/// Replaces every answer of a draft (migration to another form version).
fn dropped_context(draft: &str) -> Vec<u8> {
    format!("drafts.dropped\0{draft}").into_bytes()
}

/// The answers a migration could not carry, by path, sealed: kept with the
/// draft until it is sent, for the person to see what to enter again.
pub(super) fn dropped(svc: &DraftsService, draft_id: &str) -> Result<Vec<(String, Value)>> {
    let sealed: Option<Vec<u8>> = svc
        .ctx
        .store
        .conn()?
        .query_row(
            "SELECT dropped FROM drafts WHERE id = ?1",
            [draft_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(sealed) = sealed else {
        return Ok(Vec::new());
    };
    let opened = svc
        .ctx
        .store
        .key()
        .open(&dropped_context(draft_id), &sealed)?;
    Ok(serde_json::from_slice(&opened)?)
}

pub(super) fn replace_answers(
    svc: &DraftsService,
    owner: &str,
    meta: &Meta,
    summary: &str,
    answers: &Answers,
    dropped: &[(String, Value)],
) -> Result<()> {
    let summary = seal_summary(svc, meta, summary)?;
    let dropped = if dropped.is_empty() {
        None
    } else {
        let json = zeroize::Zeroizing::new(serde_json::to_vec(dropped)?);
        Some(
            svc.ctx
                .store
                .key()
                .seal(&dropped_context(&meta.id), &json)?,
        )
    };
    let mut conn = svc.ctx.store.conn()?;
    let tx = conn.transaction()?;
    let n = tx.execute(
        "UPDATE drafts SET form_version = ?3, updated_at = ?4, summary = ?5, dropped = ?6
         WHERE id = ?1 AND owner = ?2 AND state = 'draft'",
        params![
            meta.id,
            owner,
            meta.form_version,
            meta.updated_at_ms,
            summary,
            dropped
        ],
    )?;
    if n == 0 {
        return Err(PalmGovError::NotFound.into());
    }
    tx.execute("DELETE FROM answers WHERE draft_id = ?1", [&meta.id])?;
    put_all(svc, &tx, &meta.id, answers)?;
    tx.commit()?;
    Ok(())
}

fn meta_from_row(svc: &DraftsService, r: &rusqlite::Row<'_>) -> Result<(String, Meta, String)> {
    let id: String = r.get("id")?;
    let sealed: Vec<u8> = r.get("summary")?;
    let opened = svc.ctx.store.key().open(&summary_context(&id), &sealed)?;
    let s: SealedSummary = serde_json::from_slice(&opened)?;
    let state: String = r.get("state")?;
    Ok((
        r.get("owner")?,
        Meta {
            form_id: r.get("form_id")?,
            form_version: r.get("form_version")?,
            state: DraftState::parse(&state),
            created_at_ms: r.get("created_at")?,
            updated_at_ms: r.get("updated_at")?,
            utc_offset_min: r.get("utc_offset_min")?,
            replaces: r.get("replaces")?,
            subject: s.subject,
            id,
        },
        s.summary,
    ))
}

pub(super) fn load(svc: &DraftsService, draft_id: &str) -> Result<(String, Meta, Answers)> {
    let conn = svc.ctx.store.conn()?;
    let mut stmt = conn.prepare_cached("SELECT * FROM drafts WHERE id = ?1")?;
    let mut rows = stmt.query([draft_id])?;
    let row = rows.next()?.ok_or(PalmGovError::NotFound)?;
    let (owner, meta, _) = meta_from_row(svc, row)?;
    drop(rows);
    let mut stmt = conn.prepare_cached("SELECT path, value FROM answers WHERE draft_id = ?1")?;
    let mut rows = stmt.query([draft_id])?;
    let mut answers = Answers::default();
    let mut orders: HashMap<(String, String), i64> = HashMap::new();
    let mut members: Vec<(Path, Value)> = Vec::new();
    while let Some(r) = rows.next()? {
        let path: String = r.get(0)?;
        let sealed: Vec<u8> = r.get(1)?;
        let value: Value = serde_json::from_slice(
            &svc.ctx
                .store
                .key()
                .open(&answer_context(draft_id, &path), &sealed)?,
        )?;
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            [name] => {
                answers.top.insert(name.to_string(), value);
            }
            [repeat, instance] => {
                orders.insert(
                    (repeat.to_string(), instance.to_string()),
                    value["order"].as_i64().unwrap_or(i64::MAX),
                );
            }
            _ => members.extend(Path::parse(&path).map(|p| (p, value))),
        }
    }
    let mut ordered: Vec<((String, String), i64)> = orders.into_iter().collect();
    ordered.sort_by_key(|(k, order)| (*order, k.1.clone()));
    for ((repeat, id), _) in ordered {
        answers.repeats.entry(repeat).or_default().push(Instance {
            id,
            values: NameMap::default(),
        });
    }
    for (path, value) in members {
        answers.set(&path, value);
    }
    Ok((owner, meta, answers))
}

/// One account's drafts, newest first; only `ids` when given (search).
///
/// The rows come from the covering `drafts_listing` index alone, in its
/// order, and the decrypted summaries from the in-memory search index; only
/// drafts it does not know yet (the first listing after unlock) are read
/// from the table and decrypted. `tests::listing_reads_only_its_index`
/// keeps the query on that plan.
pub(super) fn list(
    svc: &DraftsService,
    owner: &str,
    language: &str,
    ids: Option<&[String]>,
) -> Result<Vec<DraftSummary>> {
    struct Row {
        id: String,
        form_id: String,
        form_version: u32,
        state: DraftState,
        created_at_ms: i64,
        updated_at_ms: i64,
        utc_offset_min: i32,
        replaces: Option<String>,
    }
    /// A row's subject and summary: decrypted already in the in-memory
    /// index, or still sealed.
    enum Summary {
        Known(DraftSubject, String),
        Sealed(Vec<u8>),
    }
    let index = &svc.search;
    let wanted: Option<std::collections::HashSet<&str>> =
        ids.map(|ids| ids.iter().map(String::as_str).collect());
    // Rows and sealed summaries first, with the connection released before
    // decrypting and resolving titles: loading a form definition takes the
    // connection again.
    let (rows, summaries) = {
        let conn = svc.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached(LISTING)?;
        let mut rows = stmt.query([owner])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if wanted.as_ref().is_some_and(|w| !w.contains(id.as_str())) {
                continue;
            }
            out.push(Row {
                id,
                form_id: r.get(1)?,
                form_version: r.get(2)?,
                state: r.get(3)?,
                created_at_ms: r.get(4)?,
                updated_at_ms: r.get(5)?,
                utc_offset_min: r.get(6)?,
                replaces: r.get(7)?,
            });
        }
        let mut sealed = conn.prepare_cached("SELECT summary FROM drafts WHERE id = ?1")?;
        let summaries = index
            .summaries(out.iter().map(|r| r.id.as_str()))
            .into_iter()
            .zip(&out)
            .map(|(known, row)| match known {
                Some((subject, summary)) => Ok(Summary::Known(subject, summary)),
                None => Ok(Summary::Sealed(sealed.query_row([&row.id], |r| r.get(0))?)),
            })
            .collect::<Result<Vec<_>>>()?;
        (out, summaries)
    };
    // A handful of form versions at most: a list beats hashing a key per row.
    let mut titles: Vec<(String, u32, String)> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (row, summary) in rows.into_iter().zip(summaries) {
        let title = match titles
            .iter()
            .find(|(form, version, _)| *form == row.form_id && *version == row.form_version)
        {
            Some((_, _, t)) => t.clone(),
            None => {
                let t = svc
                    .catalog
                    .form(&row.form_id, Some(row.form_version))
                    .map(|f| pick(&f.title, language))
                    .unwrap_or_else(|_| row.form_id.clone());
                titles.push((row.form_id.clone(), row.form_version, t.clone()));
                t
            }
        };
        let (subject, summary) = match summary {
            Summary::Known(subject, summary) => (subject, summary),
            Summary::Sealed(sealed) => {
                let opened = svc
                    .ctx
                    .store
                    .key()
                    .open(&summary_context(&row.id), &sealed)?;
                let s: SealedSummary = serde_json::from_slice(&opened)?;
                index.remember(&row.id, &s.subject, &s.summary);
                (s.subject, s.summary)
            }
        };
        out.push(DraftSummary {
            id: row.id,
            form_id: row.form_id,
            form_version: row.form_version,
            title,
            state: row.state,
            subject,
            summary,
            created_at_ms: row.created_at_ms,
            updated_at_ms: row.updated_at_ms,
            utc_offset_min: row.utc_offset_min,
            replaces: row.replaces,
        });
    }
    Ok(out)
}

/// The listing query: every column it reads is in `drafts_listing`.
pub(super) const LISTING: &str =
    "SELECT id, form_id, form_version, state, created_at, updated_at, utc_offset_min, replaces
     FROM drafts WHERE owner = ?1 ORDER BY updated_at DESC, seq DESC";

/// Every draft's searchable summary, decrypted, for the in-memory index.
pub(super) fn all_search_texts(
    svc: &DraftsService,
    owner: &str,
) -> Result<Vec<(String, DraftSubject, String)>> {
    let conn = svc.ctx.store.conn()?;
    let mut stmt = conn.prepare_cached("SELECT * FROM drafts WHERE owner = ?1")?;
    let mut rows = stmt.query([owner])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let (_, meta, summary) = meta_from_row(svc, r)?;
        out.push((meta.id, meta.subject, summary));
    }
    Ok(out)
}

/// Deletes an unfinalized draft; returns its attachments' file names.
pub(super) fn delete_draft(
    svc: &DraftsService,
    owner: &str,
    draft_id: &str,
) -> Result<Vec<String>> {
    let mut conn = svc.ctx.store.conn()?;
    let tx = conn.transaction()?;
    let state: Option<String> = tx
        .query_row(
            "SELECT state FROM drafts WHERE id = ?1 AND owner = ?2",
            params![draft_id, owner],
            |r| r.get(0),
        )
        .optional()?;
    match state.as_deref() {
        None => return Err(PalmGovError::NotFound.into()),
        Some("draft") => {}
        Some(_) => return Err(PalmGovError::DraftFrozen.into()),
    }
    let files = MediaService::files_of(&tx, draft_id)?;
    tx.execute("DELETE FROM drafts WHERE id = ?1", [draft_id])?;
    tx.commit()?;
    Ok(files)
}

/// Marks a draft finalized, inside the durable transaction that queues it.
pub(crate) fn freeze(tx: &Transaction<'_>, draft_id: &str) -> Result<()> {
    let n = tx.execute(
        "UPDATE drafts SET state = 'finalized', dropped = NULL WHERE id = ?1 AND state = 'draft'",
        [draft_id],
    )?;
    if n == 0 {
        return Err(PalmGovError::DraftFrozen.into());
    }
    Ok(())
}
