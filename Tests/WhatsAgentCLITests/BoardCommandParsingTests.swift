import ArgumentParser
import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCLI
@testable import WhatsAgentClient

/// The `task`, `epic` and `board` command names and options of SPEC §4, and what they turn into on the wire.
@Suite struct BoardCommandParsingTests {
    @Test func taskListTakesItsFilters() throws {
        let command = try #require(
            try WhatsAgent.parseAsRoot([
                "task", "list", "--status", "in-progress", "--assignee", "api:dev", "--epic", "EP-1", "--archived", "--priority", "p1",
                "--created-by", "human-web", "--limit", "5", "--workspace", "w", "--json",
            ]) as? TaskCommand.List
        )
        let query = try command.filters.query(epic: command.epic)

        #expect(
            query
                == BoardListQuery(
                    status: .inProgress,
                    assignedTo: "api:dev",
                    createdBy: "human-web",
                    priority: .p1,
                    epicId: "EP-1",
                    includeArchived: true,
                    limit: 5
                )
        )
        #expect(command.scope.workspace == "w" && command.global.json)
        let plain = try #require(try WhatsAgent.parseAsRoot(["task", "list"]) as? TaskCommand.List)
        #expect(try plain.filters.query() == BoardListQuery())
    }

    @Test func taskCreateTakesEveryField() throws {
        let command = try #require(
            try WhatsAgent.parseAsRoot([
                "task", "create", "Add login", "--assignee", "api:dev", "--details", "OAuth", "--priority", "P0", "--effort", "xl",
                "--epic", "EP-1", "--depends-on", "WA-1", "--depends-on", "wa-2", "--status", "queued", "--github-url", "https://x/1",
                "--github-number", "1", "--github-title", "Issue",
            ]) as? TaskCommand.Create
        )

        #expect(command.title == "Add login" && command.assignee == "api:dev" && command.details == "OAuth")
        #expect(command.dependsOn == ["WA-1", "wa-2"] && command.epic == "EP-1")
        #expect(try BoardArguments.priority(try #require(command.priority)) == .p0)
        #expect(try BoardArguments.effort(try #require(command.effort)) == .xl)
        #expect(try BoardArguments.status(try #require(command.status)) == .queued)
        #expect(command.github.url == "https://x/1" && command.github.number == 1 && command.github.title == "Issue")
    }

    @Test func taskCreateWithoutAnAssigneeIsUnassignedButAnEpicNeedsOne() throws {
        let command = try #require(try WhatsAgent.parseAsRoot(["task", "create", "Add login"]) as? TaskCommand.Create)
        #expect(command.assignee == nil, "issue 18: a task may be unassigned")
        #expect(throws: (any Error).self) { try WhatsAgent.parseAsRoot(["epic", "create", "Login"]) }
    }

    @Test func taskEditBuildsAFieldPatch() throws {
        let edit = try #require(
            try WhatsAgent.parseAsRoot(["task", "edit", "WA-3", "--title", "New", "--epic", "none", "--depends-on", "WA-1"]) as? TaskCommand.Edit
        )
        let patch = try edit.request(details: nil)
        #expect(patch == UpdateBoardTaskRequest(title: "New", epicId: .some("none"), dependsOnTaskIds: ["WA-1"]))

        let clear = try #require(
            try WhatsAgent.parseAsRoot(["task", "edit", "WA-3", "--no-dependencies", "--clear-github"]) as? TaskCommand.Edit
        )
        let cleared = try clear.request(details: nil)
        #expect(cleared.dependsOnTaskIds == [] && cleared.githubUrl == .some(nil) && cleared.githubNumber == .some(nil))
        // Explicit nulls go on the wire for cleared fields; untouched fields are absent.
        let json = String(decoding: try WireJSON.encoder().encode(cleared), as: UTF8.self)
        #expect(json == #"{"dependsOnTaskIds":[],"githubNumber":null,"githubTitle":null,"githubUrl":null}"#)
    }

    @Test func moveCommentArchiveUnarchiveAndSearchParse() throws {
        let move = try #require(try WhatsAgent.parseAsRoot(["task", "move", "WA-1", "In Progress"]) as? TaskCommand.Move)
        let comment = try #require(
            try WhatsAgent.parseAsRoot(["task", "comment", "WA-1", "looks good", "--type", "verdict-go"]) as? TaskCommand.Comment
        )
        let note = try #require(try WhatsAgent.parseAsRoot(["task", "comment", "WA-1", "fyi"]) as? TaskCommand.Comment)
        let search = try #require(
            try WhatsAgent.parseAsRoot(["task", "search", "login flow", "--status", "review", "--archived", "--limit", "3"]) as? TaskCommand.Search
        )

        #expect(try BoardArguments.status(move.status) == .inProgress && move.id == "WA-1")
        #expect(try BoardArguments.commentType(comment.type) == .verdictGo && comment.body == "looks good")
        #expect(note.type == "note")
        #expect(
            try search.options.parameters()
                == BoardSearchQueryParameters(query: "login flow", status: .review, includeArchived: true, limit: 3)
        )
        #expect(try WhatsAgent.parseAsRoot(["task", "archive", "WA-1"]) is TaskCommand.Archive)
        #expect(try WhatsAgent.parseAsRoot(["task", "unarchive", "WA-1"]) is TaskCommand.Unarchive)
        #expect(try WhatsAgent.parseAsRoot(["task", "show", "WA-1", "--json"]) is TaskCommand.Show)
    }

    @Test func epicSubcommandsParse() throws {
        let create = try #require(try WhatsAgent.parseAsRoot(["epic", "create", "Login", "--assignee", "api:main"]) as? EpicCommand.Create)
        let edit = try #require(
            try WhatsAgent.parseAsRoot(["epic", "edit", "EP-1", "--priority", "P1", "--github-number", "4"]) as? EpicCommand.Edit
        )
        let approve = try #require(try WhatsAgent.parseAsRoot(["epic", "approve-close", "EP-1"]) as? EpicCommand.ApproveClose)
        let cancel = try #require(try WhatsAgent.parseAsRoot(["epic", "cancel-close", "ep-1", "--json"]) as? EpicCommand.CancelClose)

        #expect(create.title == "Login" && create.assignee == "api:main")
        #expect(try edit.request(details: nil) == UpdateBoardEpicRequest(priority: .p1, githubNumber: .some(4)))
        #expect(approve.id == "EP-1" && cancel.id == "ep-1" && cancel.global.json)
        for words in [
            ["list"], ["show", "EP-1"], ["move", "EP-1", "Completed"], ["archive", "EP-1"], ["unarchive", "EP-1"], ["search", "login"],
        ] {
            #expect((try? WhatsAgent.parseAsRoot(["epic"] + words)) != nil, "epic \(words)")
        }
        #expect((try? WhatsAgent.parseAsRoot(["epic", "comment", "EP-1", "hi", "--type", "blocker"])) != nil)
    }

    @Test func boardExportAndImportParse() throws {
        let export = try #require(
            try WhatsAgent.parseAsRoot(["board", "export", "--format", "markdown", "--output", "/tmp/b.md"]) as? BoardCommand.Export
        )
        let json = try #require(try WhatsAgent.parseAsRoot(["board", "export"]) as? BoardCommand.Export)
        let importing = try #require(try WhatsAgent.parseAsRoot(["board", "import", "/tmp/b.json"]) as? BoardCommand.Import)

        #expect(try export.exportFormat() == .markdown && export.output == "/tmp/b.md")
        #expect(try json.exportFormat() == .json && json.output == nil)
        #expect(importing.file == "/tmp/b.json")
    }

    @Test(arguments: [
        ["task", "move", "WA-1", "doing"],
        ["task", "list", "--status", "later"],
        ["task", "create", "t", "--assignee", "a:b", "--priority", "P7"],
        ["task", "create", "t", "--assignee", "a:b", "--effort", "XXL"],
        ["task", "create", "t", "--assignee", "a:b", "--details", "x", "--details-file", "/tmp/x"],
        ["task", "comment", "WA-1", "x", "--type", "shout"],
        ["task", "edit", "WA-1"],
        ["task", "edit", "WA-1", "--no-dependencies", "--depends-on", "WA-2"],
        ["task", "edit", "WA-1", "--clear-github", "--github-url", "https://x"],
        ["task", "search", "x", "--status", "nope"],
        ["epic", "edit", "EP-1"],
        ["epic", "move", "EP-1", "finished"],
        ["board", "export", "--format", "pdf"],
        ["board", "import"],
        ["task", "frobnicate"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) async {
        #expect(await CommandLineMain.run(arguments + ["--home", "/tmp/wa-no-daemon-here"]) == 2)
    }

    @Test func valuesAreReadLeniently() throws {
        #expect(try BoardArguments.status("in_progress") == .inProgress)
        #expect(try BoardArguments.status("BACKLOG") == .backlog)
        #expect(try BoardArguments.priority("p3") == .p3)
        #expect(try BoardArguments.effort("s") == .s)
        #expect(try BoardArguments.commentType("verdict_needs_revision") == .verdictNeedsRevision)
        let error = try #require(throws: ValidationError.self) { try BoardArguments.status("doing") }
        #expect(error.message.contains("In Progress"))
    }

    @Test func importRefusesAFileThatIsNotAnExport() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wa-board-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"version":1,"tasks":[]}"#.utf8).write(to: file)

        let failure = try #require(throws: CLIFailure.self) { try BoardCommand.Import.read(file.path) }
        #expect(failure.exit == .failed && failure.message.contains("not a board export") && failure.message.contains("taskPrefix"))
        let missing = try #require(throws: CLIFailure.self) { try BoardCommand.Import.read("/tmp/wa-no-such-export.json") }
        #expect(missing.message.contains("cannot read"))
    }

    @Test func theClientBuildsBoardPathsAndQueries() {
        #expect(DaemonClient.boardPath(nil, "tasks", "#12") == "/api/v1/workspaces/current/board/tasks/%2312")
        #expect(DaemonClient.boardPath("w", "epics") == "/api/v1/workspaces/w/board/epics")
        #expect(DaemonClient.listQueryString(BoardListQuery()) == "")
        #expect(
            DaemonClient.listQueryString(BoardListQuery(status: .inProgress, assignedTo: "api:dev", includeArchived: true, limit: 5))
                == "?status=In%20Progress&assignedTo=api%3Adev&includeArchived=true&limit=5"
        )
        #expect(DaemonClient.searchQueryString(BoardSearchQueryParameters(query: "a&b c")) == "?query=a%26b%20c")
    }
}
