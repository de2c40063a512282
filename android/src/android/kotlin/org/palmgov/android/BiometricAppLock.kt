package org.palmgov.android

import android.annotation.TargetApi
import android.app.KeyguardManager
import android.content.Context
import android.content.pm.PackageManager
import android.hardware.biometrics.BiometricManager
import android.hardware.biometrics.BiometricManager.Authenticators.BIOMETRIC_STRONG
import android.hardware.biometrics.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import android.hardware.biometrics.BiometricPrompt
import android.os.Build
import android.os.CancellationSignal
import android.os.Looper
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import org.palmgov.AppLock
import org.palmgov.AppLockOutcome
import org.palmgov.HookException

/**
 * The [AppLock] hook on the platform's own prompts, accepting a biometric or
 * the phone's screen lock (PIN, pattern or password). Which prompt depends on
 * the Android version ([prompt]):
 *
 * - Android 11+ (API 30): BiometricPrompt with a strong biometric or the
 *   screen lock (`BIOMETRIC_STRONG or DEVICE_CREDENTIAL`). Should
 *   BiometricManager refuse that pair while a screen lock is set, the
 *   screen-lock confirmation below stands in.
 * - Android 10 (API 29) on a phone with a fingerprint, face or iris sensor:
 *   BiometricPrompt with `setDeviceCredentialAllowed`, the only way that
 *   version offers the screen lock in the same prompt. Without such a sensor
 *   Android 10's prompt fails at once (`BIOMETRIC_ERROR_HW_NOT_PRESENT`, even
 *   with the screen lock allowed), so those phones get the confirmation below,
 *   and so does a phone whose prompt reports its sensor missing or unusable.
 * - Android 8.0–9 (API 26–28): the system's screen-lock confirmation
 *   (`KeyguardManager.createConfirmDeviceCredentialIntent`), shown by
 *   [ConfirmCredentialActivity]. Android 9's BiometricPrompt cannot fall back
 *   to the screen lock, so it is not used there.
 *
 * A phone with no screen lock at all has no prompt: [isAvailable] is false,
 * and the core asks for its own app PIN instead (`LockMethod.APP_PIN`).
 *
 * The core calls [authenticate] on one of its blocking worker threads; the
 * prompt is shown on the main thread and this call waits for the answer.
 * Uses the platform API rather than androidx.biometric so it builds without
 * androidx (which is not on Maven Central) and type-checks in the JVM build.
 */
