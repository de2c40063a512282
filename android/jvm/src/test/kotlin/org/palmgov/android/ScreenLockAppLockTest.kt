package org.palmgov.android

import android.app.Activity
import android.app.Application
import android.app.KeyguardManager
import android.content.Intent
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.After
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.palmgov.AppLockOutcome
import org.palmgov.HookException
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ActivityController
import org.robolectric.annotation.Config

/**
 * [BiometricAppLock] on Android 8.0, 8.1 and 9 (API 26–28), and on Android 10
 * without a biometric sensor: no BiometricPrompt that can fall back to the
 * screen lock, so the system's screen-lock confirmation, through
 * [ConfirmCredentialActivity]; no screen lock at all, and the core's app PIN
 * takes over.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [26, 27, 28, 29])
class ScreenLockAppLockTest {
    private companion object {
        const val CONFIRM = "android.app.action.CONFIRM_DEVICE_CREDENTIAL"
    }

    private lateinit var app: Application
    private val core = CoreThread()

    @Before
    fun setUp() {
        app = RuntimeEnvironment.getApplication()
        screenLock(true)
    }

    @After
    fun tearDown() = core.close()

    private fun screenLock(set: Boolean) =
        shadowOf(app.getSystemService(KeyguardManager::class.java)).setIsDeviceSecure(set)

    private fun lock(timeoutSeconds: Long = 120) = BiometricAppLock(app, "PalmGov", timeoutSeconds)

    /** Waits for the hook to start [ConfirmCredentialActivity]: its intent. */
    private fun launch(): Intent {
        // Robolectric keeps one queue of started activities for the whole app.
        val started = awaitOnMain {
            generateSequence { shadowOf(app).nextStartedActivity }
                .firstOrNull { it.component?.className == ConfirmCredentialActivity::class.java.name }
        }
        assertTrue(started.flags and Intent.FLAG_ACTIVITY_NEW_TASK != 0, "started from a worker, outside any activity")
        return started
    }

    /** Waits for the hook to start [ConfirmCredentialActivity] and creates it as Android would. */
    private fun confirmActivity(): ActivityController<ConfirmCredentialActivity> =
        Robolectric.buildActivity(ConfirmCredentialActivity::class.java, launch()).setup()

    /** The system confirmation [activity] asked for (as the settings app receives it), if any. */
    private fun askedConfirmation(activity: Activity): Intent? =
        generateSequence { shadowOf(activity).nextStartedActivityForResult }
            .firstOrNull { it.intent.action == CONFIRM && it.requestCode >= 0 }
            ?.intent

    private fun systemConfirmation(activity: Activity): Intent =
        assertNotNull(askedConfirmation(activity), "no confirmation was started")

    @Test
    fun `a phone without a screen lock has no prompt and the app PIN takes over`() {
        screenLock(false)
        val lock = lock()
        assertEquals(BiometricAppLock.Prompt.NONE, lock.prompt())
        assertFalse(lock.isAvailable())
        assertIs<HookException.Unavailable>(core.call { lock.authenticate("Open the roster") }.answer().exceptionOrNull())
        assertNull(shadowOf(app).nextStartedActivity, "nothing is shown")
    }

    @Test
    fun `the screen lock confirmed unlocks`() {
        val lock = lock()
        assertEquals(BiometricAppLock.Prompt.SCREEN_LOCK, lock.prompt())
        assertTrue(lock.isAvailable())
        val answer = core.call { lock.authenticate("Open the roster") }
        val activity = confirmActivity().get()
        val confirmation = systemConfirmation(activity)
        assertEquals("PalmGov", confirmation.getCharSequenceExtra("android.app.extra.TITLE")?.toString())
        assertEquals("Open the roster", confirmation.getCharSequenceExtra("android.app.extra.DESCRIPTION")?.toString())

        shadowOf(activity).receiveResult(confirmation, Activity.RESULT_OK, null)
        assertEquals(AppLockOutcome.UNLOCKED, answer.answer().getOrThrow())
        assertTrue(activity.isFinishing, "the invisible activity goes away with the confirmation")
    }

    @Test
    fun `backing out of the confirmation cancels`() {
        val lock = lock()
        val answer = core.call { lock.authenticate("Open the roster") }
        val activity = confirmActivity().get()
        shadowOf(activity).receiveResult(systemConfirmation(activity), Activity.RESULT_CANCELED, null)
        assertIs<HookException.Cancelled>(answer.answer().exceptionOrNull())
        assertTrue(activity.isFinishing)
    }

    @Test
    fun `the activity going away unanswered cancels`() {
        val lock = lock()
        val answer = core.call { lock.authenticate("Open the roster") }
        val controller = confirmActivity()
        controller.get().finish()
        controller.pause().stop().destroy()
        assertIs<HookException.Cancelled>(answer.answer().exceptionOrNull())
    }

    @Test
    fun `a rotation keeps the confirmation and its answer`() {
        val lock = lock()
        val answer = core.call { lock.authenticate("Open the roster") }
        val controller = confirmActivity()
        val confirmation = systemConfirmation(controller.get())
        controller.recreate()
        val recreated = controller.get()
        assertNull(askedConfirmation(recreated), "the confirmation is not asked twice")
        assertFalse(answer.isDone)
        shadowOf(recreated).receiveResult(confirmation, Activity.RESULT_OK, null)
        assertEquals(AppLockOutcome.UNLOCKED, answer.answer().getOrThrow())
    }

    @Test
    fun `an unanswered prompt times out, closes, and the next one shows`() {
        val lock = lock(timeoutSeconds = 1)
        val first = core.call { lock.authenticate("Open the roster") }
        val stale = confirmActivity().get()
        assertIs<HookException.Cancelled>(first.answer(timeoutMs = 10_000).exceptionOrNull())
        awaitOnMain { if (stale.isFinishing) Unit else null }

        val second = core.call { lock.authenticate("Open the roster") }
        val activity = confirmActivity().get()
        shadowOf(activity).receiveResult(systemConfirmation(activity), Activity.RESULT_OK, null)
        assertEquals(AppLockOutcome.UNLOCKED, second.answer().getOrThrow())
    }

    @Test
    fun `a stale activity answers nothing`() {
        val lock = lock()
        val answer = core.call { lock.authenticate("Open the roster") }
        val started = launch()
        // The same activity reopened for an older request (say, from before a timeout).
        val old = Intent(started).putExtra("org.palmgov.android.extra.REQUEST", -7L)
        val stale = Robolectric.buildActivity(ConfirmCredentialActivity::class.java, old).setup().get()
        assertTrue(stale.isFinishing)
        assertNull(askedConfirmation(stale))
        assertFalse(answer.isDone)

        val activity = Robolectric.buildActivity(ConfirmCredentialActivity::class.java, started).setup().get()
        shadowOf(activity).receiveResult(systemConfirmation(activity), Activity.RESULT_OK, null)
        assertEquals(AppLockOutcome.UNLOCKED, answer.answer().getOrThrow())
    }

    @Test
    fun `the screen lock removed while asking is unavailable`() {
        val lock = lock()
        val answer = core.call { lock.authenticate("Open the roster") }
        val started = launch()
        screenLock(false)
        Robolectric.buildActivity(ConfirmCredentialActivity::class.java, started).setup()
        assertIs<HookException.Unavailable>(answer.answer().exceptionOrNull())
    }

    @Test
    fun `the main thread is never blocked`() {
        assertFailsWith<IllegalStateException> { lock().authenticate("Open the roster") }
    }
}
