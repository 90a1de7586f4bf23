// swift-tools-version:6.0
import PackageDescription

// Kernels are unusably slow unoptimised (~500x in debug), so the two libraries are always
// built with -O; `swift build` / `swift test` stay plain. CPU-specific flags (FMA, AVX-512)
// come from the Makefile, never from here, so a plain build runs on any x86-64.
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "mnist-cli",
    platforms: [.macOS(.v15)],
    // MARK: - Public products
    products: [
        .executable(name: "mnist-cli", targets: ["mnist-cli"]),
        .library(name: "MNISTData", targets: ["MNISTData"]),
        .library(name: "MLPCore", targets: ["MLPCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // MARK: - Implementation
        .executableTarget(
            name: "mnist-cli",
            dependencies: [
                "MNISTData", "MLPCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(name: "MNISTData", dependencies: ["CZlib"], exclude: ["Images/JPEG/README.md", "DigitReading/README.md"], swiftSettings: optimised),
        .target(name: "MLPCore", dependencies: ["CZlib"], swiftSettings: optimised),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: - Benchmarks
        // Built with everything else, in release by `make build` with its CPU flags; users of the
        // libraries like any other, so public API only. `make bench` runs it (scripts/bench.sh).
        .executableTarget(name: "mnist-bench", dependencies: ["MNISTData", "MLPCore"], path: "bench/mnist"),

        // MARK: - Tests
        // What only tests use (fixture builders, picture renderers, data locations): one copy each,
        // never shipped (swift-numerics' _TestSupport). Optimised: its picture renderers draw tens
        // of thousands of digits per run of the suite.
        .target(name: "TestSupport", dependencies: ["MNISTData", "MLPCore"], path: "Tests/TestSupport",
                swiftSettings: optimised),
        .testTarget(name: "MNISTDataTests", dependencies: ["MNISTData", "TestSupport"]),
        .testTarget(name: "MLPCoreTests", dependencies: ["MLPCore", "TestSupport"]),
        // CLITests run the built binary (.build/debug/mnist-cli, from `swift build`) as a user would.
        .testTarget(name: "CLITests", dependencies: ["MNISTData", "MLPCore", "TestSupport"]),
    ]
)
