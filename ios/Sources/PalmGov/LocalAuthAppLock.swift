import Foundation
import LocalAuthentication

/// The `AppLock` hook on LocalAuthentication: Face ID / Touch ID, falling back
/// to the device passcode.
///
/// The core calls `authenticate` on one of its worker threads and waits for
/// the answer, so this blocks that thread (never the main thread) until the
/// system prompt is answered or `timeout` passes.
public final class LocalAuthAppLock: AppLock, @unchecked Sendable {
    private let timeout: TimeInterval

    public init(timeout: TimeInterval = 120) {
        self.timeout = timeout
    }

    public func isAvailable() -> Bool {
        LAContext().canEvaluatePolicy(.deviceOwnerAuthentication, error: nil)
    }

    public func authenticate(reason: String) throws -> AppLockOutcome {
        precondition(!Thread.isMainThread, "the core never calls hooks on the main thread")
        let context = LAContext()
        let done = DispatchSemaphore(value: 0)
        var result: Result<AppLockOutcome, HookError> = .failure(.Cancelled)
        context.evaluatePolicy(.deviceOwnerAuthentication, localizedReason: reason) { success, error in
            if success {
                result = .success(.unlocked)
            } else if let laError = error as? LAError {
                switch laError.code {
                case .userCancel, .appCancel, .systemCancel:
                    result = .failure(.Cancelled)
                case .authenticationFailed, .biometryLockout:
                    result = .success(.denied)
                case .passcodeNotSet, .biometryNotAvailable, .biometryNotEnrolled:
                    result = .failure(.Unavailable)
                default:
                    result = .failure(.Failed(reason: "LAError \(laError.code.rawValue)"))
                }
            } else {
                result = .failure(.Failed(reason: "unknown"))
            }
            done.signal()
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            context.invalidate()
            throw HookError.Cancelled
        }
        return try result.get()
    }
}
