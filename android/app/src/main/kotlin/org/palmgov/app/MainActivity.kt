package org.palmgov.app

import android.app.Activity
import android.os.Bundle
import android.view.View
import android.widget.LinearLayout
import android.widget.TextView

/**
 * The region app's first screen: the app's name in the person's language
 * (one of the region's), the region's code and the signed files the build
 * carries. It reads the bundled files the core is opened with; the screens
 * behind sign-in are the core's clients (org.palmgov.PalmGovClient).
 *
 * A sign-in callback that arrived after Android ended the app comes in as
 * this activity's intent data (RedirectActivity), for
 * `identity.completeLogin` once the core is open.
 */
class MainActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val region = RegionBundle.load(assets)
        val padding = (24 * resources.displayMetrics.density).toInt()
        val column = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(padding, padding, padding, padding)
        }
        column.addView(
            TextView(this).apply {
                text = getString(R.string.app_name)
                textSize = 28f
            },
        )
        column.addView(
            TextView(this).apply {
                text = BuildConfig.REGION_CODE
                textSize = 16f
            },
        )
        for ((name, size) in region.sizes) {
            column.addView(
                TextView(this).apply {
                    // File names and byte counts read left to right in a
                    // right-to-left layout too.
                    text = "$name  $size B"
                    textDirection = View.TEXT_DIRECTION_LTR
                    textAlignment = View.TEXT_ALIGNMENT_VIEW_START
                },
            )
        }
        setContentView(column)
    }
}
