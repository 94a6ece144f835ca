import Foundation
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// Where the PostgreSQL workspace store differs from a file (docs/store.md): it cannot be copied by `backup`, and
/// closing it ends its use without closing the daemon's pool.
@Suite struct PostgresWorkspaceStoreTests {
    @Test func backupIsRefusedWithThePgDumpCommand() async throws {
        let seed = try await PostgresSeed.open()

        let refused = #expect(throws: DomainError.self) { try seed.postgres.backup(to: "/tmp/never.sqlite") }

        #expect(refused?.code == .invalidState)
        #expect(refused?.message.contains("pg_dump --format=custom") == true)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.sqlite"))
    }

    @Test func aClosedStoreRefusesLaterUseCasesAndLeavesThePoolToItsOwner() async throws {
        let seed = try await PostgresSeed.open()
        _ = try await seed.addAgent("api:dev")
        let other = PostgresWorkspaceStore(database: seed.database, workspace: seed.postgres.workspace)

        seed.postgres.close()

        let refused = await #expect(throws: DomainError.self) { try await seed.postgres.agents() }
        #expect(refused?.code == .storage)
        #expect(try await other.agents().map(\.name) == ["dev"], "the pool still serves")
    }
}
