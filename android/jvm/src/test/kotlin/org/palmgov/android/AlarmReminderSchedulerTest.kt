@file:Suppress("DEPRECATION")
package org.palmgov.android

import android.app.AlarmManager
import android.app.Application
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Intent
import android.content.IntentFilter
import android.os.Looper
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.palmgov.Reminder
import org.palmgov.ReminderKind
import org.palmgov.RemindersClient
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config

class HostApp : Application(), ReminderHost {
    override suspend fun reminders(): RemindersClient? = null
    override fun reminderIntent(deepLink: String): Intent = Intent(Intent.ACTION_VIEW, android.net.Uri.parse("org.palmgov.app:/$deepLink"))
    override val reminderChannelName: CharSequence get() = "Reminders"
}

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [26, 30], application = HostApp::class)
class AlarmReminderSchedulerTest {
    private fun reminder(id: String, at: Long) = Reminder(id, ReminderKind.MATERIALS_DUE, at, "T $id", "B $id", "applications/x")

    @Test
    fun schedules_cancels_and_counts_only_live_alarms() {
        val app = RuntimeEnvironment.getApplication()
        val s = AlarmReminderScheduler(app)
        val now = System.currentTimeMillis()
        s.schedule(reminder("a", now + 3_600_000))
        s.schedule(reminder("b", now + 7_200_000))
        s.schedule(reminder("b", now + 7_300_000))
        val alarms = shadowOf(app.getSystemService(AlarmManager::class.java))
        assertEquals(2, alarms.scheduledAlarms.size, alarms.scheduledAlarms.toString())
        assertEquals(setOf("a", "b"), s.pending().toSet())
        s.cancel("a")
        assertEquals(listOf("b"), s.pending())
        assertEquals(1, alarms.scheduledAlarms.size)
        // force stop: PendingIntents go
        val pi = alarms.scheduledAlarms.single().operation
        pi!!.cancel()
        assertEquals(emptyList(), s.pending())
        // fired: receiver posts
        s.schedule(reminder("c", now - 1000))
        val fired = alarms.scheduledAlarms.single { it.triggerAtTime < now }
        val intent = shadowOf(fired.operation!!).savedIntent
        app.registerReceiver(ReminderReceiver(), IntentFilter(ReminderReceiver.ACTION_SHOW).apply { addDataScheme("palmgov-reminder") })
        app.sendBroadcast(intent)
        val nm = shadowOf(app.getSystemService(NotificationManager::class.java))
        val deadline = System.currentTimeMillis() + 5000
        while (s.shown().isEmpty() && System.currentTimeMillis() < deadline) { shadowOf(Looper.getMainLooper()).idle(); Thread.sleep(10) }
        assertEquals(listOf("c"), s.shown())
        assertEquals(1, nm.allNotifications.size)
        val n = nm.getNotification("c", 1)
        assertEquals("T c", shadowOf(n).contentTitle)
        assertTrue("c" !in s.pending())
        s.reported(listOf("c"))
        assertEquals(emptyList(), s.shown())
    }
}
