/// An agent's roles and the union of their grants (what `whoami` reports and RBAC checks against).
public struct EffectiveGrants: Sendable, Equatable {
    /// The agent's role names as assigned, including names no role definition exists for.
    public var roles: [String]
    /// Sorted, without duplicates.
    public var grants: [Grant]

    public init(roles: [String], grants: [Grant]) {
        self.roles = roles
        self.grants = Grant.sortedForDisplay(Set(grants))
    }
}
