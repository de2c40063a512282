import Foundation
#if canImport(UserNotifications)
import UserNotifications
#endif

/// Where the OS keeps the app's local notifications, as the reminders see
/// it: on iOS `UserNotificationReminderScheduler`, in the tests an
/// in-memory fake. Calls come from `RemindersClient.reconcile`, one
/// reconcile at a time per client.
public protocol ReminderScheduler {
    /// How many reminders the OS keeps for the app at once: a plan holds at
    /// most this many, the soonest.
    var capacity: UInt32 { get }

    /// The reminder ids the OS holds now (not yet shown).
    func pending() async -> [String]

    /// Holds `reminder` until its `atMs`, replacing one with the same id;
    /// one whose time has passed is shown now. Shows its title and body
    /// (free of personal data: lock screens show them) and opens its
    /// `deepLink` when tapped.
    func schedule(_ reminder: Reminder) async throws

    /// Drops reminder `id` if the OS holds it; nothing if not.
    func cancel(id: String) async

    /// Ids shown since the core last heard of them (see `reported`): a
    /// reconcile reports them first, so a reminder whose time passed is
    /// shown once.
    func shown() async -> [String]

    /// The core has recorded `ids` (from `shown()`) as shown: forget them.
    func reported(_ ids: [String]) async
}

extension ReminderScheduler {
    /// What iOS keeps: the 64 soonest pending local notifications of an app.
    public var capacity: UInt32 { 64 }

    /// None, for a scheduler whose posting reports them itself.
    public func shown() async -> [String] { [] }

    public func reported(_ ids: [String]) async {}
}

/// Reminders the shell shows as local notifications: an application's
/// status changed (found by a sync), an application asks for materials by a
/// date (补正), a licence nears its last valid day. The core computes,
/// deterministically, what is due; the shell makes the OS's list match it
/// with `reconcile`.
///
/// One scheduled notification is never relied on (iOS keeps only an app's
/// 64 soonest, time zones change), so reconcile on every app start
/// (`didFinishLaunching`, and on returning to the foreground), after every
/// sync (a background refresh included), and on a time-zone or clock change
/// (`reconcileOnTimeChanges`). Not behind the app lock: it runs in the
/// background, and no text it shows names a service, a person or a number
/// of theirs.
public final class RemindersClient: @unchecked Sendable {
    private let handle: RemindersHandle
    private let serial = SerialRunner()

    init(_ handle: RemindersHandle) {
        self.handle = handle
    }

    /// Makes `scheduler` hold exactly the reminders due within `horizonDays`
    /// (the soonest `capacity` of them, by default the scheduler's): reports
    /// what it showed, asks the core for the plan against what it holds,
    /// cancels what is gone and schedules what is new. Returns the plan
    /// applied. `utcOffsetMinutes` defaults to the device's zone now.
    ///
    /// Reminder ids name an event, not a time: after a time-zone, clock or
    /// language change pass `replace`, which sets every due reminder again
    /// (with its new time and text) instead of only the new ones.
    @discardableResult
    public func reconcile(
        scheduler: ReminderScheduler,
        language: String = PalmGovClient.language,
        utcOffsetMinutes: Int32? = nil,
        horizonDays: UInt32 = 30,
        capacity: UInt32? = nil,
        replace: Bool = false
    ) async throws -> ReminderPlan {
        let offset = utcOffsetMinutes ?? deviceUTCOffsetMinutes()
        let keeps = capacity ?? scheduler.capacity
        return try await serial.run {
            try await self.reportShown(scheduler: scheduler)
            let pending = await scheduler.pending()
            var plan = try await self.handle.plan(
                scheduled: replace ? [] : pending, language: language, utcOffsetMinutes: offset,
                horizonDays: horizonDays, capacity: keeps)
            if replace {
                let due = Set(plan.due.map { $0.id })
                plan.cancel = pending.filter { !due.contains($0) }
            }
            for id in plan.cancel {
                await scheduler.cancel(id: id)
            }
            for reminder in plan.schedule {
                try await scheduler.schedule(reminder)
            }
            return plan
        }
    }

