import Foundation
import os

/// The `LogSink` hook on the unified logging system. The core's lines carry
/// no personal data, so they are logged as public.
public final class OSLogSink: LogSink, @unchecked Sendable {
    private let logger: Logger

    public init(subsystem: String = Bundle.main.bundleIdentifier ?? "org.palmgov", category: String = "core") {
        logger = Logger(subsystem: subsystem, category: category)
    }

    public func log(record: LogRecord) {
        let line = "\(record.target): \(record.message)"
        switch record.level {
        case .error: logger.error("\(line, privacy: .public)")
        case .warn: logger.warning("\(line, privacy: .public)")
        case .info: logger.info("\(line, privacy: .public)")
        case .debug: logger.debug("\(line, privacy: .public)")
        case .trace: logger.trace("\(line, privacy: .public)")
        }
    }
}
