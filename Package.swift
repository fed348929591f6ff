// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Data flows one way: config → plan → simulation → store → analysis → output. Each module
// depends only on those before it; analysis cannot reach SQLite (it does not depend on the store).
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
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The experiment: typed config, units, YAML loading with line/column, observed-data files.
        .target(
            name: "DecoyModel",
            dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),
        // Generator, streams, intensities, the experiment plan and the canonical event digest.
        .target(name: "DecoySimulation", dependencies: ["DecoyModel", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strictSettings),
        // Estimators on plain arrays and special functions: no config, no store.
        .target(name: "DecoyStatistics", swiftSettings: strictSettings),
        // Curves, comparisons, fits, populations on per-run values, wherever they come from.
        .target(name: "DecoyAnalysis", dependencies: ["DecoyModel", "DecoySimulation", "DecoyStatistics"], swiftSettings: strictSettings),
        // Simulation studies of the analyses: power, coverage and type I error, experiments held in memory; no store.
        .target(
            name: "DecoyStudies", dependencies: ["DecoyModel", "DecoySimulation", "DecoyStatistics", "DecoyAnalysis"],
            swiftSettings: strictSettings),
        // The SQLite file: the only module that imports CSQLite.
        .target(name: "DecoyStore", dependencies: ["CSQLite", "DecoyModel"], swiftSettings: strictSettings),
        // Running experiments into the store, field imports, and stored runs read for analysis.
        .target(
            name: "DecoyWorkflows",
            dependencies: ["DecoyModel", "DecoySimulation", "DecoyAnalysis", "DecoyStudies", "DecoyStore"],
            swiftSettings: strictSettings, plugins: [.plugin(name: "EmbedFiles")]),
        // One presentation per result, rendered as table, CSV or JSON; CSV exports of stored tables.
        .target(
            name: "DecoyOutput",
            dependencies: [
                "DecoyModel", "DecoyStatistics", "DecoyAnalysis", "DecoyStudies", "DecoyStore", "DecoyWorkflows",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strictSettings),
        // `decoy bench`: the library's own steps timed on a fixed workload.
        .target(
            name: "DecoyBenchmark",
            dependencies: ["DecoyModel", "DecoyAnalysis", "DecoyStore", "DecoyWorkflows", "DecoyOutput"],
            swiftSettings: strictSettings, plugins: [.plugin(name: "EmbedFiles")]),
        // The command line: parse, call, emit.
        .executableTarget(
            name: "decoy",
            dependencies: [
                "DecoyModel", "DecoyStatistics", "DecoyAnalysis", "DecoyStudies", "DecoyStore", "DecoyWorkflows", "DecoyOutput", "DecoyBenchmark",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),
        // experiments/quickstart.yaml and benchmarks/workload.yaml built into the binary as source, so it needs no
        // files beside it: the plugin lists them per module, the tool writes them out as string literals.
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["embed-files"]),
        .executableTarget(name: "embed-files", path: "Plugins/embed-files", swiftSettings: strictSettings),
        // Helpers every test target shares: the built binary in a temporary folder, a seeded generator.
        .target(name: "DecoyTestSupport", path: "Tests/DecoyTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "DecoyModelTests", dependencies: ["DecoyModel", "DecoyTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "DecoySimulationTests", dependencies: ["DecoySimulation", "DecoyModel", "DecoyStatistics", "DecoyAnalysis"],
            exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "DecoyStatisticsTests", dependencies: ["DecoyStatistics", "DecoyTestSupport"], resources: [.copy("Fixtures")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "DecoyAnalysisTests", dependencies: ["DecoyAnalysis", "DecoyModel", "DecoyStatistics", "DecoySimulation"],
            resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "DecoyStoreTests", dependencies: ["DecoyStore", "DecoyModel", "CSQLite"], swiftSettings: strictSettings),
        .testTarget(
            name: "DecoyStudiesTests",
            dependencies: ["DecoyStudies", "DecoyAnalysis", "DecoyModel", "DecoySimulation", "DecoyStatistics", "DecoyTestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(
            name: "DecoyWorkflowsTests",
            dependencies: ["DecoyWorkflows", "DecoyStudies", "DecoyAnalysis", "DecoyModel", "DecoyStatistics", "DecoyStore", "DecoyTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(name: "DecoyOutputTests", dependencies: ["DecoyOutput", "DecoyModel"], swiftSettings: strictSettings),
        .testTarget(
            name: "DecoyBenchmarkTests",
            dependencies: ["DecoyBenchmark", "DecoyWorkflows", "DecoyModel", "DecoyStore", "DecoyTestSupport"], swiftSettings: strictSettings),
        // The built binary run as a user would: every command, faults, concurrency, privacy.
        .testTarget(
            name: "DecoyEndToEndTests",
            dependencies: ["DecoyModel", "DecoyStore", "DecoyWorkflows", "DecoyTestSupport"],
            exclude: ["Fixtures"], swiftSettings: strictSettings),
    ]
)
