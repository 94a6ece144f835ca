import Foundation
import GRDB
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Issue 21: `waitingMail`, the per-recipient, per-kind count of waiting messages that pushes read, is kept by
/// triggers; after every kind of change it equals a count of the rows.
@Suite struct WaitingMailCountTests {
    func expectCounted(_ database: WorkspaceDatabase, _ step: String) async throws {
        let (kept, counted) = try await database.writer.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT toAgentId, kind, count FROM waitingMail WHERE count > 0 ORDER BY 1, 2")
                    .map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int)" },
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT toAgentId, kind, COUNT(*) FROM message
                        WHERE toAgentId IS NOT NULL AND state IN \(Message.State.waitingSQL) GROUP BY 1, 2 ORDER BY 1, 2
                        """
                ).map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int)" }
            )
        }
        #expect(kept == counted, "after \(step)")
    }

    @Test func theCountFollowsEveryChangeOfTheRows() async throws {
        let database = try WorkspaceDatabase.inMemory()
        let seed = SQLiteSeed(database: database, folder: nil)
        let (main, dev, qa) = (
            try await seed.addAgent("api:main", isMain: true), try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa")
        )
        let send = MessagingStoreContractTests.send
        for index in 0..<5 { _ = try await send(database, dev, qa, "to qa \(index)", nil, .p2p, []) }
        _ = try await send(database, main, dev, "to dev", nil, .p2p, [])
        _ = try await send(database, nil, dev, "from the human", nil, .p2p, [])
        try await self.expectCounted(database, "sends")
        #expect(try await database.mailSummary(for: qa.id).count == 5)

        let session = try await seed.openSession(qa)
        _ = try await database.preparePushes(to: [qa.id], connected: [session], now: MessagingStoreContractTests.start)
        try await self.expectCounted(database, "push marks")
        let (leaseID, lease) = try await MessagingStoreContractTests.lease(database, qa, session, limit: 3)
        #expect(lease.messages.count == 3)
        try await self.expectCounted(database, "a lease")
        _ = try await database.acknowledge(lease: leaseID, agent: qa.id, now: MessagingStoreContractTests.start)
        try await self.expectCounted(database, "an acknowledgement")
        #expect(try await database.mailSummary(for: qa.id).count == 2)

        let refused = try await send(database, dev, qa, "refused", nil, .star, [])
        #expect(refused.message.state == .rejected)
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE message SET state = 'held' WHERE toAgentId = ? AND state = 'queued'", arguments: [qa.id.rawValue])
        }
        try await self.expectCounted(database, "a refusal and a hold")
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE message SET state = 'queued' WHERE state = 'held'")
        }
        try await self.expectCounted(database, "a release")
        _ = try await database.pruneMessages(before: MessagingStoreContractTests.start.addingTimeInterval(1))
        try await self.expectCounted(database, "retention")

        _ = try await database.deleteAgent(dev.address, force: true, now: MessagingStoreContractTests.start)
        try await self.expectCounted(database, "a deleted recipient")
        #expect(try await database.mailSummary(for: qa.id).count == 2)
    }

    /// A workspace created before the table (v16) has its waiting mail counted by the migration.
    @Test func theMigrationCountsWhatAlreadyWaits() async throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false  // messages to agent ids without agent rows: only the counts matter
        let queue = try DatabaseQueue(configuration: configuration)
        let migrator = WorkspaceMigrations.migrator
        try migrator.migrate(queue, upTo: "v16-message-waiting-kinds")
        try await queue.write { db in
            for (state, to) in [("queued", "qa"), ("pushed", "qa"), ("acknowledged", "qa"), ("surfaced", "dev")] {
                try db.execute(
                    sql: """
                        INSERT INTO message (kind, fromAddress, toAgentId, toAddress, threadId, body, state, sentAt, deliveries)
                        VALUES ('direct', 'human-web', ?, ?, 't', 'b', ?, 0, 0)
                        """,
                    arguments: [to, "api:\(to)", state]
                )
            }
        }
        try migrator.migrate(queue)
        let counts = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT toAgentId, count FROM waitingMail ORDER BY 1").map { "\($0[0] as String)=\($0[1] as Int)" }
        }
        #expect(counts == ["dev=1", "qa=2"])
    }
}
