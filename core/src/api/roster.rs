//! The roster handle: the grid worker's households (网格户册).

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::roster::{Household, NewHousehold};
use crate::runtime::CancelToken;

/// The household roster of one open core.
#[derive(uniffi::Object)]
pub struct RosterHandle {
    core: Arc<OpenCore>,
}

impl RosterHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl RosterHandle {
    /// The roster as last cached. Offline; behind the app lock.
    pub async fn roster(&self) -> Result<Vec<Household>, PalmGovError> {
        self.core
            .blocking_unlocked(|app, u| app.roster.roster(u))
            .await
    }

    /// Fetches the roster the township assigned (every sync does this too)
    /// and returns it. Households added here and not yet sent stay. Behind
    /// the app lock.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_roster(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<Vec<Household>, PalmGovError> {
        self.core
            .network_unlocked(cancel, |app, u| async move {
                app.roster.refresh().await?;
                app.roster.roster(&u)
            })
            .await
    }

    /// [`RosterHandle::refresh_roster`] for work the OS started in the
    /// background: no app lock, and only how many households there are.
    #[uniffi::method(default(cancel = None))]
    pub async fn refresh_in_background(
        &self,
        cancel: Option<Arc<CancelToken>>,
    ) -> Result<u32, PalmGovError> {
        self.core
            .network(cancel, |app| async move { app.roster.refresh().await })
            .await
    }

    /// Adds a household the worker met that is not on the roster. It is
    /// stored durably at once and sent with the next sync. Behind the app
    /// lock.
    pub async fn add_household(&self, household: NewHousehold) -> Result<Household, PalmGovError> {
        self.core
            .blocking_unlocked(move |app, u| app.roster.add(u, household))
            .await
    }
}
