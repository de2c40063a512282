package org.palmgov

import java.io.File
import java.net.ServerSocket
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PalmGovClientTest {
    private lateinit var backend: ReferenceBackend

    @BeforeAll
    fun startBackend() {
        backend = ReferenceBackend()
    }

    @AfterAll
    fun stopBackend() = backend.close()

    private fun open(
        dir: File,
        keystore: Keystore = JvmKeystore(),
        url: String = backend.baseUrl,
        sink: LogSink? = null,
        lock: AppLock = JvmAppLock(),
    ) = PalmGovClient.open(dir, PalmGovClient.serverConfig(url), keystore, lock, sink)

    /** A phone with no screen lock is not an open door: the app PIN stands in. */
    @Test
    fun `a phone without a screen lock gets the app PIN`() = runBlocking<Unit> {
        open(tempDir(), lock = JvmAppLock(available = false)).use { core ->
            assertEquals(LockMethod.APP_PIN_NOT_SET, core.lockStatus().method)
            assertFailsWith<PalmGovException.Locked> { core.secureStore.list("profile") }
            assertFailsWith<PalmGovException.PinRequired> { core.unlock("test") }
            core.setAppPin("285714")
            core.secureStore.list("profile")
            core.lock()
            val wrong = assertFailsWith<PalmGovException.WrongPin> { core.unlockWithPin("000001") }
            assertEquals(0u, wrong.retryAfterSecs)
            core.unlockWithPin("285714")
            assertTrue(core.isUnlocked)
            assertEquals(300_000uL, core.lockStatus().idleTimeoutMs)
        }
    }

    /** The foundation's end-to-end path: Kotlin → bindings → Rust → SQLite and HTTP → back. */
    @Test
    fun `stores encrypted data, calls the backend, and survives a reopen`() = runBlocking<Unit> {
        val dir = tempDir()
        val keystore = JvmKeystore()
        val secret = "110101199003074258 张三 token=abc".toByteArray()
        open(dir, keystore).use { core ->
            core.unlock("test")
            core.secureStore.put("profile", "id", secret)
            assertContentEquals(secret, core.secureStore.get("profile", "id"))

            val health = core.region.serverHealth()
            assertEquals("ok", health.status)
            assertEquals(1u, health.apiVersion)
            assertNotNull(health.clockOffsetMs)

            val region = core.region.refreshConfig()
            assertEquals("330106", region.regionCode)

            // Neither the database nor its WAL holds the plaintext.
            dir.walkTopDown().filter { it.isFile }.forEach { file ->
                val bytes = file.readBytes()
                assertTrue(!bytes.containsSlice(secret), "plaintext found in ${file.name}")
            }
        }
        assertTrue(keystore.calls > 0, "the Kotlin keystore hook was used")
        open(dir, keystore, url = "http://127.0.0.1:9/").use { core ->
            // The app's own records are behind the app lock; the region's
            // configuration is not personal.
            assertFailsWith<PalmGovException.Locked> { core.secureStore.get("profile", "id") }
            assertEquals("330106", core.region.cachedConfig()?.regionCode)
            core.unlock("test")
            assertContentEquals(secret, core.secureStore.get("profile", "id"))
            val entries = core.secureStore.list("profile")
            assertEquals(listOf("id"), entries.map { it.key })
        }
    }

    @Test
    fun `a wrong key, a corrupt database and an unwritable directory are distinct errors`() {
        val dir = tempDir()
        open(dir).use {
            runBlocking {
                it.unlock("test")
                it.secureStore.put("n", "k", byteArrayOf(1))
            }
        }
        val wrong = assertFailsWith<PalmGovException.WrongKey> { open(dir, JvmKeystore(ByteArray(32) { 9 })) }
        assertEquals("storage.wrong_key", wrong.code)

        val corrupt = tempDir()
        File(corrupt, "palmgov.db").writeBytes(ByteArray(8192) { 0x5a })
        val e = assertFailsWith<PalmGovException.CorruptDatabase> { open(corrupt) }
        assertEquals("storage.corrupt", e.code)
        assertEquals(8192, File(corrupt, "palmgov.db").length(), "a corrupt database is kept, not recreated")

        // Tests run as root, so chmod proves nothing: put a file where the directory should be.
        val blocker = File(tempDir(), "data").apply { writeText("not a directory") }
        val u = assertFailsWith<PalmGovException.DataDirUnwritable> { open(blocker) }
        assertEquals("storage.dir_unwritable", u.code)
    }

    /** An error the core added reaches Kotlin with its own code and sentences, in every language. */
    @Test
    fun `a wrong phone clock has its own code and message`() {
        val e = PalmGovException.ClockWrong()
        assertEquals("identity.clock_wrong", e.code)
        val sentences = listOf("en", "zh-Hans", "zh-Hant", "ug").map { e.message(it) }
        assertTrue(sentences.none { it.isBlank() || "clock_wrong" in it }, sentences.toString())
        assertEquals(sentences.size, sentences.toSet().size, sentences.toString())
    }

    /** The development routes read and change every resident's data: only the admin token opens them. */
    @Test
    fun `the backend's development routes need its admin token`() {
        val body = """{"sample":1}"""
        assertEquals(401, backend.dev("PUT", "v1/dev/roster/grid-7", body, token = null))
        assertEquals(401, backend.dev("PUT", "v1/dev/roster/grid-7", body, token = ReferenceBackend.DEV_ADMIN_TOKEN + "0"))
        assertEquals(200, backend.dev("PUT", "v1/dev/roster/grid-7", body))
    }

    @Test
    fun `a panic inside the core reaches Kotlin as an exception`() = runBlocking<Unit> {
        open(tempDir()).use { core ->
            val sync = assertFailsWith<Exception> { core.diagnosticsPanic() }
            assertTrue(sync.message.orEmpty().contains("diagnostics panic"), "got: $sync")
            val async = assertFailsWith<PalmGovException.Internal> { core.diagnosticsPanicAsync() }
            assertEquals("internal", async.code)
            // The core still works after both panics.
            core.unlock("test")
            core.secureStore.put("n", "k", byteArrayOf(2))
            assertContentEquals(byteArrayOf(2), core.secureStore.get("n", "k"))
        }
    }

    @Test
    fun `network failures are typed and cancellation reaches the core`() = runBlocking<Unit> {
        open(tempDir(), url = "http://127.0.0.1:9/").use { core ->
            assertFailsWith<PalmGovException.Offline> { core.region.serverHealth() }
        }
        // A server that accepts and never answers: coroutine cancellation must
        // end the call long before the core's own 30 s request timeout.
        ServerSocket(0).use { silent ->
            open(tempDir(), url = "http://127.0.0.1:${silent.localPort}/").use { core ->
                val started = System.nanoTime()
                assertFailsWith<TimeoutCancellationException> { withTimeout(300) { core.region.serverHealth() } }
                val elapsedMs = (System.nanoTime() - started) / 1_000_000
                assertTrue(elapsedMs < 5_000, "cancellation took $elapsedMs ms")
            }
        }
    }

    @Test
    fun `the app lock gates unlock and logs arrive as a Flow`() = runBlocking<Unit> {
        val sink = FlowLogSink()
        val lock = JvmAppLock(AppLockOutcome.DENIED)
        PalmGovClient.open(tempDir(), PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(), lock, sink).use { core ->
            assertFailsWith<PalmGovException.Locked> { core.unlock("test") }
            assertTrue(!core.isUnlocked)
            lock.outcome = AppLockOutcome.UNLOCKED
            core.unlock("test")
            assertTrue(core.isUnlocked)
            assertEquals(2, lock.prompts)
            val opened = withTimeout(5_000) { sink.records.first { it.message.contains("core opened") } }
            assertEquals(LogLevel.INFO, opened.level)
        }
    }

    @Test
    fun `close is idempotent and later calls throw instead of crashing`() {
        val core = open(tempDir())
        core.close()
        core.close()
        assertFailsWith<IllegalStateException> { core.isUnlocked }
    }
}

private fun ByteArray.containsSlice(needle: ByteArray): Boolean {
    if (needle.isEmpty() || needle.size > size) return false
    outer@ for (i in 0..size - needle.size) {
        for (j in needle.indices) if (this[i + j] != needle[j]) continue@outer
        return true
    }
    return false
}
