import Foundation
import XCTest
@testable import PalmGov

/// Mirrors android/jvm/src/test/kotlin/org/palmgov/ServicesTest.kt: the
/// service catalog (办事指南) and reminders, against the reference backend,
/// which serves the demo region's catalog (regions/330106/catalog) by
/// content hash. A core opened without a region profile fetches it
/// unpinned; it is then searched offline by initials (`sfz`) and by an
/// everyday word (低保), and a resident's wallet covers the ID card a
/// service asks for while the rest is to bring or photograph.
///
/// Reminders: a caseworker asks for materials by a date (补正) on an
/// application the resident sent; after a sync, a reconcile against an
/// in-memory OS schedules the status change and the due-date reminders; a
/// second one changes nothing; a reminder dropped from the OS is set again;
/// one the OS showed is reported and not set again; and a time-zone change
/// moves every reminder.
final class ServicesTests: XCTestCase {
    private static var provider: TestProvider!
    private static var backend: ReferenceBackend!
    private static let redirect = "org.palmgov.app:/oauth2redirect"
    /// UTC+8, minutes.
    private static let beijing: Int32 = 480
    private static let hour: Int64 = 3_600_000
    private static let day: Int64 = 24 * hour

    override class func setUp() {
        super.setUp()
        provider = try! TestProvider()
        backend = try! ReferenceBackend(issuer: provider.issuer)
    }

    override class func tearDown() {
        backend = nil
        provider = nil
        super.tearDown()
    }

    /// Alice (陈丽华), signed in on a core of her own, unlocked.
    private func resident() async throws -> PalmGovClient {
        let core = try PalmGovClient(
            dataDirectory: temporaryDirectory(),
            server: PalmGovClient.serverConfig(baseURL: Self.backend.baseURL),
            keystore: TestKeystore(),
            appLock: TestAppLock(),
            identity: PalmGovClient.identityConfig(
                issuer: Self.provider.issuer, clientID: "palmgov-app", redirectURI: Self.redirect),
            wallet: testWalletConfig()
        )
        try await core.unlock(reason: "test")
        _ = try await core.identity.login(browser: CountingBrowser(login: "alice", acr: nil))
        return core
    }

