package org.palmgov.android

import android.app.Activity
import android.app.KeyguardManager
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.os.Bundle
import android.os.Handler
import android.os.Looper
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference
import org.palmgov.AppLockOutcome
import org.palmgov.HookException

/**
 * The screen-lock confirmation [BiometricAppLock] shows on Android 8.0–9
 * (API 26–28), where BiometricPrompt is missing or cannot fall back to the
 * PIN, pattern or password; on Android 10 without a biometric sensor (or
 * whose prompt finds its sensor unusable); and on Android 11+ should
 * BiometricManager refuse while a screen lock is set.
 *
 * A translucent activity with nothing of its own on screen: it starts the
 * system's `KeyguardManager.createConfirmDeviceCredentialIntent` for a result
 * and hands the answer to the hook's waiting worker thread. It is declared in
 * the library's manifest (merged into the app's); apps never start it.
 */
class ConfirmCredentialActivity : Activity() {
    private var request = NO_REQUEST

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        request = intent.getLongExtra(EXTRA_REQUEST, NO_REQUEST)
        val waiter = pending.get()
        if (waiter == null || waiter.id != request) {
            // Reopened after the hook stopped waiting (a timeout, a restarted process).
            request = NO_REQUEST
            finish()
            return
        }
        waiter.activity.set(this)
        if (savedInstanceState != null) return // Recreated: the confirmation is still showing.
        val confirm = getSystemService(KeyguardManager::class.java)?.let {
            confirmIntent(it, intent.getStringExtra(EXTRA_TITLE), intent.getStringExtra(EXTRA_REASON))
        }
        if (confirm == null) {
            // The screen lock was removed since the hook asked.
            answer(Result.failure(HookException.Unavailable()))
            return
        }
        try {
            startActivityForResult(confirm, REQUEST_CONFIRM)
        } catch (e: ActivityNotFoundException) {
            answer(Result.failure(HookException.Unavailable()))
        }
    }

    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        if (requestCode != REQUEST_CONFIRM) {
            super.onActivityResult(requestCode, resultCode, data)
            return
        }
        // The system screen handles wrong attempts and its own lockout; it
        // only comes back confirmed or abandoned.
        answer(
            if (resultCode == RESULT_OK) Result.success(AppLockOutcome.UNLOCKED)
            else Result.failure(HookException.Cancelled()),
        )
    }

    override fun onDestroy() {
        // Gone without an answer (finished from outside, the task cleared): a cancel.
        if (isFinishing) deliver(request, Result.failure(HookException.Cancelled()))
        pending.get()?.activity?.compareAndSet(this, null)
        super.onDestroy()
    }

    private fun answer(result: Result<AppLockOutcome>) {
        deliver(request, result)
        finish()
    }

    /** One waiting [confirm] call. */
    private class Waiter(val id: Long) {
        val done = CountDownLatch(1)
        val answered = AtomicBoolean()

        /** Written once, before [done] opens. */
        @Volatile var result: Result<AppLockOutcome>? = null
        val activity = AtomicReference<Activity?>()
    }

    internal companion object {
        private const val EXTRA_REQUEST = "org.palmgov.android.extra.REQUEST"
        private const val EXTRA_TITLE = "org.palmgov.android.extra.TITLE"
        private const val EXTRA_REASON = "org.palmgov.android.extra.REASON"
        private const val REQUEST_CONFIRM = 1
        private const val NO_REQUEST = -1L

        private val requests = AtomicLong()
        private val pending = AtomicReference<Waiter?>()

        /**
         * Starts this activity and blocks the calling worker thread until the
         * person confirms the screen lock ([AppLockOutcome.UNLOCKED]), backs
         * out ([HookException.Cancelled]) or [timeoutSeconds] pass (the same).
         */
        fun confirm(context: Context, title: String, reason: String, timeoutSeconds: Long): AppLockOutcome {
            val waiter = Waiter(requests.incrementAndGet())
            if (!pending.compareAndSet(null, waiter)) throw HookException.Failed("a lock prompt is already showing")
            val main = Handler(Looper.getMainLooper())
            try {
                val intent = Intent(context, ConfirmCredentialActivity::class.java)
                    .putExtra(EXTRA_REQUEST, waiter.id)
                    .putExtra(EXTRA_TITLE, title)
                    .putExtra(EXTRA_REASON, reason)
                    .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
                main.post {
                    try {
                        context.startActivity(intent)
                    } catch (e: ActivityNotFoundException) {
                        // The app's manifest merge removed this activity.
                        deliver(waiter.id, Result.failure(HookException.Unavailable()))
                    }
                }
                if (!waiter.done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                    main.post {
                        waiter.activity.get()?.run {
                            finishActivity(REQUEST_CONFIRM)
                            finish()
                        }
                    }
                    throw HookException.Cancelled()
                }
                return waiter.result!!.getOrThrow()
            } finally {
                pending.compareAndSet(waiter, null)
            }
        }

        /** The first answer for [request] wins; later ones and stale requests are dropped. */
        private fun deliver(request: Long, result: Result<AppLockOutcome>) {
            val waiter = pending.get() ?: return
            if (waiter.id != request) return
            if (waiter.answered.compareAndSet(false, true)) {
                waiter.result = result
                waiter.done.countDown()
            }
        }

        // Deprecated from Android 10 for BiometricPrompt, which BiometricAppLock
        // prefers there; it still works, and stands in where the prompt cannot.
        @Suppress("DEPRECATION")
        private fun confirmIntent(keyguard: KeyguardManager, title: String?, reason: String?): Intent? =
            keyguard.createConfirmDeviceCredentialIntent(title, reason)
    }
}
