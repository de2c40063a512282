package org.palmgov.android

import android.app.Activity
import android.app.Application
import android.app.KeyguardManager
import android.content.pm.PackageManager
import android.hardware.biometrics.BiometricManager
import android.hardware.biometrics.BiometricManager.Authenticators.BIOMETRIC_STRONG
import android.hardware.biometrics.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import android.hardware.biometrics.BiometricPrompt
import android.os.Build
import android.os.Bundle
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
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
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowBiometricManager
import org.robolectric.shadows.ShadowBiometricPrompt
import org.robolectric.util.ReflectionHelpers

/**
 * [BiometricAppLock] on Android 10 (BiometricPrompt with
 * `setDeviceCredentialAllowed`) and Android 11 (`BIOMETRIC_STRONG or
 * DEVICE_CREDENTIAL`): the prompt is Robolectric's, answered by the test.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [29, 30])
class BiometricPromptAppLockTest {
    private lateinit var app: Application
    private val core = CoreThread()

    @Before
    fun setUp() {
        app = RuntimeEnvironment.getApplication()
        shadowOf(app.packageManager).setSystemFeature(PackageManager.FEATURE_FINGERPRINT, true)
        screenLock(true)
    }

    @After
    fun tearDown() = core.close()

    /** A screen lock set or not; on Android 11 BiometricManager is what the hook asks. */
    private fun screenLock(set: Boolean) {
        shadowOf(app.getSystemService(KeyguardManager::class.java)).setIsDeviceSecure(set)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            Shadow.extract<ShadowBiometricManager>(app.getSystemService(BiometricManager::class.java))
                .setCanAuthenticate(set)
        }
    }

    private fun lock(timeoutSeconds: Long = 120) = BiometricAppLock(app, "PalmGov", timeoutSeconds)

    private fun shownPrompt(): BiometricPrompt = awaitOnMain { ShadowBiometricPrompt.getCurrentPrompt() }

    @Test
    fun `the prompt offers a biometric or the screen lock`() {
        val lock = lock()
        assertTrue(lock.isAvailable())
        val answer = core.call { lock.authenticate("Open the roster") }
        val prompt = shownPrompt()
        // Android 10 has no getters for what the prompt shows: its builder's bundle.
        val shown = ReflectionHelpers.getField<Bundle>(prompt, "mBundle")
        assertEquals("PalmGov", shown.getCharSequence("title")?.toString())
        assertEquals("Open the roster", shown.getCharSequence("subtitle")?.toString())
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            assertEquals(BiometricAppLock.Prompt.BIOMETRIC_OR_SCREEN_LOCK, lock.prompt())
            assertEquals(BIOMETRIC_STRONG or DEVICE_CREDENTIAL, prompt.allowedAuthenticators)
        } else {
            assertEquals(BiometricAppLock.Prompt.BIOMETRIC_OR_SCREEN_LOCK_LEGACY, lock.prompt())
            assertTrue(shown.getBoolean("allow_device_credential"))
        }
        ShadowBiometricPrompt.authenticateCurrentSessionSuccessfully()
        assertEquals(AppLockOutcome.UNLOCKED, answer.answer().getOrThrow())
    }

    @Test
    fun `a phone without a screen lock has no prompt and the app PIN takes over`() {
        screenLock(false)
        val lock = lock()
        assertEquals(BiometricAppLock.Prompt.NONE, lock.prompt())
        assertFalse(lock.isAvailable())
        assertIs<HookException.Unavailable>(core.call { lock.authenticate("Open the roster") }.answer().exceptionOrNull())
    }

    @Test
    fun `a bad attempt keeps the prompt open`() {
        val lock = lock()
        val answer = core.call { lock.authenticate("Open the roster") }
        shownPrompt()
        ShadowBiometricPrompt.failCurrentSessionOnce()
        awaitOnMain { Unit }
        assertFalse(answer.isDone)
        ShadowBiometricPrompt.authenticateCurrentSessionSuccessfully()
        assertEquals(AppLockOutcome.UNLOCKED, answer.answer().getOrThrow())
    }

    @Test
    fun `prompt errors become the hook's outcomes`() {
        val cases = listOf(
            BiometricPrompt.BIOMETRIC_ERROR_USER_CANCELED to HookException.Cancelled::class,
            BiometricPrompt.BIOMETRIC_ERROR_CANCELED to HookException.Cancelled::class,
            BiometricPrompt.BIOMETRIC_ERROR_NO_DEVICE_CREDENTIAL to HookException.Unavailable::class,
            BiometricPrompt.BIOMETRIC_ERROR_TIMEOUT to HookException.Failed::class,
        )
        val lock = lock()
        for ((code, expected) in cases) {
            val answer = core.call { lock.authenticate("Open the roster") }
            shownPrompt()
            ShadowBiometricPrompt.authenticateCurrentSessionWithError(code, "error $code")
            val error = answer.answer().exceptionOrNull()
            assertTrue(expected.isInstance(error), "error $code gave $error")
            ShadowBiometricPrompt.reset()
        }
        for (code in listOf(BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT, BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT_PERMANENT)) {
            val answer = core.call { lock.authenticate("Open the roster") }
            shownPrompt()
            ShadowBiometricPrompt.authenticateCurrentSessionWithError(code, "locked out")
            assertEquals(AppLockOutcome.DENIED, answer.answer().getOrThrow())
            ShadowBiometricPrompt.reset()
        }
    }

    @Test
    fun `a sensor the prompt cannot use falls back to the screen lock on Android 10 only`() {
        val lock = lock()
        val answer = core.call { lock.authenticate("Open the roster") }
        shownPrompt()
        ShadowBiometricPrompt.authenticateCurrentSessionWithError(BiometricPrompt.BIOMETRIC_ERROR_HW_UNAVAILABLE, "busy")
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            assertIs<HookException.Unavailable>(answer.answer().exceptionOrNull())
            return
        }
        val started = awaitOnMain {
            generateSequence { shadowOf(app).nextStartedActivity }
                .firstOrNull { it.component?.className == ConfirmCredentialActivity::class.java.name }
        }
        val activity = Robolectric.buildActivity(ConfirmCredentialActivity::class.java, started).setup().get()
        val confirmation = generateSequence { shadowOf(activity).nextStartedActivityForResult }
            .first { it.requestCode >= 0 }.intent
        shadowOf(activity).receiveResult(confirmation, Activity.RESULT_OK, null)
        assertEquals(AppLockOutcome.UNLOCKED, answer.answer().getOrThrow())
    }

    @Test
    @Config(sdk = [30])
    fun `Android 11 whose BiometricManager refuses despite a screen lock gets the screen-lock confirmation`() {
        Shadow.extract<ShadowBiometricManager>(app.getSystemService(BiometricManager::class.java))
            .setCanAuthenticate(false)
        val lock = lock()
        assertEquals(BiometricAppLock.Prompt.SCREEN_LOCK, lock.prompt())
        assertTrue(lock.isAvailable())
        val answer = core.call { lock.authenticate("Open the roster") }
        val started = awaitOnMain {
            generateSequence { shadowOf(app).nextStartedActivity }
                .firstOrNull { it.component?.className == ConfirmCredentialActivity::class.java.name }
        }
        val activity = Robolectric.buildActivity(ConfirmCredentialActivity::class.java, started).setup().get()
        val confirmation = generateSequence { shadowOf(activity).nextStartedActivityForResult }
            .first { it.requestCode >= 0 }.intent
        assertEquals("android.app.action.CONFIRM_DEVICE_CREDENTIAL", confirmation.action)
        assertNull(ShadowBiometricPrompt.getCurrentPrompt(), "no BiometricPrompt is shown")
        shadowOf(activity).receiveResult(confirmation, Activity.RESULT_OK, null)
        assertEquals(AppLockOutcome.UNLOCKED, answer.answer().getOrThrow())
    }

    @Test
    fun `an unanswered prompt times out as a cancel`() {
        val lock = lock(timeoutSeconds = 1)
        val answer = core.call { lock.authenticate("Open the roster") }
        shownPrompt()
        assertIs<HookException.Cancelled>(answer.answer(timeoutMs = 10_000).exceptionOrNull())
    }
}
