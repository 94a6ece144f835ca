/// The result of checking one call against the caller's grants.
public struct Decision: Sendable, Equatable {
    /// What the check concluded; the raw values are the audit kinds written for it.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Every grant was held.
        case pass = "grant_check_pass"
        /// A grant was missing in `soft` mode: the call goes ahead.
        case missSoft = "grant_miss_soft"
        /// A grant was missing in `enforce` mode: the call is refused.
        case missHard = "grant_miss_hard"
    }

    /// How close the caller came to the missing grant.
    public enum Match: String, Sendable {
        /// The caller holds the value, but only at a narrower scope than the call needs.
        case close = "has-close"
        /// The caller holds nothing of that value.
        case none = "has-none"
    }

    /// The workspace mode after the daemon ceiling.
    public var mode: RBACMode
    /// nil when nothing was checked (mode `off`, or an ungated tool): such calls are not audited.
    public var outcome: Outcome?
    /// The first required grant the caller lacks.
    public var missing: RequiredGrant?
    public var match: Match?

    public init(mode: RBACMode, outcome: Outcome?, missing: RequiredGrant? = nil, match: Match? = nil) {
        self.mode = mode
        self.outcome = outcome
        self.missing = missing
        self.match = match
    }

    /// Whether the call may go ahead.
    public var isAllowed: Bool { self.outcome != .missHard }

    /// Whether the call is written to the audit log.
    public var isAudited: Bool { self.outcome != nil }
}
