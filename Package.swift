// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GlossCore", targets: ["GlossCore"]),
        .executable(name: "gloss", targets: ["gloss"]),
        .executable(name: "gloss-sync", targets: ["gloss-sync"]),
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
        // Already in the graph through Hummingbird; named for the server's connection limiter.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        // The bench's concurrent clients (already in the graph through HummingbirdTesting).
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
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
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The HTTP client for the team server (URLSession), apart from GlossCore so that only the
        // programs that talk to the server load FoundationNetworking and libcurl.
        .target(name: "GlossRemote", dependencies: ["GlossCore"]),
        // The analyst's commands: options, help and the offline work. `gloss sync` and
        // `gloss remote add` run in `gloss-sync` (Client/Commands/RemoteCommands.swift).
        .target(
            name: "GlossCommands",
            dependencies: ["GlossCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Client/Commands"
        ),
        // The analyst's command-line client. Every command is a whole process: linking the
        // Swift runtime and Foundation in statically spares the dynamic loader ~15 libraries per
        // run (docs/BENCHMARKS.md). Release only: the test bundles need the shared runtime.
        .executableTarget(
            name: "gloss",
            dependencies: ["GlossCommands"],
            path: "Client/gloss",
            linkerSettings: [.unsafeFlags([
                "-static-stdlib", "-Xlinker", "--start-group",
                "-lFoundation", "-lCoreFoundation",
                "-lFoundationInternationalization", "-l_FoundationICU", "-lFoundationEssentials",
                "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization", "-lswiftDispatch",
                "-ldispatch", "-lBlocksRuntime", "-lstdc++",
                "-Xlinker", "--end-group",
                // lld packs the ~90,000 relative relocations (RELR), which the loader then
                // applies ~4× faster: 0.3 ms of every command.
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            ], .when(platforms: [.linux], configuration: .release))]
        ),
        // The network half of `gloss`, which `gloss sync` and `gloss remote add` become.
        .executableTarget(
            name: "gloss-sync",
            dependencies: ["GlossCommands", "GlossRemote"],
            path: "Client/gloss-sync"
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
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
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
                "GlossRemote",
                "gloss",
                "gloss-sync",
                "gloss-server",
                "gloss-bench-one-row",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
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
            dependencies: ["GlossCore", "GlossSchema", "GlossTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GlossEndToEndTests",
            dependencies: ["GlossCore", "GlossTestSupport", "gloss", "gloss-sync", "gloss-server", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
