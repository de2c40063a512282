package org.palmgov

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * The service catalog (办事指南) and reminders through the Kotlin layer,
 * against the reference backend, which serves the demo region's catalog
 * (regions/330106/catalog) by content hash. A core opened without a region
 * profile fetches it unpinned; it is then searched offline by initials
 * (`sfz`) and by an everyday word (低保), and a resident's wallet covers the
 * ID card a service asks for while the rest is to bring or photograph.
 *
 * Reminders: a caseworker asks for materials by a date (补正) on an
 * application the resident sent; after a sync, a reconcile against an
 * in-memory OS schedules the status change and the due-date reminders; a
 * second one changes nothing; a reminder a vendor's power manager dropped
 * is set again; one the OS showed is reported and not set again; and a
 * time-zone change moves every reminder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServicesTest {
    private lateinit var provider: TestProvider
    private lateinit var backend: ReferenceBackend

    @BeforeAll
    fun start() {
        provider = TestProvider()
        backend = ReferenceBackend(provider.issuer)
    }

    @AfterAll
    fun stop() {
        backend.close()
        provider.close()
    }

    /** Alice (陈丽华), signed in on a core of her own, unlocked. */
    private suspend fun resident(): PalmGovClient = PalmGovClient.open(
        tempDir(), PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(), JvmAppLock(),
        identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
        wallet = testWalletConfig(),
    ).also {
        it.unlock("test")
        it.identity.login(HeadlessBrowser("alice"))
    }

    @Test
    fun `the catalog is fetched, searched offline, and the wallet covers what it can`() = runBlocking<Unit> {
        resident().use { core ->
            assertNull(core.services.status())
            assertFailsWith<PalmGovException.CatalogMissing> { core.services.search("sfz", "zh-Hans") }

            val first = core.services.update()
            assertTrue(first.updated && first.chunksFetched > 0u, first.toString())
            val status = assertNotNull(first.status)
            assertEquals("330106", status.regionCode)
            assertTrue(status.services > 0u && !status.outdated, status.toString())
            assertEquals(status, core.services.status())
            // The same manifest again: nothing taken, no chunk fetched.
            val again = core.services.update()
            assertTrue(!again.updated && again.chunksFetched == 0u, again.toString())

            // Initials (which the region's catalog also lists as an everyday
            // word for 居民身份证): an ID card service, 身份证 highlighted.
            val sfz = core.services.search("sfz", "zh-Hans", 3u)
            val card = assertNotNull(sfz.firstOrNull { "居民身份证" in it.name }, sfz.toString())
            assertTrue(card.matched == MatchKind.INITIALS || card.matched == MatchKind.SYNONYM, card.toString())
            val marked = card.highlightRanges().map { card.name.substring(it) }
            assertTrue(marked.any { "身份证" in it }, marked.toString())

            // An everyday word for the official term.
            val dibao = core.services.search("低保", "zh-Hans", 3u).first()
            assertTrue("最低生活保障" in dibao.name, dibao.toString())
            assertEquals(MatchKind.SYNONYM, dibao.matched)
            assertEquals("最低生活保障", dibao.matchedTerm)

            // The catalog is public: found and read while the app is locked.
            core.lock()
            assertTrue(core.services.search("低保", "zh-Hans").isNotEmpty())
            assertEquals(dibao.code, core.services.show(dibao.code, "zh-Hans").code)
            assertFailsWith<PalmGovException.Locked> { core.services.needs(dibao.code, "zh-Hans") }
            core.unlock("test")

            // Her licences: the ID card among them.
            core.wallet.refresh()
            assertTrue(core.wallet.licences("zh-Hans").any { it.licenceType == "id_card" })

            // A service asking for the ID card and something no licence is.
            val guide = core.services.search("居住登记", "zh-Hans", 10u)
                .map { core.services.show(it.code, "zh-Hans") }
                .first { g ->
                    g.materials.any { it.licenceType == "id_card" } &&
                        g.materials.any { it.licenceType == null && !it.answeredByForm }
                }
            val needs = core.services.needs(guide.code, "zh-Hans")
            assertEquals(guide.code, needs.code)
            assertEquals(guide.materials, needs.materials.map { it.material })
            val id = needs.materials.first { it.material.licenceType == "id_card" }
            assertEquals(MaterialSource.IN_WALLET, id.source, needs.toString())
            assertTrue(
                needs.materials.any { it.source == MaterialSource.BRING || it.source == MaterialSource.PHOTOGRAPH },
                needs.toString(),
            )
            assertEquals(needs.materials.size.toUInt(), needs.covered + needs.outstanding)
            assertTrue(needs.outstanding > 0u)
            assertFailsWith<PalmGovException.NotFound> { core.services.show("no-such-service", "en") }
        }
    }

    @Test
    fun `a correction request becomes reminders that a reconcile keeps in the OS`() = runBlocking<Unit> {
        resident().use { core ->
            core.wallet.refresh()
            val instanceId = submit(core)
            val link = "applications/$instanceId"
            val os = FakeReminderScheduler()
            fun ours(reminders: List<Reminder>) = reminders.filter { it.deepLink == link }

            // Sent from this phone: no news, nothing to remind of.
            assertTrue(ours(core.reminders.reconcile(os, "zh-Hans", BEIJING).due).isEmpty())

            // The caseworker asks for materials within ten days; a sync hears of it.
            val dueAt = System.currentTimeMillis() + 10 * DAY
            backend.requestCorrection(instanceId, dueAt, listOf("户口簿首页复印件"))
            val done = assertIs<SyncUpdate.Done>(core.outbox.sync().toList().last())
            assertEquals(1u, done.report.applicationsChanged, done.report.toString())

            val plan = core.reminders.reconcile(os, "zh-Hans", BEIJING)
            val mine = ours(plan.schedule)
            assertEquals(
                listOf(ReminderKind.STATUS_CHANGED, ReminderKind.MATERIALS_DUE, ReminderKind.MATERIALS_DUE),
                mine.map { it.kind },
                plan.toString(),
            )
            assertTrue(plan.cancel.isEmpty())
            assertEquals(plan.due.map { it.id }.toSet(), os.pending().toSet())
            val (status, threeDays, oneDay) = mine
            assertEquals("办件进度更新", status.title)
            assertEquals("补正材料提醒", threeDays.title)
            assertEquals("一项申请需在 3 天内补正材料。", threeDays.body)
            assertEquals("一项申请需在 1 天内补正材料。", oneDay.body)
            // Due-date reminders at 09:00 Beijing time, before the date.
            for (r in listOf(threeDays, oneDay)) {
                assertEquals(9 * HOUR, Math.floorMod(r.atMs + BEIJING * 60_000L, DAY), r.toString())
                assertTrue(r.atMs < dueAt)
            }
            // Lock screens show them: nothing of hers, nor the application's id.
            for (r in mine) {
                assertFalse("陈丽华" in r.title + r.body || instanceId in r.title + r.body, r.toString())
            }

            // Again: nothing to change.
            val again = core.reminders.reconcile(os, "zh-Hans", BEIJING)
            assertTrue(again.schedule.isEmpty() && again.cancel.isEmpty(), again.toString())

            // A vendor's power manager drops one: the next reconcile sets it again.
            os.drop(threeDays.id)
            val back = core.reminders.reconcile(os, "zh-Hans", BEIJING)
            assertEquals(listOf(threeDays.id), back.schedule.map { it.id })
            assertTrue(back.cancel.isEmpty())
            assertEquals(plan.due.map { it.id }.toSet(), os.pending().toSet())

            // The OS shows the status reminder: reported, and not set again.
            os.fire(status.id)
            val shown = core.reminders.reconcile(os, "zh-Hans", BEIJING)
            assertTrue(shown.schedule.isEmpty() && shown.cancel.isEmpty(), shown.toString())
            assertTrue(os.shown().isEmpty(), "reported")
            assertTrue(ours(shown.due).none { it.id == status.id })

            // The phone moves to UTC: the same reminders (their ids name the
            // event, not the time), each set again, now at 09:00 UTC.
            val moved = core.reminders.reconcile(os, "zh-Hans", 0, replace = true)
            assertEquals(shown.due.map { it.id }, moved.schedule.map { it.id })
            assertTrue(moved.cancel.isEmpty())
            val movedDue = ours(moved.schedule).first { it.id == threeDays.id }
            assertEquals(9 * HOUR, Math.floorMod(movedDue.atMs, DAY), movedDue.toString())
            assertTrue(movedDue.atMs != threeDays.atMs)
            assertEquals(movedDue, os.held[threeDays.id])
        }
    }

    /** Her residence certificate application, finalized and delivered; its instance id. */
    private suspend fun submit(core: PalmGovClient): String {
        core.drafts.refreshForms("zh-Hans")
        val draftId = core.drafts.createDraft("residence-certificate", language = "zh-Hans").summary.id
        val offer = core.drafts.licenceOffer(draftId, "household_register", "zh-Hans")
        core.drafts.attachLicence(draftId, "household_register", offer.licences.first().licenceId, "zh-Hans")
        core.drafts.saveAnswer(draftId, "certificate_use", "\"school\"")
        val outcome = core.drafts.finalizeDraft(draftId)
        assertTrue(outcome.issues.isEmpty(), outcome.issues.toString())
        val done = assertIs<SyncUpdate.Done>(core.outbox.sync().toList().last())
        assertEquals(1u, done.report.delivered, done.report.toString())
        return assertNotNull(outcome.instanceId)
    }

    private companion object {
        const val REDIRECT = "org.palmgov.app:/oauth2redirect"

        /** UTC+8, minutes. */
        const val BEIJING = 480
        const val HOUR = 3_600_000L
        const val DAY = 24 * HOUR
    }
}
