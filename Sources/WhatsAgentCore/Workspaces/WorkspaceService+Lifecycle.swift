import Foundation
import Logging

extension WorkspaceService {
    // MARK: - Start

    /// Opens the databases of active workspaces and finishes interrupted transitions: a workspace left
    /// `creating` by a crash is removed (its creation never returned success).
    public func start() async throws {
        try await self.gate.run {
            for workspace in try await self.registry.workspaces() {
                switch workspace.status {
                case .creating:
                    self.removeFolder(self.folder(workspace.id))
                    try await self.registry.deleteWorkspace(workspace.id)
                    self.logger.info("removed half-created workspace", metadata: ["workspace.id": "\(workspace.id)"])
                case .active:
                    do {
                        self.databases[workspace.id] = try self.openDatabase(workspace.id, creating: false)
                    } catch {
                        self.unavailable[workspace.id] = (error as? DomainError) ?? DomainError(.storage, "\(error)")
                        self.logger.error("workspace unavailable", metadata: ["workspace.id": "\(workspace.id)", "error": "\(error)"])
                    }
                case .trashed:
                    break
                }
            }
        }
    }

    // MARK: - Trash, restore, purge

    /// Moves a live workspace to the trash. Refuses while it has live sessions unless `force`, which ends them first.
    public func trash(_ reference: String?, force: Bool) async throws -> Workspace {
        try await self.gate.run {
            var workspace = try await self.resolve(reference)
            let now = self.now()
            if let database = self.databases[workspace.id] {
                let live = try await database.liveSessions()
                if !live.isEmpty {
                    guard force else {
                        throw DomainError.liveSessions(
                            live,
                            what: "workspace \(workspace.name)",
                            command: "whatsagent workspace trash \(workspace.name)"
                        )
                    }
                    _ = try await database.endAllSessions(reason: "stopped: workspace trashed with --force", now: now)
                }
                try database.close()
                self.databases[workspace.id] = nil
            }
            if case .home(let home) = self.storage, FileManager.default.fileExists(atPath: home.workspaceDirectory(workspace.id)) {
                try self.move(home.workspaceDirectory(workspace.id), to: home.trashedWorkspaceDirectory(workspace.id))
            }
            self.unavailable[workspace.id] = nil
            workspace.status = .trashed
            workspace.trashedAt = now
            workspace.updatedAt = now
            try await self.registry.update(workspace)
            if try await self.registry.setting(DaemonSettingKey.currentWorkspace) == workspace.id.rawValue {
                try await self.registry.setSetting(DaemonSettingKey.currentWorkspace, nil, now: now)
            }
            self.logger.info("workspace trashed", metadata: ["workspace.id": "\(workspace.id)"])
            self.events.publish(.workspacesChanged, workspace: workspace.id)
            return workspace
        }
    }

    /// Brings a trashed workspace back. Refused when a live workspace has taken its name meanwhile.
    public func restore(_ reference: String) async throws -> Workspace {
        try await self.gate.run {
            var workspace = try await self.resolveTrashed(reference)
            workspace.status = .active
            workspace.trashedAt = nil
            workspace.updatedAt = self.now()
            if case .home(let home) = self.storage {
                let trashed = home.trashedWorkspaceDirectory(workspace.id)
                guard FileManager.default.fileExists(atPath: trashed) else {
                    throw DomainError(
                        .storage,
                        "the trashed folder \(trashed) is gone, so workspace \(workspace.name) cannot be restored; purge it with `whatsagent workspace purge \(workspace.id)`"
                    )
                }
                // Check the name before moving anything, so a refusal leaves the trash untouched.
                if let clash = try await self.registry.workspaces().first(where: {
                    $0.status == .active && $0.name.lowercased() == workspace.name.lowercased()
                }) {
                    throw DomainError(
                        .nameTaken,
                        "a live workspace is named '\(clash.name)'; rename it first (`whatsagent workspace set \(clash.name) --name NEW`), then restore"
                    )
                }
                try self.move(trashed, to: home.workspaceDirectory(workspace.id))
            }
            do {
                try await self.registry.update(workspace)
                self.databases[workspace.id] = try self.openDatabase(workspace.id, creating: false)
            } catch {
                if case .home(let home) = self.storage {
                    try? self.move(home.workspaceDirectory(workspace.id), to: home.trashedWorkspaceDirectory(workspace.id))
                }
                workspace.status = .trashed
                try? await self.registry.update(workspace)
                throw error
            }
            if try await self.currentID() == nil {
                try await self.registry.setSetting(DaemonSettingKey.currentWorkspace, workspace.id.rawValue, now: workspace.updatedAt)
            }
            self.logger.info("workspace restored", metadata: ["workspace.id": "\(workspace.id)"])
            self.events.publish(.workspacesChanged, workspace: workspace.id)
            return workspace
        }
    }

