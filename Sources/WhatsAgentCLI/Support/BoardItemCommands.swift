import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// What differs between `task` and `epic` in the subcommands they share (show, comment, archive, unarchive, search):
/// the words of their help, the resource the client calls, and how a detail is shown.
protocol BoardCommandKind: Sendable {
    /// The daemon's collection of this kind.
    associatedtype Resource: BoardItemResource

    /// `task` or `epic`.
    static var noun: String { get }
    /// `a task` or `an epic`.
    static var withArticle: String { get }
    /// The help of the id argument (`Task id (WA-001).`).
    static var idHelp: String { get }
    /// The abstract of `archive`.
    static var archiveAbstract: String { get }
    /// The abstract of `show`.
    static var showAbstract: String { get }
    /// Prints a detail as text.
    static func show(_ detail: Resource.Detail)
    /// The display id and changed fields of an archive or unarchive change.
    static func summary(_ change: Resource.Change) -> (displayID: String, changedFields: [String])
}

/// `task` in the shared subcommands.
enum TaskCommandKind: BoardCommandKind {
    typealias Resource = BoardTasks
    static let noun = "task"
    static let withArticle = "a task"
    static let idHelp = "Task id (WA-001)."
    static let archiveAbstract = "Archive a task (nothing is deleted; unarchive brings it back)."
    static let showAbstract = "Show a task with its dependencies, comments and activity."
    static func show(_ detail: BoardTaskDetail) { BoardText.task(detail) }
    static func summary(_ change: BoardTaskChange) -> (displayID: String, changedFields: [String]) { (change.task.displayId, change.changedFields) }
}

/// `epic` in the shared subcommands.
enum EpicCommandKind: BoardCommandKind {
    typealias Resource = BoardEpics
    static let noun = "epic"
    static let withArticle = "an epic"
    static let idHelp = "Epic id (EP-001)."
    static let archiveAbstract = "Archive an epic (its tasks must be archived first)."
    static let showAbstract = "Show an epic with its tasks, comments and activity."
    static func show(_ detail: BoardEpicDetail) { BoardText.epic(detail) }
    static func summary(_ change: BoardEpicChange) -> (displayID: String, changedFields: [String]) { (change.epic.displayId, change.changedFields) }
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
