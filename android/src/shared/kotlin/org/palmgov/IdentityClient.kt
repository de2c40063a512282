package org.palmgov

/**
 * Sign-in, sessions, accounts and assurance levels. Signing in is not behind
 * the app lock (it is how a person gets in); reading or refreshing a session,
 * the accounts, a level check and sign-out are.
 */
class IdentityClient internal constructor(private val handle: IdentityHandle) {
    /**
     * Signs in through [browser] (Custom Tabs on Android). If the app may be
     * killed while the browser is open, use [beginLogin] and [completeLogin].
     */
    suspend fun login(browser: Browser, options: LoginOptions = LoginOptions()): SessionInfo =
        cancellable { handle.login(options, browser, it) }

    /** Starts a sign-in; the pending login survives process death. */
    suspend fun beginLogin(options: LoginOptions = LoginOptions()): LoginRequest =
        cancellable { handle.beginLogin(options, it) }

    /** Finishes a sign-in with the callback URL from the App Link or custom scheme. */
    suspend fun completeLogin(callbackUrl: String): SessionInfo = cancellable { handle.completeLogin(callbackUrl, it) }

    /** The current session, offline. */
    suspend fun session(): SessionInfo = handle.session()

    /** Refreshes the tokens when they expire within a minute, or always with [force]. */
    suspend fun refreshSession(force: Boolean = false): SessionInfo = cancellable { handle.refreshSession(force, it) }

    /** [refreshSession] for a WorkManager job: no app lock, only the status. */
    suspend fun refreshInBackground(force: Boolean = false): SessionStatus =
        cancellable { handle.refreshInBackground(force, it) }

    /** Signs out; queued work is kept and reported. */
    suspend fun logout(): LogoutReport = cancellable { handle.logout(it) }

    suspend fun accounts(): List<AccountSummary> = handle.accounts()

    suspend fun switchAccount(accountId: String): SessionInfo = handle.switchAccount(accountId)

    /** Throws [PalmGovException.LevelRequired] naming the level when the session is below [level]. */
    suspend fun requireLevel(level: UByte) = handle.requireLevel(level)

    /** How the backend sees the session: DPoP binding and the level it grants. */
    suspend fun checkBackendSession(): BackendSession = cancellable { handle.checkBackendSession(it) }

    /**
     * The backend's answer for [operation] (such as a submission's instance
     * id) needing [level]; throws LevelRequired when short. A face verdict
     * counts only for the operations it named, so without [operation] only
     * the account's own level does.
     */
    suspend fun checkBackendLevel(level: UByte, operation: String? = null): BackendLevel =
        cancellable { handle.checkBackendLevel(level, operation, it) }

    /** Ways to reach [level]: the face (up to L4) and always the provider, the non-face alternative. */
    fun stepUpMethods(level: UByte): List<StepUpMethod> = handle.stepUpMethods(level)
}
