//! One sync run: the households the worker added, then every due
//! submission, then the roster and the application status fetched afresh
//! (so a sync at the township office also brings new assignments and news
//! of earlier applications; subscribers to status changes hear of them).
//!
//! Households go first because submissions name them as their subject.
//! Last, a region profile past its expiry is fetched again, and the
//! service catalog the profile pins.
//! A run needs no app lock and shows nothing: it reports counts and codes,
//! so the OS may start it in the background.

use std::sync::Arc;

use super::App;
use crate::delivery::scheduler::Run;
use crate::delivery::{SyncListener, SyncOptions};
use crate::error::Result;

/// What a sync run achieved.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    pub delivered: u32,
    pub waiting_for_level: u32,
    pub quarantined: u32,
    /// Held back: attachments on a metered network.
    pub deferred: u32,
    /// Still queued after transient failures (offline, server errors).
    pub remaining: u32,
    /// The last transient error's code, when items remain.
    pub last_error: Option<String>,
    /// Households the worker added that the backend now has.
    pub households_sent: u32,
    /// Added households the backend refused (see [`crate::roster::HouseholdSync`]).
    pub households_rejected: u32,
    /// Whether the roster was fetched afresh at the end of the run.
    pub roster_refreshed: bool,
    /// Applications whose status changed since the last look (their
    /// details are behind the app lock; subscribers hear of them).
    pub applications_changed: u32,
    /// Licences the wallet fetched again (near expiry or due an update).
    pub licences_refreshed: u32,
    /// A region profile past its expiry was replaced by a newer one.
    pub region_profile_refreshed: bool,
    /// A new service catalog was taken (the profile pins another one).
    pub catalog_updated: bool,
}

/// The single sync worker: a second run waits for the first.
#[derive(Default)]
pub(crate) struct SyncRunner {
    worker: tokio::sync::Mutex<()>,
}

impl SyncRunner {
    /// Waits for a sync in flight and holds off the next one while the
    /// guard lives (a region switch replaces the configuration under it).
    pub(crate) async fn hold(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.worker.lock().await
    }
}

/// Runs one sync (module notes).
pub(crate) async fn run(
    app: &App,
    options: SyncOptions,
    listener: Option<Arc<dyn SyncListener>>,
) -> Result<SyncReport> {
    let worker = app.sync.worker.lock().await;
    // Below the region's lowest supported app version nothing is sent:
    // the work stays on the phone for the updated app.
    if let Some(min_version) = app.region.update_required() {
        return Err(crate::error::PalmGovError::AppUpdateRequired { min_version }.into());
    }
    let owner = app.ctx.owner()?;
    if let Err(e) = app.outbox.tidy() {
        let e = crate::error::PalmGovError::from(e);
        tracing::warn!("delivered photos not removed yet: {}", e.code());
    }
    let households = app.roster.pending(&owner)?;
    let submissions = app.outbox.due(&owner)?;
    let run = Run::start(&options, listener, &[&households, &submissions]);
    let added = run.phase(households).await?;
    let sent = run.phase(submissions).await?;
    let remaining = added.remaining + sent.remaining;
    let mut report = SyncReport {
        delivered: sent.delivered,
        waiting_for_level: sent.waiting_for_level,
        quarantined: sent.quarantined,
        deferred: sent.deferred + added.deferred,
        remaining,
        last_error: (remaining > 0)
            .then(|| sent.last_error.or(added.last_error))
            .flatten(),
        households_sent: added.delivered,
        households_rejected: added.quarantined + added.waiting_for_level,
        roster_refreshed: false,
        applications_changed: 0,
        licences_refreshed: 0,
        region_profile_refreshed: false,
        catalog_updated: false,
    };
    // Best effort, both: the cached roster and statuses stay as they were
    // if this fails, and what was sent is already recorded.
    report.roster_refreshed = app.roster.refresh().await.is_ok();
    // Licences near expiry, or past the update their issuer announced,
    // are fetched again; the statuses of the others are refreshed.
    report.licences_refreshed = match app.wallet.refresh_due() {
        Ok(true) => app.wallet.refresh().await.map(|r| r.fetched).unwrap_or(0),
        Ok(false) => {
            let _ = app.wallet.refresh_status().await;
            0
        }
        Err(_) => 0,
    };
    if let Ok(changes) = app.outbox.refresh_applications().await {
        report.applications_changed = changes.len() as u32;
    }
    // A region profile past its expiry is fetched again once the network
    // is back (this run reached the backend). Applying one waits for the
    // sync worker, so it comes after this run has let it go.
    drop(worker);
    let stale = app.region.status("en").is_some_and(|s| s.stale);
    if stale {
        match super::switch::refresh(app, "en").await {
            Ok(refresh) => report.region_profile_refreshed = refresh.updated,
            Err(e) => {
                let e = crate::error::PalmGovError::from(e);
                tracing::warn!("the stale region profile stays: {}", e.code());
            }
        }
    }
    // The catalog the profile in force pins (nothing to fetch when it is
    // the one on the phone). A refused one leaves the last good catalog.
    match app.services.bring_up_to_date().await {
        Ok(fetched) => report.catalog_updated = fetched.updated,
        Err(e) => {
            let e = crate::error::PalmGovError::from(e);
            tracing::warn!("the service catalog stays: {}", e.code());
        }
    }
    Ok(report)
}
