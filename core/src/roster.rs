//! The grid worker's household roster (网格户册), cached for offline visits.
//!
//! The township assigns a worker the households of their grid; the phone
//! keeps that list so a visit in a village with no signal still starts from
//! it. A household the worker meets that is not on the list is added on the
//! phone and goes to the backend with the next sync, in the same worker and
//! with the same rules as submissions (see [`crate::outbox`]):
//!
//! - the client picks the household's id (a UUID), and its JSON is
//!   serialized once and sealed, so every retry sends identical bytes and
//!   the backend answers a repeat with the same receipt;
//! - only a receipt echoing the id and the SHA-256 counts as sent;
//! - a 4xx refusal marks the household rejected with the server's reason.
//!
//! Names and addresses are personal, so each household is sealed under the
//! device data key: the roster, like drafts, survives a logout and belongs
//! to the operator's account.

use std::sync::Arc;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::crypto::uuid_v4;
use crate::drafts::now_ms;
use crate::error::{PalmGovError, Result};
use crate::facade::Core;
use crate::outbox::{Attempt, sha256_hex, transient};

/// Longest head-of-household name accepted, in characters.
const MAX_NAME: usize = 64;
/// Longest address accepted, in characters.
const MAX_ADDRESS: usize = 200;

/// Where a household on the roster came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HouseholdOrigin {
    /// Assigned by the township.
    Assigned,
    /// Added by this worker (on this phone or another).
    AddedByWorker,
}

/// Whether the backend has a household the worker added.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum HouseholdSync {
    /// The backend has it.
    Synced,
    /// Added offline; goes with the next sync.
    Pending,
    /// The backend refused it (`reason` is its error code); fix and re-add.
    Rejected { reason: String },
}

/// One household on the worker's roster.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Household {
    /// The township's id, or the UUID the phone gave a household it added.
    /// Drafts name it as their subject's `household_id`.
    pub id: String,
    /// The head of the household (户主).
    pub head_name: String,
    pub address: String,
    /// A 6-digit county or 12-digit village division code.
    pub division: String,
    pub origin: HouseholdOrigin,
    pub sync: HouseholdSync,
}

/// A household the worker adds on the phone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewHousehold {
    pub head_name: String,
    #[uniffi(default = "")]
    pub address: String,
    /// Checked like a form's division field: a known county, or a village
    /// code with a known county prefix.
    pub division: String,
}

/// A household as the API carries it (and as it is sealed here).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    head_name: String,
    address: String,
    division: String,
}

/// A household as `GET /v1/roster` lists it.
#[derive(Deserialize)]
struct Remote {
    id: String,
    origin: String,
    #[serde(flatten)]
    body: Body,
}

#[derive(Deserialize)]
struct RemoteList {
    households: Vec<Remote>,
}

/// The backend's proof it holds this exact household.
#[derive(Deserialize)]
struct Receipt {
    id: String,
    sha256: String,
}

/// A household waiting to be sent, as the sync worker carries it.
pub(crate) struct Pending {
    pub id: String,
    pub sha256: String,
    pub attempts: u32,
    pub len: u64,
}

fn context(owner: &str, id: &str) -> Vec<u8> {
    format!("roster.household\0{owner}\0{id}").into_bytes()
}

fn origin_of(s: &str) -> HouseholdOrigin {
    if s == "assigned" {
        HouseholdOrigin::Assigned
    } else {
        HouseholdOrigin::AddedByWorker
    }
}

fn sync_of(state: &str, detail: Option<String>) -> HouseholdSync {
    match state {
        "pending" => HouseholdSync::Pending,
        "rejected" => HouseholdSync::Rejected {
            reason: detail.unwrap_or_default(),
        },
        _ => HouseholdSync::Synced,
    }
}

/// Trims and checks a household the worker typed in.
fn checked(new: NewHousehold) -> Result<Body> {
    let invalid = |field: &str| PalmGovError::InvalidInput {
        field: field.into(),
    };
    let head_name = new.head_name.trim().to_string();
    if head_name.is_empty() || head_name.chars().count() > MAX_NAME {
        return Err(invalid("head_name").into());
    }
    let address = new.address.trim().to_string();
    if address.chars().count() > MAX_ADDRESS {
        return Err(invalid("address").into());
    }
    let (division, _) =
        crate::forms::validators::division(new.division.trim()).map_err(|_| invalid("division"))?;
    Ok(Body {
        head_name,
        address,
        division,
    })
}

