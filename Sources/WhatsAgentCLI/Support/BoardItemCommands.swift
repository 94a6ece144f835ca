import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `task list` and `epic list`.
struct BoardListCommand<Kind: BoardCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List \(Kind.noun)s in sequence order (archived ones only with --archived).")
    }
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @OptionGroup var filters: BoardListOptions
    @OptionGroup var options: Kind.ListOptions

    func run() async throws {
        let query = try self.filters.query(epic: Kind.epic(self.options))
        let list = try await self.global.client.items(Kind.Resource.self, workspace: self.scope.workspace, query)
        if self.global.json { return try Output.json(list) }
        Kind.list(list)
    }
}

/// `task show` and `epic show`.
struct BoardShowCommand<Kind: BoardCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: Kind.showAbstract)
    }
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @Argument(help: ArgumentHelp(Kind.idHelp)) var id: String

    func run() async throws {
        let detail = try await self.global.client.item(Kind.Resource.self, workspace: self.scope.workspace, self.id)
        if self.global.json { return try Output.json(detail) }
        Kind.show(detail)
    }
}

/// `task move` and `epic move`.
struct BoardMoveCommand<Kind: BoardCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "move", abstract: Kind.moveAbstract)
    }
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @Argument(help: ArgumentHelp(Kind.idHelp)) var id: String
    @Argument(help: "Backlog, Queued, in-progress, Blocked, Review or Completed.") var status: String

    func validate() throws {
        _ = try BoardArguments.status(self.status)
    }

    func run() async throws {
        let change = try await self.global.client.move(
            Kind.Resource.self,
            workspace: self.scope.workspace,
            self.id,
            to: try BoardArguments.status(self.status)
        )
        if self.global.json { return try Output.json(change) }
        Kind.moved(change)
    }
}

/// `task comment` and `epic comment`.
struct BoardCommentCommand<Kind: BoardCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "comment", abstract: "Comment on \(Kind.withArticle) as human-web.")
    }
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @Argument(help: ArgumentHelp(Kind.idHelp)) var id: String
    @Argument(help: "Comment text (up to 16,000 characters).") var body: String
    @Option(help: "progress, note, blocker, verdict_go, verdict_no_go or verdict_needs_revision.") var type = "note"

    func validate() throws {
        _ = try BoardArguments.commentType(self.type)
    }

    func run() async throws {
        let request = BoardCommentRequest(type: try BoardArguments.commentType(self.type), body: self.body)
        let change = try await self.global.client.comment(Kind.Resource.self, workspace: self.scope.workspace, self.id, request)
        if self.global.json { return try Output.json(change) }
        print("commented on \(change.comment.itemId) (\(change.comment.type.rawValue))\(BoardText.notified(change.notified))")
    }
}

/// `task archive` and `epic archive`.
struct BoardArchiveCommand<Kind: BoardCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "archive", abstract: Kind.archiveAbstract)
    }
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @Argument(help: ArgumentHelp(Kind.idHelp)) var id: String

    func run() async throws {
        let change = try await self.global.client.archive(Kind.Resource.self, workspace: self.scope.workspace, self.id)
        if self.global.json { return try Output.json(change) }
        let (displayID, changed) = Kind.summary(change)
        print(changed.isEmpty ? "\(displayID) was already archived" : "archived \(displayID)")
    }
}

/// `task unarchive` and `epic unarchive`.
struct BoardUnarchiveCommand<Kind: BoardCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "unarchive", abstract: "Bring an archived \(Kind.noun) back.")
    }
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @Argument(help: ArgumentHelp(Kind.idHelp)) var id: String

    func run() async throws {
        let change = try await self.global.client.unarchive(Kind.Resource.self, workspace: self.scope.workspace, self.id)
        if self.global.json { return try Output.json(change) }
        let (displayID, changed) = Kind.summary(change)
        print(changed.isEmpty ? "\(displayID) was not archived" : "unarchived \(displayID)")
    }
}

/// `task search` and `epic search`.
struct BoardSearchCommand<Kind: BoardCommandKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "search",
            abstract: "Full-text search in \(Kind.noun)s: ids, titles, details and comments, best first.",
            discussion: "QUERY is matched as one phrase whose last word may be a prefix; case and accents are ignored."
        )
    }
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: WorkspaceOption
    @OptionGroup var options: BoardSearchOptions

    func run() async throws {
        let results = try await self.global.client.search(Kind.Resource.self, workspace: self.scope.workspace, try self.options.parameters())
        if self.global.json { return try Output.json(results) }
        BoardText.search(results)
    }
}

extension BoardListCommand where Kind == TaskCommandKind {
    /// `task list --epic`: only tasks of this epic; `none`: tasks without an epic.
    var epic: String? { self.options.epic }
}
