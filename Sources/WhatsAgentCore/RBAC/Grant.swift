import Foundation
import WhatsAgentAPI

/// One permission held by a role: a kind, a value of that kind, and for board actions an optional scope.
///
/// Written `kind:value[@scope]` (`kanban_action:update_task_status@own_assignment`) in errors and the audit log.
public struct Grant: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var kind: GrantKind
    public var value: String
    /// nil: any scope (and the only choice for kinds other than board actions).
    public var scope: GrantScope?

    /// A grant as given; see `validated()` for input from people.
    public init(_ kind: GrantKind, _ value: String, scope: GrantScope? = nil) {
        self.kind = kind
        self.value = value
        self.scope = scope
    }

    public static func family(_ family: ToolFamily) -> Grant { Grant(.toolFamily, family.rawValue) }
    public static func kanban(_ action: KanbanAction, scope: GrantScope? = nil) -> Grant {
        Grant(.kanbanAction, action.rawValue, scope: scope)
    }
    public static func comment(_ type: CommentType) -> Grant { Grant(.commentType, type.rawValue) }
    public static func channel(_ action: ChannelAction) -> Grant { Grant(.channelAction, action.rawValue) }
    public static func audit(_ grant: AuditGrant) -> Grant { Grant(.audit, grant.rawValue) }
    public static func meta(_ grant: MetaGrant) -> Grant { Grant(.meta, grant.rawValue) }

    public var description: String {
        "\(self.kind.rawValue):\(self.value)" + (self.scope.map { "@\($0.rawValue)" } ?? "")
    }

    /// Parses a grant typed by a person (CLI, web): kind, value and optional scope (`any` or empty means any-scope).
    /// Case-insensitive; short channel actions (`post`, `reply`, `read`, `search`, `broadcast`) are accepted.
    /// - Throws: `invalid_argument` naming the allowed kinds, values or scopes.
    public static func parse(kind rawKind: String, value rawValue: String, scope rawScope: String? = nil) throws -> Grant {
        let kindText = rawKind.trimmingCharacters(in: .whitespaces).lowercased()
        guard let kind = GrantKind(rawValue: kindText) else {
            throw DomainError.invalidArgument(
                "unknown grant kind '\(rawKind)'; the kinds are \(GrantKind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        var value = rawValue.trimmingCharacters(in: .whitespaces).lowercased()
        if kind == .channelAction, let alias = ChannelAction.aliases[value] {
            value = alias.rawValue
        }
        var scope: GrantScope?
        let scopeText = rawScope?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if !scopeText.isEmpty && scopeText != GrantScope.anyKeyword {
            guard let parsed = GrantScope(rawValue: scopeText) else {
                throw DomainError.invalidArgument(
                    "unknown scope '\(rawScope ?? "")'; the scopes are any, \(GrantScope.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            scope = parsed
        }
        return try Grant(kind, value, scope: scope).validated()
    }

    /// Checks the value against its kind and that only board actions carry a scope.
    /// - Throws: `invalid_argument` naming what is allowed.
    public func validated() throws -> Grant {
        guard self.kind.values.contains(self.value) else {
            throw DomainError.invalidArgument(
                "'\(self.value)' is not a \(self.kind.rawValue) grant; the values are \(self.kind.values.joined(separator: ", "))"
            )
        }
        if self.scope != nil && !self.kind.isScoped {
            throw DomainError.invalidArgument(
                "\(self.kind.rawValue) grants take no scope; only \(GrantKind.kanbanAction.rawValue) grants are scoped"
            )
        }
        if let scope = self.scope, let action = KanbanAction(rawValue: self.value), !action.hasDynamicScope {
            throw DomainError.invalidArgument(
                "\(action.rawValue) has no target row to scope to, so it cannot be granted @\(scope.rawValue); grant it without --scope"
            )
        }
        return self
    }

    /// Display order: by kind, then by the kind's value order, then any-scope before narrow scopes.
    public static func < (lhs: Grant, rhs: Grant) -> Bool {
        Self.precedes((lhs.sortKey, lhs), (rhs.sortKey, rhs))
    }

    /// Sorts in display order computing each grant's key once (the comparison above computes two keys per call,
    /// and every RBAC check sorts the caller's grants).
    static func sortedForDisplay(_ grants: some Sequence<Grant>) -> [Grant] {
        grants.map { ($0.sortKey, $0) }.sorted(by: Self.precedes).map(\.1)
    }

    private static func precedes(_ lhs: (key: SortKey, grant: Grant), _ rhs: (key: SortKey, grant: Grant)) -> Bool {
        lhs.key == rhs.key ? lhs.grant.value < rhs.grant.value : lhs.key < rhs.key
    }

    private typealias SortKey = (kind: Int, value: Int, scope: Int)

    private var sortKey: SortKey {
        (
            GrantKind.allCases.firstIndex(of: self.kind) ?? 0,
            self.kind.values.firstIndex(of: self.value) ?? Int.max,
            self.scope.flatMap { GrantScope.allCases.firstIndex(of: $0).map { $0 + 1 } } ?? 0
        )
    }
}
