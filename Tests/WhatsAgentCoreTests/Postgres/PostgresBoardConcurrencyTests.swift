import Foundation
import PostgresNIO
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// The board with two daemons on one database (issue 22: display ids never collide, board edits never lose an
/// update): two pools stand in for two daemons, each with its own store value for the same workspace, and what a
/// lost race would break is checked after many changes from both at once.
@Suite struct PostgresBoardConcurrencyTests {
    typealias BoardContract = BoardStoreContractTests

    /// The seed's workspace as a second daemon opens it: its own pool on the same database.
    func secondDaemon(_ seed: PostgresSeed) async throws -> (PostgresStoreDatabase, PostgresWorkspaceStore) {
        let database = try await PostgresTestServer.open(seed.database.address)
        return (database, PostgresWorkspaceStore(database: database, workspace: seed.postgres.workspace))
    }

    @Test func twoDaemonsCreatingAtOnceNeverShareADisplayIDAndEveryEditLands() async throws {
        let seed = try await PostgresSeed.open()
        let (database, other) = try await self.secondDaemon(seed)
        defer { database.close() }
        let stores: [any BoardStore] = [seed.postgres, other]
        let shared = try await seed.postgres.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            try BoardContract.newTask(tx, "shared").id ?? 0
        }.0

        // Each daemon creates tasks and appends to the shared task's details, all at once.
        let created = try await withThrowingTaskGroup(of: String?.self) { group in
            for (daemon, store) in stores.enumerated() {
                for index in 0..<8 {
                    group.addTask {
                        try await store.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
                            try BoardContract.newTask(tx, "daemon \(daemon) task \(index)").displayId
                        }.0
                    }
                    group.addTask {
                        _ = try await store.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
                            guard var task = try tx.rows.task(id: shared) else { throw DomainError(.notFound, "the shared task is gone") }
                            task.details += "[\(daemon).\(index)]"
                            try tx.update(task)
                        }
                        return nil
                    }
                }
            }
            return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }

        #expect(Set(created).count == 16, "no display id handed out twice")
        #expect(Set(created) == Set((2...17).map { BoardDisplayID.format(prefix: "WA", sequence: $0) }))
        let details = try await other.boardRead(prefixes: BoardContract.prefixes) { tx in try tx.rows.task(id: shared)?.details ?? "" }
        let edits = (0..<2).flatMap { daemon in (0..<8).map { "[\(daemon).\($0)]" } }
        #expect(edits.allSatisfy(details.contains), "every edit landed: \(details)")
        #expect(details.count == edits.joined().count)
    }
}
