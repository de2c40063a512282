import Foundation

/// The grid worker's household roster (网格户册), cached for offline visits.
public final class RosterClient: @unchecked Sendable {
    private let handle: RosterHandle

    init(_ handle: RosterHandle) {
        self.handle = handle
    }

    /// The roster as last cached; works offline.
    public func roster() async throws -> [Household] {
        try await handle.roster()
    }

    /// Fetches the roster the township assigned; every sync does this too.
    public func refreshRoster() async throws -> [Household] {
        try await cancellable { token in try await self.handle.refreshRoster(cancel: token) }
    }

    /// `refreshRoster` for a background task: no app lock, only the count.
    public func refreshInBackground() async throws -> UInt32 {
        try await cancellable { token in try await self.handle.refreshInBackground(cancel: token) }
    }

    /// Adds a household met on the way, stored durably at once and sent with
    /// the next sync. Throws `PalmGovError.InvalidInput` naming the field.
    public func addHousehold(_ household: NewHousehold) async throws -> Household {
        try await handle.addHousehold(household: household)
    }
}
