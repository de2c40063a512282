package org.palmgov

import java.io.File
import java.net.HttpURLConnection
import java.net.URI
import java.time.LocalDate
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * Signed region profiles through the Kotlin layer, mirroring
 * tests/tests/region.rs: a region build's core starts on its bundled
 * profile, verified offline; a rolled-back profile and one signed by too
 * few distinct keys are refused with a typed error and the profile in
 * force stays; and a profile that moves the region to a new backend and a
 * new provider is applied to the open core, after which a visit queued
 * before the switch is delivered to the new backend once the worker signs
 * in there (her new account takes over the old one's queue: both
 * providers vouch for the same ID number).
 *
 * The profiles are signed by the region tools (`palmgov region sign`) with
 * the test keys in regions/keys/test/, which the test build pins.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionTest {
    private lateinit var oldProvider: TestProvider
    private lateinit var newProvider: TestProvider
    private lateinit var oldBackend: ReferenceBackend
    private lateinit var newBackend: ReferenceBackend

    @BeforeAll
    fun start() {
        oldProvider = TestProvider()
        newProvider = TestProvider()
        oldBackend = ReferenceBackend(oldProvider.issuer)
        newBackend = ReferenceBackend(newProvider.issuer)
    }

    @AfterAll
    fun stop() {
        listOf(oldBackend, newBackend, oldProvider, newProvider).forEach { it.close() }
    }

    @Test
    fun `the bundled profile is verified at open, and a rollback or too few keys are refused`() = runBlocking<Unit> {
        val v2 = sign(body(oldBackend, oldProvider), version = 2)
        RegionCore.open(tempDir(), v2).use { core ->
            val status = assertNotNull(core.region.profileStatus("en"))
            assertEquals(2uL, status.version)
            assertEquals(REGION, status.regionCode)
            assertEquals("Test region $REGION", status.regionName)
            assertEquals(oldBackend.baseUrl, status.baseUrl)
            assertEquals(oldProvider.issuer, status.issuer)
            assertTrue(!status.stale && !status.updateRequired, status.toString())

            // The backend serves the same profile: nothing to take.
            oldBackend.serveProfile(v2)
            val same = core.region.refreshProfile("en")
            assertTrue(!same.updated && !same.switched, same.toString())

            // An older profile, validly signed: a rollback.
            oldBackend.serveProfile(sign(body(oldBackend, oldProvider), version = 1))
            val rollback = runCatching { core.region.refreshProfile("en") }.exceptionOrNull()
            assertEquals("profile.rollback", assertIs<PalmGovException.RegionProfileRefused>(rollback).reason)
            assertEquals("region.profile_refused", rollback.code)

            // A newer one signed by one key of the three (two must sign).
            oldBackend.serveProfile(sign(body(oldBackend, oldProvider), version = 3, keys = listOf(1)))
            val oneKey = runCatching { core.region.refreshProfile("en") }.exceptionOrNull()
            assertEquals("profile.threshold_not_met", assertIs<PalmGovException.RegionProfileRefused>(oneKey).reason)

            // A newer one, well signed, for another region than the build's.
            oldBackend.serveProfile(sign(body(oldBackend, oldProvider, region = "653101"), version = 4))
            val other = runCatching { core.region.refreshProfile("en") }.exceptionOrNull()
            assertEquals("profile.other_region", assertIs<PalmGovException.RegionProfileRefused>(other).reason)

            assertEquals(2uL, assertNotNull(core.region.profileStatus("en")).version)
        }
    }

    @Test
    fun `a region switch delivers a queued submission to the new backend`() = runBlocking<Unit> {
        val dir = tempDir()
        val v1 = sign(body(oldBackend, oldProvider), version = 1)
        val instanceId: String
        RegionCore.open(dir, v1).use { core ->
            assertEquals(1uL, assertNotNull(core.region.profileStatus("zh-Hans")).version)
            core.unlock()
            core.identity.login(HeadlessBrowser(WORKER))
            core.drafts.refreshForms("zh-Hans")
            // Finalized, not synced: it waits in the queue.
            instanceId = visit(core.drafts)
            assertIs<SubmissionState.Queued>(core.outbox.submissions().single().state)

            // The region moves to a new backend and a new provider, which
            // succeeds the old one; the old backend serves the profile.
            oldBackend.serveProfile(
                sign(body(newBackend, newProvider, takesOver = listOf(oldProvider.issuer)), version = 2),
            )
            val switched = core.region.refreshProfile("zh-Hans")
            assertTrue(switched.updated && switched.switched && switched.signInRequired, switched.toString())
            assertEquals(2uL, switched.status.version)
            assertEquals(newBackend.baseUrl, switched.status.baseUrl)
            assertEquals(newProvider.issuer, switched.status.issuer)

            // Nobody is signed in at the new provider yet: nothing is sent.
            val waiting = runCatching { core.outbox.sync().toList() }.exceptionOrNull()
            assertIs<PalmGovException.SignInRequired>(waiting)

            // She signs in there, the same person: her new account takes the
            // queue over, and it goes to the new backend, once.
            core.identity.login(HeadlessBrowser(WORKER))
            val done = assertIs<SyncUpdate.Done>(core.outbox.sync().toList().last())
            assertEquals(1u, done.report.delivered)
            assertEquals(listOf(instanceId), newBackend.instanceIds())
            assertEquals(emptyList(), oldBackend.instanceIds(), "sent once, to the new backend")
            assertIs<SubmissionState.Delivered>(core.outbox.submissions().single().state)
            val again = assertIs<SyncUpdate.Done>(core.outbox.sync().toList().last())
            assertEquals(0u, again.report.delivered)
        }
        // Reopened with the same bundled profile (the floor): version 2 stays in force.
        RegionCore.open(dir, v1).use { core ->
            val status = assertNotNull(core.region.profileStatus("en"))
            assertEquals(2uL, status.version)
            assertEquals(newProvider.issuer, status.issuer)
        }
    }

    /** A household visit with a door photo, finalized; its instance id. */
    private suspend fun visit(drafts: DraftsClient): String {
        val view = drafts.createDraft("household-visit", DraftSubject("HH-7", "张三"), language = "en")
        val draftId = view.summary.id
        val member = view.repeats.single().instanceIds.single()
        for ((path, value) in listOf(
            "visit_date" to "\"2026-11-20\"",
            "household_division" to "\"330106001001\"",
            "head_name" to "\"张三\"",
            "head_id_number" to "\"11010519491231002X\"",
            "housing" to "\"owned\"",
            "members/$member/member_name" to "\"张三\"",
            "members/$member/member_age" to "70",
        )) {
            drafts.saveAnswer(draftId, path, value)
        }
        val photo = drafts.registerAttachment(draftId, "door_photo")
        File(photo.capturePath).writeBytes(cameraFrame(640, 480))
        drafts.ingestAttachment(photo.attachmentId)
        val outcome = drafts.finalizeDraft(draftId)
        assertTrue(outcome.issues.isEmpty(), outcome.issues.toString())
        return assertNotNull(outcome.instanceId)
    }

    /**
     * A region build's core: the test profile keys pinned (2 of 3),
     * [bundled] in the app, the shell's server setting a placeholder the
     * profile replaces, and no identity settings of its own (the profile's).
     * The clients are the library's own, over the core's handles.
     */
    private class RegionCore private constructor(private val core: PalmGov) : AutoCloseable {
        private val handles = mutableListOf<AutoCloseable>()

        private fun <H : AutoCloseable> keep(handle: H): H = handle.also { handles += it }

        val identity = IdentityClient(keep(core.identity()))
        val drafts = DraftsClient(keep(core.drafts()))
        val outbox = OutboxClient(keep(core.outbox()))
        val region = RegionClient(keep(core.region()))

        suspend fun unlock() = core.unlock("test")

        override fun close() {
            core.shutdown()
            handles.forEach { it.close() }
            core.destroy()
        }

        companion object {
            fun open(dir: File, bundled: String) = RegionCore(
                PalmGov.open(
                    PalmGovConfig(
                        dataDir = dir.absolutePath,
                        server = PalmGovClient.serverConfig("http://127.0.0.1:9/"),
                        logLevel = LogLevel.WARN,
                        wallet = testWalletConfig(),
                        region = RegionTrust(
                            rootKeys = TEST_PROFILE_ROOTS,
                            threshold = 2u,
                            bundledProfile = bundled,
                            regionCode = REGION,
                            appId = APP_ID,
                            appVersion = "1.0.0",
                        ),
                    ),
                    JvmKeystore(),
                    JvmAppLock(),
                    null,
                ),
            )
        }
    }

    private companion object {
        const val REGION = "330106"
        const val WORKER = "grid-7"
        const val CLIENT_ID = "palmgov-app"
        const val REDIRECT = "org.palmgov.app:/oauth2redirect"

        /** The app id test profiles name (`palmgov_server::region::TEST_APP_ID`). */
        const val APP_ID = "org.palmgov.test"

        /** The repository, found from the provider's directory the build names. */
        val ROOT: File = File(System.getProperty("palmgov.oidc.dir") ?: error("palmgov.oidc.dir is not set"))
            .absoluteFile.parentFile.parentFile

        /** The pin of the catalog the reference backend serves (the demo region's). */
        val CATALOG_PIN: String by lazy {
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(ROOT.resolve("regions/330106/catalog/manifest.json").readBytes())
                .joinToString("") { "%02x".format(it) }
        }

        /**
         * The public JWKs of the test profile keys (regions/keys/test/,
         * pinned by every demo region's profile-root.json). TEST KEYS ONLY.
         */
        val TEST_PROFILE_ROOTS = listOf(
            """{"crv":"P-256","kty":"EC","x":"bxAVLpjvwmwQzPwvq2nl-EH62kPzlVsSFKYfJruCsuQ","y":"WUZdjo6VnGRlS_yh3YrnQeiE1IA6JSnLJBHL728mx5o"}""",
            """{"crv":"P-256","kty":"EC","x":"gpLA_Smnp_nwAwZQF_FS-CuCoTXl4ymiwGkNys-YRkM","y":"XSPhQvAxIMk-d_rIiC9j17ckrg12UfjhpduvNmPSFls"}""",
            """{"crv":"P-256","kty":"EC","x":"rtCnyWOOCmeWjYimQB9tIseNs12lYBFzu-ND3IS1E40","y":"roGAbm-7K931mWB6_Ofaq4-mAZJCdO132VH5Nh8X92E"}""",
        )

        /**
         * A profile body for [region] at [backend], signing in at [provider]
         * (taking over the accounts of [takesOver]), for the test app from
         * 1.0.0, trusting the backend's test licence roots: what
         * `palmgov_server::region::test_profile_body` makes.
         */
        fun body(
            backend: ReferenceBackend,
            provider: TestProvider,
            takesOver: List<String> = emptyList(),
            region: String = REGION,
        ): String {
            fun list(items: List<String>) = items.joinToString(",", "[", "]") { "\"$it\"" }
            val levels = (2..5).map { "urn:palmgov:loa:$it" }
            return """
                {"region": {"code": "$region", "names": {"zh-Hans": "测试地区 $region", "en": "Test region $region"}},
                 "api": {"base_url": "${backend.baseUrl}"},
                 "identity": {"issuer": "${provider.issuer}", "client_id": "$CLIENT_ID", "redirect_uri": "$REDIRECT",
                   "scopes": ["openid", "profile", "offline_access"], "acr_levels": ${list(levels)},
                   "use_dpop": true, "takes_over": ${list(takesOver)}},
                 "services": ["drafts", "roster", "wallet", "secure_store"],
                 "languages": {"offered": ["zh-Hans"], "default": "zh-Hans", "fallback": ["zh-Hans", "en"]},
                 "branding": {"colours": {"primary": "#1B5FAA", "on_primary": "#FFFFFF"}, "hotline": "12345",
                   "names": {"zh-Hans": "掌上办 (test)", "en": "palmgov (test)"}},
                 "catalog": {"url": "v1/catalog", "manifest_sha256": "$CATALOG_PIN"},
                 "reminders": {},
                 "licence_trust": {"roots": ${TEST_WALLET_ROOTS.joinToString(",", "[", "]")}, "threshold": 2},
                 "app": {"ids": ["$APP_ID"], "min_version": "1.0.0"}}
            """.trimIndent()
        }

        /**
         * [body] signed as a region profile at [version], expiring in a year,
         * by the test keys numbered [keys] (1 to 3), with the region tools:
         * `palmgov region sign`, which checks it under the demo regions'
         * pinned root when enough keys sign (and under the signing keys
         * alone, the body only, when fewer do).
         */
        fun sign(body: String, version: Int, keys: List<Int> = listOf(1, 2)): String {
            val dir = kotlin.io.path.createTempDirectory("palmgov-profile").toFile()
            try {
                val bodyFile = File(dir, "profile.body.json").apply { writeText(body) }
                val out = File(dir, "profile.json")
                val palmgov = File(System.getProperty("palmgov.server.bin") ?: error("palmgov.server.bin is not set"))
                    .resolveSibling("palmgov")
                check(palmgov.canExecute()) { "$palmgov is not built (cargo build --workspace)" }
                val args = mutableListOf(
                    palmgov.path, "region", "sign",
                    "--body", bodyFile.path,
                    "--version", version.toString(),
                    "--expires", LocalDate.now().plusYears(1).toString(),
                    "--out", out.path,
                )
                keys.forEach { args += listOf("--key", File(ROOT, "regions/keys/test/region-root-$it.json").path) }
                if (keys.size >= 2) args += listOf("--root", File(ROOT, "regions/$REGION/profile-root.json").path)
                val process = ProcessBuilder(args).redirectErrorStream(true).start()
                val output = process.inputStream.bufferedReader().readText()
                check(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) { "palmgov region sign: $output" }
                return out.readText().trim()
            } finally {
                dir.deleteRecursively()
            }
        }

        /** Serves [profile] from now on (`PUT /v1/dev/region/profile`). */
        fun ReferenceBackend.serveProfile(profile: String) {
            val status = dev("PUT", "v1/dev/region/profile", """{"profile":${jsonString(profile)},"roots":[]}""")
            check(status == 200) { "serving a profile: $status" }
        }

        /** The instance ids of the submissions the backend holds (`GET /v1/dev/submissions`). */
        fun ReferenceBackend.instanceIds(): List<String> {
            val c = URI("${baseUrl}v1/dev/submissions").toURL().openConnection() as HttpURLConnection
            c.setRequestProperty("authorization", "Bearer ${ReferenceBackend.DEV_ADMIN_TOKEN}")
            try {
                check(c.responseCode == 200) { "inventory: ${c.responseCode}" }
                val body = c.inputStream.bufferedReader().readText()
                return Regex("\"instance_id\":\"([^\"]+)\"").findAll(body).map { it.groupValues[1] }.toList()
            } finally {
                c.disconnect()
            }
        }

        /** [text] as a JSON string literal. */
        fun jsonString(text: String): String = buildString {
            append('"')
            for (ch in text) {
                when {
                    ch == '"' -> append("\\\"")
                    ch == '\\' -> append("\\\\")
                    ch < ' ' -> append("\\u%04x".format(ch.code))
                    else -> append(ch)
                }
            }
            append('"')
        }
    }
}
