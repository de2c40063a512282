import Foundation
import XCTest
@testable import PalmGov

/// Mirrors android/jvm/src/test/kotlin/org/palmgov/WalletTest.kt (and the
/// Rust system test tests/tests/wallet.rs): the reference backend issues a
/// resident's licences bound to this phone, under a trust list its test
/// roots signed (pinned here, two of three); the core checks them offline; a
/// suspension shows once the status lists are fetched again, and a
/// reinstatement too; sign-out takes the licences with it. A licence shown
/// as a QR code (亮证) is checked offline by a second core in verifier mode,
/// once. A licence is form material (申报材料重复使用): attached to the
/// person's own application with their consent, and, on a household visit,
/// the code a resident shows fills the worker's form about them.
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

    private func open(
        baseURL: String, wallet: WalletConfig?, keystore: TestKeystore = TestKeystore(),
        appLock: TestAppLock = TestAppLock()
    ) throws -> PalmGovClient {
        try PalmGovClient(
            dataDirectory: temporaryDirectory(),
            server: PalmGovClient.serverConfig(baseURL: baseURL),
            keystore: keystore,
            appLock: appLock,
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

    func testALicenceShownAsAQRCodeIsCheckedOfflineByAVerifierOnce() async throws {
        let backend = try ReferenceBackend(issuer: Self.provider.issuer)
        let lock = TestAppLock()
        let core = try open(baseURL: backend.baseURL, wallet: testWalletConfig(), appLock: lock)
        defer { core.close() }
        try await core.unlock(reason: "test")
        _ = try await core.identity.login(browser: CountingBrowser(login: "alice", acr: nil))
        try await core.wallet.refresh()
        let licences = try await core.wallet.licences(language: "en")
        let card = try XCTUnwrap(licences.first { $0.licenceType == "id_card" })

        // The verifier (a pharmacy's phone): a core of its own, not signed
        // in; the trust list and the status lists are all it needs.
        let clerk = try open(baseURL: backend.baseURL, wallet: testWalletConfig(), keystore: TestKeystore(secret: 5))
        defer { clerk.close() }
        try await clerk.unlock(reason: "test")
        let lists = try await clerk.wallet.refreshStatus()
        XCTAssertGreaterThanOrEqual(lists, 1)

        let prompts = lock.prompts
        let showing = try await core.wallet.showLicence(id: card.id, profile: .nameAndAgeOver18, reason: "亮证")
        XCTAssertEqual(lock.prompts, prompts + 1, "the app lock is asked for every showing")
        XCTAssertEqual(showing.licenceType, "id_card")
        XCTAssertEqual(showing.profile, .nameAndAgeOver18)

        // The first code of the stream; leaving the loop ends it.
        var first: LicenceQr?
        for try await code in showing.codes() {
            first = code
            break
        }
        let code = try XCTUnwrap(first)
        XCTAssertTrue(code.payload.hasPrefix("PG1:"))
        XCTAssertLessThanOrEqual(code.version, 20)
        XCTAssertEqual(code.modules.count, Int(code.width * code.width))
        XCTAssertEqual(code.claims, ["name", "age_over_18"])
        XCTAssertEqual(code.refreshAtMs - code.madeAtMs, 30_000)
        // The finder patterns: dark corners, a light ring inside, a dark
        // centre, a light separator; row 0 at the top.
        let last = Int(code.width) - 1
        XCTAssertTrue(code.isDark(x: 0, y: 0) && code.isDark(x: last, y: 0) && code.isDark(x: 0, y: last))
        XCTAssertTrue(!code.isDark(x: 1, y: 1) && code.isDark(x: 3, y: 3) && !code.isDark(x: 7, y: 7))
        XCTAssertEqual(LicenceQr.quietZone, 4)

        let check = try await clerk.wallet.checkPresentation(payload: code.payload, language: "zh-Hans")
        XCTAssertEqual(check.verdict, .valid)
        XCTAssertEqual(check.displayName, "居民身份证")
        XCTAssertEqual(check.claims.map { $0.name }, ["name", "age_over_18"])
        XCTAssertEqual(check.claims.map { $0.valueJson }, [#""陈丽华""#, "true"])

        // The same code again: a photo of the screen, a relay.
        let again = try await clerk.wallet.checkPresentation(payload: code.payload, language: "en")
        XCTAssertEqual(again.verdict, .invalid(reason: "presentation.replayed"))
        XCTAssertTrue(again.claims.isEmpty, "a refused code shows nothing")

        // Each code is a new presentation, which the verifier takes.
        let next = try await showing.code()
        XCTAssertNotEqual(next.payload, code.payload)
        let nextCheck = try await clerk.wallet.checkPresentation(payload: next.payload, language: "en")
        XCTAssertEqual(nextCheck.verdict, .valid)

        let history = try await core.wallet.history()
        XCTAssertEqual(history.count, 1, "one record per showing, not per code")
        let shown = try XCTUnwrap(history.first)
        XCTAssertEqual(shown.licenceId, card.id)
        XCTAssertEqual(shown.licenceType, "id_card")
        XCTAssertEqual(shown.profile, .nameAndAgeOver18)
        XCTAssertEqual(shown.claims, ["name", "age_over_18"])
        XCTAssertNil(shown.verifier)

        // Everything printed on the licence needs the person's explicit
        // confirmation: refused before the lock is asked, and not recorded.
        let before = lock.prompts
        do {
            _ = try await core.wallet.showLicence(id: card.id, profile: .full, reason: "亮证")
            XCTFail("a full showing without the person's confirmation")
        } catch PalmGovError.InvalidInput(let field) {
            XCTAssertEqual(field, "confirm_full")
        }
        XCTAssertEqual(lock.prompts, before)
        let after = try await core.wallet.history()
        XCTAssertEqual(after.count, 1)
        // The backend lives until here.
        withExtendedLifetime(backend) {}
    }

    func testAKiosksSignedRequestIsAnsweredWithExactlyWhatItAsksOnce() async throws {
        let backend = try ReferenceBackend(issuer: Self.provider.issuer)
        let kiosk = try open(baseURL: backend.baseURL, wallet: testWalletConfig(), keystore: TestKeystore(secret: 6))
        defer { kiosk.close() }
        try await kiosk.unlock(reason: "test")
        let hall = "urn:palmgov:verifier:330106:xihu-service-hall"
        try backend.registerVerifier(
            id: hall, name: "西湖区行政服务中心", jwk: try await kiosk.wallet.verifierKey(),
            asks: ["name", "id_number_last4"])
        _ = try await kiosk.wallet.refreshStatus()

        let core = try open(baseURL: backend.baseURL, wallet: testWalletConfig())
        defer { core.close() }
        try await core.unlock(reason: "test")
        _ = try await core.identity.login(browser: CountingBrowser(login: "alice", acr: nil))
        try await core.wallet.refresh()
        let licences = try await core.wallet.licences(language: "en")
        let card = try XCTUnwrap(licences.first { $0.licenceType == "id_card" })

        let asks = ["name", "id_number_last4"]
        let request = try await kiosk.wallet.openRequest(verifierId: hall, asks: asks)
        let read = try await core.wallet.readRequest(payload: request.qr().payload)
        XCTAssertEqual(read.verifierName, "西湖区行政服务中心")
        XCTAssertEqual(read.asks, asks)
        let answer = try await core.wallet.showLicenceFor(id: card.id, request: read.payload, reason: "亮证").code()
        XCTAssertEqual(answer.claims, asks)

        // Made for this request: a one-way check refuses it (a relay).
        let oneWay = try await kiosk.wallet.checkPresentation(payload: answer.payload, language: "en")
        XCTAssertEqual(oneWay.verdict, .invalid(reason: "presentation.unexpected_request"))
        let check = try await request.check(payload: answer.payload, language: "zh-Hans")
        XCTAssertEqual(check.verdict, .valid)
        XCTAssertEqual(check.claims.map { [$0.name, $0.valueJson] }, [["name", "\"陈丽华\""], ["id_number_last4", "\"0221\""]])
        let again = try await request.check(payload: answer.payload, language: "en")
        XCTAssertEqual(again.verdict, .invalid(reason: "presentation.replayed"))
        let history = try await core.wallet.history()
        XCTAssertEqual(history.first?.verifier, "西湖区行政服务中心")
    }

    func testAttachesALicenceToAFormAndSyncsIt() async throws {
        let backend = try ReferenceBackend(issuer: Self.provider.issuer)
        let core = try open(baseURL: backend.baseURL, wallet: testWalletConfig())
        defer { core.close() }
        try await core.unlock(reason: "test")
        _ = try await core.identity.login(browser: CountingBrowser(login: "alice", acr: nil))
        try await core.wallet.refresh()
        let licences = try await core.wallet.licences(language: "en")
        let register = try XCTUnwrap(licences.first { $0.licenceType == "household_register" })
        let detail = try await core.wallet.licence(id: register.id, language: "en")
        let claim = { (name: String) in detail.claims.first { $0.name == name }?.valueJson }
        let forms = try await core.drafts.refreshForms(language: "zh-Hans")
        XCTAssertTrue(forms.contains { $0.formId == "residence-certificate" && $0.title == "户籍证明申请" }, "\(forms)")

        // Her own application (it names no one): her profile and her
        // household register fill it when it is created.
        let view = try await core.drafts.createDraft(formID: "residence-certificate", language: "zh-Hans")
        let draftID = view.summary.id
        XCTAssertEqual(
            view.prefilled.map { [$0.path, $0.source] },
            [
                ["applicant_name", "subject.name"],
                ["applicant_id_number", "subject.id_number"],
                ["applicant_phone", "subject.phone"],
                ["registered_address", "licence.household_register.address"],
                ["registered_division", "licence.household_register.division"],
            ])
        let value = { (v: DraftView, path: String) in v.fields.first { $0.path == path }?.valueJson }
        XCTAssertNotNil(claim("address"))
        XCTAssertEqual(value(view, "registered_address"), claim("address"))
        XCTAssertEqual(value(view, "registered_division"), claim("division"))
        XCTAssertNil(value(view, "household_register"))
        XCTAssertTrue(view.licenceUses.isEmpty)

        // The consent screen: what is shared, with whom, why, and her
        // register to pick. Printed, it names no licence.
        let offer = try await core.drafts.licenceOffer(draftID: draftID, field: "household_register", language: "zh-Hans")
        XCTAssertEqual(offer.field, "household_register")
        XCTAssertEqual(offer.licenceType, "household_register")
        XCTAssertEqual(offer.typeName, "居民户口簿")
        XCTAssertEqual(offer.recipient, "户籍证明申请")
        XCTAssertEqual(offer.purpose, "核验户籍，开具户籍证明")
        XCTAssertEqual(offer.claims, ["name", "id_number", "address"])
        XCTAssertEqual(offer.licences.map { $0.licenceId }, [register.id])
        for printed in [String(describing: offer), String(reflecting: offer)] {
            XCTAssertFalse(printed.contains(register.id), printed)
        }

        // Typed by hand, a licence reference is refused: it comes from the wallet.
        do {
            _ = try await core.drafts.saveAnswer(
                draftID: draftID, path: "household_register",
                valueJSON: #"{"type":"household_register","number":"\#(register.id)"}"#)
            XCTFail("a licence reference typed by hand was accepted")
        } catch PalmGovError.InvalidAnswer(_, let reason) {
            XCTAssertEqual(reason, "attach_from_wallet")
        }

        // She confirms: attached, with her consent on record.
        let chosen = try XCTUnwrap(offer.licences.first)
        let attached = try await core.drafts.attachLicence(
            draftID: draftID, field: "household_register", licenceID: chosen.licenceId, language: "zh-Hans")
        XCTAssertNotNil(attached.changed.first { $0.path == "household_register" }?.valueJson)
        _ = try await core.drafts.saveAnswer(draftID: draftID, path: "certificate_use", valueJSON: "\"school\"")
        let filled = try await core.drafts.openDraft(draftID: draftID, language: "zh-Hans")
        XCTAssertNotNil(value(filled, "household_register"))
        XCTAssertEqual(filled.licenceUses.count, 1)
        let use = try XCTUnwrap(filled.licenceUses.first)
        XCTAssertEqual(use.kind, .attached)
        XCTAssertEqual(use.field, "household_register")
        XCTAssertEqual(use.licenceType, "household_register")
        XCTAssertEqual(use.claims, offer.claims)
        XCTAssertEqual(use.recipient, "residence-certificate")
        XCTAssertEqual(use.purpose, offer.purpose)

        // Finalized, the presentation is bound to the submission; the
        // backend verifies it and takes the application.
        let outcome = try await core.drafts.finalizeDraft(draftID: draftID)
        XCTAssertTrue(outcome.issues.isEmpty, "\(outcome.issues)")
        var report: SyncReport?
        for try await update in core.outbox.sync() {
            if case .done(let r) = update { report = r }
        }
        XCTAssertEqual(report?.delivered, 1, "\(String(describing: report))")
        let instanceID = try XCTUnwrap(outcome.instanceId)
        let submissions = try await core.outbox.submissions()
        XCTAssertEqual(submissions.map { $0.instanceId }, [instanceID])
        guard case .delivered = submissions.first?.state else {
            return XCTFail("not delivered: \(String(describing: submissions.first?.state))")
        }
        // The backend lives until here.
        withExtendedLifetime(backend) {}
    }

    func testAHouseholdVisitIsFilledFromTheCodeTheResidentShows() async throws {
        let backend = try ReferenceBackend(issuer: Self.provider.issuer)
        let resident = try open(baseURL: backend.baseURL, wallet: testWalletConfig())
        defer { resident.close() }
        try await resident.unlock(reason: "test")
        _ = try await resident.identity.login(browser: CountingBrowser(login: "alice", acr: nil))
        try await resident.wallet.refresh()
        let licences = try await resident.wallet.licences(language: "en")
        let card = try XCTUnwrap(licences.first { $0.licenceType == "id_card" })
        let detail = try await resident.wallet.licence(id: card.id, language: "en")

        // The grid worker's phone: signed in as herself, with the trust and
        // status lists its verifier mode checks against.
        let worker = try open(baseURL: backend.baseURL, wallet: testWalletConfig(), keystore: TestKeystore(secret: 9))
        defer { worker.close() }
        try await worker.unlock(reason: "test")
        _ = try await worker.identity.login(browser: CountingBrowser(login: "grid-7", acr: nil))
        let lists = try await worker.wallet.refreshStatus()
        XCTAssertGreaterThanOrEqual(lists, 1)
        _ = try await worker.drafts.refreshForms(language: "zh-Hans")
        let view = try await worker.drafts.createDraft(
            formID: "household-visit", subject: DraftSubject(name: "陈丽华"), language: "en")
        let draftID = view.summary.id

        // She shows her ID card for a household visit: name, ID number, address.
        let code = try await resident.wallet.showLicence(id: card.id, profile: .householdVisit, reason: "入户走访").code()
        XCTAssertEqual(code.claims, ["name", "id_number", "address"])
        let shown = try await worker.drafts.prefillFromLicenceCode(draftID: draftID, payload: code.payload, language: "zh-Hans")
        XCTAssertEqual(shown.check.verdict, .valid)
        XCTAssertEqual(shown.check.licenceType, "id_card")
        XCTAssertEqual(
            shown.prefilled.map { [$0.path, $0.source] },
            [["head_name", "licence.id_card.name"], ["head_id_number", "licence.id_card.id_number"]])
        XCTAssertNotNil(shown.effects)
        let filled = try await worker.drafts.openDraft(draftID: draftID, language: "en")
        XCTAssertEqual(filled.fields.first { $0.path == "head_name" }?.valueJson, #""陈丽华""#)
        XCTAssertEqual(
            filled.fields.first { $0.path == "head_id_number" }?.valueJson,
            detail.claims.first { $0.name == "id_number" }?.valueJson)
        XCTAssertEqual(filled.licenceUses.count, 1)
        let use = try XCTUnwrap(filled.licenceUses.first)
        XCTAssertEqual(use.kind, .shown)
        XCTAssertNil(use.field)
        XCTAssertEqual(use.licenceType, "id_card")
        XCTAssertEqual(Set(use.claims), ["name", "id_number", "address"])
        XCTAssertEqual(use.recipient, "household-visit")
        XCTAssertFalse(use.purpose.isEmpty)

        // The same code again (a photo of her screen): refused, nothing filled.
        let again = try await worker.drafts.prefillFromLicenceCode(draftID: draftID, payload: code.payload, language: "en")
        XCTAssertEqual(again.check.verdict, .invalid(reason: "presentation.replayed"))
        XCTAssertTrue(again.prefilled.isEmpty)
        XCTAssertNil(again.effects)
        let reread = try await worker.drafts.openDraft(draftID: draftID)
        XCTAssertEqual(reread.licenceUses.count, 1)

        // A code never fills the worker's own application: her own licences
        // are for her to attach.
        let own = try await worker.drafts.createDraft(formID: "subsidy-application", language: "en").summary.id
        let next = try await resident.wallet.showLicence(id: card.id, profile: .householdVisit, reason: "入户走访").code()
        do {
            _ = try await worker.drafts.prefillFromLicenceCode(draftID: own, payload: next.payload, language: "en")
            XCTFail("a shown code filled the worker's own application")
        } catch PalmGovError.InvalidAnswer(_, let reason) {
            XCTAssertEqual(reason, "own_application")
        }
        try await worker.drafts.deleteDraft(draftID: own)

        // The visit goes out with her consent on record.
        let member = try XCTUnwrap(view.repeats.first?.instanceIds.first)
        for (path, json) in [
            ("visit_date", "\"2026-11-20\""), ("household_division", "\"330106001001\""),
            ("housing", "\"owned\""), ("members/\(member)/member_name", "\"陈丽华\""),
            ("members/\(member)/member_age", "39"),
        ] {
            _ = try await worker.drafts.saveAnswer(draftID: draftID, path: path, valueJSON: json)
        }
        let outcome = try await worker.drafts.finalizeDraft(draftID: draftID)
        XCTAssertTrue(outcome.issues.isEmpty, "\(outcome.issues)")
        var report: SyncReport?
        for try await update in worker.outbox.sync() {
            if case .done(let r) = update { report = r }
        }
        XCTAssertEqual(report?.delivered, 1, "\(String(describing: report))")
        let submissions = try await worker.outbox.submissions()
        guard case .delivered = submissions.first?.state else {
            return XCTFail("not delivered: \(String(describing: submissions.first?.state))")
        }
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
