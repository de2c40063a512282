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
        logLevel: LogLevel = .info,
        identity: IdentityConfig? = nil
    ) throws {
        core = try PalmGov.open(
            config: PalmGovConfig(
                dataDir: dataDirectory.path, server: server, logLevel: logLevel, identity: identity
            ),
            keystore: keystore,
            appLock: appLock,
            logSink: logSink
        )
    }

    /// Server settings with the core's defaults for timeouts and retries.
    public static func serverConfig(baseURL: String) -> ServerConfig {
        defaultServerConfig(baseUrl: baseURL)
    }

    /// Identity settings with the core's defaults (levels, DPoP, 7 days offline).
    public static func identityConfig(issuer: String, clientID: String, redirectURI: String) -> IdentityConfig {
        defaultIdentityConfig(issuer: issuer, clientId: clientID, redirectUri: redirectURI)
    }

    deinit {
        close()
    }

    /// Signs in through `browser` (ASWebAuthenticationSession). If the app may
    /// be terminated while the browser is open, use `beginLogin`/`completeLogin`.
    public func login(
        browser: Browser,
        options: LoginOptions = LoginOptions(level: nil, forceReauthentication: false, loginHint: nil)
    ) async throws -> SessionInfo {
        try await cancellable { token in
            try await self.core.login(options: options, browser: browser, cancel: token)
        }
    }

    /// Starts a sign-in; the pending login survives the app being terminated.
    public func beginLogin(
        options: LoginOptions = LoginOptions(level: nil, forceReauthentication: false, loginHint: nil)
    ) async throws -> LoginRequest {
        try await cancellable { token in try await self.core.beginLogin(options: options, cancel: token) }
    }

    /// Finishes a sign-in with the universal-link or custom-scheme callback URL.
    public func completeLogin(callbackURL: String) async throws -> SessionInfo {
        try await cancellable { token in try await self.core.completeLogin(callbackUrl: callbackURL, cancel: token) }
    }

    /// The current session, offline; behind the app lock (`unlock` first).
    public func session() async throws -> SessionInfo {
        try await offMain { try self.core.session() }
    }

    /// Refreshes the tokens when they expire within a minute, or always with `force`.
    @discardableResult
    public func refreshSession(force: Bool = false) async throws -> SessionInfo {
        try await cancellable { token in try await self.core.refreshSession(force: force, cancel: token) }
    }

    /// Signs out; queued submissions are kept and reported.
    public func logout() async throws -> LogoutReport {
        try await cancellable { token in try await self.core.logout(cancel: token) }
    }

    public func accounts() async throws -> [AccountSummary] {
        try await offMain { try self.core.accounts() }
    }

    public func switchAccount(accountID: String) async throws -> SessionInfo {
        try await offMain { try self.core.switchAccount(accountId: accountID) }
    }

    /// Throws `PalmGovError.LevelRequired` naming the level when the session is below `level`.
    public func requireLevel(_ level: UInt8) throws {
        try core.requireLevel(level: level)
    }

    /// How the backend sees the session: DPoP binding and the level it grants.
    public func checkBackendSession() async throws -> BackendSession {
        try await cancellable { token in try await self.core.checkBackendSession(cancel: token) }
    }

    /// The backend's answer for an operation needing `level`; throws `LevelRequired` when short.
    public func checkBackendLevel(_ level: UInt8) async throws -> BackendLevel {
        try await cancellable { token in try await self.core.checkBackendLevel(level: level, cancel: token) }
    }

    /// Ways to reach `level`: the face (up to L4) and always the provider, the non-face alternative.
    public func stepUpMethods(_ level: UInt8) throws -> [StepUpMethod] {
        try core.stepUpMethods(level: level)
    }

    /// Records the person's separate consent to face checks (a guardian's under 14).
    @discardableResult
    public func recordFaceConsent(_ consent: FaceConsent) async throws -> FaceConsentRecord {
        try await offMain { try self.core.recordFaceConsent(consent: consent) }
    }

    public func faceConsent() async throws -> FaceConsentRecord? {
        try await offMain { try self.core.faceConsent() }
    }

    @discardableResult
    public func withdrawFaceConsent() async throws -> Bool {
        try await offMain { try self.core.withdrawFaceConsent() }
    }

    /// One face verification for `transaction`: the core runs the server's
    /// challenge through `capture` (see `AsyncFaceCapture`) and returns the
    /// verdict. Cancelling the task closes the camera.
    public func faceStepUp(transaction: String, capture: FaceCapture) async throws -> FaceVerdict {
        try await cancellable { token in
            try await self.core.faceStepUp(transaction: transaction, capture: capture, cancel: token)
        }
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

    // MARK: Forms, drafts and the outbox
    // Answers are JSON text (`docs/forms.md`); every call returns a screen's
    // worth, so one user action is one crossing.

    /// Downloads the backend's form catalog; returns the forms on the device.
    public func refreshForms(language: String = PalmGovClient.language) async throws -> [FormInfo] {
        try await cancellable { token in try await self.core.refreshForms(language: language, cancel: token) }
    }

    public func forms(language: String = PalmGovClient.language) async throws -> [FormInfo] {
        try await offMain { try self.core.forms(language: language) }
    }

    /// Starts a draft; the device's current UTC offset is recorded with it.
    public func createDraft(
        formID: String,
        subject: DraftSubject = DraftSubject(householdId: nil, name: nil),
        version: UInt32? = nil,
        language: String = PalmGovClient.language
    ) async throws -> DraftView {
        let offset = Int32(TimeZone.current.secondsFromGMT() / 60)
        return try await offMain {
            try self.core.createDraft(
                formId: formID, version: version, subject: subject, utcOffsetMin: offset, language: language)
        }
    }

    /// Saves one answer (JSON text; `"null"` clears it). Durable when it returns.
    public func saveAnswer(
        draftID: String, path: String, valueJSON: String, language: String = PalmGovClient.language
    ) async throws -> SaveEffects {
        try await offMain {
            try self.core.saveAnswer(draftId: draftID, path: path, valueJson: valueJSON, language: language)
        }
    }

    public func addRepeatInstance(
        draftID: String, repeat: String, language: String = PalmGovClient.language
    ) async throws -> RepeatAdded {
        try await offMain { try self.core.addRepeatInstance(draftId: draftID, repeat: repeat, language: language) }
    }

    public func removeRepeatInstance(
        draftID: String, repeat: String, instanceID: String, language: String = PalmGovClient.language
    ) async throws -> SaveEffects {
        try await offMain {
            try self.core.removeRepeatInstance(
                draftId: draftID, repeat: repeat, instanceId: instanceID, language: language)
        }
    }

    public func openDraft(draftID: String, language: String = PalmGovClient.language) async throws -> DraftView {
        try await offMain { try self.core.openDraft(draftId: draftID, language: language) }
    }

    public func listDrafts(language: String = PalmGovClient.language) async throws -> [DraftSummary] {
        try await offMain { try self.core.listDrafts(language: language) }
    }

    /// Finds drafts by any substring of the resident's name or the summary.
    public func searchDrafts(query: String, language: String = PalmGovClient.language) async throws -> [DraftSummary] {
        try await offMain { try self.core.searchDrafts(query: query, language: language) }
    }

    public func deleteDraft(draftID: String) async throws {
        try await offMain { try self.core.deleteDraft(draftId: draftID) }
    }

    /// Validates everything; queues the draft when clean, else returns every issue.
    public func finalizeDraft(draftID: String, language: String = PalmGovClient.language) async throws -> FinalizeOutcome {
        try await offMain { try self.core.finalizeDraft(draftId: draftID, language: language) }
    }

    public func migrateDraft(draftID: String, version: UInt32) async throws -> MigrationReport {
        try await offMain { try self.core.migrateDraft(draftId: draftID, version: version) }
    }

    public func editSubmitted(draftID: String, language: String = PalmGovClient.language) async throws -> DraftView {
        try await offMain { try self.core.editSubmitted(draftId: draftID, language: language) }
    }

    /// Call before presenting the camera; it writes to `capturePath`, through
    /// `CaptureWriter.write(_:to:)`, which turns the iPhone's HEIC into JPEG.
    /// After a restart, `DraftView.pendingCaptures` lists captures still to ingest.
    public func registerAttachment(draftID: String, path: String) async throws -> PendingAttachment {
        try await offMain { try self.core.registerAttachment(draftId: draftID, path: path) }
    }

    /// Turns the capture upright, scales it, drops EXIF and stores it encrypted.
    public func ingestAttachment(
        attachmentID: String, maxEdge: UInt32? = nil, language: String = PalmGovClient.language
    ) async throws -> IngestedAttachment {
        try await core.ingestAttachment(attachmentId: attachmentID, maxEdge: maxEdge, language: language)
    }

    public func removeAttachment(attachmentID: String, language: String = PalmGovClient.language) async throws -> SaveEffects {
        try await offMain { try self.core.removeAttachment(attachmentId: attachmentID, language: language) }
    }

    public func attachmentBytes(attachmentID: String) async throws -> Data {
        try await offMain { try self.core.attachmentBytes(attachmentId: attachmentID) }
    }

    public func submissions() async throws -> [Submission] {
        try await offMain { try self.core.submissions() }
    }

    public func discardSubmission(instanceID: String) async throws {
        try await offMain { try self.core.discardSubmission(instanceId: instanceID) }
    }

    /// Sends the queue. The stream yields `.progress` while it runs and one
    /// `.done` at the end, or throws; cancelling the consuming task cancels
    /// the sync between requests, with everything still queued.
    public func sync(options: SyncOptions = defaultSyncOptions()) -> AsyncThrowingStream<SyncUpdate, Error> {
        AsyncThrowingStream { continuation in
            let listener = StreamSyncListener(continuation)
            let token = CancelToken()
            let task = Task {
                do {
                    let report = try await self.core.syncNow(options: options, listener: listener, cancel: token)
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

    /// The grid worker's household roster as last cached; works offline.
    public func roster() async throws -> [Household] {
        try await offMain { try self.core.roster() }
    }

    /// Fetches the roster the township assigned; every `sync()` does this too.
    public func refreshRoster() async throws -> [Household] {
        try await cancellable { token in try await self.core.refreshRoster(cancel: token) }
    }

    /// Adds a household met on the way, stored durably at once and sent with
    /// the next `sync()`. Throws `PalmGovError.InvalidInput` naming the field.
    public func addHousehold(_ household: NewHousehold) async throws -> Household {
        try await offMain { try self.core.addHousehold(household: household) }
    }

    /// Application status as last fetched (办件查询).
    public func applications() async throws -> [ApplicationStatus] {
        try await offMain { try self.core.applications() }
    }

    /// Pulls new statuses; returns what changed.
    public func refreshApplications() async throws -> [ApplicationStatus] {
        try await cancellable { token in try await self.core.refreshApplications(listener: nil, cancel: token) }
    }

    /// The device's language as a BCP 47 tag, for titles and messages.
    public static var language: String {
        Locale.preferredLanguages.first ?? "en"
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

    /// The error as a sentence in `language`, from the core's Fluent catalogs.
    func message(language: String = PalmGovClient.language) -> String {
        errorMessage(error: self, language: language)
    }
}

/// What `PalmGovClient.sync` yields.
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
