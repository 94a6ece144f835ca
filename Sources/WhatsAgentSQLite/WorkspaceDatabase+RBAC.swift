import Foundation
import GRDB
import WhatsAgentCore

/// Roles and their grants (the RBAC store). Every method is one transaction.
extension WorkspaceDatabase {
    // MARK: - Reads

    /// Every role with its grants, built-in roles first, then custom roles by name.
    package func roles() async throws -> [RoleDefinition] {
        try await self.writer.read { db in try Self.fetchRoles(db) }
    }

    /// The role named `name` (case-insensitive).
    /// - Throws: `not_found`.
    package func role(named name: String) async throws -> RoleDefinition {
        try await self.writer.read { db in try Self.fetchRole(named: name, db) }
    }

    /// The roles an agent holds and the union of their grants. Role names without a definition grant nothing.
    package func effectiveGrants(of agent: AgentID) async throws -> EffectiveGrants {
        try await self.writer.read { db in try Self.fetchEffectiveGrants(of: agent, db) }
    }

    // MARK: - Writes

    /// Creates a custom role with no grants.
    /// - Throws: `invalid_name`, `invalid_argument` (description), `name_taken`.
    package func insertRole(named rawName: String, description rawDescription: String, now: Date) async throws -> RoleDefinition {
        let name = try RoleDefinition.validateName(rawName)
        let description = try RoleDefinition.validateDescription(rawDescription)
        return try await self.writer.write { db in
            if try RoleRecord.filter(sql: "name = ? COLLATE NOCASE", arguments: [name]).fetchCount(db) > 0 {
                throw DomainError.roleNameTaken(name)
            }
            let record = RoleRecord(name: name, description: description, isBuiltin: false, createdAt: now, updatedAt: now)
            try record.insert(db)
            return record.domain(grants: [])
        }
    }

    /// Deletes a custom role and its grants.
    /// - Throws: `not_found`; `invalid_state` for a built-in role, or while agents hold the role (they are named).
    package func deleteRole(named name: String) async throws {
        try await self.writer.write { db in
            let role = try Self.fetchRole(named: name, db)
            if role.isBuiltin {
                throw DomainError.builtinRoleKept(role.name)
            }
            let holders = try String.fetchAll(
                db,
                sql: """
                    SELECT repo.name || ':' || agent.name FROM agentRole
                    JOIN agent ON agent.id = agentRole.agentId JOIN repo ON repo.id = agent.repoId
                    WHERE agentRole.roleName = ? COLLATE NOCASE
                    ORDER BY repo.name COLLATE NOCASE, agent.name COLLATE NOCASE
                    """,
                arguments: [role.name]
            )
            if !holders.isEmpty {
                throw DomainError.roleStillHeld(role.name, by: holders)
            }
            _ = try RoleRecord.deleteOne(db, key: role.name)
        }
    }

    /// Adds a grant to a role (built-in roles included). Adding a grant the role holds changes nothing.
    /// - Throws: `invalid_argument` for an invalid grant, `not_found`.
    package func addGrant(_ grant: Grant, toRole name: String, now: Date) async throws -> RoleDefinition {
        let grant = try grant.validated()
        return try await self.writer.write { db in
            let role = try Self.fetchRole(named: name, db)
            guard !role.grants.contains(grant) else { return role }
            try RoleGrantRecord(roleName: role.name, grant: grant).insert(db)
            try Self.touchRole(role.name, now: now, db)
            return try Self.fetchRole(named: role.name, db)
        }
    }

    /// Removes a grant from a role (built-in roles included). The scope must match the one granted.
    /// - Throws: `not_found` for an unknown role or a grant the role does not hold.
    package func removeGrant(_ grant: Grant, fromRole name: String, now: Date) async throws -> RoleDefinition {
        try await self.writer.write { db in
            let role = try Self.fetchRole(named: name, db)
            try db.execute(
                sql: "DELETE FROM roleGrant WHERE roleName = ? COLLATE NOCASE AND kind = ? AND value = ? AND ifnull(scope, '') = ?",
                arguments: [role.name, grant.kind.rawValue, grant.value, grant.scope?.rawValue ?? ""]
            )
            guard db.changesCount > 0 else {
                throw DomainError.grantNotHeld(grant, role: role.name)
            }
            try Self.touchRole(role.name, now: now, db)
            return try Self.fetchRole(named: role.name, db)
        }
    }

    // MARK: Helpers

    /// The roles an agent holds and the union of their grants, inside the caller's transaction.
    static func fetchEffectiveGrants(of agent: AgentID, _ db: Database) throws -> EffectiveGrants {
        // Cached statements: this runs for every RBAC-checked tool call.
        let roles = try AgentRoleRecord.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM agentRole WHERE agentId = ? ORDER BY rowid"),
            arguments: [agent.rawValue]
        ).map(\.roleName)
        let grants = try RoleGrantRecord.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT roleGrant.* FROM roleGrant
                    JOIN agentRole ON agentRole.roleName = roleGrant.roleName COLLATE NOCASE
                    WHERE agentRole.agentId = ?
                    """
            ),
            arguments: [agent.rawValue]
        )
        return EffectiveGrants(roles: roles, grants: try grants.map { try $0.domain() })
    }

    static func fetchRoles(_ db: Database) throws -> [RoleDefinition] {
        let records = try RoleRecord.order(sql: "isBuiltin DESC, CASE WHEN isBuiltin = 1 THEN rowid ELSE 0 END, name COLLATE NOCASE").fetchAll(db)
        let grants = Dictionary(grouping: try RoleGrantRecord.fetchAll(db), by: { $0.roleName.lowercased() })
        return try records.map { record in
            record.domain(grants: try (grants[record.name.lowercased()] ?? []).map { try $0.domain() })
        }
    }

    static func fetchRole(named name: String, _ db: Database) throws -> RoleDefinition {
        guard let record = try RoleRecord.filter(sql: "name = ? COLLATE NOCASE", arguments: [name]).fetchOne(db) else {
            throw DomainError.roleNotFound(name)
        }
        let grants = try RoleGrantRecord.filter(sql: "roleName = ? COLLATE NOCASE", arguments: [record.name]).fetchAll(db)
        return record.domain(grants: try grants.map { try $0.domain() })
    }

    private static func touchRole(_ name: String, now: Date, _ db: Database) throws {
        try db.execute(sql: "UPDATE role SET updatedAt = ? WHERE name = ?", arguments: [now, name])
    }
}
