import Foundation

/// The daemon's registry: workspaces, settings, runtime settings.
/// A store protocol of the daemon's registry (issue 19, docs/store.md).
package protocol DaemonStore: Sendable {
    /// The registry's change feed (workspace rows); the workspace row cache is dropped through it.
    var changes: any StoreChangeFeed { get }

    /// Closes the connections (checkpointing the WAL); later use fails with an error.
    func close() throws

    /// Inserts a workspace, refusing a name another live workspace has.
    func insert(_ workspace: Workspace) throws

    /// Replaces a workspace row, refusing a name another live workspace has.
    func update(_ workspace: Workspace) throws

    func deleteWorkspace(_ id: WorkspaceID) throws

    func setSetting(_ key: String, _ value: String?, now: Date) throws

    func workspace(_ id: WorkspaceID) throws -> Workspace?

    /// Every workspace, oldest first; from memory unless a workspace row was written since the last read.
    func workspaces() throws -> [Workspace]

    func setting(_ key: String) throws -> String?

    /// Writes a consistent copy of the database to `path` (SQLite online backup).
    func backup(to path: String) throws

    /// The stored setting of `runtime`, nil when it has never been set.
    func runtimeSetting(_ runtime: Runtime) throws -> StoredRuntimeSetting?

    func setRuntimeSetting(_ runtime: Runtime, _ stored: StoredRuntimeSetting, now: Date) throws
}

/// Keys of the registry's settings the core reads and writes.
package enum DaemonSettingKey {
    /// The current workspace's id.
    package static let currentWorkspace = "currentWorkspaceId"
}
