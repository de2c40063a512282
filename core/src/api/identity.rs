//! The identity handle: sign-in, sessions, accounts and assurance levels.

use std::sync::Arc;

use super::OpenCore;
use crate::app::accounts::{self, LogoutReport};
use crate::app::lock::hook_failure;
use crate::error::PalmGovError;
use crate::faceauth::StepUpMethod;
use crate::hooks::Browser;
use crate::identity::{
    AccountSummary, BackendLevel, BackendSession, LoginOptions, LoginRequest, SessionInfo,
    SessionStatus,
};
use crate::runtime::{self, CancelToken};

/// Opens `request` in the shell's browser (a blocking hook, so on the
/// blocking pool) and returns the callback URL it was sent back to.
pub(super) async fn browse(
    browser: Arc<dyn Browser>,
    request: LoginRequest,
) -> Result<String, PalmGovError> {
    runtime::run_blocking(move || {
        browser
            .authorize(request.url, request.redirect_uri)
            .map_err(|e| hook_failure("browser", e).into())
    })
    .await
}

/// Sign-in, sessions, accounts and levels of one open core.
#[derive(uniffi::Object)]
pub struct IdentityHandle {
    core: Arc<OpenCore>,
}

impl IdentityHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl IdentityHandle {
    /// Signs in through `browser` in one call: [`IdentityHandle::begin_login`],
    /// the browser, then [`IdentityHandle::complete_login`]. If the app may be
    /// killed while the browser is open, use the two calls instead. Not
    /// behind the app lock: signing in is how a person gets in.
    #[uniffi::method(default(cancel = None))]
    pub async fn login(
        &self,
        options: LoginOptions,
        browser: Arc<dyn Browser>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionInfo, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                let request = app.identity.begin_login(&options).await?;
                let callback = browse(browser, request).await?;
                crate::app::accounts::complete_login(&app, &callback).await
            })
            .await
    }

    /// Starts a sign-in and returns the URL for the system browser. The
    /// pending login is stored durably, so [`IdentityHandle::complete_login`]
    /// works even in a new process after the OS killed the app.
    #[uniffi::method(default(cancel = None))]
    pub async fn begin_login(
        &self,
        options: LoginOptions,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<LoginRequest, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                app.identity.begin_login(&options).await
            })
            .await
    }

    /// Finishes a sign-in with the callback URL the browser delivered. Each
    /// callback is accepted once; a replay is `LoginRejected`.
    #[uniffi::method(default(cancel = None))]
    pub async fn complete_login(
        &self,
        callback_url: String,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionInfo, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                crate::app::accounts::complete_login(&app, &callback_url).await
            })
            .await
    }

    /// The current session, offline. Behind the app lock.
    pub async fn session(&self) -> Result<SessionInfo, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.identity.session(u))
            .await
    }

    /// Makes sure the session's access token is fresh, refreshing when it
    /// expires within a minute (always, with `force`), and returns the
    /// session. Any number of concurrent callers cause at most one refresh
    /// request. A network error keeps the tokens; an ended grant gives
    /// `SignInRequired` and keeps local data. Behind the app lock.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_session(
        &self,
        force: bool,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionInfo, PalmGovError> {
        self.core
            .network_unlocked(cancel, move |app, u| async move {
                app.identity.fresh_session(force).await?;
                app.identity.session(&u)
            })
            .await
    }

    /// [`IdentityHandle::refresh_session`] for work the OS started in the
    /// background: needs no app lock and shows nothing but the status
    /// (`SignInRequired` when there is no usable session).
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_in_background(
        &self,
        force: bool,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<SessionStatus, PalmGovError> {
        let refreshed = self
            .core
            .network(cancel, move |app| async move {
                app.identity.fresh_session(force).await.map(|_| ())
            })
            .await;
        match refreshed {
            Ok(()) => Ok(SessionStatus::Active),
            Err(PalmGovError::SignInRequired) => Ok(SessionStatus::SignInRequired),
            Err(e) => Err(e),
        }
    }

    /// Signs the current account out: revokes its refresh token at the
    /// provider (best effort), wipes its tokens and personal data, and
    /// reports its still-queued work, which is kept. Behind the app lock.
    #[uniffi::method(default(cancel = None))]
    pub async fn logout(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<LogoutReport, PalmGovError> {
        self.core
            .network_unlocked(
                cancel,
                |app, u| async move { accounts::logout(&app, &u).await },
            )
            .await
    }

    /// Every account signed in on this device, current first. Behind the
    /// app lock.
    pub async fn accounts(&self) -> Result<Vec<AccountSummary>, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.identity.accounts(u))
            .await
    }

    /// Makes another signed-in account current. Behind the app lock.
    pub async fn switch_account(&self, account_id: String) -> Result<SessionInfo, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| accounts::switch_account(app, u, &account_id))
            .await
    }

    /// Asks the backend whether it accepts the session's tokens (and their
    /// DPoP binding). Refreshes first when needed and once more on a 401.
    #[uniffi::method(default(cancel = None))]
    pub async fn check_backend_session(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<BackendSession, PalmGovError> {
        self.core
            .network(cancel, |app| async move {
                app.identity.authorized_get_json("v1/me").await
            })
            .await
    }

    /// Succeeds when the current session has assurance `level` (2–5) or
    /// more; otherwise `LevelRequired { level }`, for the app to step up.
    /// Behind the app lock.
    pub async fn require_level(&self, level: u8) -> Result<(), PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.identity.require_level(u, level))
            .await
    }

    /// Asks the backend whether `operation` may go ahead at assurance
    /// `level`: its answer when the account has it, `LevelRequired {
    /// level }` when not. The backend's record of a face verdict counts,
    /// for the operations the verdict names only.
    #[uniffi::method(default(operation = None, cancel = None))]
    pub async fn check_backend_level(
        &self,
        level: u8,
        operation: Option<String>,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<BackendLevel, PalmGovError> {
        self.core.app()?.identity.check_level(level)?;
        let mut path = format!("v1/assurance/{level}");
        if let Some(op) = operation {
            // Form-encoded: an operation id is the app's, any characters.
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("operation", &op)
                .finish();
            path = format!("{path}?{query}");
        }
        self.core
            .network(cancel, move |app| async move {
                app.identity.authorized_get_json(&path).await
            })
            .await
    }

    /// The ways the app can offer to reach `level`. The provider (the
    /// non-face alternative) is always among them.
    pub fn step_up_methods(&self, level: u8) -> Result<Vec<StepUpMethod>, PalmGovError> {
        Ok(self.core.app()?.face.methods(level)?)
    }
}
