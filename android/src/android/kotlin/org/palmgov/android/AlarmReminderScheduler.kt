package org.palmgov.android

import android.app.AlarmManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.net.Uri
import org.palmgov.Reminder
import org.palmgov.ReminderScheduler

/**
 * The [ReminderScheduler] on AlarmManager: one alarm per reminder, which
 * wakes [ReminderReceiver] to post the notification.
 *
 * Why these choices:
 * - Inexact alarms (`setAndAllowWhileIdle`), never exact ones: Android 14
 *   denies SCHEDULE_EXACT_ALARM by default (USE_EXACT_ALARM is for alarm
 *   clocks and calendars), and a reminder of a due date three days ahead
 *   loses nothing by arriving some minutes late. "Allow while idle" fires
 *   in Doze too (rate-limited to one every several minutes per app)
 *   instead of waiting for the next maintenance window, which can be
 *   hours away. `RTC_WAKEUP`: the core's times are instants on the wall
 *   clock, and a sleeping phone is woken for them.
 * - No WorkManager: it is an androidx library this module does not take
 *   (see [CustomTabsBrowser]), and one-shot work at a time of day is what
 *   AlarmManager is for.
 * - AlarmManager cannot list an app's alarms, so this keeps the ids it set
 *   (SharedPreferences, ids only: no text, no person) and, in [pending],
 *   counts only those whose PendingIntent still exists. A reboot and a
 *   force stop (what vendors' power managers do) discard an app's
 *   PendingIntents with its alarms, so a lost alarm is not pending and
 *   the next reconcile sets it again.
 * - A reminder whose time has passed is set for that time: AlarmManager
 *   delivers a past alarm at once, through the same receiver.
 * - [capacity] 64, as iOS keeps: Android 12+ allows an app 500 alarms in
 *   all, and a person has far fewer reminders within the 30-day horizon.
 *
 * The receiver posts each reminder and reports it to the core (through
 * [ReminderHost]); what it could not report waits in [shown] for the next
 * reconcile.
 */
class AlarmReminderScheduler(context: Context, override val capacity: UInt = 64u) : ReminderScheduler {
    private val context = context.applicationContext
    private val alarms = this.context.getSystemService(AlarmManager::class.java)
    private val store = this.context.getSharedPreferences(STORE, Context.MODE_PRIVATE)

    override fun pending(): List<String> = synchronized(lock) {
        val recorded = read(SCHEDULED)
        val held = recorded.filter { existing(it) != null }
        if (held.size != recorded.size) write(SCHEDULED, held.toSet())
        held
    }

    override fun schedule(reminder: Reminder) {
        val intent = Intent(context, ReminderReceiver::class.java)
            .setAction(ReminderReceiver.ACTION_SHOW)
            // The data makes each reminder's PendingIntent its own (extras do not).
            .setData(uri(reminder.id))
            .putExtra(EXTRA_ID, reminder.id)
            .putExtra(EXTRA_TITLE, reminder.title)
            .putExtra(EXTRA_BODY, reminder.body)
            .putExtra(EXTRA_DEEP_LINK, reminder.deepLink)
        val operation = PendingIntent.getBroadcast(context, 0, intent, PendingIntent.FLAG_UPDATE_CURRENT or FLAGS)
        // Replaces an alarm already set with the same PendingIntent.
        alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, reminder.atMs, operation)
        synchronized(lock) { write(SCHEDULED, read(SCHEDULED) + reminder.id) }
    }

    override fun cancel(id: String) {
        existing(id)?.let {
            alarms.cancel(it)
            it.cancel()
        }
        synchronized(lock) { write(SCHEDULED, read(SCHEDULED) - id) }
    }

    override fun shown(): List<String> = synchronized(lock) { read(SHOWN).toList() }

    override fun reported(ids: List<String>) {
        synchronized(lock) { write(SHOWN, read(SHOWN) - ids.toSet()) }
    }

    /**
     * The receiver took reminder [id] from its alarm: it is no longer
     * pending, and it is to be reported shown. Its PendingIntent is
     * discarded, so [pending] no longer counts it.
     */
    internal fun delivered(id: String) {
        existing(id)?.cancel()
        synchronized(lock) {
            write(SCHEDULED, read(SCHEDULED) - id)
            write(SHOWN, read(SHOWN) + id)
        }
    }

    /** The reminder's PendingIntent if it exists (set, and neither fired and taken nor discarded). */
    private fun existing(id: String): PendingIntent? {
        val intent = Intent(context, ReminderReceiver::class.java)
            .setAction(ReminderReceiver.ACTION_SHOW)
            .setData(uri(id))
        return PendingIntent.getBroadcast(context, 0, intent, PendingIntent.FLAG_NO_CREATE or FLAGS)
    }

    private fun read(key: String): Set<String> = store.getStringSet(key, null).orEmpty().toSet()

    // A new set each time: SharedPreferences must not be handed back the set it returned.
    private fun write(key: String, ids: Set<String>) {
        store.edit().putStringSet(key, HashSet(ids)).apply()
    }

    internal companion object {
        /** Lookups must name the same flags as creation (they are part of a PendingIntent's identity). */
        const val FLAGS = PendingIntent.FLAG_IMMUTABLE
        const val STORE = "org.palmgov.reminders"
        const val SCHEDULED = "scheduled"
        const val SHOWN = "shown"
        const val EXTRA_ID = "org.palmgov.reminder.ID"
        const val EXTRA_TITLE = "org.palmgov.reminder.TITLE"
        const val EXTRA_BODY = "org.palmgov.reminder.BODY"
        const val EXTRA_DEEP_LINK = "org.palmgov.reminder.DEEP_LINK"

        /** One process may hold several schedulers (the app's, the receiver's): one lock for the store. */
        val lock = Any()

        fun uri(id: String): Uri = Uri.fromParts("palmgov-reminder", id, null)
    }
}
