package org.palmgov

import java.io.File
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import java.util.Locale
import java.util.TimeZone
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.callbackFlow
import kotlinx.coroutines.withContext

/**
 * The idiomatic Kotlin face of the palmgov core, shared by the Android app and
 * the desktop JVM tests.
 *
 * The generated bindings ([PalmGov]) are complete but low-level: they throw on
 * the caller's thread, and cancelling a coroutine does not reach the Rust work.
 * This layer adds what a Kotlin caller expects: `suspend` functions that keep
 * SQLite off the main thread, coroutine cancellation wired to the core's
 * [CancelToken], and [AutoCloseable] for `use { }`.
 *
 * Keep it thin: logic belongs in the Rust core, where iOS gets it too.
 */
class PalmGovClient private constructor(private val core: PalmGov) : AutoCloseable {
    private val closed = java.util.concurrent.atomic.AtomicBoolean(false)

    companion object {
        /**
         * Opens the core. It does no network I/O and takes milliseconds, but it
         * touches the disk, so call it off the main thread.
         */
        fun open(
            dataDir: File,
            server: ServerConfig,
            keystore: Keystore,
            appLock: AppLock,
            logSink: LogSink? = null,
            logLevel: LogLevel = LogLevel.INFO,
            identity: IdentityConfig? = null,
        ): PalmGovClient = PalmGovClient(
            PalmGov.open(
                PalmGovConfig(dataDir = dataDir.absolutePath, server = server, logLevel = logLevel, identity = identity),
                keystore,
                appLock,
                logSink,
            ),
        )

        /** Server settings with the core's defaults for timeouts and retries. */
        fun serverConfig(baseUrl: String): ServerConfig = defaultServerConfig(baseUrl)

        /** Identity settings with the core's defaults (levels, DPoP, 7 days offline). */
        fun identityConfig(issuer: String, clientId: String, redirectUri: String): IdentityConfig =
            defaultIdentityConfig(issuer, clientId, redirectUri)
    }

    /**
     * Signs in through [browser] (Custom Tabs on Android). If the app may be
     * killed while the browser is open, use [beginLogin] and [completeLogin].
     */
    suspend fun login(browser: Browser, options: LoginOptions = LoginOptions(null, false, null)): SessionInfo =
        cancellable { core.login(options, browser, it) }

    /** Starts a sign-in; the pending login survives process death. */
    suspend fun beginLogin(options: LoginOptions = LoginOptions(null, false, null)): LoginRequest =
        cancellable { core.beginLogin(options, it) }

    /** Finishes a sign-in with the callback URL from the App Link or custom scheme. */
    suspend fun completeLogin(callbackUrl: String): SessionInfo = cancellable { core.completeLogin(callbackUrl, it) }

    /** The current session, offline; behind the app lock ([unlock] first). */
    suspend fun session(): SessionInfo = io { core.session() }

    /** Refreshes the tokens when they expire within a minute, or always with [force]. */
    suspend fun refreshSession(force: Boolean = false): SessionInfo = cancellable { core.refreshSession(force, it) }

    /** Signs out; queued submissions are kept and reported. */
    suspend fun logout(): LogoutReport = cancellable { core.logout(it) }

    suspend fun accounts(): List<AccountSummary> = io { core.accounts() }

    suspend fun switchAccount(accountId: String): SessionInfo = io { core.switchAccount(accountId) }

    /** Throws [PalmGovException.LevelRequired] naming the level when the session is below [level]. */
    fun requireLevel(level: UByte) = core.requireLevel(level)

    /** How the backend sees the session: DPoP binding and the level it grants. */
    suspend fun checkBackendSession(): BackendSession = cancellable { core.checkBackendSession(it) }

    /** The backend's answer for an operation needing [level]; throws LevelRequired when short. */
    suspend fun checkBackendLevel(level: UByte): BackendLevel = cancellable { core.checkBackendLevel(level, it) }

    /** Ways to reach [level]: the face (up to L4) and always the provider, the non-face alternative. */
    fun stepUpMethods(level: UByte): List<StepUpMethod> = core.stepUpMethods(level)

    /** Records the person's separate consent to face checks (a guardian's under 14). */
    suspend fun recordFaceConsent(consent: FaceConsent): FaceConsentRecord = io { core.recordFaceConsent(consent) }

