package org.palmgov

import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.TimeMark
import kotlin.time.TimeSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The e-licence wallet (电子证照) of the signed-in person: licences fetched
 * bound to this phone, kept sealed, and checked offline; shown as a QR code
 * (亮证, [showLicence]); and verifier mode, which checks someone else's code
 * ([checkPresentation]). Reading, opening, showing and checking a licence,
 * the history and the device list are behind the app lock; [refresh] and
 * [refreshStatus] show only counts, so a WorkManager job may run them. The
 * core needs a [WalletConfig] (`PalmGovClient.open(wallet =)`), else these
 * calls throw [PalmGovException.InvalidInput].
 */
class WalletClient internal constructor(private val handle: WalletHandle) {
    /** The licences as last fetched, named in [language]. Offline; opens no credential. */
    suspend fun licences(language: String = defaultLanguage()): List<LicenceSummary> = handle.licences(language)

    /** One licence with every claim its issuer signed. Offline. */
    suspend fun licence(id: String, language: String = defaultLanguage()): LicenceDetail = handle.licence(id, language)

    /**
     * Checks one licence offline (signature, validity, the status list last
     * fetched) and keeps the verdict. A missing or stale status list gives
     * [LicenceVerdict.Undetermined], never a silent [LicenceVerdict.Valid].
     */
    suspend fun verifyLicence(id: String): LicenceVerdict = handle.verifyLicence(id)

    /** Fetches the person's licences again, the trust list and the status lists; counts only. */
    suspend fun refresh(): WalletRefresh = cancellable { handle.refresh(it) }

    /** Fetches the trust list and the status lists only (public documents); how many status lists. */
    suspend fun refreshStatus(): UInt = cancellable { handle.refreshStatus(it) }

    /** The trust list in force (version, expiry, stale), or null before any. Offline. */
    suspend fun trustList(): TrustListStatus? = handle.trustList()

    /** The phones the person's licences are bound to, this one marked. */
    suspend fun devices(): List<WalletDevice> = cancellable { handle.devices(it) }

    /**
     * Reports another phone lost, by its [WalletDevice.keyId]: its licences
     * stop verifying once verifiers refresh their status lists.
     */
    suspend fun revokeDevice(keyId: String) = cancellable { handle.revokeDevice(keyId, it) }

    /**
     * Starts showing licence [id] as a QR code (亮证), with what [profile]
     * discloses. The core asks the app lock first, every time, with [reason]
     * in the prompt: a code hands a person's data to whoever scans it.
     * [DisclosureProfile.FULL] also needs [confirmFull], set only after the
     * person confirmed on a screen that lists what it shows; without it this
     * throws [PalmGovException.InvalidInput]. The showing goes into [history].
     * Close the session when the licence leaves the screen.
     */
    suspend fun showLicence(
        id: String,
        profile: DisclosureProfile,
        confirmFull: Boolean = false,
        reason: String,
    ): LicenceShowingSession = LicenceShowingSession(handle.showLicence(id, profile, confirmFull, reason))

    /** What the person showed, newest first (at most 500), one record per showing. Offline. */
    suspend fun history(): List<PresentationRecord> = handle.history()

    /**
     * Verifier mode: checks a scanned 亮证 code ([LicenceQr.payload], the text
     * the scanner read) offline, against the trust list and status lists
     * this core holds ([refreshStatus] keeps them current), and refuses a
     * code it has seen before (`presentation.replayed`). Needs no sign-in,
     * but the app lock: the answer holds what a person disclosed, so never
     * log it.
     */
    suspend fun checkPresentation(payload: String, language: String = defaultLanguage()): PresentationCheck =
        handle.checkPresentation(payload, language)

    /**
     * Two-way 亮证: reads a verifier's request QR (a kiosk's, a clerk's app's),
     * checked offline against the trust list, so the person sees who asks
     * ([VerifierRequest.verifierName]) and for what ([VerifierRequest.asks])
     * before choosing a licence. Nothing personal; no lock.
     */
    suspend fun readRequest(payload: String): VerifierRequest = handle.readRequest(payload)

