import Foundation
import PostgresNIO
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres
@testable import WhatsAgentSQLite

/// An agent's board change checks its caller over the board's own rows (``BoardRows`` is a ``CheckRows``), inside the
/// change's transaction, as `BoardService.change` runs it: on PostgreSQL the same check decides as on SQLite, writes
/// the same audit row, commits that row alone when it denies, and leaves none when the change rolls back.
@Suite struct PostgresBoardCheckTests {
    typealias BoardContract = BoardStoreContractTests

    /// A decision of a board change's check, comparable across stores.
    enum Outcome: Equatable, Sendable {
        case allowed(Decision)
        case denied(code: String, message: String)
    }

    struct ChangeFailed: Error {}

    /// What `BoardService.change` runs inside its transaction: the check on the board's rows, then (when it passes) a
    /// new task; `fail` throws after it.
    static func change(
        _ store: any BoardStore,
        _ check: ToolCheck,
        facts: AuthorizationFacts,
        fail: Bool = false
    ) async throws -> Outcome {
        try await store.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            switch try check.run(tx.rows, facts: facts) {
            case .denied(let error):
                return Outcome.denied(code: error.code.rawValue, message: error.message)
            case .allowed(let decision):
                _ = try BoardContract.newTask(tx, "checked")
                if fail { throw ChangeFailed() }
                return Outcome.allowed(decision)
            }
        }.0
    }

    /// The engineer `api:dev` on both stores (its roles written with it).
    func engineerOnBothStores() async throws -> (PostgresSeed, SQLiteSeed, Agent) {
        let sqlite = SQLiteSeed(database: try WorkspaceDatabase.inMemory(), folder: nil)
        let engineer = try await Contract.assign(["engineer"], to: try await sqlite.addAgent("api:dev"), in: sqlite.workspaceStore)
        let postgres = try await PostgresSeed.open()
        try await postgres.postgres.insertRepo(
            Repo(
                id: engineer.repoID,
                name: engineer.repoName,
                path: "/tmp/contract/api",
                createdAt: BoardContract.start,
                updatedAt: BoardContract.start
            )
        )
        try await postgres.postgres.insertAgent(engineer)
        return (postgres, sqlite, engineer)
    }

    func auditRows(_ seed: PostgresSeed) async throws -> [[String?]] {
        let (workspace, logger) = (seed.postgres.id, PostgresTestServer.logger)
        return try await seed.database.withConnection { connection in
            var rows: [[String?]] = []
            for try await (kind, actor, tool, grant, outcome, detail) in try await connection.query(
                """
                SELECT kind, actor_address, tool, expected_grant, outcome, detail_json FROM audit WHERE workspace_id = \(workspace) ORDER BY id
                """,
                logger: logger
            ).decode((String, String, String?, String?, String, String?).self) {
                rows.append([kind, actor, tool, grant, outcome, detail])
            }
            return rows
        }
    }

    @Test func aBoardChangesCheckDecidesAndAuditsAsOnSQLite() async throws {
        let (postgres, sqlite, engineer) = try await self.engineerOnBothStores()
        let cases: [(String, AuthorizationFacts.Target)] = [
            (BoardTask.tool(.create), .unspecified),
            (BoardTask.tool(.move), .found(isAssignee: true, isCreator: false)),
            (BoardTask.tool(.move), .found(isAssignee: false, isCreator: false)),
            (BoardEpic.tool(.archive), .found(isAssignee: false, isCreator: false)),
        ]
        for (tool, target) in cases {
            let check = Contract.check(tool, by: engineer, in: sqlite.workspaceStore)
            let facts = AuthorizationFacts(target: target, commentType: nil)
            let onSQLite = try await Self.change(sqlite.boardStore, check, facts: facts)
            let onPostgres = try await Self.change(postgres.boardStore, check, facts: facts)
            #expect(onPostgres == onSQLite, "\(tool) \(target)")
        }
        let expected = try await sqlite.workspaceStore.auditEntries(AuditFilter()).reversed().map {
            [$0.kind, $0.actorAddress, $0.tool, $0.expectedGrant, $0.outcome, $0.detailJSON]
        }
        let stored = try await self.auditRows(postgres)
        #expect(stored == expected)
        #expect(stored.contains { $0[4] == AuditEntry.denied }, "a denial's audit row committed (the change returned it)")
        #expect(stored.contains { $0[4] == AuditEntry.allowed })
        let tasks = try await postgres.boardStore.boardRead(prefixes: BoardContract.prefixes) { tx in
            try tx.rows.tasks(BoardFilter(), epic: .any).count
        }
        let allowed = try await sqlite.boardStore.boardRead(prefixes: BoardContract.prefixes) { tx in
            try tx.rows.tasks(BoardFilter(), epic: .any).count
        }
        #expect(tasks == allowed)
    }

    @Test func aChangeThatRollsBackLeavesNoAuditRow() async throws {
        let (postgres, sqlite, engineer) = try await self.engineerOnBothStores()
        // Allowed (a status move of its own task), then the change fails.
        let check = Contract.check(BoardTask.tool(.move), by: engineer, in: sqlite.workspaceStore)
        let facts = AuthorizationFacts(target: .found(isAssignee: true, isCreator: false), commentType: nil)

        await #expect(throws: ChangeFailed.self) {
            _ = try await Self.change(postgres.boardStore, check, facts: facts, fail: true)
        }

        #expect(try await self.auditRows(postgres).isEmpty)
        let tasks = try await postgres.boardStore.boardRead(prefixes: BoardContract.prefixes) { tx in
            try tx.rows.tasks(BoardFilter(), epic: .any).count
        }
        #expect(tasks == 0)
    }
}
