import Foundation

/// Submissions, the sync run and application status (办件查询). A sync needs
/// no app lock and shows only counts, so a background task may run it.
public final class OutboxClient: @unchecked Sendable {
    private let handle: OutboxHandle

    init(_ handle: OutboxHandle) {
        self.handle = handle
    }

    public func submissions() async throws -> [Submission] {
        try await handle.submissions()
    }

    public func discardSubmission(instanceID: String) async throws {
        try await handle.discardSubmission(instanceId: instanceID)
    }

    /// The step-up queued submissions wait for (`.waitingForLevel`), if any:
    /// the level, and the instance ids to name in one face check
    /// (`face.stepUp(operations: needed.operations, capture:)`); then sync
    /// again. A step-up at the provider releases them too. Ids only, so no
    /// app lock.
    public func stepUpNeeded() async throws -> StepUpNeeded? {
        try await handle.stepUpNeeded()
    }

    /// Sends the queue. The stream yields `.progress` while it runs and one
    /// `.done` at the end, or throws; cancelling the consuming task cancels
    /// the sync between requests, with everything still queued.
    public func sync(options: SyncOptions = SyncOptions()) -> AsyncThrowingStream<SyncUpdate, Error> {
        AsyncThrowingStream { continuation in
            let listener = StreamSyncListener(continuation)
            let token = CancelToken()
            let task = Task {
                // Background time for the run, as for every network call.
                let activity = ExpiringActivity(reason: "palmgov sync") { token.cancel() }
                defer { activity.end() }
                do {
                    let report = try await self.handle.syncNow(options: options, listener: listener, cancel: token)
                    continuation.yield(.done(report))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                token.cancel()
                task.cancel()
            }
        }
    }

    /// Application status as last fetched. Offline.
    public func applications() async throws -> [ApplicationStatus] {
        try await handle.applications()
    }

    /// Pulls new statuses; returns what changed.
    public func refreshApplications() async throws -> [ApplicationStatus] {
        try await cancellable { token in try await self.handle.refreshApplications(cancel: token) }
    }

    /// `refreshApplications` for a background task: no app lock, only how many changed.
    public func refreshApplicationsInBackground() async throws -> UInt32 {
        try await cancellable { token in try await self.handle.refreshApplicationsInBackground(cancel: token) }
    }

    /// Every status change any refresh finds (by the app, a sync, a background
    /// task), for as long as the stream is consumed. Ids and status codes
    /// only; read the details with `applications()` behind the app lock.
    public func applicationChanges() -> AsyncThrowingStream<[ApplicationChange], Error> {
        AsyncThrowingStream { continuation in
            do {
                let subscription = try handle.subscribeApplicationChanges(
                    listener: StreamApplicationListener(continuation))
                continuation.onTermination = { _ in subscription.cancel() }
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }
}

/// What `OutboxClient.sync` yields.
public enum SyncUpdate: Sendable {
    case progress(SyncProgress)
    case done(SyncReport)
}

/// Forwards the core's progress calls (on its own threads) into a stream.
final class StreamSyncListener: SyncListener, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<SyncUpdate, Error>.Continuation

    init(_ continuation: AsyncThrowingStream<SyncUpdate, Error>.Continuation) {
        self.continuation = continuation
    }

    func onProgress(progress: SyncProgress) {
        continuation.yield(.progress(progress))
    }
}

/// Forwards status changes (on the core's threads) into a stream.
final class StreamApplicationListener: ApplicationListener, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<[ApplicationChange], Error>.Continuation

    init(_ continuation: AsyncThrowingStream<[ApplicationChange], Error>.Continuation) {
        self.continuation = continuation
    }

    func onStatusChanged(changes: [ApplicationChange]) {
        continuation.yield(changes)
    }
}
