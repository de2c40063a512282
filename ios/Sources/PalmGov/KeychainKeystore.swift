import Foundation
import Security

/// The `Keystore` hook on the Secure Enclave, with a Keychain fallback where
/// there is no enclave (the simulator, old Macs).
///
/// - Wrapping uses ECIES (`eciesEncryptionCofactorVariableIVX963SHA256AESGCM`)
///   under a P-256 key that never leaves the enclave.
/// - Signing uses ECDSA P-256 with SHA-256 and returns the X9.62 DER signature,
///   the same form Android produces.
/// - Public keys are returned as DER SubjectPublicKeyInfo, like Android's
///   `PublicKey.getEncoded()`.
public final class KeychainKeystore: Keystore, @unchecked Sendable {
    private let tagPrefix: String
    private let useSecureEnclave: Bool

    /// - Parameters:
    ///   - tagPrefix: namespaces the Keychain tags, normally the bundle id.
    ///   - useSecureEnclave: false on simulators and in tests.
    public init(tagPrefix: String = Bundle.main.bundleIdentifier ?? "org.palmgov", useSecureEnclave: Bool = true) {
        self.tagPrefix = tagPrefix
        self.useSecureEnclave = useSecureEnclave
    }

    public func wrapKey(alias: String, key: Data) throws -> Data {
        let priv = try privateKey(alias: alias)
        guard let pub = SecKeyCopyPublicKey(priv) else { throw HookError.Failed(reason: "no public key") }
        var error: Unmanaged<CFError>?
        guard let wrapped = SecKeyCreateEncryptedData(pub, Self.wrapAlgorithm, key as CFData, &error) else {
            throw HookError.Failed(reason: "wrap failed")
        }
        return wrapped as Data
    }

    public func unwrapKey(alias: String, wrapped: Data) throws -> Data {
        guard let priv = try existingKey(alias: alias) else { throw HookError.KeyInvalidated }
        var error: Unmanaged<CFError>?
        guard let key = SecKeyCreateDecryptedData(priv, Self.wrapAlgorithm, wrapped as CFData, &error) else {
            throw HookError.KeyInvalidated
        }
        return key as Data
    }

    public func devicePublicKey(alias: String) throws -> Data {
        let priv = try privateKey(alias: alias)
        guard let pub = SecKeyCopyPublicKey(priv),
              let point = SecKeyCopyExternalRepresentation(pub, nil) as Data? else {
            throw HookError.Failed(reason: "no public key")
        }
        return Self.spkiPrefix + point
    }

    public func sign(alias: String, message: Data) throws -> Data {
        let priv = try privateKey(alias: alias)
        var error: Unmanaged<CFError>?
        guard let signature = SecKeyCreateSignature(priv, .ecdsaSignatureMessageX962SHA256, message as CFData, &error) else {
            throw HookError.Failed(reason: "sign failed")
        }
        return signature as Data
    }

    // MARK: - Keys

    private static let wrapAlgorithm = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM

    /// DER header of a P-256 SubjectPublicKeyInfo, before the 65-byte point.
    private static let spkiPrefix = Data([
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ])

    private func tag(_ alias: String) -> Data {
        Data("\(tagPrefix).\(alias)".utf8)
    }

    private func existingKey(alias: String) throws -> SecKey? {
        let query: [String: Any] = [
            kSecClass as String: kSecClassKey,
            kSecAttrApplicationTag as String: tag(alias),
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecReturnRef as String: true,
        ]
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            // A successful SecItemCopyMatching with kSecReturnRef always yields a SecKey.
            return (item as! SecKey)
        case errSecItemNotFound:
            return nil
        default:
            throw HookError.Failed(reason: "keychain status \(status)")
        }
    }

    private func privateKey(alias: String) throws -> SecKey {
        if let key = try existingKey(alias: alias) { return key }
        var accessError: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
            useSecureEnclave ? .privateKeyUsage : [], &accessError
        ) else {
            throw HookError.Failed(reason: "access control")
        }
        var attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecPrivateKeyAttrs as String: [
                kSecAttrIsPermanent as String: true,
                kSecAttrApplicationTag as String: tag(alias),
                kSecAttrAccessControl as String: access,
            ] as [String: Any],
        ]
        if useSecureEnclave {
            attributes[kSecAttrTokenID as String] = kSecAttrTokenIDSecureEnclave
        }
        var error: Unmanaged<CFError>?
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw useSecureEnclave ? HookError.Unavailable : HookError.Failed(reason: "keygen failed")
        }
        return key
    }
}
