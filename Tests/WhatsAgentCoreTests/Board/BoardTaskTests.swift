import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Tasks: fields, defaults, limits, display ids and lookups, archive, activity log.
@Suite struct BoardTaskTests {
    @Test(arguments: WorldStore.allCases)
    func aNewTaskTakesTheDefaultsAndAPaddedDisplayID(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)

        let change = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "  Add login  ", assignedTo: "api:dev"),
            by: world.agent("main", BoardTask.tool(.create))
        )
        let task = change.item

        #expect(task.displayID == "WA-001")
        #expect(task.sequence == 1)
        #expect(task.title == "Add login")
        #expect(task.status == .backlog)
        #expect(task.priority == .p2)
        #expect(task.effort == .m)
        #expect(task.assignee == "api:dev")
        #expect(task.creator == "api:main")
        #expect(task.completedAt == nil)
        #expect(change.notified == ["api:dev"])
        #expect(try await world.task("second").displayID == "WA-002")
    }

    @Test(arguments: WorldStore.allCases, ["WA-1", "wa-001", "Wa-01", "1", "#1", " WA-0001 "])
    func lookupsAcceptAnyCaseShortFormsAndTheRowID(_ store: WorldStore, reference: String) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("first")

        let detail = try await world.board.detail(BoardTask.self, reference, by: .human)

        #expect(detail.task.displayID == "WA-001")
    }

    @Test(arguments: WorldStore.allCases)
    func unknownAndMalformedIDsAreRefusedClearly(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("first")

        let missing = await #expect(throws: DomainError.self) { try await world.board.detail(BoardTask.self, "WA-9", by: .human) }
        let malformed = await #expect(throws: DomainError.self) { try await world.board.detail(BoardTask.self, "WA-x", by: .human) }

        #expect(missing?.code == .notFound)
        #expect(missing?.message.contains("list_kanban_tasks") == true)
        #expect(malformed?.code == .invalidArgument)
    }

    @Test(arguments: WorldStore.allCases)
    func aPrefixChangeAffectsNewItemsOnly(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("old")
        _ = try await world.workspaces.update(nil, WorkspacePatch(kanbanPrefix: "API"))

        let new = try await world.task("new")

        #expect(new.displayID == "API-002")
        #expect(try await world.board.detail(BoardTask.self, "wa-1", by: .human).task.title == "old")
        #expect(try await world.board.detail(BoardTask.self, "api-2", by: .human).task.title == "new")
    }

    @Test(arguments: [
        (TaskDraft(title: "", assignedTo: "api:dev"), "title is empty"),
        (TaskDraft(title: String(repeating: "t", count: 501), assignedTo: "api:dev"), "at most 500"),
        (TaskDraft(title: "t", assignedTo: "api:dev", details: String(repeating: "d", count: 16_001)), "at most 16000"),
        (TaskDraft(title: "t", assignedTo: "api:ghost"), "not an agent of this workspace"),
        (TaskDraft(title: "t", assignedTo: "nobody"), "repo:agent"),
        (TaskDraft(title: "t", assignedTo: "api:dev", githubUrl: "ftp://x"), "http:// or https://"),
        (TaskDraft(title: "t", assignedTo: "api:dev", githubNumber: 0), "positive whole number"),
        (TaskDraft(title: "t", assignedTo: "api:dev", githubTitle: String(repeating: "g", count: 501)), "at most 500"),
        (TaskDraft(title: "t", assignedTo: "api:dev", epicId: "EP-7"), "no epic 'EP-7'"),
        (TaskDraft(title: "t", assignedTo: "api:dev", dependsOnTaskIds: ["WA-42"]), "no task 'WA-42'"),
    ])
    func badFieldsAreRefusedNamingTheRule(draft: TaskDraft, expected: String) async throws {
        let world = try await BoardWorld.make()

        let error = await #expect(throws: DomainError.self) { try await world.board.create(BoardTask.self, draft, by: .human) }

        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(try await world.board.list(BoardTask.self, by: .human).isEmpty, "nothing is stored")
    }

    @Test func badValuesAreParsedWithTheAllowedOnesNamed() throws {
        #expect(try BoardStatus(parsing: "in_progress") == .inProgress)
        #expect(try BoardStatus(parsing: "IN PROGRESS") == .inProgress)
        #expect(try BoardPriority(parsing: "p0") == .p0)
        #expect(try BoardEffort(parsing: "xl") == .xl)
        #expect(try CommentType(parsing: "VERDICT-GO") == .verdictGo)
        #expect(throws: DomainError.self) { try BoardStatus(parsing: "Done") }
        #expect(throws: DomainError.self) { try BoardPriority(parsing: "P4") }
        #expect(throws: DomainError.self) { try BoardEffort(parsing: "XXL") }
        #expect(throws: DomainError.self) { try CommentType(parsing: "praise") }
    }

    @Test(arguments: WorldStore.allCases)
    func completedAtIsSetAndClearedWithTheStatus(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("ship")

        let done = try await world.board.move(BoardTask.self, "WA-1", to: .completed, by: .human).item
        world.rbacWorld.clock.advance(days: 1)
        let reopened = try await world.board.move(BoardTask.self, "WA-1", to: .review, by: .human).item

        #expect(done.completedAt == done.updatedAt)
        #expect(reopened.completedAt == nil)
    }

    @Test(arguments: WorldStore.allCases)
    func eachChangedFieldIsOneActivityEntryWithBeforeAndAfter(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("first")

        let change = try await world.board.update(
            BoardTask.self,
            "WA-1",
            TaskPatch(title: "renamed", priority: .p0, assignedTo: "api:dev2", githubUrl: .some("https://github.com/o/r/issues/3")),
            by: world.agent("main", BoardTask.tool(.update))
        )
        let unchanged = try await world.board.update(
            BoardTask.self,
            "WA-1",
            TaskPatch(priority: .p0),
            by: world.agent("main", BoardTask.tool(.update))
        )
        let activity = try await world.board.detail(BoardTask.self, "WA-1", by: .human).activity

        #expect(change.changedFields == ["title", "priority", "assignee", "githubUrl"])
        #expect(change.before?.title == "first")
        #expect(unchanged.changedFields.isEmpty)
        #expect(activity.map(\.action) == [.created, .updated, .updated, .updated, .updated])
        let title = try #require(activity.first { $0.field == "title" })
        #expect(title.before == #""first""#)
        #expect(title.after == #""renamed""#)
        #expect(title.actor == "api:main")
        #expect(activity.first { $0.field == "assignee" }?.after == #""api:dev2""#)
    }

    @Test(arguments: WorldStore.allCases)
    func clearingGitHubFieldsAndUnlinkingTheEpicUseNull(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("E")
        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "t", assignedTo: "api:dev", githubUrl: "https://x.io/1", githubNumber: 1, githubTitle: "gh", epicId: "ep-1"),
            by: .human
        )

        let cleared = try await world.board.update(
            BoardTask.self,
            "WA-1",
            TaskPatch(epicId: .some(nil), githubUrl: .some(nil), githubNumber: .some(nil), githubTitle: .some(nil)),
            by: .human
        ).item

        #expect(cleared.epicID == nil)
        #expect(cleared.github == GitHubLink())
    }

    @Test(arguments: WorldStore.allCases)
    func anArchivedEpicIsRefusedAsParent(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("old")
        _ = try await world.board.archive(BoardEpic.self, "EP-1", by: .human)

        let error = await #expect(throws: DomainError.self) {
            try await world.board.create(BoardTask.self, TaskDraft(title: "t", assignedTo: "api:dev", epicId: "EP-001"), by: .human)
        }

        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("archived") == true)
    }

    @Test(arguments: WorldStore.allCases)
    func archivingIsIdempotentHiddenByDefaultAndUndoneOnlyByTheHuman(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("t")

        let first = try await world.board.archive(BoardTask.self, "WA-1", by: world.agent("main", BoardTask.tool(.archive)))
        let again = try await world.board.archive(BoardTask.self, "WA-1", by: world.agent("main", BoardTask.tool(.archive)))
        let hidden = try await world.board.list(BoardTask.self, by: .human)
        let shown = try await world.board.list(BoardTask.self, BoardFilter(includeArchived: true), by: .human)
        let agentRefused = await #expect(throws: DomainError.self) {
            try await world.board.unarchive(BoardTask.self, "WA-1", by: world.agent("main", BoardTask.tool(.archive)))
        }
        let restored = try await world.board.unarchive(BoardTask.self, "WA-1")

        #expect(first.changedFields == ["archived"])
        #expect(first.item.archivedBy == "api:main")
        #expect(again.changedFields.isEmpty)
        #expect(hidden.isEmpty)
        #expect(shown.map(\.displayID) == ["WA-001"])
        #expect(agentRefused?.code == .rbacDenied)
        #expect(restored.item.archivedAt == nil)
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).activity.map(\.action) == [.created, .archived, .unarchived])
    }

    @Test(arguments: WorldStore.allCases)
    func anEpicWithUnarchivedTasksCannotBeArchivedAndTheErrorListsThem(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("E")
        for title in ["a", "b"] {
            _ = try await world.board.create(
                BoardTask.self,
                TaskDraft(title: title, assignedTo: "api:dev", status: .completed, epicId: "EP-1"),
                by: .human
            )
        }

        let error = await #expect(throws: DomainError.self) { try await world.board.archive(BoardEpic.self, "EP-1", by: .human) }
        _ = try await world.board.archive(BoardTask.self, "WA-1", by: .human)
        _ = try await world.board.archive(BoardTask.self, "WA-2", by: .human)
        let archived = try await world.board.archive(BoardEpic.self, "EP-1", by: .human)

        #expect(error?.code == .invalidState)
        #expect(error?.message.contains("WA-001, WA-002") == true)
        #expect(archived.item.isArchived)
    }

    @Test(arguments: WorldStore.allCases)
    func listFiltersCombine(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.epic("E")
        _ = try await world.board.create(
            BoardTask.self,
            TaskDraft(title: "a", assignedTo: "api:dev", priority: .p0, epicId: "EP-1"),
            by: world.agent("main", BoardTask.tool(.create))
        )
        _ = try await world.board.create(BoardTask.self, TaskDraft(title: "b", assignedTo: "api:dev2", status: .review), by: .human)
        _ = try await world.board.create(BoardTask.self, TaskDraft(title: "c", assignedTo: "API:DEV", status: .review), by: .human)

        let board = world.board
        #expect(try await board.list(BoardTask.self, BoardFilter(status: .review), by: .human).map(\.title) == ["b", "c"])
        #expect(try await board.list(BoardTask.self, BoardFilter(assignedTo: "api:DEV"), by: .human).map(\.title) == ["a", "c"])
        #expect(try await board.list(BoardTask.self, BoardFilter(createdBy: "api:main"), by: .human).map(\.title) == ["a"])
        #expect(try await board.list(BoardTask.self, BoardFilter(priority: .p0), by: .human).map(\.title) == ["a"])
        #expect(try await board.list(BoardTask.self, BoardFilter(epic: "ep-1"), by: .human).map(\.title) == ["a"])
        #expect(try await board.list(BoardTask.self, BoardFilter(epic: "none"), by: .human).map(\.title) == ["b", "c"])
        #expect(try await board.list(BoardTask.self, BoardFilter(limit: 2), by: .human).count == 2)
        await #expect(throws: DomainError.self) { try await board.list(BoardTask.self, BoardFilter(limit: 1001), by: .human) }
    }

    @Test(arguments: WorldStore.allCases)
    func verdictCommentsAreStoredAndLogged(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("t")

        let change = try await world.board.comment(
            BoardTask.self,
            "WA-1",
            type: .verdictGo,
            body: "ship it",
            by: world.agent("rev", BoardTask.tool(.comment))
        )
        let detail = try await world.board.detail(BoardTask.self, "WA-1", by: .human)

        #expect(change.item.type == .verdictGo)
        #expect(detail.comments.map(\.body) == ["ship it"])
        #expect(detail.activity.last?.action == .commented)
        #expect(detail.activity.last?.field == "verdict_go")
        await #expect(throws: DomainError.self) { try await world.board.comment(BoardTask.self, "WA-1", type: .note, body: "  ", by: .human) }
    }
}
