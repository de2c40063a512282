package org.palmgov.android

import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.os.Looper
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import org.palmgov.Browser
import org.palmgov.HookException

/**
 * The [Browser] hook on Custom Tabs (RFC 8252: the system browser, never a
 * WebView the app could read passwords from).
 *
 * The core calls [authorize] on one of its blocking worker threads; this opens
 * the tab and waits until the app's redirect activity hands the callback to
 * [deliver]. Register that activity for the redirect URI: an App Link
 * (`autoVerify`) for a claimed https redirect, or the custom scheme.
 *
 * If Android kills the app while the tab is open, nobody is waiting here when
 * the callback arrives: [deliver] returns false, and the activity passes the
 * URL to `PalmGovClient.completeLogin`, which finishes the stored login.
 *
 * Uses the Custom Tabs intent extras directly rather than androidx.browser, so
 * it builds without androidx (not on Maven Central) and type-checks in the
 * JVM build. Without a Custom Tabs browser the intent opens the default browser.
 */
class CustomTabsBrowser(
    private val context: Context,
    private val timeoutSeconds: Long = 600,
) : Browser {
    override fun authorize(url: String, redirectUri: String): String {
        check(Looper.myLooper() != Looper.getMainLooper()) { "the core never calls hooks on the main thread" }
        val waiter = Waiter(redirectUri)
        check(pending.compareAndSet(null, waiter)) { "a sign-in is already in progress" }
        try {
            val intent = Intent(Intent.ACTION_VIEW, Uri.parse(url)).apply {
                // Marks the intent as a Custom Tabs request (androidx.browser's EXTRA_SESSION).
                putExtras(Bundle().apply { putBinder(EXTRA_SESSION, null) })
                addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
            }
            try {
                context.startActivity(intent)
            } catch (e: android.content.ActivityNotFoundException) {
                throw HookException.Unavailable()
            }
            if (!waiter.done.await(timeoutSeconds, TimeUnit.SECONDS)) throw HookException.Cancelled()
            return waiter.callback.get() ?: throw HookException.Cancelled()
        } finally {
            pending.compareAndSet(waiter, null)
        }
    }

    private class Waiter(val redirectUri: String) {
        val done = CountDownLatch(1)
        val callback = AtomicReference<String?>()
    }

    companion object {
        private const val EXTRA_SESSION = "android.support.customtabs.extra.SESSION"
        private val pending = AtomicReference<Waiter?>()

        /**
         * Called by the redirect activity with the URI it was opened with.
         * Returns false when no sign-in is waiting (the app was restarted):
         * then call `completeLogin` with the URI instead.
         */
        fun deliver(uri: Uri): Boolean {
            val waiter = pending.get() ?: return false
            if (!uri.toString().startsWith(waiter.redirectUri)) return false
            waiter.callback.set(uri.toString())
            waiter.done.countDown()
            return true
        }

        /** Called when the person returns from the tab without finishing. */
        fun cancel() {
            pending.get()?.done?.countDown()
        }
    }
}
