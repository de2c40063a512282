//! Queueing: a finalized draft becomes a sealed payload in the `outbox`
//! table, inside the transaction that freezes the draft, and stays there
//! until it is delivered or the person discards it.

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use super::{OutboxService, StepUpNeeded, Submission, SubmissionState};
use crate::clock::now_ms;
use crate::crypto::sha256_hex;
use crate::error::{PalmGovError, Result};
use crate::forms::material::Consent;
use crate::gate::Unlocked;
use crate::media::MediaService;
use crate::store::Store;

/// What the outbox needs to know of a finalized draft.
pub(crate) struct Envelope<'a> {
    pub draft_id: &'a str,
    pub form_id: &'a str,
    pub form_version: u32,
    /// Who filled it in: the operator's account.
    pub owner: &'a str,
    /// Who it is about, as the payload carries it.
    pub subject: serde_json::Value,
    /// The submission an edit replaces.
    pub replaces: Option<&'a str>,
    pub created_at_ms: i64,
    pub utc_offset_min: i32,
    /// Minted by the caller: attached licences are bound to it.
    pub instance_id: &'a str,
    pub finalized_at_ms: i64,
    /// Attached licences: `{"field", "presentation"}`, each an SD-JWT+KB
    /// bound to this submission.
    pub licences: Vec<serde_json::Value>,
    /// Every consent to a licence's use recorded with the draft.
    pub consents: &'a [Consent],
}

pub(super) fn context(instance_id: &str) -> Vec<u8> {
    format!("outbox.payload\0{instance_id}").into_bytes()
}

/// A timestamp with the device's offset: the server sees both the moment
/// and the local time the worker saw.
pub(crate) fn rfc3339(ms: i64, offset_min: i32) -> String {
    let offset =
        time::UtcOffset::from_whole_seconds(offset_min * 60).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    let (h, m) = (offset_min / 60, (offset_min % 60).abs());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond(),
        if offset_min < 0 { '-' } else { '+' },
        h.abs(),
        m
    )
}

