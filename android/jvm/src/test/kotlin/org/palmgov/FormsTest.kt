package org.palmgov

import java.io.File
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
 * A household visit through the Kotlin layer: the roster with a household
 * added offline, a repeat group and a photo,
 * the core closed and reopened, finalize, and a sync against the reference
 * backend with its progress observed as a Flow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormsTest {
    private lateinit var provider: TestProvider

    @BeforeAll
    fun start() {
        provider = TestProvider()
    }

    @AfterAll
    fun stop() = provider.close()

    @Test
    fun `fill with a repeat and a photo, reopen, finalize, sync as a Flow`() = runBlocking<Unit> {
        ReferenceBackend(provider.issuer).use { backend ->
            val dir = tempDir()
            val open = { d: File ->
                PalmGovClient.open(
                    d, PalmGovClient.serverConfig(backend.baseUrl), JvmKeystore(), JvmAppLock(),
                    identity = PalmGovClient.identityConfig(provider.issuer, "palmgov-app", REDIRECT),
                )
            }
            val draftId: String
            open(dir).use { core ->
                core.unlock("test")
                core.login(HeadlessBrowser("grid-worker"))
                backend.assignSampleRoster("grid-worker", 2)
                val roster = core.refreshRoster()
                assertEquals(listOf(HouseholdOrigin.ASSIGNED, HouseholdOrigin.ASSIGNED), roster.map { it.origin })
                val met = core.addHousehold(NewHousehold(headName = "赵六", division = "330106001001"))
                assertIs<HouseholdSync.Pending>(met.sync)
                val invalid = runCatching { core.addHousehold(NewHousehold(headName = "赵六", division = "339999")) }
                assertIs<PalmGovException.InvalidInput>(invalid.exceptionOrNull())
                val forms = core.refreshForms("zh-Hans")
                assertTrue(forms.any { it.formId == "household-visit" && it.title == "入户走访登记" })

                val view = core.createDraft("household-visit", DraftSubject("HH-7", "张三"), language = "en")
                draftId = view.summary.id
                val first = view.repeats.single().instanceIds.single()
                core.saveAnswer(draftId, "visit_date", "\"2026-11-20\"")
                core.saveAnswer(draftId, "household_division", "\"330106001001\"")
                core.saveAnswer(draftId, "head_name", "\"张三\"")
                core.saveAnswer(draftId, "head_id_number", "\"11010519491231002X\"")
                val rented = core.saveAnswer(draftId, "housing", "\"rented\"", "en")
                val rent = rented.changed.single { it.path == "rent_monthly" }
                assertTrue(rent.relevant && rent.required)
                core.saveAnswer(draftId, "housing", "\"owned\"")
                core.saveAnswer(draftId, "members/$first/member_name", "\"张三\"")
                core.saveAnswer(draftId, "members/$first/member_age", "70")
                val second = core.addRepeatInstance(draftId, "members").instanceId
                core.saveAnswer(draftId, "members/$second/member_name", "\"李四\"")
                val effects = core.saveAnswer(draftId, "members/$second/member_age", "65")
                assertEquals("2", effects.changed.single { it.path == "elderly_count" }.valueJson)

                val photo = core.registerAttachment(draftId, "door_photo")
                File(photo.capturePath).writeBytes(cameraFrame(1280, 960))
                val stored = core.ingestAttachment(photo.attachmentId)
                assertEquals(1280u, stored.width)
                assertTrue(!File(photo.capturePath).exists())
            }
            open(dir).use { core ->
                core.unlock("test")
                val resumed = core.openDraft(draftId, "en")
                assertEquals(listOf(2), resumed.repeats.map { it.instanceIds.size })
                assertEquals("\"张三\"", resumed.fields.single { it.path == "head_name" }.valueJson)
                assertNotNull(resumed.fields.single { it.path == "door_photo" }.valueJson)
                assertEquals(1, core.searchDrafts("张三").size)

                val outcome = core.finalizeDraft(draftId)
                assertTrue(outcome.issues.isEmpty(), outcome.issues.toString())

                val updates = core.sync().toList()
                val done = assertIs<SyncUpdate.Done>(updates.last())
                assertEquals(1u, done.report.delivered)
                assertEquals(1u, done.report.householdsSent)
                assertTrue(core.roster().all { it.sync is HouseholdSync.Synced })
                val progress = updates.filterIsInstance<SyncUpdate.Progress>().map { it.progress }
                assertTrue(progress.size >= 2)
                assertEquals(progress.last().bytesTotal, progress.last().bytesDone)
                assertIs<SubmissionState.Delivered>(core.submissions().single().state)
                assertEquals(0u, core.logout().queuedSubmissions)
            }
        }
    }

    private companion object {
        const val REDIRECT = "org.palmgov.app:/oauth2redirect"
    }
}
