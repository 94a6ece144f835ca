import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Issue 19: an agent's board change is one write transaction — its mute, its relation to the row, its RBAC check
/// and audit row, the change and its notifications. A refusal keeps the audit row an audited call owes.
@Suite struct BoardCheckTransactionTests {
    func writes(_ world: BoardWorld) async throws -> Int {
        try await world.workspaces.database(for: nil).1.writeTransactionCount
    }

    @Test(arguments: WorldStore.allCases)
    func anAgentsAllowedChangeIsOneWriteTransactionWithItsAuditRow(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("work", for: "dev", status: .queued)
        let auditBefore = try await world.rbacWorld.audit().count
        let before = try await self.writes(world)

        let change = try await world.board.move(BoardTask.self, "WA-1", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move)))

        #expect(change.item.status == .inProgress)
        #expect(try await self.writes(world) == before + 1, "the check, its audit row and the move commit together")
        let audit = try await world.rbacWorld.audit()
        #expect(audit.count == auditBefore + 1)
        #expect(audit.first?.tool == "update_kanban_task_status")
        #expect(audit.first?.kind == Decision.Outcome.pass.rawValue)
        #expect(audit.first?.actorAddress == "api:dev")
    }

    @Test(arguments: WorldStore.allCases)
    func aDeniedChangeCommitsItsAuditRowAndNothingElse(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("work", for: "rev", status: .queued)
        let before = try await self.writes(world)

        await #expect(throws: DomainError.self) {
            _ = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: world.agent("rev", BoardTask.tool(.move)))
        }

        #expect(try await self.writes(world) == before + 1, "one transaction, holding only the audit row")
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.status == .queued, "nothing changed")
        let denied = try await world.rbacWorld.audit(AuditFilter(kind: Decision.Outcome.missHard.rawValue))
        #expect(denied.map(\.tool) == ["update_kanban_task_status"])
        #expect(denied.first?.outcome == AuditEntry.denied)
    }

    /// The check passed (an own-assignment grant), the status rule then refused: the move rolled back, its audit row
    /// is written on its own.
    @Test(arguments: WorldStore.allCases)
    func aChangeRefusedAfterItsCheckPassedKeepsItsAuditRow(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("work", for: "dev", status: .backlog)

        await #expect(throws: DomainError.self) {
            _ = try await world.board.move(BoardTask.self, "WA-1", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move)))
        }

        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.status == .backlog)
        let passes = try await world.rbacWorld.audit(AuditFilter(kind: Decision.Outcome.pass.rawValue))
        #expect(passes.filter { $0.actorAddress == "api:dev" }.map(\.tool) == ["update_kanban_task_status"])
    }

    /// The caller's relation to the row is read inside the same transaction as the change: a reassignment between two
    /// calls decides the second one (no check on stale facts).
    @Test(arguments: WorldStore.allCases)
    func theRelationToTheRowIsReadInsideTheChange(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("work", for: "dev", status: .queued)
        _ = try await world.board.move(BoardTask.self, "WA-1", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move)))
        _ = try await world.board.update(BoardTask.self, "WA-1", TaskPatch(assignedTo: "api:dev2"), by: .human)

        await #expect(throws: DomainError.self) {
            _ = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: world.agent("dev", BoardTask.tool(.move)))
        }
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.status == .inProgress)
        _ = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: world.agent("dev2", BoardTask.tool(.move)))
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.status == .review)
    }
}
