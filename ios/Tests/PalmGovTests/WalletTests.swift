import Foundation
import XCTest
@testable import PalmGov

/// Mirrors android/jvm/src/test/kotlin/org/palmgov/WalletTest.kt (and the
/// Rust system test tests/tests/wallet.rs): the reference backend issues a
/// resident's licences bound to this phone, under a trust list its test
/// roots signed (pinned here, two of three); the core checks them offline; a
/// suspension shows once the status lists are fetched again, and a
/// reinstatement too; sign-out takes the licences with it.
final class WalletTests: XCTestCase {
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

    private func open(baseURL: String, wallet: WalletConfig?) throws -> PalmGovClient {
        try PalmGovClient(
            dataDirectory: temporaryDirectory(),
            server: PalmGovClient.serverConfig(baseURL: baseURL),
            keystore: TestKeystore(),
            appLock: TestAppLock(),
            identity: PalmGovClient.identityConfig(
                issuer: Self.provider.issuer, clientID: "palmgov-app", redirectURI: Self.redirect),
            wallet: wallet
        )
    }

    func testAResidentsLicencesAreFetchedCheckedSuspendedReinstatedAndGoneWithSignOut() async throws {
        let backend = try ReferenceBackend(issuer: Self.provider.issuer)
        let core = try open(baseURL: backend.baseURL, wallet: testWalletConfig())
        defer { core.close() }
        try await core.unlock(reason: "test")
        _ = try await core.identity.login(browser: CountingBrowser(login: "alice", acr: nil))

        let report = try await core.wallet.refresh()
        XCTAssertEqual(report, WalletRefresh(fetched: 4, refused: 0, kept: 0))
        let list = try await core.wallet.licences(language: "zh-Hans")
        XCTAssertEqual(
            list.map { $0.licenceType },
            ["id_card", "household_register", "social_security_card", "driving_licence"])
        XCTAssertTrue(list.allSatisfy { $0.verdict == .valid }, "\(list)")
        XCTAssertTrue(list.allSatisfy { $0.freshness == .current }, "\(list)")
        XCTAssertEqual(list[0].displayName, "居民身份证")
        XCTAssertEqual(
            core.wallet.licenceTypes(language: "zh-Hans").first { $0.name == "id_card" }?.displayName, "居民身份证")

        // Her own data, from the SM2-signed ID card; never printed.
        let card = list[0]
        XCTAssertTrue(card.id.hasPrefix("1.2.156.3005.2.11100000000013338W001."), card.id)
        let detail = try await core.wallet.licence(id: card.id, language: "en")
        XCTAssertEqual(detail.claims.first { $0.name == "name" }?.valueJson, #""陈丽华""#)
        XCTAssertEqual(detail.claims.first { $0.name == "licence_id" }?.valueJson, "\"\(card.id)\"")
        XCTAssertTrue(detail.issuer.contains("公安厅"), detail.issuer)
        for printed in [String(describing: detail), String(reflecting: detail)] {
            XCTAssertFalse(printed.contains("陈丽华"), printed)
        }

        // One phone holds them: this one.
        let devices = try await core.wallet.devices()
        XCTAssertEqual(devices.count, 1, "\(devices)")
        XCTAssertEqual(devices.first?.thisDevice, true)
        XCTAssertEqual(devices.first?.revoked, false)

        var verdict = try await core.wallet.verifyLicence(id: card.id)
        XCTAssertEqual(verdict, .valid)

        // 暂扣: suspended once the status lists are fetched again.
        try backend.setLicenceStatus(licenceID: card.id, status: "suspended")
        verdict = try await core.wallet.verifyLicence(id: card.id)
        XCTAssertEqual(verdict, .valid, "offline, the list fetched before the suspension still says valid")
        let lists = try await core.wallet.refreshStatus()
        XCTAssertGreaterThanOrEqual(lists, 1)
        verdict = try await core.wallet.verifyLicence(id: card.id)
        XCTAssertEqual(verdict, .suspended)
        let indexed = try await core.wallet.licences(language: "en")
        XCTAssertEqual(indexed[0].verdict, .suspended, "kept in the index")

        // Reinstated.
        try backend.setLicenceStatus(licenceID: card.id, status: "valid")
        try await core.wallet.refreshStatus()
        verdict = try await core.wallet.verifyLicence(id: card.id)
        XCTAssertEqual(verdict, .valid)

        // Sign-out takes the licences with the account key: refused while
        // signed out, and none after signing in again until the next refresh.
        _ = try await core.identity.logout()
        do {
            _ = try await core.wallet.licences()
            XCTFail("signed out, the wallet must refuse")
        } catch PalmGovError.SignInRequired {}
        _ = try await core.identity.login(browser: CountingBrowser(login: "alice", acr: nil))
        let after = try await core.wallet.licences()
        XCTAssertEqual(after, [])
        do {
            _ = try await core.wallet.verifyLicence(id: card.id)
            XCTFail("the licence left with the sign-out")
        } catch PalmGovError.NotFound {}
        let again = try await core.wallet.refresh()
        XCTAssertEqual(again.fetched, 4)
        let refetched = try await core.wallet.licences()
        XCTAssertEqual(refetched.first?.id, card.id)
        // The backend lives until here.
        withExtendedLifetime(backend) {}
    }

    func testWithoutAWalletConfigurationTheWalletRefuses() async throws {
        let core = try open(baseURL: "http://127.0.0.1:9/", wallet: nil)
        defer { core.close() }
        try await core.unlock(reason: "test")
        _ = try await core.identity.login(browser: CountingBrowser(login: "alice", acr: nil))
        do {
            try await core.wallet.refreshStatus()
            XCTFail("a wallet without trust roots refreshed")
        } catch PalmGovError.InvalidInput(let field) {
            XCTAssertTrue(field.hasPrefix("wallet"), field)
        }
    }
}
