import Foundation
import Network
import XCTest
@testable import PalmGov

/// Mirrors android/jvm/src/test/kotlin/org/palmgov/PalmGovClientTest.kt.
final class PalmGovClientTests: XCTestCase {
    private static var backend: ReferenceBackend!

    override class func setUp() {
        super.setUp()
        backend = try! ReferenceBackend()
    }

    override class func tearDown() {
        backend = nil
        super.tearDown()
    }

    private func open(
        _ dir: URL,
        keystore: Keystore = TestKeystore(),
        url: String = PalmGovClientTests.backend.baseURL,
        appLock: AppLock = TestAppLock(),
        sink: LogSink? = nil
    ) throws -> PalmGovClient {
        try PalmGovClient(
            dataDirectory: dir,
            server: PalmGovClient.serverConfig(baseURL: url),
            keystore: keystore,
            appLock: appLock,
            logSink: sink
        )
    }

    /// The foundation's end-to-end path: Swift → bindings → Rust → SQLite and HTTP → back.
    func testStoresEncryptedDataCallsTheBackendAndSurvivesAReopen() async throws {
        let dir = temporaryDirectory()
        let keystore = TestKeystore()
        let secret = Data("110101199003074258 张三 token=abc".utf8)
        do {
            let core = try open(dir, keystore: keystore)
            try await core.unlock(reason: "test")
            try await core.secureStore.put(namespace: "profile", key: "id", value: secret)
            let back = try await core.secureStore.get(namespace: "profile", key: "id")
            XCTAssertEqual(back, secret)

            let health = try await core.region.serverHealth()
            XCTAssertEqual(health.status, "ok")
            XCTAssertEqual(health.apiVersion, 1)
            XCTAssertNotNil(health.clockOffsetMs)

            let region = try await core.region.refreshConfig()
            XCTAssertEqual(region.regionCode, "330106")

            let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
            for case let file as URL in files {
                if let bytes = try? Data(contentsOf: file) {
                    XCTAssertNil(bytes.range(of: secret), "plaintext found in \(file.lastPathComponent)")
                }
            }
            core.close()
        }
        XCTAssertGreaterThan(keystore.calls, 0)
        let core = try open(dir, keystore: keystore, url: "http://127.0.0.1:9/")
        // The app's own records are behind the app lock; the region's
        // configuration is not personal.
        do {
            _ = try await core.secureStore.get(namespace: "profile", key: "id")
            XCTFail("expected Locked")
        } catch let error as PalmGovError {
            XCTAssertEqual(error.code, "app_lock.locked")
        }
        let cached = try await core.region.cachedConfig()
        XCTAssertEqual(cached?.regionCode, "330106")
        try await core.unlock(reason: "test")
        let again = try await core.secureStore.get(namespace: "profile", key: "id")
        XCTAssertEqual(again, secret)
        let entries = try await core.secureStore.list(namespace: "profile")
        XCTAssertEqual(entries.map(\.key), ["id"])
        core.close()
    }

    func testWrongKeyCorruptDatabaseAndUnwritableDirectoryAreDistinctErrors() async throws {
        let dir = temporaryDirectory()
        let first = try open(dir)
        try await first.unlock(reason: "test")
        try await first.secureStore.put(namespace: "n", key: "k", value: Data([1]))
        first.close()
        XCTAssertThrowsError(try open(dir, keystore: TestKeystore(secret: 9))) { error in
            XCTAssertEqual((error as? PalmGovError)?.code, "storage.wrong_key")
        }

        let corrupt = temporaryDirectory()
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        let db = corrupt.appendingPathComponent("palmgov.db")
        try Data(repeating: 0x5a, count: 8192).write(to: db)
        XCTAssertThrowsError(try open(corrupt)) { error in
            XCTAssertEqual((error as? PalmGovError)?.code, "storage.corrupt")
        }
        XCTAssertEqual(try Data(contentsOf: db).count, 8192, "a corrupt database is kept, not recreated")

        let parent = temporaryDirectory()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let blocker = parent.appendingPathComponent("data")
        try Data("not a directory".utf8).write(to: blocker)
        XCTAssertThrowsError(try open(blocker)) { error in
            XCTAssertEqual((error as? PalmGovError)?.code, "storage.dir_unwritable")
        }
    }

    /// An error the core added reaches Swift with its own code and sentences, in every language.
    func testAWrongPhoneClockHasItsOwnCodeAndMessage() {
        let error = PalmGovError.ClockWrong
        XCTAssertEqual(error.code, "identity.clock_wrong")
        let sentences = ["en", "zh-Hans", "zh-Hant", "ug"].map { error.message(language: $0) }
        XCTAssertFalse(sentences.contains { $0.isEmpty || $0.contains("clock_wrong") }, "\(sentences)")
        XCTAssertEqual(Set(sentences).count, sentences.count, "\(sentences)")
    }

