import Foundation
import Logging
import PostgresNIO
import WhatsAgentCore

/// The rows of an agent call's RBAC check (``CheckRows``) in one PostgreSQL transaction. ``ToolCheck`` reads them
/// synchronously and the driver is asynchronous, so what it may read — the caller's grants and every role definition —
/// is read first, inside the use case's transaction, and the audit entries it appends are written by ``flush(on:)``
/// right after it runs, in the same transaction: the decision and its audit row still commit, or roll back, together.
final class PostgresCheckRows: CheckRows {
    private let agent: AgentID
    private let grants: EffectiveGrants
    private let definitions: [RoleDefinition]
    private var pending: [AuditEntry] = []
    private let workspace: String

    private init(workspace: String, agent: AgentID, grants: EffectiveGrants, definitions: [RoleDefinition]) {
        (self.workspace, self.agent, self.grants, self.definitions) = (workspace, agent, grants, definitions)
    }

    /// Reads `agent`'s grants and the workspace's roles inside the caller's transaction.
    static func load(workspace: String, agent: AgentID, on connection: PostgresConnection, logger: Logger) async throws -> PostgresCheckRows {
        var roles: [String] = []
        for try await role in try await connection.query(
            "SELECT role_name FROM agent_role WHERE workspace_id = \(workspace) AND agent_id = \(agent.rawValue) ORDER BY position, role_name",
            logger: logger
        ).decode(String.self) {
            roles.append(role)
        }
        let definitions = try await PostgresRoles.all(workspace: workspace, on: connection, logger: logger)
        let held = Set(roles.map { $0.lowercased() })
        let grants = definitions.filter { held.contains($0.name.lowercased()) }.flatMap(\.grants)
        return PostgresCheckRows(
            workspace: workspace,
            agent: agent,
            grants: EffectiveGrants(roles: roles, grants: grants),
            definitions: definitions
        )
    }

    func effectiveGrants(of agent: AgentID) throws -> EffectiveGrants {
        guard agent == self.agent else {
            throw DomainError(.storage, "the RBAC rows were read for \(self.agent), not \(agent)")
        }
        return self.grants
    }

    func roles() throws -> [RoleDefinition] { self.definitions }

    func appendAudit(_ entry: AuditEntry) throws { self.pending.append(entry) }

    /// Writes the audit entries the check appended, in the caller's transaction.
    func flush(on connection: PostgresConnection, logger: Logger) async throws {
        for entry in self.pending {
            try await PostgresAudit.append(entry, workspace: self.workspace, on: connection, logger: logger)
        }
        self.pending = []
    }
}

extension PostgresStoreDatabase {
    /// Runs `check` in a transaction of its own, its audit row included (a read tool's check; the check of a call
    /// refused before its use case ran): `MessagingStore.runCheck` on PostgreSQL.
    package func runCheck(_ check: ToolCheck, facts: AuthorizationFacts, workspace: WorkspaceID, agent: AgentID) async throws -> ToolCheck.Outcome {
        let logger = self.logger
        return try await self.transaction { connection in
            try await PostgresCheckRows.run(check, facts: facts, workspace: workspace.rawValue, agent: agent, on: connection, logger: logger)
        }
    }
}

extension PostgresCheckRows {
    /// Runs `check` for `agent` in the caller's transaction: its rows read first, its audit entries written after it.
    static func run(
        _ check: ToolCheck,
        facts: AuthorizationFacts,
        workspace: String,
        agent: AgentID,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> ToolCheck.Outcome {
        let rows = try await PostgresCheckRows.load(workspace: workspace, agent: agent, on: connection, logger: logger)
        let outcome = try check.run(rows, facts: facts)
        try await rows.flush(on: connection, logger: logger)
        return outcome
    }
}

/// Role definitions of a workspace on PostgreSQL.
enum PostgresRoles {
    /// Every role with its grants, built-in roles first (in their built-in order), then the others by name.
    static func all(workspace: String, on connection: PostgresConnection, logger: Logger) async throws -> [RoleDefinition] {
        var grants: [String: [Grant]] = [:]
        for try await (role, kind, value, scope) in try await connection.query(
            "SELECT lower(role_name), kind, value, scope FROM role_grant WHERE workspace_id = \(workspace)",
            logger: logger
        ).decode((String, String, String, String?).self) {
            guard let grantKind = GrantKind(rawValue: kind) else {
                throw DomainError(.storage, "role \(role) holds a grant of unknown kind '\(kind)'")
            }
            var grantScope: GrantScope?
            if let scope {
                guard let parsed = GrantScope(rawValue: scope) else {
                    throw DomainError(.storage, "role \(role) holds a grant with unknown scope '\(scope)'")
                }
                grantScope = parsed
            }
            grants[role, default: []].append(Grant(grantKind, value, scope: grantScope))
        }
        var roles: [RoleDefinition] = []
        for try await (name, description, builtin) in try await connection.query(
            "SELECT name, description, is_builtin FROM role WHERE workspace_id = \(workspace)",
            logger: logger
        ).decode((String, String, Bool).self) {
            roles.append(RoleDefinition(name: name, description: description, isBuiltin: builtin, grants: grants[name.lowercased()] ?? []))
        }
        let order = RoleDefinition.builtins.map(\.name)
        return roles.sorted { first, second in
            switch (order.firstIndex(of: first.name.lowercased()), order.firstIndex(of: second.name.lowercased())) {
            case (let left?, let right?): left < right
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): first.name.lowercased() < second.name.lowercased()
            }
        }
    }

    /// Seeds a new workspace's built-in roles (``RoleDefinition/builtins``), in the caller's transaction.
    static func seedBuiltins(workspace: String, now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        for role in RoleDefinition.builtins {
            try await connection.query(
                """
                INSERT INTO role (workspace_id, name, description, is_builtin, created_at, updated_at)
                VALUES (\(workspace), \(role.name), \(role.description), true, \(now), \(now))
                """,
                logger: logger
            )
            for grant in role.grants {
                try await connection.query(
                    """
                    INSERT INTO role_grant (workspace_id, role_name, kind, value, scope)
                    VALUES (\(workspace), \(role.name), \(grant.kind.rawValue), \(grant.value), \(grant.scope?.rawValue))
                    """,
                    logger: logger
                )
            }
        }
    }
}

/// The audit log of a workspace on PostgreSQL.
enum PostgresAudit {
    /// Appends `entry` in the caller's transaction; returns its id.
    @discardableResult
    static func append(_ entry: AuditEntry, workspace: String, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query(
            """
            INSERT INTO audit (workspace_id, at, kind, actor_address, actor_agent_id, tool, expected_grant, outcome, detail_json)
            VALUES (\(workspace), \(entry.at), \(entry.kind), \(entry.actorAddress), \(entry.actorAgentID?.rawValue), \(entry.tool),
                \(entry.expectedGrant), \(entry.outcome), \(entry.detailJSON))
            RETURNING id
            """,
            logger: logger
        )
        for try await id in rows.decode(Int64.self) { return id }
        throw DomainError(.storage, "the audit row was not stored")
    }
}
