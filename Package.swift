// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Orchestra",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "Orchestra", targets: ["Orchestra"]),
        .library(name: "OrchestraAgents", targets: ["OrchestraAgents"]),
        .library(name: "OrchestraTesting", targets: ["OrchestraTesting"]),
        .executable(name: "research-report", targets: ["research-report"]),
        .executable(name: "event-monitoring", targets: ["event-monitoring"]),
        .executable(name: "quick-start", targets: ["quick-start"]),
        .executable(name: "approval", targets: ["approval"]),
        .executable(name: "orchestra-bench", targets: ["orchestra-bench"]),
    ],
    targets: [
        .target(name: "Orchestra", swiftSettings: strictSettings),
        .target(name: "OrchestraAgents", dependencies: ["Orchestra"], swiftSettings: strictSettings),
        .target(
            name: "OrchestraTesting", dependencies: ["Orchestra", "OrchestraAgents"], swiftSettings: strictSettings),
        .executableTarget(
            name: "research-report",
            dependencies: ["OrchestraAgents", "OrchestraTesting"],
            path: "Examples/ResearchReport",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "data-analysis",
            dependencies: ["OrchestraAgents", "OrchestraTesting"],
            path: "Examples/DataAnalysis",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "approval",
            dependencies: ["OrchestraAgents", "OrchestraTesting"],
            path: "Examples/Approval",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "event-monitoring",
            dependencies: ["Orchestra"],
            path: "Examples/EventMonitoring",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "quick-start",
            dependencies: ["Orchestra"],
            path: "Examples/QuickStart",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "orchestra-bench",
            dependencies: ["Orchestra"],
            path: "Benchmarks/OrchestraBench",
            swiftSettings: strictSettings
        ),
        // The process the crash tests kill and resume; not a product.
        .executableTarget(
            name: "checkpoint-crash-child",
            dependencies: ["Orchestra"],
            path: "Tests/CheckpointCrashChild",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OrchestraTests",
            dependencies: ["Orchestra", "OrchestraTesting", "checkpoint-crash-child"],
            // Read by path from the source tree, not bundled.
            exclude: ["Graph/Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "research-report", "event-monitoring", "data-analysis", "approval", "OrchestraAgents",
                "OrchestraTesting",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OrchestraAgentsTests",
            dependencies: ["OrchestraAgents", "OrchestraTesting"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
