import CryptoKit
import Foundation
import XCTest
@testable import PalmGov

/// Mirrors android/jvm/src/test/kotlin/org/palmgov/RegionTest.kt (and
/// tests/tests/region.rs): a region build's core starts on its bundled
/// profile, verified offline; a rolled-back profile and one signed by too
/// few distinct keys are refused with a typed error and the profile in
/// force stays; and a profile that moves the region to a new backend and a
/// new provider is applied to the open core, after which a visit queued
/// before the switch is delivered to the new backend once the worker signs
/// in there (her new account takes over the old one's queue: both providers
/// vouch for the same ID number).
///
/// The profiles are signed by the region tools (`palmgov region sign`, the
/// binary beside PALMGOV_SERVER_BIN) with the test keys in
/// regions/keys/test/, which the test build pins.
final class RegionTests: XCTestCase {
    private static var oldProvider: TestProvider!
    private static var newProvider: TestProvider!
    private static var oldBackend: ReferenceBackend!
    private static var newBackend: ReferenceBackend!

    private static let region = "330106"
    private static let worker = "grid-7"
    private static let clientID = "palmgov-app"
    private static let redirect = "org.palmgov.app:/oauth2redirect"
    /// The app id test profiles name (`palmgov_server::region::TEST_APP_ID`).
    private static let appID = "org.palmgov.test"

    /// The public JWKs of the test profile keys (regions/keys/test/, pinned
    /// by every demo region's profile-root.json). TEST KEYS ONLY.
    private static let testProfileRoots = [
        #"{"crv":"P-256","kty":"EC","x":"bxAVLpjvwmwQzPwvq2nl-EH62kPzlVsSFKYfJruCsuQ","y":"WUZdjo6VnGRlS_yh3YrnQeiE1IA6JSnLJBHL728mx5o"}"#,
        #"{"crv":"P-256","kty":"EC","x":"gpLA_Smnp_nwAwZQF_FS-CuCoTXl4ymiwGkNys-YRkM","y":"XSPhQvAxIMk-d_rIiC9j17ckrg12UfjhpduvNmPSFls"}"#,
        #"{"crv":"P-256","kty":"EC","x":"rtCnyWOOCmeWjYimQB9tIseNs12lYBFzu-ND3IS1E40","y":"roGAbm-7K931mWB6_Ofaq4-mAZJCdO132VH5Nh8X92E"}"#,
    ]

    override class func setUp() {
        super.setUp()
        oldProvider = try! TestProvider()
        newProvider = try! TestProvider()
        oldBackend = try! ReferenceBackend(issuer: oldProvider.issuer)
        newBackend = try! ReferenceBackend(issuer: newProvider.issuer)
    }

    override class func tearDown() {
        oldBackend = nil
        newBackend = nil
        oldProvider = nil
        newProvider = nil
        super.tearDown()
    }

    func testTheBundledProfileIsVerifiedAtOpenAndARollbackOrTooFewKeysAreRefused() async throws {
        let (oldBackend, oldProvider) = (Self.oldBackend!, Self.oldProvider!)
        let v2 = try Self.sign(Self.body(oldBackend, oldProvider), version: 2)
        let core = try RegionCore(dir: temporaryDirectory(), bundled: v2, roots: Self.testProfileRoots)
        defer { core.close() }
        let status = try await core.region.profileStatus(language: "en")
        XCTAssertEqual(status?.version, 2)
        XCTAssertEqual(status?.regionCode, Self.region)
        XCTAssertEqual(status?.regionName, "Test region \(Self.region)")
        XCTAssertEqual(status?.baseUrl, oldBackend.baseURL)
        XCTAssertEqual(status?.issuer, oldProvider.issuer)
        XCTAssertEqual(status?.stale, false)
        XCTAssertEqual(status?.updateRequired, false)

        // The backend serves the same profile: nothing to take.
        try oldBackend.serveProfile(v2)
        let same = try await core.region.refreshProfile(language: "en")
        XCTAssertFalse(same.updated || same.switched)

        // An older profile, validly signed: a rollback.
        try oldBackend.serveProfile(Self.sign(Self.body(oldBackend, oldProvider), version: 1))
        await assertRefused(core, "profile.rollback")

        // A newer one signed by one key of the three (two must sign).
        try oldBackend.serveProfile(Self.sign(Self.body(oldBackend, oldProvider), version: 3, keys: [1]))
        await assertRefused(core, "profile.threshold_not_met")

        // A newer one, well signed, for another region than the build's.
        try oldBackend.serveProfile(
            Self.sign(Self.body(oldBackend, oldProvider, region: "653101"), version: 4))
        await assertRefused(core, "profile.other_region")

        let kept = try await core.region.profileStatus(language: "en")
        XCTAssertEqual(kept?.version, 2)
    }

