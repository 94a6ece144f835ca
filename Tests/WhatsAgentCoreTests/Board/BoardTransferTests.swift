import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// Export and import (exact round trip into an empty board) and the CSV and Markdown renderings.
@Suite struct BoardTransferTests {
    /// A board with epics, tasks, dependencies, comments, archive and a pending close.
    func populated(_ store: WorldStore = .sqlite) async throws -> BoardWorld {
        let world = try await BoardWorld.make(on: store)
        let board = world.board
        _ = try await board.create(
            BoardEpic.self,
            EpicDraft(title: "Release 1", assignedTo: "api:dev", status: .inProgress),
            by: world.agent("main", BoardEpic.tool(.create))
        )
        _ = try await board.create(
            BoardTask.self,
            TaskDraft(
                title: "API",
                assignedTo: "api:dev",
                details: "build it",
                priority: .p1,
                githubUrl: "https://github.com/o/r/issues/1",
                githubNumber: 1,
                githubTitle: "API",
                epicId: "EP-1"
            ),
            by: world.agent("main", BoardTask.tool(.create))
        )
        _ = try await board.create(
            BoardTask.self,
            TaskDraft(title: "UI", assignedTo: "api:dev2", epicId: "EP-1", dependsOnTaskIds: ["WA-1"]),
            by: world.agent("main", BoardTask.tool(.create))
        )
        try await world.task("loose", for: "dev")
        _ = try await board.comment(
            BoardTask.self,
            "WA-1",
            type: .verdictNeedsRevision,
            body: "more tests, please",
            by: world.agent("rev", BoardTask.tool(.comment))
        )
        _ = try await board.comment(BoardEpic.self, "EP-1", type: .progress, body: "half done", by: world.agent("res", BoardEpic.tool(.comment)))
        _ = try await board.move(BoardTask.self, "WA-1", to: .completed, by: world.agent("main", BoardTask.tool(.move)))
        _ = try await board.archive(BoardTask.self, "WA-3", by: world.agent("main", BoardTask.tool(.archive)))
        _ = try await board.requestEpicClose("EP-1", by: world.agent("dev", "request_kanban_epic_close"))
        _ = try await board.create(BoardEpic.self, EpicDraft(title: "Later", assignedTo: "api:main"), by: .human)
        return world
    }

    func withoutAgentIDs(_ snapshot: BoardSnapshot) -> BoardSnapshot {
        var copy = snapshot
        copy.tasks = copy.tasks.map { task in
            var task = task
            task.assigneeAgentID = nil
            task.creatorAgentID = nil
            return task
        }
        copy.epics = copy.epics.map { epic in
            var epic = epic
            epic.assigneeAgentID = nil
            epic.creatorAgentID = nil
            epic.closeApproval.requestedByAgentID = nil
            return epic
        }
        copy.comments = copy.comments.map { comment in
            var comment = comment
            comment.authorAgentID = nil
            return comment
        }
        copy.activity = copy.activity.map { entry in
            var entry = entry
            entry.actorAgentID = nil
            return entry
        }
        return copy
    }

