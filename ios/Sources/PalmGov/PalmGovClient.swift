import Foundation

/// The idiomatic Swift face of the palmgov core.
///
/// The generated bindings (`PalmGov`) are complete but low-level: Swift task
/// cancellation does not reach the Rust work, and synchronous calls touch the
/// disk on the caller's thread. This layer adds async functions that keep
/// SQLite off the main actor, task cancellation wired to the core's
/// `CancelToken`, and an explicit `close()`.
///
/// Keep it thin: logic belongs in the Rust core, where Android gets it too.
public final class PalmGovClient: @unchecked Sendable {
    private let core: PalmGov
    private let closeLock = NSLock()
    private var closed = false

    /// Opens the core. No network I/O; it takes milliseconds but touches the disk.
    public init(
        dataDirectory: URL,
        server: ServerConfig,
        keystore: Keystore,
        appLock: AppLock,
        logSink: LogSink? = nil,
        logLevel: LogLevel = .info
    ) throws {
        core = try PalmGov.open(
            config: PalmGovConfig(dataDir: dataDirectory.path, server: server, logLevel: logLevel),
            keystore: keystore,
            appLock: appLock,
            logSink: logSink
        )
    }

    /// Server settings with the core's defaults for timeouts and retries.
    public static func serverConfig(baseURL: String) -> ServerConfig {
        defaultServerConfig(baseUrl: baseURL)
    }

    deinit {
        close()
    }

    /// Stores `value` encrypted; `namespace` and `key` are stored in clear.
    public func securePut(namespace: String, key: String, value: Data) async throws {
        try await offMain { try self.core.securePut(namespace: namespace, key: key, value: value) }
    }

    public func secureGet(namespace: String, key: String) async throws -> Data? {
        try await offMain { try self.core.secureGet(namespace: namespace, key: key) }
    }

    /// A whole namespace in one call: one crossing instead of one per entry.
    public func secureList(namespace: String) async throws -> [SecureEntry] {
        try await offMain { try self.core.secureList(namespace: namespace) }
    }

    @discardableResult
    public func secureDelete(namespace: String, key: String) async throws -> Bool {
        try await offMain { try self.core.secureDelete(namespace: namespace, key: key) }
    }

    public func checkIntegrity() async throws {
        try await offMain { try self.core.checkIntegrity() }
    }

    public func serverHealth() async throws -> ServerHealth {
        try await cancellable { token in try await self.core.serverHealth(cancel: token) }
    }

    public func refreshRegionConfig() async throws -> RegionConfig {
        try await cancellable { token in try await self.core.refreshRegionConfig(cancel: token) }
    }

    public func cachedRegionConfig() async throws -> RegionConfig? {
        try await offMain { try self.core.cachedRegionConfig() }
    }

    /// Shows the app lock; throws `PalmGovError.Locked` if the person fails it.
    public func unlock(reason: String) async throws {
        try await core.unlock(reason: reason)
    }

    public func lock() throws {
        try core.lock()
    }

    public var isUnlocked: Bool {
        get throws { try core.isUnlocked() }
    }

    /// For a hidden diagnostics screen: proves a core bug becomes an error.
    public func diagnosticsPanic() throws {
        try core.diagnosticsPanic()
    }

    public func diagnosticsPanicAsync() async throws {
        try await core.diagnosticsPanicAsync()
    }

    /// Closes the database. Safe to call twice; later calls throw `.Closed`.
    public func close() {
        closeLock.lock()
        defer { closeLock.unlock() }
        if !closed {
            closed = true
            core.shutdown()
        }
    }

    private func offMain<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Task.detached(priority: .userInitiated) { try work() }.value
    }
}

/// Runs a core call with a fresh `CancelToken` that is cancelled when the
/// calling task is, so structured concurrency reaches the Rust work.
func cancellable<T>(_ call: (CancelToken) async throws -> T) async throws -> T {
    let token = CancelToken()
    return try await withTaskCancellationHandler {
        try await call(token)
    } onCancel: {
        token.cancel()
    }
}

public extension PalmGovError {
    /// The stable code of a core error, such as `storage.wrong_key`: key translations on it.
    var code: String { errorCode(error: self) }
}
