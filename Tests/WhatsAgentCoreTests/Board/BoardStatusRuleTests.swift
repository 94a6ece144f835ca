import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The status-rule matrix of reference §13.2 per built-in role and RBAC mode.
@Suite struct BoardStatusRuleTests {
    /// One move: who moves whose task from which status to which, and whether it goes through in enforce, soft, off.
    struct Move: Sendable, CustomTestStringConvertible {
        var mover: String
        var assignee: String
        var from: BoardStatus
        var to: BoardStatus
        var allowed: [RBACMode: Bool]
        /// What the refusal in enforce mode names.
        var refusal: String?

        var testDescription: String { "\(self.mover) moves \(self.assignee)'s \(self.from.rawValue) → \(self.to.rawValue)" }
    }

    static let everywhere: [RBACMode: Bool] = [.enforce: true, .soft: true, .off: true]
    static let notInEnforce: [RBACMode: Bool] = [.enforce: false, .soft: true, .off: true]

    static let moves: [Move] = [
        // pm: any-scope grant, any move.
        Move(mover: "main", assignee: "dev", from: .backlog, to: .completed, allowed: everywhere),
        Move(mover: "main", assignee: "dev", from: .completed, to: .backlog, allowed: everywhere),
        // engineer on its own task: from Queued/In Progress/Blocked/Review to In Progress/Blocked/Review only.
        Move(mover: "dev", assignee: "dev", from: .queued, to: .inProgress, allowed: everywhere),
        Move(mover: "dev", assignee: "dev", from: .inProgress, to: .blocked, allowed: everywhere),
        Move(mover: "dev", assignee: "dev", from: .blocked, to: .review, allowed: everywhere),
        Move(mover: "dev", assignee: "dev", from: .review, to: .inProgress, allowed: everywhere),
        Move(mover: "dev", assignee: "dev", from: .backlog, to: .inProgress, allowed: notInEnforce, refusal: "is Backlog"),
        Move(mover: "dev", assignee: "dev", from: .review, to: .completed, allowed: notInEnforce, refusal: "Review → Completed"),
        Move(mover: "dev", assignee: "dev", from: .inProgress, to: .queued, allowed: notInEnforce, refusal: "In Progress → Queued"),
        Move(mover: "dev", assignee: "dev", from: .queued, to: .backlog, allowed: notInEnforce, refusal: "Queued → Backlog"),
        Move(mover: "dev", assignee: "dev", from: .completed, to: .review, allowed: notInEnforce, refusal: "is Completed"),
        // engineer on someone else's task: the own-assignment grant does not reach it.
        Move(mover: "dev", assignee: "dev2", from: .queued, to: .inProgress, allowed: notInEnforce, refusal: "kanban_action:update_task_status"),
        // reviewer, researcher, restricted: no kanban-status family.
        Move(mover: "rev", assignee: "rev", from: .queued, to: .review, allowed: notInEnforce, refusal: "tool_family:kanban-status"),
        Move(mover: "res", assignee: "res", from: .queued, to: .review, allowed: notInEnforce, refusal: "tool_family:kanban-status"),
        Move(mover: "ro", assignee: "ro", from: .queued, to: .review, allowed: notInEnforce, refusal: "tool_family:kanban-status"),
    ]

    @Test(arguments: moves, [RBACMode.enforce, .soft, .off])
    func taskMovesFollowTheRoleAndMode(move: Move, mode: RBACMode) async throws {
        let world = try await BoardWorld.make(mode: mode)
        try await world.task("work", for: move.assignee, status: move.from)

        do {
            let change = try await world.board.move(BoardTask.self, "WA-1", to: move.to, by: world.agent(move.mover, BoardTask.tool(.move)))
            #expect(move.allowed[mode] == true, "moved although it should be refused")
            #expect(change.item.status == move.to)
        } catch let error as DomainError {
            #expect(move.allowed[mode] == false, "refused: \(error.message)")
            #expect(error.code == .rbacDenied)
            if let refusal = move.refusal { #expect(error.message.contains(refusal), "\(error.message)") }
            #expect(error.message.contains("pm"), "the refusal says whom to ask: \(error.message)")
            #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.status == move.from, "nothing changed")
        }
    }

    @Test(arguments: WorldStore.allCases)
    func anEngineerMayMoveItsOwnEpicToCompletedWhichRequestsTheClose(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("E", for: "dev", status: .review)
        _ = try await world.board.create(BoardTask.self, TaskDraft(title: "open", assignedTo: "api:dev", epicId: "EP-1"), by: .human)

        let change = try await world.board.move(BoardEpic.self, "EP-1", to: .completed, by: world.agent("dev", BoardEpic.tool(.move)))
        let backlog = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardEpic.self, "EP-1", EpicPatch(title: "x"), by: world.agent("dev", BoardEpic.tool(.update)))
        }

