import Foundation

/// The e-licence wallet (电子证照) of the signed-in person: licences fetched
/// bound to this phone, kept sealed, and checked offline. Reading, opening
/// and checking a licence and the device list are behind the app lock;
/// `refresh()` and `refreshStatus()` show only counts, so a background task
/// may run them. The core needs a `WalletConfig` (`PalmGovClient(wallet:)`),
/// else these calls throw `PalmGovError.InvalidInput`.
public final class WalletClient: @unchecked Sendable {
    private let handle: WalletHandle

    init(_ handle: WalletHandle) {
        self.handle = handle
    }

    /// The licences as last fetched, named in `language`. Offline; opens no credential.
    public func licences(language: String = PalmGovClient.language) async throws -> [LicenceSummary] {
        try await handle.licences(language: language)
    }

    /// One licence with every claim its issuer signed. Offline.
    public func licence(id: String, language: String = PalmGovClient.language) async throws -> LicenceDetail {
        try await handle.licence(id: id, language: language)
    }

    /// Checks one licence offline (signature, validity, the status list last
    /// fetched) and keeps the verdict. A missing or stale status list gives
    /// `.undetermined`, never a silent `.valid`.
    public func verifyLicence(id: String) async throws -> LicenceVerdict {
        try await handle.verifyLicence(id: id)
    }

    /// Fetches the person's licences again, the trust list and the status lists; counts only.
    @discardableResult
    public func refresh() async throws -> WalletRefresh {
        try await cancellable { token in try await self.handle.refresh(cancel: token) }
    }

    /// Fetches the trust list and the status lists only (public documents); how many status lists.
    @discardableResult
    public func refreshStatus() async throws -> UInt32 {
        try await cancellable { token in try await self.handle.refreshStatus(cancel: token) }
    }

    /// The trust list in force (version, expiry, stale), or nil before any. Offline.
    public func trustList() async throws -> TrustListStatus? {
        try await handle.trustList()
    }

    /// The phones the person's licences are bound to, this one marked.
    public func devices() async throws -> [WalletDevice] {
        try await cancellable { token in try await self.handle.devices(cancel: token) }
    }

    /// Reports another phone lost, by its `WalletDevice.keyId`: its licences
    /// stop verifying once verifiers refresh their status lists.
    public func revokeDevice(keyID: String) async throws {
        try await cancellable { token in try await self.handle.revokeDevice(keyId: keyID, cancel: token) }
    }

    /// The licence types the core knows, with their claims, named in `language`. Offline, no lock.
    public func licenceTypes(language: String = PalmGovClient.language) -> [LicenceTypeInfo] {
        knownLicenceTypes(language)
    }
}

/// The generated free function, reached from file scope: inside
/// `WalletClient` the method of the same name would shadow it.
private func knownLicenceTypes(_ language: String) -> [LicenceTypeInfo] {
    licenceTypes(language: language)
}
