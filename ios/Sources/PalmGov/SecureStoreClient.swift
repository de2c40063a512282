import Foundation

/// The app's own records and files, encrypted under the install's data key,
/// in a space the core's own secrets are not in. Behind the app lock.
public final class SecureStoreClient: @unchecked Sendable {
    private let handle: SecureStoreHandle

    init(_ handle: SecureStoreHandle) {
        self.handle = handle
    }

    /// Stores `value` encrypted; `namespace` and `key` are stored in clear.
    public func put(namespace: String, key: String, value: Data) async throws {
        try await handle.put(namespace: namespace, key: key, value: value)
    }

    public func get(namespace: String, key: String) async throws -> Data? {
        try await handle.get(namespace: namespace, key: key)
    }

    /// A whole namespace in one call: one crossing instead of one per entry.
    public func list(namespace: String) async throws -> [SecureEntry] {
        try await handle.list(namespace: namespace)
    }

    @discardableResult
    public func delete(namespace: String, key: String) async throws -> Bool {
        try await handle.delete(namespace: namespace, key: key)
    }

    /// Encrypts the file at `sourcePath` under `name`; with `deleteSource` the
    /// plaintext goes once the sealed copy is safe.
    public func fileImport(name: String, sourcePath: String, deleteSource: Bool = false) async throws -> SecureFileInfo {
        try await handle.fileImport(name: name, sourcePath: sourcePath, deleteSource: deleteSource)
    }

    public func fileRead(name: String) async throws -> Data? {
        try await handle.fileRead(name: name)
    }

    @discardableResult
    public func fileDelete(name: String) async throws -> Bool {
        try await handle.fileDelete(name: name)
    }
}
