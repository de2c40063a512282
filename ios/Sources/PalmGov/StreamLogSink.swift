import Foundation

/// A `LogSink` that publishes the core's log lines as an `AsyncStream`, for a
/// diagnostics screen or a test. The core calls `log` on its own threads and
/// never waits: when the consumer falls behind, the oldest lines are dropped.
///
/// The core promises no personal data in these lines.
public final class StreamLogSink: LogSink, @unchecked Sendable {
    public let records: AsyncStream<LogRecord>
    private let continuation: AsyncStream<LogRecord>.Continuation

    public init(capacity: Int = 256) {
        var c: AsyncStream<LogRecord>.Continuation!
        records = AsyncStream(bufferingPolicy: .bufferingNewest(capacity)) { c = $0 }
        continuation = c
    }

    public func log(record: LogRecord) {
        continuation.yield(record)
    }

    deinit {
        continuation.finish()
    }
}
