import PalmGov
import SwiftUI

/// The region app. Every region target (ios/App/project.yml) compiles this
/// same code; which region it is comes from the bundle: the settings its
/// Regions/<code>.xcconfig put in Info.plist and the signed files
/// scripts/build-region staged.
@main
struct RegionApp: App {
    private let region = RegionBundle(bundle: .main)

    var body: some Scene {
        WindowGroup {
            RegionView(region: region)
        }
    }
}

/// The first screen: the app's name in the person's language (one of the
/// region's), the region's code, the language the core will answer in, and
/// the signed files the build carries. SwiftUI mirrors it for Uyghur.
struct RegionView: View {
    let region: RegionBundle

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(region.displayName)
                .font(.largeTitle)
            Text(region.code)
                .font(.headline)
            Text(PalmGovClient.language)
                .font(.subheadline)
            ForEach(region.files) { file in
                // File names and byte counts read left to right in a
                // right-to-left layout too.
                Text("\(file.name)  \(file.bytes) B")
                    .font(.caption.monospaced())
                    .environment(\.layoutDirection, .leftToRight)
            }
        }
        .padding()
        .frame(maxWidth: .infinity, maxHeight: .infinity, alignment: .topLeading)
    }
}
