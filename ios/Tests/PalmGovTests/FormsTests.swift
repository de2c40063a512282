import Foundation
import ImageIO
import XCTest
@testable import PalmGov

/// Mirrors android/jvm/src/test/kotlin/org/palmgov/FormsTest.kt: a household
/// visit with a repeat group and a photo, the core closed and reopened,
/// finalize, and a sync against the reference backend observed as a stream.
final class FormsTests: XCTestCase {
    private static var provider: TestProvider!
    private static let redirect = "org.palmgov.app:/oauth2redirect"

    override class func setUp() {
        super.setUp()
        provider = try! TestProvider()
    }

    override class func tearDown() {
        provider = nil
        super.tearDown()
    }

    private func open(_ dir: URL, _ backend: ReferenceBackend) throws -> PalmGovClient {
        try PalmGovClient(
            dataDirectory: dir,
            server: PalmGovClient.serverConfig(baseURL: backend.baseURL),
            keystore: TestKeystore(),
            appLock: TestAppLock(),
            identity: PalmGovClient.identityConfig(
                issuer: Self.provider.issuer, clientID: "palmgov-app", redirectURI: Self.redirect)
        )
    }

    func testFillWithARepeatAndAPhotoReopenFinalizeAndSync() async throws {
        let backend = try ReferenceBackend(issuer: Self.provider.issuer)
        let dir = try temporaryDirectory()
        let draftID: String
        do {
            let core = try open(dir, backend)
            defer { core.close() }
            try await core.unlock(reason: "test")
            _ = try await core.identity.login(browser: CountingBrowser(login: "grid-worker", acr: nil))
            try backend.assignSampleRoster(worker: "grid-worker", households: 2)
            let roster = try await core.roster.refreshRoster()
            XCTAssertEqual(roster.map { $0.origin }, [.assigned, .assigned])
            // Records with personal data print redacted: a log line or a
            // crash report holding a household names nobody.
            let household = roster[0]
            XCTAssertEqual(household.members.count, 3)
            for printed in [String(describing: household), String(reflecting: household), "\(household)"] {
                XCTAssertFalse(printed.contains(household.headName), printed)
                XCTAssertFalse(household.members.contains { printed.contains($0.name) }, printed)
            }
            let met = try await core.roster.addHousehold(
                NewHousehold(headName: "赵六", address: "", division: "330106001001"))
            XCTAssertEqual(met.sync, .pending)
            do {
                _ = try await core.roster.addHousehold(NewHousehold(headName: "赵六", address: "", division: "339999"))
                XCTFail("an unknown county was accepted")
            } catch PalmGovError.InvalidInput(let field) {
                XCTAssertEqual(field, "division")
            }
            let forms = try await core.drafts.refreshForms(language: "zh-Hans")
            XCTAssertTrue(forms.contains { $0.formId == "household-visit" && $0.title == "入户走访登记" })

            let view = try await core.drafts.createDraft(
                formID: "household-visit", subject: DraftSubject(householdId: "HH-7", name: "张三"), language: "en")
            draftID = view.summary.id
            XCTAssertFalse(String(describing: view.summary).contains("张三"))
            XCTAssertFalse(view.fields.contains { String(reflecting: $0).contains("张三") })
            let first = view.repeats[0].instanceIds[0]
            for (path, value) in [
                ("visit_date", "\"2026-11-20\""), ("household_division", "\"330106001001\""),
                ("head_name", "\"张三\""), ("head_id_number", "\"11010519491231002X\""),
            ] {
                _ = try await core.drafts.saveAnswer(draftID: draftID, path: path, valueJSON: value)
            }
            let rented = try await core.drafts.saveAnswer(
                draftID: draftID, path: "housing", valueJSON: "\"rented\"", language: "en")
            let rent = rented.changed.first { $0.path == "rent_monthly" }
            XCTAssertEqual(rent?.relevant, true)
            XCTAssertEqual(rent?.required, true)
            _ = try await core.drafts.saveAnswer(draftID: draftID, path: "housing", valueJSON: "\"owned\"")
            _ = try await core.drafts.saveAnswer(draftID: draftID, path: "members/\(first)/member_name", valueJSON: "\"张三\"")
            _ = try await core.drafts.saveAnswer(draftID: draftID, path: "members/\(first)/member_age", valueJSON: "70")
            let second = try await core.drafts.addRepeatInstance(draftID: draftID, repeat: "members").instanceId
            _ = try await core.drafts.saveAnswer(draftID: draftID, path: "members/\(second)/member_name", valueJSON: "\"李四\"")
            let effects = try await core.drafts.saveAnswer(
                draftID: draftID, path: "members/\(second)/member_age", valueJSON: "65")
            XCTAssertEqual(effects.changed.first { $0.path == "elderly_count" }?.valueJson, "2")

            let photo = try await core.drafts.registerAttachment(draftID: draftID, path: "door_photo")
            try cameraJpeg(width: 1280, height: 960, exifOrientation: 6)
                .write(to: URL(fileURLWithPath: photo.capturePath))
            let stored = try await core.drafts.ingestAttachment(attachmentID: photo.attachmentId)
            XCTAssertEqual(stored.height, 1280)
            XCTAssertFalse(FileManager.default.fileExists(atPath: photo.capturePath))

            // What an iPhone camera hands over: HEIC, held sideways.
            let heic = try heicPhoto(cameraJpeg(width: 800, height: 600, exifOrientation: 6))
            let signature = try await core.drafts.registerAttachment(draftID: draftID, path: "worker_signature")
            try CaptureWriter.write(heic, to: signature.capturePath)
            let signed = try await core.drafts.ingestAttachment(attachmentID: signature.attachmentId)
            XCTAssertEqual([signed.width, signed.height], [600, 800])
            XCTAssertThrowsError(try CaptureWriter.write(Data("no image".utf8), to: signature.capturePath)) {
                XCTAssertEqual($0 as? CaptureWriter.Failure, .unreadable)
            }
        }

        let core = try open(dir, backend)
        defer { core.close() }
        try await core.unlock(reason: "test")
        let resumed = try await core.drafts.openDraft(draftID: draftID, language: "en")
        XCTAssertEqual(resumed.repeats.map { $0.instanceIds.count }, [2])
        XCTAssertEqual(resumed.fields.first { $0.path == "head_name" }?.valueJson, "\"张三\"")
        let found = try await core.drafts.searchDrafts(query: "张三")
        XCTAssertEqual(found.count, 1)

        let outcome = try await core.drafts.finalizeDraft(draftID: draftID)
        XCTAssertTrue(outcome.issues.isEmpty)

        var progress: [SyncProgress] = []
        var report: SyncReport?
        for try await update in core.outbox.sync() {
            switch update {
            case .progress(let p): progress.append(p)
            case .done(let r): report = r
            }
        }
        XCTAssertEqual(report?.delivered, 1)
        XCTAssertEqual(report?.householdsSent, 1)
        let roster = try await core.roster.roster()
        XCTAssertTrue(roster.allSatisfy { $0.sync == .synced })
        XCTAssertGreaterThanOrEqual(progress.count, 2)
        XCTAssertEqual(progress.last?.bytesDone, progress.last?.bytesTotal)
        let submissions = try await core.outbox.submissions()
        guard case .delivered = submissions.first?.state else {
            return XCTFail("not delivered: \(String(describing: submissions.first?.state))")
        }

        // A caseworker accepts the application: the app hears of it through
        // the subscription, as an AsyncStream, with no note in it.
        let changes = core.outbox.applicationChanges()
        let heard = Task { () -> [ApplicationChange]? in
            for try await batch in changes { return batch }
            return nil
        }
        try backend.setStatus(instanceID: submissions[0].instanceId, status: "accepted")
        let changed = try await core.outbox.refreshApplications()
        XCTAssertEqual(changed.first?.status, "accepted")
        let batch = try await heard.value
        XCTAssertEqual(batch?.first?.status, "accepted")

        let logout = try await core.identity.logout()
        XCTAssertEqual(logout.queuedSubmissions, 0)
    }
}

/// Re-encodes a JPEG as HEIC with its properties (the orientation), as the
/// iPhone camera writes it.
private func heicPhoto(_ jpeg: Data) throws -> Data {
    let out = NSMutableData()
    guard let source = CGImageSourceCreateWithData(jpeg as CFData, nil),
          let destination = CGImageDestinationCreateWithData(out, "public.heic" as CFString, 1, nil)
    else {
        throw CaptureWriter.Failure.unreadable
    }
    CGImageDestinationAddImageFromSource(destination, source, 0, nil)
    guard CGImageDestinationFinalize(destination) else { throw CaptureWriter.Failure.notWritten }
    return out as Data
}
