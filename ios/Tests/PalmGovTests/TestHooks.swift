import CryptoKit
import Foundation
@testable import PalmGov

/// A keystore written in Swift, so the tests cross the foreign-trait boundary
/// the way `KeychainKeystore` does, without touching the real Keychain.
final class TestKeystore: Keystore, @unchecked Sendable {
    private let key: SymmetricKey
    private var signing: [String: P256.Signing.PrivateKey] = [:]
    private let lock = NSLock()
    private(set) var calls = 0

    init(secret: UInt8 = 7) {
        key = SymmetricKey(data: Data(repeating: secret, count: 32))
    }

    func wrapKey(alias: String, key plain: Data) throws -> Data {
        count()
        return try AES.GCM.seal(plain, using: key, authenticating: Data(alias.utf8)).combined!
    }

    func unwrapKey(alias: String, wrapped: Data) throws -> Data {
        count()
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return try AES.GCM.open(box, using: key, authenticating: Data(alias.utf8))
        } catch {
            throw HookError.KeyInvalidated
        }
    }

    func devicePublicKey(alias: String) throws -> Data {
        signingKey(alias).publicKey.derRepresentation
    }

    func sign(alias: String, message: Data) throws -> Data {
        try signingKey(alias).signature(for: message).derRepresentation
    }

    func deleteKey(alias: String) throws {
        lock.lock()
        defer { lock.unlock() }
        signing[alias] = nil
    }

    private func signingKey(_ alias: String) -> P256.Signing.PrivateKey {
        lock.lock()
        defer { lock.unlock() }
        if let k = signing[alias] { return k }
        let k = P256.Signing.PrivateKey()
        signing[alias] = k
        return k
    }

    private func count() {
        lock.lock()
        calls += 1
        lock.unlock()
    }
}

/// An app lock that answers every prompt with `outcome`.
final class TestAppLock: AppLock, @unchecked Sendable {
    var outcome: AppLockOutcome
    /// False: a phone with no passcode, which gets the app PIN.
    var available: Bool
    private(set) var prompts = 0

    init(_ outcome: AppLockOutcome = .unlocked, available: Bool = true) {
        self.outcome = outcome
        self.available = available
    }

    func isAvailable() -> Bool { available }

    func authenticate(reason: String) throws -> AppLockOutcome {
        prompts += 1
        return outcome
    }
}

/// Starts the reference backend binary on an ephemeral loopback port, with
/// its development routes (under `/v1/dev/`, mounted only with `--dev`)
/// behind `ReferenceBackend.devAdminToken`, which it takes from its
/// environment. scripts/test sets PALMGOV_SERVER_BIN to
/// target/debug/palmgov-server.
final class ReferenceBackend {
    /// Where `--dev` takes the admin token from (else it makes one and prints it).
    static let devAdminTokenVariable = "PALMGOV_DEV_ADMIN_TOKEN"
    /// The development routes' admin token in these tests: at least 32
    /// characters, as the backend requires.
    static let devAdminToken = "test-admin-token-0123456789abcdef"

    private let process = Process()
    private let output = Pipe()
    let baseURL: String