    func testARegionSwitchDeliversAQueuedSubmissionToTheNewBackend() async throws {
        let (oldBackend, oldProvider) = (Self.oldBackend!, Self.oldProvider!)
        let (newBackend, newProvider) = (Self.newBackend!, Self.newProvider!)
        let dir = temporaryDirectory()
        let v1 = try Self.sign(Self.body(oldBackend, oldProvider), version: 1)
        do {
            let core = try RegionCore(dir: dir, bundled: v1, roots: Self.testProfileRoots)
            defer { core.close() }
            let opened = try await core.region.profileStatus(language: "zh-Hans")
            XCTAssertEqual(opened?.version, 1)
            try await core.unlock()
            _ = try await core.identity.login(browser: CountingBrowser(login: Self.worker, acr: nil))
            _ = try await core.drafts.refreshForms(language: "zh-Hans")
            // Finalized, not synced: it waits in the queue.
            let instanceID = try await visit(core.drafts)
            let queued = try await core.outbox.submissions()
            XCTAssertEqual(queued.first?.state, .queued)

            // The region moves to a new backend and a new provider, which
            // succeeds the old one; the old backend serves the profile.
            try oldBackend.serveProfile(
                Self.sign(Self.body(newBackend, newProvider, takesOver: [oldProvider.issuer]), version: 2))
            let switched = try await core.region.refreshProfile(language: "zh-Hans")
            XCTAssertTrue(switched.updated && switched.switched && switched.signInRequired)
            XCTAssertEqual(switched.status.version, 2)
            XCTAssertEqual(switched.status.baseUrl, newBackend.baseURL)
            XCTAssertEqual(switched.status.issuer, newProvider.issuer)

            // Nobody is signed in at the new provider yet: nothing is sent.
            do {
                _ = try await lastReport(core.outbox)
                XCTFail("synced without a sign-in at the new provider")
            } catch PalmGovError.SignInRequired {}

            // She signs in there, the same person: her new account takes the
            // queue over, and it goes to the new backend, once.
            _ = try await core.identity.login(browser: CountingBrowser(login: Self.worker, acr: nil))
            let report = try await lastReport(core.outbox)
            XCTAssertEqual(report?.delivered, 1)
            XCTAssertEqual(try newBackend.instanceIDs(), [instanceID])
            XCTAssertEqual(try oldBackend.instanceIDs(), [], "sent once, to the new backend")
            let submissions = try await core.outbox.submissions()
            guard case .delivered = submissions.first?.state else {
                return XCTFail("not delivered: \(String(describing: submissions.first?.state))")
            }
            let again = try await lastReport(core.outbox)
            XCTAssertEqual(again?.delivered, 0)
        }

        // Reopened with the same bundled profile (the floor): version 2 stays in force.
        let core = try RegionCore(dir: dir, bundled: v1, roots: Self.testProfileRoots)
        defer { core.close() }
        let status = try await core.region.profileStatus(language: "en")
        XCTAssertEqual(status?.version, 2)
        XCTAssertEqual(status?.issuer, newProvider.issuer)
    }

    private func assertRefused(_ core: RegionCore, _ reason: String, line: UInt = #line) async {
        do {
            _ = try await core.region.refreshProfile(language: "en")
            XCTFail("not refused (\(reason))", line: line)
        } catch let error as PalmGovError {
            guard case .RegionProfileRefused(reason: let refused) = error else {
                return XCTFail("\(error)", line: line)
            }
            XCTAssertEqual(refused, reason, line: line)
            XCTAssertEqual(error.code, "region.profile_refused", line: line)
        } catch {
            XCTFail("\(error)", line: line)
        }
    }

    /// One sync run; its closing report.
    private func lastReport(_ outbox: OutboxClient) async throws -> SyncReport? {
        var report: SyncReport?
        for try await update in outbox.sync() {
            if case .done(let r) = update { report = r }
        }
        return report
    }