    /// The development routes read and change every resident's data: only the admin token opens them.
    func testTheBackendsDevelopmentRoutesNeedItsAdminToken() {
        let backend = Self.backend!
        let body = #"{"sample":1}"#
        XCTAssertEqual(backend.dev("PUT", "v1/dev/roster/grid-7", body: body, token: nil), 401)
        XCTAssertEqual(
            backend.dev("PUT", "v1/dev/roster/grid-7", body: body, token: ReferenceBackend.devAdminToken + "0"), 401)
        XCTAssertEqual(backend.dev("PUT", "v1/dev/roster/grid-7", body: body), 200)
    }

    func testAPanicInsideTheCoreReachesSwiftAsAnError() async throws {
        let core = try open(temporaryDirectory())
        XCTAssertThrowsError(try core.diagnosticsPanic())
        do {
            try await core.diagnosticsPanicAsync()
            XCTFail("expected an error")
        } catch let error as PalmGovError {
            XCTAssertEqual(error.code, "internal")
        }
        try await core.unlock(reason: "test")
        try await core.secureStore.put(namespace: "n", key: "k", value: Data([2]))
        let value = try await core.secureStore.get(namespace: "n", key: "k")
        XCTAssertEqual(value, Data([2]))
        core.close()
    }

    func testNetworkFailuresAreTypedAndCancellationReachesTheCore() async throws {
        let offline = try open(temporaryDirectory(), url: "http://127.0.0.1:9/")
        do {
            _ = try await offline.region.serverHealth()
            XCTFail("expected Offline")
        } catch let error as PalmGovError {
            XCTAssertEqual(error.code, "net.offline")
        }
        offline.close()

        // A listener that accepts and never answers.
        let listener = try NWListener(using: .tcp, on: .any)
        listener.newConnectionHandler = { $0.start(queue: .global()) }
        listener.start(queue: .global())
        defer { listener.cancel() }
        while listener.port == nil { try await Task.sleep(nanoseconds: 10_000_000) }
        let core = try open(temporaryDirectory(), url: "http://127.0.0.1:\(listener.port!.rawValue)/")
        let started = Date()
        let task = Task { try await core.region.serverHealth() }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch let error as PalmGovError {
            XCTAssertEqual(error.code, "cancelled")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        core.close()
    }

    func testTheAppLockGatesUnlockAndLogsArriveAsAStream() async throws {
        let sink = StreamLogSink()
        let lock = TestAppLock(.denied)
        let core = try open(temporaryDirectory(), appLock: lock, sink: sink)
        do {
            try await core.unlock(reason: "test")
            XCTFail("expected Locked")
        } catch let error as PalmGovError {
            XCTAssertEqual(error.code, "app_lock.locked")
        }
        XCTAssertFalse(try core.isUnlocked)
        lock.outcome = .unlocked
        try await core.unlock(reason: "test")
        XCTAssertTrue(try core.isUnlocked)
        XCTAssertEqual(lock.prompts, 2)
        var opened: LogRecord?
        for await record in sink.records where record.message.contains("core opened") {
            opened = record
            break
        }
        XCTAssertEqual(opened?.level, .info)
        core.close()
    }

    /// A phone with no passcode is not an open door: the app PIN stands in.
    func testAPhoneWithoutAPasscodeGetsTheAppPIN() async throws {
        let core = try open(temporaryDirectory(), appLock: TestAppLock(available: false))
        XCTAssertEqual(try await core.lockStatus().method, .appPinNotSet)
        do {
            _ = try await core.secureStore.list(namespace: "profile")
            XCTFail("expected Locked")
        } catch PalmGovError.Locked {}
        do {
            try await core.unlock(reason: "test")
            XCTFail("expected PinRequired")
        } catch PalmGovError.PinRequired {}
        try await core.setAppPin("285714")
        _ = try await core.secureStore.list(namespace: "profile")
        try core.lock()
        do {
            try await core.unlockWithPin("000001")
            XCTFail("expected WrongPin")
        } catch PalmGovError.WrongPin(let wait) {
            XCTAssertEqual(wait, 0)
        }
        try await core.unlockWithPin("285714")
        XCTAssertTrue(try core.isUnlocked)
        core.close()
    }

    func testCloseIsIdempotentAndLaterCallsThrowClosed() async throws {
        let core = try open(temporaryDirectory())
        core.close()
        core.close()
        XCTAssertThrowsError(try core.isUnlocked) { error in
            XCTAssertEqual((error as? PalmGovError)?.code, "closed")
        }
    }
}
