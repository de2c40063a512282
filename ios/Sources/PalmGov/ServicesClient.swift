import Foundation

/// The region's service catalog (办事指南), on the phone: finding a service
/// by its name, pinyin, initials (`sfz`) or an everyday word (低保), its
/// guide (materials, time limit, fee, where to apply), the life events
/// (一件事一次办), and what a service still needs from this person.
///
/// A catalog is public, so everything here but `needs` runs without the app
/// lock and offline once a catalog is on the phone; before any, the reading
/// calls throw `PalmGovError.CatalogMissing`. Every sync brings the catalog
/// up to the one the region profile pins (`update()` does it on its own); a
/// catalog that fails its check throws `PalmGovError.CatalogRefused` (its
/// `reason` a stable code such as `catalog.chunk_hash`) and the last good
/// one stays in use.
public final class ServicesClient: @unchecked Sendable {
    private let handle: ServicesHandle

    init(_ handle: ServicesHandle) {
        self.handle = handle
    }

    /// Brings the catalog up to the one the region profile pins, fetching
    /// only the chunks the phone lacks. Needs no app lock and shows counts
    /// only, so a background task may run it (a sync already does).
    @discardableResult
    public func update() async throws -> CatalogUpdate {
        try await cancellable { token in try await self.handle.update(cancel: token) }
    }

    /// Takes the catalog bundled with the app (the region build's
    /// `catalog/manifest.json` and the files of `catalog/chunks/`, in any
    /// order), checked as a fetched one is (against the profile's pin;
    /// unpinned, never older than the one in force): for a first start
    /// without signal.
    @discardableResult
    public func installBundled(manifest: Data, chunks: [Data]) async throws -> CatalogUpdate {
        try await handle.installBundled(manifest: manifest, chunks: chunks)
    }

    /// The catalog on the phone (version, counts, whether the profile pins a
    /// newer one), or nil before any.
    public func status() async throws -> CatalogStatus? {
        try await handle.status()
    }

    /// Services matching `query`, best first, at most `limit` (the core caps
    /// it at 200): a name in any language the region publishes (Traditional
    /// characters too), pinyin, initials, everyday words and keywords.
    /// `ServiceHit.matched` says why; `highlightRanges` gives the runs of the
    /// name to emphasise. Offline, as the person types.
    public func search(
        query: String, language: String = PalmGovClient.language, limit: UInt32 = 20
    ) async throws -> [ServiceHit] {
        try await handle.search(query: query, language: language, limit: limit)
    }

    /// A service's guide, by its `ServiceHit.code`. Throws
    /// `PalmGovError.NotFound` for a code the catalog lacks.
    public func show(code: String, language: String = PalmGovClient.language) async throws -> ServiceGuide {
        try await handle.show(code: code, language: language)
    }

    /// The life events (一件事一次办) and their services, in order.
    public func lifeEvents(language: String = PalmGovClient.language) async throws -> [LifeEventInfo] {
        try await handle.lifeEvents(language: language)
    }

    /// "What do I still need?": each of the service's materials marked as in
    /// the wallet, answered by the service's form, to photograph or to
    /// bring. For the signed-in person's own application leave
    /// `shownOnVisit` nil: their wallet counts. On a household visit pass the
    /// `PresentationCheck`s of the codes the resident showed (from
    /// `WalletClient.checkPresentation`): only those count, never the
    /// worker's own wallet. Behind the app lock: it reads the wallet.
    public func needs(
        code: String, language: String = PalmGovClient.language, shownOnVisit: [PresentationCheck]? = nil
    ) async throws -> ServiceNeeds {
        try await handle.needs(code: code, language: language, shownOnVisit: shownOnVisit)
    }
}

extension ServiceHit {
    /// The runs of `name` that matched, as ranges of its indices (for an
    /// `AttributedString`). The core counts Unicode scalars, which is what
    /// `unicodeScalars` steps through, so a name with a character outside
    /// the Basic Multilingual Plane is highlighted right too.
    public var highlightRanges: [Range<String.Index>] {
        let scalars = name.unicodeScalars
        return highlights.compactMap { span in
            guard
                let start = scalars.index(
                    scalars.startIndex, offsetBy: Int(span.start), limitedBy: scalars.endIndex),
                let end = scalars.index(start, offsetBy: Int(span.length), limitedBy: scalars.endIndex)
            else { return nil }
            return start..<end
        }
    }
}
