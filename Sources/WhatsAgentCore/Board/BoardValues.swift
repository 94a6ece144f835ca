import Foundation
import WhatsAgentAPI

// The board's values are declared once, in WhatsAgentAPI (their raw values are the wire and storage spellings); the
// core names them and adds what the board's rules need: parsing what people type, and the moves of reference §13.2.

/// The column of a board item (SPEC §9).
public typealias BoardStatus = BoardStatusValue
/// Priority, `P0` (most urgent) to `P3`.
public typealias BoardPriority = BoardPriorityValue
/// Effort, `XS` to `XL`.
public typealias BoardEffort = BoardEffortValue
/// Tasks and epics share most of their shape; this says which one an id, comment or activity entry belongs to.
public typealias BoardItemKind = BoardItemKindValue
/// Where an epic is in the close-approval workflow (reference §13.3).
public typealias CloseApprovalStatus = BoardCloseApprovalStatusValue
/// Types of board comments; posting one needs the matching `comment_type` grant.
public typealias CommentType = BoardCommentTypeValue

extension BoardStatus {
    /// Parses a status ignoring case, spaces, `_` and `-` (`in_progress`, `In Progress`, `inprogress`).
    /// - Throws: `invalid_argument` naming the statuses.
    public init(parsing text: String) throws {
        let key = Self.key(text)
        guard let status = Self.allCases.first(where: { Self.key($0.rawValue) == key }) else {
            throw DomainError.invalidArgument(
                "unknown status '\(text)'; the statuses are \(Self.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = status
    }

    /// The statuses an agent may move its own item from, and (for tasks) to, under a scoped grant (reference §13.2).
    public static let activeStatuses: Set<BoardStatus> = [.queued, .inProgress, .blocked, .review]
    /// Where an agent may move its own task under a scoped grant.
    public static let ownMoveTargets: Set<BoardStatus> = [.inProgress, .blocked, .review]

    private static func key(_ text: String) -> String {
        text.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" }
    }
}

extension BoardPriority {
    /// Parses `P0`…`P3` in any case.
    /// - Throws: `invalid_argument` naming the priorities.
    public init(parsing text: String) throws {
        guard let value = Self(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) else {
            throw DomainError.invalidArgument("unknown priority '\(text)'; the priorities are P0, P1, P2, P3 (P0 is the most urgent)")
        }
        self = value
    }
}

extension BoardEffort {
    /// Parses `XS`…`XL` in any case.
    /// - Throws: `invalid_argument` naming the efforts.
    public init(parsing text: String) throws {
        guard let value = Self(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) else {
            throw DomainError.invalidArgument("unknown effort '\(text)'; the efforts are XS, S, M, L, XL")
        }
        self = value
    }
}

extension CommentType {
    /// Parses a comment type in any case (`verdict_go`, `VERDICT-GO`).
    /// - Throws: `invalid_argument` naming the types.
    public init(parsing text: String) throws {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        guard let value = CommentType(rawValue: key) else {
            throw DomainError.invalidArgument(
                "unknown comment type '\(text)'; the types are \(CommentType.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = value
    }
}

/// Field limits and defaults (SPEC §9, reference §13.1).
public enum BoardLimits {
    public static let title = 500
    public static let details = 16_000
    public static let commentBody = 16_000
    public static let githubURL = 2_000
    public static let githubTitle = 500
    /// Most rows a listing returns.
    public static let listLimit = 1_000
    /// Rows a listing returns when no limit is given.
    public static let defaultListLimit = 200
    /// Search: query length and result limits.
    public static let queryLength = 2...200
    public static let searchLimit = 1...100
    public static let defaultSearchLimit = 20
}
