//! A running subscription or background task, stopped by its handle.

/// Keeps a subscription alive; cancelling it, or dropping the last
/// reference (a Kotlin `Flow` closing, a Swift `AsyncStream` ending), stops
/// it. matrix-rust-sdk's `TaskHandle` is the model.
#[derive(uniffi::Object)]
pub struct TaskHandle {
    task: tokio::task::AbortHandle,
}

impl TaskHandle {
    pub(crate) fn new(task: tokio::task::AbortHandle) -> Self {
        Self { task }
    }
}

#[uniffi::export]
impl TaskHandle {
    /// Stops the task. Idempotent.
    pub fn cancel(&self) {
        self.task.abort();
    }

    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}
