import Foundation

/// Bridges the core's blocking `FaceCapture` hook to a camera flow written as
/// an async function: `camera` shows AVFoundation (and any vendor liveness
/// SDK), asks for `challenge.actions` and returns frames or a liveness token.
///
/// The core calls `capture` on one of its worker threads and may give up
/// (challenge timeout, the app cancelled); it then calls `cancel`, which
/// cancels the camera task so the screen closes.
///
/// Keep frames in memory: never write them to a file, Photos or a log.
public final class AsyncFaceCapture: FaceCapture, @unchecked Sendable {
    private let camera: @Sendable (FaceChallenge) async throws -> FaceCaptureResult
    private let lock = NSLock()
    private var running: Task<FaceCaptureResult, Error>?

    /// `camera` runs on the main actor, where UIKit and SwiftUI screens live.
    public init(camera: @escaping @Sendable @MainActor (FaceChallenge) async throws -> FaceCaptureResult) {
        self.camera = { challenge in try await camera(challenge) }
    }

    public func capture(challenge: FaceChallenge) throws -> FaceCaptureResult {
        let camera = self.camera
        let task = Task { try await camera(challenge) }
        lock.lock()
        running = task
        lock.unlock()
        defer {
            lock.lock()
            running = nil
            lock.unlock()
        }
        let done = DispatchSemaphore(value: 0)
        let outcome = HookResult<FaceCaptureResult>()
        Task.detached {
            do {
                outcome.set(.success(try await task.value))
            } catch {
                outcome.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        do {
            return try outcome.get()
        } catch let error as HookError {
            throw error
        } catch is CancellationError {
            throw HookError.Cancelled
        } catch {
            // The message may hold anything; the core only needs the kind.
            throw HookError.Failed(reason: String(describing: type(of: error)))
        }
    }

    public func cancel() {
        lock.lock()
        let task = running
        lock.unlock()
        task?.cancel()
    }
}