impl Core {
    /// The account's roster as last cached, in the township's order with
    /// the worker's additions after it. Offline.
    pub(crate) fn roster(&self) -> Result<Vec<Household>> {
        let owner = self.draft_owner()?;
        self.households(&owner, None)
    }

    /// One household of the account's roster.
    pub(crate) fn household(&self, owner: &str, id: &str) -> Result<Option<Household>> {
        Ok(self.households(owner, Some(id))?.pop())
    }

    fn households(&self, owner: &str, only: Option<&str>) -> Result<Vec<Household>> {
        let conn = self.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, origin, state, detail, body FROM households
             WHERE owner = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![owner, only])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(4)?;
            let opened = self.store.key().open(&context(owner, &id), &sealed)?;
            let body: Body = serde_json::from_slice(&opened)?;
            out.push(Household {
                origin: origin_of(&r.get::<_, String>(1)?),
                sync: sync_of(&r.get::<_, String>(2)?, r.get(3)?),
                head_name: body.head_name,
                address: body.address,
                division: body.division,
                id,
            });
        }
        Ok(out)
    }

    /// Adds a household the worker met, durably, to go with the next sync.
    pub(crate) fn add_household(&self, new: NewHousehold) -> Result<Household> {
        let owner = self.draft_owner()?;
        let body = checked(new)?;
        let id = uuid_v4()?;
        let (sealed, sha256) = self.seal_household(&owner, &id, &body)?;
        let mut conn = self.store.conn()?;
        crate::store::durable(&mut conn, |tx| {
            tx.execute(
                "INSERT INTO households (owner, id, origin, state, body, sha256, updated_at)
                 VALUES (?1, ?2, 'added', 'pending', ?3, ?4, ?5)",
                params![owner, id, sealed, sha256, now_ms()],
            )?;
            Ok(())
        })?;
        Ok(Household {
            id,
            head_name: body.head_name.clone(),
            address: body.address.clone(),
            division: body.division.clone(),
            origin: HouseholdOrigin::AddedByWorker,
            sync: HouseholdSync::Pending,
        })
    }

    /// A household's JSON as sent, sealed, and its SHA-256 (what the
    /// backend's receipt echoes).
    fn seal_household(&self, owner: &str, id: &str, body: &Body) -> Result<(Vec<u8>, String)> {
        let json = zeroize::Zeroizing::new(serde_json::to_vec(body)?);
        let sealed = self.store.key().seal(&context(owner, id), &json)?;
        Ok((sealed, sha256_hex(&json)))
    }

    /// Replaces the cached roster with the backend's. Households added here
    /// and not yet sent stay; one the backend already lists (its reply was
    /// lost) counts as sent.
    pub(crate) async fn refresh_roster(self: &Arc<Self>) -> Result<Vec<Household>> {
        let owner = self.draft_owner()?;
        let remote: RemoteList = self.authorized_get_json("v1/roster").await?;
        let mut rows = Vec::with_capacity(remote.households.len());
        for r in remote.households {
            if r.id.is_empty() || r.id.len() > 64 {
                return Err(PalmGovError::BadServerReply.into());
            }
            let (sealed, sha256) = self.seal_household(&owner, &r.id, &r.body)?;
            let origin = if r.origin == "assigned" {
                "assigned"
            } else {
                "added"
            };
            rows.push((r.id, origin, sealed, sha256));
        }
        let mut conn = self.store.conn()?;
        crate::store::durable(&mut conn, |tx| {
            tx.execute(
                "DELETE FROM households WHERE owner = ?1 AND state = 'synced'",
                [&owner],
            )?;
            for (id, origin, sealed, sha256) in &rows {
                tx.execute(
                    "INSERT INTO households (owner, id, origin, state, body, sha256, updated_at)
                     VALUES (?1, ?2, ?3, 'synced', ?4, ?5, ?6)
                     ON CONFLICT (owner, id) DO UPDATE SET origin = excluded.origin,
                         state = 'synced', detail = NULL, body = excluded.body,
                         sha256 = excluded.sha256, updated_at = excluded.updated_at",
                    params![owner, id, origin, sealed, sha256, now_ms()],
                )?;
            }
            Ok(())
        })?;
        drop(conn);
        self.households(&owner, None)
    }

    /// The account's households waiting to be sent, oldest first.
    pub(crate) fn pending_households(&self, owner: &str) -> Result<Vec<Pending>> {
        let conn = self.store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, sha256, attempts, LENGTH(body) FROM households
             WHERE owner = ?1 AND state = 'pending' ORDER BY seq",
        )?;
        let rows = stmt.query_map([owner], |r| {
            Ok(Pending {
                id: r.get(0)?,
                sha256: r.get(1)?,
                attempts: r.get(2)?,
                len: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many households of an account still wait to be sent.
    pub(crate) fn pending_household_count(&self, owner: &str) -> Result<u64> {
        Ok(self.store.conn()?.query_row(
            "SELECT COUNT(*) FROM households WHERE owner = ?1 AND state = 'pending'",
            [owner],
            |r| r.get(0),
        )?)
    }

    /// One attempt at sending one added household.
    pub(crate) async fn send_household(
        self: &Arc<Self>,
        owner: &str,
        p: &Pending,
    ) -> Result<Attempt> {
        let sealed: Option<Vec<u8>> = self
            .store
            .conn()?
            .query_row(
                "SELECT body FROM households WHERE owner = ?1 AND id = ?2",
                [owner, &p.id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sealed) = sealed else {
            return Err(PalmGovError::NotFound.into());
        };
        let body = self.store.key().open(&context(owner, &p.id), &sealed)?;
        let path = format!("v1/roster/households/{}", p.id);
        let reply = match self
            .authorized_send(reqwest::Method::PUT, &path, Some(&body))
            .await
        {
            Ok(r) => r,
            Err(e) => return transient(e),
        };
        if !reply.status.is_success() {
            return Ok(self.classify(reply));
        }
        let confirmed = self
            .api
            .judge::<Receipt>(reply)
            .ok()
            .is_some_and(|r| r.body.id == p.id && r.body.sha256 == p.sha256);
        Ok(if confirmed {
            Attempt::Delivered {
                receipt_id: p.id.clone(),
                received_at: 0,
            }
        } else {
            // A 200 that is not our receipt: a captive portal or a proxy.
            Attempt::Retry {
                error: PalmGovError::BadServerReply,
                retry_after: None,
            }
        })
    }

    /// Records where an added household is after an attempt.
    pub(crate) fn mark_household(
        &self,
        owner: &str,
        id: &str,
        state: &str,
        detail: Option<&str>,
        attempts: u32,
    ) -> Result<()> {
        let mut conn = self.store.conn()?;
        crate::store::durable(&mut conn, |tx| {
            tx.execute(
                "UPDATE households SET state = ?3, detail = ?4, attempts = ?5, updated_at = ?6
                 WHERE owner = ?1 AND id = ?2",
                params![owner, id, state, detail, attempts, now_ms()],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_households_are_trimmed_and_checked() {
        let ok = checked(NewHousehold {
            head_name: "  赵六 ".into(),
            address: " 3组 ".into(),
            division: "330106001001".into(),
        })
        .unwrap();
        assert_eq!(
            (ok.head_name.as_str(), ok.address.as_str()),
            ("赵六", "3组")
        );
        let field = |new: NewHousehold| match PalmGovError::from(checked(new).unwrap_err()) {
            PalmGovError::InvalidInput { field } => field,
            other => panic!("{other:?}"),
        };
        let base = NewHousehold {
            head_name: "赵六".into(),
            address: String::new(),
            division: "330106".into(),
        };
        assert_eq!(
            field(NewHousehold {
                head_name: " ".into(),
                ..base.clone()
            }),
            "head_name"
        );
        assert_eq!(
            field(NewHousehold {
                division: "339999".into(),
                ..base.clone()
            }),
            "division"
        );
        assert_eq!(
            field(NewHousehold {
                address: "路".repeat(201),
                ..base
            }),
            "address"
        );
    }
}
