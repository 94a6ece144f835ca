import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Chat and audit retention (SPEC §5, §7.5): finished messages and read threads past retention go; nothing
/// unacknowledged does.
@Suite struct RetentionTests {
    func retention(_ world: ControlsWorld, auditDays: Int = 90) -> RetentionService {
        RetentionService(workspaces: world.workspaces, auditDays: auditDays, now: { world.clock.now })
    }

    /// Every agent reads (and acknowledges) everything waiting for it.
    func readAll(_ world: ControlsWorld, _ identities: [AgentIdentity]) async throws {
        for identity in identities {
            let batch = try await world.messages.checkMessages(identity, limit: 100)
            if let lease = batch.leaseID { try await world.messages.acknowledge(identity, leaseID: lease) }
        }
    }

    @Test func finishedMessagesPastRetentionArePrunedAndUnacknowledgedOnesKept() async throws {
        let world = try await ControlsWorld(loopGuard: .value(2))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        let acknowledged = [try await world.send(a, "api:b", "m1"), try await world.send(b, "api:a", "m2")]
        let held = try await world.send(a, "api:b", "m3")
        try await self.readAll(world, [a, b])
        let queued = try await world.send(a, "api:c", "m4 (api:c never reads)")
        await #expect(throws: DomainError.self) { try await world.send(a, "api:a", "to myself") }
        world.clock.advance(days: 31)
        let recent = try await world.send(a, "human-web", "fresh")
        _ = try await world.messages.humanMessages(workspace: nil, peer: "api:a", limit: 50)

        let pruned = try await self.retention(world).pruneChat(workspace: nil)

        let database = try await world.database()
        #expect(held.message.state == .held)
        #expect(pruned.messages == 3, "m1, m2 (acknowledged) and the rejected message to itself")
        for outcome in acknowledged { #expect(try await database.message(id: outcome.message.id) == nil) }
        #expect(try await database.message(id: held.message.id)?.state == .held)
        #expect(try await database.message(id: queued.message.id)?.state == .queued)
        #expect(try await database.message(id: recent.message.id)?.state == .acknowledged)
        let alert = try await world.messages.humanMessages(workspace: nil, peer: nil, limit: 50).first { $0.fromAddress == LoopGuard.alertSender }
        #expect(alert != nil, "the unread loop-guard alert to the human is kept")
    }

    @Test func foreverKeepsChatHistory() async throws {
        let world = try await ControlsWorld()
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        let sent = try await world.send(a, "api:b", "keep me")
        try await self.readAll(world, [b])
        _ = try await world.workspaces.update(nil, WorkspacePatch(chatRetention: .forever))
        world.clock.advance(days: 4000)

        let pruned = try await self.retention(world).pruneChat(workspace: nil)

        #expect(pruned.messages == 0 && pruned.posts == 0)
        #expect(try await world.database().message(id: sent.message.id)?.state == .acknowledged)
    }

    @Test func channelThreadsGoWholeOnceOldAndReadByEveryMember() async throws {
        let world = try await ControlsWorld(topology: .channel)
        var everyone: [AgentIdentity] = []
        for name in ["main", "a", "b", "c"] { everyone.append(try await world.connect("api:\(name)")) }
        let (a, b) = (everyone[1], everyone[2])
        let old = try await world.channels.post(workspace: nil, from: .agent(a), channel: "shared", body: "old thread")
        let oldReply = try await world.channels.reply(workspace: nil, from: .agent(b), to: old.wireID, body: "old reply")
        let active = try await world.channels.post(workspace: nil, from: .agent(a), channel: "shared", body: "old root, new reply")
        try await self.readAll(world, everyone)
        let unread = try await world.channels.post(workspace: nil, from: .agent(a), channel: "shared", body: "nobody read me")
        world.clock.advance(days: 31)
        let fresh = try await world.channels.reply(workspace: nil, from: .agent(b), to: active.wireID, body: "fresh reply")

        let first = try await self.retention(world).pruneChat(workspace: nil)

        let database = try await world.database()
        #expect(first.posts == 2)
        #expect(try await database.post(id: old.id) == nil)
        #expect(try await database.post(id: oldReply.id) == nil)
        #expect(try await database.post(id: active.id) != nil, "a thread with a recent reply is kept whole")
        #expect(try await database.post(id: fresh.id) != nil)
        #expect(try await database.post(id: unread.id) != nil, "an unread post is never pruned")

        try await self.readAll(world, everyone)
        let second = try await self.retention(world).pruneChat(workspace: nil)

        #expect(second.posts == 1)
        #expect(try await database.post(id: unread.id) == nil)
        #expect(try await database.post(id: active.id) != nil)
    }

    @Test func pruneAllCoversEveryActiveWorkspaceAndTheAuditLog() async throws {
        let world = try await ControlsWorld()
        let other = try await world.workspaces.create(WorkspaceDraft(name: "other"))
        let (a, b) = (try await world.connect("api:a"), try await world.connect("api:b"))
        _ = try await world.send(a, "api:b", "old")
        try await self.readAll(world, [b])
        world.clock.advance(days: 31)
        for reference in [nil, other.id.rawValue] {
            let database = try await world.workspaces.sqliteDatabase(for: reference).1
            for age in [20.0, 1.0] {
                _ = try await database.appendAudit(
                    AuditEntry(
                        at: world.clock.now.addingTimeInterval(-age * 86_400),
                        kind: "grant_check_pass",
                        actorAddress: "api:a",
                        outcome: "allowed"
                    )
                )
            }
        }

        let (pruned, failures) = try await self.retention(world, auditDays: 10).pruneAll()

        #expect(failures.isEmpty)
        #expect(pruned.map(\.workspaceName).sorted() == ["other", "w"])
        #expect(pruned.map(\.auditEntries) == [1, 1], "the 20-day-old entry of each workspace")
        #expect(pruned.first { $0.workspaceName == "w" }?.messages == 1)
        #expect(try await world.database().auditCount(AuditFilter()) == 1)
        #expect(try await world.workspaces.sqliteDatabase(for: other.id.rawValue).1.auditCount(AuditFilter()) == 1)
    }

    @Test func auditBeyondTheCountCapLosesItsOldestEntries() async throws {
        let world = try await ControlsWorld()
        let database = try await world.database()
        for index in 0..<1_200 {
            _ = try await database.appendAudit(
                AuditEntry(at: world.clock.now, kind: "grant_check_pass", actorAddress: "api:a\(index)", outcome: "allowed")
            )
        }

        let retention = RetentionService(workspaces: world.workspaces, auditDays: 90, auditMaxEntries: 1_000, now: { world.clock.now })
        let (pruned, failures) = try await retention.pruneAll()

        #expect(failures.isEmpty)
        #expect(pruned.map(\.auditEntries) == [200], "every entry is young; only the count cap applies")
        #expect(try await database.auditCount(AuditFilter()) == 1_000)
        let kept = try await database.auditEntries(AuditFilter(limit: 500))
        #expect(kept.first?.actorAddress == "api:a1199", "the newest entries stay")
        #expect(try await database.auditCount(AuditFilter(actor: "api:a199")) == 0, "the oldest 200 went")
        #expect(try await database.auditCount(AuditFilter(actor: "api:a200")) == 1)

        let again = try await retention.pruneAll()
        #expect(again.pruned.map(\.auditEntries) == [0], "at the cap, nothing more goes")
    }
}
