import Foundation

/// Sign-in, sessions, accounts and assurance levels. Signing in is not behind
/// the app lock (it is how a person gets in); reading or refreshing a
/// session, the accounts, a level check and sign-out are.
public final class IdentityClient: @unchecked Sendable {
    private let handle: IdentityHandle

    init(_ handle: IdentityHandle) {
        self.handle = handle
    }

    /// Signs in through `browser` (ASWebAuthenticationSession). If the app may
    /// be terminated while the browser is open, use `beginLogin`/`completeLogin`.
    public func login(browser: Browser, options: LoginOptions = LoginOptions()) async throws -> SessionInfo {
        try await cancellable { token in
            try await self.handle.login(options: options, browser: browser, cancel: token)
        }
    }

    /// Starts a sign-in; the pending login survives the app being terminated.
    public func beginLogin(options: LoginOptions = LoginOptions()) async throws -> LoginRequest {
        try await cancellable { token in try await self.handle.beginLogin(options: options, cancel: token) }
    }

    /// Finishes a sign-in with the universal-link or custom-scheme callback URL.
    public func completeLogin(callbackURL: String) async throws -> SessionInfo {
        try await cancellable { token in
            try await self.handle.completeLogin(callbackUrl: callbackURL, cancel: token)
        }
    }

    /// The current session, offline.
    public func session() async throws -> SessionInfo {
        try await handle.session()
    }

    /// Refreshes the tokens when they expire within a minute, or always with `force`.
    @discardableResult
    public func refreshSession(force: Bool = false) async throws -> SessionInfo {
        try await cancellable { token in try await self.handle.refreshSession(force: force, cancel: token) }
    }

    /// `refreshSession` for a background task: no app lock, only the status.
    @discardableResult
    public func refreshInBackground(force: Bool = false) async throws -> SessionStatus {
        try await cancellable { token in try await self.handle.refreshInBackground(force: force, cancel: token) }
    }

    /// Signs out; queued work is kept and reported.
    public func logout() async throws -> LogoutReport {
        try await cancellable { token in try await self.handle.logout(cancel: token) }
    }

    public func accounts() async throws -> [AccountSummary] {
        try await handle.accounts()
    }

    public func switchAccount(accountID: String) async throws -> SessionInfo {
        try await handle.switchAccount(accountId: accountID)
    }

    /// Throws `PalmGovError.LevelRequired` naming the level when the session is below `level`.
    public func requireLevel(_ level: UInt8) async throws {
        try await handle.requireLevel(level: level)
    }

    /// How the backend sees the session: DPoP binding and the level it grants.
    public func checkBackendSession() async throws -> BackendSession {
        try await cancellable { token in try await self.handle.checkBackendSession(cancel: token) }
    }

    /// The backend's answer for `operation` (such as a submission's instance
    /// id) needing `level`; throws `LevelRequired` when short. A face verdict
    /// counts only for the operations it named, so without `operation` only
    /// the account's own level does.
    public func checkBackendLevel(_ level: UInt8, operation: String? = nil) async throws -> BackendLevel {
        try await cancellable { token in
            try await self.handle.checkBackendLevel(level: level, operation: operation, cancel: token)
        }
    }

    /// Ways to reach `level`: the face (up to L4) and always the provider, the non-face alternative.
    public func stepUpMethods(_ level: UInt8) throws -> [StepUpMethod] {
        try handle.stepUpMethods(level: level)
    }
}
