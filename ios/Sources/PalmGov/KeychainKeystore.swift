import CryptoKit
import Foundation
import Security

/// The `Keystore` hook on the Secure Enclave, with a Keychain fallback where
/// there is no enclave (the simulator, Macs and older devices without one).
///
/// Where the keys live is `backing`, chosen once when the keystore is made:
///
/// - `.secureEnclave`: wrapping uses ECIES
///   (`eciesEncryptionCofactorVariableIVX963SHA256AESGCM`) under a P-256 key
///   that never leaves the enclave; signing uses another enclave key.
/// - `.keychain`: wrapping uses AES-256-GCM (CryptoKit) under a random key
///   kept in the Keychain as a generic password; signing uses a P-256 key
///   kept in the Keychain. These keys are as safe as the Keychain's data
///   protection, not a separate processor: the app's own process reads the
///   wrapping key to use it, where an enclave key never leaves the enclave.
///
/// Either way every key is `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`:
/// no passcode prompt, usable while the phone is locked once it has been
/// unlocked after a restart (so a background sync can open the store), never
/// in a backup or iCloud Keychain, so a restored phone gets `KeyInvalidated`
/// and the core starts afresh. (On macOS, whose build is for `swift test`,
/// the items land in the file-based keychain, which has no such classes:
/// the data protection keychain needs a signed app with a keychain access
/// group.)
///
/// Signatures are ECDSA P-256 with SHA-256 in X9.62 DER, the form Android
/// produces; public keys are DER SubjectPublicKeyInfo, like Android's
/// `PublicKey.getEncoded()`.
///
/// Wrapped blobs say which scheme made them by their first byte: ECIES output
/// starts with its ephemeral public key (`0x04`); Keychain blobs are
/// `[version=1][nonce: 12][ciphertext][tag: 16]`, Android's layout, with the
/// version byte and the alias authenticated.
public final class KeychainKeystore: Keystore, @unchecked Sendable {
    /// Where a keystore keeps its keys.
    public enum Backing: Equatable, Sendable {
        case secureEnclave
        case keychain
    }

    /// Where this keystore keeps its keys.
    public let backing: Backing
    private let tagPrefix: String
    /// Serialises creating keys, so two threads asking for one alias at once
    /// agree on one key.
    private let creating = NSLock()

    /// - Parameters:
    ///   - tagPrefix: namespaces the Keychain items, normally the bundle id.
    ///   - useSecureEnclave: false keeps the keys in the Keychain even where
    ///     there is an enclave (tests). Where there is none
    ///     (`SecureEnclave.isAvailable` is false), the Keychain is used anyway.
    public init(tagPrefix: String = Bundle.main.bundleIdentifier ?? "org.palmgov", useSecureEnclave: Bool = true) {
        self.tagPrefix = tagPrefix
        backing = useSecureEnclave && SecureEnclave.isAvailable ? .secureEnclave : .keychain
    }

    public func wrapKey(alias: String, key: Data) throws -> Data {
        switch backing {
        case .secureEnclave:
            let priv = try privateKey(alias: alias)
            guard let pub = SecKeyCopyPublicKey(priv) else { throw HookError.Failed(reason: "no public key") }
            var error: Unmanaged<CFError>?
            guard let wrapped = SecKeyCreateEncryptedData(pub, Self.eciesAlgorithm, key as CFData, &error) else {
                throw HookError.Failed(reason: "wrap failed")
            }
            return wrapped as Data
        case .keychain:
            let wrapping = try wrappingKey(alias: alias)
            // A fresh random 12-byte nonce for every seal.
            guard let box = try? AES.GCM.seal(key, using: wrapping, authenticating: aad(alias)),
                  let combined = box.combined
            else {
                throw HookError.Failed(reason: "wrap failed")
            }
            return Data([Self.keychainFormat]) + combined
        }
    }