    /// A household visit with a door photo, finalized; its instance id.
    private func visit(_ drafts: DraftsClient) async throws -> String {
        let view = try await drafts.createDraft(
            formID: "household-visit", subject: DraftSubject(householdId: "HH-7", name: "张三"), language: "en")
        let draftID = view.summary.id
        let member = view.repeats[0].instanceIds[0]
        for (path, value) in [
            ("visit_date", "\"2026-11-20\""), ("household_division", "\"330106001001\""),
            ("head_name", "\"张三\""), ("head_id_number", "\"11010519491231002X\""),
            ("housing", "\"owned\""), ("members/\(member)/member_name", "\"张三\""),
            ("members/\(member)/member_age", "70"),
        ] {
            _ = try await drafts.saveAnswer(draftID: draftID, path: path, valueJSON: value)
        }
        let photo = try await drafts.registerAttachment(draftID: draftID, path: "door_photo")
        try cameraJpeg(width: 640, height: 480, exifOrientation: 1)
            .write(to: URL(fileURLWithPath: photo.capturePath))
        _ = try await drafts.ingestAttachment(attachmentID: photo.attachmentId)
        let outcome = try await drafts.finalizeDraft(draftID: draftID)
        XCTAssertTrue(outcome.issues.isEmpty)
        return try XCTUnwrap(outcome.instanceId)
    }

