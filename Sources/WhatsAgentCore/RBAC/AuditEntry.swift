import Foundation

/// One row of a workspace's audit log: an RBAC decision, or another security-relevant event.
public struct AuditEntry: Sendable, Equatable {
    /// Assigned on append; 0 before.
    public var id: Int64
    public var at: Date
    /// `grant_check_pass`, `grant_miss_soft`, `grant_miss_hard` (see `Decision.Outcome`), or another event kind.
    public var kind: String
    /// `repo:agent` at the time of the event, kept readable after the agent is removed.
    public var actorAddress: String
    public var actorAgentID: AgentID?
    public var tool: String?
    /// The grant that was checked or missing, `kind:value[@scope]`.
    public var expectedGrant: String?
    /// `allowed` or `denied` for decisions.
    public var outcome: String
    /// Extra structured detail (JSON object), e.g. the caller's roles and how close it came.
    public var detailJSON: String?

    public init(
        id: Int64 = 0,
        at: Date,
        kind: String,
        actorAddress: String,
        actorAgentID: AgentID? = nil,
        tool: String? = nil,
        expectedGrant: String? = nil,
        outcome: String,
        detailJSON: String? = nil
    ) {
        self.id = id
        self.at = at
        self.kind = kind
        self.actorAddress = actorAddress
        self.actorAgentID = actorAgentID
        self.tool = tool
        self.expectedGrant = expectedGrant
        self.outcome = outcome
        self.detailJSON = detailJSON
    }

    /// The outcome of a call that went ahead.
    public static let allowed = "allowed"
    /// The outcome of a refused call.
    public static let denied = "denied"
}

/// Which audit entries to list or count; newest first.
public struct AuditFilter: Sendable, Equatable {
    public var kind: String?
    /// `repo:agent`, compared case-insensitively.
    public var actor: String?
    /// Entries at or after this time.
    public var since: Date?
    /// Most entries listed (1...``maxLimit``; the API allows 500 a page); counting ignores it.
    public var limit: Int

    /// Largest page: listings allow 500 (the API checks), the CSV export takes up to 10,000 rows at once.
    public static let maxLimit = 10_000
    public static let defaultLimit = 50

    public init(kind: String? = nil, actor: String? = nil, since: Date? = nil, limit: Int = AuditFilter.defaultLimit) {
        self.kind = kind
        self.actor = actor
        self.since = since
        self.limit = limit
    }

    /// - Throws: `invalid_argument` when the limit is outside 1...``maxLimit``.
    package func validated() throws -> AuditFilter {
        guard (1...Self.maxLimit).contains(self.limit) else {
            throw DomainError.invalidArgument("audit limit must be from 1 to \(Self.maxLimit) (got \(self.limit))")
        }
        return self
    }
}
