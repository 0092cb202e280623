// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GlossCore", targets: ["GlossCore"]),
        .executable(name: "gloss", targets: ["gloss"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // SQL migrations (and later the OpenAPI description), shipped as resources.
        .target(
            name: "GlossSchema",
            path: "Schema",
            exclude: [],
            resources: [.copy("replica")]
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
            path: "Client"
        ),
        .testTarget(
            name: "GlossCoreTests",
            dependencies: ["GlossCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GlossEndToEndTests",
            dependencies: ["GlossCore", "gloss"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