    @Test(arguments: WorldStore.allCases)
    func anExportImportsIntoAnEmptyBoardExactly(_ store: WorldStore) async throws {
        let world = try await self.populated(store)
        let exported = try await world.board.export()
        try await store.prepare(try await world.workspaces.create(WorkspaceDraft(name: "w2", kanbanPrefix: "ZZ", epicPrefix: "YY")))
        _ = try await RepoService(workspaces: world.workspaces).add(workspace: "w2", path: NSTemporaryDirectory(), name: "api")
        for agent in BoardWorld.agents {
            _ = try await AgentService(workspaces: world.workspaces)
                .add(workspace: "w2", AgentDraft(address: try AgentAddress(parsing: "api:\(agent.name)"), roles: agent.roles))
        }

        let summary = try await world.board.importBoard(exported, workspace: "w2")
        let reimported = try await world.board.export(workspace: "w2")
        let next = try await world.board.create(BoardTask.self, TaskDraft(title: "after import", assignedTo: "api:dev"), by: .human, workspace: "w2")
        let dev2 = try await world.workspaces.database(for: "w2").1.agent(try AgentAddress(parsing: "api:dev2"))

        #expect(summary == BoardImportSummary(tasks: 3, epics: 2, comments: 2, dependencies: 1, activity: exported.activity.count))
        #expect(self.withoutAgentIDs(reimported) == self.withoutAgentIDs(exported))
        #expect(reimported.tasks[1].assigneeAgentID == dev2.id, "agents are matched by address")
        #expect(reimported.epics[0].closeApproval.status == .pending)
        #expect(next.item.displayID == "WA-004", "the prefix and the sequence continue from the export")
        #expect(
            try await world.board.search(BoardTask.self, BoardSearchQuery("tests please"), by: .human, workspace: "w2").total == 1,
            "search is rebuilt"
        )
    }

    @Test(arguments: WorldStore.allCases)
    func importIntoANonEmptyBoardIsRefusedAndChangesNothing(_ store: WorldStore) async throws {
        let world = try await self.populated(store)
        let exported = try await world.board.export()

        let error = await #expect(throws: DomainError.self) { try await world.board.importBoard(exported) }

        #expect(error?.code == .invalidState)
        #expect(error?.message.contains("empty") == true)
        #expect(try await world.board.export() == exported)
    }

    @Test(arguments: WorldStore.allCases)
    func anExportThatDoesNotFitTogetherIsRefusedAsAWhole(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        let source = try await self.populated(store)
        var broken = try await source.board.export()
        broken.dependencies.append(BoardDependency(taskID: 1, dependsOnTaskID: 99, createdBy: "api:main", createdAt: Date()))

        let error = await #expect(throws: DomainError.self) { try await world.board.importBoard(broken) }

        #expect(error?.code == .invalidArgument)
        #expect(try await world.board.export().isEmpty, "one transaction: nothing was kept")
    }

    // MARK: Renderings

    static let date = Date(timeIntervalSince1970: 1_800_000_000)

    static var sample: BoardSnapshot {
        let date = Self.date
        let epic = BoardEpic(
            id: 1,
            displayID: "EP-001",
            sequence: 1,
            title: "Release",
            details: "Ship v1",
            status: .inProgress,
            priority: .p1,
            effort: .l,
            assignee: "api:main",
            assigneeAgentID: nil,
            creator: "human-web",
            creatorAgentID: nil,
            github: GitHubLink(),
            closeApproval: EpicCloseApproval(status: .pending, requestedAt: date, requestedBy: "api:main"),
            createdAt: date,
            updatedAt: date,
            completedAt: nil,
            archivedAt: nil,
            archivedBy: nil
        )
        let api = BoardTask(
            id: 1,
            displayID: "WA-001",
            sequence: 1,
            title: "API, \"v1\"",
            details: "line one\nline two",
            status: .completed,
            priority: .p0,
            effort: .m,
            assignee: "api:dev",
            assigneeAgentID: nil,
            creator: "api:main",
            creatorAgentID: nil,
            github: GitHubLink(url: "https://github.com/o/r/pull/7", number: 7, title: "API PR"),
            epicID: 1,
            epicDisplayID: "EP-001",
            dependsOn: [],
            createdAt: date,
            updatedAt: date,
            completedAt: date,
            archivedAt: nil,
            archivedBy: nil
        )
        var ui = api
        ui.id = 2
        ui.displayID = "WA-002"
        ui.sequence = 2
        ui.title = "UI"
        ui.details = ""
        ui.status = .review
        ui.priority = .p2
        ui.github = GitHubLink()
        ui.dependsOn = ["WA-001"]
        ui.completedAt = nil
        var loose = ui
        loose.id = 3
        loose.displayID = "WA-003"
        loose.sequence = 3
        loose.title = "Cleanup"
        loose.status = .backlog
        loose.epicID = nil
        loose.epicDisplayID = nil
        loose.dependsOn = []
        loose.archivedAt = date
        loose.archivedBy = "api:main"
        return BoardSnapshot(
            taskPrefix: "WA",
            epicPrefix: "EP",
            taskSequence: 3,
            epicSequence: 1,
            tasks: [api, ui, loose],
            epics: [epic],
            comments: [
                BoardComment(
                    id: 1,
                    itemKind: .task,
                    itemID: 2,
                    itemDisplayID: "WA-002",
                    author: "api:rev",
                    authorAgentID: nil,
                    type: .verdictGo,
                    body: "looks good\nship it",
                    createdAt: date
                )
            ],
            dependencies: [BoardDependency(taskID: 2, dependsOnTaskID: 1, createdBy: "api:main", createdAt: date)],
            activity: []
        )
    }

    @Test func csvIsRFC4180() {
        let csv = BoardRenderer.csv(Self.sample)

        let expected =
            [
                "kind,displayId,title,status,priority,effort,assignee,creator,epic,dependsOn,closeApproval,githubUrl,githubNumber,githubTitle,"
                    + "createdAt,updatedAt,completedAt,archivedAt,details",
                "epic,EP-001,Release,In Progress,P1,L,api:main,human-web,,,pending,,,,2027-01-15T08:00:00.000Z,2027-01-15T08:00:00.000Z,,,Ship v1",
                "task,WA-001,\"API, \"\"v1\"\"\",Completed,P0,M,api:dev,api:main,EP-001,,,https://github.com/o/r/pull/7,7,API PR,"
                    + "2027-01-15T08:00:00.000Z,2027-01-15T08:00:00.000Z,2027-01-15T08:00:00.000Z,,\"line one\nline two\"",
                "task,WA-002,UI,Review,P2,M,api:dev,api:main,EP-001,WA-001,,,,,2027-01-15T08:00:00.000Z,2027-01-15T08:00:00.000Z,,,",
                "task,WA-003,Cleanup,Backlog,P2,M,api:dev,api:main,,,,,,,2027-01-15T08:00:00.000Z,2027-01-15T08:00:00.000Z,,"
                    + "2027-01-15T08:00:00.000Z,",
            ].joined(separator: "\r\n") + "\r\n"
        #expect(csv == expected)
    }

    @Test func markdownListsEpicsWithTheirTasksForAPerson() {
        let markdown = BoardRenderer.markdown(Self.sample, title: "Board of w")

        let expected = """
            # Board of w

            1 epic, 3 tasks. Task ids WA-…, epic ids EP-….

            ## EP-001: Release

            Status: **In Progress** · Priority: P1 · Effort: L · Assignee: api:main · Created by: human-web · Close: **pending approval** (requested by api:main)

            Ship v1

            ### WA-001: API, "v1"

            Status: **Completed** · Priority: P0 · Effort: M · Assignee: api:dev · Created by: api:main

            GitHub: [#7 API PR](https://github.com/o/r/pull/7)

            line one
            line two

            ### WA-002: UI

            Status: **Review** · Priority: P2 · Effort: M · Assignee: api:dev · Created by: api:main · Depends on: WA-001

            Comments:

            - 2027-01-15T08:00:00.000Z api:rev (verdict_go): looks good
              ship it

            ## Tasks without an epic

            ### WA-003: Cleanup (archived)

            Status: **Backlog** · Priority: P2 · Effort: M · Assignee: api:dev · Created by: api:main

            """
        #expect(markdown == expected)
    }
}
