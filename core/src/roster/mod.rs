//! The grid worker's household roster (网格户册), cached for offline visits.
//!
//! The township assigns a worker the households of their grid; the phone
//! keeps that list so a visit in a village with no signal still starts from
//! it. A household the worker meets that is not on the list is added on the
//! phone and goes to the backend with the next sync, in the same run and
//! with the same rules as submissions (see [`crate::delivery`]):
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
//!
//! This capability owns the `households` table.

mod deliver;

use std::sync::Arc;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::clock::now_ms;
use crate::context::Context;
use crate::crypto::{sha256_hex, uuid_v4};
use crate::delivery::Deliverable;
use crate::error::{PalmGovError, Result};
use crate::gate::Unlocked;
use crate::identity::IdentityService;

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

/// The roster capability of one open core.
pub(crate) struct RosterService {
    ctx: Arc<Context>,
    identity: Arc<IdentityService>,
}

impl RosterService {
    pub(crate) fn new(ctx: Arc<Context>, identity: Arc<IdentityService>) -> Self {
        Self { ctx, identity }
    }

    /// The account's roster as last cached, in the township's order with
    /// the worker's additions after it. Offline.
    pub(crate) fn roster(&self, _: &Unlocked) -> Result<Vec<Household>> {
        let owner = self.ctx.owner()?;
        self.households(&owner, None)
    }

    /// One household of the account's roster.
    pub(crate) fn household(&self, _: &Unlocked, id: &str) -> Result<Option<Household>> {
        let owner = self.ctx.owner()?;
        Ok(self.households(&owner, Some(id))?.pop())
    }

    fn households(&self, owner: &str, only: Option<&str>) -> Result<Vec<Household>> {
        let store = &self.ctx.store;
        let conn = store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, origin, state, detail, body FROM households
             WHERE owner = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![owner, only])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(4)?;
            let opened = store.key().open(&context(owner, &id), &sealed)?;
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
    pub(crate) fn add(&self, _: &Unlocked, new: NewHousehold) -> Result<Household> {
        let owner = self.ctx.owner()?;
        let body = checked(new)?;
        let id = uuid_v4()?;
        let (sealed, sha256) = self.seal(&owner, &id, &body)?;
        self.ctx.store.write_durably(|tx| {
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
    fn seal(&self, owner: &str, id: &str, body: &Body) -> Result<(Vec<u8>, String)> {
        let json = zeroize::Zeroizing::new(serde_json::to_vec(body)?);
        let sealed = self.ctx.store.key().seal(&context(owner, id), &json)?;
        Ok((sealed, sha256_hex(&json)))
    }

    /// Replaces the cached roster with the backend's and returns how many
    /// households it holds now. Shows nothing, so background work may call
    /// it. Households added here and not yet sent stay; one the backend
    /// already lists (its reply was lost) counts as sent.
    pub(crate) async fn refresh(&self) -> Result<u32> {
        let owner = self.ctx.owner()?;
        let remote: RemoteList = self.identity.authorized_get_json("v1/roster").await?;
        let mut rows = Vec::with_capacity(remote.households.len());
        for r in remote.households {
            if r.id.is_empty() || r.id.len() > 64 {
                return Err(PalmGovError::BadServerReply.into());
            }
            let (sealed, sha256) = self.seal(&owner, &r.id, &r.body)?;
            let origin = if r.origin == "assigned" {
                "assigned"
            } else {
                "added"
            };
            rows.push((r.id, origin, sealed, sha256));
        }
        self.ctx.store.write_durably(|tx| {
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
        Ok(self.ctx.store.conn()?.query_row(
            "SELECT COUNT(*) FROM households WHERE owner = ?1",
            [&owner],
            |r| r.get(0),
        )?)
    }

    /// The account's households waiting to be sent, oldest first, as items
    /// for a sync run.
    pub(crate) fn pending(self: &Arc<Self>, owner: &str) -> Result<Vec<Box<dyn Deliverable>>> {
        deliver::pending(self, owner)
    }

    /// How many households of an account still wait to be sent.
    pub(crate) fn pending_count(&self, owner: &str) -> Result<u64> {
        Ok(self.ctx.store.conn()?.query_row(
            "SELECT COUNT(*) FROM households WHERE owner = ?1 AND state = 'pending'",
            [owner],
            |r| r.get(0),
        )?)
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