    suspend fun faceConsent(): FaceConsentRecord? = io { core.faceConsent() }

    suspend fun withdrawFaceConsent(): Boolean = io { core.withdrawFaceConsent() }

    /**
     * One face verification for [transaction]: the core runs the server's
     * challenge through [capture] (see [SuspendingFaceCapture]) and returns
     * the verdict. Cancelling the coroutine closes the camera.
     */
    suspend fun faceStepUp(transaction: String, capture: FaceCapture): FaceVerdict =
        cancellable { core.faceStepUp(transaction, capture, it) }

    /** Stores [value] encrypted; [namespace] and [key] are stored in clear. */
    suspend fun securePut(namespace: String, key: String, value: ByteArray) =
        io { core.securePut(namespace, key, value) }

    suspend fun secureGet(namespace: String, key: String): ByteArray? =
        io { core.secureGet(namespace, key) }

    /** A whole namespace in one call: one crossing instead of one per entry. */
    suspend fun secureList(namespace: String): List<SecureEntry> = io { core.secureList(namespace) }

    suspend fun secureDelete(namespace: String, key: String): Boolean =
        io { core.secureDelete(namespace, key) }

    suspend fun checkIntegrity() = io { core.checkIntegrity() }

    suspend fun serverHealth(): ServerHealth = cancellable { core.serverHealth(it) }

    suspend fun refreshRegionConfig(): RegionConfig = cancellable { core.refreshRegionConfig(it) }

    suspend fun cachedRegionConfig(): RegionConfig? = io { core.cachedRegionConfig() }

    // Forms, drafts and the outbox. Answers are JSON text (see `docs/forms.md`);
    // every call returns a screen's worth, so one user action is one crossing.

    /** Downloads the backend's form catalog; returns the forms on the device. */
    suspend fun refreshForms(language: String = defaultLanguage()): List<FormInfo> =
        cancellable { core.refreshForms(language, it) }

    suspend fun forms(language: String = defaultLanguage()): List<FormInfo> = io { core.forms(language) }

    /** Starts a draft; the device's current UTC offset is recorded with it. */
    suspend fun createDraft(
        formId: String,
        subject: DraftSubject = DraftSubject(null, null),
        version: UInt? = null,
        language: String = defaultLanguage(),
    ): DraftView = io { core.createDraft(formId, version, subject, utcOffsetMinutes(), language) }

    /** Saves one answer (JSON text; `"null"` clears it). Durable when it returns. */
    suspend fun saveAnswer(draftId: String, path: String, valueJson: String, language: String = defaultLanguage()): SaveEffects =
        io { core.saveAnswer(draftId, path, valueJson, language) }

    suspend fun addRepeatInstance(draftId: String, repeat: String, language: String = defaultLanguage()): RepeatAdded =
        io { core.addRepeatInstance(draftId, repeat, language) }

    suspend fun removeRepeatInstance(draftId: String, repeat: String, instanceId: String, language: String = defaultLanguage()): SaveEffects =
        io { core.removeRepeatInstance(draftId, repeat, instanceId, language) }

    suspend fun openDraft(draftId: String, language: String = defaultLanguage()): DraftView =
        io { core.openDraft(draftId, language) }

    suspend fun listDrafts(language: String = defaultLanguage()): List<DraftSummary> = io { core.listDrafts(language) }

    /** Finds drafts by any substring of the resident's name or the summary (2-character names too). */
    suspend fun searchDrafts(query: String, language: String = defaultLanguage()): List<DraftSummary> =
        io { core.searchDrafts(query, language) }

    suspend fun deleteDraft(draftId: String) = io { core.deleteDraft(draftId) }

    /** Validates everything; queues the draft when clean, else returns every issue at once. */
    suspend fun finalizeDraft(draftId: String, language: String = defaultLanguage()): FinalizeOutcome =
        io { core.finalizeDraft(draftId, language) }

    suspend fun migrateDraft(draftId: String, version: UInt): MigrationReport = io { core.migrateDraft(draftId, version) }

    suspend fun editSubmitted(draftId: String, language: String = defaultLanguage()): DraftView =
        io { core.editSubmitted(draftId, language) }

    /**
     * Call before opening the camera; the camera writes to [PendingAttachment.capturePath]
     * (pass it to the camera intent through a FileProvider URI). If the OS kills the app
     * while the camera is open, the restarted app finds the photo in
     * [DraftView.pendingCaptures] and ingests it.
     */
    suspend fun registerAttachment(draftId: String, path: String): PendingAttachment =
        io { core.registerAttachment(draftId, path) }

