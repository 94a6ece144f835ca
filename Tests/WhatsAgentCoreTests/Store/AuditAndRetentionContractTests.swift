import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The contract of ``AuditStore``: the audit log's filters and pruning, and chat retention (what is kept whatever its
/// age), against every implementation.
@Suite struct AuditAndRetentionContractTests {
    static func entry(_ kind: String, by actor: String, at seconds: TimeInterval, tool: String = "send_message") -> AuditEntry {
        AuditEntry(
            at: Contract.now.addingTimeInterval(seconds),
            kind: kind,
            actorAddress: actor,
            tool: tool,
            outcome: kind == "grant_miss_hard" ? AuditEntry.denied : AuditEntry.allowed
        )
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func theAuditLogFiltersNewestFirstAndPrunesByAgeAndCount(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()  // held to the end: a PostgreSQL seed closes its pool when released
        let store = seed.concerns
        let first = try await store.appendAudit(Self.entry("grant_check_pass", by: "api:dev", at: 0))
        #expect(first.id > 0, "an appended entry comes back with its id")
        _ = try await store.appendAudit(Self.entry("grant_miss_hard", by: "api:qa", at: 10, tool: "create_channel"))
        _ = try await store.appendAudit(Self.entry("grant_check_pass", by: "api:qa", at: 20))
        _ = try await store.appendAudit(Self.entry("grant_miss_soft", by: "api:dev", at: 30))

        #expect(
            try await store.auditEntries(AuditFilter()).map(\.kind) == ["grant_miss_soft", "grant_check_pass", "grant_miss_hard", "grant_check_pass"]
        )
        #expect(try await store.auditEntries(AuditFilter(kind: "grant_check_pass")).map(\.actorAddress) == ["api:qa", "api:dev"])
        #expect(try await store.auditEntries(AuditFilter(actor: "api:qa")).map(\.tool) == ["send_message", "create_channel"])
        #expect(try await store.auditEntries(AuditFilter(since: Contract.now.addingTimeInterval(15))).count == 2)
        #expect(try await store.auditEntries(AuditFilter(limit: 1)).map(\.kind) == ["grant_miss_soft"])
        #expect(try await store.auditCount(AuditFilter(limit: 1)) == 4, "a count ignores the limit")
        #expect(try await store.auditCount(AuditFilter(actor: "api:dev")) == 2)
        for limit in [0, AuditFilter.maxLimit + 1] {
            let refused = await #expect(throws: DomainError.self) { try await store.auditEntries(AuditFilter(limit: limit)) }
            #expect(refused?.code == .invalidArgument)
        }

        #expect(try await store.pruneAudit(before: Contract.now.addingTimeInterval(5), keepingAtMost: nil) == 1)
        #expect(try await store.pruneAudit(before: Contract.now, keepingAtMost: 2) == 1, "beyond the newest two, the oldest go")
        #expect(try await store.auditEntries(AuditFilter()).map(\.kind) == ["grant_miss_soft", "grant_check_pass"])
    }

    /// Old messages go once finished (acknowledged or refused); whatever still waits is kept, however old.
    @Test(arguments: StoreConcernsUnderTest.all)
    func retentionDeletesOnlyFinishedMessages(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let read = try await MessagingStoreContractTests.send(store, from: dev, to: qa, body: "read")
        let session = try await seed.openSession(qa)
        let (leaseID, _) = try await MessagingStoreContractTests.lease(store, qa, session)
        _ = try await store.acknowledge(lease: leaseID, agent: qa.id, now: Contract.now)
        let waiting = try await MessagingStoreContractTests.send(store, from: qa, to: dev, body: "waiting")
        let refused = try await MessagingStoreContractTests.send(store, from: dev, to: qa, body: "refused", topology: .star)
        #expect(refused.message.state == .rejected)

        #expect(try await store.pruneMessages(before: MessagingStoreContractTests.start) == 0, "nothing is older than the cutoff")
        #expect(try await store.pruneMessages(before: MessagingStoreContractTests.start.addingTimeInterval(1)) == 2)
        #expect(try await store.waitingMessages(for: dev.id).map(\.id) == [waiting.message.id])
        #expect(read.message.id != waiting.message.id)
    }

    /// A channel thread goes whole, once its newest post is old and every member read every post of it.
    @Test(arguments: StoreConcernsUnderTest.all)
    func retentionDeletesReadThreadsWhole(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        _ = try await store.createChannel("ops", by: "api:dev", member: dev.id, now: Contract.now, check: nil)
        _ = try await store.joinChannel("ops", agent: qa.id, now: Contract.now, check: nil)
        func post(_ target: WhatsAgentCore.ChannelPostRequest.Target, _ body: String, at seconds: TimeInterval) async throws -> ChannelPost {
            let request = ChannelPostRequest(
                target: target,
                senderAgentID: dev.id,
                fromAddress: "api:dev",
                body: body,
                connected: [],
                now: Contract.now.addingTimeInterval(seconds)
            )
            return try await store.postToChannel(request) { _ in }.post
        }
        let old = try await post(.channel("ops"), "old thread", at: 0)
        _ = try await post(.reply(to: old.id), "old reply", at: 10)
        let live = try await post(.channel("ops"), "live thread", at: 0)
        _ = try await post(.reply(to: live.id), "recent reply", at: 1_000)
        let cutoff = Contract.now.addingTimeInterval(100)

        #expect(try await store.prunePosts(before: cutoff) == 0, "qa has not read them: every thread is kept")
        let session = try await seed.openSession(qa)
        let (leaseID, _) = try await MessagingStoreContractTests.lease(store, qa, session)
        _ = try await store.acknowledge(lease: leaseID, agent: qa.id, now: Contract.now)
        #expect(try await store.prunePosts(before: cutoff) == 2, "the old thread, root and reply")
        let ops = try await store.channel(named: "ops")
        #expect(try await store.posts(in: ops, sinceID: 0, beforeID: nil, limit: 10).map(\.body) == ["live thread", "recent reply"])
    }
}
