import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The contract of ``ChannelStore`` (create, join, leave, membership, pages, unread posts) and of the RBAC check a
/// channel write runs inside its transaction, against every implementation.
@Suite struct ChannelStoreContractTests {
    @Test(arguments: StoreConcernsUnderTest.all)
    func channelsAreCreatedJoinedAndLeftEachInOneTransaction(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        try await store.ensureSharedChannel(now: Contract.now)
        try await store.ensureSharedChannel(now: Contract.now)

        var before = store.writeTransactionCount
        let ops = try await store.createChannel("ops", by: dev.address.description, member: dev.id, now: Contract.now, check: nil)
        #expect(store.writeTransactionCount == before + 1)
        #expect(ops.name == "ops" && ops.createdBy == "api:dev")
        let taken = await #expect(throws: DomainError.self) {
            try await store.createChannel("ops", by: "human-web", member: nil, now: Contract.now, check: nil)
        }
        #expect(taken?.code == .nameTaken)
        #expect(try await store.channelSummaries(for: dev.id).map { "\($0.channel.name):\($0.isMember)" } == ["ops:true", "shared:true"])
        #expect(try await store.channelSummaries(for: qa.id).map { "\($0.channel.name):\($0.isMember)" } == ["ops:false", "shared:true"])
        #expect(try await store.isMember(qa.id, of: ops) == false)
        #expect(try await store.isMember(qa.id, of: try await store.channel(named: "shared")), "every agent is in #shared")

        before = store.writeTransactionCount
        _ = try await store.joinChannel("ops", agent: qa.id, now: Contract.now, check: nil)
        _ = try await store.joinChannel("ops", agent: qa.id, now: Contract.now, check: nil)
        #expect(store.writeTransactionCount == before + 2, "a join is one transaction, and idempotent")
        #expect(try await store.isMember(qa.id, of: ops))
        #expect(Set(try await store.members(of: ops).map(\.id)) == [dev.id, qa.id])

        _ = try await store.leaveChannel("ops", agent: qa.id, check: nil)
        #expect(try await store.isMember(qa.id, of: ops) == false)
        #expect(try await store.members(of: ops).map(\.id) == [dev.id])
        for refusal in [
            await #expect(throws: DomainError.self) { try await store.channel(named: "nowhere") },
            await #expect(throws: DomainError.self) { try await store.joinChannel("nowhere", agent: qa.id, now: Contract.now, check: nil) },
        ] {
            #expect(refusal?.code == .notFound)
        }
    }

    /// A write's RBAC check runs inside its transaction: a denial commits the audit row alone, an allowed call commits
    /// its audit row with the change — one transaction either way.
    @Test(arguments: StoreConcernsUnderTest.all)
    func aChannelWritesCheckIsInsideItsTransaction(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let dev = try await Contract.assign(["restricted"], to: try await seed.addAgent("api:dev"), in: store)

        var before = store.writeTransactionCount
        let denial = await #expect(throws: DomainError.self) {
            try await store.createChannel(
                "ops",
                by: "api:dev",
                member: dev.id,
                now: Contract.now,
                check: Contract.check("create_channel", by: dev, in: store)
            )
        }
        #expect(denial?.code == .rbacDenied)
        #expect(store.writeTransactionCount == before + 1, "the audit row's transaction, nothing else")
        #expect(try await store.channelSummaries(for: nil).map(\.channel.name).contains("ops") == false)
        #expect(try await store.auditEntries(AuditFilter()).map(\.outcome) == [AuditEntry.denied])

        let pm = try await Contract.assign(["pm"], to: dev, in: store)
        before = store.writeTransactionCount
        _ = try await store.createChannel(
            "ops",
            by: "api:dev",
            member: pm.id,
            now: Contract.now,
            check: Contract.check("create_channel", by: pm, in: store)
        )
        #expect(store.writeTransactionCount == before + 1)
        let entries = try await store.auditEntries(AuditFilter())
        #expect(entries.map(\.outcome) == [AuditEntry.allowed, AuditEntry.denied], "newest first")
        #expect(entries.first?.tool == "create_channel")

        // In `off` mode the check writes nothing.
        _ = try await store.leaveChannel("ops", agent: pm.id, check: Contract.check("leave_channel", by: pm, in: store, mode: .off))
        #expect(try await store.auditCount(AuditFilter()) == 2)
    }

    @Test(arguments: StoreConcernsUnderTest.all)
    func postsPageForwardAndBackAndUnreadPostsFollowTheAcknowledgedLease(_ implementation: StoreConcernsUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.concerns
        let (dev, qa) = (try await seed.addAgent("api:dev"), try await seed.addAgent("api:qa"))
        let ops = try await store.createChannel("ops", by: "api:dev", member: dev.id, now: Contract.now, check: nil)
        _ = try await store.joinChannel("ops", agent: qa.id, now: Contract.now, check: nil)
        var ids: [Int64] = []
        for index in 1...5 {
            let request = ChannelPostRequest(
                target: .channel("ops"),
                senderAgentID: dev.id,
                fromAddress: "api:dev",
                body: "post \(index)",
                connected: [],
                now: Contract.now
            )
            ids.append(try await store.postToChannel(request) { _ in }.post.id)
        }

        #expect(
            try await store.posts(in: ops, sinceID: nil, beforeID: nil, limit: 2).map(\.body) == ["post 4", "post 5"],
            "the newest, oldest first"
        )
        #expect(try await store.posts(in: ops, sinceID: ids[1], beforeID: nil, limit: 2).map(\.body) == ["post 3", "post 4"])
        #expect(try await store.posts(in: ops, sinceID: nil, beforeID: ids[3], limit: 2).map(\.body) == ["post 2", "post 3"])
        #expect(try await store.unreadPosts(for: dev.id).isEmpty, "one's own posts are never unread")
        #expect(try await store.unreadPosts(for: qa.id).map(\.body) == (1...5).map { "post \($0)" })

        let session = try await seed.openSession(qa)
        let leaseID = SessionID.generate().rawValue
        let lease = try await store.leaseInbox(InboxLeaseRequest(agent: qa.id, session: session, limit: 50, leaseID: leaseID, now: Contract.now))
        #expect(lease.posts.count == 5)
        #expect(try await store.unreadPosts(for: qa.id).count == 5, "a lease alone moves no cursor")
        _ = try await store.acknowledge(lease: leaseID, agent: qa.id, now: Contract.now)
        #expect(try await store.unreadPosts(for: qa.id).isEmpty)
        #expect(try await store.channelSummaries(for: qa.id).first { $0.channel.name == "ops" }?.unread == 0)
    }
}