    /// Tells the core what `scheduler` showed (`shown()`), then lets it
    /// forget them. Every reconcile does this first.
    public func reportShown(scheduler: ReminderScheduler) async throws {
        let ids = await scheduler.shown()
        guard !ids.isEmpty else { return }
        try await handle.shown(ids: ids)
        await scheduler.reported(ids)
    }

    /// The plan alone, for a shell that applies it itself: `scheduled` are
    /// the ids the OS holds now, `capacity` how many it keeps.
    public func plan(
        scheduled: [String], language: String = PalmGovClient.language, utcOffsetMinutes: Int32? = nil,
        horizonDays: UInt32 = 30, capacity: UInt32 = 64
    ) async throws -> ReminderPlan {
        try await handle.plan(
            scheduled: scheduled, language: language,
            utcOffsetMinutes: utcOffsetMinutes ?? deviceUTCOffsetMinutes(), horizonDays: horizonDays,
            capacity: capacity)
    }

    /// Reminders shown (by the shell, or by the OS as the shell saw): one
    /// whose time has passed is not offered again.
    public func shown(ids: [String]) async throws {
        try await handle.shown(ids: ids)
    }

    /// Reconciles, replacing every reminder, whenever the time zone, the
    /// clock or the language changes while the app runs (iOS also posts a
    /// significant time change on returning to the foreground if one
    /// happened meanwhile). Keep the observer for as long as the app runs;
    /// releasing it stops the observing.
    public func reconcileOnTimeChanges(
        scheduler: ReminderScheduler,
        language: @escaping @Sendable () -> String = { PalmGovClient.language }
    ) -> ReminderTimeObserver {
        ReminderTimeObserver(reminders: self, scheduler: scheduler, language: language)
    }
}

/// Observes what moves reminders (from `RemindersClient.reconcileOnTimeChanges`).
public final class ReminderTimeObserver: @unchecked Sendable {
    private var observers: [NSObjectProtocol] = []

    /// `UIApplication.significantTimeChangeNotification` by its name, so this
    /// file needs no UIKit (and no main actor): midnight, a clock set by
    /// hand or by the carrier, a daylight-saving change.
    private static let significantTimeChange = Notification.Name("UIApplicationSignificantTimeChangeNotification")

    init(reminders: RemindersClient, scheduler: ReminderScheduler, language: @escaping @Sendable () -> String) {
        let names: [Notification.Name] = [
            .NSSystemTimeZoneDidChange,
            .NSSystemClockDidChange,
            Self.significantTimeChange,
            NSLocale.currentLocaleDidChangeNotification,
        ]
        observers = names.map { name in
            NotificationCenter.default.addObserver(forName: name, object: nil, queue: nil) { _ in
                Task {
                    // A failure waits for the next reconcile (at the latest the next start).
                    _ = try? await reminders.reconcile(scheduler: scheduler, language: language(), replace: true)
                }
            }
        }
    }

    deinit {
        for observer in observers {
            NotificationCenter.default.removeObserver(observer)
        }
    }
}

#if canImport(UserNotifications)
/// The `ReminderScheduler` on `UNUserNotificationCenter`: one local
/// notification request per reminder.
///
/// Why these choices:
/// - A time-interval trigger from the core's instant (`atMs`), not a
///   calendar one: the core already placed the reminder at a local hour in
///   the zone it was given, and after a zone or clock change the observer
///   reconciles with `replace` anyway. A time already passed gets no
///   trigger: iOS delivers it at once.
/// - `capacity` 64: iOS keeps an app's 64 soonest pending local
///   notifications and silently discards the rest; the plan never asks for
///   more, so nothing is lost unseen (the later ones come in with later
///   reconciles).
/// - Request identifiers carry a prefix, so other notifications of the app
///   are never counted or cancelled.
/// - iOS delivers the notification itself, so nothing runs when it is
///   shown: this keeps the ids it scheduled with their times (UserDefaults,
///   ids and times only: no text, no person), and `shown()` gives those
///   whose time passed and that iOS no longer holds as pending.
/// - Without the person's permission (`UNUserNotificationCenter
///   .requestAuthorization`, which the app asks at a moment that explains
///   why) nothing is held; the first reconcile after they allow it
///   schedules everything due.
///
/// The tapped reminder's deep link: `deepLink(of:)` in the app's
/// `userNotificationCenter(_:didReceive:)`.
public final class UserNotificationReminderScheduler: ReminderScheduler, @unchecked Sendable {
    /// What every request identifier of a reminder starts with.
    public static let identifierPrefix = "org.palmgov.reminder."
    /// Where the deep link is in a notification's `userInfo`.
    public static let deepLinkKey = "org.palmgov.reminder.deepLink"
    private static let recordKey = "org.palmgov.reminders.scheduled"

