import Foundation

/// The region's signed files as this build carries them: the profile, the
/// licence trust list, the service catalog snapshot and the pinned root keys
/// the profile is verified against. scripts/build-region checks them with
/// `palmgov region check` and stages them from regions/<code>/ into the
/// target's resources; a pre-build phase refuses stale copies.
///
/// The bundled profile is the floor the core starts from: the core verifies
/// it against `rootKeys` and accepts only newer profiles after it.
struct RegionBundle {
    /// The GB/T 2260 code, from the xcconfig through Info.plist.
    let code: String
    /// The app's name in the language iOS chose among the region's.
    let displayName: String
    let profile: Data
    let trustList: Data
    let catalog: Data
    let rootKeys: Data

    init(bundle: Bundle) {
        code = bundle.object(forInfoDictionaryKey: "PalmGovRegionCode") as? String ?? ""
        // Localised from the staged <language>.lproj/InfoPlist.strings.
        displayName = bundle.object(forInfoDictionaryKey: "CFBundleDisplayName") as? String ?? ""
        profile = Self.read(bundle, "profile")
        trustList = Self.read(bundle, "trust-list")
        catalog = Self.read(bundle, "catalog")
        rootKeys = Self.read(bundle, "profile-root")
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
            File(name: "catalog.json", bytes: catalog.count),
            File(name: "profile-root.json", bytes: rootKeys.count),
        ]
    }

    private static func read(_ bundle: Bundle, _ name: String) -> Data {
        guard let url = bundle.url(forResource: name, withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else {
            // The pre-build check makes this unreachable in a built app.
            preconditionFailure("\(name).json is not in the app bundle: build with scripts/build-region")
        }
        return data
    }
}
