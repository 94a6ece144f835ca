import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent task …`: the board's tasks as the human (SPEC §4, §9).
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "List, create, edit, move, comment on, archive and search the board's tasks.",
        discussion: """
            Task ids are display ids in any case, zero padding optional (WA-001, wa-1), or row ids. Statuses: Backlog, \
            Queued, "In Progress" (or in-progress), Blocked, Review, Completed. Priorities P0 (most urgent) to P3; \
            efforts XS, S, M, L, XL. You act as human-web: no RBAC applies.
            """,
        subcommands: [List.self, Show.self, Create.self, Edit.self, Move.self, Comment.self, Archive.self, Unarchive.self, Search.self]
    )

    typealias List = BoardListCommand<TaskCommandKind>
    typealias Show = BoardShowCommand<TaskCommandKind>

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a task (defaults: Backlog, P2, M, unassigned); its assignee is notified."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Title (up to 500 characters).") var title: String
        @Option(help: "The agent who does it (repo:name); without it the task is unassigned (assign later with task edit --assignee).")
        var assignee: String?
        @Option(help: "Details (up to 16,000 characters).") var details: String?
        @Option(name: .customLong("details-file"), help: "Read the details from this UTF-8 file.") var detailsFile: String?
        @Option(help: "Initial status (default Backlog).") var status: String?
        @Option(help: "P0…P3 (default P2).") var priority: String?
        @Option(help: "XS, S, M, L, XL (default M).") var effort: String?
        @Option(help: "Epic id (EP-001).") var epic: String?
        @Option(name: .customLong("depends-on"), help: "A task this one depends on (repeatable).") var dependsOn: [String] = []
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
            let request = CreateBoardTaskRequest(
                title: self.title,
                assignedTo: self.assignee,
                details: try BoardArguments.details(self.details, file: self.detailsFile),
                status: try self.status.map(BoardArguments.status),
                priority: try self.priority.map(BoardArguments.priority),
                effort: try self.effort.map(BoardArguments.effort),
                githubUrl: self.github.url,
                githubNumber: self.github.number,
                githubTitle: self.github.title,
                epicId: self.epic,
                dependsOnTaskIds: self.dependsOn.isEmpty ? nil : self.dependsOn
            )
            let change = try await self.global.client.create(BoardTasks.self, workspace: self.scope.workspace, request)
            if self.global.json { return try Output.json(change) }
            BoardText.created(change.task.displayId, for: change.task.assignee, warnings: change.warnings, notified: change.notified)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change some fields of a task; the others stay as they are.",
            discussion: "--depends-on replaces the whole list; --no-dependencies clears it. --epic none unlinks the epic."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Task id (WA-001).") var id: String
        @Option(help: "New title.") var title: String?
        @Option(help: "New details.") var details: String?
        @Option(name: .customLong("details-file"), help: "Read the new details from this UTF-8 file.") var detailsFile: String?
        @Option(help: "New status.") var status: String?
        @Option(help: "New priority (P0…P3).") var priority: String?
        @Option(help: "New effort (XS…XL).") var effort: String?
        @Option(help: "Reassign to this agent (repo:name); none: unassign.") var assignee: String?
        @Option(help: "Move to this epic; none: no epic.") var epic: String?
        @Option(name: .customLong("depends-on"), help: "A task this one depends on (repeatable; replaces the list).") var dependsOn: [String] = []
        @Flag(name: .customLong("no-dependencies"), help: "Remove every dependency.") var noDependencies = false
        @OptionGroup var github: GitHubOptions
        @Flag(name: .customLong("clear-github"), help: "Remove the GitHub link, number and title.") var clearGitHub = false
        @Option(help: "The git branch the task is done on (e.g. wa/dev2); an empty string clears it.") var branch: String?

        func validate() throws {
            if self.noDependencies && !self.dependsOn.isEmpty { throw ValidationError("--depends-on and --no-dependencies cannot be combined") }
            try BoardArguments.checkClearGitHub(self.clearGitHub, self.github)
            try BoardArguments.checkDetails(self.details, file: self.detailsFile)
            // The file is read in run(); here it only counts as a change.
            _ = try self.request(details: self.details ?? self.detailsFile.map { _ in "" })
        }

        func request(details: String?) throws -> UpdateBoardTaskRequest {
            let github = self.github.edits(clear: self.clearGitHub)
            var request = UpdateBoardTaskRequest(
                title: self.title,
                details: details,
                status: try self.status.map(BoardArguments.status),
                priority: try self.priority.map(BoardArguments.priority),
                effort: try self.effort.map(BoardArguments.effort),
                assignedTo: self.assignee,
                epicId: self.epic.map { .some($0) },
                dependsOnTaskIds: self.noDependencies ? [] : (self.dependsOn.isEmpty ? nil : self.dependsOn),
                githubUrl: github.url,
                githubNumber: github.number,
                githubTitle: github.title
            )
            if let branch = self.branch { request.branch = .some(branch.isEmpty ? nil : branch) }
            guard request != UpdateBoardTaskRequest() else {
                throw ValidationError("nothing to change; pass at least one option such as --title, --status or --assignee")
            }
            return request
        }

        func run() async throws {
            let details = try BoardArguments.details(self.details, file: self.detailsFile)
            let change = try await self.global.client.update(
                BoardTasks.self,
                workspace: self.scope.workspace,
                self.id,
                try self.request(details: details)
            )
            if self.global.json { return try Output.json(change) }
            BoardText.updated(change.task.displayId, changedFields: change.changedFields, warnings: change.warnings, notified: change.notified)
        }
    }

    typealias Move = BoardMoveCommand<TaskCommandKind>

    typealias Comment = BoardCommentCommand<TaskCommandKind>
    typealias Archive = BoardArchiveCommand<TaskCommandKind>
    typealias Unarchive = BoardUnarchiveCommand<TaskCommandKind>
    typealias Search = BoardSearchCommand<TaskCommandKind>
}
