import Foundation
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// The write-transaction counter of the SQLite store and `whatsagent_store_write_transactions_total` (issue 19).
@Suite struct WriteTransactionCounterTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func commitsAndRollbacksCountReadsAndMigrationsDoNot() async throws {
        let database = try WorkspaceDatabase.inMemory()
        #expect(database.writeTransactionCount == 0, "the migrations are not use cases")

        let repo = Repo(id: .generate(), name: "api", path: "/tmp/api", createdAt: Self.now, updatedAt: Self.now)
        try await database.insertRepo(repo)
        #expect(database.writeTransactionCount == 1)

        _ = try await database.repos()
        #expect(database.writeTransactionCount == 1, "a read is not a write transaction")

        await #expect(throws: DomainError.self) { try await database.insertRepo(repo) }
        #expect(database.writeTransactionCount == 2, "a refused write still ran a transaction (rolled back)")

        let copy = database
        _ = try await copy.unsetMain(now: Self.now)
        #expect(database.writeTransactionCount == 3, "copies of the store value share its counter")
    }

    @Test func theMetricCountsTheWritesOfEveryStore() async throws {
        let metrics = DaemonMetrics()
        let workspaces = try makeInMemoryService()
        let hub = EventHub()
        _ = await metrics.scrape(workspaces: workspaces, hub: hub)
        let before = metrics.storeWriteTransactions.value(["sqlite"])
        let database = try WorkspaceDatabase.inMemory()
        try await database.insertRepo(Repo(id: .generate(), name: "api", path: "/tmp/api", createdAt: Self.now, updatedAt: Self.now))
        let page = await metrics.scrape(workspaces: workspaces, hub: hub)
        #expect(metrics.storeWriteTransactions.value(["sqlite"]) >= before + 1)
        #expect(page.contains("whatsagent_store_write_transactions_total{store=\"sqlite\"}"))
    }

    @Test func aCounterReadAtScrapeTimeNeverGoesDown() {
        let family = MetricsRegistry().counter("x_total", help: "x", labels: ["store"])
        family.advance(to: 5, ["sqlite"])
        family.advance(to: 3, ["sqlite"])
        #expect(family.value(["sqlite"]) == 5)
    }
}
