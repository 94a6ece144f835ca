import Foundation
import Logging

/// Owns the workspace registry and the open workspace databases, and carries out the workspace lifecycle
/// (create, update, select, trash, restore, purge).
///
/// An actor because it holds the open database handles. The registry is asynchronous, so every operation that reads
/// or writes it runs through ``gate`` (a ``SerialGate``): no other request interleaves between "check", "close",
/// "move the folder" and "write the row", as when these steps were synchronous.
public actor WorkspaceService {
    /// Where workspace databases live.
    public enum Storage: Sendable {
        /// Files under a daemon home; trash moves folders.
        case home(HomeLayout)
        /// In-memory databases, for tests of everything but the file moves.
        case inMemory
    }

    let storage: Storage
    let registry: any DaemonStore & AuthStore
    let stores: any StoreFactory
    let defaults: WorkspaceDefaults
    let trashDays: Int
    let now: @Sendable () -> Date
    let logger: Logger
    var databases: [WorkspaceID: any WorkspaceStore] = [:]
    /// The web UI's event fan-out: every service reaches it through the workspaces and publishes after its commit.
    public nonisolated let events = WorkspaceEventBus()
    /// Active workspaces whose database could not be opened at start, with the reason.
    var unavailable: [WorkspaceID: DomainError] = [:]
    /// One operation at a time across the registry's suspension points.
    let gate = SerialGate()

    /// - Parameters:
    ///   - registry: the daemon's registry store.
    ///   - stores: opens each workspace's store (``SQLiteStoreFactory`` today).
    package init(
        storage: Storage,
        registry: any DaemonStore & AuthStore,
        stores: any StoreFactory,
        defaults: WorkspaceDefaults = WorkspaceDefaults(),
        trashDays: Int = 30,
        now: @escaping @Sendable () -> Date = WallClock.now,
        logger: Logger
    ) {
        self.storage = storage
        self.registry = registry
        self.stores = stores
        self.defaults = defaults
        self.trashDays = trashDays
        self.now = now
        self.logger = logger
    }

    // MARK: - Create and change

    /// Creates a workspace and makes it current when there was none.
    public func create(_ draft: WorkspaceDraft) async throws -> Workspace {
        try await self.gate.run {
            let now = self.now()
            var workspace = Workspace(
                id: .generate(),
                name: try Names.validateWorkspaceName(draft.name),
                status: .creating,
                topology: draft.topology ?? self.defaults.topology,
                rbacMode: draft.rbacMode ?? self.defaults.rbacMode,
                kanbanPrefix: try KanbanPrefix.validate(draft.kanbanPrefix ?? self.defaults.kanbanPrefix, name: "kanban prefix"),
                epicPrefix: try KanbanPrefix.validate(draft.epicPrefix ?? self.defaults.epicPrefix, name: "epic prefix"),
                maxBodyChars: self.defaults.maxBodyChars,
                chatRetention: self.defaults.chatRetention,
                rateLimit: try Self.checked(draft.rateLimit ?? self.defaults.rateLimit, name: "rate limit", range: 1...100_000),
                loopGuard: try Self.checked(draft.loopGuard ?? self.defaults.loopGuard, name: "loop guard", range: 2...100_000),
                createdAt: now,
                updatedAt: now,
                trashedAt: nil
            )
            let previousCurrent = try await self.currentID()
            try await self.registry.insert(workspace)
            do {
                self.databases[workspace.id] = try self.openDatabase(workspace.id, creating: true)
                workspace.status = .active
                try await self.registry.update(workspace)
            } catch {
                self.databases[workspace.id] = nil
                self.removeFolder(self.folder(workspace.id))
                try? await self.registry.deleteWorkspace(workspace.id)
                throw error
            }
            // Keep the workspace that was current (even implicitly, as the only one); the first becomes current.
            let current = previousCurrent ?? workspace.id
            try await self.registry.setSetting(DaemonSettingKey.currentWorkspace, current.rawValue, now: now)
            self.logger.info("workspace created", metadata: ["workspace.id": "\(workspace.id)", "workspace.name": "\(workspace.name)"])
            self.events.publish(.workspacesChanged, workspace: workspace.id)
            return workspace
        }
    }

    /// Changes the settings of a live workspace. Every field is validated before anything is written.
    public func update(_ reference: String?, _ patch: WorkspacePatch) async throws -> Workspace {
        try await self.gate.run {
            var workspace = try await self.resolve(reference)
            if let name = patch.name { workspace.name = try Names.validateWorkspaceName(name) }
            if let topology = patch.topology { workspace.topology = topology }
            if let mode = patch.rbacMode { workspace.rbacMode = mode }
            if let prefix = patch.kanbanPrefix { workspace.kanbanPrefix = try KanbanPrefix.validate(prefix, name: "kanban prefix") }
            if let prefix = patch.epicPrefix { workspace.epicPrefix = try KanbanPrefix.validate(prefix, name: "epic prefix") }
            if let limit = patch.maxBodyChars {
                guard (1...Workspace.maxBodyLimit).contains(limit) else {
                    throw DomainError.invalidArgument(
                        "max body must be from 1 to \(Workspace.maxBodyLimit) characters (got \(limit))"
                    )
                }
                workspace.maxBodyChars = limit
            }
            if let retention = patch.chatRetention { workspace.chatRetention = retention }
            if let limit = patch.rateLimit { workspace.rateLimit = try Self.checked(limit, name: "rate limit", range: 1...100_000) }
            if let limit = patch.loopGuard { workspace.loopGuard = try Self.checked(limit, name: "loop guard", range: 2...100_000) }
            workspace.updatedAt = self.now()
            try await self.registry.update(workspace)
            self.events.publish(.workspacesChanged, workspace: workspace.id)
            return workspace
        }
    }

    /// Makes a workspace the current one (the default of `--workspace`).
    public func use(_ reference: String) async throws -> Workspace {
        try await self.gate.run {
            let workspace = try await self.resolve(reference)
            try await self.registry.setSetting(DaemonSettingKey.currentWorkspace, workspace.id.rawValue, now: self.now())
            self.events.publish(.workspacesChanged, workspace: workspace.id)
            return workspace
        }
    }

    // MARK: - Reads

    /// Every workspace, trashed ones too, with counts.
    public func list() async throws -> [WorkspaceSummary] {
        try await self.gate.run {
            let current = try await self.currentID()
            var summaries: [WorkspaceSummary] = []
            for workspace in try await self.registry.workspaces() {
                let counts = try await self.databases[workspace.id]?.countsNow() ?? (repos: 0, agents: 0, liveSessions: 0)
                summaries.append(
                    WorkspaceSummary(
                        workspace: workspace,
                        repoCount: counts.repos,
                        agentCount: counts.agents,
                        liveSessionCount: counts.liveSessions,
                        isCurrent: workspace.id == current,
                        purgeAfter: self.purgeDate(of: workspace)
                    )
                )
            }
            return summaries
        }
    }

    /// The summary of one live workspace.
    public func summary(_ reference: String?) async throws -> WorkspaceSummary {
        try await self.gate.run {
            try await self.summary(id: try await self.resolve(reference).id)
        }
    }

    /// The summary of a workspace in any state.
    public func summary(id: WorkspaceID) async throws -> WorkspaceSummary {
        try await self.gate.run {
            guard let summary = try await self.list().first(where: { $0.workspace.id == id }) else {
                throw DomainError.workspaceNotFound(id.rawValue)
            }
            return summary
        }
    }

    /// The current workspace: the one chosen with `workspace use`, else the only live one.
    public func currentID() async throws -> WorkspaceID? {
        try await self.gate.run { () async throws -> WorkspaceID? in
            let live = try await self.registry.workspaces().filter { $0.status == .active }
            if let raw = try await self.registry.setting(DaemonSettingKey.currentWorkspace),
                let chosen = live.first(where: { $0.id.rawValue == raw })
            {
                return chosen.id
            }
            return live.count == 1 ? live[0].id : nil
        }
    }

    /// Resolves `--workspace`: an id, a live workspace's name, or nil / `current` for the current workspace.
    public func resolve(_ reference: String?) async throws -> Workspace {
        try await self.gate.run {
            let all = try await self.registry.workspaces()
            guard let reference, reference.lowercased() != "current" else {
                guard let id = try await self.currentID(), let workspace = all.first(where: { $0.id == id }) else {
                    throw self.noCurrentWorkspace(all.filter { $0.status == .active })
                }
                return workspace
            }
            if let byID = all.first(where: { $0.id.rawValue == reference.lowercased() }) {
                guard byID.status == .active else {
                    throw DomainError(
                        .workspaceNotFound,
                        "workspace \(byID.name) (\(byID.id)) is in the trash; restore it with `whatsagent workspace restore \(byID.id)`"
                    )
                }
                return byID
            }
            if let byName = all.first(where: { $0.status == .active && $0.name.lowercased() == reference.lowercased() }) {
                return byName
            }
            throw DomainError.workspaceNotFound(reference)
        }
    }

    /// The workspace and its open database, for repo and agent operations.
    package func database(for reference: String?) async throws -> (Workspace, any WorkspaceStore) {
        try await self.gate.run {
            let workspace = try await self.resolve(reference)
            guard let database = self.databases[workspace.id] else {
                let cause = self.unavailable[workspace.id]
                if let cause, cause.code == .databaseTooNew {
                    // The fix is a newer binary, not a restore: keep the code and the advice of the cause.
                    throw DomainError(.databaseTooNew, "workspace \(workspace.name) is unavailable: \(cause.message)")
                }
                throw DomainError(
                    .storage,
                    "workspace \(workspace.name) is unavailable: \(cause?.message ?? "its database is not open"); restore its folder from a backup or trash and purge it"
                )
            }
            return (workspace, database)
        }
    }

    /// Closes every workspace database (daemon shutdown).
    public func closeAll() async {
        await self.gate.run {
            for (id, database) in self.databases {
                do {
                    try database.close()
                } catch {
                    self.logger.warning("closing workspace database failed", metadata: ["workspace.id": "\(id)", "error": "\(error)"])
                }
            }
            self.databases = [:]
        }
    }

    // MARK: Helpers

    private func noCurrentWorkspace(_ live: [Workspace]) -> DomainError {
        if live.isEmpty {
            return DomainError(.noCurrentWorkspace, "there are no workspaces yet; create one with `whatsagent workspace add NAME`")
        }
        return DomainError(
            .noCurrentWorkspace,
            "no current workspace among \(live.map(\.name).joined(separator: ", ")); pass --workspace NAME or run `whatsagent workspace use NAME`"
        )
    }

    private static func checked(_ limit: Limit, name: String, range: ClosedRange<Int>) throws -> Limit {
        if case .value(let number) = limit, !range.contains(number) {
            throw DomainError.invalidArgument("\(name) must be from \(range.lowerBound) to \(range.upperBound), or off (got \(number))")
        }
        return limit
    }

    func purgeDate(of workspace: Workspace) -> Date? {
        guard workspace.status == .trashed, self.trashDays > 0, let trashedAt = workspace.trashedAt else { return nil }
        return trashedAt.addingTimeInterval(TimeInterval(self.trashDays) * 86_400)
    }
}

/// A workspace with the numbers a listing shows.
public struct WorkspaceSummary: Equatable, Sendable {
    public var workspace: Workspace
    public var repoCount: Int
    public var agentCount: Int
    public var liveSessionCount: Int
    public var isCurrent: Bool
    /// When a trashed workspace will be purged automatically (nil: never, or not trashed).
    public var purgeAfter: Date?

    public init(workspace: Workspace, repoCount: Int, agentCount: Int, liveSessionCount: Int, isCurrent: Bool, purgeAfter: Date?) {
        self.workspace = workspace
        self.repoCount = repoCount
        self.agentCount = agentCount
        self.liveSessionCount = liveSessionCount
        self.isCurrent = isCurrent
        self.purgeAfter = purgeAfter
    }
}