    /// Deletes a trashed workspace for good.
    public func purge(_ reference: String) async throws -> Workspace {
        try await self.gate.run {
            let workspace = try await self.resolveTrashed(reference)
            if case .home(let home) = self.storage {
                self.removeFolder(home.trashedWorkspaceDirectory(workspace.id))
            }
            try await self.registry.deleteWorkspace(workspace.id)
            self.logger.info("workspace purged", metadata: ["workspace.id": "\(workspace.id)"])
            self.events.publish(.workspacesChanged, workspace: workspace.id)
            return workspace
        }
    }

    /// Purges trashed workspaces older than the retention (`trash_days`; 0 keeps them). Returns what was purged.
    @discardableResult
    public func purgeExpired() async throws -> [Workspace] {
        try await self.gate.run {
            let now = self.now()
            let expired = try await self.registry.workspaces().filter { workspace in
                guard let due = self.purgeDate(of: workspace) else { return false }
                return due <= now
            }
            var purged: [Workspace] = []
            for workspace in expired { purged.append(try await self.purge(workspace.id.rawValue)) }
            return purged
        }
    }

    // MARK: Helpers

    /// Finds a trashed workspace by id, or by a name only one trashed workspace has.
    private func resolveTrashed(_ reference: String) async throws -> Workspace {
        let all = try await self.registry.workspaces()
        if let byID = all.first(where: { $0.id.rawValue == reference.lowercased() }) {
            guard byID.status == .trashed else {
                throw DomainError(
                    .invalidState,
                    "workspace \(byID.name) is not in the trash; trash it first with `whatsagent workspace trash \(byID.name)`"
                )
            }
            return byID
        }
        let named = all.filter { $0.status == .trashed && $0.name.lowercased() == reference.lowercased() }
        switch named.count {
        case 1:
            return named[0]
        case 0:
            if all.contains(where: { $0.status == .active && $0.name.lowercased() == reference.lowercased() }) {
                throw DomainError(
                    .invalidState,
                    "workspace \(reference) is not in the trash; trash it first with `whatsagent workspace trash \(reference)`"
                )
            }
            throw DomainError(
                .workspaceNotFound,
                "no trashed workspace with id or name '\(reference)'; run `whatsagent workspace list` to see trashed ids"
            )
        default:
            throw DomainError(
                .invalidArgument,
                "several trashed workspaces are named '\(reference)' (\(named.map(\.id.rawValue).joined(separator: ", "))); pass the id"
            )
        }
    }

    /// The folder for a workspace's session sockets and generated configs (nil for in-memory storage).
    public func runDirectory(_ id: WorkspaceID) -> String? {
        if case .home(let home) = self.storage { return home.runDirectory(id) }
        return nil
    }

    func folder(_ id: WorkspaceID) -> String? {
        if case .home(let home) = self.storage { return home.workspaceDirectory(id) }
        return nil
    }

    func openDatabase(_ id: WorkspaceID, creating: Bool) throws -> any WorkspaceStore {
        switch self.storage {
        case .inMemory:
            return try self.stores.inMemoryWorkspace(id: id)
        case .home(let home):
            let folder = home.workspaceDirectory(id)
            if creating {
                try HomeLayout.makeOwnerOnlyDirectory(folder)
                try HomeLayout.makeOwnerOnlyDirectory(home.runDirectory(id))
            } else {
                guard FileManager.default.fileExists(atPath: home.workspaceDatabase(id)) else {
                    throw DomainError(.storage, "its database \(home.workspaceDatabase(id)) is missing")
                }
            }
            return try self.stores.openWorkspace(path: home.workspaceDatabase(id), id: id)
        }
    }

    func removeFolder(_ path: String?) {
        guard let path, FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            self.logger.warning("could not remove folder", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    private func move(_ source: String, to destination: String) throws {
        do {
            try FileManager.default.moveItem(atPath: source, toPath: destination)
        } catch {
            throw DomainError(.storage, "cannot move \(source) to \(destination): \(error.localizedDescription)")
        }
    }
}
