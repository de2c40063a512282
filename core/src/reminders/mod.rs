//! Reminders the shells schedule as local notifications: the core
//! computes, deterministically, what is due within a horizon, and the
//! shell makes the OS's list match it.
//!
//! Three kinds: an application's status changed (found by a sync, which
//! on phones without Google services is the only way to hear of it), an
//! application asks for materials by a date (补正), and a licence nears
//! its last valid day (lead times from the region profile's policy). Each
//! has a stable id, a time, a deep link into the app, and a title and body
//! in the person's language that carry no personal data: they appear on
//! the lock screen, so they never name the service, the licence's holder
//! or a number of theirs.
//!
//! Never rely on one scheduled alarm (iOS keeps only the 64 soonest, some
//! vendors' power managers cancel an app's alarms, time zones change): the
//! shells reconcile on start, after a sync, after a reboot and after a
//! time or time-zone change ([`RemindersService::plan`]), and a reminder
//! whose time passed while it was lost is shown late rather than never.
//! The shell reports what it showed ([`RemindersService::shown`]), so a
//! passed reminder is shown once. Computing needs no app lock and reads
//! nothing it shows but those texts. Its table is `reminders_shown`.

mod compute;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use rusqlite::params;

use crate::context::Context;
use crate::error::Result;
use crate::outbox::OutboxService;
use crate::region::RegionService;
use crate::region::profile::RemindersPart;
use crate::wallet::WalletService;

pub(crate) use compute::{Inputs, compute};

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReminderKind {
    /// A sync found that an application's status changed.
    StatusChanged,
    /// An application asks for materials by a date.
    MaterialsDue,
    /// A licence nears its last valid day.
    LicenceExpiring,
}

/// One local notification to show.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reminder {
    /// Stable for the same event: the OS notification's id.
    pub id: String,
    pub kind: ReminderKind,
    /// When to show it, ms since 1970; a time already passed means now.
    pub at_ms: i64,
    /// Localized, free of personal data (lock screens show it).
    pub title: String,
    pub body: String,
    /// Where tapping it goes, relative to the app's own scheme
    /// (`applications/<instance id>`, `wallet`).
    pub deep_link: String,
}

/// What the shell must change so that the OS holds what is due.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReminderPlan {
    /// To schedule (or show now, when `at_ms` has passed), soonest first.
    pub schedule: Vec<Reminder>,
    /// Scheduled ids to cancel: gone, or beyond what the OS keeps.
    pub cancel: Vec<String>,
    /// Everything due within the horizon, soonest first, up to the
    /// capacity asked for: what the OS should hold after the plan.
    pub due: Vec<Reminder>,
}

/// The changes that make the OS's `scheduled` ids the soonest `capacity`
/// of `due` (sorted soonest first).
pub(crate) fn reconcile(
    mut due: Vec<Reminder>,
    scheduled: &[String],
    capacity: u32,
) -> ReminderPlan {
    due.truncate(capacity as usize);
    let cancel = scheduled
        .iter()
        .filter(|id| !due.iter().any(|r| &r.id == *id))
        .cloned()
        .collect();
    let schedule = due
        .iter()
        .filter(|r| !scheduled.contains(&r.id))
        .cloned()
        .collect();
    ReminderPlan {
        schedule,
        cancel,
        due,
    }
}

/// The reminders of one open core.
pub(crate) struct RemindersService {
    ctx: Arc<Context>,
    region: Arc<RegionService>,
    outbox: Arc<OutboxService>,
    wallet: Arc<WalletService>,
}

/// How long a shown reminder is remembered: longer than any reminder stays
/// due after its time (a passed lead stays due until its event, and the
/// profile allows leads of up to 366 days).
const SHOWN_KEPT_MS: i64 = 400 * 24 * 3600 * 1000;

impl RemindersService {
    pub(crate) fn new(
        ctx: Arc<Context>,
        region: Arc<RegionService>,
        outbox: Arc<OutboxService>,
        wallet: Arc<WalletService>,
    ) -> Self {
        Self {
            ctx,
            region,
            outbox,
            wallet,
        }
    }

    fn policy(&self) -> RemindersPart {
        self.region
            .active()
            .map(|a| a.profile.reminders.clone())
            .unwrap_or_default()
    }

    /// What compute reads, for the signed-in person; nothing when nobody is.
    pub(crate) fn inputs(&self) -> Result<Inputs> {
        if self.ctx.owner().is_err() {
            return Ok(Inputs::default());
        }
        Ok(Inputs {
            applications: self.outbox.known_applications()?,
            licences: self.wallet.holdings()?,
            shown: self.shown_ids()?,
        })
    }

    fn shown_ids(&self) -> Result<Vec<String>> {
        let owner = self.ctx.owner()?;
        let conn = self.ctx.store.conn()?;
        let mut stmt = conn.prepare_cached("SELECT id FROM reminders_shown WHERE owner = ?1")?;
        let ids = stmt.query_map([owner], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    fn now_ms(&self) -> i64 {
        crate::clock::unix_ms(self.ctx.clock().now())
    }

    /// The reminders due within `horizon_days`, soonest first.
    pub(crate) fn upcoming(
        &self,
        language: &str,
        utc_offset_minutes: i32,
        horizon_days: u32,
    ) -> Result<Vec<Reminder>> {
        let inputs = self.inputs()?;
        Ok(compute(
            &inputs,
            &self.policy(),
            self.now_ms(),
            utc_offset_minutes,
            horizon_days,
            language,
        ))
    }

    /// What the shell must change, given the ids the OS holds now and how
    /// many it keeps (`capacity`: 64 on iOS).
    pub(crate) fn plan(
        &self,
        scheduled: &[String],
        language: &str,
        utc_offset_minutes: i32,
        horizon_days: u32,
        capacity: u32,
    ) -> Result<ReminderPlan> {
        let due = self.upcoming(language, utc_offset_minutes, horizon_days)?;
        Ok(reconcile(due, scheduled, capacity))
    }

    /// The shell showed these (or the OS did, and the shell saw it): a
    /// passed reminder is not offered again.
    pub(crate) fn shown(&self, ids: &[String]) -> Result<()> {
        let owner = self.ctx.owner()?;
        let now = self.now_ms();
        let mut conn = self.ctx.store.conn()?;
        let tx = conn.transaction()?;
        for id in ids {
            tx.execute(
                "INSERT OR IGNORE INTO reminders_shown (owner, id, shown_at) VALUES (?1, ?2, ?3)",
                params![owner, id, now],
            )?;
        }
        tx.execute(
            "DELETE FROM reminders_shown WHERE shown_at < ?1",
            [now - SHOWN_KEPT_MS],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sign-out: the account's record goes with it.
    pub(crate) fn forget(&self, owner: &str) -> Result<()> {
        self.ctx
            .store
            .conn()?
            .execute("DELETE FROM reminders_shown WHERE owner = ?1", [owner])?;
        Ok(())
    }
}
