import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent epic …`: the board's epics as the human, and the close approval only the human gives (SPEC §4, §9).
struct EpicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epic",
        abstract: "List, create, edit, move, archive and search epics; approve or cancel their close.",
        discussion: """
            Moving an epic to Completed asks to close it: with no open tasks it completes at once, otherwise the close \
            waits for your approval (`epic approve-close ID`); agents ask with request_kanban_epic_close.
            """,
        subcommands: [
            List.self, Show.self, Create.self, Edit.self, Move.self, Comment.self, ApproveClose.self, CancelClose.self, Archive.self,
            Unarchive.self, Search.self,
        ]
    )

    typealias List = BoardListCommand<EpicCommandKind>
    typealias Show = BoardShowCommand<EpicCommandKind>

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an epic (defaults: Backlog, P2, M).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Title (up to 500 characters).") var title: String
        @Option(help: "The agent who owns it (repo:name).") var assignee: String
        @Option(help: "Details (up to 16,000 characters).") var details: String?
        @Option(name: .customLong("details-file"), help: "Read the details from this UTF-8 file.") var detailsFile: String?
        @Option(help: "Initial status (not Completed).") var status: String?
        @Option(help: "P0…P3 (default P2).") var priority: String?
        @Option(help: "XS, S, M, L, XL (default M).") var effort: String?
        @OptionGroup var github: GitHubOptions

        func validate() throws {
            try BoardArguments.checkCreate(
                details: self.details,
                detailsFile: self.detailsFile,
                status: self.status,
                priority: self.priority,
                effort: self.effort
            )
        }

        func run() async throws {
            let request = CreateBoardEpicRequest(
                title: self.title,
                assignedTo: self.assignee,
                details: try BoardArguments.details(self.details, file: self.detailsFile),
                status: try self.status.map(BoardArguments.status),
                priority: try self.priority.map(BoardArguments.priority),
                effort: try self.effort.map(BoardArguments.effort),
                githubUrl: self.github.url,
                githubNumber: self.github.number,
                githubTitle: self.github.title
            )
            let change = try await self.global.client.create(BoardEpics.self, workspace: self.scope.workspace, request)
            if self.global.json { return try Output.json(change) }
            BoardText.created(change.epic.displayId, for: change.epic.assignee, warnings: change.warnings, notified: change.notified)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change some fields of an epic; the others stay as they are.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String
        @Option(help: "New title.") var title: String?
        @Option(help: "New details.") var details: String?
        @Option(name: .customLong("details-file"), help: "Read the new details from this UTF-8 file.") var detailsFile: String?
        @Option(help: "New status (not Completed: use `epic move ID Completed`).") var status: String?
        @Option(help: "New priority (P0…P3).") var priority: String?
        @Option(help: "New effort (XS…XL).") var effort: String?
        @Option(help: "Reassign to this agent (repo:name).") var assignee: String?
        @OptionGroup var github: GitHubOptions
        @Flag(name: .customLong("clear-github"), help: "Remove the GitHub link, number and title.") var clearGitHub = false

        func validate() throws {
            try BoardArguments.checkClearGitHub(self.clearGitHub, self.github)
            try BoardArguments.checkDetails(self.details, file: self.detailsFile)
            // The file is read in run(); here it only counts as a change.
            _ = try self.request(details: self.details ?? self.detailsFile.map { _ in "" })
        }

        func request(details: String?) throws -> UpdateBoardEpicRequest {
            let github = self.github.edits(clear: self.clearGitHub)
            let request = UpdateBoardEpicRequest(
                title: self.title,
                details: details,
                status: try self.status.map(BoardArguments.status),
                priority: try self.priority.map(BoardArguments.priority),
                effort: try self.effort.map(BoardArguments.effort),
                assignedTo: self.assignee,
                githubUrl: github.url,
                githubNumber: github.number,
                githubTitle: github.title
            )
            guard request != UpdateBoardEpicRequest() else {
                throw ValidationError("nothing to change; pass at least one option such as --title, --status or --assignee")
            }
            return request
        }

        func run() async throws {
            let details = try BoardArguments.details(self.details, file: self.detailsFile)
            let change = try await self.global.client.update(
                BoardEpics.self,
                workspace: self.scope.workspace,
                self.id,
                try self.request(details: details)
            )
            if self.global.json { return try Output.json(change) }
            BoardText.updated(change.epic.displayId, changedFields: change.changedFields, warnings: change.warnings, notified: change.notified)
        }
    }

    typealias Move = BoardMoveCommand<EpicCommandKind>

    typealias Comment = BoardCommentCommand<EpicCommandKind>

    struct ApproveClose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve-close",
            abstract: "Approve an epic's pending close: it becomes Completed."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String

        func run() async throws {
            let change = try await self.global.client.approveEpicClose(workspace: self.scope.workspace, self.id)
            if self.global.json { return try Output.json(change) }
            print("approved: \(change.epic.displayId) is \(change.epic.status.rawValue)\(BoardText.notified(change.notified))")
        }
    }

    struct CancelClose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel-close", abstract: "Cancel an epic's pending close.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String

        func run() async throws {
            let change = try await self.global.client.cancelEpicClose(workspace: self.scope.workspace, self.id)
            if self.global.json { return try Output.json(change) }
            print("cancelled the close of \(change.epic.displayId); it stays \(change.epic.status.rawValue)\(BoardText.notified(change.notified))")
        }
    }

    typealias Archive = BoardArchiveCommand<EpicCommandKind>
    typealias Unarchive = BoardUnarchiveCommand<EpicCommandKind>
    typealias Search = BoardSearchCommand<EpicCommandKind>
}
