//! Keeping the access token fresh, single-flight: callers take the refresh
//! lock, re-read the session, and only the first one near expiry spends
//! the (rotating) refresh token. The others reuse its result.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use zeroize::Zeroize;

use super::dpop::DpopKey;
use super::oauth::{self, TokenFailure};
use super::sessions::StoredSession;
use super::tokens::response_id_token;
use super::{IdentityService, SessionStatus};
use crate::error::{PalmGovError, Result};

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
        let _flight = self.refresh_lock.lock().await;
        // Someone else may have refreshed while we waited.
        let session = self.usable_session()?;
        if session.access_token != before.access_token {
            return Ok(session);
        }
        let now = active.provider.corrected_now(&api, session.clock_offset);
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
        let metadata = active.provider.metadata(&api).await?;
        let client = oauth::client(
            metadata,
            &active.config.client_id,
            &active.config.redirect_uri,
        )?;
        let dpop = self.session_dpop_key(&session)?;
        let bound = dpop.is_some();
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
                // Network or server trouble: the tokens stay as they were.
                TokenFailure::Other(e) => return Err(e.into()),
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
