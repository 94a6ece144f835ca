import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Board changes reach the assignee and creator (never the actor) through their inbox as `kanban` messages.
@Suite struct BoardNotificationTests {
    @Test(arguments: WorldStore.allCases)
    func anAssignmentArrivesInTheAssigneesInboxNotTheActors(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)

        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "Add login", assignedTo: "api:dev"),
            by: world.agent("main", BoardTask.tool(.create))
        )
        let batch = try await world.messages.checkMessages(world.identity("dev"), limit: 10)

        #expect(batch.messages.count == 1)
        let message = try #require(batch.messages.first)
        #expect(message.kind == "kanban")
        #expect(message.fromAddress == "whatsagent")
        #expect(message.threadID == "kanban:WA-001")
        #expect(message.body == "WA-001 was assigned to api:dev by api:main: Add login")
        #expect(batch.envelope.text.contains("board item: WA-001"))
        #expect(batch.envelope.text.contains("read_kanban_task(taskId: \"WA-001\")"))
        #expect(try await world.kanbanInbox("main").isEmpty, "the actor is not notified")
    }

    @Test(arguments: WorldStore.allCases)
    func statusMovesNotifyAssigneeAndCreatorMinusTheActorExceptInProgressAndBacklog(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "t", assignedTo: "api:dev", status: .queued),
            by: world.agent("main", BoardTask.tool(.create))
        )
        _ = try await world.messages.checkMessages(world.identity("dev"), limit: 10)

        let started = try await world.board.move(BoardTask.self, "WA-1", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move)))
        let reviewed = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: world.agent("dev", BoardTask.tool(.move)))

        #expect(started.notified.isEmpty, "In Progress has no event")
        #expect(reviewed.notified == ["api:main"])
        #expect(try await world.kanbanInbox("main").map(\.body) == ["WA-001 moved to Review by api:dev: t"])
        #expect(try await world.kanbanInbox("dev").count == 1, "only the earlier, unacknowledged assignment")
    }

    @Test(arguments: WorldStore.allCases)
    func reassignmentTellsTheOldAndNewAssigneeAndBlockersAndVerdictsNotify(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "t", assignedTo: "api:dev"),
            by: world.agent("main", BoardTask.tool(.create))
        )

        let reassigned = try await world.board.update(
            BoardTask.self,
            "WA-1",
            TaskPatch(assignedTo: "api:dev2"),
            by: world.agent("main", BoardTask.tool(.update))
        )
        let blocker = try await world.board.comment(
            BoardTask.self,
            "WA-1",
            type: .blocker,
            body: "need keys",
            by: world.agent("dev2", BoardTask.tool(.comment))
        )
        let note = try await world.board.comment(BoardTask.self, "WA-1", type: .note, body: "fyi", by: world.agent("rev", BoardTask.tool(.comment)))
        let verdict = try await world.board.comment(
            BoardTask.self,
            "WA-1",
            type: .verdictGo,
            body: "ok",
            by: world.agent("rev", BoardTask.tool(.comment))
        )

        #expect(Set(reassigned.notified) == ["api:dev", "api:dev2"])
        #expect(blocker.notified == ["api:main"])
        #expect(note.notified.isEmpty)
        #expect(Set(verdict.notified) == ["api:main", "api:dev2"])
    }

    @Test(arguments: WorldStore.allCases)
    func theHumanIsNeverQueuedANotification(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        _ = try await world.board.create(BoardTask.self, TaskDraft(title: "t", assignedTo: "api:dev"), by: .human)

        let moved = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: world.agent("main", BoardTask.tool(.move)))
        let database = try await world.workspaces.database(for: nil).1
        let toHuman = try await database.humanConversation(peer: nil, limit: 100, now: Date(), broadcasts: false)

        #expect(moved.notified == ["api:dev"], "the creator is the human: only the assignee is told")
        #expect(toHuman.isEmpty)
    }

    @Test(arguments: WorldStore.allCases)
    func aConnectedAssigneeIsPushedAMailHint(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        let dev = world.identity("dev")
        let (events, _) = await world.hub.subscribe(dev.session.id)

        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "t", assignedTo: "api:dev"),
            by: world.agent("main", BoardTask.tool(.create))
        )

        var iterator = events.makeAsyncIterator()
        let event = await iterator.next()
        guard case .mail(let hint) = event else {
            Issue.record("expected a mail hint, got \(String(describing: event))")
            return
        }
        #expect(hint.kinds == ["kanban"])
        #expect(hint.threadID == "kanban:WA-001")
    }

    @Test(arguments: WorldStore.allCases)
    func epicCloseNotificationsReachAssigneeCreatorAndRequester(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        _ = try await world.board.create(
            BoardEpic.self,
            EpicDraft(title: "E", assignedTo: "api:dev", status: .inProgress),
            by: world.agent("main", BoardEpic.tool(.create))
        )
        _ = try await world.board.create(BoardTask.self, TaskDraft(title: "open", assignedTo: "api:dev2", epicId: "EP-1"), by: .human)

        let pending = try await world.board.requestEpicClose("EP-1", by: world.agent("dev", "request_kanban_epic_close"))
        let approved = try await world.board.approveEpicClose("EP-1")

        #expect(pending.notified == ["api:main"])
        #expect(approved.notified == ["api:dev", "api:main"])
        let bodies = try await world.kanbanInbox("dev").map(\.body)
        #expect(bodies.contains("The human approved closing epic EP-001: E"))
        #expect(bodies.contains("Epic EP-001 is Completed: E"))
    }
}
