package org.palmgov

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.measureTime
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.test.testTimeSource
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * The e-licence wallet through the Kotlin layer, mirroring the Rust system
 * test (tests/tests/wallet.rs): the reference backend issues a resident's
 * licences bound to this phone, under a trust list its test roots signed
 * (pinned here, two of three); the core checks them offline; a suspension
 * shows once the status lists are fetched again, and a reinstatement too;
 * sign-out takes the licences with it. A licence shown as a QR code (亮证)
 * is checked offline by a second core in verifier mode, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletTest {
    private lateinit var provider: TestProvider

    @BeforeAll
    fun start() {
        provider = TestProvider()
    }

    @AfterAll
    fun stop() = provider.close()

    @Test
    fun `a resident's licences are fetched, checked offline, suspended, reinstated and gone with sign-out`() = runBlocking<Unit> {
        ReferenceBackend(provider.issuer).use { backend ->
            PalmGovClient.open(
                tempDir(), PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(), JvmAppLock(),
                identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                wallet = testWalletConfig(),
            ).use { core ->
                core.unlock("test")
                core.identity.login(HeadlessBrowser("alice"))

                val report = core.wallet.refresh()
                assertEquals(WalletRefresh(fetched = 4u, refused = 0u, kept = 0u), report)
                val list = core.wallet.licences("zh-Hans")
                assertEquals(
                    listOf("id_card", "household_register", "social_security_card", "driving_licence"),
                    list.map { it.licenceType },
                )
                assertTrue(list.all { it.verdict == LicenceVerdict.Valid }, list.toString())
                assertTrue(list.all { it.freshness == LicenceFreshness.CURRENT }, list.toString())
                assertEquals("居民身份证", list[0].displayName)
                assertEquals(
                    "居民身份证",
                    core.wallet.licenceTypes("zh-Hans").single { it.name == "id_card" }.displayName,
                )

                // Her own data, from the SM2-signed ID card; never printed.
                val card = list[0]
                assertTrue(card.id.startsWith("1.2.156.3005.2.11100000000013338W001."), card.id)
                val detail = core.wallet.licence(card.id, "en")
                assertEquals("\"陈丽华\"", detail.claims.single { it.name == "name" }.valueJson)
                assertEquals("\"${card.id}\"", detail.claims.single { it.name == "licence_id" }.valueJson)
                assertTrue("公安厅" in detail.issuer, detail.issuer)
                assertTrue("陈丽华" !in detail.toString(), detail.toString())

                // One phone holds them: this one.
                val devices = core.wallet.devices()
                assertEquals(1, devices.size, devices.toString())
                assertTrue(devices.single().thisDevice && !devices.single().revoked)

                assertEquals(LicenceVerdict.Valid, core.wallet.verifyLicence(card.id))

                // 暂扣: suspended once the status lists are fetched again.
                backend.setLicenceStatus(card.id, "suspended")
                assertEquals(
                    LicenceVerdict.Valid, core.wallet.verifyLicence(card.id),
                    "offline, the list fetched before the suspension still says valid",
                )
                assertTrue(core.wallet.refreshStatus() >= 1u)
                assertEquals(LicenceVerdict.Suspended, core.wallet.verifyLicence(card.id))
                assertEquals(LicenceVerdict.Suspended, core.wallet.licences("en")[0].verdict, "kept in the index")

                // Reinstated.
                backend.setLicenceStatus(card.id, "valid")
                core.wallet.refreshStatus()
                assertEquals(LicenceVerdict.Valid, core.wallet.verifyLicence(card.id))

                // Sign-out takes the licences with the account key: refused
                // while signed out, and none after signing in again until
                // the next refresh.
                core.identity.logout()
                assertFailsWith<PalmGovException.SignInRequired> { core.wallet.licences() }
                core.identity.login(HeadlessBrowser("alice"))
                assertEquals(emptyList(), core.wallet.licences())
                assertFailsWith<PalmGovException.NotFound> { core.wallet.verifyLicence(card.id) }
                assertEquals(4u, core.wallet.refresh().fetched)
                assertEquals(card.id, core.wallet.licences()[0].id)
            }
        }
    }

    @OptIn(ExperimentalCoroutinesApi::class) // runTest's clock: the 30 s between codes pass at once
    @Test
    fun `a licence shown as a QR code is checked offline by a verifier, once`() = runBlocking<Unit> {
        ReferenceBackend(provider.issuer).use { backend ->
            val lock = JvmAppLock()
            PalmGovClient.open(
                tempDir(), PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(), lock,
                identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                wallet = testWalletConfig(),
            ).use { core ->
                core.unlock("test")
                core.identity.login(HeadlessBrowser("alice"))
                core.wallet.refresh()
                val card = core.wallet.licences("en").single { it.licenceType == "id_card" }

                // The verifier (a pharmacy's phone): a core of its own, not
                // signed in; the trust list and the status lists are all
                // it needs.
                PalmGovClient.open(
                    tempDir(), PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(ByteArray(32) { 5 }), JvmAppLock(),
                    identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                    wallet = testWalletConfig(),
                ).use { clerk ->
                    clerk.unlock("test")
                    assertTrue(clerk.wallet.refreshStatus() >= 1u)

                    val prompts = lock.prompts
                    val showing = core.wallet.showLicence(card.id, DisclosureProfile.NAME_AND_AGE_OVER18, reason = "亮证")
                    showing.use {
                        assertEquals(prompts + 1, lock.prompts, "the app lock is asked for every showing")
                        assertEquals("id_card", showing.licenceType)
                        assertEquals(DisclosureProfile.NAME_AND_AGE_OVER18, showing.profile)

                        val code = showing.codes().first()
                        assertTrue(code.payload.startsWith("PG1:"))
                        assertTrue(code.version <= 20u, "version ${code.version}")
                        assertEquals(code.width.toInt() * code.width.toInt(), code.modules.size)
                        assertEquals(listOf("name", "age_over_18"), code.claims)
                        assertEquals(30_000, code.refreshAtMs - code.madeAtMs)
                        // The finder patterns: dark corners, a light ring inside,
                        // a dark centre, a light separator; row 0 at the top.
                        val last = code.width.toInt() - 1
                        assertTrue(code.isDark(0, 0) && code.isDark(last, 0) && code.isDark(0, last))
                        assertTrue(!code.isDark(1, 1) && code.isDark(3, 3) && !code.isDark(7, 7))
                        assertFailsWith<IllegalArgumentException> { code.isDark(last + 1, 0) }
                        assertEquals(4, LicenceQr.quietZone)

                        val check = clerk.wallet.checkPresentation(code.payload, "zh-Hans")
                        assertEquals(LicenceVerdict.Valid, check.verdict)
                        assertEquals("居民身份证", check.displayName)
                        assertEquals(
                            listOf("name" to "\"陈丽华\"", "age_over_18" to "true"),
                            check.claims.map { it.name to it.valueJson },
                        )

                        // The same code again: a photo of the screen, a relay.
                        val again = clerk.wallet.checkPresentation(code.payload, "en")
                        assertEquals(LicenceVerdict.Invalid("presentation.replayed"), again.verdict)
                        assertTrue(again.claims.isEmpty(), "a refused code shows nothing")

                        // The next code comes at the one on screen's refreshAtMs:
                        // under virtual time the 30 s pass at once. Each code is a
                        // new presentation, which the verifier takes.
                        val next = mutableListOf<LicenceQr>()
                        var waited = Duration.ZERO
                        runTest {
                            waited = testTimeSource.measureTime { next += showing.codes().take(2).toList() }
                        }
                        assertTrue(waited > 20.seconds && waited <= 30.seconds, "waited $waited")
                        assertEquals(3, listOf(code, next[0], next[1]).map { it.payload }.toSet().size)
                        assertEquals(LicenceVerdict.Valid, clerk.wallet.checkPresentation(next[1].payload, "en").verdict)
                    }
                    assertFailsWith<IllegalStateException>("closed, the showing is gone") { showing.code() }
                }

                val history = core.wallet.history()
                assertEquals(1, history.size, "one record per showing, not per code")
                val shown = history.single()
                assertEquals(card.id, shown.licenceId)
                assertEquals("id_card", shown.licenceType)
                assertEquals(DisclosureProfile.NAME_AND_AGE_OVER18, shown.profile)
                assertEquals(listOf("name", "age_over_18"), shown.claims)
                assertNull(shown.verifier)

                // Everything printed on the licence needs the person's explicit
                // confirmation: refused before the lock is asked, and not recorded.
                val prompts = lock.prompts
                val refused = assertFailsWith<PalmGovException.InvalidInput> {
                    core.wallet.showLicence(card.id, DisclosureProfile.FULL, reason = "亮证")
                }
                assertEquals("confirm_full", refused.field)
                assertEquals(prompts, lock.prompts)
                assertEquals(1, core.wallet.history().size)
            }
        }
    }

    @Test
    fun `a kiosk's signed request is answered with exactly what it asks, once`() = runBlocking<Unit> {
        ReferenceBackend(provider.issuer).use { backend ->
            fun open(keystore: JvmKeystore) = PalmGovClient.open(
                tempDir(), PalmGovClient.serverConfig(backend.baseUrl), keystore, JvmAppLock(),
                identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                wallet = testWalletConfig(),
            )
            open(JvmKeystore()).use { core ->
                open(JvmKeystore(ByteArray(32) { 6 })).use { kiosk ->
                    kiosk.unlock("test")
                    val hall = "urn:palmgov:verifier:330106:xihu-service-hall"
                    backend.registerVerifier(hall, "西湖区行政服务中心", kiosk.wallet.verifierKey(), listOf("name", "id_number_last4"))
                    kiosk.wallet.refreshStatus()

                    core.unlock("test")
                    core.identity.login(HeadlessBrowser("alice"))
                    core.wallet.refresh()
                    val card = core.wallet.licences("en").single { it.licenceType == "id_card" }

                    val asks = listOf("name", "id_number_last4")
                    val request = kiosk.wallet.openRequest(hall, asks)
                    val read = core.wallet.readRequest(request.qr().payload)
                    assertEquals("西湖区行政服务中心", read.verifierName)
                    assertEquals(asks, read.asks)
                    val answer = core.wallet.showLicenceFor(card.id, read.payload, reason = "亮证").use { it.code() }
                    assertEquals(asks, answer.claims)

                    // Made for this request: a one-way check refuses it (a relay).
                    assertEquals(
                        LicenceVerdict.Invalid("presentation.unexpected_request"),
                        kiosk.wallet.checkPresentation(answer.payload, "en").verdict,
                    )
                    val check = request.check(answer.payload, "zh-Hans")
                    assertEquals(LicenceVerdict.Valid, check.verdict)
                    assertEquals(
                        listOf("name" to "\"陈丽华\"", "id_number_last4" to "\"0221\""),
                        check.claims.map { it.name to it.valueJson },
                    )
                    assertEquals(LicenceVerdict.Invalid("presentation.replayed"), request.check(answer.payload, "en").verdict)
                    assertEquals("西湖区行政服务中心", core.wallet.history().first().verifier)
                }
            }
        }
    }

    @Test
    fun `without a wallet configuration the wallet refuses`() = runBlocking<Unit> {
        PalmGovClient.open(
            tempDir(), PalmGovClient.serverConfig("http://127.0.0.1:9/"), JvmKeystore(), JvmAppLock(),
            identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
        ).use { core ->
            core.unlock("test")
            core.identity.login(HeadlessBrowser("alice"))
            val refused = assertFailsWith<PalmGovException.InvalidInput> { core.wallet.refreshStatus() }
            assertTrue(refused.field.startsWith("wallet"), refused.field)
        }
    }

    private companion object {
        const val REDIRECT = "org.palmgov.app:/oauth2redirect"
    }
}
