package org.palmgov.android

import android.content.Context
import android.hardware.biometrics.BiometricManager
import android.hardware.biometrics.BiometricManager.Authenticators.BIOMETRIC_STRONG
import android.hardware.biometrics.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import android.hardware.biometrics.BiometricPrompt
import android.os.CancellationSignal
import android.os.Looper
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import org.palmgov.AppLock
import org.palmgov.AppLockOutcome
import org.palmgov.HookException

/**
 * The [AppLock] hook on the platform BiometricPrompt (Android 11+), accepting a
 * strong biometric or the device PIN/pattern.
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
    private val authenticators = BIOMETRIC_STRONG or DEVICE_CREDENTIAL

    override fun isAvailable(): Boolean =
        context.getSystemService(BiometricManager::class.java)
            ?.canAuthenticate(authenticators) == BiometricManager.BIOMETRIC_SUCCESS

    override fun authenticate(reason: String): AppLockOutcome {
        check(Looper.myLooper() != Looper.getMainLooper()) { "the core never calls hooks on the main thread" }
        val done = CountDownLatch(1)
        val result = AtomicReference<Result<AppLockOutcome>>()
        val cancel = CancellationSignal()
        val prompt = BiometricPrompt.Builder(context)
            .setTitle(title)
            .setSubtitle(reason)
            .setAllowedAuthenticators(authenticators)
            .build()
        val callback = object : BiometricPrompt.AuthenticationCallback() {
            override fun onAuthenticationSucceeded(r: BiometricPrompt.AuthenticationResult) {
                result.set(Result.success(AppLockOutcome.UNLOCKED)); done.countDown()
            }

            override fun onAuthenticationError(code: Int, message: CharSequence) {
                val outcome = when (code) {
                    BiometricPrompt.BIOMETRIC_ERROR_USER_CANCELED,
                    BiometricPrompt.BIOMETRIC_ERROR_CANCELED,
                    -> Result.failure(HookException.Cancelled())
                    BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT,
                    BiometricPrompt.BIOMETRIC_ERROR_LOCKOUT_PERMANENT,
                    -> Result.success(AppLockOutcome.DENIED)
                    BiometricPrompt.BIOMETRIC_ERROR_HW_NOT_PRESENT,
                    BiometricPrompt.BIOMETRIC_ERROR_NO_BIOMETRICS,
                    BiometricPrompt.BIOMETRIC_ERROR_HW_UNAVAILABLE,
                    -> Result.failure(HookException.Unavailable())
                    else -> Result.failure(HookException.Failed("biometric error $code"))
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
}
