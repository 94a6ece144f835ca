import Foundation

/// What `whatsagent backup` wrote.
public struct BackupReport: Equatable, Sendable {
    public var path: String
    public var bytes: Int
    /// Archive entries that are databases, e.g. `daemon.sqlite`, `workspaces/<id>/whatsagent.sqlite`.
    public var databases: [String]
}

extension WorkspaceService {
    /// Writes a consistent copy of the home to `path` as a tar archive: every database through SQLite's online
    /// backup (safe while the daemon writes), plus `daemon.toml`. Restore with `tar -xf FILE -C NEW_HOME`.
    public func backup(to path: String, configFile: String?) async throws -> BackupReport {
        try await self.gate.run {
            guard path.hasPrefix("/") else {
                throw DomainError.invalidArgument("backup path must be absolute (got \(path))")
            }
            var isDirectory: ObjCBool = false
            let parent = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DomainError.invalidArgument("cannot write backup \(path): the folder \(parent) does not exist; create it first")
            }
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw DomainError.invalidArgument("cannot write backup \(path): it is a folder; name a file such as \(path)/whatsagent.tar")
            }
            let staging = "\(path).partial-\(SessionID.generate().rawValue.prefix(6))"
            do {
                try HomeLayout.makeOwnerOnlyDirectory(staging)
            } catch {
                // The destination is the caller's choice (a folder of /proc, a read-only mount, no permission): a 400 that
                // names the path, not a storage failure of the daemon's own home.
                throw Self.unwritableBackup(path, error)
            }
            defer { try? FileManager.default.removeItem(atPath: staging) }

            var archive = TarArchive(modificationTime: self.now())
            var databases: [String] = []
            /// Where the copy of archive entry `entry` is written before it is archived.
            func staged(_ entry: String) -> String { "\(staging)/\(entry.replacingOccurrences(of: "/", with: "_"))" }
            /// Archives the copy written at `staged(entry)`.
            func add(_ entry: String) throws {
                try archive.addFile(entry, contents: try Data(contentsOf: URL(fileURLWithPath: staged(entry))))
                databases.append(entry)
            }

            try await self.registry.backup(to: staged("daemon.sqlite"))
            try add("daemon.sqlite")
            if let configFile, let contents = FileManager.default.contents(atPath: configFile) {
                try archive.addFile("daemon.toml", contents: contents)
            }
            try archive.addDirectory("workspaces")
            try archive.addDirectory("trash")
            for workspace in try await self.registry.workspaces() {
                switch workspace.status {
                case .active:
                    guard let database = self.databases[workspace.id] else { continue }
                    try archive.addDirectory("workspaces/\(workspace.id)")
                    try archive.addDirectory("workspaces/\(workspace.id)/run")
                    let entry = "workspaces/\(workspace.id)/whatsagent.sqlite"
                    try database.backup(to: staged(entry))
                    try add(entry)
                case .trashed:
                    guard case .home(let home) = self.storage else { continue }
                    let source = "\(home.trashedWorkspaceDirectory(workspace.id))/whatsagent.sqlite"
                    guard FileManager.default.fileExists(atPath: source) else { continue }
                    try archive.addDirectory("trash/\(workspace.id)")
                    let entry = "trash/\(workspace.id)/whatsagent.sqlite"
                    try self.stores.copyWorkspace(file: source, to: staged(entry))
                    try add(entry)
                case .creating:
                    continue
                }
            }
            archive.finish()

            let temporary = "\(path).tmp"
            do {
                try archive.data.write(to: URL(fileURLWithPath: temporary))
                chmod(temporary, 0o600)
                // rename(2) replaces an existing file atomically: a reader never sees half an archive.
                guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw Self.unwritableBackup(path, error)
            }
            return BackupReport(path: path, bytes: archive.data.count, databases: databases)
        }
    }
}

extension WorkspaceService {
    /// The refusal for a backup destination that cannot be written.
    static func unwritableBackup(_ path: String, _ error: any Error) -> DomainError {
        DomainError.invalidArgument(
            "cannot write backup \(path): \(error.localizedDescription); choose a file in a folder you can write to, e.g. `whatsagent backup ~/whatsagent-backup.tar`"
        )
    }
}
