import Foundation
import PostgresNIO
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// Opening the shared store on a real PostgreSQL (issue 22): the schema is migrated once, however many daemons start
/// together; a newer schema is refused; a server that is down is a clear error, not a hang.
@Suite struct PostgresStoreDatabaseTests {
    let logger = PostgresTestServer.logger

    private func schemaVersion(_ database: PostgresStoreDatabase) async throws -> Int {
        try await database.withConnection { connection in
            var version = 0
            for try await value in try await connection.query("SELECT version FROM whatsagent_schema", logger: self.logger).decode(Int.self) {
                version = value
            }
            return version
        }
    }

    @Test func daemonsStartingTogetherMigrateOnceAndReopenIsANoOp() async throws {
        let address = try await PostgresTestServer.freshDatabase()
        let databases = try await withThrowingTaskGroup(of: PostgresStoreDatabase.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresTestServer.open(address) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { for database in databases { database.close() } }
        #expect(databases.count == 4)
        #expect(try await self.schemaVersion(databases[0]) == PostgresMigrations.latest)

        let again = try await PostgresTestServer.open(address)
        defer { again.close() }
        let tables = try await again.withConnection { connection in
            var count = 0
            let rows = try await connection.query("SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public'", logger: self.logger)
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
        #expect(tables > 20, "the whole shared schema exists: \(tables) tables")
    }

    @Test func aSchemaWrittenByANewerBinaryIsRefused() async throws {
        let address = try await PostgresTestServer.freshDatabase()
        let database = try await PostgresTestServer.open(address)
        try await database.withConnection { connection in
            try await connection.query("UPDATE whatsagent_schema SET version = \(PostgresMigrations.latest + 1)", logger: self.logger)
        }
        database.close()

        let error = await #expect(throws: DomainError.self) { try await PostgresTestServer.open(address) }
        #expect(error?.code == .databaseTooNew)
        #expect(error?.message.contains("upgrade whatsagent") == true)
    }

    @Test func aServerThatIsDownIsAClearErrorNamingTheStore() async throws {
        let missing = PostgresAddress(endpoint: .unixSocket(directory: "/tmp/wa-no-such-pg", port: 5432), user: "wa", database: "team")
        let error = await #expect(throws: DomainError.self) { try await PostgresStoreDatabase.open(missing, logger: self.logger) }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("cannot be reached") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("/tmp/wa-no-such-pg") == true)
    }

    @Test func aMissingDatabaseSaysHowToCreateIt() async throws {
        let address = try PostgresTestServer.address(database: "wa_never_created")
        let error = await #expect(throws: DomainError.self) { try await PostgresTestServer.open(address) }
        #expect(error?.message.contains("createdb wa_never_created") == true, "\(error?.message ?? "")")
    }

    @Test func whileTheServerIsDownAUseCaseFailsClearlyAndOnceItIsBackItRunsAgain() async throws {
        let cluster = try await PostgresTestServer.privateCluster()
        defer { cluster.remove() }
        // 10 seconds: with both cores saturated (load 20) the pool's first connection once took longer than 3.
        let database = try await PostgresStoreDatabase.open(cluster.address(), acquireTimeout: .seconds(10), logger: self.logger)
        defer { database.close() }
        let logger = self.logger
        let select: @Sendable (PostgresConnection) async throws -> Void = { connection in
            try await connection.query("SELECT 1", logger: logger)
        }
        try await database.transaction(select)

        try await cluster.pgctl("stop")
        let error = await #expect(throws: DomainError.self) { try await database.transaction(select) }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("cannot be reached") == true, "\(error?.message ?? "")")

        try await cluster.pgctl("start")
        // The pool reconnects on its own backoff (100 ms growing by a quarter each failed attempt).
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            do {
                try await database.transaction(select)
                break
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
