import Foundation

/// Where everything lives under the daemon home (SPEC §3).
public struct HomeLayout: Equatable, Sendable {
    /// Longest usable Unix socket path: `sun_path` is 108 bytes including the terminating NUL.
    public static let maxSocketPathBytes = 107
    /// Length of the short per-session socket names under `run/` (`<8 chars>.sock`).
    public static let sessionSocketNameLength = 8

    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// `--home`, else `WHATSAGENT_DAEMON_HOME`, else `~/.whatsagent`; relative paths are taken from `directory`.
    public static func resolve(flag: String?, environment: [String: String], currentDirectory: String) -> HomeLayout {
        let raw =
            flag ?? environment["WHATSAGENT_DAEMON_HOME"]
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".whatsagent")
        let absolute = raw.hasPrefix("/") ? raw : (currentDirectory as NSString).appendingPathComponent(raw)
        return HomeLayout(root: (absolute as NSString).standardizingPath)
    }

    public var daemonDatabase: String { self.path("daemon.sqlite") }
    public var configFile: String { self.path("daemon.toml") }
    public var socket: String { self.path("daemon.sock") }
    public var pidFile: String { self.path("daemon.pid") }
    public var logsDirectory: String { self.path("logs") }
    public var logFile: String { self.path("logs/daemon.log") }
    public var workspacesDirectory: String { self.path("workspaces") }
    public var trashDirectory: String { self.path("trash") }

    public func workspaceDirectory(_ id: WorkspaceID) -> String { self.path("workspaces/\(id.rawValue)") }
    public func workspaceDatabase(_ id: WorkspaceID) -> String { self.path("workspaces/\(id.rawValue)/whatsagent.sqlite") }
    public func runDirectory(_ id: WorkspaceID) -> String { self.path("workspaces/\(id.rawValue)/run") }
    public func trashedWorkspaceDirectory(_ id: WorkspaceID) -> String { self.path("trash/\(id.rawValue)") }

    /// The longest socket path the daemon will ever bind: a per-session socket under a workspace's `run/` folder.
    public var longestSocketPath: String {
        let id = WorkspaceID(rawValue: String(repeating: "0", count: WorkspaceID.length))
        return "\(self.runDirectory(id))/\(String(repeating: "x", count: Self.sessionSocketNameLength)).sock"
    }

    /// Fails with a clear message when sockets under this home would exceed the Unix socket path limit.
    public func validateSocketPaths() throws {
        let longest = self.longestSocketPath.utf8.count
        guard longest <= Self.maxSocketPathBytes else {
            let allowed = self.root.utf8.count - (longest - Self.maxSocketPathBytes)
            throw DomainError(
                .homePathTooLong,
                "the home path \(self.root) is too long for Unix sockets (\(self.root.utf8.count) bytes; at most \(allowed) fit); use a shorter --home"
            )
        }
    }

    /// Creates the home and its folders with mode 0700, tightening the home if it already exists with wider access.
    public func prepare() throws {
        for directory in [self.root, self.logsDirectory, self.workspacesDirectory, self.trashDirectory] {
            try Self.makeOwnerOnlyDirectory(directory)
        }
    }

    /// Creates `path` (and parents) and sets it to 0700.
    public static func makeOwnerOnlyDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        } catch {
            if DomainError.storageFailure(error) == .readOnlyHome {
                throw DomainError.readOnlyFolder(path)
            }
            throw DomainError(.storage, "cannot create folder \(path): \(error.localizedDescription)")
        }
    }

    private func path(_ component: String) -> String { "\(self.root)/\(component)" }
}
