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
    /// For a passing board action: the scope of the grant that let it through when only a scoped grant did
    /// (`own_assignment`, `created_by_self`); nil when an any-scope grant did or nothing scoped was checked. The board
    /// applies its status rules (reference §13.2) to such narrow passes.
    public var matchedScope: GrantScope?

    public init(mode: RBACMode, outcome: Outcome?, missing: RequiredGrant? = nil, match: Match? = nil, matchedScope: GrantScope? = nil) {
        self.mode = mode
        self.outcome = outcome
        self.missing = missing
        self.match = match
        self.matchedScope = matchedScope
    }

    /// Whether the call may go ahead.
    public var isAllowed: Bool { self.outcome != .missHard }

    /// Whether the call is written to the audit log.
    public var isAudited: Bool { self.outcome != nil }
}

extension Decision {
    /// The scope through which `grants` meet the board-action check of `requirement`: nil when an any-scope grant
    /// meets it (or there is no such check), else the first scoped grant that does.
    static func matchedScope(_ requirement: Requirement, grants: [Grant]) -> GrantScope? {
        guard let check = requirement.checks.first(where: { $0.kind == .kanbanAction }) else { return nil }
        let satisfying = grants.filter(check.isSatisfied)
        guard !satisfying.contains(where: { $0.scope == nil }) else { return nil }
        return satisfying.compactMap(\.scope).first
    }
}
