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
//! Names, ID numbers and phones of a whole grid are personal, and a shared
//! phone passes from worker to worker. So the households the backend lists
//! are sealed under the signed-in worker's **account key** and deleted at
//! sign-out; signing out destroys that key, so nothing of the grid stays
//! readable even where a row survived. A refresh replaces them, so a
//! household reassigned to another worker leaves this phone at the next
//! sync. A household the worker added and has not sent yet is queued work,
//! like a finalized submission: it stays, under the device key, until it
//! goes out.
//!
//! Members come with each household (name, relation to the head, ID
//! number, birth date, phone), so a visit's member list is prefilled
//! rather than typed again at every visit. A visit that adds or corrects a
//! member sends it inside the visit's submission; the backend folds it into
//! the register and the next refresh brings it back.
//!
//! This capability owns the `households` table.

mod deliver;
mod records;
mod remote;

use std::sync::Arc;

use rusqlite::params;
use serde::{Deserialize, Serialize};

pub use records::{
    Household, HouseholdMember, HouseholdOrigin, HouseholdSync, NewHousehold, RELATIONS,
};

use crate::clock::now_ms;
use crate::context::{Context, DEVICE_OWNER};
use crate::crypto::{DataKey, sha256_hex, uuid_v4};
use crate::delivery::Deliverable;
use crate::error::{PalmGovError, Result};
use crate::forms::text;
use crate::gate::Unlocked;
use crate::identity::IdentityService;
use crate::redact::redacted;

/// Longest head-of-household name accepted, in characters.
const MAX_NAME: usize = 64;
/// Longest address accepted, in characters.
const MAX_ADDRESS: usize = 200;

/// A household as the API carries it (and as it is sealed here). A
/// household the worker adds has no members, and its JSON has no
/// `members` key: the bytes sent are the ones an older build sent.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Body {
    head_name: String,
    address: String,
    division: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    members: Vec<HouseholdMember>,
}

/// The key of a grid: borrowed from the store, or the account's own. A
/// row's `sealed_by` says which: `device` for the worker's queued
/// additions, `account` for the grid the backend lists.
enum GridKey<'a> {
    Device(&'a DataKey),
    /// Boxed: a key is ring's expanded schedule, over 500 bytes.
    Account(Box<DataKey>),
}

impl std::ops::Deref for GridKey<'_> {
    type Target = DataKey;

    fn deref(&self) -> &DataKey {
        match self {
            Self::Device(key) => key,
            Self::Account(key) => key,
        }
    }
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

redacted!(Body { division });

