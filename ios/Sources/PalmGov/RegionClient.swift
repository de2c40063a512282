import Foundation

/// The region: its backend's health, and the signed region profile that
/// decides where the backend is, whom to trust there, which provider signs
/// people in and what the region offers. A region build opens the core with
/// a `RegionTrust` (its pinned root keys and bundled signed profile); a core
/// opened without one runs on the shell's settings, and may cache the
/// backend's unsigned configuration (`refreshConfig()`). Nothing here is
/// personal, so nothing is behind the app lock.
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

    /// The signed region profile in force, its names in `language`; nil for a
    /// core opened without `RegionTrust`. Offline: the profile was verified
    /// when it arrived and its stored hash at open. Past its expiry it stays
    /// in force with `stale` set (refresh when the network returns); with
    /// `updateRequired` the app says an update is needed, keeps all local
    /// work, and a sync throws `PalmGovError.AppUpdateRequired`.
    public func profileStatus(language: String = PalmGovClient.language) async throws -> RegionProfileStatus? {
        try await handle.profileStatus(language: language)
    }

    /// Fetches the region's signed profile from its backend and, when a newer
    /// one verifies (enough distinct root keys, not a rollback, this build's
    /// region and app id), applies it to this open core: a new backend, pins
    /// or provider take effect once a sync in flight has finished, without
    /// reopening. `signInRequired` says the provider changed: sign in there,
    /// and the new account takes over the old one's drafts and queue when the
    /// profile names the old provider as taken over.
    ///
    /// A refused profile throws `PalmGovError.RegionProfileRefused`, whose
    /// `reason` is a stable code such as `profile.rollback`,
    /// `profile.threshold_not_met` or `profile.other_region`; the profile in
    /// force stays. Offline it throws `PalmGovError.Offline`, as any network
    /// call does.
    @discardableResult
    public func refreshProfile(language: String = PalmGovClient.language) async throws -> RegionProfileRefresh {
        try await cancellable { token in
            try await self.handle.refreshProfile(language: language, cancel: token)
        }
    }
}
