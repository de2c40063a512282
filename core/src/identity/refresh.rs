//! Keeping the access token fresh without ever losing the grant to our own
//! mistakes:
//!
//! - **Single flight.** A refresh takes the directory's refresh locks
//!   ([`super::flight`]), re-reads the session, and only the first caller
//!   near expiry spends the (rotating) refresh token; the others reuse its
//!   result, in this process and in any other on the same directory.
//! - **Detached.** Once started, a refresh runs on a task of its own to
//!   the end and stores its result, whatever happens to the caller that
//!   started it: a cancelled call or a caller's timeout used to drop the
//!   reply carrying the new refresh token, and the next refresh was then a
//!   reuse, which ends the grant under strict rotation.
//! - **Never spent twice.** A refresh token is marked as sent, durably,
//!   before it leaves the phone. If no reply came back (a timeout, a
//!   connection dropped after the request went out), the provider may have
//!   rotated it, so it is not sent again: the person signs in again. Only a
//!   provider configured to accept the previous token for a while
//!   (`IdentityConfig::refresh_reuse_window_secs`; Keycloak's and Okta's
//!   grace periods, for instance) gets it again within that window. A
//!   request that surely did not leave (no connection) does not count.
//!   The token endpoint gets a generous timeout ([`oauth::TOKEN_TIMEOUT`]),
//!   so a slow provider's reply is rarely lost.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use zeroize::Zeroize;

use super::dpop::DpopKey;
use super::flight::FileLock;
use super::oauth::{self, TokenFailure};
use super::sessions::StoredSession;
use super::tokens::response_id_token;
use super::{IdentityService, SessionStatus};
use crate::error::{Error, PalmGovError, Result};

/// Refresh when less than this much of the access token's life remains.
const REFRESH_MARGIN_SECS: i64 = 60;

impl IdentityService {
    /// A usable access token for the current account, refreshing first when
    /// it expires within a minute (or always, with `force`).
    pub(crate) async fn fresh_session(&self, force: bool) -> Result<StoredSession> {
        let active = self.active()?;
        let api = self.ctx.api();
        let before = self.usable_session()?;
        let now = active.provider.corrected_now(&api, before.clock_offset);
        if !force && before.expires_at - now > REFRESH_MARGIN_SECS {
            return Ok(before);
        }
        let me = self.me.upgrade().ok_or(PalmGovError::Closed)?;
        let seen = before.access_token.clone();
        drop(before);
        let flight = crate::runtime::runtime()?.spawn(async move {
            me.refresh_in_flight(seen, force)
                .await
                .map_err(PalmGovError::from)
        });
        match flight.await {
            Ok(result) => Ok(result?),
            Err(_) => Err(PalmGovError::Internal {
                detail: "refresh task".into(),
            }
            .into()),
        }
    }

    /// The refresh itself, under the directory's locks, on its own task.
    async fn refresh_in_flight(&self, seen_token: String, force: bool) -> Result<StoredSession> {
        let _in_process = self.refresh_lock.lock().await;
        let dir = self.ctx.store.dir().to_path_buf();
        let _across_processes =
            crate::runtime::run_blocking(move || FileLock::acquire(&dir)).await?;
        // Someone else may have refreshed while we waited.
        let session = self.usable_session()?;
        if session.access_token != seen_token {
            return Ok(session);
        }
        let active = self.active()?;
        let now = active
            .provider
            .corrected_now(&self.ctx.api(), session.clock_offset);
        if !force && session.expires_at - now > REFRESH_MARGIN_SECS {
            return Ok(session);
        }
        self.refresh(session).await
    }

    fn usable_session(&self) -> Result<StoredSession> {
        match self.current_session()? {
            Some(s) if s.status == SessionStatus::Active => Ok(s),
            _ => Err(PalmGovError::SignInRequired.into()),
        }
    }

    async fn refresh(&self, mut session: StoredSession) -> Result<StoredSession> {
        let Some(refresh_token) = session.refresh_token.clone() else {
            return Err(PalmGovError::SignInRequired.into());
        };
        let active = self.active()?;
        let api = self.ctx.api();
        let now = active.provider.corrected_now(&api, session.clock_offset);
        // A token whose earlier refresh got no reply is not sent again,
        // unless the provider accepts it for a while (module notes).
        let earlier = session.refresh_sent_at;
        if let Some(sent) = earlier {
            let window = i64::try_from(active.config.refresh_reuse_window_secs).unwrap_or(0);
            if window == 0 || now - sent > window {
                tracing::warn!("the last refresh got no reply; its token is not sent twice");
                self.end_grant(session)?;
                return Err(PalmGovError::SignInRequired.into());
            }
        }
        let metadata = active.provider.metadata(&api).await?;
        let client = oauth::client(
            metadata,
            &active.config.client_id,
            &active.config.redirect_uri,
        )?;
        let dpop = self.session_dpop_key(&session)?;
        let bound = dpop.is_some();
        // Marked as sent, durably, before it leaves.
        session.refresh_sent_at = Some(earlier.unwrap_or(now));
        self.save_session(&session)?;
        let token = oauth2::RefreshToken::new(refresh_token);
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        let result = client
            .exchange_refresh_token(&token)
            .request_async(&oauth::Http {
                api: api.clone(),
                provider: active.provider.clone(),
                dpop,
                offset: session.clock_offset,
            })
            .await;
        let response = match result {
            Ok(r) => r,
            Err(e) => match oauth::classify(e) {
                TokenFailure::GrantEnded => {
                    self.end_grant(session)?;
                    return Err(PalmGovError::SignInRequired.into());
                }
                // The provider answered, or the request never left: the
                // token was not spent, and the tokens stay as they were.
                TokenFailure::Other(e) if answered_or_unsent(&e) => {
                    session.refresh_sent_at = earlier;
                    self.save_session(&session)?;
                    return Err(e);
                }
                // No reply to a request that left: it stays marked.
                TokenFailure::Other(e) => return Err(e),
            },
        };
        let claims = match response_id_token(&response) {
            Some(id_token) => Some(active.check_id_token(&api, id_token, None).await?),
            None => None,
        };
        if let Some(c) = &claims
            && (c.iss != session.issuer || c.sub != session.subject)
        {
            return Err(PalmGovError::LoginRejected {
                reason: "refresh.subject".into(),
            }
            .into());
        }
        active.apply_tokens(&api, &mut session, &response, claims.as_ref(), bound)?;
        session.refresh_sent_at = None;
        self.save_session(&session)?;
        Ok(session)
    }

    /// Keeps the account, its data and its queued work; drops the tokens.
    fn end_grant(&self, mut session: StoredSession) -> Result<()> {
        session.status = SessionStatus::SignInRequired;
        session.access_token.zeroize();
        session.access_token.clear();
        session.refresh_token = None;
        self.save_session(&session)
    }

    /// The session's DPoP key, if its tokens are bound.
    pub(crate) fn session_dpop_key(&self, session: &StoredSession) -> Result<Option<Arc<DpopKey>>> {
        session
            .dpop_wrapped
            .as_deref()
            .map(|w| self.dpop_key(w))
            .transpose()
    }
}

/// Whether a failed token request got a reply from the provider, or never
/// left the phone: either way the refresh token was not spent. Only a
/// timeout or a connection lost after the request went out leaves it in
/// doubt.
fn answered_or_unsent(error: &Error) -> bool {
    match error {
        Error::Http(e) => e.is_connect(),
        Error::Public(PalmGovError::Timeout | PalmGovError::Offline) => false,
        Error::Public(_) => true,
        _ => false,
    }
}
