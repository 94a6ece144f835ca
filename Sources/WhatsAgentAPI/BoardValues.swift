/// Board statuses on the wire (SPEC §9).
public enum BoardStatusValue: String, Codable, Sendable, CaseIterable {
    case backlog = "Backlog"
    case queued = "Queued"
    case inProgress = "In Progress"
    case blocked = "Blocked"
    case review = "Review"
    case completed = "Completed"
}

/// Priorities, `P0` most urgent.
public enum BoardPriorityValue: String, Codable, Sendable, CaseIterable {
    case p0 = "P0"
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"
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

/// Where an epic is in the close-approval workflow.
public enum BoardCloseApprovalStatusValue: String, Codable, Sendable, CaseIterable {
    case none
    case pending
    case approved
}
