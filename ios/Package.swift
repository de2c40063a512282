// swift-tools-version:5.9
//
// The PalmGov Swift package: the core as an XCFramework (built by
// scripts/build-ios), the UniFFI-generated Swift, and a thin idiomatic layer.
// scripts/build-ios must run before `swift build` / `swift test`: it produces
// build/PalmGovFFI.xcframework and Sources/PalmGov/Generated/palmgov.swift.
import PackageDescription

let package = Package(
    name: "PalmGov",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "PalmGov", targets: ["PalmGov"]),
    ],
    targets: [
        // The static Rust library with its C header and module map (module PalmGovFFI).
        // One static library per app: linking two Rust static libraries gives duplicate symbols.
        .binaryTarget(name: "PalmGovFFI", path: "build/PalmGovFFI.xcframework"),
        .target(
            name: "PalmGov",
            dependencies: ["PalmGovFFI"],
            path: "Sources/PalmGov",
            linkerSettings: [.linkedFramework("Security"), .linkedFramework("LocalAuthentication")]
        ),
        .testTarget(name: "PalmGovTests", dependencies: ["PalmGov"], path: "Tests/PalmGovTests"),
    ]
)
