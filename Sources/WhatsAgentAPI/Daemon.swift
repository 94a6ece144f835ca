import Foundation

/// `GET /health`.
public struct Health: Codable, Sendable, Equatable {
    public var ok: Bool
    public var version: String
    public var startedAt: Date

    public init(ok: Bool, version: String, startedAt: Date) {
        self.ok = ok
        self.version = version
        self.startedAt = startedAt
    }
}

/// Where a running daemon is: printed by `whatsagent start --json` and stored in `daemon.pid`.
public struct DaemonInfo: Codable, Sendable, Equatable {
    public var url: String
    public var pid: Int32
    public var socket: String
    public var home: String
    public var version: String
    /// The one-time first-run setup link (`http://127.0.0.1:PORT/setup?token=…`), present only while no web password
    /// is set. Printed by `whatsagent start` for the owner; never written to `daemon.pid` or the log.
    public var setupURL: String?
    /// `POST /api/v1/daemon/stop` with `stopRunners`: how many managed agents it stopped.
    public var stoppedAgents: Int?

    public init(url: String, pid: Int32, socket: String, home: String, version: String, setupURL: String? = nil) {
        self.url = url
        self.pid = pid
        self.socket = socket
        self.home = home
        self.version = version
        self.setupURL = setupURL
    }
}

/// `GET /api/v1/status` and `whatsagent status --json`.
public struct DaemonStatus: Codable, Sendable, Equatable {
    public var url: String
    public var pid: Int32
    public var socket: String
    public var home: String
    public var version: String
    public var startedAt: Date
    /// Live (not trashed) workspaces.
    public var workspaces: Int
    /// Live sessions across all workspaces.
    public var sessions: Int
    public var currentWorkspaceId: String?

    public init(
        url: String,
        pid: Int32,
        socket: String,
        home: String,
        version: String,
        startedAt: Date,
        workspaces: Int,
        sessions: Int,
        currentWorkspaceId: String?
    ) {
        self.url = url
        self.pid = pid
        self.socket = socket
        self.home = home
        self.version = version
        self.startedAt = startedAt
        self.workspaces = workspaces
        self.sessions = sessions
        self.currentWorkspaceId = currentWorkspaceId
    }
}

/// `POST /api/v1/daemon/stop`.
public struct StopDaemonRequest: Codable, Sendable, Equatable {
    /// Also stop every managed runner.
    public var stopRunners: Bool

    public init(stopRunners: Bool) {
        self.stopRunners = stopRunners
    }
}

/// `POST /api/v1/backup`.
public struct BackupRequest: Codable, Sendable, Equatable {
    /// Absolute path of the archive to write.
    public var path: String

    public init(path: String) {
        self.path = path
    }
}

/// The result of a backup.
public struct BackupResult: Codable, Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var databases: [String]

    public init(path: String, bytes: Int, databases: [String]) {
        self.path = path
        self.bytes = bytes
        self.databases = databases
    }
}
