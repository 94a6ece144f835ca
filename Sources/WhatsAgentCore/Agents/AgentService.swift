import Foundation
import WhatsAgentAPI

/// Creates, changes and removes agents of a workspace.
public struct AgentService: Sendable {
    let workspaces: WorkspaceService
    let now: @Sendable () -> Date

    /// Longest runtime command.
    public static let maxCommandCharacters = 1000
    /// Longest single argument.
    public static let maxArgumentCharacters = 4000

    public init(workspaces: WorkspaceService, now: @escaping @Sendable () -> Date = WallClock.now) {
        self.workspaces = workspaces
        self.now = now
    }

    public func add(workspace: String?, _ draft: AgentDraft) async throws -> Agent {
        let (_, database) = try await self.workspaces.database(for: workspace)
        let repo = try await database.repo(named: draft.address.repo)
        let runtime = draft.runtime ?? .claude
        let command = try Self.validatedCommand(draft.command)
        try Self.validate(args: draft.args)
        try Self.requireCommand(runtime: runtime, command: command)
        try draft.persona?.validate()
        let known = try await database.roles().map(\.name)
        let roles =
            draft.roles.isEmpty
            ? BuiltinRoles.defaults(forAgentNamed: draft.address.agent) : try BuiltinRoles.validate(draft.roles, known: known)
        let now = self.now()
        let proposed = Agent(
            id: .generate(),
            repoID: repo.id,
            repoName: repo.name,
            name: draft.address.agent,
            runtime: runtime,
            command: command,
            args: draft.args,
            roles: roles,
            isMain: draft.isMain,
            pushEnabled: true,
            persona: draft.persona.flatMap { $0.isEmpty ? nil : $0 },
            createdAt: now,
            updatedAt: now,
            nudgeEnabled: draft.nudgeEnabled
        )
        let agent = try await database.insertAgent(proposed)
        self.workspaces.events.publish(.agentsChanged, in: database)
        return agent
    }

    public func list(workspace: String?) async throws -> [Agent] {
        try await self.workspaces.database(for: workspace).1.agents()
    }

    public func show(workspace: String?, _ address: AgentAddress) async throws -> Agent {
        try await self.workspaces.database(for: workspace).1.agent(address)
    }

    /// Changes an agent; every value is validated before anything is written.
    public func update(workspace: String?, _ address: AgentAddress, _ patch: AgentPatch) async throws -> Agent {
        let (_, database) = try await self.workspaces.database(for: workspace)
        let command = try patch.command.map { try Self.validatedCommand($0) }
        if let args = patch.args { try Self.validate(args: args) }
        let known = try await database.roles().map(\.name)
        let roles = try patch.roles.map { try BuiltinRoles.validate($0, known: known) }
        try patch.persona?.validate()
        let now = self.now()
        let updated = try await database.updateAgent(address) { agent in
            if let runtime = patch.runtime { agent.runtime = runtime }
            if let command { agent.command = command }
            if let args = patch.args { agent.args = args }
            if let roles, !roles.isEmpty { agent.roles = roles }
            if let persona = patch.persona { agent.persona = persona.isEmpty ? nil : persona }
            if let push = patch.pushEnabled { agent.pushEnabled = push }
            if let muted = patch.muted { agent.muted = muted }
            if let nudge = patch.nudgeEnabled { agent.nudgeEnabled = nudge }
            try Self.requireCommand(runtime: agent.runtime, command: agent.command)
            agent.updatedAt = now
        }
        self.workspaces.events.publish(.agentsChanged, in: database)
        return updated
    }

    /// Removes an agent; refuses while it has a live session unless `force`. Returns the sessions stopped.
    @discardableResult
    public func remove(workspace: String?, _ address: AgentAddress, force: Bool) async throws -> [LiveSession] {
        let database = try await self.workspaces.database(for: workspace).1
        let ended = try await database.deleteAgent(address, force: force, now: self.now())
        self.workspaces.events.publish(.agentsChanged, in: database)
        return ended
    }

    /// Makes an agent the workspace's main agent (the previous main loses the flag).
    public func setMain(workspace: String?, _ address: AgentAddress) async throws -> Agent {
        let now = self.now()
        let database = try await self.workspaces.database(for: workspace).1
        let main = try await database.updateAgent(address) { agent in
            agent.isMain = true
            agent.updatedAt = now
        }
        self.workspaces.events.publish(.agentsChanged, in: database)
        return main
    }

    /// Leaves the workspace without a main agent. Returns the agent that was main.
    @discardableResult
    public func unsetMain(workspace: String?) async throws -> Agent? {
        let database = try await self.workspaces.database(for: workspace).1
        let previous = try await database.unsetMain(now: self.now())
        self.workspaces.events.publish(.agentsChanged, in: database)
        return previous
    }

    // MARK: Helpers

    /// nil stays nil; an empty or blank command clears the override.
    static func validatedCommand(_ command: String?) throws -> String? {
        guard let trimmed = command?.trimmingCharacters(in: .whitespaces) else { return nil }
        guard FreeText.length(trimmed) <= self.maxCommandCharacters else {
            throw DomainError.invalidArgument("command is longer than \(self.maxCommandCharacters) characters")
        }
        guard !trimmed.contains(where: \.isNewline), !trimmed.unicodeScalars.contains("\0") else {
            throw DomainError.invalidArgument("command must be one line without NUL characters")
        }
        return trimmed.isEmpty ? nil : trimmed
    }

    static func validate(args: [String]) throws {
        for arg in args where FreeText.length(arg) > self.maxArgumentCharacters || arg.unicodeScalars.contains("\0") {
            throw DomainError.invalidArgument(
                "argument '\(arg.prefix(40))…' is longer than \(self.maxArgumentCharacters) characters or contains NUL"
            )
        }
    }

    static func requireCommand(runtime: Runtime, command: String?) throws {
        if runtime == .custom && command == nil {
            throw DomainError.invalidArgument("the custom runtime needs a command; pass --command CMD")
        }
    }
}
