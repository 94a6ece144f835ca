/// Board statuses on the wire (SPEC §9).
public enum BoardStatusValue: String, Codable, Sendable, CaseIterable, Comparable {
    case backlog = "Backlog"
    case queued = "Queued"
    case inProgress = "In Progress"
    case blocked = "Blocked"
    case review = "Review"
    case completed = "Completed"

    /// Board order, Backlog first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (Self.allCases.firstIndex(of: lhs) ?? 0) < (Self.allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// Priorities, `P0` most urgent.
public enum BoardPriorityValue: String, Codable, Sendable, CaseIterable, Comparable {
    case p0 = "P0"
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Efforts, `XS` to `XL`.
public enum BoardEffortValue: String, Codable, Sendable, CaseIterable {
    case xs = "XS"
    case s = "S"
    case m = "M"
    case l = "L"
    case xl = "XL"
}

/// Comment types; verdicts need the matching `comment_type` grant.
public enum BoardCommentTypeValue: String, Codable, Sendable, CaseIterable {
    case progress
    case note
    case blocker
    case verdictGo = "verdict_go"
    case verdictNoGo = "verdict_no_go"
    case verdictNeedsRevision = "verdict_needs_revision"
}

/// Whether an id, comment or activity entry belongs to a task or an epic.
public enum BoardItemKindValue: String, Codable, Sendable, CaseIterable {
    case task
    case epic
}

/// Where an epic is in the close-approval workflow (reference §13.3).
public enum BoardCloseApprovalStatusValue: String, Codable, Sendable, CaseIterable {
    /// Nothing requested (an epic with no open children is completed directly and stays `none`).
    case none
    /// Requested while children were open: waits for the human.
    case pending
    /// The human approved; the epic is Completed.
    case approved
}
