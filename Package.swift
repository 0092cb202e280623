// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GlossCore", targets: ["GlossCore"]),
        .library(name: "GlossReplica", targets: ["GlossReplica"]),
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
        // Already in the graph through Hummingbird; named for the server's connection limiter.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        // The client's HTTP (`gloss sync`, `gloss remote add`) and the bench's concurrent clients.
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        // The PostgreSQL store (`gloss-server --postgres URL`); 1.32.2+ fixes LISTEN's deadlock and crash.
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // `GET /metrics` in Prometheus text.
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        // SQL migrations (replica, SQLite server, PostgreSQL server), shipped as resources; `openapi.yaml` (the HTTP API) sits beside them.
        .target(
            name: "GlossSchema",
            path: "Schema",
            exclude: ["openapi.yaml"],
            resources: [.copy("replica"), .copy("server"), .copy("postgres")]
        ),
        // The pure core: reports, anchors, the clock, operations, merge and view, identity,
        // push admission, the sync messages and their codec, the exporters. No storage, no
        // network, no command line: every rule is tested here without SQLite or HTTP.
        .target(
            name: "GlossCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The analyst's replica: one SQLite file that stores operations and the state they
        // merge to, and the client side of sync (`SyncSession` drives `SyncProtocol`).
        .target(
            name: "GlossReplica",
            dependencies: [
                "GlossCore",
                "GlossSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // What both command-line programs share: suggestions for a mistyped command, how a failure reads.
        .target(
            name: "GlossCommandLine",
            dependencies: ["GlossCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The sync transport over HTTP (AsyncHTTPClient on SwiftNIO).
        .target(
            name: "GlossRemote",
            dependencies: [
                "GlossCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // `gloss`, the analyst's command-line client: one file per command in Client/Commands;
        // `gloss open`'s reader page in Client/Reader (its HTML, CSS and JavaScript, in
        // Client/Reader/Page, are embedded in the program by the EmbedPage plugin).
        .executableTarget(
            name: "gloss",
            dependencies: [
                "GlossCore",
                "GlossReplica",
                "GlossRemote",
                "GlossCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Client",
            exclude: ["Reader/Page"],
            plugins: ["EmbedPage"]
        ),
        // Writes the reader page's files into a Swift source of `gloss` (so the program needs
        // no folder beside it), at build time.
        .plugin(name: "EmbedPage", capability: .buildTool(), dependencies: ["gloss-embed-page"], path: "Plugins/EmbedPage"),
        .executableTarget(name: "gloss-embed-page", path: "Plugins/EmbedPageTool"),
        // zlib from the system, for gzip-compressed pull answers.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The team sync server and its admin commands.
        .executableTarget(
            name: "gloss-server",
            dependencies: [
                "GlossCore",
                "GlossSchema",
                "GlossCommandLine",
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
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
                "GlossReplica",
                "GlossRemote",
                "GlossSchema",
                "gloss",
                "gloss-server",
                "gloss-bench-one-row",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Bench/gloss-bench"
        ),
        // The start-up floor `gloss annotate` is compared with, in C: open SQLite (WAL), insert one row.
        .executableTarget(
            name: "gloss-bench-one-row",
            path: "Bench/gloss-bench-one-row",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .testTarget(
            name: "GlossServerTests",
            dependencies: [
                .target(name: "gloss-server"),
                "GlossCore",
                "GlossReplica",
                "GlossTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/GlossServerTests",
            exclude: ["Fixtures"]
        ),
        // Helpers shared by the test targets: a seeded random generator, a simulator of
        // concurrent analysts' operation histories.
        .target(name: "GlossTestSupport", dependencies: ["GlossCore"], path: "Tests/GlossTestSupport"),
        // The rules, without SQLite or HTTP.
        .testTarget(
            name: "GlossCoreTests",
            dependencies: ["GlossCore", "GlossCommandLine", "GlossTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GlossReplicaTests",
            dependencies: ["GlossCore", "GlossReplica", "GlossSchema", "GlossTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "GlossEndToEndTests",
            dependencies: ["GlossCore", "GlossReplica", "GlossRemote", "GlossTestSupport", "gloss", "gloss-server", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            exclude: ["Browser"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
