import Foundation
import GRDB
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// The epic close-approval workflow (reference §13.3).
@Suite struct BoardCloseApprovalTests {
    /// Epic EP-001 of api:dev (In Progress) with WA-001 (open) and WA-002 (Completed).
    func world(_ store: WorldStore = .sqlite) async throws -> BoardWorld {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("Release", for: "dev", status: .inProgress)
        _ = try await world.board.create(BoardTask.self, TaskDraft(title: "open", assignedTo: "api:dev", epicId: "EP-1"), by: .human)
        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "done", assignedTo: "api:dev", status: .completed, epicId: "EP-1"),
            by: .human
        )
        return world
    }

    @Test(arguments: WorldStore.allCases)
    func withoutOpenTasksTheEpicIsCompletedAtOnce(_ store: WorldStore) async throws {
        let world = try await self.world(store)
        _ = try await world.board.move(BoardTask.self, "WA-1", to: .completed, by: .human)

        let outcome = try await world.board.requestEpicClose("EP-1", by: world.agent("main", "request_kanban_epic_close"))

        #expect(outcome.status == .approved)
        #expect(outcome.openChildren == 0)
        #expect(outcome.epic.status == .completed)
        #expect(outcome.epic.closeApproval.status == .none)
        #expect(outcome.epic.completedAt != nil)
        let again = await #expect(throws: DomainError.self) {
            try await world.board.requestEpicClose("EP-1", by: world.agent("main", "request_kanban_epic_close"))
        }
        #expect(again?.code == .invalidState)
    }

    @Test(arguments: WorldStore.allCases)
    func withOpenTasksItWaitsForTheHumanWhoApproves(_ store: WorldStore) async throws {
        let world = try await self.world(store)

        let outcome = try await world.board.requestEpicClose("EP-1", by: world.agent("dev", "request_kanban_epic_close"))
        let twice = await #expect(throws: DomainError.self) {
            try await world.board.requestEpicClose("EP-1", by: world.agent("main", "request_kanban_epic_close"))
        }
        let move = await #expect(throws: DomainError.self) {
            try await world.board.move(BoardEpic.self, "EP-1", to: .review, by: world.agent("main", BoardEpic.tool(.move)))
        }
        let edit = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardEpic.self, "EP-1", EpicPatch(title: "x"), by: world.agent("main", BoardEpic.tool(.update)))
        }
        let comment = try await world.board.comment(
            BoardEpic.self,
            "EP-1",
            type: .note,
            body: "still allowed",
            by: world.agent("main", BoardEpic.tool(.comment))
        )
        let child = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: world.agent("main", BoardTask.tool(.move)))
        let agentApproval = await #expect(throws: DomainError.self) {
            try await world.board.approveEpicClose("EP-1", by: world.agent("main", "request_kanban_epic_close"))
        }
        let approved = try await world.board.approveEpicClose("EP-1")

        #expect(outcome.status == .pending)
        #expect(outcome.openChildren == 1)
        #expect(outcome.childDisplayIDs == ["WA-001"])
        #expect(outcome.epic.closeApproval.requestedBy == "api:dev")
        #expect(outcome.epic.status == .inProgress)
        #expect(twice?.code == .invalidState)
        #expect(move?.code == .invalidState)
        #expect(edit?.code == .invalidState)
        #expect(comment.item.body == "still allowed")
        #expect(child.item.status == .review)
        #expect(agentApproval?.code == .rbacDenied)
        #expect(agentApproval?.message.contains("only the human") == true)
        #expect(approved.item.status == .completed)
        #expect(approved.item.closeApproval.status == .approved)
        #expect(approved.item.closeApproval.approvedBy == "human-web")
        let actions = try await world.board.detail(BoardEpic.self, "EP-1", by: .human).activity.map(\.action)
        #expect(actions == [.created, .closeApprovalRequested, .commented, .closeApproved, .updated])
    }

    @Test(arguments: WorldStore.allCases)
    func updateEpicStatusCompletedEntersTheWorkflowAndBroadCompletedIsRefused(_ store: WorldStore) async throws {
        let world = try await self.world(store)

        let broad = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardEpic.self, "EP-1", EpicPatch(status: .completed), by: world.agent("main", BoardEpic.tool(.update)))
        }
        let created = await #expect(throws: DomainError.self) {
            try await world.board.create(
                BoardEpic.self,
                EpicDraft(title: "x", assignedTo: "api:dev", status: .completed),
                by: world.agent("main", BoardEpic.tool(.create))
            )
        }
        let moved = try await world.board.move(BoardEpic.self, "EP-1", to: .completed, by: world.agent("main", BoardEpic.tool(.move)))

        #expect(broad?.code == .invalidArgument)
        #expect(created?.code == .invalidArgument)
        #expect(moved.close?.status == .pending)
        #expect(moved.item.status == .inProgress)
        #expect(moved.warnings.first?.contains("human") == true)
    }

    @Test(arguments: WorldStore.allCases, ["human", "dev", "main"])
    func theHumanTheRequesterOrAnAnyScopeGrantMayCancel(_ store: WorldStore, canceller: String) async throws {
        let world = try await self.world(store)
        _ = try await world.board.requestEpicClose("EP-1", by: world.agent("dev", "request_kanban_epic_close"))

        let cancelled = try await world.board.cancelEpicClose(
            "EP-1",
            by: canceller == "human" ? .human : world.agent(canceller, "cancel_kanban_epic_close")
        )

        #expect(cancelled.item.closeApproval.status == .none)
        #expect(cancelled.item.closeApproval.requestedBy == nil)
        let nothing = await #expect(throws: DomainError.self) { try await world.board.cancelEpicClose("EP-1", by: .human) }
        #expect(nothing?.code == .invalidState)
    }

    @Test(arguments: WorldStore.allCases)
    func anotherEngineerCannotCancel(_ store: WorldStore) async throws {
        let world = try await self.world(store)
        _ = try await world.board.requestEpicClose("EP-1", by: world.agent("dev", "request_kanban_epic_close"))

        let error = await #expect(throws: DomainError.self) {
            try await world.board.cancelEpicClose("EP-1", by: world.agent("dev2", "cancel_kanban_epic_close"))
        }

        #expect(error?.code == .rbacDenied)
        #expect(try await world.board.detail(BoardEpic.self, "EP-1", by: .human).epic.closeApproval.status == .pending)
    }

    @Test(arguments: WorldStore.allCases)
    func theRequesterMayCancelEvenAfterTheEpicWasReassigned(_ store: WorldStore) async throws {
        let world = try await self.world(store)
        _ = try await world.board.requestEpicClose("EP-1", by: world.agent("dev", "request_kanban_epic_close"))
        // Reassigning is a broad edit; it is refused while pending, so reassign through the store's rows as a stand-in.
        let database = try await world.workspaces.database(for: nil).1
        let dev2 = world.identity("dev2").agent
        _ = try await database.boardWrite(now: Date(), actor: .human, prefixes: ("WA", "EP")) { tx in
            var epic = try tx.requireEpic("EP-1")
            epic.assigneeAgentId = dev2.id.rawValue
            epic.assigneeAddress = "api:dev2"
            try tx.update(epic)
        }

        let cancelled = try await world.board.cancelEpicClose("EP-1", by: world.agent("dev", "cancel_kanban_epic_close"))

        #expect(cancelled.item.closeApproval.status == .none)
    }

    @Test(arguments: WorldStore.allCases)
    func reopeningACompletedEpicResetsTheApproval(_ store: WorldStore) async throws {
        let world = try await self.world(store)
        _ = try await world.board.requestEpicClose("EP-1", by: world.agent("main", "request_kanban_epic_close"))
        _ = try await world.board.approveEpicClose("EP-1")

        let reopened = try await world.board.move(BoardEpic.self, "EP-1", to: .inProgress, by: world.agent("main", BoardEpic.tool(.move)))

        #expect(reopened.item.closeApproval == EpicCloseApproval())
        #expect(reopened.item.completedAt == nil)
    }
}
