/// What the caller of a tool knows about the call that RBAC needs: the caller's relation to the target row (for
/// scoped board actions) and the comment type (for comments). Messaging and channel tools need none.
public struct AuthorizationFacts: Sendable, Equatable {
    /// The caller's relation to the row a board action targets.
    public enum Target: Sendable, Equatable {
        /// No row was looked up: scoped actions then need an any-scope grant.
        case unspecified
        /// The row does not exist: the check ignores scope, and the handler reports the row as not found.
        case notFound
        /// The row exists; the caller is or is not its assignee and its creator.
        case found(isAssignee: Bool, isCreator: Bool)
    }

    public var target: Target
    /// The type of the comment being posted; nil is treated as `note`.
    public var commentType: CommentType?

    public init(target: Target = .unspecified, commentType: CommentType? = nil) {
        self.target = target
        self.commentType = commentType
    }

    /// No facts: right for every messaging and channel tool.
    public static let none = AuthorizationFacts()

    /// Facts for an action on an existing row.
    public static func row(isAssignee: Bool, isCreator: Bool, commentType: CommentType? = nil) -> AuthorizationFacts {
        AuthorizationFacts(target: .found(isAssignee: isAssignee, isCreator: isCreator), commentType: commentType)
    }
}
