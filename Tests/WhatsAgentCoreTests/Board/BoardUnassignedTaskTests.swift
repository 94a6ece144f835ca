import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Tasks without an assignee (issue 18): created without one, assigned and unassigned later, never covered by an
/// `own_assignment` grant, selected by the `none` filter; epics always keep an assignee.
@Suite struct BoardUnassignedTaskTests {
    @Test(arguments: WorldStore.allCases)
    func theHumanCreatesATaskWithoutAnAssigneeAndNobodyIsNotified(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)

        let change = try await world.board.create(BoardTask.self, TaskDraft(title: "Triage the flaky test", assignedTo: nil), by: .human)

        #expect(change.item.assignee == nil)
        #expect(change.item.assigneeAgentID == nil)
        #expect(change.notified.isEmpty)
        for agent in BoardWorld.agents { #expect(try await world.kanbanInbox(agent.name).isEmpty, "\(agent.name) heard nothing") }
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.assignee == nil, "read back unassigned")
        let explicit = try await world.board.create(BoardTask.self, TaskDraft(title: "also nobody's", assignedTo: " None "), by: .human)
        #expect(explicit.item.assignee == nil, "`none` names nobody")
    }

    @Test(arguments: WorldStore.allCases)
    func anAgentThatOmitsTheAssigneeCreatesAnUnassignedTaskAndLaterHearsAsItsCreator(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)

        let created = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "t", assignedTo: nil, status: .queued),
            by: world.agent("main", BoardTask.tool(.create))
        )
        let moved = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: .human)

        #expect(created.item.assignee == nil, "not defaulted to the creator")
        #expect(created.item.creator == "api:main")
        #expect(created.notified.isEmpty)
        #expect(moved.notified == ["api:main"], "with nobody assigned, only the creator hears of changes")
        #expect(try await world.kanbanInbox("main").map(\.body) == ["WA-001 moved to Review by human-web: t"])
    }

    @Test(arguments: WorldStore.allCases)
    func ownAssignmentNeverCoversAnUnassignedTask(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.board.create(BoardTask.self, TaskDraft(title: "t", assignedTo: nil, status: .queued), by: .human)

        // `dev` (engineer) moves its own tasks only; an unassigned task is nobody's, so not its own.
        let refusal = await #expect(throws: DomainError.self) {
            try await world.board.move(BoardTask.self, "WA-1", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move)))
        }
        #expect(refusal?.code == .rbacDenied)
        #expect(refusal?.message.contains("kanban_action:update_task_status") == true, "\(refusal?.message ?? "")")
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.status == .queued, "nothing changed")

        // Once assigned to it, the same move goes through: the refusal was the missing assignment.
        _ = try await world.board.update(BoardTask.self, "WA-1", TaskPatch(assignedTo: "api:dev"), by: .human)
        #expect(
            try await world.board.move(BoardTask.self, "WA-1", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move))).item.status
                == .inProgress
        )
    }

    @Test(arguments: WorldStore.allCases)
    func anAnyScopeGrantAssignsAndUnassignsWithTheActivityAndNotifications(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.board.create(BoardTask.self, TaskDraft(title: "t", assignedTo: nil), by: .human)

        let assigned = try await world.board.update(
            BoardTask.self,
            "WA-1",
            TaskPatch(assignedTo: "api:dev"),
            by: world.agent("main", BoardTask.tool(.update))
        )
        #expect(assigned.item.assignee == "api:dev")
        #expect(assigned.changedFields == ["assignee"])
        #expect(assigned.notified == ["api:dev"], "the new assignee; the creator is the human")
        #expect(try await world.kanbanInbox("dev").map(\.body) == ["WA-001 was assigned to api:dev by api:main: t"])

        let unassigned = try await world.board.update(
            BoardTask.self,
            "WA-1",
            TaskPatch(assignedTo: "none"),
            by: world.agent("main", BoardTask.tool(.update))
        )
        #expect(unassigned.item.assignee == nil)
        #expect(unassigned.item.assigneeAgentID == nil)
        #expect(unassigned.notified == ["api:dev"], "the previous assignee hears it was taken off")
        #expect(try await world.kanbanInbox("dev").last?.body == "WA-001 was unassigned from api:dev by api:main: t")

        let again = try await world.board.update(
            BoardTask.self,
            "WA-1",
            TaskPatch(assignedTo: "NONE"),
            by: world.agent("main", BoardTask.tool(.update))
        )
        #expect(again.changedFields.isEmpty, "already unassigned")
        let activity = try await world.board.detail(BoardTask.self, "WA-1", by: .human).activity.filter { $0.field == "assignee" }
        #expect(activity.map { "\($0.before ?? "-") → \($0.after ?? "-")" } == ["null → \"api:dev\"", "\"api:dev\" → null"])
    }

    @Test(arguments: WorldStore.allCases)
    func theNoneFilterListsAndSearchesUnassignedTasks(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("rollout alpha", for: "dev")
        try await world.board.create(BoardTask.self, TaskDraft(title: "rollout beta", assignedTo: nil), by: .human)

        let unassigned = try await world.board.list(BoardTask.self, BoardFilter(assignedTo: "none"), by: .human)
        let dev = try await world.board.list(BoardTask.self, BoardFilter(assignedTo: "API:DEV"), by: .human)
        let found = try await world.board.search(BoardTask.self, BoardSearchQuery("rollout", assignee: "none"), by: .human)

        #expect(unassigned.map(\.displayID) == ["WA-002"])
        #expect(dev.map(\.displayID) == ["WA-001"])
        #expect(found.hits.map(\.displayID) == ["WA-002"])
        #expect(found.hits.first?.assignee == nil)
    }

    @Test(arguments: WorldStore.allCases)
    func anEpicAlwaysKeepsAnAssignee(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("E")

        let refusal = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardEpic.self, "EP-1", EpicPatch(assignedTo: "none"), by: .human)
        }
        #expect(refusal?.code == .invalidArgument)
        #expect(refusal?.message.contains("only tasks can be unassigned") == true)
        #expect(try await world.board.detail(BoardEpic.self, "EP-1", by: .human).epic.assignee == "api:dev")
    }
}