    func testTheCatalogIsFetchedSearchedOfflineAndTheWalletCoversWhatItCan() async throws {
        let core = try await resident()
        defer { core.close() }
        let before = try await core.services.status()
        XCTAssertNil(before)
        do {
            _ = try await core.services.search(query: "sfz", language: "zh-Hans")
            XCTFail("searched without a catalog")
        } catch PalmGovError.CatalogMissing {}

        let first = try await core.services.update()
        XCTAssertTrue(first.updated && first.chunksFetched > 0, "\(first)")
        let status = try XCTUnwrap(first.status)
        XCTAssertEqual(status.regionCode, "330106")
        XCTAssertTrue(status.services > 0 && !status.outdated, "\(status)")
        let stored = try await core.services.status()
        XCTAssertEqual(stored, status)
        // The same manifest again: nothing taken, no chunk fetched.
        let again = try await core.services.update()
        XCTAssertTrue(!again.updated && again.chunksFetched == 0, "\(again)")

        // Initials (which the region's catalog also lists as an everyday word
        // for 居民身份证): an ID card service, 身份证 highlighted.
        let sfz = try await core.services.search(query: "sfz", language: "zh-Hans", limit: 3)
        let card = try XCTUnwrap(sfz.first { $0.name.contains("居民身份证") }, "\(sfz)")
        XCTAssertTrue(card.matched == .initials || card.matched == .synonym, "\(card)")
        let marked = card.highlightRanges.map { String(card.name[$0]) }
        XCTAssertTrue(marked.contains { $0.contains("身份证") }, "\(marked)")

        // An everyday word for the official term.
        let everyday = try await core.services.search(query: "低保", language: "zh-Hans", limit: 3)
        let dibao = try XCTUnwrap(everyday.first)
        XCTAssertTrue(dibao.name.contains("最低生活保障"), "\(dibao)")
        XCTAssertEqual(dibao.matched, .synonym)
        XCTAssertEqual(dibao.matchedTerm, "最低生活保障")

        // The catalog is public: found and read while the app is locked.
        try core.lock()
        let locked = try await core.services.search(query: "低保", language: "zh-Hans")
        XCTAssertFalse(locked.isEmpty)
        let read = try await core.services.show(code: dibao.code, language: "zh-Hans")
        XCTAssertEqual(read.code, dibao.code)
        do {
            _ = try await core.services.needs(code: dibao.code, language: "zh-Hans")
            XCTFail("what a service needs was read while locked")
        } catch PalmGovError.Locked {}
        try await core.unlock(reason: "test")

        // Her licences: the ID card among them.
        try await core.wallet.refresh()
        let licences = try await core.wallet.licences(language: "zh-Hans")
        XCTAssertTrue(licences.contains { $0.licenceType == "id_card" })

        // A service asking for the ID card and something no licence is.
        var chosen: ServiceGuide?
        let residence = try await core.services.search(query: "居住登记", language: "zh-Hans", limit: 10)
        for hit in residence {
            let guide = try await core.services.show(code: hit.code, language: "zh-Hans")
            if guide.materials.contains(where: { $0.licenceType == "id_card" })
                && guide.materials.contains(where: { $0.licenceType == nil && !$0.answeredByForm })
            {
                chosen = guide
                break
            }
        }
        let guide = try XCTUnwrap(chosen)
        let needs = try await core.services.needs(code: guide.code, language: "zh-Hans")
        XCTAssertEqual(needs.code, guide.code)
        XCTAssertEqual(needs.materials.map { $0.material }, guide.materials)
        let id = try XCTUnwrap(needs.materials.first { $0.material.licenceType == "id_card" })
        XCTAssertEqual(id.source, .inWallet, "\(needs)")
        XCTAssertTrue(needs.materials.contains { $0.source == .bring || $0.source == .photograph }, "\(needs)")
        XCTAssertEqual(UInt32(needs.materials.count), needs.covered + needs.outstanding)
        XCTAssertGreaterThan(needs.outstanding, 0)
        do {
            _ = try await core.services.show(code: "no-such-service", language: "en")
            XCTFail("a code the catalog lacks was shown")
        } catch PalmGovError.NotFound {}
    }

