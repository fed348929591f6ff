// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "decoy",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "decoy", targets: ["decoy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "DecoyModel",
            dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DecoySimulation",
            dependencies: ["DecoyModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DecoyStatistics",
            swiftSettings: strictSettings
        ),
        .target(
            name: "DecoyStore",
            dependencies: ["CSQLite", "DecoyModel"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DecoyKit",
            dependencies: ["DecoyModel", "DecoySimulation", "DecoyStatistics", "DecoyStore"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "decoy",
            dependencies: [
                "DecoyKit", "DecoyModel", "DecoyStatistics", "DecoyStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "DecoyModelTests", dependencies: ["DecoyModel"], swiftSettings: strictSettings),
        .testTarget(name: "DecoySimulationTests", dependencies: ["DecoySimulation", "DecoyModel", "DecoyStatistics"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "DecoyStatisticsTests", dependencies: ["DecoyStatistics"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "DecoyStoreTests", dependencies: ["DecoyStore", "CSQLite"], swiftSettings: strictSettings),
        .testTarget(name: "DecoyEndToEndTests", dependencies: ["DecoyKit", "DecoyModel", "DecoyStore"], swiftSettings: strictSettings),
    ]
)
