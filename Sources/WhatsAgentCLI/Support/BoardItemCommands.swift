import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// What differs between `task` and `epic` in the subcommands they share (comment, archive, unarchive, search): the
/// words of their help and the client calls.
protocol BoardCommandKind: Sendable {
    /// The change `archive` and `unarchive` return.
    associatedtype Change: Encodable & Sendable

    /// `task` or `epic`.
    static var noun: String { get }
    /// `a task` or `an epic`.
    static var withArticle: String { get }
    /// The help of the id argument (`Task id (WA-001).`).
    static var idHelp: String { get }
    /// The abstract of `archive`.
    static var archiveAbstract: String { get }
    /// The client calls of this kind.
    static var calls: BoardCommandCalls<Change> { get }
}

/// The client calls behind the shared subcommands, as unapplied `DaemonClient` methods.
struct BoardCommandCalls<Change> {
    typealias Call<Argument, Result> = (DaemonClient) -> (String?, Argument) async throws -> Result

    var comment: (DaemonClient) -> (String?, String, BoardCommentRequest) async throws -> BoardCommentChange
    var archive: Call<String, Change>
    var unarchive: Call<String, Change>
    var search: Call<BoardSearchQueryParameters, BoardSearchResponse>
    /// The display id and changed fields of an archive or unarchive change.
    var summary: (Change) -> (displayID: String, changedFields: [String])
}

/// `task` in the shared subcommands.
enum TaskCommandKind: BoardCommandKind {
    static let noun = "task"
    static let withArticle = "a task"
    static let idHelp = "Task id (WA-001)."
    static let archiveAbstract = "Archive a task (nothing is deleted; unarchive brings it back)."
    static var calls: BoardCommandCalls<BoardTaskChange> {
        BoardCommandCalls(
            comment: DaemonClient.commentTask,
            archive: DaemonClient.archiveTask,
            unarchive: DaemonClient.unarchiveTask,
            search: DaemonClient.searchTasks,
            summary: { ($0.task.displayId, $0.changedFields) }
        )
    }
}

/// `epic` in the shared subcommands.
enum EpicCommandKind: BoardCommandKind {
    static let noun = "epic"
    static let withArticle = "an epic"
    static let idHelp = "Epic id (EP-001)."
    static let archiveAbstract = "Archive an epic (its tasks must be archived first)."
    static var calls: BoardCommandCalls<BoardEpicChange> {
        BoardCommandCalls(
            comment: DaemonClient.commentEpic,
            archive: DaemonClient.archiveEpic,
            unarchive: DaemonClient.unarchiveEpic,
            search: DaemonClient.searchEpics,
            summary: { ($0.epic.displayId, $0.changedFields) }
        )
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
        let change = try await Kind.calls.comment(self.global.client)(self.scope.workspace, self.id, request)
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
        let change = try await Kind.calls.archive(self.global.client)(self.scope.workspace, self.id)
        if self.global.json { return try Output.json(change) }
        let (displayID, changed) = Kind.calls.summary(change)
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
        let change = try await Kind.calls.unarchive(self.global.client)(self.scope.workspace, self.id)
        if self.global.json { return try Output.json(change) }
        let (displayID, changed) = Kind.calls.summary(change)
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
        let results = try await Kind.calls.search(self.global.client)(self.scope.workspace, try self.options.parameters())
        if self.global.json { return try Output.json(results) }
        BoardText.search(results)
    }
}