impl OutboxService {
    /// Queues a finalized draft, on the caller's connection and inside the
    /// caller's durable transaction (the one that freezes the draft): the
    /// payload is serialized once, sealed, and stored. Returns the
    /// instance id.
    pub(crate) fn enqueue(
        &self,
        tx: &Connection,
        draft: &Envelope<'_>,
        answers: serde_json::Value,
    ) -> Result<String> {
        let instance_id = draft.instance_id.to_string();
        let attachments = MediaService::declared(tx, draft.draft_id, &answers)?;
        let mut body = serde_json::json!({
            "instance_id": instance_id,
            "form_id": draft.form_id,
            "form_version": draft.form_version,
            "operator": draft.owner,
            "subject": draft.subject,
            "replaces": draft.replaces,
            "answers": answers,
            "attachments": attachments,
            "created_at": rfc3339(draft.created_at_ms, draft.utc_offset_min),
            "finalized_at": rfc3339(draft.finalized_at_ms, draft.utc_offset_min),
        });
        // Only forms that use licences carry these, so every other
        // payload stays as it was.
        if !draft.licences.is_empty() {
            body["licences"] = serde_json::Value::Array(draft.licences.clone());
        }
        if !draft.consents.is_empty() {
            body["consents"] = serde_json::to_value(draft.consents)?;
        }
        let bytes = Zeroizing::new(serde_json::to_vec(&body)?);
        let sha256 = sha256_hex(&bytes);
        let sealed = self.ctx.store.key().seal(&context(&instance_id), &bytes)?;
        tx.execute(
            "INSERT INTO outbox (instance_id, draft_id, form_id, owner, payload, sha256, state,
                                 created_at, updated_at, replaces)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?7, ?8)",
            params![
                instance_id,
                draft.draft_id,
                draft.form_id,
                draft.owner,
                sealed,
                sha256,
                now_ms(),
                draft.replaces
            ],
        )?;
        Ok(instance_id)
    }

    /// Hands an account's queue to the account that succeeds it (a region's
    /// new identity provider), on the caller's transaction.
    pub(crate) fn reassign(tx: &Connection, from: &str, to: &str) -> Result<u64> {
        Ok(tx.execute(
            "UPDATE outbox SET owner = ?2 WHERE owner = ?1",
            params![from, to],
        )? as u64)
    }

    /// The instance id a finalized draft was queued under.
    pub(crate) fn instance_of(&self, draft_id: &str) -> Result<Option<String>> {
        Ok(self
            .ctx
            .store
            .conn()?
            .query_row(
                "SELECT instance_id FROM outbox WHERE draft_id = ?1",
                [draft_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// This account's submissions, oldest first.
    pub(crate) fn submissions(&self, _: &Unlocked) -> Result<Vec<Submission>> {
        let owner = self.ctx.owner()?;
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT instance_id, draft_id, form_id, state, detail, receipt, attempts,
                    next_attempt_at, created_at, updated_at
             FROM outbox WHERE owner = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([owner], |r| {
            Ok(Submission {
                instance_id: r.get(0)?,
                draft_id: r.get(1)?,
                form_id: r.get(2)?,
                state: SubmissionState::from_row(&r.get::<_, String>(3)?, r.get(4)?, r.get(5)?),
                attempts: r.get(6)?,
                next_attempt_at_ms: r.get(7)?,
                created_at_ms: r.get(8)?,
                updated_at_ms: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many of an account's submissions still wait to be delivered.
    pub(crate) fn queued_count(&self, owner: &str) -> Result<u64> {
        self.count(owner, "state IN ('queued', 'waiting_level')")
    }

    /// Submissions of an account the backend refused for good: they wait
    /// for the person to fix or discard them, not for a sync.
    pub(crate) fn quarantined_count(&self, owner: &str) -> Result<u64> {
        self.count(owner, "state = 'quarantined'")
    }

    /// The step-up the current account's queue waits for, if any: the
    /// highest level a waiting submission needs and the waiting instance
    /// ids, oldest first, as many as one face check may name. A level and
    /// ids are not personal, so background work may ask too.
    pub(crate) fn step_up_needed(&self) -> Result<Option<StepUpNeeded>> {
        let owner = self.ctx.owner()?;
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT instance_id, CAST(detail AS INTEGER) FROM outbox
             WHERE owner = ?1 AND state = 'waiting_level'
             ORDER BY created_at, instance_id LIMIT ?2",
        )?;
        let waiting = stmt
            .query_map(
                params![owner, crate::faceauth::MAX_OPERATIONS as i64],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let Some(level) = waiting.iter().map(|(_, l)| *l).max() else {
            return Ok(None);
        };
        Ok(Some(StepUpNeeded {
            level: u8::try_from(level).unwrap_or(u8::MAX),
            operations: waiting.into_iter().map(|(id, _)| id).collect(),
        }))
    }

    fn count(&self, owner: &str, condition: &str) -> Result<u64> {
        Ok(self.ctx.store.conn()?.query_row(
            &format!("SELECT COUNT(*) FROM outbox WHERE owner = ?1 AND {condition}"),
            [owner],
            |r| r.get(0),
        )?)
    }

    /// Discards an undelivered submission on the person's explicit request.
    /// The payload is wiped; the row stays as a record that it was dropped.
    pub(crate) fn discard(&self, _: &Unlocked, instance_id: &str) -> Result<()> {
        let owner = self.ctx.owner()?;
        let n = self.ctx.store.write_durably(|tx| {
            Ok(tx.execute(
                "UPDATE outbox SET state = 'discarded', payload = X'', updated_at = ?3
                 WHERE instance_id = ?1 AND owner = ?2 AND state != 'delivered'",
                params![instance_id, owner, now_ms()],
            )?)
        })?;
        if n == 0 {
            return Err(PalmGovError::NotFound.into());
        }
        Ok(())
    }

    /// Records where a submission is after a final attempt.
    pub(super) fn mark(
        store: &Store,
        instance_id: &str,
        state: &str,
        detail: Option<&str>,
        receipt: Option<&str>,
    ) -> Result<()> {
        store.write_durably(|tx| {
            tx.execute(
                "UPDATE outbox SET state = ?2, detail = ?3, receipt = IFNULL(?4, receipt), updated_at = ?5
                 WHERE instance_id = ?1",
                params![instance_id, state, detail, receipt, now_ms()],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_keep_their_offset() {
        assert_eq!(super::rfc3339(0, 480), "1970-01-01T08:00:00.000+08:00");
        assert_eq!(super::rfc3339(1_500, -330), "1969-12-31T18:30:01.500-05:30");
    }
}