    func testACorrectionRequestBecomesRemindersThatAReconcileKeepsInTheOS() async throws {
        let core = try await resident()
        defer { core.close() }
        try await core.wallet.refresh()
        let instanceID = try await submit(core)
        let link = "applications/\(instanceID)"
        let os = FakeReminderScheduler()
        let ours = { (reminders: [Reminder]) in reminders.filter { $0.deepLink == link } }

        // Sent from this phone: no news, nothing to remind of.
        let quiet = try await core.reminders.reconcile(
            scheduler: os, language: "zh-Hans", utcOffsetMinutes: Self.beijing)
        XCTAssertTrue(ours(quiet.due).isEmpty, "\(quiet)")

        // The caseworker asks for materials within ten days; a sync hears of it.
        let dueAt = Int64(Date().timeIntervalSince1970 * 1000) + 10 * Self.day
        try Self.backend.requestCorrection(instanceID: instanceID, dueAtMs: dueAt, materials: ["户口簿首页复印件"])
        var report: SyncReport?
        for try await update in core.outbox.sync() {
            if case .done(let r) = update { report = r }
        }
        XCTAssertEqual(report?.applicationsChanged, 1, "\(String(describing: report))")

        let plan = try await core.reminders.reconcile(
            scheduler: os, language: "zh-Hans", utcOffsetMinutes: Self.beijing)
        let mine = ours(plan.schedule)
        XCTAssertEqual(mine.map { $0.kind }, [.statusChanged, .materialsDue, .materialsDue], "\(plan)")
        XCTAssertTrue(plan.cancel.isEmpty)
        var pending = await os.pending()
        XCTAssertEqual(Set(pending), Set(plan.due.map { $0.id }))
        guard mine.count == 3 else { return }
        let (status, threeDays, oneDay) = (mine[0], mine[1], mine[2])
        XCTAssertEqual(status.title, "办件进度更新")
        XCTAssertEqual(threeDays.title, "补正材料提醒")
        XCTAssertEqual(threeDays.body, "一项申请需在 3 天内补正材料。")
        XCTAssertEqual(oneDay.body, "一项申请需在 1 天内补正材料。")
        // Due-date reminders at 09:00 Beijing time, before the date.
        for r in [threeDays, oneDay] {
            let local = r.atMs + Int64(Self.beijing) * 60_000
            XCTAssertEqual(((local % Self.day) + Self.day) % Self.day, 9 * Self.hour, "\(r)")
            XCTAssertLessThan(r.atMs, dueAt)
        }
        // Lock screens show them: nothing of hers, nor the application's id.
        for r in mine {
            let shown = r.title + r.body
            XCTAssertFalse(shown.contains("陈丽华") || shown.contains(instanceID), "\(r)")
        }

        // Again: nothing to change.
        let again = try await core.reminders.reconcile(
            scheduler: os, language: "zh-Hans", utcOffsetMinutes: Self.beijing)
        XCTAssertTrue(again.schedule.isEmpty && again.cancel.isEmpty, "\(again)")

        // Dropped from the OS: the next reconcile sets it again.
        os.drop(threeDays.id)
        let back = try await core.reminders.reconcile(
            scheduler: os, language: "zh-Hans", utcOffsetMinutes: Self.beijing)
        XCTAssertEqual(back.schedule.map { $0.id }, [threeDays.id])
        XCTAssertTrue(back.cancel.isEmpty)
        pending = await os.pending()
        XCTAssertEqual(Set(pending), Set(plan.due.map { $0.id }))

        // The OS shows the status reminder: reported, and not set again.
        os.fire(status.id)
        let afterShown = try await core.reminders.reconcile(
            scheduler: os, language: "zh-Hans", utcOffsetMinutes: Self.beijing)
        XCTAssertTrue(afterShown.schedule.isEmpty && afterShown.cancel.isEmpty, "\(afterShown)")
        let unreported = await os.shown()
        XCTAssertTrue(unreported.isEmpty, "reported")
        XCTAssertFalse(ours(afterShown.due).contains { $0.id == status.id })

        // The phone moves to UTC: the same reminders (their ids name the
        // event, not the time), each set again, now at 09:00 UTC.
        let moved = try await core.reminders.reconcile(
            scheduler: os, language: "zh-Hans", utcOffsetMinutes: 0, replace: true)
        XCTAssertEqual(moved.schedule.map { $0.id }, afterShown.due.map { $0.id })
        XCTAssertTrue(moved.cancel.isEmpty)
        let movedDue = try XCTUnwrap(ours(moved.schedule).first { $0.id == threeDays.id })
        XCTAssertEqual(((movedDue.atMs % Self.day) + Self.day) % Self.day, 9 * Self.hour, "\(movedDue)")
        XCTAssertNotEqual(movedDue.atMs, threeDays.atMs)
        XCTAssertEqual(os.held[threeDays.id], movedDue)
    }

    /// Her residence certificate application, finalized and delivered; its
    /// instance id.
    private func submit(_ core: PalmGovClient) async throws -> String {
        _ = try await core.drafts.refreshForms(language: "zh-Hans")
        let draftID = try await core.drafts.createDraft(formID: "residence-certificate", language: "zh-Hans").summary.id
        let offer = try await core.drafts.licenceOffer(draftID: draftID, field: "household_register", language: "zh-Hans")
        let licence = try XCTUnwrap(offer.licences.first)
        _ = try await core.drafts.attachLicence(
            draftID: draftID, field: "household_register", licenceID: licence.licenceId, language: "zh-Hans")
        _ = try await core.drafts.saveAnswer(draftID: draftID, path: "certificate_use", valueJSON: "\"school\"")
        let outcome = try await core.drafts.finalizeDraft(draftID: draftID)
        XCTAssertTrue(outcome.issues.isEmpty, "\(outcome.issues)")
        var report: SyncReport?
        for try await update in core.outbox.sync() {
            if case .done(let r) = update { report = r }
        }
        XCTAssertEqual(report?.delivered, 1, "\(String(describing: report))")
        return try XCTUnwrap(outcome.instanceId)
    }
}
