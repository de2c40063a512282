//! Syncing the WAL to disk shortly after the last change.
//!
//! Autosaves commit with `synchronous=NORMAL`: in WAL mode a commit is then
//! a write into the OS page cache, which survives a process kill but not a
//! power cut. The first change after a flush schedules a checkpoint one
//! second later; SQLite syncs the WAL before checkpointing, so any answer
//! reaches the disk within about a second, well inside the two the drafts
//! promise, without paying an fsync per keystroke.
//!
//! Any writer may call [`Store::changed`]; the drafts' autosave does after
//! every answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::Store;

/// How long after the first unsynced change the WAL is synced.
pub(crate) const FLUSH_DELAY: Duration = Duration::from_secs(1);

#[derive(Default)]
pub(crate) struct Flusher {
    scheduled: Arc<AtomicBool>,
}

impl Store {
    /// Notes a change; schedules a WAL sync unless one is already pending.
    pub(crate) fn changed(self: &Arc<Self>) {
        self.flusher.changed(self);
    }
}

impl Flusher {
    fn changed(&self, store: &Arc<Store>) {
        if self.scheduled.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = crate::runtime::runtime() else {
            return;
        };
        let scheduled = self.scheduled.clone();
        let store = Arc::downgrade(store);
        runtime.spawn(async move {
            tokio::time::sleep(FLUSH_DELAY).await;
            // Cleared before the sync, so a change during it schedules
            // another: nothing committed after this point is missed.
            scheduled.store(false, Ordering::Release);
            let synced = crate::runtime::run_blocking(move || match store.upgrade() {
                Some(store) => store.sync_wal(),
                None => Ok(()),
            })
            .await;
            if let Err(e) = synced {
                tracing::warn!(code = e.code(), "WAL sync failed");
            }
        });
    }
}