class BiometricAppLock(
    private val context: Context,
    private val title: String,
    private val timeoutSeconds: Long = 120,
) : AppLock {
    /** The prompt [authenticate] shows on this phone. */
    enum class Prompt {
        /** Android 11+: BiometricPrompt, a strong biometric or the screen lock. */
        BIOMETRIC_OR_SCREEN_LOCK,

        /** Android 10 with a biometric sensor: BiometricPrompt with `setDeviceCredentialAllowed`. */
        BIOMETRIC_OR_SCREEN_LOCK_LEGACY,

        /**
         * Android 8.0–9, 10 without a biometric sensor, and 11+ whose
         * BiometricManager refuses: the system's screen-lock confirmation.
         */
        SCREEN_LOCK,

        /** No screen lock is set: the core's app PIN stands in. */
        NONE,
    }

    /**
     * The prompt this phone gets now. Asked at every call: the person may
     * set or remove the screen lock while the app runs.
     */
    fun prompt(): Prompt {
        val sdk = Build.VERSION.SDK_INT
        return when {
            sdk >= Build.VERSION_CODES.R && canAuthenticate() -> Prompt.BIOMETRIC_OR_SCREEN_LOCK
            // A biometric needs a secure screen lock, so that covers both.
            !deviceSecure() -> Prompt.NONE
            sdk == Build.VERSION_CODES.Q && hasBiometricSensor() -> Prompt.BIOMETRIC_OR_SCREEN_LOCK_LEGACY
            else -> Prompt.SCREEN_LOCK
        }
    }

    override fun isAvailable(): Boolean = prompt() != Prompt.NONE

    override fun authenticate(reason: String): AppLockOutcome {
        check(Looper.myLooper() != Looper.getMainLooper()) { "the core never calls hooks on the main thread" }
        return when (prompt()) {
            Prompt.BIOMETRIC_OR_SCREEN_LOCK -> showBiometricPrompt(reason)
            Prompt.BIOMETRIC_OR_SCREEN_LOCK_LEGACY -> try {
                showBiometricPrompt(reason)
            } catch (e: SensorMissing) {
                confirmScreenLock(reason)
            }
            Prompt.SCREEN_LOCK -> confirmScreenLock(reason)
            Prompt.NONE -> throw HookException.Unavailable()
        }
    }

    private fun confirmScreenLock(reason: String) =
        ConfirmCredentialActivity.confirm(context, title, reason, timeoutSeconds)

    /** What Android 10's hidden `BiometricManager.hasBiometrics` asks before it shows a prompt at all. */
    private fun hasBiometricSensor(): Boolean {
        val packages = context.packageManager
        return listOf(
            PackageManager.FEATURE_FINGERPRINT,
            PackageManager.FEATURE_FACE,
            PackageManager.FEATURE_IRIS,
        ).any { packages.hasSystemFeature(it) }
    }

    /** Android 10's prompt could not use its sensor; the screen lock alone still can. */
    private class SensorMissing : Exception()

    @TargetApi(Build.VERSION_CODES.R)
    private fun canAuthenticate(): Boolean =
        context.getSystemService(BiometricManager::class.java)
            ?.canAuthenticate(AUTHENTICATORS) == BiometricManager.BIOMETRIC_SUCCESS

    private fun deviceSecure(): Boolean =
        context.getSystemService(KeyguardManager::class.java)?.isDeviceSecure == true

    @TargetApi(Build.VERSION_CODES.Q)
    private fun showBiometricPrompt(reason: String): AppLockOutcome {
        val done = CountDownLatch(1)
        val result = AtomicReference<Result<AppLockOutcome>>()
        val cancel = CancellationSignal()
        val builder = BiometricPrompt.Builder(context)
            .setTitle(title)
            .setSubtitle(reason)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            builder.setAllowedAuthenticators(AUTHENTICATORS)
        } else {
            allowScreenLockOnAndroid10(builder)
        }
        val prompt = builder.build()
        val callback = object : BiometricPrompt.AuthenticationCallback() {
            override fun onAuthenticationSucceeded(r: BiometricPrompt.AuthenticationResult) {
                result.set(Result.success(AppLockOutcome.UNLOCKED)); done.countDown()
            }

            override fun onAuthenticationError(code: Int, message: CharSequence) {
                val outcome = if (Build.VERSION.SDK_INT == Build.VERSION_CODES.Q && code in SENSOR_ERRORS) {
                    Result.failure(SensorMissing())
                } else {
                    outcomeOfError(code)
                }
                result.set(outcome); done.countDown()
            }
            // onAuthenticationFailed is one bad attempt; the prompt stays open.
        }
        context.mainExecutor.execute { prompt.authenticate(cancel, context.mainExecutor, callback) }
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            cancel.cancel()
            throw HookException.Cancelled()
        }
        return result.get().getOrThrow()
    }

    /** Deprecated in Android 11, where [BiometricPrompt.Builder.setAllowedAuthenticators] replaces it. */
    @Suppress("DEPRECATION")
    @TargetApi(Build.VERSION_CODES.Q)
    private fun allowScreenLockOnAndroid10(builder: BiometricPrompt.Builder) {
        builder.setDeviceCredentialAllowed(true)
    }

    private companion object {
        const val AUTHENTICATORS = BIOMETRIC_STRONG or DEVICE_CREDENTIAL

        val SENSOR_ERRORS = setOf(
            BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT,
            BiometricPrompt.BIOMETRIC_ERROR_HW_UNAVAILABLE,
            BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS,
        )

        fun outcomeOfError(code: Int): Result<AppLockOutcome> = when (code) {
            BiometricPrompt.BIOMETRIC_ERROR_USER_CANCELED,
            BiometricPrompt.BIOMETRIC_ERROR_CANCELED,
            -> Result.failure(HookException.Cancelled())
            BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT,
            BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT_PERMANENT,
            -> Result.success(AppLockOutcome.DENIED)
            BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT,
            BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS,
            BiometricPrompt.BIOMETRIC_ERROR_HW_UNAVAILABLE,
            BiometricPrompt.BIOMETRIC_ERROR_NO_DEVICE_CREDENTIAL,
            -> Result.failure(HookException.Unavailable())
            else -> Result.failure(HookException.Failed("biometric error $code"))
        }
    }
}
