package org.palmgov

import java.awt.Color
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import javax.imageio.ImageIO
import java.io.File
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.SecureRandom
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.spec.GCMParameterSpec
import javax.crypto.spec.SecretKeySpec

/**
 * A keystore written in Kotlin, so the tests cross the foreign-trait boundary
 * the way the Android Keystore hook does. AES-GCM under [secret]; the same
 * secret reopens the same data, another one behaves like a reset device.
 */
class JvmKeystore(secret: ByteArray = ByteArray(32) { 7 }) : Keystore {
    private val key = SecretKeySpec(secret, "AES")
    private val signing = ConcurrentHashMap<String, KeyPair>()
    var calls = 0
        private set

    override fun wrapKey(alias: String, key: ByteArray): ByteArray {
        calls++
        val iv = ByteArray(12).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, this.key, GCMParameterSpec(128, iv))
        cipher.updateAAD(alias.toByteArray())
        return iv + cipher.doFinal(key)
    }

    override fun unwrapKey(alias: String, wrapped: ByteArray): ByteArray {
        calls++
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped, 0, 12))
        cipher.updateAAD(alias.toByteArray())
        try {
            return cipher.doFinal(wrapped, 12, wrapped.size - 12)
        } catch (e: AEADBadTagException) {
            throw HookException.KeyInvalidated()
        }
    }

    override fun devicePublicKey(alias: String): ByteArray = pair(alias).public.encoded

    override fun sign(alias: String, message: ByteArray): ByteArray =
        Signature.getInstance("SHA256withECDSA").run {
            initSign(pair(alias).private)
            update(message)
            sign()
        }

    override fun deleteKey(alias: String) {
        signing.remove(alias)
    }

    private fun pair(alias: String): KeyPair = signing.getOrPut(alias) {
        KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec("secp256r1")) }.generateKeyPair()
    }
}

/** An app lock that answers every prompt with [outcome]. */
class JvmAppLock(
    var outcome: AppLockOutcome = AppLockOutcome.UNLOCKED,
    /** False: a phone with no screen lock, which gets the app PIN. */
    var available: Boolean = true,
) : AppLock {
    var prompts = 0
        private set

    override fun isAvailable() = available

    override fun authenticate(reason: String): AppLockOutcome {
        prompts++
        return outcome
    }
}

/**
 * Starts the reference backend binary on an ephemeral loopback port; with
 * [issuer], it accepts that provider's tokens. Its development routes
 * (under `/v1/dev/`, mounted only with `--dev`) answer only requests that present
 * [DEV_ADMIN_TOKEN], which the backend takes from its environment.
 */
class ReferenceBackend(issuer: String? = null) : AutoCloseable {
    private val process: Process
    val baseUrl: String

    init {
        val bin = System.getProperty("palmgov.server.bin") ?: error("palmgov.server.bin is not set")
        val args = listOf(bin, "--listen", "127.0.0.1:0", "--dev") +
            (issuer?.let { listOf("--issuer", it) } ?: emptyList())
        process = ProcessBuilder(args)
            .redirectErrorStream(true)
            .apply { environment()[DEV_ADMIN_TOKEN_ENV] = DEV_ADMIN_TOKEN }
            .start()
        val output = process.inputStream.bufferedReader()
        val line = output.readLine() ?: error("the backend exited at start")
        // Keep draining, so a later log line never blocks the backend on a full pipe.
        Thread { output.forEachLine { } }.apply { isDaemon = true }.start()
        baseUrl = line.substringAfter(" on ").substringBefore(' ').trim()
        check(baseUrl.startsWith("http://127.0.0.1:")) { "unexpected backend banner: $line" }
    }

    /**
     * Stands in for the township: assigns [worker] the first [households] of
     * the backend's sample village, families with their members
     * (`PUT /v1/dev/roster/{worker}`).
     */
    fun assignSampleRoster(worker: String, households: Int) {
        val status = dev("PUT", "v1/dev/roster/$worker", """{"sample":$households}""")
        check(status == 200) { "roster assignment: $status" }
    }

    /** Stands in for a caseworker moving a case on (`POST /v1/dev/applications/{id}/status`). */
    fun setStatus(instanceId: String, status: String) {
        val answer = dev("POST", "v1/dev/applications/$instanceId/status", """{"status":"$status"}""")
        check(answer == 200) { "status change: $answer" }
    }

    /**
     * Stands in for the licence's issuer: sets its status to `valid`,
     * `revoked` or `suspended` (`POST /v1/dev/licences/status`). The app sees
     * it once it fetches the status lists again.
     */
    fun setLicenceStatus(licenceId: String, status: String) {
        val answer = dev("POST", "v1/dev/licences/status", """{"licence_id":"$licenceId","status":"$status"}""")
        check(answer == 200) { "licence status change: $answer" }
    }

