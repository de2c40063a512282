//! Sending queued submissions: each one a [`Deliverable`] that PUTs its
//! sealed payload (identical bytes every time), uploads the attachments
//! the receipt says are missing, and counts as delivered only on a
//! complete receipt that echoes its instance id and hash.

use std::sync::Arc;
use std::time::Duration;

use rusqlite::params;
use zeroize::Zeroizing;

use super::OutboxService;
use super::applications;
use super::queue::context;
use super::records::{Receipt, Sent};
use super::upload;
use crate::clock::now_ms;
use crate::crypto::sha256_hex;
use crate::delivery::{
    Attempt, Attempting, Deliverable, Settled, SyncOptions, classify, not_our_receipt, transient,
};
use crate::error::{PalmGovError, Result};
use crate::forms::material::{Binding, Consent, ConsentKind};

/// The backend's refusal of a licence bound longer ago than it accepts.
const STALE: &str = "licence_stale";

/// What one PUT of a submission came to.
enum Put {
    /// A receipt that echoes this instance and hash.
    Receipt(Receipt),
    /// Refused: an attached licence was bound too long ago.
    LicenceStale,
    /// How the attempt ends otherwise.
    Other(Attempt),
}

/// One queued submission, as a sync run carries it.
struct Queued {
    outbox: Arc<OutboxService>,
    instance_id: String,
    draft_id: String,
    sha256: String,
    attempts: u32,
    payload_len: u64,
    attachment_bytes: u64,
    /// When the server said to come back (device ms).
    not_before_ms: i64,
    /// An edit whose original submission has not been delivered yet: it
    /// waits, so it never overtakes what it replaces.
    waits_for_original: bool,
}

impl OutboxService {
    /// Removes the photos of delivered submissions that are still on the
    /// phone (their removal failed at delivery, on a full disk). Best
    /// effort, at the start of a sync.
    pub(crate) fn tidy(&self) -> Result<()> {
        let with_photos = self.media.drafts_with_photos()?;
        if with_photos.is_empty() {
            return Ok(());
        }
        let conn = self.ctx.store.conn()?;
        let mut stmt =
            conn.prepare_cached("SELECT DISTINCT draft_id FROM outbox WHERE state = 'delivered'")?;
        let delivered: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        drop(conn);
        for draft in delivered.iter().filter(|d| with_photos.contains(*d)) {
            self.media.forget_delivered(draft)?;
        }
        Ok(())
    }
}

