import Foundation

/// The column of a board item (SPEC §9). The raw values are the wire and storage spellings.
public enum BoardStatus: String, Sendable, CaseIterable, Codable, Comparable {
    case backlog = "Backlog"
    case queued = "Queued"
    case inProgress = "In Progress"
    case blocked = "Blocked"
    case review = "Review"
    case completed = "Completed"

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

    /// Board order, Backlog first.
    public static func < (lhs: BoardStatus, rhs: BoardStatus) -> Bool {
        (Self.allCases.firstIndex(of: lhs) ?? 0) < (Self.allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The statuses an agent may move its own item from, and (for tasks) to, under a scoped grant (reference §13.2).
    public static let activeStatuses: Set<BoardStatus> = [.queued, .inProgress, .blocked, .review]
    /// Where an agent may move its own task under a scoped grant.
    public static let ownMoveTargets: Set<BoardStatus> = [.inProgress, .blocked, .review]

    private static func key(_ text: String) -> String {
        text.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" }
    }
}

/// Priority, `P0` (most urgent) to `P3`.
public enum BoardPriority: String, Sendable, CaseIterable, Codable, Comparable {
    case p0 = "P0"
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"

    /// Parses `P0`…`P3` in any case.
    /// - Throws: `invalid_argument` naming the priorities.
    public init(parsing text: String) throws {
        guard let value = Self(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) else {
            throw DomainError.invalidArgument("unknown priority '\(text)'; the priorities are P0, P1, P2, P3 (P0 is the most urgent)")
        }
        self = value
    }

    public static func < (lhs: BoardPriority, rhs: BoardPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Effort, `XS` to `XL`.
public enum BoardEffort: String, Sendable, CaseIterable, Codable {
    case xs = "XS"
    case s = "S"
    case m = "M"
    case l = "L"
    case xl = "XL"

    /// Parses `XS`…`XL` in any case.
    /// - Throws: `invalid_argument` naming the efforts.
    public init(parsing text: String) throws {
        guard let value = Self(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) else {
            throw DomainError.invalidArgument("unknown effort '\(text)'; the efforts are XS, S, M, L, XL")
        }
        self = value
    }
}

/// Tasks and epics share most of their shape; this says which one an id, comment or activity entry belongs to.
public enum BoardItemKind: String, Sendable, CaseIterable, Codable {
    case task
    case epic
}

/// Where an epic is in the close-approval workflow (reference §13.3).
public enum CloseApprovalStatus: String, Sendable, CaseIterable, Codable {
    /// Nothing requested (an epic with no open children is completed directly and stays `none`).
    case none
    /// Requested while children were open: waits for the human.
    case pending
    /// The human approved; the epic is Completed.
    case approved
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
