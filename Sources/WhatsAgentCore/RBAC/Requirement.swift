/// One grant a call needs, and which scopes of a held grant satisfy it.
public struct RequiredGrant: Sendable, Equatable, CustomStringConvertible {
    /// Which held scopes satisfy a required grant. An any-scope (unscoped) grant always does.
    public enum ScopeRule: Sendable, Equatable {
        /// Only an any-scope grant: unscoped kinds, and board actions on rows the caller neither holds nor created.
        case anyScopeOnly
        /// An any-scope grant, or one with one of these scopes (from the caller's relation to the row), in the order
        /// they are reported.
        case anyScopeOr([GrantScope])
        /// Any grant of the value, whatever its scope: the target row was not found.
        case ignoresScope
    }

    public var kind: GrantKind
    public var value: String
    public var scopeRule: ScopeRule

    public init(_ kind: GrantKind, _ value: String, scopeRule: ScopeRule = .anyScopeOnly) {
        self.kind = kind
        self.value = value
        self.scopeRule = scopeRule
    }

    /// Whether holding `grant` meets this requirement.
    public func isSatisfied(by grant: Grant) -> Bool {
        guard grant.kind == self.kind, grant.value == self.value else { return false }
        guard let scope = grant.scope else { return true }
        switch self.scopeRule {
        case .anyScopeOnly: return false
        case .anyScopeOr(let scopes): return scopes.contains(scope)
        case .ignoresScope: return true
        }
    }

    /// Whether `grant` is the same kind and value held at a scope too narrow for this call (a "has-close" miss).
    public func isNearMiss(_ grant: Grant) -> Bool {
        grant.kind == self.kind && grant.value == self.value && !self.isSatisfied(by: grant)
    }

    /// `kind:value[@scope]`, naming the narrowest scope that would do.
    public var description: String {
        var text = "\(self.kind.rawValue):\(self.value)"
        if case .anyScopeOr(let scopes) = self.scopeRule, let first = scopes.first {
            text += "@\(first.rawValue)"
        }
        return text
    }

    /// The `whatsagent role grant` arguments after the role name that would add this grant.
    public var grantCommandArguments: String {
        var text = "\(self.kind.rawValue) \(self.value)"
        if case .anyScopeOr(let scopes) = self.scopeRule, let first = scopes.first {
            text += " --scope \(first.rawValue)"
        }
        return text
    }
}

/// What one tool call needs: its family, then any action and comment-type grants, checked in order (the first
/// miss is reported). No checks means the tool is ungated (`whoami`, `check_messages`).
public struct Requirement: Sendable, Equatable {
    public var tool: String
    public var checks: [RequiredGrant]

    public init(tool: String, checks: [RequiredGrant]) {
        self.tool = tool
        self.checks = checks
    }

    /// The tool family needed to see and call the tool; nil for ungated tools.
    public var family: ToolFamily? {
        self.checks.first { $0.kind == .toolFamily }.flatMap { ToolFamily(rawValue: $0.value) }
    }

    public var isGated: Bool { !self.checks.isEmpty }
}