impl OutboxService {
    /// The account's submissions due now, oldest first, as items for a
    /// sync run.
    pub(crate) fn due(self: &Arc<Self>, owner: &str) -> Result<Vec<Box<dyn Deliverable>>> {
        type Row = (String, String, u32, u64, String, i64, bool);
        let rows: Vec<Row> = {
            let conn = self.ctx.store.conn()?;
            // An edit waits while what it replaces may still be delivered
            // (a refused original does not hold it back).
            let mut stmt = conn.prepare_cached(
                "SELECT o.instance_id, o.sha256, o.attempts, LENGTH(o.payload), o.draft_id,
                        o.next_attempt_at,
                        EXISTS (SELECT 1 FROM outbox r WHERE r.instance_id = o.replaces
                                AND r.state IN ('queued', 'waiting_level'))
                 FROM outbox o WHERE o.owner = ?1 AND o.state IN ('queued', 'waiting_level')
                 ORDER BY o.seq",
            )?;
            let rows = stmt.query_map([owner], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out: Vec<Box<dyn Deliverable>> = Vec::with_capacity(rows.len());
        for (instance_id, sha256, attempts, payload_len, draft_id, not_before_ms, waits) in rows {
            out.push(Box::new(Queued {
                outbox: self.clone(),
                attachment_bytes: self.media.ready_bytes(&draft_id)?,
                instance_id,
                sha256,
                attempts,
                payload_len,
                draft_id,
                not_before_ms,
                waits_for_original: waits,
            }));
        }
        Ok(out)
    }
}

impl Queued {
    /// One attempt: the submission, its missing attachments, and the
    /// confirming resubmission.
    async fn send(
        &mut self,
        options: &SyncOptions,
        credit: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Attempt> {
        let store = &self.outbox.ctx.store;
        let sealed: Vec<u8> = store.conn()?.query_row(
            "SELECT payload FROM outbox WHERE instance_id = ?1",
            [&self.instance_id],
            |r| r.get(0),
        )?;
        let mut body = store.key().open(&context(&self.instance_id), &sealed)?;
        let path = format!("v1/submissions/{}", self.instance_id);
        let receipt = match self.put(&path, &body).await? {
            Put::Receipt(r) => r,
            // Its licences were bound longer ago than the backend accepts
            // (it waited offline for weeks): bind them again, now, under
            // the same instance id, and send that once. The backend refused
            // the old bytes, so the new ones cannot conflict with them.
            Put::LicenceStale => match self.rebind(&body)? {
                Err(attempt) => return Ok(attempt),
                Ok(rebound) => {
                    body = rebound;
                    match self.put(&path, &body).await? {
                        Put::Receipt(r) => r,
                        Put::LicenceStale => {
                            return Ok(Attempt::Quarantine(STALE.into()));
                        }
                        Put::Other(attempt) => return Ok(attempt),
                    }
                }
            },
            Put::Other(attempt) => return Ok(attempt),
        };
        if receipt.complete {
            return Ok(Attempt::Delivered {
                receipt_id: receipt.receipt_id,
                received_at: receipt.received_at,
            });
        }
        credit(self.payload_len);
        if options.metered && !options.attachments_on_metered {
            return Ok(Attempt::Deferred);
        }
        let ids = upload::Ids {
            instance_id: &self.instance_id,
            sha256: &self.sha256,
            draft_id: &self.draft_id,
        };
        for missing in &receipt.missing {
            match upload::send(&self.outbox, &ids, missing, credit).await? {
                Sent::Part => {}
                Sent::Receipt(r) => {
                    return Ok(Attempt::Delivered {
                        receipt_id: r.receipt_id,
                        received_at: r.received_at,
                    });
                }
                Sent::Stopped(attempt) => return Ok(attempt),
            }
        }
        // Every part went up but no chunk reply carried the receipt (an
        // older backend, or the last part was already there): confirm.
        match self.put(&path, &body).await? {
            Put::Receipt(r) if r.complete => Ok(Attempt::Delivered {
                receipt_id: r.receipt_id,
                received_at: r.received_at,
            }),
            // The server still misses a part: try again later.
            Put::Receipt(_) => Ok(not_our_receipt()),
            Put::LicenceStale => Ok(Attempt::Quarantine(STALE.into())),
            Put::Other(attempt) => Ok(attempt),
        }
    }

    /// Binds the attached licences of payload `body` again at the servers'
    /// time now, with the consents it carries, and stores the new payload
    /// (sealed, its hash) in place of the old. `Err` is the attempt's end
    /// when that cannot be done: the licence has left the wallet.
    fn rebind(&mut self, body: &[u8]) -> Result<std::result::Result<Zeroizing<Vec<u8>>, Attempt>> {
        let unavailable = || Err(Attempt::Quarantine("licence_unavailable".into()));
        let Some(wallet) = self.outbox.wallet.get() else {
            // The core is closing: the next run binds it.
            return Ok(Err(Attempt::Deferred));
        };
        let mut payload: serde_json::Value = serde_json::from_slice(body)?;
        let form_id = payload["form_id"].as_str().unwrap_or_default().to_string();
        let consents: Vec<Consent> =
            serde_json::from_value(payload["consents"].take()).unwrap_or_default();
        let api = self.outbox.ctx.api();
        let now = api
            .server_now()
            .unwrap_or_else(|| crate::clock::unix_secs(api.clock().now()));
        if let Some(licences) = payload["licences"].as_array_mut() {
            for entry in licences {
                let field = entry["field"].as_str().unwrap_or_default();
                let Some(consent) = consents
                    .iter()
                    .find(|c| c.kind == ConsentKind::Attached && c.field.as_deref() == Some(field))
                else {
                    return Ok(unavailable());
                };
                let presentation = wallet.present(Binding {
                    licence_id: consent.licence_id.as_deref().unwrap_or_default(),
                    disclose: &consent.claims,
                    audience: &form_id,
                    nonce: &self.instance_id,
                    issued_at: now,
                });
                match presentation.map_err(PalmGovError::from) {
                    Ok(p) => entry["presentation"] = p.into(),
                    // The licence has left the wallet: only the person can
                    // attach another.
                    Err(PalmGovError::NotFound) => {
                        tracing::warn!("an attached licence is no longer in the wallet");
                        return Ok(unavailable());
                    }
                    // Anything else (the keystore busy, nobody signed in
                    // yet) is tried again at the next sync.
                    Err(error) => {
                        return Ok(Err(Attempt::Retry {
                            error,
                            retry_after: None,
                        }));
                    }
                }
            }
        }
        payload["consents"] = serde_json::to_value(&consents)?;
        let bytes = Zeroizing::new(serde_json::to_vec(&payload)?);
        let sha256 = sha256_hex(&bytes);
        let store = &self.outbox.ctx.store;
        let sealed = store.key().seal(&context(&self.instance_id), &bytes)?;
        store.write_durably(|tx| {
            tx.execute(
                "UPDATE outbox SET payload = ?2, sha256 = ?3, updated_at = ?4
                 WHERE instance_id = ?1 AND state IN ('queued', 'waiting_level')",
                params![self.instance_id, sealed, sha256, now_ms()],
            )?;
            Ok(())
        })?;
        self.sha256 = sha256;
        self.payload_len = bytes.len() as u64;
        Ok(Ok(bytes))
    }

    /// PUTs the submission; `Ok(Ok(receipt))` only for a receipt that
    /// echoes this instance and hash.
    async fn put(&self, path: &str, body: &[u8]) -> Result<Put> {
        let reply = match self
            .outbox
            .identity
            .authorized_send(reqwest::Method::PUT, path, Some(body))
            .await
        {
            Ok(r) => r,
            Err(e) => return transient(e).map(Put::Other),
        };
        let api = self.outbox.ctx.api();
        if reply.status.is_success() {
            let receipt = api
                .judge::<Receipt>(reply)
                .ok()
                .map(|r| r.body)
                .filter(|r| self.echoes(r));
            return Ok(match receipt {
                Some(r) => Put::Receipt(r),
                None => Put::Other(not_our_receipt()),
            });
        }
        // Bound too long ago, or "in the future" by a phone clock running
        // ahead: binding again now (on the servers' clock) fixes both.
        if reply.status.as_u16() == 422 {
            let code = reply.error_code();
            let reason = || {
                serde_json::from_slice::<serde_json::Value>(&reply.body)
                    .ok()
                    .and_then(|b| b["reason"].as_str().map(str::to_string))
            };
            if code.as_deref() == Some(STALE)
                || (code.as_deref() == Some("licence_invalid")
                    && reason().as_deref() == Some("iat_future"))
            {
                return Ok(Put::LicenceStale);
            }
        }
        Ok(Put::Other(classify(&api, reply)))
    }

    /// Whether a receipt is this submission's.
    fn echoes(&self, receipt: &Receipt) -> bool {
        receipt.echoes(&self.instance_id, &self.sha256)
    }
}

impl Deliverable for Queued {
    fn bytes(&self) -> u64 {
        self.payload_len + self.attachment_bytes
    }

    fn attempts(&self) -> u32 {
        self.attempts
    }

    fn not_before_ms(&self) -> i64 {
        self.not_before_ms
    }

    fn attempt<'a>(
        &'a mut self,
        options: &'a SyncOptions,
        credit: &'a mut (dyn FnMut(u64) + Send),
    ) -> Attempting<'a> {
        if self.waits_for_original {
            return Box::pin(async { Ok(Attempt::Deferred) });
        }
        Box::pin(self.send(options, credit))
    }

    fn settle(&self, outcome: Attempt, _attempts: u32) -> Result<Settled> {
        let store = &self.outbox.ctx.store;
        let id = &self.instance_id;
        Ok(match outcome {
            Attempt::Delivered {
                receipt_id,
                received_at,
            } => {
                // Delivered and submitted in one transaction: on a full disk
                // neither is written, the item stays queued, and the next
                // sync gets the same receipt for the same bytes.
                store.write_durably(|tx| {
                    tx.execute(
                        "UPDATE outbox SET state = 'delivered', detail = NULL, receipt = ?2,
                             updated_at = ?3 WHERE instance_id = ?1",
                        params![id, receipt_id, now_ms()],
                    )?;
                    applications::record_delivery(tx, store.key(), id, received_at)
                })?;
                // The photos leave the phone; should that fail (a full
                // disk), the next sync removes them ([`OutboxService::tidy`])
                // instead of failing a delivery that happened.
                if let Err(e) = self.outbox.media.forget_delivered(&self.draft_id) {
                    let e = PalmGovError::from(e);
                    tracing::warn!("delivered photos stay for now: {}", e.code());
                }
                Settled::Delivered
            }
            Attempt::WaitLevel(level) => {
                OutboxService::mark(store, id, "waiting_level", Some(&level.to_string()), None)?;
                Settled::WaitingForLevel
            }
            Attempt::Quarantine(reason) => {
                OutboxService::mark(store, id, "quarantined", Some(&reason), None)?;
                Settled::Quarantined
            }
            Attempt::Deferred => Settled::Deferred,
            Attempt::Retry { .. } => {
                return Err(PalmGovError::Internal {
                    detail: "a retry settled".into(),
                }
                .into());
            }
        })
    }

    fn retry_later(&self, attempts: u32, delay: Duration) -> Result<()> {
        self.outbox.ctx.store.write_durably(|tx| {
            tx.execute(
                "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3, updated_at = ?4 WHERE instance_id = ?1",
                params![
                    self.instance_id,
                    attempts,
                    now_ms() + delay.as_millis() as i64,
                    now_ms()
                ],
            )?;
            Ok(())
        })
    }
}
