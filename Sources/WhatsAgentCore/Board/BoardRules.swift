import Foundation
import WhatsAgentAPI

/// Field validation and the status rules of the board, as pure functions.
enum BoardRules {
    /// A title: trimmed, 1…500 characters (Unicode scalars, as every limit of ``FreeText``), no NUL.
    static func title(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw DomainError.invalidArgument("title is empty; give the item a short title") }
        try FreeText.check(trimmed, field: "title", limit: BoardLimits.title, advice: "put the rest in details")
        return trimmed
    }

    static func details(_ text: String) throws -> String {
        try FreeText.check(text, field: "details", limit: BoardLimits.details, advice: "link a document instead")
        return text
    }

    static func commentBody(_ text: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalidArgument("the comment body is empty; write something to post")
        }
        try FreeText.checkBody(text, field: "body", limit: BoardLimits.commentBody, advice: "split it into several comments")
        return text
    }

    /// A GitHub URL: `http(s)://…`, at most 2,000 characters; empty clears.
    static func githubURL(_ text: String?) throws -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), !text.contains(where: \.isWhitespace) else {
            throw DomainError.invalidArgument("githubUrl must start with http:// or https:// (got '\(text.prefix(80))')")
        }
        try FreeText.check(text, field: "githubUrl", limit: BoardLimits.githubURL, advice: "shorten the link")
        return text
    }

    static func githubNumber(_ number: Int?) throws -> Int? {
        guard let number else { return nil }
        guard number >= 1 else { throw DomainError.invalidArgument("githubNumber must be a positive whole number (got \(number))") }
        return number
    }

    /// A GitHub title, at most 500 characters; empty clears.
    static func githubTitle(_ text: String?) throws -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        try FreeText.check(text, field: "githubTitle", limit: BoardLimits.githubTitle, advice: "shorten it")
        return text
    }

    static func github(_ link: GitHubLink) throws -> GitHubLink {
        GitHubLink(url: try self.githubURL(link.url), number: try self.githubNumber(link.number), title: try self.githubTitle(link.title))
    }

    /// The status rule for an agent that passed only through a scoped grant in `enforce` mode (reference §13.2):
    /// from Queued, In Progress, Blocked or Review to In Progress, Blocked or Review (epics: also Completed, which
    /// becomes a close request).
    /// - Throws: `rbac_denied` naming the rule, the move, and who to ask.
    static func checkScopedMove(kind: BoardItemKind, displayID: String, from: BoardStatus, to: BoardStatus, actor: String, tool: String) throws {
        var targets = BoardStatus.ownMoveTargets
        if kind == .epic { targets.insert(.completed) }
        guard !BoardStatus.activeStatuses.contains(from) || !targets.contains(to) else { return }
        let order = BoardStatus.allCases
        let fromList = order.filter(BoardStatus.activeStatuses.contains).map(\.rawValue)
        let toList = order.filter(targets.contains).map(\.rawValue)
        throw DomainError(
            .rbacDenied,
            "\(tool) refused: \(actor) holds the status grant only for its own \(kind.rawValue)s, which allows moves from "
                + "\(Self.list(fromList)) to \(Self.list(toList)); \(displayID) is \(from.rawValue), so \(from.rawValue) → \(to.rawValue) "
                + "needs an any-scope grant — ask an agent with the pm role (or the human) to move it"
        )
    }

    /// `a, b or c`.
    static func list(_ items: [String], conjunction: String = "or") -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }

    /// The event a task status change notifies (none for Backlog and In Progress, reference §13.4).
    static func taskStatusEvent(_ status: BoardStatus) -> String? {
        switch status {
        case .queued: "status_queued"
        case .blocked: "status_blocked"
        case .review: "status_review"
        case .completed: "status_completed"
        case .backlog, .inProgress: nil
        }
    }

    static func epicStatusEvent(_ status: BoardStatus) -> String {
        "epic_status_" + status.rawValue.lowercased().replacingOccurrences(of: " ", with: "_")
    }
}
