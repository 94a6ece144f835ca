import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Board changes that notify count against the actor's rate limit, and the mute covers board text and summaries
/// (issue 14): before, 300 comment notifications went out in 3 s while the same agent's DMs were limited, and a muted
/// agent still commented.
@Suite struct BoardRateLimitAndMuteTests {
    @Test(arguments: WorldStore.allCases)
    func aChangeThatNotifiesCountsOneAndIsRefusedWholePastTheLimit(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.update(WorkspacePatch(rateLimit: .value(3)))
        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "t", assignedTo: "api:dev"),
            by: world.agent("main", BoardTask.tool(.create))
        )

        for index in 0..<3 {
            let blocker = try await world.board.comment(
                BoardTask.self,
                "WA-1",
                type: .blocker,
                body: "blocked \(index)",
                by: world.agent("dev", BoardTask.tool(.comment))
            )
            #expect(blocker.notified == ["api:main"])
        }
        let refused = await #expect(throws: DomainError.self) {
            try await world.board.comment(BoardTask.self, "WA-1", type: .blocker, body: "one more", by: world.agent("dev", BoardTask.tool(.comment)))
        }
        #expect(refused?.code == .rateLimited)
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).comments.count == 3, "the refused comment was not written")
        #expect(try await world.kanbanInbox("main").count == 3, "nor its notification")

        // A change that notifies nobody does not count.
        _ = try await world.board.comment(BoardTask.self, "WA-1", type: .note, body: "a note", by: world.agent("dev", BoardTask.tool(.comment)))
        // The limit is the one direct messages use.
        let direct = await #expect(throws: DomainError.self) {
            try await world.messages.send(workspace: nil, from: .agent(world.identity("dev")), to: "api:main", body: "hi", clientMessageID: nil)
        }
        #expect(direct?.code == .rateLimited)
        // The human is never limited.
        for index in 0..<5 {
            _ = try await world.board.comment(BoardTask.self, "WA-1", type: .blocker, body: "human \(index)", by: .human)
        }
        // A minute later the agent comments again.
        world.rbacWorld.clock.advance(seconds: 61)
        let later = try await world.board.comment(
            BoardTask.self,
            "WA-1",
            type: .blocker,
            body: "still blocked",
            by: world.agent("dev", BoardTask.tool(.comment))
        )
        #expect(later.notified == ["api:main"])
    }

    @Test(arguments: WorldStore.allCases)
    func aStatusMoveThatNotifiesIsRefusedWholePastTheLimitAndOneThatDoesNotGoesThrough(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.update(WorkspacePatch(rateLimit: .value(2)))
        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "t", assignedTo: "api:dev", status: .queued),
            by: world.agent("main", BoardTask.tool(.create))
        )
        for body in ["one", "two"] {
            _ = try await world.messages.send(workspace: nil, from: .agent(world.identity("dev")), to: "api:main", body: body, clientMessageID: nil)
        }

        // Review tells the creator: refused whole, the task stays where it was.
        let refused = await #expect(throws: DomainError.self) {
            try await world.board.move(BoardTask.self, "WA-1", to: .review, by: world.agent("dev", BoardTask.tool(.move)))
        }
        #expect(refused?.code == .rateLimited)
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.status == .queued)
        #expect(try await world.kanbanInbox("main").isEmpty)
        // In Progress notifies nobody: it goes through.
        #expect(
            try await world.board.move(BoardTask.self, "WA-1", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move))).item.status
                == .inProgress
        )
    }

    @Test(arguments: WorldStore.allCases)
    func aMutedAgentIsRefusedCommentsTextAndSummaryButMovesStatus(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        let sessions = SessionService(
            workspaces: world.workspaces,
            hub: world.hub,
            socketPath: "/s",
            executablePath: "/bin/whatsagent",
            now: { world.rbacWorld.clock.now }
        )
        let agents = AgentService(workspaces: world.workspaces)
        let main = try AgentAddress(parsing: "api:main")
        _ = try await world.board.create(BoardTask.self, TaskDraft(title: "t", assignedTo: "api:dev", status: .queued), by: .human)
        _ = try await world.epic("e", for: "main")
        let pm: @Sendable (String) -> BoardActor = { tool in world.agent("main", tool) }
        let refusedWhileMuted: [(String, @Sendable () async throws -> Void)] = [
            ("comment", { _ = try await world.board.comment(BoardTask.self, "WA-1", type: .note, body: "hi", by: pm(BoardTask.tool(.comment))) }),
            (
                "epic comment",
                { _ = try await world.board.comment(BoardEpic.self, "EP-1", type: .note, body: "hi", by: pm(BoardEpic.tool(.comment))) }
            ),
            ("title", { _ = try await world.board.update(BoardTask.self, "WA-1", TaskPatch(title: "renamed"), by: pm(BoardTask.tool(.update))) }),
            ("details", { _ = try await world.board.update(BoardTask.self, "WA-1", TaskPatch(details: "more"), by: pm(BoardTask.tool(.update))) }),
            (
                "GitHub title",
                { _ = try await world.board.update(BoardTask.self, "WA-1", TaskPatch(githubTitle: "x"), by: pm(BoardTask.tool(.update))) }
            ),
            (
                "epic title",
                { _ = try await world.board.update(BoardEpic.self, "EP-1", EpicPatch(title: "renamed"), by: pm(BoardEpic.tool(.update))) }
            ),
            (
                "new task",
                { _ = try await world.board.create(BoardTask.self, TaskDraft(title: "mine", assignedTo: "api:dev"), by: pm(BoardTask.tool(.create))) }
            ),
            (
                "new epic",
                { _ = try await world.board.create(BoardEpic.self, EpicDraft(title: "mine", assignedTo: "api:dev"), by: pm(BoardEpic.tool(.create))) }
            ),
            ("summary", { _ = try await sessions.setSummary(world.identity("main"), "planning") }),
        ]

        _ = try await agents.update(workspace: nil, main, AgentPatch(muted: true))
        for (what, call) in refusedWhileMuted {
            let error = await #expect(throws: DomainError.self, "a muted agent changed the \(what)") { try await call() }
            #expect(error?.code == .agentMuted, "\(what): \(String(describing: error?.code))")
            #expect(error?.message.contains("update_kanban_task_status") == true, "the refusal names what still works")
        }
        let untouched = try await world.board.detail(BoardTask.self, "WA-1", by: .human)
        #expect(untouched.task.title == "t" && untouched.task.details.isEmpty && untouched.comments.isEmpty)
        #expect(try await world.board.list(BoardTask.self, by: .human).count == 1)

        // Status moves and non-text fields still work, and notify as usual.
        let moved = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: pm(BoardTask.tool(.move)))
        #expect(moved.item.status == .review && moved.notified == ["api:dev"])
        #expect(try await world.board.update(BoardTask.self, "WA-1", TaskPatch(priority: .p0), by: pm(BoardTask.tool(.update))).item.priority == .p0)

        // Unmuted, the same calls go through: the mute was the only reason.
        _ = try await agents.update(workspace: nil, main, AgentPatch(muted: false))
        for (_, call) in refusedWhileMuted { try await call() }
    }
}
