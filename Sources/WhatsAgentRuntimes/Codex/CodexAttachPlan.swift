import Foundation

/// How `whatsagent codex-attach` starts a managed Codex (docs/codex-app-server.md): Codex's app-server on a Unix
/// socket, then the TUI attached to it (`codex --remote unix://…`), or — when the app-server does not come up —
/// plain `codex` with the arguments it would have had without the app-server. Written by the launch plan as a 0600
/// JSON file in the session's run folder; the helper reads it, so nothing here reaches a command line twice.
public struct CodexAttachPlan: Codable, Equatable, Sendable {
    /// Absolute path of `codex`.
    public var codex: String
    /// The app-server's socket (`<run>/<stem>.codex.sock`, owner-only).
    public var socket: String
    /// Where the helper records which path it took (``CodexAttachStatus``).
    public var status: String
    /// The app-server's stdout and stderr.
    public var log: String
    /// `app-server --listen unix://… -c …`: our MCP overrides, the tool approval, `developer_instructions`.
    public var appServerArguments: [String]
    /// `--remote unix://…` followed by the user's own arguments.
    public var remoteArguments: [String]
    /// Plain `codex`: the arguments a launch without the app-server gets (the typed-nudge fallback).
    public var fallbackArguments: [String]
    /// How long the app-server may take to accept connections on its socket.
    public var startTimeoutMilliseconds: Int

    public init(
        codex: String,
        socket: String,
        status: String,
        log: String,
        appServerArguments: [String],
        remoteArguments: [String],
        fallbackArguments: [String],
        startTimeoutMilliseconds: Int = 15_000
    ) {
        self.codex = codex
        self.socket = socket
        self.status = status
        self.log = log
        self.appServerArguments = appServerArguments
        self.remoteArguments = remoteArguments
        self.fallbackArguments = fallbackArguments
        self.startTimeoutMilliseconds = startTimeoutMilliseconds
    }

    /// `sun_path` holds 108 bytes with the terminating NUL.
    public static let maxSocketPathBytes = 107

    public static func read(from path: String) throws -> CodexAttachPlan {
        try JSONDecoder().decode(CodexAttachPlan.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

/// Which path `codex-attach` took, written before it hands the terminal to Codex: `app-server` (the TUI is attached
/// to the app-server at `socket`) or `typed` with the reason the app-server could not be used — rewritten `typed`
/// (``duringSession``) when the app-server stops in the middle of the session.
public struct CodexAttachStatus: Codable, Equatable, Sendable {
    public enum Path: String, Codable, Sendable {
        case appServer = "app-server"
        case typed
    }

    public var path: Path
    public var reason: String?
    /// The app-server's process id (app-server path only).
    public var appServerPID: Int32?
    /// `typed` after the app-server stopped during the session (the TUI lost it and plain `codex` took over), not
    /// at the start.
    public var duringSession: Bool?

    public init(path: Path, reason: String? = nil, appServerPID: Int32? = nil, duringSession: Bool? = nil) {
        self.path = path
        self.reason = reason
        self.appServerPID = appServerPID
        self.duringSession = duringSession
    }

    /// The status file's content; nil when it is missing or unreadable (the helper did not get that far).
    public static func read(from path: String) -> CodexAttachStatus? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(CodexAttachStatus.self, from: data)
    }
}
