import CryptoKit
import Foundation
import Security
import XCTest
@testable import PalmGov

/// `KeychainKeystore` on its Keychain fallback, what the simulator and
/// devices without a Secure Enclave get: real Keychain items, under a tag
/// prefix of each test's own, removed afterwards. The enclave itself needs a
/// signed app on a device, so no test here reaches it.
final class KeychainKeystoreTests: XCTestCase {
    private var prefix = ""
    private let dataKey = Data((0..<32).map { UInt8($0) })

    override func setUpWithError() throws {
        try super.setUpWithError()
        prefix = "org.palmgov.tests.\(UUID().uuidString)"
        try skipWithoutKeychain()
    }

    override func tearDown() {
        removeItems()
        super.tearDown()
    }

    /// A keystore on the Keychain, as on a phone without an enclave.
    private func keystore() -> KeychainKeystore {
        KeychainKeystore(tagPrefix: prefix, useSecureEnclave: false)
    }

    func testWithoutAnEnclaveTheKeychainHoldsTheKeys() {
        XCTAssertEqual(keystore().backing, .keychain)
        let preferred = KeychainKeystore(tagPrefix: prefix).backing
        XCTAssertEqual(preferred, SecureEnclave.isAvailable ? .secureEnclave : .keychain)
        #if targetEnvironment(simulator)
            XCTAssertEqual(preferred, .keychain, "the simulator has no enclave")
        #endif
    }

    func testWrapsAndUnwrapsAcrossInstances() throws {
        let keystore = keystore()
        let wrapped = try keystore.wrapKey(alias: "data", key: dataKey)
        XCTAssertEqual(wrapped.first, 1, "format version")
        XCTAssertEqual(wrapped.count, 1 + 12 + 32 + 16)
        XCTAssertNil(wrapped.range(of: dataKey), "the key is not in the blob in clear")
        XCTAssertEqual(try keystore.unwrapKey(alias: "data", wrapped: wrapped), dataKey)
        // The next app start: a new object finds the same Keychain key.
        XCTAssertEqual(try self.keystore().unwrapKey(alias: "data", wrapped: wrapped), dataKey)
        // A fresh nonce every time, under the same key.
        let again = try keystore.wrapKey(alias: "data", key: dataKey)
        XCTAssertNotEqual(again, wrapped)
        XCTAssertEqual(try keystore.unwrapKey(alias: "data", wrapped: again), dataKey)
    }

