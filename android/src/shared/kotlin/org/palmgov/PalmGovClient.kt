package org.palmgov

import java.io.File
import java.util.Locale
import java.util.TimeZone
import kotlinx.coroutines.CancellationException

/**
 * The idiomatic Kotlin face of the palmgov core, shared by the Android app and
 * the desktop JVM tests.
 *
 * The core hands out one handle per capability; this class holds them as
 * clients ([identity], [face], [drafts], [outbox], [roster], [secureStore],
 * [region], [wallet], [services], [reminders]), each a thin file of its own. The clients add what a Kotlin
 * caller expects and the generated bindings cannot: coroutine cancellation
 * wired to the core's [CancelToken], `Flow`s for progress and subscriptions,
 * and the device's language and UTC offset as defaults. Disk calls are
 * already `suspend` and run on the core's own blocking pool, so nothing here
 * switches dispatchers.
 *
 * Keep it thin: logic belongs in the Rust core, where iOS gets it too.
 */
class PalmGovClient private constructor(private val core: PalmGov) : AutoCloseable {
    private val closed = java.util.concurrent.atomic.AtomicBoolean(false)
    private val handles = mutableListOf<AutoCloseable>()

    private fun <H : AutoCloseable> keep(handle: H): H = handle.also { handles += it }

    /** Sign-in, sessions, accounts and assurance levels. */
    val identity = IdentityClient(keep(core.identity()))

    /** The person's consent to face checks, and the check itself. */
    val face = FaceClient(keep(core.face()))

    /** Forms on the device, drafts and their photos. */
    val drafts = DraftsClient(keep(core.drafts()))

    /** Submissions, sync and application status. */
    val outbox = OutboxClient(keep(core.outbox()))

    /** The grid worker's household roster. */
    val roster = RosterClient(keep(core.roster()))

    /** The app's own encrypted records and files. */
    val secureStore = SecureStoreClient(keep(core.secureStore()))

    /** The region's backend: health and configuration. */
    val region = RegionClient(keep(core.region()))

    /** The person's e-licences (电子证照), checked offline. */
    val wallet = WalletClient(keep(core.wallet()))

    /** The region's service catalog (办事指南): search, guides, what a service still needs. */
    val services = ServicesClient(keep(core.services()))

    /** Reminders the shell schedules as local notifications. */
    val reminders = RemindersClient(keep(core.reminders()))

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
            lockTimeoutSecs: UInt = 300u,
            wallet: WalletConfig? = null,
            /**
             * A region build's pinned profile keys and bundled signed profile
             * (`regions/<code>/`): the profile then decides the backend, the
             * provider and the licence trust roots, and [server] is a placeholder.
             */
            region: RegionTrust? = null,
        ): PalmGovClient = PalmGovClient(
            PalmGov.open(
                PalmGovConfig(
                    dataDir = dataDir.absolutePath,
                    server = server,
                    logLevel = logLevel,
                    identity = identity,
                    lockTimeoutSecs = lockTimeoutSecs,
                    wallet = wallet,
                    region = region,
                ),
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
     * Shows the phone's own lock; throws [PalmGovException.Locked] if the
     * person fails it, [PalmGovException.PinRequired] on a phone with no
     * screen lock (then [lockStatus] says whether to ask for the app PIN or
     * to have one chosen).
     */
    suspend fun unlock(reason: String) = core.unlock(reason)

    /** Unlocks with the app PIN; [PalmGovException.WrongPin] says how long to wait. */
    suspend fun unlockWithPin(pin: String) = core.unlockWithPin(pin)

    /** Sets the app PIN (first use, or a new one while unlocked). */
    suspend fun setAppPin(pin: String) = core.setAppPin(pin)

    /** Resets a forgotten app PIN: its owner signs in again through [browser]. */
    suspend fun recoverAppPin(browser: Browser): SessionInfo = cancellable { core.recoverAppPin(browser, it) }

    /**
     * The person is using the app: call from `Activity.onUserInteraction`
     * and when a screen is shown. Without it the lock engages after
     * `lockTimeoutSecs`; calls into the core never count.
     */
    fun reportActivity() = core.reportActivity()

    /** What a lock screen shows: unlocked or not, how to unlock, the PIN's wait. */
    suspend fun lockStatus(): LockStatus = core.lockStatus()

    /** Locks now (a shared phone handed on). */
    fun lock() = core.lock()

    val isUnlocked: Boolean get() = core.isUnlocked()

    /** SQLite's full integrity check: after an app update or from a support screen. */
    suspend fun checkIntegrity() = core.checkIntegrity()

    /** For a hidden diagnostics screen: proves a core bug becomes an exception. */
    fun diagnosticsPanic() = core.diagnosticsPanic()

    suspend fun diagnosticsPanicAsync() = core.diagnosticsPanicAsync()

    /**
     * Closes the database and frees the native objects. Safe to call twice;
     * any call after it throws [IllegalStateException].
     */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            core.shutdown()
            handles.forEach { it.close() }
            core.destroy()
        }
    }
}

/** A core error as a sentence in [language], from the core's Fluent catalogs. */
fun PalmGovException.message(language: String = Locale.getDefault().toLanguageTag()): String =
    errorMessage(this, language)

/** The stable code of a core error, such as `storage.wrong_key`: key translations on it. */
val PalmGovException.code: String get() = errorCode(this)

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

/** The device's language as a BCP 47 tag, for titles and messages. */
internal fun defaultLanguage(): String = Locale.getDefault().toLanguageTag()

/** The device's current UTC offset, recorded with a new draft. */
internal fun utcOffsetMinutes(): Int = TimeZone.getDefault().getOffset(System.currentTimeMillis()) / 60_000
