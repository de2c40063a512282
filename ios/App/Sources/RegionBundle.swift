import Foundation

/// The region's signed files as this build carries them: the profile, the
/// licence trust list, the pinned root keys the profile is verified against,
/// and the service catalog (`catalog/manifest.json`, which the profile pins,
/// and the chunks it lists, `catalog/chunks/<sha256>.zlib`; docs/catalog.md).
/// scripts/build-region checks them with `palmgov region check` and stages
/// them from regions/<code>/ into the target's resources (the catalog as a
/// folder, `catalog/` in the bundle); a pre-build phase refuses stale copies.
///
/// The bundled profile is the floor the core starts from: the core verifies
/// it against `rootKeys` and accepts only newer profiles after it. The
/// bundled catalog is for a first start without signal: hand it to
/// `ServicesClient.installBundled(manifest: catalogManifest, chunks: catalogChunks)`,
/// which checks it against the profile's pin as a fetched one.
struct RegionBundle {
    /// The GB/T 2260 code, from the xcconfig through Info.plist.
    let code: String
    /// The app's name in the language iOS chose among the region's.
    let displayName: String
    let profile: Data
    let trustList: Data
    let rootKeys: Data
    let catalogManifest: Data
    /// The files of `catalog/chunks/`, in no particular order.
    let catalogChunks: [Data]

    init(bundle: Bundle) {
        code = bundle.object(forInfoDictionaryKey: "PalmGovRegionCode") as? String ?? ""
        // Localised from the staged <language>.lproj/InfoPlist.strings.
        displayName = bundle.object(forInfoDictionaryKey: "CFBundleDisplayName") as? String ?? ""
        profile = Self.read(bundle, "profile")
        trustList = Self.read(bundle, "trust-list")
        rootKeys = Self.read(bundle, "profile-root")
        catalogManifest = Self.read(bundle, "manifest", in: "catalog")
        let chunks = bundle.urls(forResourcesWithExtension: "zlib", subdirectory: "catalog/chunks") ?? []
        catalogChunks = chunks
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
            .map { url in
                guard let data = try? Data(contentsOf: url) else {
                    preconditionFailure("\(url.lastPathComponent) does not read: build with scripts/build-region")
                }
                return data
            }
    }

    /// A bundled file's name and size, for an about screen.
    struct File: Identifiable {
        let name: String
        let bytes: Int
        var id: String { name }
    }

    var files: [File] {
        [
            File(name: "profile.json", bytes: profile.count),
            File(name: "trust-list.json", bytes: trustList.count),
            File(name: "profile-root.json", bytes: rootKeys.count),
            File(name: "catalog/manifest.json", bytes: catalogManifest.count),
            File(
                name: "catalog/chunks/ (\(catalogChunks.count))",
                bytes: catalogChunks.reduce(0) { $0 + $1.count }),
        ]
    }

    private static func read(_ bundle: Bundle, _ name: String, in subdirectory: String? = nil) -> Data {
        guard let url = bundle.url(forResource: name, withExtension: "json", subdirectory: subdirectory),
            let data = try? Data(contentsOf: url)
        else {
            // The pre-build check makes this unreachable in a built app.
            let path = subdirectory.map { "\($0)/" } ?? ""
            preconditionFailure("\(path)\(name).json is not in the app bundle: build with scripts/build-region")
        }
        return data
    }
}
