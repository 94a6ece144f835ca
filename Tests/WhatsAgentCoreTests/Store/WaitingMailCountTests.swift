import Foundation
import GRDB
import Testing
import WhatsAgentAPI

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
        try await self.expectCounted(database, "a refusal")
        // The loop guard at one message per pair: the next ones are held, then released.
        for index in 0..<3 {
            let later = MessagingStoreContractTests.start.addingTimeInterval(Double(index + 1))
            let request = DirectSendRequest(
                senderAgentID: dev.id,
                recipient: qa.address,
                readsPeerRules: false,
                connected: [],
                now: later
            )
            _ = try await database.sendDirect(request) { facts in
                var plan = try MessagingStoreContractTests.rules(from: dev, body: "looping \(index)", clientID: nil, topology: .p2p)(facts)
                plan.message.sentAt = later  // after the human's message, which restarts the pair's count
                return DirectSendPlan(message: plan.message, loopGuard: (dev, qa, 1))
            }
        }
        #expect(try await database.loopHolds().count == 1)
        try await self.expectCounted(database, "a hold")
        let released = try await database.releaseLoopHold(dev, qa, now: MessagingStoreContractTests.start.addingTimeInterval(10))
        #expect(released.released > 0)
        try await self.expectCounted(database, "a release")
        _ = try await database.pruneMessages(before: MessagingStoreContractTests.start.addingTimeInterval(1))
        try await self.expectCounted(database, "retention")

        _ = try await database.deleteAgent(dev.address, force: true, now: MessagingStoreContractTests.start)
        try await self.expectCounted(database, "a deleted recipient")
        #expect(try await database.mailSummary(for: qa.id).count == (try await database.waitingMessages(for: qa.id).count))
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
