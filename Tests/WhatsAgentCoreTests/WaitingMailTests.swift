import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// What a push lists: every waiting direct message of the recipient, oldest first, queued until a hint reached its
/// connection, and gone once acknowledged.
@Suite struct WaitingMailTests {
    @Test func waitingMailFollowsQueuedPushedAndAcknowledged() async throws {
        let world = try await MessagingTests().makeWorld(topology: .p2p)
        let (main, _) = try await MessagingTests().connect(world, "api:main")
        let (dev, _) = try await MessagingTests().connect(world, "api:dev")
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)

        let first = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "one", clientMessageID: nil)
        let second = try await world.messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "two", clientMessageID: nil)
        let offline = try await database.waitingMail(for: dev.agent.id)
        #expect(offline.map(\.id) == [first.message.id, second.message.id])
        #expect(offline.allSatisfy { $0.isQueued && $0.kind == "direct" && $0.fromAddress == "api:main" })
        #expect(offline.first?.threadID == first.message.threadID)

        let (stream, _) = await world.hub.subscribe(dev.session.id)
        try await world.messages.pushWaiting(to: dev)
        var events = stream.makeAsyncIterator()
        guard case .mail(let hint) = await events.next() else {
            Issue.record("expected a mail hint")
            return
        }
        #expect(hint.messageIDs == [first.message.wireID, second.message.wireID])
        #expect(try await database.waitingMail(for: dev.agent.id).map(\.isQueued) == [false, false])

        let batch = try await world.messages.checkMessages(dev, limit: 10)
        let lease = try #require(batch.leaseID)
        #expect(try await world.messages.acknowledge(dev, leaseID: lease) == 2)
        #expect(try await database.waitingMail(for: dev.agent.id).isEmpty)
        #expect(world.messages.metrics.messagesAcknowledged.value(["direct"]) == 2)
        #expect(world.messages.metrics.messagesDelivered.value(["direct"]) == 2)

        // The acknowledgement is one transaction: repeating it acknowledges and counts nothing more.
        #expect(try await world.messages.acknowledge(dev, leaseID: lease) == 0)
        #expect(world.messages.metrics.messagesDelivered.value(["direct"]) == 2)
    }
}
