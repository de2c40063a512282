//! Syncing the WAL to disk shortly after the last change.
//!
//! Autosaves commit with `synchronous=NORMAL`: in WAL mode a commit is then
//! a write into the OS page cache, which survives a process kill but not a
//! power cut. The first change after a flush schedules a checkpoint one
//! second later; SQLite syncs the WAL before checkpointing, so any answer
//! reaches the disk within about a second, well inside the two the drafts
//! promise, without paying an fsync per keystroke.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::facade::Core;

/// How long after the first unsynced change the WAL is synced.
pub(crate) const FLUSH_DELAY: Duration = Duration::from_secs(1);

#[derive(Default)]
pub(crate) struct Flusher {
    scheduled: Arc<AtomicBool>,
}

impl Flusher {
    /// Notes a change; schedules a sync unless one is already pending.
    pub(crate) fn changed(&self, core: &Core) {
        if self.scheduled.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = crate::runtime::runtime() else {
            return;
        };
        let scheduled = self.scheduled.clone();
        let store = Arc::downgrade(&core.store);
        runtime.spawn(async move {
            tokio::time::sleep(FLUSH_DELAY).await;
            // Cleared before the sync, so a change during it schedules
            // another: nothing committed after this point is missed.
            scheduled.store(false, Ordering::Release);
            let _ = tokio::task::spawn_blocking(move || {
                if let Some(store) = store.upgrade()
                    && let Err(e) = store.sync_wal()
                {
                    tracing::warn!(
                        code = crate::PalmGovError::from(e).code(),
                        "WAL sync failed"
                    );
                }
            })
            .await;
        });
    }
}
