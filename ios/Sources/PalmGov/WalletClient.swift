import Foundation

/// The e-licence wallet (电子证照) of the signed-in person: licences fetched
/// bound to this phone, kept sealed, and checked offline; shown as a QR code
/// (亮证, `showLicence`); and verifier mode, which checks someone else's
/// code (`checkPresentation`). Reading, opening, showing and checking a
/// licence, the history and the device list are behind the app lock;
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

    /// Starts showing licence `id` as a QR code (亮证), with what `profile`
    /// discloses. The core asks the app lock first, every time, with
    /// `reason` in the prompt: a code hands a person's data to whoever
    /// scans it. `.full` also needs `confirmFull`, set only after the person
    /// confirmed on a screen that lists what it shows; without it this throws
    /// `PalmGovError.InvalidInput`. The showing goes into `history()`.
    /// Release the session when the licence leaves the screen.
    public func showLicence(
        id: String, profile: DisclosureProfile, confirmFull: Bool = false, reason: String
    ) async throws -> LicenceShowingSession {
        try await LicenceShowingSession(
            handle.showLicence(id: id, profile: profile, confirmFull: confirmFull, reason: reason))
    }

    /// What the person showed, newest first (at most 500), one record per showing. Offline.
    public func history() async throws -> [PresentationRecord] {
        try await handle.history()
    }

    /// Verifier mode: checks a scanned 亮证 code (`LicenceQr.payload`, the
    /// text the scanner read) offline, against the trust list and status
    /// lists this core holds (`refreshStatus()` keeps them current), and
    /// refuses a code it has seen before (`presentation.replayed`). Needs no
    /// sign-in, but the app lock: the answer holds what a person disclosed,
    /// so never log it.
    public func checkPresentation(
        payload: String, language: String = PalmGovClient.language
    ) async throws -> PresentationCheck {
        try await handle.checkPresentation(payload: payload, language: language)
    }

    /// Two-way 亮证: reads a verifier's request QR (a kiosk's, a clerk's
    /// app's), checked offline against the trust list, so the person sees
    /// who asks (`verifierName`) and for what (`asks`) before choosing a
    /// licence. Nothing personal; no lock.
    public func readRequest(payload: String) async throws -> VerifierRequest {
        try await handle.readRequest(payload: payload)
    }

    /// Answers a verifier's request (`VerifierRequest.payload`) with
    /// licence `id`: the codes show exactly what it asked for, and only
    /// that verifier, for that request, accepts them. Asks the app lock
    /// first; recorded in `history()` with the verifier's name.
    public func showLicenceFor(id: String, request: String, reason: String) async throws
        -> LicenceShowingSession
    {
        try await LicenceShowingSession(
            handle.showLicenceFor(id: id, request: request, reason: reason))
    }

    /// Verifier mode, two-way: this device's verifier key (a P-256 JWK, in
    /// the keystore), for the region to put on its trust list.
    public func verifierKey() async throws -> String {
        try await handle.verifierKey()
    }

    /// Verifier mode, two-way: a request QR asking for `asks` as
    /// `verifierId` (which the trust list must name with this device's
    /// key). Show `qr()`; check answers with `check(payload:language:)`,
    /// which accepts only answers to this request, each once.
    public func openRequest(verifierId: String, asks: [String]) async throws
        -> PresentationRequest
    {
        try await handle.openRequest(verifierId: verifierId, asks: asks)
    }

    /// The licence types the core knows, with their claims, named in `language`. Offline, no lock.
    public func licenceTypes(language: String = PalmGovClient.language) -> [LicenceTypeInfo] {
        knownLicenceTypes(language)
    }
}

/// A licence on screen as a QR code (from `WalletClient.showLicence`). It
/// holds the core's showing, which is freed with the last reference: release
/// the session when the licence leaves the screen (a running `codes()`
/// stream holds it until the stream ends).
public final class LicenceShowingSession: @unchecked Sendable {
    private let showing: LicenceShowing
    /// The core made the first code before handing the showing over: its
    /// wait counts from here.
    private let created = ProcessInfo.processInfo.systemUptime
    private let lock = NSLock()
    private var firstTaken = false

    /// The licence's type (`id_card`…).
    public let licenceType: String
    public let profile: DisclosureProfile

    init(_ showing: LicenceShowing) {
        self.showing = showing
        licenceType = showing.licenceType()
        profile = showing.profile()
    }

    /// The code to show now: the first one, then a new presentation each call
    /// (call at the previous code's `refreshAtMs`, or use `codes()`). Throws
    /// `PalmGovError.Locked` once the app locked: showing again asks the
    /// lock again.
    public func code() async throws -> LicenceQr {
        try await next().code
    }

    /// The codes to paint: the first at once, then a new one each time the
    /// one on screen reaches its `refreshAtMs`, until the consumer stops
    /// (leaving the loop or cancelling its task ends the wait at once).
    /// Consume it while the screen is visible: a new stream starts with a new
    /// code. Throws what `code()` throws. Only the newest code is kept for a
    /// slow consumer.
    ///
    /// The wait is the core's (`refreshAtMs - madeAtMs`, in the core's own
    /// times), measured on this phone's uptime clock from when the code was
    /// asked for: the core dates codes by the server's clock (the latest
    /// `Date` it saw), which a phone's clock may be hours away from, so its
    /// times are never compared with `Date()`.
    public func codes() -> AsyncThrowingStream<LicenceQr, Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                do {
                    while true {
                        let (code, asked) = try await self.next()
                        continuation.yield(code)
                        let held = ProcessInfo.processInfo.systemUptime - asked
                        let wait = Double(code.refreshAtMs - code.madeAtMs) / 1000 - held
                        if wait > 0 {
                            try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                        }
                        try Task.checkCancellation()
                    }
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// A code and when it was asked for (for the first one: when the showing began).
    private func next() async throws -> (code: LicenceQr, asked: TimeInterval) {
        let asked = takeFirst() ? created : ProcessInfo.processInfo.systemUptime
        let code = try await showing.code()
        return (code, asked)
    }

    /// Whether this is the first code asked for. Synchronous: `NSLock` is not
    /// for async contexts.
    private func takeFirst() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let first = !firstTaken
        firstTaken = true
        return first
    }
}

extension LicenceQr {
    /// The light margin round a code, in modules, that the shell draws (ISO/IEC 18004 asks 4).
    public static let quietZone = 4

    /// Whether the module at column `x`, row `y` of the code is dark, both in
    /// `0..<width`, row 0 at the top. The code's modules only: a reader needs
    /// `quietZone` light modules round it, which the shell draws, so a code
    /// takes `width + 2 * quietZone` modules a side on screen.
    public func isDark(x: Int, y: Int) -> Bool {
        let side = Int(width)
        precondition(
            (0..<side).contains(x) && (0..<side).contains(y),
            "(\(x), \(y)) is outside a code of \(side) modules a side")
        return modules[modules.startIndex + y * side + x] != 0
    }
}

/// The generated free function, reached from file scope: inside
/// `WalletClient` the method of the same name would shadow it.
private func knownLicenceTypes(_ language: String) -> [LicenceTypeInfo] {
    licenceTypes(language: language)
}
