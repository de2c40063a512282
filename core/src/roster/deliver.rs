//! Households the worker added, sent with the sync run as [`Deliverable`]s:
//! their sealed JSON as stored (identical bytes on every retry), counted as
//! sent only on a receipt that echoes their id and SHA-256.

use std::sync::Arc;
use std::time::Duration;

use rusqlite::{OptionalExtension, params};
use serde::Deserialize;

use super::{RosterService, context};
use crate::clock::now_ms;
use crate::delivery::{
    Attempt, Attempting, Deliverable, Settled, SyncOptions, classify, not_our_receipt, transient,
};
use crate::error::{PalmGovError, Result};

/// The backend's proof it holds this exact household.
#[derive(Deserialize)]
struct Receipt {
    id: String,
    sha256: String,
}

/// A household waiting to be sent.
struct PendingHousehold {
    roster: Arc<RosterService>,
    owner: String,
    id: String,
    sha256: String,
    attempts: u32,
    len: u64,
}

pub(super) fn pending(
    roster: &Arc<RosterService>,
    owner: &str,
) -> Result<Vec<Box<dyn Deliverable>>> {
    let conn = roster.ctx.store.conn()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, sha256, attempts, LENGTH(body) FROM households
         WHERE owner = ?1 AND state = 'pending' ORDER BY seq",
    )?;
    let rows = stmt.query_map([owner], |r| {
        Ok(PendingHousehold {
            roster: roster.clone(),
            owner: owner.to_string(),
            id: r.get(0)?,
            sha256: r.get(1)?,
            attempts: r.get(2)?,
            len: r.get(3)?,
        })
    })?;
    Ok(rows
        .map(|r| r.map(|h| Box::new(h) as Box<dyn Deliverable>))
        .collect::<rusqlite::Result<_>>()?)
}

impl PendingHousehold {
    /// One attempt at sending the household.
    async fn send(&self) -> Result<Attempt> {
        let store = &self.roster.ctx.store;
        let sealed: Option<Vec<u8>> = store
            .conn()?
            .query_row(
                "SELECT body FROM households WHERE owner = ?1 AND id = ?2",
                [&self.owner, &self.id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sealed) = sealed else {
            return Err(PalmGovError::NotFound.into());
        };
        let body = store.key().open(&context(&self.owner, &self.id), &sealed)?;
        let path = format!("v1/roster/households/{}", self.id);
        let reply = match self
            .roster
            .identity
            .authorized_send(reqwest::Method::PUT, &path, Some(&body))
            .await
        {
            Ok(r) => r,
            Err(e) => return transient(e),
        };
        let api = self.roster.ctx.api();
        if !reply.status.is_success() {
            return Ok(classify(&api, reply));
        }
        let confirmed = api
            .judge::<Receipt>(reply)
            .ok()
            .is_some_and(|r| r.body.id == self.id && r.body.sha256 == self.sha256);
        Ok(if confirmed {
            Attempt::Delivered {
                receipt_id: self.id.clone(),
                received_at: 0,
            }
        } else {
            not_our_receipt()
        })
    }

    /// Records where the household is after an attempt.
    fn mark(&self, state: &str, detail: Option<&str>, attempts: u32) -> Result<()> {
        self.roster.ctx.store.write_durably(|tx| {
            tx.execute(
                "UPDATE households SET state = ?3, detail = ?4, attempts = ?5, updated_at = ?6
                 WHERE owner = ?1 AND id = ?2",
                params![self.owner, self.id, state, detail, attempts, now_ms()],
            )?;
            Ok(())
        })
    }
}

impl Deliverable for PendingHousehold {
    fn bytes(&self) -> u64 {
        self.len
    }

    fn attempts(&self) -> u32 {
        self.attempts
    }

    fn attempt<'a>(
        &'a mut self,
        _: &'a SyncOptions,
        _: &'a mut (dyn FnMut(u64) + Send),
    ) -> Attempting<'a> {
        Box::pin(self.send())
    }

    fn settle(&self, outcome: Attempt, attempts: u32) -> Result<Settled> {
        Ok(match outcome {
            Attempt::Delivered { .. } => {
                self.mark("synced", None, attempts)?;
                Settled::Delivered
            }
            // Adding a household needs no step-up; a backend that asks for
            // one refuses it like any other 4xx.
            Attempt::WaitLevel(_) => {
                self.mark("rejected", Some("level_required"), attempts)?;
                Settled::Quarantined
            }
            Attempt::Quarantine(reason) => {
                self.mark("rejected", Some(&reason), attempts)?;
                Settled::Quarantined
            }
            Attempt::Deferred | Attempt::Retry { .. } => Settled::Deferred,
        })
    }

    fn retry_later(&self, attempts: u32, _: Duration) -> Result<()> {
        self.mark("pending", None, attempts)
    }
}
