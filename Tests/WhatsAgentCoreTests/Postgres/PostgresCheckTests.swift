import Foundation
import PostgresNIO
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres
@testable import WhatsAgentSQLite

/// An agent call's RBAC check on PostgreSQL (issue 22): the same ``ToolCheck`` as on SQLite, over the workspace's
/// built-in roles seeded with it, decides the same and writes the same audit row in the check's transaction — and
/// a check whose transaction rolls back leaves no audit row behind.
@Suite struct PostgresCheckTests {
    let logger = PostgresTestServer.logger

    private func workspace(_ id: WorkspaceID) -> Workspace {
        Contract.workspace(id: id, name: "contract-\(id.rawValue.prefix(6))")
    }

    /// Adds `agent` (its repo first) with `roles` to the PostgreSQL workspace.
    private func add(_ agent: Agent, roles: [String], workspace: WorkspaceID, to database: PostgresStoreDatabase) async throws {
        let logger = self.logger
        try await database.transaction { connection in
            let id = workspace.rawValue
            try await connection.query(
                """
                INSERT INTO repo (workspace_id, id, name, path, created_at, updated_at)
                VALUES (\(id), \(agent.repoID.rawValue), \(agent.repoName), \("/tmp/contract/" + agent.repoName), \(Contract.now), \(Contract.now))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
            try await connection.query(
                """
                INSERT INTO agent (workspace_id, id, repo_id, name, runtime, created_at, updated_at)
                VALUES (\(id), \(agent.id.rawValue), \(agent.repoID.rawValue), \(agent.name), \(agent.runtime.rawValue), \(Contract.now), \(Contract.now))
                """,
                logger: logger
            )
            for role in roles {
                try await connection.query(
                    "INSERT INTO agent_role (workspace_id, agent_id, role_name) VALUES (\(id), \(agent.id.rawValue), \(role))",
                    logger: logger
                )
            }
        }
    }

    /// A PostgreSQL workspace and an in-memory SQLite one, each with the same engineer `api:dev`.
    private func engineerOnBothStores() async throws -> (PostgresStoreDatabase, WorkspaceID, SQLiteSeed, Agent) {
        let database = try await PostgresTestServer.open(try await PostgresTestServer.freshDatabase())
        let id = WorkspaceID.generate()
        try await database.transaction { connection in
            try await PostgresWorkspaces.insert(self.workspace(id), on: connection, logger: self.logger)
        }
        let sqlite = SQLiteSeed(database: try WorkspaceDatabase.inMemory(), folder: nil)
        let engineer = try await Contract.assign(["engineer"], to: try await sqlite.addAgent("api:dev"), in: sqlite.workspaceStore)
        try await self.add(engineer, roles: ["engineer"], workspace: id, to: database)
        return (database, id, sqlite, engineer)
    }

    private func auditRows(_ database: PostgresStoreDatabase, workspace: WorkspaceID) async throws -> [AuditEntry] {
        let logger = self.logger
        return try await database.withConnection { connection in
            var entries: [AuditEntry] = []
            let rows = try await connection.query(
                """
                SELECT at, kind, actor_address, tool, expected_grant, outcome, detail_json FROM audit
                WHERE workspace_id = \(workspace.rawValue) ORDER BY id
                """,
                logger: logger
            )
            for try await (at, kind, actor, tool, grant, outcome, detail) in rows.decode(
                (Date, String, String, String?, String?, String, String?).self
            ) {
                entries.append(
                    AuditEntry(at: at, kind: kind, actorAddress: actor, tool: tool, expectedGrant: grant, outcome: outcome, detailJSON: detail)
                )
            }
            return entries
        }
    }

    @Test func theSameCheckDecidesAndAuditsAsOnSQLite() async throws {
        let (database, id, sqlite, engineer) = try await self.engineerOnBothStores()
        defer { database.close() }

        // A tool the role grants, and one it does not (engineers post in channels but do not create them).
        for tool in ["send_message", "create_channel", "list_peers"] {
            let onSQLite = try await sqlite.store.runCheck(Contract.check(tool, by: engineer, in: sqlite.workspaceStore), facts: .none)
            let onPostgres = try await database.runCheck(
                Contract.check(tool, by: engineer, in: sqlite.workspaceStore),
                facts: .none,
                workspace: id,
                agent: engineer.id
            )
            switch (onSQLite, onPostgres) {
            case (.allowed(let left), .allowed(let right)):
                #expect(left == right, "\(tool)")
            case (.denied(let left), .denied(let right)):
                #expect(left.code == right.code && left.message == right.message, "\(tool): \(left.message) / \(right.message)")
            default:
                Issue.record("\(tool): SQLite \(onSQLite), PostgreSQL \(onPostgres)")
            }
        }
        let expected = try await sqlite.workspaceStore.auditEntries(AuditFilter()).reversed().map {
            [$0.kind, $0.actorAddress, $0.tool, $0.expectedGrant, $0.outcome, $0.detailJSON]
        }
        let stored = try await self.auditRows(database, workspace: id).map {
            [$0.kind, $0.actorAddress, $0.tool, $0.expectedGrant, $0.outcome, $0.detailJSON]
        }
        #expect(stored == expected)
        #expect(stored.map { $0[4] } == [AuditEntry.allowed, AuditEntry.denied, AuditEntry.allowed].map(Optional.some))
    }

    @Test func aCheckWhoseTransactionRollsBackLeavesNoAuditRow() async throws {
        let (database, id, sqlite, agent) = try await self.engineerOnBothStores()
        defer { database.close() }

        struct UseCaseFailed: Error {}
        let logger = self.logger
        await #expect(throws: UseCaseFailed.self) {
            try await database.transaction { connection in
                let rows = try await PostgresCheckRows.load(workspace: id.rawValue, agent: agent.id, on: connection, logger: logger)
                _ = try Contract.check("send_message", by: agent, in: sqlite.workspaceStore).run(rows)
                try await rows.flush(on: connection, logger: logger)
                throw UseCaseFailed()
            }
        }
        #expect(try await self.auditRows(database, workspace: id).isEmpty)
    }

    @Test func aSecondWorkspaceWithTheSameNameIsRefused() async throws {
        let database = try await PostgresTestServer.open(try await PostgresTestServer.freshDatabase())
        defer { database.close() }
        let first = self.workspace(.generate())
        var renamed = self.workspace(.generate())
        renamed.name = first.name.uppercased()
        let second = renamed
        try await database.transaction { connection in try await PostgresWorkspaces.insert(first, on: connection, logger: self.logger) }
        let error = await #expect(throws: DomainError.self) {
            try await database.transaction { connection in try await PostgresWorkspaces.insert(second, on: connection, logger: self.logger) }
        }
        #expect(error?.code == .nameTaken)
    }
}
