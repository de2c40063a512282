package org.palmgov.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.util.Log
import java.util.Locale
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import org.palmgov.RemindersClient

/**
 * What [ReminderReceiver] needs from the app; the app's `Application`
 * implements it (the receiver runs with no activity, often in a process
 * started for it alone).
 */
interface ReminderHost {
    /**
     * The reminders of the app's core, the core opened if need be (called
     * off the main thread); null while there is none (nobody has set the
     * app up yet). Reminders need no app lock.
     */
    suspend fun reminders(): RemindersClient?

    /**
     * What tapping a reminder opens: the app's activity for [deepLink],
     * which is relative to the app's own scheme (`applications/<id>`,
     * `wallet`). The app's screens ask for the lock before they show
     * anything personal.
     */
    fun reminderIntent(deepLink: String): Intent

    /** The notification channel's name in the system settings, in the person's language; null: the app's name. */
    val reminderChannelName: CharSequence? get() = null

    /** The notifications' small icon (a monochrome drawable); 0: the app's icon. */
    val reminderIcon: Int get() = 0

    /** The reminders' language; null: the device's (or the app's, Android 13+). */
    val reminderLanguage: String? get() = null
}

/**
 * Posts the reminders [AlarmReminderScheduler] set, and reconciles them
 * after what loses or moves alarms:
 * - `BOOT_COMPLETED`: a reboot clears every alarm. (It comes after the
 *   person unlocks, when the core's credential-encrypted data can be read;
 *   nothing is due so urgently that it needs direct boot.)
 * - `MY_PACKAGE_REPLACED`: an update may change the texts, and ends the
 *   process that would have reconciled.
 * - `TIME_SET` and `TIMEZONE_CHANGED`: the core places reminders at a local
 *   hour and out of quiet hours, so their instants move with the zone.
 * - `LOCALE_CHANGED`: the texts are in the person's language.
 * Each reconcile replaces every reminder, since their ids stay the same
 * while their times and texts change. All five are exempt from Android 8's
 * limits on manifest receivers for implicit broadcasts, and the system
 * delivers them to a receiver that is not exported, as the library's
 * manifest declares it (only the app's own PendingIntents reach it).
 *
 * Posting goes through the platform's NotificationManager, with a channel
 * of its own: the person can silence reminders apart from anything else
 * the app shows. (NotificationManagerCompat is androidx, which this module
 * does not take; from API 26, the minimum, channels and everything it
 * would wrap are the platform's.) The texts carry no personal data, so the
 * notification is public on the lock screen. Without the
 * POST_NOTIFICATIONS permission (Android 13+, which the app asks for at a
 * moment that explains why) nothing is posted, and the reminder still
 * counts as shown: the app's own screens show the same status and dates,
 * and it would otherwise come back on every start.
 *
 * The work runs in [goAsync] on a background thread, bounded well inside
 * the receiver's time limit; a failure is logged by its kind only and the
 * next reconcile (at the latest the next app start) repairs it.
 */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val host = context.applicationContext as? ReminderHost
        if (host == null) {
            Log.w(TAG, "the application does not implement ReminderHost")
            return
        }
        val result = goAsync()
        scope.launch {
            try {
                withTimeout(BUDGET_MS) { handle(context.applicationContext, host, intent) }
            } catch (e: Exception) {
                Log.w(TAG, "reminders: ${e.javaClass.simpleName}")
            } finally {
                result.finish()
            }
        }
    }

    private suspend fun handle(context: Context, host: ReminderHost, intent: Intent) {
        val scheduler = AlarmReminderScheduler(context)
        when (intent.action) {
            ACTION_SHOW -> {
                val id = intent.getStringExtra(AlarmReminderScheduler.EXTRA_ID) ?: return
                post(context, host, id, intent)
                scheduler.delivered(id)
                host.reminders()?.reportShown(scheduler)
            }
            Intent.ACTION_BOOT_COMPLETED,
            Intent.ACTION_MY_PACKAGE_REPLACED,
            Intent.ACTION_TIME_CHANGED,
            Intent.ACTION_TIMEZONE_CHANGED,
            Intent.ACTION_LOCALE_CHANGED,
            -> {
                val language = host.reminderLanguage ?: Locale.getDefault().toLanguageTag()
                host.reminders()?.reconcile(scheduler, language, replace = true)
            }
        }
    }

    private fun post(context: Context, host: ReminderHost, id: String, intent: Intent) {
        val manager = context.getSystemService(NotificationManager::class.java)
        // Creating an existing channel only updates its name (a new language).
        val name = host.reminderChannelName ?: context.applicationInfo.loadLabel(context.packageManager)
        manager.createNotificationChannel(NotificationChannel(CHANNEL, name, NotificationManager.IMPORTANCE_DEFAULT))
        if (!manager.areNotificationsEnabled()) return
        val body = intent.getStringExtra(AlarmReminderScheduler.EXTRA_BODY).orEmpty()
        val deepLink = intent.getStringExtra(AlarmReminderScheduler.EXTRA_DEEP_LINK).orEmpty()
        val open = PendingIntent.getActivity(
            context,
            id.hashCode(),
            host.reminderIntent(deepLink),
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
        val notification = Notification.Builder(context, CHANNEL)
            .setSmallIcon(host.reminderIcon.takeIf { it != 0 } ?: context.applicationInfo.icon)
            .setContentTitle(intent.getStringExtra(AlarmReminderScheduler.EXTRA_TITLE).orEmpty())
            .setContentText(body)
            .setStyle(Notification.BigTextStyle().bigText(body))
            .setContentIntent(open)
            .setAutoCancel(true)
            .setCategory(Notification.CATEGORY_REMINDER)
            .setVisibility(Notification.VISIBILITY_PUBLIC)
            .build()
        // Tagged with the reminder's id: a reminder shown again replaces itself.
        manager.notify(id, NOTIFICATION_ID, notification)
    }

    companion object {
        /** The alarms' action; only [AlarmReminderScheduler]'s PendingIntents send it. */
        const val ACTION_SHOW = "org.palmgov.reminder.SHOW"

        /** The notification channel's id. */
        const val CHANNEL = "org.palmgov.reminders"

        private const val NOTIFICATION_ID = 1
        private const val TAG = "PalmGovReminders"

        /** Inside the shortest receiver limit (10 s for a foreground broadcast). */
        private const val BUDGET_MS = 8_000L

        private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    }
}