    func testTheWrappingKeyIsAThisDeviceOnlyKeychainItem() throws {
        _ = try keystore().wrapKey(alias: "data", key: dataKey)
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: keystore().wrappingKeyService,
            kSecAttrAccount as String: "data",
            kSecReturnAttributes as String: true,
            kSecReturnData as String: true,
            kSecMatchLimit as String: kSecMatchLimitOne,
        ]
        var item: CFTypeRef?
        XCTAssertEqual(SecItemCopyMatching(query as CFDictionary, &item), errSecSuccess)
        let attributes = try XCTUnwrap(item as? [String: Any])
        XCTAssertEqual((attributes[kSecValueData as String] as? Data)?.count, 32, "an AES-256 key")
        #if os(iOS)
            // macOS's file-based keychain, where `swift test` runs, has no data protection classes.
            XCTAssertEqual(
                attributes[kSecAttrAccessible as String] as? String,
                kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly as String)
        #endif
    }

    func testABlobTheKeyDoesNotOpenIsKeyInvalidated() throws {
        let keystore = keystore()
        let wrapped = try keystore.wrapKey(alias: "data", key: dataKey)
        var tampered = wrapped
        tampered[tampered.count - 1] ^= 1
        assertKeyInvalidated(try keystore.unwrapKey(alias: "data", wrapped: tampered), "a changed tag")
        var version = wrapped
        version[0] = 2
        assertKeyInvalidated(try keystore.unwrapKey(alias: "data", wrapped: version), "an unknown format")
        assertKeyInvalidated(try keystore.unwrapKey(alias: "data", wrapped: wrapped.prefix(20)), "a cut blob")
        assertKeyInvalidated(try keystore.unwrapKey(alias: "data", wrapped: Data()), "an empty blob")
        // Another alias has its own key, and the alias is authenticated.
        _ = try keystore.wrapKey(alias: "other", key: dataKey)
        assertKeyInvalidated(try keystore.unwrapKey(alias: "other", wrapped: wrapped), "another alias")
        // A restored or reset phone: the Keychain key is gone.
        removeItems()
        assertKeyInvalidated(try self.keystore().unwrapKey(alias: "data", wrapped: wrapped), "the key deleted")
    }

    func testConcurrentFirstWrapsAgreeOnOneKey() throws {
        let lock = NSLock()
        var wrapped: [Int: Data] = [:]
        var failures: [Error] = []
        // Separate objects, as separate parts of an app would have.
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do {
                let blob = try keystore().wrapKey(alias: "data", key: dataKey)
                lock.lock()
                wrapped[i] = blob
                lock.unlock()
            } catch {
                lock.lock()
                failures.append(error)
                lock.unlock()
            }
        }
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        XCTAssertEqual(wrapped.count, 8)
        for blob in wrapped.values {
            XCTAssertEqual(try keystore().unwrapKey(alias: "data", wrapped: blob), dataKey)
        }
    }

    func testSignsWithAStableKeyInTheFormsAndroidUses() throws {
        let keystore = keystore()
        let der = try keystore.devicePublicKey(alias: "device")
        let publicKey = try P256.Signing.PublicKey(derRepresentation: der)
        let message = Data("device binding".utf8)
        let signature = try P256.Signing.ECDSASignature(
            derRepresentation: keystore.sign(alias: "device", message: message))
        XCTAssertTrue(publicKey.isValidSignature(signature, for: message))
        // The same key on the next start, and none of the wrapping keys'.
        XCTAssertEqual(try self.keystore().devicePublicKey(alias: "device"), der)
        XCTAssertNotEqual(try keystore.devicePublicKey(alias: "other"), der)
    }

    func testADeletedSigningKeyIsGoneAndDeletingAgainSucceeds() throws {
        let keystore = keystore()
        let first = try keystore.devicePublicKey(alias: "device")
        let other = try keystore.devicePublicKey(alias: "other")
        try keystore.deleteKey(alias: "device")
        try keystore.deleteKey(alias: "device")
        XCTAssertNotEqual(try keystore.devicePublicKey(alias: "device"), first, "a new key")
        XCTAssertEqual(try keystore.devicePublicKey(alias: "other"), other)
    }

    // MARK: - Helpers

    private func assertKeyInvalidated(
        _ body: @autoclosure () throws -> Data, _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try body(), what, file: file, line: line) { error in
            XCTAssertEqual(error as? HookError, .KeyInvalidated, "\(what): \(error)", file: file, line: line)
        }
    }

    /// Removes every item this test made: the wrapping keys and the signing keys.
    private func removeItems() {
        SecItemDelete([
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: keystore().wrappingKeyService,
        ] as CFDictionary)
        for alias in ["device", "other"] {
            SecItemDelete([
                kSecClass as String: kSecClassKey,
                kSecAttrApplicationTag as String: Data("\(prefix).\(alias)".utf8),
            ] as CFDictionary)
        }
    }

    /// A test process without Keychain access (an unsigned test bundle on a
    /// simulator without a host app; a locked login keychain on a build
    /// machine) cannot test a Keychain: skipped, saying why. Any other answer
    /// runs the tests, which then fail on a real fault.
    private func skipWithoutKeychain() throws {
        let probe: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: "\(prefix).probe",
            kSecAttrAccount as String: "probe",
            kSecValueData as String: Data([1]),
        ]
        let status = SecItemAdd(probe as CFDictionary, nil)
        SecItemDelete(probe.filter { $0.key != kSecValueData as String } as CFDictionary)
        let unusable: [OSStatus] = [errSecMissingEntitlement, errSecNotAvailable, errSecInteractionNotAllowed]
        if unusable.contains(status) {
            throw XCTSkip("no Keychain for this test process (status \(status))")
        }
    }
}