    /** Turns the capture upright, scales it (1600 px by default), drops EXIF and stores it encrypted. */
    suspend fun ingestAttachment(attachmentId: String, maxEdge: UInt? = null, language: String = defaultLanguage()): IngestedAttachment =
        core.ingestAttachment(attachmentId, maxEdge, language)

    suspend fun removeAttachment(attachmentId: String, language: String = defaultLanguage()): SaveEffects =
        io { core.removeAttachment(attachmentId, language) }

    suspend fun attachmentBytes(attachmentId: String): ByteArray = io { core.attachmentBytes(attachmentId) }

    suspend fun submissions(): List<Submission> = io { core.submissions() }

    suspend fun discardSubmission(instanceId: String) = io { core.discardSubmission(instanceId) }

    /**
     * Sends the queue. Emits [SyncUpdate.Progress] while it runs and one
     * [SyncUpdate.Done] at the end; cancelling the collector cancels the sync
     * between requests, with everything still queued.
     */
    fun sync(options: SyncOptions = defaultSyncOptions()): Flow<SyncUpdate> = callbackFlow {
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) {
                trySend(SyncUpdate.Progress(progress))
            }
        }
        val report = cancellable { core.syncNow(options, listener, it) }
        send(SyncUpdate.Done(report))
        close()
        awaitClose {}
    }.buffer(Channel.UNLIMITED)

    /** The grid worker's household roster as last cached; works offline. */
    suspend fun roster(): List<Household> = io { core.roster() }

    /** Fetches the roster the township assigned; every [sync] does this too. */
    suspend fun refreshRoster(): List<Household> = cancellable { core.refreshRoster(it) }

    /**
     * Adds a household met on the way, stored durably at once and sent with
     * the next [sync]. Throws [PalmGovException.InvalidInput] naming the field.
     */
    suspend fun addHousehold(household: NewHousehold): Household = io { core.addHousehold(household) }

    /** Application status as last fetched (办件查询). */
    suspend fun applications(): List<ApplicationStatus> = io { core.applications() }

    /** Pulls new statuses; returns what changed. */
    suspend fun refreshApplications(): List<ApplicationStatus> = cancellable { core.refreshApplications(null, it) }

    /** Shows the app lock; throws [PalmGovException.Locked] if the person fails it. */
    suspend fun unlock(reason: String) = core.unlock(reason)

    fun lock() = core.lock()

    val isUnlocked: Boolean get() = core.isUnlocked()

    /** For a hidden diagnostics screen: proves a core bug becomes an exception. */
    fun diagnosticsPanic() = core.diagnosticsPanic()

    suspend fun diagnosticsPanicAsync() = core.diagnosticsPanicAsync()

    /**
     * Closes the database and frees the native object. Safe to call twice;
     * any call after it throws [IllegalStateException].
     */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            core.shutdown()
            core.destroy()
        }
    }

    private suspend fun <T> io(block: () -> T): T = withContext(Dispatchers.IO) { block() }

    private fun defaultLanguage(): String = Locale.getDefault().toLanguageTag()

    private fun utcOffsetMinutes(): Int =
        TimeZone.getDefault().getOffset(System.currentTimeMillis()) / 60_000
}

/** What [PalmGovClient.sync] emits. */
sealed interface SyncUpdate {
    data class Progress(val progress: SyncProgress) : SyncUpdate
    data class Done(val report: SyncReport) : SyncUpdate
}

/** A core error as a sentence in [language], from the core's Fluent catalogs. */
fun PalmGovException.message(language: String = Locale.getDefault().toLanguageTag()): String =
    errorMessage(this, language)

/**
 * Runs a core call with a fresh [CancelToken] that is cancelled when the
 * calling coroutine is, so structured concurrency reaches the Rust work.
 */
internal suspend fun <T> cancellable(block: suspend (CancelToken) -> T): T {
    val token = CancelToken()
    try {
        return block(token)
    } catch (e: CancellationException) {
        token.cancel()
        throw e
    } finally {
        token.destroy()
    }
}

/** The stable code of a core error, such as `storage.wrong_key`: key translations on it. */
val PalmGovException.code: String get() = errorCode(this)
