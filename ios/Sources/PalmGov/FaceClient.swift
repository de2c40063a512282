import Foundation

/// Face step-up: the person's separate consent, then the check. Behind the app lock.
public final class FaceClient: @unchecked Sendable {
    private let handle: FaceHandle

    init(_ handle: FaceHandle) {
        self.handle = handle
    }

    /// Records the person's separate consent to face checks (a guardian's under 14).
    @discardableResult
    public func recordConsent(_ consent: FaceConsent) async throws -> FaceConsentRecord {
        try await handle.recordConsent(consent: consent)
    }

    public func consent() async throws -> FaceConsentRecord? {
        try await handle.consent()
    }

    @discardableResult
    public func withdrawConsent() async throws -> Bool {
        try await handle.withdrawConsent()
    }

    /// One face verification for `operations`, what it unlocks (such as the
    /// instance ids `OutboxClient.stepUpNeeded()` lists, so one check releases
    /// every submission waiting for it; at most 50): the core runs the
    /// server's challenge through `capture` (see `AsyncFaceCapture`) and
    /// returns the verdict, which raises those operations alone to L4 for a
    /// bounded time. Cancelling the task closes the camera.
    public func stepUp(operations: [String], capture: FaceCapture) async throws -> FaceVerdict {
        try await cancellable { token in
            try await self.handle.stepUp(operations: operations, capture: capture, cancel: token)
        }
    }
}
