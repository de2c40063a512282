import Foundation

/// A hook's answer, handed from the thread or task that produced it (the
/// main thread, a camera task) to the core's worker thread waiting for it.
/// Starts as `HookError.Cancelled`, which is what an abandoned wait reports.
final class HookResult<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<Value, Error> = .failure(HookError.Cancelled)

    func set(_ new: Result<Value, Error>) {
        lock.lock()
        value = new
        lock.unlock()
    }

    func get() throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        return try value.get()
    }
}