    public let capacity: UInt32 = 64
    private let center: UNUserNotificationCenter
    private let defaults: UserDefaults
    private let lock = NSLock()

    public init(center: UNUserNotificationCenter = .current(), defaults: UserDefaults = .standard) {
        self.center = center
        self.defaults = defaults
    }

    public func pending() async -> [String] {
        await center.pendingNotificationRequests().compactMap { Self.reminderID($0.identifier) }
    }

    public func schedule(_ reminder: Reminder) async throws {
        let content = UNMutableNotificationContent()
        content.title = reminder.title
        content.body = reminder.body
        content.sound = .default
        content.threadIdentifier = "org.palmgov.reminders"
        content.userInfo = [Self.deepLinkKey: reminder.deepLink]
        let wait = TimeInterval(reminder.atMs) / 1000 - Date().timeIntervalSince1970
        let trigger = wait >= 1 ? UNTimeIntervalNotificationTrigger(timeInterval: wait, repeats: false) : nil
        let request = UNNotificationRequest(
            identifier: Self.identifierPrefix + reminder.id, content: content, trigger: trigger)
        do {
            try await center.add(request)
        } catch let error as UNError where error.code == .notificationsNotAllowed {
            return
        }
        updateRecord { $0[reminder.id] = reminder.atMs }
    }

    public func cancel(id: String) async {
        center.removePendingNotificationRequests(withIdentifiers: [Self.identifierPrefix + id])
        updateRecord { $0[id] = nil }
    }

    public func shown() async -> [String] {
        let held = Set(await self.pending())
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return record().filter { $0.value <= now && !held.contains($0.key) }.map { $0.key }.sorted()
    }

    public func reported(_ ids: [String]) async {
        updateRecord { record in
            for id in ids {
                record[id] = nil
            }
        }
    }

    /// The deep link of a tapped reminder (relative to the app's scheme:
    /// `applications/<id>`, `wallet`); nil for another notification.
    public static func deepLink(of response: UNNotificationResponse) -> String? {
        guard reminderID(response.notification.request.identifier) != nil else { return nil }
        return response.notification.request.content.userInfo[deepLinkKey] as? String
    }

    private static func reminderID(_ identifier: String) -> String? {
        identifier.hasPrefix(identifierPrefix) ? String(identifier.dropFirst(identifierPrefix.count)) : nil
    }

    /// The ids scheduled, with their times. Synchronous: `NSLock` is not for
    /// async contexts.
    private func record() -> [String: Int64] {
        lock.lock()
        defer { lock.unlock() }
        return (defaults.dictionary(forKey: Self.recordKey) as? [String: Int64]) ?? [:]
    }

    private func updateRecord(_ change: (inout [String: Int64]) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        var record = (defaults.dictionary(forKey: Self.recordKey) as? [String: Int64]) ?? [:]
        change(&record)
        defaults.set(record, forKey: Self.recordKey)
    }
}
#endif

/// Runs async work one piece at a time, in the order asked: an actor
/// alone would let two reconciles interleave at every `await`.
private final class SerialRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var tail: Task<Void, Never>?

    func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = enqueue(work)
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Synchronous: `NSLock` is not for async contexts.
    private func enqueue<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Task<T, Error> {
        lock.lock()
        defer { lock.unlock() }
        let previous = tail
        let task = Task<T, Error> {
            _ = await previous?.value
            return try await work()
        }
        tail = Task { _ = try? await task.value }
        return task
    }
}

/// The device's UTC offset now, from file scope: inside `RemindersClient`
/// the parameters of the same name would shadow the module's function.
private func deviceUTCOffsetMinutes() -> Int32 {
    utcOffsetMinutes()
}
