//! Switching the region of an open core, which spans the region, the sync
//! runner and, when the provider changes, every capability holding an
//! account's work.
//!
//! - A newer signed profile is fetched and verified ([`crate::region`]);
//!   new licence trust roots go to the wallet at once; when its backend,
//!   pins or provider differ, a sync in flight finishes
//!   first (the switch waits for the sync worker), then the configuration
//!   is replaced: the next call goes to the new backend. Nothing queued is
//!   touched, so nothing is lost or sent twice: it goes to the new backend
//!   at the next sync, under the same instance ids.
//! - A new provider means signing in again. The accounts of the old one
//!   stay on the phone with their work. When the profile says the new
//!   provider succeeds the old (`identity.takes_over`) and both providers
//!   vouch for the same resident ID number in their ID tokens (the
//!   region's signed profile is what makes the new provider's word count),
//!   the first sign-in takes the old account's drafts, queue and unsent
//!   households over ([`take_over`]); the old account's licences (bound to
//!   its key) and face consent go, and the new account fetches its own.

use super::App;
use crate::drafts::DraftsService;
use crate::error::Result;
use crate::outbox::OutboxService;
use crate::region::signed::Active;
use crate::region::{RegionProfileRefresh, RegionProfileStatus};

/// Fetches the region's profile and, when a newer one verifies, applies it
/// to the open core (module notes).
pub(crate) async fn refresh(app: &App, language: &str) -> Result<RegionProfileRefresh> {
    let _one_at_a_time = app.region.refreshing.lock().await;
    let refresh = match app.region.fetch_profile().await? {
        None => RegionProfileRefresh {
            status: status(app, language)?,
            updated: false,
            switched: false,
            sign_in_required: false,
        },
        Some(active) => apply(app, active, language).await?,
    };
    Ok(refresh)
}

fn status(app: &App, language: &str) -> Result<RegionProfileStatus> {
    app.region.status(language).ok_or_else(|| {
        crate::error::PalmGovError::InvalidInput {
            field: "region (no region trust configured)".into(),
        }
        .into()
    })
}

/// Makes `active` the profile in force, replacing the configuration when
/// it changes where the core talks to.
pub(crate) async fn apply(
    app: &App,
    active: Active,
    language: &str,
) -> Result<RegionProfileRefresh> {
    let server = active.profile.server_config()?;
    let identity = active.profile.identity_config();
    let config = app.ctx.config();
    let issuer = |i: &Option<crate::config::IdentityConfig>| i.as_ref().map(|i| i.issuer.clone());
    let provider_changed = issuer(&config.identity) != issuer(&identity);
    let switched = config.server != server || config.identity != identity;
    drop(config);
    if switched {
        // A sync in flight finishes (or stops at its next item) first; none
        // starts until the new configuration is in force.
        let _worker = app.sync.hold().await;
        app.ctx.reload(server, identity)?;
        if provider_changed {
            app.identity.clear_current()?;
            app.drafts.forget();
        }
    }
    // New licence trust roots apply at once too: the wallet drops what
    // chained from the old ones and fetches under the new at its next
    // refresh.
    let (roots, threshold) = active.profile.licence_roots()?;
    let roots_changed = app.wallet.replace_trust_roots(roots, threshold)?;
    app.region.set_active(active);
    tracing::info!(
        switched,
        provider_changed,
        roots_changed,
        "region profile applied"
    );
    Ok(RegionProfileRefresh {
        status: status(app, language)?,
        updated: true,
        switched: switched || roots_changed,
        sign_in_required: provider_changed && app.ctx.config().identity.is_some(),
    })
}

/// After a sign-in: takes over the work of the accounts of providers the
/// profile in force says this one succeeds, for the same person (module
/// notes). Returns how many accounts were taken over.
pub(crate) fn take_over(app: &App) -> Result<u32> {
    let Some(active) = app.region.active() else {
        return Ok(0);
    };
    let Some(identity) = &active.profile.identity else {
        return Ok(0);
    };
    if identity.takes_over.is_empty() {
        return Ok(0);
    }
    let Some(new) = app.ctx.current_account() else {
        return Ok(0);
    };
    let old_accounts = app.identity.predecessors(&new, &identity.takes_over)?;
    for old in &old_accounts {
        app.ctx.store.write_durably(|tx| {
            OutboxService::reassign(tx, old, &new)?;
            DraftsService::reassign(tx, old, &new)?;
            app.roster.reassign(tx, old, &new)?;
            Ok(())
        })?;
        app.wallet.forget(old)?;
        app.face.wipe(old)?;
        app.identity.forget_account(old)?;
        tracing::info!("an earlier provider's account was taken over");
    }
    if !old_accounts.is_empty() {
        app.drafts.forget();
    }
    Ok(old_accounts.len() as u32)
}