    /// With `issuer`, the backend accepts that provider's tokens.
    init(issuer: String? = nil) throws {
        guard let bin = ProcessInfo.processInfo.environment["PALMGOV_SERVER_BIN"] else {
            throw NSError(domain: "palmgov.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "PALMGOV_SERVER_BIN is not set"])
        }
        process.executableURL = URL(fileURLWithPath: bin)
        process.arguments = ["--listen", "127.0.0.1:0", "--dev"] + (issuer.map { ["--issuer", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment[Self.devAdminTokenVariable] = Self.devAdminToken
        process.environment = environment
        process.standardOutput = output
        try process.run()
        var banner = Data()
        while !banner.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner.append(chunk)
        }
        // "palmgov reference backend on http://127.0.0.1:PORT/ (SIGINT or SIGTERM to stop)"
        let line = String(decoding: banner, as: UTF8.self)
        guard let range = line.range(of: " on "),
              let url = line[range.upperBound...].split(separator: " ").first,
              url.hasPrefix("http://127.0.0.1:")
        else {
            process.terminate()
            throw NSError(domain: "palmgov.tests", code: 2, userInfo: [NSLocalizedDescriptionKey: "bad banner: \(line)"])
        }
        baseURL = url.trimmingCharacters(in: .whitespacesAndNewlines)
        // Keep reading, so a later line never blocks the backend on a full pipe.
        output.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
    }

    /// Stands in for the township: assigns `worker` the first `households`
    /// of the backend's sample village, families with their members
    /// (`PUT /v1/dev/roster/{worker}`).
    func assignSampleRoster(worker: String, households: Int) throws {
        let status = dev("PUT", "v1/dev/roster/\(worker)", body: #"{"sample":\#(households)}"#)
        try expectOK(status, "roster assignment")
    }

    /// Stands in for a caseworker moving a case on (`POST /v1/dev/applications/{id}/status`).
    func setStatus(instanceID: String, status: String) throws {
        let answer = dev("POST", "v1/dev/applications/\(instanceID)/status", body: #"{"status":"\#(status)"}"#)
        try expectOK(answer, "status change")
    }

    /// Stands in for the licence's issuer: sets its status to `valid`,
    /// `revoked` or `suspended` (`POST /v1/dev/licences/status`). The app
    /// sees it once it fetches the status lists again.
    func setLicenceStatus(licenceID: String, status: String) throws {
        let answer = dev(
            "POST", "v1/dev/licences/status", body: #"{"licence_id":"\#(licenceID)","status":"\#(status)"}"#)
        try expectOK(answer, "licence status change")
    }

    /// Stands in for the region's registration of a kiosk: puts `jwk` (the
    /// kiosk core's `verifierKey()`) on the trust list as verifier `id`,
    /// named `name`, allowed to ask for `asks`
    /// (`POST /v1/dev/wallet/verifiers`).
    func registerVerifier(id: String, name: String, jwk: String, asks: [String]) throws {
        let list = asks.map { "\"\($0)\"" }.joined(separator: ",")
        let answer = dev(
            "POST", "v1/dev/wallet/verifiers",
            body: #"{"id":"\#(id)","name":"\#(name)","jwk":\#(jwk),"asks":[\#(list)]}"#)
        try expectOK(answer, "verifier registration")
    }

    /// One JSON request to a development route presenting `token` (none
    /// when nil); its HTTP status, 0 when no answer came.
    func dev(_ method: String, _ path: String, body: String, token: String? = ReferenceBackend.devAdminToken) -> Int {
        var request = URLRequest(url: URL(string: "\(baseURL)\(path)")!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        if let token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "authorization")
        }
        request.httpBody = Data(body.utf8)
        let done = DispatchSemaphore(value: 0)
        let status = HookResult<Int>()
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.set(.success((response as? HTTPURLResponse)?.statusCode ?? 0))
            done.signal()
        }.resume()
        done.wait()
        return (try? status.get()) ?? 0
    }

    private func expectOK(_ status: Int, _ what: String) throws {
        guard status == 200 else {
            throw NSError(domain: "palmgov.tests", code: 3, userInfo: [NSLocalizedDescriptionKey: "\(what): \(status)"])
        }
    }

    deinit {
        output.fileHandleForReading.readabilityHandler = nil
        process.terminate()
        process.waitUntilExit()
    }
}

/// The reference backend's test root keys (server/src/wallet.rs, `ROOT_SEEDS`:
/// Ed25519 from the seeds 0xA1×32, 0xA2×32 and 0xA3×32), as public JWKs.
/// Test keys only: an app pins its region's own roots.
let testWalletRoots = [
    #"{"kty":"OKP","crv":"Ed25519","x":"vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU"}"#,
    #"{"kty":"OKP","crv":"Ed25519","x":"Zej5sLxurhJBafBXb5c2LSlajPX3cLReFDV85kfTPuw"}"#,
    #"{"kty":"OKP","crv":"Ed25519","x":"rPErSswcZgqDJq7TQDnvtyil5JZIgkD1CpMqt6ulF1E"}"#,
]

/// The wallet of an app built against the reference backend: its test
/// roots, two of three must sign.
func testWalletConfig() -> WalletConfig {
    WalletConfig(trustRoots: testWalletRoots, trustThreshold: 2)
}

func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("palmgov-\(UUID().uuidString)")
}

extension ReferenceBackend {
    /// Stands in for a caseworker asking for materials by a date (补正): sets
    /// application `instanceID` to `correction_required`, due at `dueAtMs`,
    /// with `materials` as the caseworker wrote them
    /// (`POST /v1/dev/applications/{id}/status`).
    func requestCorrection(instanceID: String, dueAtMs: Int64, materials: [String]) throws {
        let list = materials.map { "\"\($0)\"" }.joined(separator: ",")
        let body = #"{"status":"correction_required","due_at_ms":\#(dueAtMs),"requested_materials":[\#(list)]}"#
        let status = dev("POST", "v1/dev/applications/\(instanceID)/status", body: body)
        guard status == 200 else {
            throw NSError(
                domain: "palmgov.tests", code: 3, userInfo: [NSLocalizedDescriptionKey: "correction request: \(status)"])
        }
    }
}

/// The OS's pending notifications in memory, for `RemindersClient.reconcile`:
/// `fire` is the OS showing one, `drop` a vendor's power manager (or a
/// person) cancelling one.
final class FakeReminderScheduler: ReminderScheduler, @unchecked Sendable {
    let capacity: UInt32
    /// What the OS holds, by id, and in the order it was scheduled.
    private(set) var held: [String: Reminder] = [:]
    private(set) var order: [String] = []
    private var unreported: [String] = []

    init(capacity: UInt32 = 64) {
        self.capacity = capacity
    }

    func pending() async -> [String] { order }

    func schedule(_ reminder: Reminder) async throws {
        if held.updateValue(reminder, forKey: reminder.id) == nil {
            order.append(reminder.id)
        }
    }

    func cancel(id: String) async {
        remove(id)
    }

    func shown() async -> [String] { unreported }

    func reported(_ ids: [String]) async {
        unreported.removeAll { ids.contains($0) }
    }

    /// The OS shows reminder `id`: no longer held, and shown for the next
    /// reconcile to report.
    func fire(_ id: String) {
        precondition(held[id] != nil, "\(id) is not held")
        remove(id)
        unreported.append(id)
    }

    /// A vendor's power manager cancels reminder `id`.
    func drop(_ id: String) {
        precondition(held[id] != nil, "\(id) is not held")
        remove(id)
    }

    private func remove(_ id: String) {
        held[id] = nil
        order.removeAll { $0 == id }
    }
}
