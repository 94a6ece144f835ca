import Foundation

/// The daemon's registry: workspaces, settings, runtime settings.
/// A store protocol of the daemon's registry (issue 19, docs/store.md). Asynchronous, as PostgreSQL's driver is
/// (issue 22); ``WorkspaceService`` runs its steps one at a time across these suspension points.
package protocol DaemonStore: Sendable {
    /// The registry's change feed (workspace rows); the workspace row cache is dropped through it.
    var changes: any StoreChangeFeed { get }

    /// Closes the connections (checkpointing the WAL); later use fails with an error.
    nonisolated(nonsending) func close() async throws

    /// Inserts a workspace, refusing a name another live workspace has.
    nonisolated(nonsending) func insert(_ workspace: Workspace) async throws

    /// Replaces a workspace row, refusing a name another live workspace has.
    nonisolated(nonsending) func update(_ workspace: Workspace) async throws

    nonisolated(nonsending) func deleteWorkspace(_ id: WorkspaceID) async throws

    nonisolated(nonsending) func setSetting(_ key: String, _ value: String?, now: Date) async throws

    nonisolated(nonsending) func workspace(_ id: WorkspaceID) async throws -> Workspace?

    /// Every workspace, oldest first; from memory unless a workspace row was written since the last read.
    nonisolated(nonsending) func workspaces() async throws -> [Workspace]

    nonisolated(nonsending) func setting(_ key: String) async throws -> String?

    /// Writes a consistent copy of the database to `path` (SQLite online backup); a store that cannot (PostgreSQL)
    /// refuses with the command that backs it up.
    nonisolated(nonsending) func backup(to path: String) async throws

    /// The stored setting of `runtime`, nil when it has never been set. Host-local: on a shared store it stays in the
    /// home's `daemon.sqlite` (the database never decides what another host executes).
    nonisolated(nonsending) func runtimeSetting(_ runtime: Runtime) async throws -> StoredRuntimeSetting?

    nonisolated(nonsending) func setRuntimeSetting(_ runtime: Runtime, _ stored: StoredRuntimeSetting, now: Date) async throws
}

/// Keys of the registry's settings the core reads and writes.
package enum DaemonSettingKey {
    /// The current workspace's id.
    package static let currentWorkspace = "currentWorkspaceId"
}
