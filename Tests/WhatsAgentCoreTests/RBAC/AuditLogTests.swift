import Foundation
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Appending, filtering, counting and pruning the audit log.
@Suite struct AuditLogTests {
    /// Appends `kinds` for `actors`, one entry per day starting at the clock's time, and returns the entries.
    func seed(_ world: RBACWorld) async throws -> [AuditEntry] {
        let database = try await world.database()
        var entries: [AuditEntry] = []
        let rows: [(kind: String, actor: String)] = [
            ("grant_check_pass", "api:dev"), ("grant_miss_soft", "api:dev"), ("grant_check_pass", "api:main"),
            ("grant_miss_hard", "api:ro"), ("envelope.nonce_collision", "api:main"),
        ]
        for (day, row) in rows.enumerated() {
            let entry = AuditEntry(
                at: world.clock.now.addingTimeInterval(Double(day) * 86_400),
                kind: row.kind,
                actorAddress: row.actor,
                tool: "send_message",
                expectedGrant: "tool_family:messaging",
                outcome: row.kind == "grant_miss_hard" ? AuditEntry.denied : AuditEntry.allowed
            )
            entries.append(try await database.appendAudit(entry))
        }
        return entries
    }

    // MARK: Tests

    @Test func appendedEntriesGetIdsAndReadBackNewestFirst() async throws {
        let world = try await RBACWorld.make(agents: [])
        let entries = try await self.seed(world)

        let listed = try await world.audit()

        #expect(entries.map(\.id) == [1, 2, 3, 4, 5])
        #expect(listed == entries.reversed())
    }

    @Test func entriesFilterByKindActorSinceAndLimit() async throws {
        let world = try await RBACWorld.make(agents: [])
        let entries = try await self.seed(world)
        let third = entries[2].at

        let passes = try await world.audit(AuditFilter(kind: "grant_check_pass"))
        let main = try await world.audit(AuditFilter(actor: "API:MAIN"))
        let recent = try await world.audit(AuditFilter(since: third))
        let newestTwo = try await world.audit(AuditFilter(limit: 2))
        let combined = try await world.audit(AuditFilter(kind: "grant_check_pass", actor: "api:dev", since: entries[0].at))

        #expect(passes.map(\.id) == [3, 1])
        #expect(main.map(\.id) == [5, 3])
        #expect(recent.map(\.id) == [5, 4, 3])
        #expect(newestTwo.map(\.id) == [5, 4])
        #expect(combined.map(\.id) == [1])
    }

    @Test func countsIgnoreTheLimit() async throws {
        let world = try await RBACWorld.make(agents: [])
        _ = try await self.seed(world)

        let all = try await world.rbac.auditCount(workspace: nil, filter: AuditFilter(limit: 1))
        let misses = try await world.rbac.auditCount(workspace: nil, filter: AuditFilter(kind: "grant_miss_hard"))

        #expect(all == 5)
        #expect(misses == 1)
    }

    /// The store takes pages of up to 10,000 (the CSV export); the API limits listings to 500.
    @Test(arguments: [0, -1, 10_001])
    func aLimitOutsideTheStoreRangeIsRefused(_ limit: Int) async throws {
        let world = try await RBACWorld.make(agents: [])

        let error = await #expect(throws: DomainError.self) { try await world.audit(AuditFilter(limit: limit)) }

        #expect(error?.code == .invalidArgument)
    }

    @Test func pruningDeletesOnlyEntriesOlderThanTheDate() async throws {
        let world = try await RBACWorld.make(agents: [])
        let entries = try await self.seed(world)

        let pruned = try await world.rbac.pruneAudit(workspace: nil, olderThan: entries[3].at)
        let again = try await world.rbac.pruneAudit(workspace: nil, olderThan: entries[3].at)

        #expect(pruned == 3)
        #expect(again == 0)
        #expect(try await world.audit().map(\.id) == [5, 4])
    }
}
