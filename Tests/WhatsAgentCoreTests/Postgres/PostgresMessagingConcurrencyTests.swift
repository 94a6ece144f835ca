import Foundation
import PostgresNIO
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentPostgres

/// What concurrency changes on PostgreSQL (issue 22): sends of one workspace run on several connections at once (and,
/// later, on several daemons), so what SQLite's one writer serialised is serialised by the workspace's advisory lock.
/// Each test runs many use cases at once and checks what a lost race would break.
@Suite struct PostgresMessagingConcurrencyTests {
    typealias Messaging = MessagingStoreContractTests

    /// Waiting mail by kind as `waiting_mail` counts it, and as the message rows say.
    private func waitingCounts(_ seed: PostgresSeed, for agent: Agent) async throws -> (counted: [String: Int], rows: [String: Int]) {
        let workspace = seed.postgres.id
        return try await seed.database.withConnection { connection in
            var counted: [String: Int] = [:]
            for try await (kind, count) in try await connection.query(
                "SELECT kind, count::int8 FROM waiting_mail WHERE workspace_id = \(workspace) AND to_agent_id = \(agent.id.rawValue) AND count <> 0",
                logger: PostgresTestServer.logger
            ).decode((String, Int).self) {
                counted[kind] = count
            }
            var rows: [String: Int] = [:]
            for try await (kind, count) in try await connection.query(
                """
                SELECT kind, COUNT(*)::int8 FROM message WHERE workspace_id = \(workspace) AND to_agent_id = \(agent.id.rawValue)
                    AND state IN ('queued', 'pushed', 'surfaced')
                GROUP BY kind
                """,
                logger: PostgresTestServer.logger
            ).decode((String, Int).self) {
                rows[kind] = count
            }
            return (counted, rows)
        }
    }

    @Test func concurrentSendsToOneRecipientKeepItsWaitingCountEqualToItsRows() async throws {
        let seed = try await PostgresSeed.open()
        let qa = try await seed.addAgent("api:qa")
        var senders: [Agent] = []
        for index in 0..<4 { senders.append(try await seed.addAgent("api:dev\(index)")) }
        let session = try await seed.openSession(qa)
        let perSender = 12

        // Half the sends find qa connected: their pushes mark its queued mail while other sends insert more.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in senders {
                group.addTask {
                    for index in 0..<perSender {
                        let connected: Set<SessionID> = index.isMultiple(of: 2) ? [session] : []
                        _ = try await Messaging.send(seed.store, from: sender, to: qa, body: "\(sender.name) \(index)", connected: connected)
                    }
                }
            }
            try await group.waitForAll()
        }

        let counts = try await self.waitingCounts(seed, for: qa)
        #expect(counts.rows == ["direct": senders.count * perSender])
        #expect(counts.counted == counts.rows, "waiting_mail moved in the same transaction as every row")

        let (leaseID, lease) = try await Messaging.lease(seed.store, qa, session, limit: 100)
        #expect(lease.messages.count == senders.count * perSender)
        for sender in senders {
            let bodies = lease.messages.filter { $0.fromAgentID == sender.id }.map(\.body)
            #expect(bodies == (0..<perSender).map { "\(sender.name) \($0)" }, "one sender's messages in the order it sent them")
        }
        _ = try await seed.store.acknowledge(lease: leaseID, agent: qa.id, now: Messaging.start)
        let after = try await self.waitingCounts(seed, for: qa)
        #expect(after.rows.isEmpty && after.counted.isEmpty)
    }

    @Test func anIdempotentResendRacingItsOriginalStoresOneRow() async throws {
        let seed = try await PostgresSeed.open()
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let attempts = 8

        // A client retrying before its first call returned: every attempt carries the same clientMessageId.
        let commits = try await withThrowingTaskGroup(of: DirectSendCommit.self) { group in
            for _ in 0..<attempts {
                group.addTask { try await Messaging.send(seed.store, from: dev, to: qa, body: "once", clientID: "retry-1") }
            }
            return try await group.reduce(into: [DirectSendCommit]()) { $0.append($1) }
        }
        #expect(Set(commits.map(\.message.id)).count == 1, "every attempt returns the one stored row")
        #expect(commits.filter { !$0.duplicate }.count == 1)
        #expect(commits.filter(\.duplicate).allSatisfy { $0.outbox == StoreOutbox() })
        let counts = try await self.waitingCounts(seed, for: qa)
        #expect(counts.rows == ["direct": 1])
        #expect(counts.counted == ["direct": 1])
    }

    @Test func aPairSendingAtOnceIsHeldOnceAtTheLimit() async throws {
        let seed = try await PostgresSeed.open()
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let (limit, sends) = (3, 10)

        let commits = try await withThrowingTaskGroup(of: DirectSendCommit.self) { group in
            for index in 0..<sends {
                let (sender, recipient) = index.isMultiple(of: 2) ? (dev, qa) : (qa, dev)
                group.addTask {
                    try await LoopHoldAndHumanContractTests.guardedSend(seed.store, from: sender, to: recipient, body: "ping \(index)", limit: limit)
                }
            }
            return try await group.reduce(into: [DirectSendCommit]()) { $0.append($1) }
        }
        #expect(commits.filter { $0.message.state == .queued }.count == limit, "the count each send read held until it committed")
        #expect(commits.filter { $0.message.state == .held }.count == sends - limit)
        #expect(commits.flatMap(\.outbox.watcherEvents).count == 1, "one hold, created once")
        let holds = try await seed.store.loopHolds()
        #expect(holds.count == 1)
        #expect(holds.first?.messages.count == sends - limit)

        let released = try await seed.store.releaseLoopHold(dev, qa, now: Messaging.start)
        #expect(released.released == sends - limit)
        #expect(try await seed.store.loopHolds().isEmpty)
        for agent in [dev, qa] {
            let counts = try await self.waitingCounts(seed, for: agent)
            #expect(counts.counted == counts.rows, "released messages are counted as waiting")
        }
        let alerts = try await seed.store.humanConversation(peer: nil, limit: 10, now: Messaging.start, broadcasts: false)
        #expect(alerts.map(\.fromAddress) == [LoopGuard.alertSender])
        #expect(alerts.first?.state == .acknowledged, "the human read it")
    }
}
