import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// Roles and grants (``RBACStore``): each write one transaction under the workspace's lock; the names' and grants'
/// rules are the core's (``RoleDefinition``, ``Grant``).
extension PostgresWorkspaceStore {
    // MARK: - Writes

    package func insertRole(named rawName: String, description rawDescription: String, now: Date) async throws -> RoleDefinition {
        let name = try RoleDefinition.validateName(rawName)
        let description = try RoleDefinition.validateDescription(rawDescription)
        return try await self.write { connection in
            guard try await self.role(named: name, on: connection) == nil else { throw DomainError.roleNameTaken(name) }
            try await connection.query(
                """
                INSERT INTO role (workspace_id, name, description, is_builtin, created_at, updated_at)
                VALUES (\(self.id), \(name), \(description), false, \(now), \(now))
                """,
                logger: self.logger
            )
            return RoleDefinition(name: name, description: description, isBuiltin: false, grants: [])
        }
    }

    package func deleteRole(named name: String) async throws {
        try await self.write { connection in
            guard let role = try await self.role(named: name, on: connection) else { throw DomainError.roleNotFound(name) }
            if role.isBuiltin { throw DomainError.builtinRoleKept(role.name) }
            let holders = try await self.values(
                String.self,
                """
                SELECT repo.name || ':' || agent.name FROM agent_role
                JOIN agent ON agent.workspace_id = agent_role.workspace_id AND agent.id = agent_role.agent_id
                JOIN repo ON repo.workspace_id = agent.workspace_id AND repo.id = agent.repo_id
                WHERE agent_role.workspace_id = \(self.id) AND lower(agent_role.role_name) = lower(\(role.name))
                ORDER BY lower(repo.name) COLLATE "C", lower(agent.name) COLLATE "C"
                """,
                on: connection
            )
            guard holders.isEmpty else { throw DomainError.roleStillHeld(role.name, by: holders) }
            try await connection.query("DELETE FROM role WHERE workspace_id = \(self.id) AND name = \(role.name)", logger: self.logger)
        }
    }

    package func addGrant(_ grant: Grant, toRole name: String, now: Date) async throws -> RoleDefinition {
        let grant = try grant.validated()
        return try await self.write { connection in
            guard let role = try await self.role(named: name, on: connection) else { throw DomainError.roleNotFound(name) }
            guard !role.grants.contains(grant) else { return role }
            try await connection.query(
                """
                INSERT INTO role_grant (workspace_id, role_name, kind, value, scope)
                VALUES (\(self.id), \(role.name), \(grant.kind.rawValue), \(grant.value), \(grant.scope?.rawValue))
                """,
                logger: self.logger
            )
            return try await self.touchedRole(role.name, now: now, on: connection)
        }
    }

    package func removeGrant(_ grant: Grant, fromRole name: String, now: Date) async throws -> RoleDefinition {
        try await self.write { connection in
            guard let role = try await self.role(named: name, on: connection) else { throw DomainError.roleNotFound(name) }
            let removed = try await self.values(
                String.self,
                """
                DELETE FROM role_grant
                WHERE workspace_id = \(self.id) AND role_name = \(role.name) AND kind = \(grant.kind.rawValue) AND value = \(grant.value)
                    AND coalesce(scope, '') = \(grant.scope?.rawValue ?? "")
                RETURNING kind
                """,
                on: connection
            )
            guard !removed.isEmpty else { throw DomainError.grantNotHeld(grant, role: role.name) }
            return try await self.touchedRole(role.name, now: now, on: connection)
        }
    }

    // MARK: - Reads

    package func roles() async throws -> [RoleDefinition] {
        try await self.read { connection in try await PostgresRoles.all(workspace: self.id, on: connection, logger: self.logger) }
    }

    package func role(named name: String) async throws -> RoleDefinition {
        try await self.read { connection in
            guard let role = try await self.role(named: name, on: connection) else { throw DomainError.roleNotFound(name) }
            return role
        }
    }

    package func effectiveGrants(of agent: AgentID) async throws -> EffectiveGrants {
        try await self.read { connection in
            try await PostgresCheckRows.load(workspace: self.id, agent: agent, on: connection, logger: self.logger).effectiveGrants(of: agent)
        }
    }

    // MARK: Helpers

    /// The role named `name` (without case), with its grants, inside the caller's transaction.
    private func role(named name: String, on connection: PostgresConnection) async throws -> RoleDefinition? {
        try await PostgresRoles.all(workspace: self.id, on: connection, logger: self.logger).first { $0.name.lowercased() == name.lowercased() }
    }

    /// Marks the role changed and returns it as stored.
    private func touchedRole(_ name: String, now: Date, on connection: PostgresConnection) async throws -> RoleDefinition {
        try await connection.query("UPDATE role SET updated_at = \(now) WHERE workspace_id = \(self.id) AND name = \(name)", logger: self.logger)
        guard let role = try await self.role(named: name, on: connection) else { throw DomainError.roleNotFound(name) }
        return role
    }
}
