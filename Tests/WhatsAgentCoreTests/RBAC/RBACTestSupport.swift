import Foundation
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// A workspace `w` with repo `api` and agents holding the given roles, plus an RBAC service over it.
struct RBACWorld {
    let clock: TestClock
    let workspaces: WorkspaceService
    let rbac: RBACService

    /// Agents created by default: `main` (pm), `dev` (engineer), `rev` (reviewer), `res` (researcher),
    /// `ro` (restricted), `op` (operator).
    static let defaultAgents: [(name: String, roles: [String])] = [
        ("main", ["pm"]), ("dev", ["engineer"]), ("rev", ["reviewer"]), ("res", ["researcher"]), ("ro", ["restricted"]),
        ("op", ["operator"]),
    ]

    static func make(
        mode: RBACMode = .enforce,
        agents: [(name: String, roles: [String])] = defaultAgents,
        on store: WorldStore = .sqlite
    ) async throws -> RBACWorld {
        let clock = TestClock()
        let workspaces = try await store.service(clock: clock)
        try await store.prepare(try await workspaces.create(WorkspaceDraft(name: "w", rbacMode: mode)))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: NSTemporaryDirectory(), name: "api")
        let service = AgentService(workspaces: workspaces, now: { clock.now })
        for agent in agents {
            let address = try AgentAddress(parsing: "api:\(agent.name)")
            _ = try await service.add(workspace: nil, AgentDraft(address: address, roles: agent.roles, isMain: agent.name == "main"))
        }
        return RBACWorld(clock: clock, workspaces: workspaces, rbac: RBACService(workspaces: workspaces, now: { clock.now }, logger: quietLogger))
    }

    func database() async throws -> WorkspaceDatabase {
        try await self.workspaces.sqliteDatabase(for: nil).1
    }

    /// A live-session identity of `api:<name>`, as the agent API resolves it.
    func identity(_ name: String) async throws -> AgentIdentity {
        let (workspace, store) = try await self.workspaces.database(for: nil)
        guard let database = store as? WorkspaceDatabase else {
            // Another store: the session opened through its own SessionStore.
            let agent = try await store.agent(try AgentAddress(parsing: "api:\(name)"))
            let session = LiveSession(id: .generate(), agentID: agent.id, agentAddress: "api:\(name)", kind: .external, startedAt: Date())
            _ = try await store.openSession(session, tokenHash: UUID().uuidString, replace: true, now: Date())
            return AgentIdentity(workspace: workspace, agent: agent, session: session, store: store)
        }
        let session = try await insertLiveSession(self.workspaces, workspace: nil, address: "api:\(name)")
        let agent = try await database.agent(try AgentAddress(parsing: "api:\(name)"))
        return AgentIdentity(workspace: workspace, agent: agent, session: session, store: database)
    }

    /// Gives an agent roles straight in the database (custom roles are not yet accepted by `AgentService`).
    func assign(_ roles: [String], to name: String) async throws {
        let database = try await self.database()
        _ = try await database.updateAgent(try AgentAddress(parsing: "api:\(name)")) { agent in agent.roles = roles }
    }

    func setMode(_ mode: RBACMode) async throws {
        _ = try await self.workspaces.update(nil, WorkspacePatch(rbacMode: mode))
    }

    func audit(_ filter: AuditFilter = AuditFilter(limit: 500)) async throws -> [AuditEntry] {
        try await self.rbac.auditEntries(workspace: nil, filter: filter)
    }
}

/// Every grant that can exist: each kind's values, and board actions at each scope a grant may have.
let everyPossibleGrant: [Grant] = GrantKind.allCases.flatMap { kind in
    kind.values.flatMap { value -> [Grant] in
        guard kind.isScoped, KanbanAction(rawValue: value)?.hasDynamicScope == true else { return [Grant(kind, value)] }
        return [Grant(kind, value)] + GrantScope.allCases.map { Grant(kind, value, scope: $0) }
    }
}
