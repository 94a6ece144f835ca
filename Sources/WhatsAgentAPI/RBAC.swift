import Foundation

/// One grant of a role: `kind:value[@scope]`.
public struct GrantValue: Codable, Sendable, Equatable {
    /// `tool_family`, `kanban_action`, `comment_type`, `channel_action`, `audit_grant` or `meta`.
    public var kind: String
    public var value: String
    /// `own_assignment` or `created_by_self` for kanban actions; absent means any.
    public var scope: String?

    public init(kind: String, value: String, scope: String? = nil) {
        self.kind = kind
        self.value = value
        self.scope = scope
    }
}

/// A role and its grants.
public struct RoleResponse: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var isBuiltin: Bool
    public var grants: [GrantValue]

    public init(name: String, description: String, isBuiltin: Bool, grants: [GrantValue]) {
        self.name = name
        self.description = description
        self.isBuiltin = isBuiltin
        self.grants = grants
    }
}

public struct RoleList: Codable, Sendable, Equatable {
    public var roles: [RoleResponse]

    public init(roles: [RoleResponse]) {
        self.roles = roles
    }
}

/// `POST /api/v1/workspaces/{workspace}/roles`.
public struct CreateRoleRequest: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?

    public init(name: String, description: String? = nil) {
        self.name = name
        self.description = description
    }
}

/// One audit entry: an RBAC decision (enforce or soft mode).
public struct AuditEntryResponse: Codable, Sendable, Equatable {
    public var id: String
    public var at: Date
    /// `grant_check_pass`, `grant_miss_soft`, `grant_miss_hard`, …
    public var kind: String
    public var actor: String
    public var tool: String?
    public var expectedGrant: String?
    public var outcome: String

    public init(id: String, at: Date, kind: String, actor: String, tool: String?, expectedGrant: String?, outcome: String) {
        self.id = id
        self.at = at
        self.kind = kind
        self.actor = actor
        self.tool = tool
        self.expectedGrant = expectedGrant
        self.outcome = outcome
    }
}

public struct AuditList: Codable, Sendable, Equatable {
    public var entries: [AuditEntryResponse]
    /// Entries matching the filter (the list is cut at `limit`).
    public var total: Int

    public init(entries: [AuditEntryResponse], total: Int) {
        self.entries = entries
        self.total = total
    }
}
