//! The reminders handle: what the shell schedules as local notifications.
//! Not behind the app lock: the shell reconciles in the background (after
//! a boot, a sync, a time-zone change), and every text is free of personal
//! data.

use std::sync::Arc;

use super::OpenCore;
use crate::error::PalmGovError;
use crate::reminders::ReminderPlan;

/// The reminders of one open core.
#[derive(uniffi::Object)]
pub struct RemindersHandle {
    core: Arc<OpenCore>,
}

impl RemindersHandle {
    pub(crate) fn new(core: Arc<OpenCore>) -> Self {
        Self { core }
    }
}

#[uniffi::export]
impl RemindersHandle {
    /// What to change so that the OS holds exactly the reminders due within
    /// `horizon_days`: `scheduled` are the ids the OS holds now,
    /// `capacity` how many it keeps (64 on iOS), `utc_offset_minutes` the
    /// device's time zone now (480 for China). Call it on start, after a
    /// sync, after a reboot and after a time or time-zone change.
    pub async fn plan(
        &self,
        scheduled: Vec<String>,
        language: String,
        utc_offset_minutes: i32,
        horizon_days: u32,
        capacity: u32,
    ) -> Result<ReminderPlan, PalmGovError> {
        self.core
            .blocking(move |app| {
                app.reminders.plan(
                    &scheduled,
                    &language,
                    utc_offset_minutes,
                    horizon_days,
                    capacity,
                )
            })
            .await
    }

    /// Reminders shown (by the shell, or by the OS as the shell saw): one
    /// whose time has passed is not offered again.
    pub async fn shown(&self, ids: Vec<String>) -> Result<(), PalmGovError> {
        self.core
            .blocking(move |app| app.reminders.shown(&ids))
            .await
    }
}
