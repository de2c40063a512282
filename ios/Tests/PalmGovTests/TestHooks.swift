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

/// Starts the reference backend binary on an ephemeral loopback port.
/// scripts/test sets PALMGOV_SERVER_BIN to target/debug/palmgov-server.
final class ReferenceBackend {
    private let process = Process()
    let baseURL: String

    /// With `issuer`, the backend accepts that provider's tokens.
    init(issuer: String? = nil) throws {
        guard let bin = ProcessInfo.processInfo.environment["PALMGOV_SERVER_BIN"] else {
            throw NSError(domain: "palmgov.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "PALMGOV_SERVER_BIN is not set"])
        }
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: bin)
        process.arguments = ["--listen", "127.0.0.1:0"] + (issuer.map { ["--issuer", $0] } ?? [])
        process.standardOutput = pipe
        try process.run()
        var banner = Data()
        while !banner.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner.append(chunk)
        }
        let line = String(decoding: banner, as: UTF8.self)
        guard let range = line.range(of: " on ") else {
            throw NSError(domain: "palmgov.tests", code: 2, userInfo: [NSLocalizedDescriptionKey: "bad banner: \(line)"])
        }
        baseURL = line[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stands in for the township: assigns `worker` the first `households`
    /// of the backend's sample village, families with their members
    /// (`PUT /v1/dev/roster/{worker}`).
    func assignSampleRoster(worker: String, households: Int) throws {
        try send("PUT", "v1/dev/roster/\(worker)", body: #"{"sample":\#(households)}"#, what: "roster assignment")
    }

    /// Stands in for a caseworker moving a case on (`POST /v1/dev/applications/{id}/status`).
    func setStatus(instanceID: String, status: String) throws {
        try send("POST", "v1/dev/applications/\(instanceID)/status", body: #"{"status":"\#(status)"}"#, what: "status change")
    }

    /// One JSON request to a development route; throws unless it answers 200.
    private func send(_ method: String, _ path: String, body: String, what: String) throws {
        var request = URLRequest(url: URL(string: "\(baseURL)\(path)")!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.httpBody = Data(body.utf8)
        let done = DispatchSemaphore(value: 0)
        var status = 0
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        done.wait()
        guard status == 200 else {
            throw NSError(domain: "palmgov.tests", code: 3, userInfo: [NSLocalizedDescriptionKey: "\(what): \(status)"])
        }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("palmgov-\(UUID().uuidString)")
}
