package org.palmgov

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNotNull
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
 * is checked offline by a second core in verifier mode, once. A licence is
 * form material (申报材料重复使用): attached to the person's own application
 * with their consent, and, on a household visit, the code a resident shows
 * fills the worker's form about them.
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
    fun `attaches a licence to a form and syncs it`() = runBlocking<Unit> {
        ReferenceBackend(provider.issuer).use { backend ->
            PalmGovClient.open(
                tempDir(), PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(), JvmAppLock(),
                identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                wallet = testWalletConfig(),
            ).use { core ->
                core.unlock("test")
                core.identity.login(HeadlessBrowser("alice"))
                core.wallet.refresh()
                val register = core.wallet.licences("en").single { it.licenceType == "household_register" }
                val claims = core.wallet.licence(register.id, "en").claims.associate { it.name to it.valueJson }
                val forms = core.drafts.refreshForms("zh-Hans")
                assertTrue(forms.any { it.formId == "residence-certificate" && it.title == "户籍证明申请" }, forms.toString())

                // Her own application (it names no one): her profile and her
                // household register fill it when it is created.
                val view = core.drafts.createDraft("residence-certificate", language = "zh-Hans")
                val draftId = view.summary.id
                assertEquals(
                    listOf(
                        "applicant_name" to "subject.name",
                        "applicant_id_number" to "subject.id_number",
                        "applicant_phone" to "subject.phone",
                        "registered_address" to "licence.household_register.address",
                        "registered_division" to "licence.household_register.division",
                    ),
                    view.prefilled.map { it.path to it.source },
                )
                val value = { v: DraftView, path: String -> v.fields.single { it.path == path }.valueJson }
                assertEquals(claims.getValue("address"), value(view, "registered_address"))
                assertEquals(claims.getValue("division"), value(view, "registered_division"))
                assertNull(value(view, "household_register"))
                assertTrue(view.licenceUses.isEmpty())

                // The consent screen: what is shared, with whom, why, and her
                // register to pick. Printed, it names no licence.
                val offer = core.drafts.licenceOffer(draftId, "household_register", "zh-Hans")
                assertEquals("household_register", offer.field)
                assertEquals("household_register", offer.licenceType)
                assertEquals("居民户口簿", offer.typeName)
                assertEquals("户籍证明申请", offer.recipient)
                assertEquals("核验户籍，开具户籍证明", offer.purpose)
                assertEquals(listOf("name", "id_number", "address"), offer.claims)
                assertEquals(listOf(register.id), offer.licences.map { it.licenceId })
                assertTrue(register.id !in offer.toString(), offer.toString())

                // Typed by hand, a licence reference is refused: it comes from the wallet.
                val typed = assertFailsWith<PalmGovException.InvalidAnswer> {
                    core.drafts.saveAnswer(
                        draftId, "household_register",
                        """{"type":"household_register","number":"${register.id}"}""",
                    )
                }
                assertEquals("attach_from_wallet", typed.reason)

                // She confirms: attached, with her consent on record.
                val attached = core.drafts.attachLicence(draftId, "household_register", offer.licences.first().licenceId, "zh-Hans")
                assertNotNull(attached.changed.single { it.path == "household_register" }.valueJson)
                core.drafts.saveAnswer(draftId, "certificate_use", "\"school\"")
                val filled = core.drafts.openDraft(draftId, "zh-Hans")
                assertNotNull(value(filled, "household_register"))
                val use = filled.licenceUses.single()
                assertEquals(LicenceUseKind.ATTACHED, use.kind)
                assertEquals("household_register", use.field)
                assertEquals("household_register", use.licenceType)
                assertEquals(offer.claims, use.claims)
                assertEquals("residence-certificate", use.recipient)
                assertEquals(offer.purpose, use.purpose)

                // Finalized, the presentation is bound to the submission; the
                // backend verifies it and takes the application.
                val outcome = core.drafts.finalizeDraft(draftId)
                assertTrue(outcome.issues.isEmpty(), outcome.issues.toString())
                val done = assertIs<SyncUpdate.Done>(core.outbox.sync().toList().last())
                assertEquals(1u, done.report.delivered, done.report.toString())
                val sent = core.outbox.submissions().single()
                assertEquals(outcome.instanceId, sent.instanceId)
                assertIs<SubmissionState.Delivered>(sent.state)
            }
        }
    }

    @Test
    fun `a household visit is filled from the code the resident shows`() = runBlocking<Unit> {
        ReferenceBackend(provider.issuer).use { backend ->
            fun open(keystore: JvmKeystore) = PalmGovClient.open(
                tempDir(), PalmGovClient.serverConfig(backend.baseUrl), keystore, JvmAppLock(),
                identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                wallet = testWalletConfig(),
            )
            open(JvmKeystore()).use { resident ->
                open(JvmKeystore(ByteArray(32) { 9 })).use { worker ->
                    resident.unlock("test")
                    resident.identity.login(HeadlessBrowser("alice"))
                    resident.wallet.refresh()
                    val card = resident.wallet.licences("en").single { it.licenceType == "id_card" }
                    val claims = resident.wallet.licence(card.id, "en").claims.associate { it.name to it.valueJson }

                    // The grid worker's phone: signed in as herself, with the
                    // trust and status lists its verifier mode checks against.
                    worker.unlock("test")
                    worker.identity.login(HeadlessBrowser("grid-7"))
                    assertTrue(worker.wallet.refreshStatus() >= 1u)
                    worker.drafts.refreshForms("zh-Hans")
                    val view = worker.drafts.createDraft("household-visit", DraftSubject(name = "陈丽华"), language = "en")
                    val draftId = view.summary.id

                    // She shows her ID card for a household visit: name, ID number, address.
                    val code = resident.wallet.showLicence(card.id, DisclosureProfile.HOUSEHOLD_VISIT, reason = "入户走访").use { it.code() }
                    assertEquals(listOf("name", "id_number", "address"), code.claims)
                    val shown = worker.drafts.prefillFromLicenceCode(draftId, code.payload, "zh-Hans")
                    assertEquals(LicenceVerdict.Valid, shown.check.verdict)
                    assertEquals("id_card", shown.check.licenceType)
                    assertEquals(
                        listOf("head_name" to "licence.id_card.name", "head_id_number" to "licence.id_card.id_number"),
                        shown.prefilled.map { it.path to it.source },
                    )
                    assertNotNull(shown.effects)
                    val filled = worker.drafts.openDraft(draftId, "en")
                    assertEquals("\"陈丽华\"", filled.fields.single { it.path == "head_name" }.valueJson)
                    assertEquals(claims.getValue("id_number"), filled.fields.single { it.path == "head_id_number" }.valueJson)
                    val use = filled.licenceUses.single()
                    assertEquals(LicenceUseKind.SHOWN, use.kind)
                    assertNull(use.field)
                    assertEquals("id_card", use.licenceType)
                    assertEquals(setOf("name", "id_number", "address"), use.claims.toSet())
                    assertEquals("household-visit", use.recipient)
                    assertTrue(use.purpose.isNotEmpty())

                    // The same code again (a photo of her screen): refused, nothing filled.
                    val again = worker.drafts.prefillFromLicenceCode(draftId, code.payload, "en")
                    assertEquals(LicenceVerdict.Invalid("presentation.replayed"), again.check.verdict)
                    assertTrue(again.prefilled.isEmpty())
                    assertNull(again.effects)
                    assertEquals(1, worker.drafts.openDraft(draftId).licenceUses.size)

                    // A code never fills the worker's own application: her own
                    // licences are for her to attach.
                    val own = worker.drafts.createDraft("subsidy-application", language = "en").summary.id
                    val next = resident.wallet.showLicence(card.id, DisclosureProfile.HOUSEHOLD_VISIT, reason = "入户走访").use { it.code() }
                    val refused = assertFailsWith<PalmGovException.InvalidAnswer> {
                        worker.drafts.prefillFromLicenceCode(own, next.payload, "en")
                    }
                    assertEquals("own_application", refused.reason)
                    worker.drafts.deleteDraft(own)

                    // The visit goes out with her consent on record.
                    val member = view.repeats.single().instanceIds.single()
                    worker.drafts.saveAnswer(draftId, "visit_date", "\"2026-11-20\"")
                    worker.drafts.saveAnswer(draftId, "household_division", "\"330106001001\"")
                    worker.drafts.saveAnswer(draftId, "housing", "\"owned\"")
                    worker.drafts.saveAnswer(draftId, "members/$member/member_name", "\"陈丽华\"")
                    worker.drafts.saveAnswer(draftId, "members/$member/member_age", "39")
                    val outcome = worker.drafts.finalizeDraft(draftId)
                    assertTrue(outcome.issues.isEmpty(), outcome.issues.toString())
                    val done = assertIs<SyncUpdate.Done>(worker.outbox.sync().toList().last())
                    assertEquals(1u, done.report.delivered, done.report.toString())
                    assertIs<SubmissionState.Delivered>(worker.outbox.submissions().single().state)
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