        #expect(change.close?.status == .pending)
        #expect(change.item.closeApproval.status == .pending)
        #expect(backlog?.code == .rbacDenied, "broad edits need kanban-admin")
    }

    @Test(arguments: WorldStore.allCases)
    func anEngineerCannotMoveItsOwnEpicOutOfBacklog(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("E", for: "dev", status: .backlog)

        let error = await #expect(throws: DomainError.self) {
            try await world.board.move(BoardEpic.self, "EP-1", to: .inProgress, by: world.agent("dev", BoardEpic.tool(.move)))
        }

        #expect(error?.code == .rbacDenied)
    }

    @Test(arguments: WorldStore.allCases)
    func broadEditsNeedKanbanAdminAndAreRefusedWithTheGrantNamed(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("t", for: "dev")

        let error = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardTask.self, "WA-1", TaskPatch(status: .completed), by: world.agent("dev", BoardTask.tool(.update)))
        }
        let created = await #expect(throws: DomainError.self) {
            try await world.board.create(
                BoardTask.self,
                TaskDraft(title: "x", assignedTo: "api:dev"),
                by: world.agent("dev", BoardTask.tool(.create))
            )
        }
        let pm = try await world.board.update(BoardTask.self, "WA-1", TaskPatch(status: .completed), by: world.agent("main", BoardTask.tool(.update)))

        #expect(error?.message.contains("tool_family:kanban-admin") == true)
        #expect(created?.code == .rbacDenied)
        #expect(pm.item.status == .completed)
    }

    @Test(arguments: WorldStore.allCases)
    func engineersCommentOnTasksTheyHoldOrCreatedButVerdictsNeedTheVerdictGrant(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("theirs", for: "dev2")
        try await world.task("mine", for: "dev")

        let mine = try await world.board.comment(
            BoardTask.self,
            "WA-2",
            type: .progress,
            body: "halfway",
            by: world.agent("dev", BoardTask.tool(.comment))
        )
        let theirs = await #expect(throws: DomainError.self) {
            try await world.board.comment(BoardTask.self, "WA-1", type: .note, body: "hi", by: world.agent("dev", BoardTask.tool(.comment)))
        }
        let verdict = await #expect(throws: DomainError.self) {
            try await world.board.comment(BoardTask.self, "WA-2", type: .verdictGo, body: "ok", by: world.agent("dev", BoardTask.tool(.comment)))
        }
        let reviewer = try await world.board.comment(
            BoardTask.self,
            "WA-1",
            type: .verdictNoGo,
            body: "tests fail",
            by: world.agent("rev", BoardTask.tool(.comment))
        )

        #expect(mine.item.author == "api:dev")
        #expect(theirs?.message.contains("comment_task") == true)
        #expect(verdict?.message.contains("comment_type:verdict_go") == true)
        #expect(reviewer.item.type == .verdictNoGo)
    }

    @Test(arguments: WorldStore.allCases)
    func theHumanIsNotSubjectToRBAC(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("t", for: "dev")

        let moved = try await world.board.move(BoardTask.self, "WA-1", to: .completed, by: .human)

        #expect(moved.item.status == .completed)
        #expect(try await world.rbacWorld.audit().isEmpty, "human calls are not audited as agent decisions")
    }
}
