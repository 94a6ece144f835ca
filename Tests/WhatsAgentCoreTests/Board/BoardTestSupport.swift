import Foundation
import Synchronization
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// A workspace `w` with repo `api` and agents `main` (pm), `dev` and `dev2` (engineers), `rev` (reviewer), `res`
/// (researcher) and `ro` (restricted), plus a board service over it. Identities are live sessions.
final class BoardWorld: Sendable {
    let rbacWorld: RBACWorld
    let board: BoardService
    let messages: MessageService
    let hub: EventHub
    /// Each agent's identity as its next request would resolve it: refreshed by ``update(_:)`` and ``setMode(_:)``.
    private let identities: Mutex<[String: AgentIdentity]>

    static let agents: [(name: String, roles: [String])] = [
        ("main", ["pm"]), ("dev", ["engineer"]), ("dev2", ["engineer"]), ("rev", ["reviewer"]), ("res", ["researcher"]),
        ("ro", ["restricted"]),
    ]

    private init(_ world: RBACWorld, identities: [String: AgentIdentity]) {
        self.rbacWorld = world
        self.hub = EventHub()
        self.messages = MessageService(workspaces: world.workspaces, hub: self.hub, now: { world.clock.now })
        self.board = BoardService(
            workspaces: world.workspaces,
            messages: self.messages,
            rbac: world.rbac,
            now: { world.clock.now },
            logger: quietLogger
        )
        self.identities = Mutex(identities)
    }

    static func make(mode: RBACMode = .enforce, on store: WorldStore = .sqlite) async throws -> BoardWorld {
        let world = try await RBACWorld.make(mode: mode, agents: Self.agents, on: store)
        var identities: [String: AgentIdentity] = [:]
        for agent in Self.agents { identities[agent.name] = try await world.identity(agent.name) }
        return BoardWorld(world, identities: identities)
    }

    var workspaces: WorkspaceService { self.rbacWorld.workspaces }

    /// The board actor of `api:<name>` calling `tool`, with the check the agent tool dispatcher would make for it.
    func agent(_ name: String, _ tool: String) -> BoardActor {
        let identity = self.identity(name)
        return .agent(identity, self.rbacWorld.rbac.check(identity: identity, tool: tool, ceiling: .enforce))
    }

    func identity(_ name: String) -> AgentIdentity {
        guard let identity = self.identities.withLock({ $0[name] }) else { preconditionFailure("no test agent \(name)") }
        return identity
    }

    func setMode(_ mode: RBACMode) async throws {
        try await self.update(WorkspacePatch(rbacMode: mode))
    }

    /// Changes the workspace's settings; the agents' next calls see them (a request resolves its workspace row).
    func update(_ patch: WorkspacePatch) async throws {
        let workspace = try await self.workspaces.update(nil, patch)
        self.identities.withLock { identities in
            for name in identities.keys { identities[name]?.workspace = workspace }
        }
    }

    /// Creates a task as the human (no RBAC involved).
    @discardableResult
    func task(_ title: String, for assignee: String = "dev", status: BoardStatus = .backlog, by actor: BoardActor = .human) async throws -> BoardTask
    {
        try await self.board.create(BoardTask.self, TaskDraft(title: title, assignedTo: "api:\(assignee)", status: status), by: actor).item
    }

    @discardableResult
    func epic(_ title: String, for assignee: String = "dev", status: BoardStatus = .backlog) async throws -> BoardEpic {
        try await self.board.create(BoardEpic.self, EpicDraft(title: title, assignedTo: "api:\(assignee)", status: status), by: .human).item
    }

    /// Kanban messages waiting in `name`'s inbox (not leased).
    func kanbanInbox(_ name: String) async throws -> [Message] {
        let store = try await self.workspaces.database(for: nil).1
        return try await store.waitingMessages(for: self.identity(name).agent.id).filter { $0.kind == "kanban" }
    }
}
