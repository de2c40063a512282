//! Sign-out and account switching: what one person leaving or another
//! taking the phone means for every capability.
//!
//! - Sign-out ends the grant at the provider and destroys the account's
//!   key (identity), wipes its face consent and verdict (face), deletes the
//!   grid its roster held (roster), and drops every decrypted draft from
//!   memory (drafts). Drafts, queued submissions and added households not
//!   yet sent stay, sealed under the device key: they go out after the
//!   same account signs in again, and the report says how many wait.
//! - Switching accounts drops the decrypted drafts of the one before.
//! - A sign-in with a region's new provider takes over the replaced
//!   provider's account of the same person ([`super::switch`]).

use super::App;
use crate::error::Result;
use crate::gate::Unlocked;
use crate::identity::SessionInfo;

/// What signing out did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogoutReport {
    /// Whether the provider confirmed the refresh token's revocation. False
    /// offline; the local tokens are wiped either way.
    pub revoked: bool,
    /// The provider's end-session URL to open in the browser, if it has one.
    pub end_session_url: Option<String>,
    /// Submissions of this account still waiting to be sent. They stay
    /// queued and go out when the account signs in again.
    pub queued_submissions: u64,
    /// Submissions the backend refused for good: they stay too, for the
    /// same person to fix or discard after signing in again.
    pub quarantined_submissions: u64,
    /// Households this account added to its roster that are not sent yet;
    /// they stay too.
    pub pending_households: u64,
}

/// Signs the current account out (module notes).
pub(crate) async fn logout(app: &App, _: &Unlocked) -> Result<LogoutReport> {
    let out = app.identity.sign_out().await?;
    app.face.wipe(&out.account_id)?;
    app.roster.forget(&out.account_id)?;
    app.wallet.forget(&out.account_id)?;
    app.reminders.forget(&out.account_id)?;
    app.drafts.forget();
    Ok(LogoutReport {
        revoked: out.revoked,
        end_session_url: out.end_session_url,
        queued_submissions: app.outbox.queued_count(&out.account_id)?,
        quarantined_submissions: app.outbox.quarantined_count(&out.account_id)?,
        pending_households: app.roster.pending_count(&out.account_id)?,
    })
}

/// Finishes a sign-in, then lets the new account take over the work of the
/// accounts of a provider the region replaced ([`super::switch::take_over`]).
pub(crate) async fn complete_login(app: &App, callback_url: &str) -> Result<SessionInfo> {
    let session = app.identity.complete_login(callback_url).await?;
    let taken = super::switch::take_over(app)?;
    if taken > 0 {
        tracing::info!(taken, "work of a replaced provider's accounts taken over");
    }
    Ok(session)
}

/// Makes another signed-in account current.
pub(crate) fn switch_account(
    app: &App,
    unlocked: &Unlocked,
    account_id: &str,
) -> Result<SessionInfo> {
    app.drafts.forget();
    app.identity.switch_account(unlocked, account_id)
}
