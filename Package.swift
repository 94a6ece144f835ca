// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "whatsagent",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "whatsagent", targets: ["whatsagent"]),
        .executable(name: "whatsagent-mcp", targets: ["whatsagent-mcp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "WhatsAgentAPI",
            swiftSettings: swiftSettings
        ),
        // The domain. It reads the agent tools' declarations (their grants) from WhatsAgentAPI: each tool is declared
        // once (issue 20).
        .target(
            name: "WhatsAgentCore",
            dependencies: [
                "WhatsAgentAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The SQLite store (issue 19, docs/store.md): the only module that imports GRDB.
        .target(
            name: "WhatsAgentSQLite",
            dependencies: [
                "WhatsAgentAPI",
                "WhatsAgentCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The PostgreSQL store (issue 22, SPEC §17): the only module that imports PostgresNIO.
        .target(
            name: "WhatsAgentPostgres",
            dependencies: [
                "WhatsAgentCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WhatsAgentRuntimes",
            dependencies: ["WhatsAgentAPI"],
            swiftSettings: swiftSettings
        ),
        // Runner supervision (issue 20): managed agents' runners, adoption after a restart, nudges, the Codex
        // app-server link, worktrees at launch. A service the daemon runs; the server module stays transport only.
        .target(
            name: "WhatsAgentRunners",
            dependencies: [
                "WhatsAgentCore",
                "WhatsAgentAPI",
                "WhatsAgentRuntimes",
                "WhatsAgentTerminal",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WhatsAgentServer",
            dependencies: [
                "WhatsAgentCore",
                "WhatsAgentSQLite",
                "WhatsAgentRunners",
                "WhatsAgentAPI",
                "WhatsAgentRuntimes",
                "WhatsAgentTerminal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            exclude: ["Web"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WhatsAgentClient",
            dependencies: [
                "WhatsAgentAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CPty",
            linkerSettings: [.linkedLibrary("util", .when(platforms: [.linux]))]
        ),
        .target(
            name: "WhatsAgentTerminal",
            dependencies: [
                "CPty",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WhatsAgentMCP",
            dependencies: [
                "WhatsAgentAPI",
                "WhatsAgentClient",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WhatsAgentCLI",
            dependencies: [
                "WhatsAgentCore",
                "WhatsAgentRunners",
                "WhatsAgentAPI",
                "WhatsAgentServer",
                "WhatsAgentClient",
                "WhatsAgentMCP",
                "WhatsAgentRuntimes",
                "WhatsAgentTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "whatsagent",
            dependencies: ["WhatsAgentCLI"],
            swiftSettings: swiftSettings
        ),
        // The lean per-agent process (issue 21): `whatsagent mcp` execs it when it lies beside the running binary.
        // Only the MCP, client and API modules — no core, store, server or command-line parser.
        .executableTarget(
            name: "whatsagent-mcp",
            dependencies: ["WhatsAgentMCP"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WebSocketProbe",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "whatsagent-bench",
            dependencies: [
                "WebSocketProbe",
                "WhatsAgentAPI",
                "WhatsAgentClient",
                "WhatsAgentTerminal",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WhatsAgentCoreTests",
            dependencies: [
                "WhatsAgentAPI",
                "WhatsAgentCore",
                "WhatsAgentSQLite",
                "WhatsAgentPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WhatsAgentServerTests",
            dependencies: [
                "WebSocketProbe",
                "WhatsAgentServer",
                "WhatsAgentTerminal",
                "WhatsAgentCore",
                "WhatsAgentSQLite",
                "WhatsAgentRunners",
                "WhatsAgentAPI",
                "WhatsAgentClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WhatsAgentMCPTests",
            dependencies: [
                "WhatsAgentMCP",
                "WhatsAgentAPI",
                "WhatsAgentClient",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WhatsAgentRuntimesTests",
            dependencies: [
                "WhatsAgentRuntimes",
                "WhatsAgentAPI",
                "WhatsAgentServer",
                "WhatsAgentCore",
                "WhatsAgentClient",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Node"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WhatsAgentTerminalTests",
            dependencies: [
                "WhatsAgentTerminal",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WhatsAgentCLITests",
            dependencies: [
                "WhatsAgentCLI",
                "WhatsAgentCore",
                "WhatsAgentAPI",
                "WhatsAgentClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
