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

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List epics in sequence order (archived ones only with --archived).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @OptionGroup var filters: BoardListOptions

        func run() async throws {
            let list = try await self.global.client.epics(workspace: self.scope.workspace, try self.filters.query())
            if self.global.json { return try Output.json(list) }
            BoardText.epics(list.epics)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an epic with its tasks, comments and activity.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String

        func run() async throws {
            let detail = try await self.global.client.epic(workspace: self.scope.workspace, self.id)
            if self.global.json { return try Output.json(detail) }
            BoardText.epic(detail)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an epic (defaults: Backlog, P2, M).")
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
            if self.details != nil && self.detailsFile != nil { throw ValidationError("pass --details or --details-file, not both") }
            _ = try self.status.map(BoardArguments.status)
            _ = try self.priority.map(BoardArguments.priority)
            _ = try self.effort.map(BoardArguments.effort)
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
            let change = try await self.global.client.createEpic(workspace: self.scope.workspace, request)
            if self.global.json { return try Output.json(change) }
            BoardText.warnings(change.warnings)
            print("created \(change.epic.displayId) for \(change.epic.assignee)\(BoardText.notified(change.notified))")
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change some fields of an epic; the others stay as they are.")
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
            if self.clearGitHub && !self.github.isEmpty { throw ValidationError("--clear-github cannot be combined with --github-url/number/title") }
            if self.details != nil && self.detailsFile != nil { throw ValidationError("pass --details or --details-file, not both") }
            // The file is read in run(); here it only counts as a change.
            _ = try self.request(details: self.details ?? self.detailsFile.map { _ in "" })
        }

        func request(details: String?) throws -> UpdateBoardEpicRequest {
            var request = UpdateBoardEpicRequest(
                title: self.title,
                details: details,
                status: try self.status.map(BoardArguments.status),
                priority: try self.priority.map(BoardArguments.priority),
                effort: try self.effort.map(BoardArguments.effort),
                assignedTo: self.assignee,
                githubUrl: self.github.url.map { .some($0) },
                githubNumber: self.github.number.map { .some($0) },
                githubTitle: self.github.title.map { .some($0) }
            )
            if self.clearGitHub {
                request.githubUrl = .some(nil)
                request.githubNumber = .some(nil)
                request.githubTitle = .some(nil)
            }
            guard request != UpdateBoardEpicRequest() else {
                throw ValidationError("nothing to change; pass at least one option such as --title, --status or --assignee")
            }
            return request
        }

        func run() async throws {
            let details = try BoardArguments.details(self.details, file: self.detailsFile)
            let change = try await self.global.client.updateEpic(workspace: self.scope.workspace, self.id, try self.request(details: details))
            if self.global.json { return try Output.json(change) }
            BoardText.warnings(change.warnings)
            if change.changedFields.isEmpty { return print("\(change.epic.displayId) already had those values") }
            print("updated \(change.epic.displayId): \(change.changedFields.joined(separator: ", "))\(BoardText.notified(change.notified))")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an epic to another status; Completed asks to close it (pending approval while tasks are open)."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String
        @Argument(help: "Backlog, Queued, in-progress, Blocked, Review or Completed.") var status: String

        func validate() throws {
            _ = try BoardArguments.status(self.status)
        }

        func run() async throws {
            let change = try await self.global.client.moveEpic(workspace: self.scope.workspace, self.id, to: try BoardArguments.status(self.status))
            if self.global.json { return try Output.json(change) }
            BoardText.warnings(change.warnings)
            if let outcome = change.closeApproval { return print(BoardText.close(change.epic, outcome) + BoardText.notified(change.notified)) }
            if change.changedFields.isEmpty { return print("\(change.epic.displayId) is already \(change.epic.status.rawValue)") }
            print("moved \(change.epic.displayId) to \(change.epic.status.rawValue)\(BoardText.notified(change.notified))")
        }
    }

    struct Comment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Comment on an epic as human-web.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String
        @Argument(help: "Comment text (up to 16,000 characters).") var body: String
        @Option(help: "progress, note, blocker, verdict_go, verdict_no_go or verdict_needs_revision.") var type = "note"

        func validate() throws {
            _ = try BoardArguments.commentType(self.type)
        }

        func run() async throws {
            let request = BoardCommentRequest(type: try BoardArguments.commentType(self.type), body: self.body)
            let change = try await self.global.client.commentEpic(workspace: self.scope.workspace, self.id, request)
            if self.global.json { return try Output.json(change) }
            print("commented on \(change.comment.itemId) (\(change.comment.type.rawValue))\(BoardText.notified(change.notified))")
        }
    }

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

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive an epic (its tasks must be archived first).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String

        func run() async throws {
            let change = try await self.global.client.archiveEpic(workspace: self.scope.workspace, self.id)
            if self.global.json { return try Output.json(change) }
            print(change.changedFields.isEmpty ? "\(change.epic.displayId) was already archived" : "archived \(change.epic.displayId)")
        }
    }

    struct Unarchive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring an archived epic back.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "Epic id (EP-001).") var id: String

        func run() async throws {
            let change = try await self.global.client.unarchiveEpic(workspace: self.scope.workspace, self.id)
            if self.global.json { return try Output.json(change) }
            print(change.changedFields.isEmpty ? "\(change.epic.displayId) was not archived" : "unarchived \(change.epic.displayId)")
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Full-text search in epics: ids, titles, details and comments, best first.",
            discussion: "QUERY is matched as one phrase whose last word may be a prefix; case and accents are ignored."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @OptionGroup var options: BoardSearchOptions

        func run() async throws {
            let results = try await self.global.client.searchEpics(workspace: self.scope.workspace, try self.options.parameters())
            if self.global.json { return try Output.json(results) }
            BoardText.search(results)
        }
    }
}