    /**
     * Stands in for the region's registration of a kiosk: puts [jwk] (the
     * kiosk core's `verifierKey()`) on the trust list as verifier [id],
     * named [name], allowed to ask for [asks]
     * (`POST /v1/dev/wallet/verifiers`).
     */
    fun registerVerifier(id: String, name: String, jwk: String, asks: List<String>) {
        val list = asks.joinToString(",") { "\"$it\"" }
        val answer = dev("POST", "v1/dev/wallet/verifiers", """{"id":"$id","name":"$name","jwk":$jwk,"asks":[$list]}""")
        check(answer == 200) { "verifier registration: $answer" }
    }

    /** One JSON request to a development route with [token]; its HTTP status. */
    fun dev(method: String, path: String, body: String, token: String? = DEV_ADMIN_TOKEN): Int {
        val c = java.net.URI("$baseUrl$path").toURL().openConnection() as java.net.HttpURLConnection
        c.requestMethod = method
        c.doOutput = true
        c.setRequestProperty("content-type", "application/json")
        token?.let { c.setRequestProperty("authorization", "Bearer $it") }
        c.outputStream.use { it.write(body.toByteArray()) }
        return c.responseCode.also { c.disconnect() }
    }

    override fun close() {
        process.destroy()
        process.waitFor(5, TimeUnit.SECONDS)
    }

    companion object {
        /** Where `--dev` takes the admin token from (else it makes one and prints it). */
        const val DEV_ADMIN_TOKEN_ENV = "PALMGOV_DEV_ADMIN_TOKEN"

        /** The development routes' admin token in these tests: at least 32 characters, as the backend requires. */
        const val DEV_ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
    }
}

/**
 * The reference backend's test root keys (server/src/wallet.rs, `ROOT_SEEDS`:
 * Ed25519 from the seeds 0xA1×32, 0xA2×32 and 0xA3×32), as public JWKs. Test
 * keys only: an app pins its region's own roots.
 */
val TEST_WALLET_ROOTS = listOf(
    """{"kty":"OKP","crv":"Ed25519","x":"vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU"}""",
    """{"kty":"OKP","crv":"Ed25519","x":"Zej5sLxurhJBafBXb5c2LSlajPX3cLReFDV85kfTPuw"}""",
    """{"kty":"OKP","crv":"Ed25519","x":"rPErSswcZgqDJq7TQDnvtyil5JZIgkD1CpMqt6ulF1E"}""",
)

/** The wallet of an app built against the reference backend: its test roots, two of three must sign. */
fun testWalletConfig(): WalletConfig = WalletConfig(trustRoots = TEST_WALLET_ROOTS, trustThreshold = 2u)

fun tempDir(): File = kotlin.io.path.createTempDirectory("palmgov-test").toFile()

/** A frame as a phone camera hands it over: a full-size JPEG. */
fun cameraFrame(width: Int, height: Int): ByteArray {
    val image = BufferedImage(width, height, BufferedImage.TYPE_INT_RGB)
    image.createGraphics().apply {
        color = Color(200, 160, 120)
        fillRect(0, 0, width, height)
        dispose()
    }
    return ByteArrayOutputStream().also { ImageIO.write(image, "jpg", it) }.toByteArray()
}

/**
 * Stands in for a caseworker asking for materials by a date (补正): sets
 * application [instanceId] to `correction_required`, due at [dueAtMs], with
 * [materials] as the caseworker wrote them
 * (`POST /v1/dev/applications/{id}/status`).
 */
fun ReferenceBackend.requestCorrection(instanceId: String, dueAtMs: Long, materials: List<String>) {
    val list = materials.joinToString(",") { "\"$it\"" }
    val body = """{"status":"correction_required","due_at_ms":$dueAtMs,"requested_materials":[$list]}"""
    val answer = dev("POST", "v1/dev/applications/$instanceId/status", body)
    check(answer == 200) { "correction request: $answer" }
}

/**
 * The OS's pending notifications in memory, for [RemindersClient.reconcile]:
 * [fire] is the OS showing one, [drop] a vendor's power manager cancelling
 * one.
 */
class FakeReminderScheduler(override val capacity: UInt = 64u) : ReminderScheduler {
    /** What the OS holds, by id. */
    val held = linkedMapOf<String, Reminder>()
    private val unreported = mutableListOf<String>()

    override fun pending(): List<String> = held.keys.toList()

    override fun schedule(reminder: Reminder) {
        held[reminder.id] = reminder
    }

    override fun cancel(id: String) {
        held.remove(id)
    }

    override fun shown(): List<String> = unreported.toList()

    override fun reported(ids: List<String>) {
        unreported.removeAll(ids)
    }

    /** The OS shows reminder [id]: no longer held, and shown for the next reconcile to report. */
    fun fire(id: String) {
        checkNotNull(held.remove(id)) { "$id is not held" }
        unreported += id
    }

    /** A vendor's power manager cancels reminder [id]. */
    fun drop(id: String) {
        checkNotNull(held.remove(id)) { "$id is not held" }
    }
}
