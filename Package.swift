// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GlossCore", targets: ["GlossCore"]),
        .executable(name: "gloss", targets: ["gloss"]),
        .executable(name: "gloss-server", targets: ["gloss-server"]),
        // libFuzzer targets: plain dynamic libraries here; `scripts/fuzz.sh` rebuilds them with
        // `-sanitize=fuzzer,address` and links each into a fuzzer binary.
        .library(name: "GlossFuzzReports", type: .dynamic, targets: ["GlossFuzzReports"]),
        .library(name: "GlossFuzzSync", type: .dynamic, targets: ["GlossFuzzSync"]),
        .executable(name: "gloss-bench", targets: ["gloss-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        // SQL migrations, shipped as resources; `openapi.yaml` (the HTTP API) sits beside them.
        .target(
            name: "GlossSchema",
            path: "Schema",
            exclude: ["openapi.yaml"],
            resources: [.copy("replica"), .copy("server")]
        ),
        // The shared model: reports, clock, operations, merge rules, replica, exporters.
        .target(
            name: "GlossCore",
            dependencies: [
                "GlossSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The analyst's command-line client.
        .executableTarget(
            name: "gloss",
            dependencies: [
                "GlossCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Client",
            // Every command is a whole process: linking the Swift runtime and Foundation in
            // statically spares the dynamic loader ~15 libraries per run (docs/BENCHMARKS.md).
            // Release only: the test bundle links this target too, and swift-testing needs the
            // shared runtime.
            linkerSettings: [.unsafeFlags([
                "-static-stdlib", "-Xlinker", "--start-group",
                "-lFoundationNetworking", "-l_CFURLSessionInterface", "-lFoundation", "-lCoreFoundation",
                "-lFoundationInternationalization", "-l_FoundationICU", "-lFoundationEssentials",
                "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization", "-lswiftDispatch",
                "-ldispatch", "-lBlocksRuntime", "-lcurl", "-lstdc++",
                "-Xlinker", "--end-group",
            ], .when(platforms: [.linux], configuration: .release))]
        ),
        // zlib from the system, for gzip-compressed pull answers.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The team sync server and its admin commands.
        .executableTarget(
            name: "gloss-server",
            dependencies: [
                "GlossCore",
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Server"
        ),
        // Fuzz entry points (`LLVMFuzzerTestOneInput`), one per target so each links alone.
        .target(name: "GlossFuzzReports", dependencies: ["GlossCore"], path: "Fuzz/Reports"),
        .target(name: "GlossFuzzSync", dependencies: ["GlossCore"], path: "Fuzz/Sync"),
        // `swift run -c release gloss-bench`: throughput, latency and memory against raw SQLite
        // measured in the same run (docs/BENCHMARKS.md). It spawns `gloss`, `gloss-server` and
        // `gloss-bench-one-row`, so it depends on them to have them built.
        .executableTarget(
            name: "gloss-bench",
            dependencies: [
                "GlossCore",
                "gloss",
                "gloss-server",
                "gloss-bench-one-row",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Bench/gloss-bench"
        ),
        // The start-up floor `gloss annotate` is compared with: open SQLite (WAL), insert one row.
        .executableTarget(
            name: "gloss-bench-one-row",
            dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")],
            path: "Bench/gloss-bench-one-row"
        ),
        .testTarget(
            name: "GlossServerTests",
            dependencies: [
                .target(name: "gloss-server"),
                "GlossCore",
                "GlossTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/GlossServerTests",
            exclude: ["Fixtures"]
        ),
        // Helpers shared by the test targets (a seeded random generator).
        .target(name: "GlossTestSupport", path: "Tests/GlossTestSupport"),
        .testTarget(
            name: "GlossCoreTests",
            dependencies: ["GlossCore", "GlossTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GlossEndToEndTests",
            dependencies: ["GlossCore", "GlossTestSupport", "gloss", "gloss-server", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
