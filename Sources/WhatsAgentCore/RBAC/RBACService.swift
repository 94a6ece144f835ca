import Foundation
import Logging
import WhatsAgentAPI

/// RBAC for a workspace: checks agent tool calls against the caller's roles and writes the audit log, filters the
/// tool list, and edits roles (SPEC §10).
///
/// Adapters call one method per tool call and one for the tool list:
/// ```swift
/// try await rbac.authorize(identity: identity, tool: "create_channel", ceiling: configuration.rbacCeiling)
/// let tools = try await rbac.visibleTools(AgentTools.all.map(\.name), identity: identity, ceiling: ceiling)
/// ```
public struct RBACService: Sendable {
    let workspaces: WorkspaceService
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        workspaces: WorkspaceService,
        now: @escaping @Sendable () -> Date = WallClock.now,
        logger: Logger = Logger(label: "whatsagent.rbac")
    ) {
        self.workspaces = workspaces
        self.now = now
        self.logger = logger
    }

    // MARK: - Checks

    /// Checks one tool call by the agent of `identity` in its workspace's current mode, loosened to `ceiling`: the
    /// ``ToolCheck`` a write runs inside its own transaction, run here in a write transaction of its own (a read tool's
    /// one write).
    ///
    /// `off` allows without touching the store, and so do ungated tools (`whoami`, `check_messages`: not audited).
    /// `soft` and `enforce` read the agent's grants, decide, and append one audit entry (`grant_check_pass`,
    /// `grant_miss_soft` or `grant_miss_hard`) in one transaction before returning. In `soft` a failing check is
    /// logged and the call allowed.
    /// - Parameters:
    ///   - tool: the agent tool name (`send_message`).
    ///   - facts: the caller's relation to the target row and the comment type, for board tools.
    /// - Returns: the decision (allowed).
    /// - Throws: `rbac_denied` in `enforce` on a missing grant, naming it and the roles that hold it;
    ///   `invalid_argument` for a tool RBAC does not know (unless the mode is `off`).
    @discardableResult
    public func authorize(
        identity: AgentIdentity,
        tool: String,
        facts: AuthorizationFacts = .none,
        ceiling: RBACMode
    ) async throws -> Decision {
        try await self.authorize(self.check(identity: identity, tool: tool, ceiling: ceiling), facts: facts)
    }

    /// Runs `check` — made by whoever called the tool — in a write transaction of its own (see
    /// ``authorize(identity:tool:facts:ceiling:)``); once it committed, a later failure of the call writes nothing more.
    @discardableResult
    package func authorize(_ check: ToolCheck, facts: AuthorizationFacts = .none) async throws -> Decision {
        let mode = check.workspace.rbacMode.capped(by: check.ceiling)
        guard mode != .off else { return Decision(mode: mode, outcome: nil) }
        guard let requirement = Requirement.forTool(check.tool, facts: facts) else {
            throw DomainError.invalidArgument("tool '\(check.tool)' has no RBAC requirement; it cannot be called")
        }
        guard requirement.isGated else { return Decision(mode: mode, outcome: nil) }
        do {
            let outcome = try await check.store.runCheck(check, facts: facts)
            check.committed()
            switch outcome {
            case .allowed(let decision): return decision
            case .denied(let denial): throw denial
            }
        } catch let error as DomainError where error.code == .rbacDenied {
            throw error
        } catch {
            guard mode == .soft else { throw error }
            self.logger.debug(
                "rbac check failed; allowed in soft mode",
                metadata: ["agent.address": "\(check.agent.address)", "rbac.tool": "\(check.tool)", "error": "\(error)"]
            )
            return Decision(mode: mode, outcome: nil)
        }
    }

    /// The check of one tool call by the agent of `identity`, to run inside the use case's own write transaction
    /// (``ToolCheck/run(_:facts:)``), under the workspace's mode loosened to `ceiling`.
    package func check(identity: AgentIdentity, tool: String, ceiling: RBACMode) -> ToolCheck {
        ToolCheck(identity: identity, tool: tool, ceiling: ceiling, now: self.now)
    }

    /// The tools of `names` the agent of `identity` sees: `whoami` and `check_messages` always, tools whose family
    /// it holds, and all of them when the effective mode is `off`. Order is kept.
    public func visibleTools(
        _ names: [String] = Requirement.knownTools,
        identity: AgentIdentity,
        ceiling: RBACMode
    ) async throws -> [String] {
        let (workspace, database) = (identity.workspace, identity.store)
        let mode = workspace.rbacMode.capped(by: ceiling)
        guard mode != .off else { return names }
        let held = try await database.effectiveGrants(of: identity.agent.id)
        return RBACPolicy.visibleTools(names, grants: held.grants, mode: mode)
    }

    /// The roles and effective grants of the agent of `identity` (for `whoami`).
    public func effectiveGrants(identity: AgentIdentity) async throws -> EffectiveGrants {
        let database = identity.store
        return try await database.effectiveGrants(of: identity.agent.id)
    }

    /// The roles and effective grants of an agent, by address (for the human's views).
    public func effectiveGrants(workspace reference: String?, agent address: AgentAddress) async throws -> EffectiveGrants {
        let (_, database) = try await self.workspaces.database(for: reference)
        let agent = try await database.agent(address)
        return try await database.effectiveGrants(of: agent.id)
    }

    // MARK: - Roles

    /// Every role of the workspace with its grants: built-in roles first.
    public func roles(workspace reference: String?) async throws -> [RoleDefinition] {
        try await self.workspaces.database(for: reference).1.roles()
    }

    /// One role by name (case-insensitive).
    /// - Throws: `not_found`.
    public func role(named name: String, workspace reference: String?) async throws -> RoleDefinition {
        try await self.workspaces.database(for: reference).1.role(named: name)
    }

    /// Creates a custom role with no grants.
    /// - Throws: `invalid_name`, `invalid_argument`, `name_taken`.
    public func createRole(named name: String, description: String = "", workspace reference: String?) async throws -> RoleDefinition {
        try await self.workspaces.database(for: reference).1.insertRole(named: name, description: description, now: self.now())
    }

    /// Deletes a custom role that no agent holds.
    /// - Throws: `not_found`; `invalid_state` for a built-in role or one still held (the holders are named).
    public func deleteRole(named name: String, workspace reference: String?) async throws {
        try await self.workspaces.database(for: reference).1.deleteRole(named: name)
    }

    /// Adds a grant to a role; idempotent. Built-in roles' grants are editable.
    /// - Throws: `invalid_argument` for an invalid grant, `not_found`.
    public func grant(_ grant: Grant, to role: String, workspace reference: String?) async throws -> RoleDefinition {
        try await self.workspaces.database(for: reference).1.addGrant(grant, toRole: role, now: self.now())
    }

    /// Removes a grant (with the scope it was granted at) from a role.
    /// - Throws: `not_found` for an unknown role or a grant it does not hold.
    public func revoke(_ grant: Grant, from role: String, workspace reference: String?) async throws -> RoleDefinition {
        try await self.workspaces.database(for: reference).1.removeGrant(grant, fromRole: role, now: self.now())
    }

    // MARK: - Audit

    /// Audit entries matching `filter`, newest first.
    /// - Throws: `invalid_argument` for a limit outside 1...500.
    public func auditEntries(workspace reference: String?, filter: AuditFilter = AuditFilter()) async throws -> [AuditEntry] {
        try await self.workspaces.database(for: reference).1.auditEntries(filter)
    }

    /// How many audit entries match `filter`.
    public func auditCount(workspace reference: String?, filter: AuditFilter = AuditFilter()) async throws -> Int {
        try await self.workspaces.database(for: reference).1.auditCount(filter)
    }

    /// Deletes audit entries older than `date` (audit retention); returns how many.
    @discardableResult
    public func pruneAudit(workspace reference: String?, olderThan date: Date) async throws -> Int {
        try await self.workspaces.database(for: reference).1.pruneAudit(before: date)
    }
}
