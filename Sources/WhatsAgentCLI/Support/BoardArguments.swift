import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentCore

/// Reading board values from the command line, leniently (`in-progress`, `in_progress`, `"In Progress"`, `p1`, `xl`,
/// `verdict-go`). A value that names nothing is a usage error (exit 2) that lists the valid ones.
enum BoardArguments {
    static func status(_ text: String) throws -> BoardStatusValue {
        try self.parse { try BoardStatus(parsing: text) }
    }

    static func priority(_ text: String) throws -> BoardPriorityValue {
        try self.parse { try BoardPriority(parsing: text) }
    }

    static func effort(_ text: String) throws -> BoardEffortValue {
        try self.parse { try BoardEffort(parsing: text) }
    }

    static func commentType(_ text: String) throws -> BoardCommentTypeValue {
        try self.parse { try CommentType(parsing: text) }
    }

    /// `--details` or the contents of `--details-file` (at most one of them); nil when neither was given.
    /// Checks the shared fields of `task create` and `epic create`.
    static func checkCreate(details: String?, detailsFile: String?, status: String?, priority: String?, effort: String?) throws {
        try self.checkDetails(details, file: detailsFile)
        _ = try status.map(self.status)
        _ = try priority.map(self.priority)
        _ = try effort.map(self.effort)
    }

    /// Refuses `--clear-github` with GitHub values (`task edit`, `epic edit`).
    static func checkClearGitHub(_ clear: Bool, _ github: GitHubOptions) throws {
        if clear && !github.isEmpty { throw ValidationError("--clear-github cannot be combined with --github-url/number/title") }
    }

    /// Refuses `--details` with `--details-file`.
    static func checkDetails(_ text: String?, file: String?) throws {
        if text != nil && file != nil { throw ValidationError("pass --details or --details-file, not both") }
    }

    static func details(_ text: String?, file: String?) throws -> String? {
        if text != nil && file != nil { throw ValidationError("pass --details or --details-file, not both") }
        guard let file else { return text }
        do {
            return try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw CLIFailure(code: "invalid_argument", message: "cannot read \(file) as UTF-8 text: \(error.localizedDescription)", exit: .failed)
        }
    }

    private static func parse<Value>(_ body: () throws -> Value?) throws -> Value {
        do {
            guard let value = try body() else { throw ValidationError("unsupported value") }
            return value
        } catch let error as DomainError {
            throw ValidationError(error.message)
        }
    }
}

/// `--github-url`, `--github-number`, `--github-title`.
struct GitHubOptions: ParsableArguments {
    @Option(name: .customLong("github-url"), help: "Link to a GitHub issue or pull request.") var url: String?
    @Option(name: .customLong("github-number"), help: "Its number.") var number: Int?
    @Option(name: .customLong("github-title"), help: "Its title.") var title: String?

    var isEmpty: Bool { self.url == nil && self.number == nil && self.title == nil }

    /// The GitHub fields of an edit: the given ones, or all cleared with `--clear-github` (nil: unchanged).
    func edits(clear: Bool) -> (url: String??, number: Int??, title: String??) {
        if clear { return (.some(nil), .some(nil), .some(nil)) }
        return (self.url.map { .some($0) }, self.number.map { .some($0) }, self.title.map { .some($0) })
    }
}

/// The filters of `task list` and `epic list`.
struct BoardListOptions: ParsableArguments {
    @Option(help: "Only this status (Backlog, Queued, in-progress, Blocked, Review, Completed).") var status: String?
    @Option(help: "Only items assigned to this agent (repo:name); none: unassigned tasks.") var assignee: String?
    @Option(name: .customLong("created-by"), help: "Only items created by this agent, or human-web.") var createdBy: String?
    @Option(help: "Only this priority (P0…P3).") var priority: String?
    @Flag(help: "Include archived items.") var archived = false
    @Option(help: "Most items (1–1000).") var limit: Int?

    func validate() throws {
        _ = try self.query()
    }

    func query(epic: String? = nil) throws -> BoardListQuery {
        BoardListQuery(
            status: try self.status.map(BoardArguments.status),
            assignedTo: self.assignee,
            createdBy: self.createdBy,
            priority: try self.priority.map(BoardArguments.priority),
            epicId: epic,
            includeArchived: self.archived ? true : nil,
            limit: self.limit
        )
    }
}

/// The options of `task search` and `epic search`.
struct BoardSearchOptions: ParsableArguments {
    @Argument(help: "Words to find in ids, titles, details and comments (2–200 characters).") var query: String
    @Option(help: "Only this status.") var status: String?
    @Option(help: "Only items assigned to this agent (repo:name); none: unassigned tasks.") var assignee: String?
    @Flag(help: "Include archived items.") var archived = false
    @Option(help: "Most results (1–100).") var limit = 20

    func validate() throws {
        _ = try self.parameters()
    }

    func parameters() throws -> BoardSearchQueryParameters {
        BoardSearchQueryParameters(
            query: self.query,
            status: try self.status.map(BoardArguments.status),
            assignedTo: self.assignee,
            includeArchived: self.archived ? true : nil,
            limit: self.limit
        )
    }
}