/// Cleans and checks a household the worker typed in.
fn checked(new: NewHousehold) -> Result<Body> {
    let invalid = |field: &str| PalmGovError::InvalidInput {
        field: field.into(),
    };
    let head_name = text::clean(new.head_name.trim()).into_owned();
    if head_name.is_empty() || head_name.chars().count() > MAX_NAME {
        return Err(invalid("head_name").into());
    }
    let address = text::clean(new.address.trim()).into_owned();
    if address.chars().count() > MAX_ADDRESS {
        return Err(invalid("address").into());
    }
    let (division, _) =
        crate::forms::validators::division(&new.division).map_err(|_| invalid("division"))?;
    Ok(Body {
        head_name,
        address,
        division,
        members: Vec::new(),
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

    /// The key that seals `owner`'s grid: the account key, or the device
    /// key when the core runs without accounts. `None` once the account
    /// signed out (its key is gone).
    fn account_key(&self, owner: &str) -> Result<Option<GridKey<'_>>> {
        if owner == DEVICE_OWNER {
            return Ok(Some(GridKey::Device(self.ctx.store.key())));
        }
        Ok(self
            .identity
            .account_key(owner)?
            .map(|key| GridKey::Account(Box::new(key))))
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
        let account_key = self.account_key(owner)?;
        let conn = store.conn()?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, origin, state, detail, body, sealed_by FROM households
             WHERE owner = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![owner, only])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let sealed: Vec<u8> = r.get(4)?;
            let key = match r.get::<_, String>(5)?.as_str() {
                "account" => match &account_key {
                    Some(key) => key,
                    // Signed out: the row is unreadable and on its way out.
                    None => continue,
                },
                _ => store.key(),
            };
            let opened = key.open(&context(owner, &id), &sealed)?;
            let body: Body = serde_json::from_slice(&opened)?;
            out.push(Household {
                origin: origin_of(&r.get::<_, String>(1)?),
                sync: sync_of(&r.get::<_, String>(2)?, r.get(3)?),
                head_name: body.head_name,
                address: body.address,
                division: body.division,
                members: body.members,
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
        let (sealed, sha256) = self.seal(self.ctx.store.key(), &owner, &id, &body)?;
        self.ctx.store.write_durably(|tx| {
            tx.execute(
                "INSERT INTO households (owner, id, origin, state, body, sha256, updated_at,
                                         sealed_by)
                 VALUES (?1, ?2, 'added', 'pending', ?3, ?4, ?5, 'device')",
                params![owner, id, sealed, sha256, now_ms()],
            )?;
            Ok(())
        })?;
        Ok(Household {
            id,
            head_name: body.head_name,
            address: body.address,
            division: body.division,
            members: body.members,
            origin: HouseholdOrigin::AddedByWorker,
            sync: HouseholdSync::Pending,
        })
    }

    /// A household's JSON as sent, sealed under `key`, and its SHA-256
    /// (what the backend's receipt echoes).
    fn seal(&self, key: &DataKey, owner: &str, id: &str, body: &Body) -> Result<(Vec<u8>, String)> {
        let json = zeroize::Zeroizing::new(serde_json::to_vec(body)?);
        let sealed = key.seal(&context(owner, id), &json)?;
        Ok((sealed, sha256_hex(&json)))
    }

    /// Replaces the cached roster with the backend's and returns how many
    /// households it holds now. Shows nothing, so background work may call
    /// it. Households added here and not yet sent stay; one the backend
    /// already lists (its reply was lost) counts as sent. A household the
    /// backend no longer lists (reassigned to another grid) is deleted.
    pub(crate) async fn refresh(&self) -> Result<u32> {
        let owner = self.ctx.owner()?;
        let reply: remote::RemoteList = self.identity.authorized_get_json("v1/roster").await?;
        let households = remote::checked(reply)?;
        let key = self
            .account_key(&owner)?
            .ok_or(PalmGovError::SignInRequired)?;
        let mut rows = Vec::with_capacity(households.len());
        for (id, origin, body) in households {
            let (sealed, sha256) = self.seal(&key, &owner, &id, &body)?;
            rows.push((id, origin, sealed, sha256));
        }
        self.ctx.store.write_durably(|tx| {
            tx.execute(
                "DELETE FROM households WHERE owner = ?1 AND state = 'synced'",
                [&owner],
            )?;
            for (id, origin, sealed, sha256) in &rows {
                tx.execute(
                    "INSERT INTO households (owner, id, origin, state, body, sha256, updated_at,
                                             sealed_by)
                     VALUES (?1, ?2, ?3, 'synced', ?4, ?5, ?6, 'account')
                     ON CONFLICT (owner, id) DO UPDATE SET origin = excluded.origin,
                         state = 'synced', detail = NULL, body = excluded.body,
                         sha256 = excluded.sha256, updated_at = excluded.updated_at,
                         sealed_by = excluded.sealed_by",
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

    /// Deletes the grid of an account that signed out: every household the
    /// backend has. Its additions still to be sent stay (queued work).
    pub(crate) fn forget(&self, owner: &str) -> Result<u64> {
        self.ctx.store.write_durably(|tx| {
            Ok(tx.execute(
                "DELETE FROM households WHERE owner = ?1 AND state = 'synced'",
                [owner],
            )? as u64)
        })
    }

    /// Hands an account's unsent additions to the account that succeeds it
    /// (sealed again: a row's seal names its owner), on the caller's
    /// transaction, and drops the grid the backend listed to it: the
    /// successor's next refresh lists it again under its own key.
    pub(crate) fn reassign(&self, tx: &rusqlite::Connection, from: &str, to: &str) -> Result<u64> {
        let key = self.ctx.store.key();
        let rows: Vec<(String, Vec<u8>)> = {
            let mut stmt = tx.prepare(
                "SELECT id, body FROM households
                 WHERE owner = ?1 AND state != 'synced' AND sealed_by = 'device'",
            )?;
            let rows = stmt.query_map([from], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, body) in &rows {
            let clear = key.open(&context(from, id), body)?;
            let sealed = key.seal(&context(to, id), &clear)?;
            tx.execute(
                "UPDATE households SET owner = ?3, body = ?4 WHERE owner = ?1 AND id = ?2",
                rusqlite::params![from, id, to, sealed],
            )?;
        }
        tx.execute("DELETE FROM households WHERE owner = ?1", [from])?;
        Ok(rows.len() as u64)
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
