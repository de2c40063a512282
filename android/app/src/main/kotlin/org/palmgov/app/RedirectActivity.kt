package org.palmgov.app

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import org.palmgov.android.CustomTabsBrowser

/**
 * Receives the sign-in redirect: the region's custom scheme or its App Link,
 * whichever the flavor's manifest (redirect/scheme or redirect/app-link)
 * registers. The sign-in waiting in [CustomTabsBrowser] gets the URI; if
 * none is waiting because Android ended the app while the browser was open,
 * [MainActivity] gets it to finish the stored login.
 */
class RedirectActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val uri = intent?.data
        if (uri != null && !CustomTabsBrowser.deliver(uri)) {
            startActivity(
                Intent(this, MainActivity::class.java)
                    .setData(uri)
                    .addFlags(Intent.FLAG_ACTIVITY_CLEAR_TOP or Intent.FLAG_ACTIVITY_SINGLE_TOP),
            )
        }
        finish()
    }
}
