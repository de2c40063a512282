import Foundation

/// Background time for one network call, so iOS does not suspend the app in
/// the middle of it.
///
/// Why: a token refresh holds a file lock (`refresh.lock` in the data
/// directory) for the length of its request, so that an app and its
/// extensions sharing the directory through an app group never spend the
/// same rotating refresh token twice. iOS terminates a suspended app that
/// holds a file lock in a shared container (exception `0xdead10cc`). Every
/// call that may reach the network therefore runs inside an expiring
/// activity: when the person leaves the app mid-call, iOS grants the
/// process some seconds to finish and the lock is released before it is
/// suspended. Should that time run out, the call is cancelled; a refresh
/// already sent still completes inside the core and stores its result.
///
/// `ProcessInfo.performExpiringActivity` works in the app and in its
/// extensions alike (`UIApplication.beginBackgroundTask` is not available
/// to extensions).
final class ExpiringActivity: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the activity; `onExpire` runs if iOS is about to suspend the
    /// process before `end()`.
    init(reason: String, onExpire: @escaping @Sendable () -> Void) {
        ProcessInfo.processInfo.performExpiringActivity(withReason: reason) { [finished] expired in
            if expired {
                // A second invocation, while the first still waits below:
                // time is up.
                onExpire()
                return
            }
            // The activity lasts as long as this block runs. It runs on a
            // queue of its own, so waiting here blocks no caller.
            finished.wait()
        }
    }

    /// Ends the activity: the call is over, the process may be suspended.
    func end() {
        finished.signal()
    }
}
