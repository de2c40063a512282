import Foundation

/// The region's backend: health, and the configuration cached for offline starts.
public final class RegionClient: @unchecked Sendable {
    private let handle: RegionHandle

    init(_ handle: RegionHandle) {
        self.handle = handle
    }

    public func serverHealth() async throws -> ServerHealth {
        try await cancellable { token in try await self.handle.serverHealth(cancel: token) }
    }

    public func refreshConfig() async throws -> RegionConfig {
        try await cancellable { token in try await self.handle.refreshConfig(cancel: token) }
    }

    public func cachedConfig() async throws -> RegionConfig? {
        try await handle.cachedConfig()
    }
}
