package org.palmgov

import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * Where the OS keeps the app's local notifications, as the reminders see
 * it: on Android [org.palmgov.android.AlarmReminderScheduler] (AlarmManager
 * and a receiver that posts), in the JVM tests an in-memory fake.
 *
 * Calls come from [RemindersClient.reconcile], one reconcile at a time per
 * client, off the main thread.
 */
interface ReminderScheduler {
    /** How many reminders the OS keeps for the app at once: a plan holds at most this many, the soonest. */
    val capacity: UInt get() = 64u

    /**
     * The reminder ids the OS holds now. What the OS really holds, as far
     * as the shell can tell, not what it remembers having set: an alarm a
     * vendor's power manager dropped, or a reboot cleared, is not pending,
     * so the next reconcile sets it again.
     */
    fun pending(): List<String>

    /**
     * Holds [reminder] until its [Reminder.atMs], replacing one with the
     * same id; one whose time has passed is shown now. Shows its title and
     * body (free of personal data: lock screens show them) and opens its
     * [Reminder.deepLink] when tapped.
     */
    fun schedule(reminder: Reminder)

    /** Drops reminder [id] if the OS holds it; nothing if not. */
    fun cancel(id: String)

    /**
     * Ids shown since the core last heard of them (see [reported]): a
     * reconcile reports them first, so a reminder whose time passed is
     * shown once. None by default, for a scheduler whose posting reports
     * them itself.
     */
    fun shown(): List<String> = emptyList()

    /** The core has recorded [ids] (from [shown]) as shown: forget them. */
    fun reported(ids: List<String>) {}
}

/**
 * Reminders the shell shows as local notifications: an application's
 * status changed (on phones without Google services a sync is the only way
 * to hear of it), an application asks for materials by a date (补正), a
 * licence nears its last valid day. The core computes, deterministically,
 * what is due; the shell makes the OS's list match it with [reconcile].
 *
 * One scheduled alarm is never relied on (some vendors' power managers
 * cancel an app's alarms, a reboot clears them, time zones change), so
 * reconcile on every app start, after every sync, and, from the shell's
 * receiver, after a boot, an app update, a time or time-zone change and a
 * language change. Not behind the app lock: it runs in the background, and
 * no text it shows names a service, a person or a number of theirs.
 */
class RemindersClient internal constructor(private val handle: RemindersHandle) {
    private val reconciling = Mutex()

    /**
     * Makes [scheduler] hold exactly the reminders due within
     * [horizonDays] (the soonest [capacity] of them): reports what it
     * showed, asks the core for the plan against what it holds, cancels
     * what is gone and schedules what is new. Returns the plan applied.
     *
     * Reminder ids name an event, not a time: after a time-zone, clock or
     * language change pass [replace], which sets every due reminder again
     * (with its new time and text) instead of only the new ones.
     */
    suspend fun reconcile(
        scheduler: ReminderScheduler,
        language: String = defaultLanguage(),
        utcOffsetMinutes: Int = org.palmgov.utcOffsetMinutes(),
        horizonDays: UInt = 30u,
        capacity: UInt = scheduler.capacity,
        replace: Boolean = false,
    ): ReminderPlan = reconciling.withLock {
        reportShown(scheduler)
        val pending = scheduler.pending()
        val plan = handle.plan(if (replace) emptyList() else pending, language, utcOffsetMinutes, horizonDays, capacity)
        val cancel = if (replace) pending.filter { id -> plan.due.none { it.id == id } } else plan.cancel
        cancel.forEach(scheduler::cancel)
        plan.schedule.forEach(scheduler::schedule)
        plan.copy(cancel = cancel)
    }

    /**
     * Tells the core what [scheduler] showed ([ReminderScheduler.shown]),
     * then lets it forget them: the receiver that posts a reminder calls
     * this, and every reconcile does first.
     */
    suspend fun reportShown(scheduler: ReminderScheduler) {
        val ids = scheduler.shown()
        if (ids.isEmpty()) return
        handle.shown(ids)
        scheduler.reported(ids)
    }

    /**
     * The plan alone, for a shell that applies it itself: [scheduled] are
     * the ids the OS holds now, [capacity] how many it keeps.
     */
    suspend fun plan(
        scheduled: List<String>,
        language: String = defaultLanguage(),
        utcOffsetMinutes: Int = org.palmgov.utcOffsetMinutes(),
        horizonDays: UInt = 30u,
        capacity: UInt = 64u,
    ): ReminderPlan = handle.plan(scheduled, language, utcOffsetMinutes, horizonDays, capacity)

    /** Reminders shown (by the shell, or by the OS as the shell saw): one whose time has passed is not offered again. */
    suspend fun shown(ids: List<String>) = handle.shown(ids)
}