    public func unwrapKey(alias: String, wrapped: Data) throws -> Data {
        guard let format = wrapped.first else { throw HookError.KeyInvalidated }
        switch format {
        case Self.eciesFormat:
            guard let priv = try existingKey(alias: alias) else { throw HookError.KeyInvalidated }
            var error: Unmanaged<CFError>?
            guard let key = SecKeyCreateDecryptedData(priv, Self.eciesAlgorithm, wrapped as CFData, &error) else {
                throw HookError.KeyInvalidated
            }
            return key as Data
        case Self.keychainFormat:
            guard wrapped.count >= 1 + Self.nonceLength + Self.tagLength,
                  let key = try storedWrappingKey(alias: alias)
            else {
                throw HookError.KeyInvalidated
            }
            do {
                let box = try AES.GCM.SealedBox(combined: Data(wrapped.dropFirst()))
                return try AES.GCM.open(box, using: key, authenticating: aad(alias))
            } catch {
                // Another key (the Keychain was reset) or a damaged blob.
                throw HookError.KeyInvalidated
            }
        default:
            throw HookError.KeyInvalidated
        }
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

    /// Deletes the signing key `alias` (an account's licence holder key
    /// when it signs out). Deleting a key that does not exist succeeds.
    public func deleteKey(alias: String) throws {
        let query: [String: Any] = [
            kSecClass as String: kSecClassKey,
            kSecAttrApplicationTag as String: tag(alias),
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
        ]
        let status = SecItemDelete(query as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw HookError.Failed(reason: "keychain status \(status)")
        }
    }

    // MARK: - Formats

    private static let eciesAlgorithm = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM
    /// The first byte of ECIES output: its ephemeral key's uncompressed point.
    private static let eciesFormat: UInt8 = 0x04
    /// The first byte of a blob wrapped under a Keychain AES key.
    private static let keychainFormat: UInt8 = 0x01
    private static let nonceLength = 12
    private static let tagLength = 16

    /// What a Keychain blob authenticates besides its ciphertext: the
    /// version byte and the alias, so a blob opens under its own alias only.
    private func aad(_ alias: String) -> Data {
        Data([Self.keychainFormat]) + Data(alias.utf8)
    }

    /// DER header of a P-256 SubjectPublicKeyInfo, before the 65-byte point.
    private static let spkiPrefix = Data([
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ])

    // MARK: - Keychain wrapping keys (the fallback)

    /// The generic-password service the Keychain wrapping keys live under,
    /// one item per alias (`kSecAttrAccount`).
    var wrappingKeyService: String { "\(tagPrefix).palmgov.wrapping-key" }

    private func wrappingKeyQuery(_ alias: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: wrappingKeyService,
            kSecAttrAccount as String: alias,
        ]
    }

    /// The alias's AES-256 wrapping key, made and stored on first use.
    private func wrappingKey(alias: String) throws -> SymmetricKey {
        if let key = try storedWrappingKey(alias: alias) { return key }
        creating.lock()
        defer { creating.unlock() }
        if let key = try storedWrappingKey(alias: alias) { return key }
        let key = SymmetricKey(size: .bits256)
        var item = wrappingKeyQuery(alias)
        item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        item[kSecAttrSynchronizable as String] = false
        item[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        let status = SecItemAdd(item as CFDictionary, nil)
        switch status {
        case errSecSuccess:
            return key
        case errSecDuplicateItem:
            // Another keystore object (another thread) stored one first: use it.
            guard let stored = try storedWrappingKey(alias: alias) else {
                throw HookError.Failed(reason: "keychain status \(status)")
            }
            return stored
        default:
            throw HookError.Failed(reason: "keychain status \(status)")
        }
    }

    /// The alias's stored wrapping key, or nil when there is none.
    private func storedWrappingKey(alias: String) throws -> SymmetricKey? {
        var query = wrappingKeyQuery(alias)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data, data.count == 32 else { throw HookError.KeyInvalidated }
            return SymmetricKey(data: data)
        case errSecItemNotFound:
            return nil
        default:
            throw HookError.Failed(reason: "keychain status \(status)")
        }
    }

    // MARK: - P-256 keys (enclave wrapping, and signing on both backings)

    private func tag(_ alias: String) -> Data {
        Data("\(tagPrefix).\(alias)".utf8)
    }

    private func existingKey(alias: String) throws -> SecKey? {
        let query: [String: Any] = [
            kSecClass as String: kSecClassKey,
            kSecAttrApplicationTag as String: tag(alias),
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeyClass as String: kSecAttrKeyClassPrivate,
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
        creating.lock()
        defer { creating.unlock() }
        if let key = try existingKey(alias: alias) { return key }
        var keyAttributes: [String: Any] = [
            kSecAttrIsPermanent as String: true,
            kSecAttrApplicationTag as String: tag(alias),
        ]
        var attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
        ]
        switch backing {
        case .secureEnclave:
            var accessError: Unmanaged<CFError>?
            guard let access = SecAccessControlCreateWithFlags(
                nil, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, .privateKeyUsage, &accessError
            ) else {
                throw HookError.Failed(reason: "access control")
            }
            keyAttributes[kSecAttrAccessControl as String] = access
            attributes[kSecAttrTokenID as String] = kSecAttrTokenIDSecureEnclave
        case .keychain:
            keyAttributes[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        }
        attributes[kSecPrivateKeyAttrs as String] = keyAttributes
        var error: Unmanaged<CFError>?
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw backing == .secureEnclave ? HookError.Unavailable : HookError.Failed(reason: "keygen failed")
        }
        return key
    }
}