    /**
     * Answers a verifier's request ([VerifierRequest.payload]) with licence
     * [id]: the codes show exactly what it asked for, and only that
     * verifier, for that request, accepts them. Asks the app lock first;
     * recorded in [history] with the verifier's name.
     */
    suspend fun showLicenceFor(id: String, request: String, reason: String): LicenceShowingSession =
        LicenceShowingSession(handle.showLicenceFor(id, request, reason))

    /**
     * Verifier mode, two-way: this device's verifier key (a P-256 JWK, in
     * the keystore), for the region to put on its trust list.
     */
    suspend fun verifierKey(): String = handle.verifierKey()

    /**
     * Verifier mode, two-way: a request QR asking for [asks] as [verifierId]
     * (which the trust list must name with this device's key). Show
     * [PresentationRequest.qr]; check the answers with
     * [PresentationRequest.check], which accepts only answers to this
     * request, each once.
     */
    suspend fun openRequest(verifierId: String, asks: List<String>): PresentationRequest =
        handle.openRequest(verifierId, asks)

    /** The licence types the core knows, with their claims, named in [language]. Offline, no lock. */
    fun licenceTypes(language: String = defaultLanguage()): List<LicenceTypeInfo> = org.palmgov.licenceTypes(language)
}

/**
 * A licence on screen as a QR code (from [WalletClient.showLicence]). It
 * owns the core's showing: close it when the licence leaves the screen,
 * e.g. `session.use { it.codes().collect(::paint) }`; any call after that
 * throws [IllegalStateException].
 */
class LicenceShowingSession internal constructor(private val showing: LicenceShowing) : AutoCloseable {
    /** The core made the first code before handing the showing over: its wait counts from here. */
    private val created = TimeSource.Monotonic.markNow()
    private val firstTaken = AtomicBoolean(false)

    /** The licence's type (`id_card`…). */
    val licenceType: String = showing.licenceType()

    val profile: DisclosureProfile = showing.profile()

    /**
     * The code to show now: the first one, then a new presentation each call
     * (call at the previous code's [LicenceQr.refreshAtMs], or use [codes]).
     * Throws [PalmGovException.Locked] once the app locked: showing again
     * asks the lock again.
     */
    suspend fun code(): LicenceQr = next().first

    /**
     * The codes to paint: the first at once, then a new one each time the
     * one on screen reaches its [LicenceQr.refreshAtMs], for as long as the
     * flow is collected. Collect it while the screen is visible (e.g. under
     * `repeatOnLifecycle(STARTED)`): a new collection starts with a new code.
     * Throws what [code] throws.
     *
     * The wait is the core's (`refreshAtMs - madeAtMs`, in the core's own
     * times), measured on this phone's monotonic clock from when the code was
     * asked for: the core dates codes by the server's clock (the latest
     * `Date` it saw), which a phone's clock may be hours away from, so its
     * times are never compared with `System.currentTimeMillis()`.
     */
    fun codes(): Flow<LicenceQr> = flow {
        while (true) {
            val (code, asked) = next()
            emit(code)
            delay((code.refreshAtMs - code.madeAtMs).milliseconds - asked.elapsedNow())
        }
    }

    /** A code and when it was asked for (for the first one: when the showing began). */
    private suspend fun next(): Pair<LicenceQr, TimeMark> {
        val asked = if (firstTaken.getAndSet(true)) TimeSource.Monotonic.markNow() else created
        return showing.code() to asked
    }

    /** Frees the core's showing. Safe to call twice. */
    override fun close() = showing.destroy()
}

/**
 * Whether the module at column [x], row [y] of the code is dark, both in
 * `0 until width`, row 0 at the top. The code's modules only: a reader
 * needs [quietZone] light modules round it, which the shell draws, so a
 * code takes `width + 2 * quietZone` modules a side on screen.
 */
fun LicenceQr.isDark(x: Int, y: Int): Boolean {
    val side = width.toInt()
    require(x in 0 until side && y in 0 until side) { "($x, $y) is outside a code of $side modules a side" }
    return modules[y * side + x].toInt() != 0
}

/** The light margin round a [LicenceQr], in modules, that the shell draws (ISO/IEC 18004 asks 4). */
val LicenceQr.Companion.quietZone: Int get() = 4