    /// The repository, found from the provider's directory the run names.
    private static func repository() throws -> URL {
        guard let oidc = ProcessInfo.processInfo.environment["PALMGOV_OIDC_DIR"] else {
            throw NSError(domain: "palmgov.tests", code: 3, userInfo: [NSLocalizedDescriptionKey: "PALMGOV_OIDC_DIR is not set"])
        }
        return URL(fileURLWithPath: oidc).standardizedFileURL
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The pin of the catalog the reference backend serves (the demo
    /// region's bundled one).
    private static var catalogPin: String {
        // A missing manifest stops the tests here, not later as a profile
        // refused for an empty pin.
        guard let root = try? repository(),
              let data = try? Data(contentsOf: root.appendingPathComponent("regions/330106/catalog/manifest.json"))
        else { preconditionFailure("regions/330106/catalog/manifest.json is not readable") }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// A profile body for `region` at `backend`, signing in at `provider`
    /// (taking over the accounts of `takesOver`), for the test app from
    /// 1.0.0, trusting the backend's test licence roots: what
    /// `palmgov_server::region::test_profile_body` makes.
    private static func body(
        _ backend: ReferenceBackend, _ provider: TestProvider, takesOver: [String] = [],
        region: String = RegionTests.region
    ) -> String {
        func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        let levels = (2...5).map { "urn:palmgov:loa:\($0)" }
        return """
            {"region": {"code": "\(region)", "names": {"zh-Hans": "测试地区 \(region)", "en": "Test region \(region)"}},
             "api": {"base_url": "\(backend.baseURL)"},
             "identity": {"issuer": "\(provider.issuer)", "client_id": "\(clientID)", "redirect_uri": "\(redirect)",
               "scopes": ["openid", "profile", "offline_access"], "acr_levels": \(list(levels)),
               "use_dpop": true, "takes_over": \(list(takesOver))},
             "services": ["drafts", "roster", "wallet", "secure_store"],
             "languages": {"offered": ["zh-Hans"], "default": "zh-Hans", "fallback": ["zh-Hans", "en"]},
             "branding": {"colours": {"primary": "#1B5FAA", "on_primary": "#FFFFFF"}, "hotline": "12345",
               "names": {"zh-Hans": "掌上办 (test)", "en": "palmgov (test)"}},
             "catalog": {"url": "v1/catalog", "manifest_sha256": "\(catalogPin)"},
             "reminders": {},
             "licence_trust": {"roots": [\(testWalletRoots.joined(separator: ","))], "threshold": 2},
             "app": {"ids": ["\(appID)"], "min_version": "1.0.0"}}
            """
    }

    /// `body` signed as a region profile at `version`, expiring in a year, by
    /// the test keys numbered `keys` (1 to 3), with the region tools:
    /// `palmgov region sign`, which checks it under the demo regions' pinned
    /// root when enough keys sign (and under the signing keys alone, the body
    /// only, when fewer do).
    private static func sign(_ body: String, version: Int, keys: [Int] = [1, 2]) throws -> String {
        guard let server = ProcessInfo.processInfo.environment["PALMGOV_SERVER_BIN"] else {
            throw NSError(domain: "palmgov.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "PALMGOV_SERVER_BIN is not set"])
        }
        let root = try repository()
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bodyFile = dir.appendingPathComponent("profile.body.json")
        let out = dir.appendingPathComponent("profile.json")
        try Data(body.utf8).write(to: bodyFile)
        let expires = ISO8601DateFormatter.string(
            from: Date().addingTimeInterval(365 * 24 * 3600), timeZone: TimeZone(identifier: "UTC")!,
            formatOptions: [.withFullDate])
        var arguments = [
            "region", "sign", "--body", bodyFile.path, "--version", String(version),
            "--expires", expires, "--out", out.path,
        ]
        for key in keys {
            arguments += ["--key", root.appendingPathComponent("regions/keys/test/region-root-\(key).json").path]
        }
        if keys.count >= 2 {
            arguments += ["--root", root.appendingPathComponent("regions/\(region)/profile-root.json").path]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server).deletingLastPathComponent()
            .appendingPathComponent("palmgov")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(
                domain: "palmgov.tests", code: 5,
                userInfo: [NSLocalizedDescriptionKey: "palmgov region sign: \(String(decoding: said, as: UTF8.self))"])
        }
        return try String(contentsOf: out, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A region build's core: the test profile keys pinned (2 of 3), `bundled`
/// in the app, the shell's server setting a placeholder the profile
/// replaces, and no identity settings of its own (the profile's). The
/// clients are the library's own, over the core's handles.
private final class RegionCore {
    private let core: PalmGov
    let identity: IdentityClient
    let drafts: DraftsClient
    let outbox: OutboxClient
    let region: RegionClient

    init(dir: URL, bundled: String, roots: [String]) throws {
        core = try PalmGov.open(
            config: PalmGovConfig(
                dataDir: dir.path, server: PalmGovClient.serverConfig(baseURL: "http://127.0.0.1:9/"),
                logLevel: .warn, wallet: testWalletConfig(),
                region: RegionTrust(
                    rootKeys: roots, threshold: 2, bundledProfile: bundled, regionCode: "330106",
                    appId: "org.palmgov.test", appVersion: "1.0.0")
            ),
            keystore: TestKeystore(),
            appLock: TestAppLock(),
            logSink: nil
        )
        identity = IdentityClient(core.identity())
        drafts = DraftsClient(core.drafts())
        outbox = OutboxClient(core.outbox())
        region = RegionClient(core.region())
    }

    func unlock() async throws {
        try await core.unlock(reason: "test")
    }

    func close() {
        core.shutdown()
    }
}

private extension ReferenceBackend {
    /// Serves `profile` from now on (`PUT /v1/dev/region/profile`).
    func serveProfile(_ profile: String) throws {
        let body = try JSONSerialization.data(withJSONObject: ["profile": profile, "roots": [String]()])
        let status = dev("PUT", "v1/dev/region/profile", body: String(decoding: body, as: UTF8.self))
        guard status == 200 else {
            throw NSError(domain: "palmgov.tests", code: 3, userInfo: [NSLocalizedDescriptionKey: "serving a profile: \(status)"])
        }
    }

    /// The instance ids of the submissions the backend holds (`GET /v1/dev/submissions`).
    func instanceIDs() throws -> [String] {
        var request = URLRequest(url: URL(string: "\(baseURL)v1/dev/submissions")!)
        request.setValue("Bearer \(ReferenceBackend.devAdminToken)", forHTTPHeaderField: "authorization")
        let done = DispatchSemaphore(value: 0)
        let reply = HookResult<Data>()
        URLSession.shared.dataTask(with: request) { data, _, error in
            if let data {
                reply.set(.success(data))
            } else {
                reply.set(.failure(error ?? URLError(.badServerResponse)))
            }
            done.signal()
        }.resume()
        done.wait()
        let inventory = try JSONSerialization.jsonObject(with: try reply.get()) as? [String: Any]
        let submissions = inventory?["submissions"] as? [[String: Any]] ?? []
        return submissions.compactMap { $0["instance_id"] as? String }
    }
}
