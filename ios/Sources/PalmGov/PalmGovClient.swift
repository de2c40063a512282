import Foundation

/// The idiomatic Swift face of the palmgov core.
///
/// The core hands out one handle per capability; this class holds them as
/// clients (`identity`, `face`, `drafts`, `outbox`, `roster`, `secureStore`,
/// `region`, `wallet`, `services`, `reminders`), each a thin file of its own. The clients add what Swift callers
/// expect and the generated bindings cannot: task cancellation wired to the
/// core's `CancelToken`, `AsyncStream`s for progress and subscriptions, and
/// the device's language and UTC offset as defaults. Disk calls are already
/// `async` and run on the core's own blocking pool, never on Swift's
/// cooperative pool, so nothing here detaches tasks.
///
/// Keep it thin: logic belongs in the Rust core, where Android gets it too.
public final class PalmGovClient: @unchecked Sendable {
    private let core: PalmGov
    private let closeLock = NSLock()
    private var closed = false

    /// Sign-in, sessions, accounts and assurance levels.
    public let identity: IdentityClient
    /// The person's consent to face checks, and the check itself.
    public let face: FaceClient
    /// Forms on the device, drafts and their photos.
    public let drafts: DraftsClient
    /// Submissions, sync and application status.
    public let outbox: OutboxClient
    /// The grid worker's household roster.
    public let roster: RosterClient
    /// The app's own encrypted records and files.
    public let secureStore: SecureStoreClient
    /// The region's backend: health and configuration.
    public let region: RegionClient
    /// The person's e-licences (电子证照), checked offline.
    public let wallet: WalletClient
    /// The region's service catalog (办事指南): search, guides, what a service still needs.
    public let services: ServicesClient
    /// Reminders the shell schedules as local notifications.
    public let reminders: RemindersClient

    /// Opens the core. No network I/O; it takes milliseconds but touches the disk.
    public init(
        dataDirectory: URL,
        server: ServerConfig,
        keystore: Keystore,
        appLock: AppLock,
        logSink: LogSink? = nil,
        logLevel: LogLevel = .info,
        identity: IdentityConfig? = nil,
        lockTimeoutSecs: UInt32 = 300,
        wallet: WalletConfig? = nil,
        /// A region build's pinned profile keys and bundled signed profile
        /// (`regions/<code>/`): the profile then decides the backend, the
        /// provider and the licence trust roots, and `server` is a placeholder.
        region: RegionTrust? = nil
    ) throws {
        let core = try PalmGov.open(
            config: PalmGovConfig(
                dataDir: dataDirectory.path, server: server, logLevel: logLevel, identity: identity,
                lockTimeoutSecs: lockTimeoutSecs, wallet: wallet, region: region
            ),
            keystore: keystore,
            appLock: appLock,
            logSink: logSink
        )
        self.core = core
        self.identity = IdentityClient(core.identity())
        self.face = FaceClient(core.face())
        self.drafts = DraftsClient(core.drafts())
        self.outbox = OutboxClient(core.outbox())
        self.roster = RosterClient(core.roster())
        self.secureStore = SecureStoreClient(core.secureStore())
        self.region = RegionClient(core.region())
        self.wallet = WalletClient(core.wallet())
        self.services = ServicesClient(core.services())
        self.reminders = RemindersClient(core.reminders())
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

    /// The device's language as a BCP 47 tag, for titles and messages.
    public static var language: String {
        Locale.preferredLanguages.first ?? "en"
    }

    /// Shows the phone's own lock; throws `PalmGovError.Locked` if the person
    /// fails it, `PalmGovError.PinRequired` on a phone with no passcode (then
    /// `lockStatus()` says whether to ask for the app PIN or have one chosen).
    public func unlock(reason: String) async throws {
        try await core.unlock(reason: reason)
    }

    /// Unlocks with the app PIN; `PalmGovError.WrongPin` says how long to wait.
    public func unlockWithPin(_ pin: String) async throws {
        try await core.unlockWithPin(pin: pin)
    }

    /// Sets the app PIN (first use, or a new one while unlocked).
    public func setAppPin(_ pin: String) async throws {
        try await core.setAppPin(pin: pin)
    }

    /// Resets a forgotten app PIN: its owner signs in again through `browser`.
    public func recoverAppPin(browser: Browser) async throws -> SessionInfo {
        try await cancellable { token in try await self.core.recoverAppPin(browser: browser, cancel: token) }
    }

    /// The person is using the app: call on a touch (a window's `sendEvent`)
    /// and when a screen is shown. Without it the lock engages after
    /// `lockTimeoutSecs`; calls into the core never count.
    public func reportActivity() throws {
        try core.reportActivity()
    }

    /// What a lock screen shows: unlocked or not, how to unlock, the PIN's wait.
    public func lockStatus() async throws -> LockStatus {
        try await core.lockStatus()
    }

    /// Locks now (a shared phone handed on).
    public func lock() throws {
        try core.lock()
    }

    public var isUnlocked: Bool {
        get throws { try core.isUnlocked() }
    }

    /// SQLite's full integrity check: after an app update or from a support screen.
    public func checkIntegrity() async throws {
        try await core.checkIntegrity()
    }

    /// For a hidden diagnostics screen: proves a core bug becomes an error.
    public func diagnosticsPanic() throws {
        try core.diagnosticsPanic()
    }

    public func diagnosticsPanicAsync() async throws {
        try await core.diagnosticsPanicAsync()
    }

    /// Closes the database. Safe to call twice; later calls, through any
    /// client, throw `.Closed`.
    public func close() {
        closeLock.lock()
        defer { closeLock.unlock() }
        if !closed {
            closed = true
            core.shutdown()
        }
    }
}

/// Runs a core call with a fresh `CancelToken` that is cancelled when the
/// calling task is, so structured concurrency reaches the Rust work.
func cancellable<T>(_ call: (CancelToken) async throws -> T) async throws -> T {
    let token = CancelToken()
    // Background time for the call (a refresh holds a file lock meanwhile):
    // see ExpiringActivity.
    let activity = ExpiringActivity(reason: "palmgov network call") { token.cancel() }
    defer { activity.end() }
    return try await withTaskCancellationHandler {
        try await call(token)
    } onCancel: {
        token.cancel()
    }
}

/// The device's current UTC offset, recorded with a new draft.
func utcOffsetMinutes() -> Int32 {
    Int32(TimeZone.current.secondsFromGMT() / 60)
}

public extension PalmGovError {
    /// The stable code of a core error, such as `storage.wrong_key`: key translations on it.
    var code: String { errorCode(error: self) }

    /// The error as a sentence in `language`, from the core's Fluent catalogs.
    func message(language: String = PalmGovClient.language) -> String {
        errorMessage(error: self, language: language)
    }
}
