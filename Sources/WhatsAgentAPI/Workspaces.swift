import Foundation

/// A workspace as the API shows it.
public struct WorkspaceResponse: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// `active` or `trashed`.
    public var status: String
    public var topology: TopologyValue
    public var rbacMode: RBACModeValue
    public var kanbanPrefix: String
    public var epicPrefix: String
    public var maxBodyChars: Int
    public var chatRetention: RetentionValue
    public var rateLimit: LimitValue
    public var loopGuard: LimitValue
    public var createdAt: Date
    public var updatedAt: Date
    public var trashedAt: Date?
    /// When a trashed workspace will be purged automatically.
    public var purgeAfter: Date?
    public var isCurrent: Bool
    public var repoCount: Int
    public var agentCount: Int
    public var liveSessionCount: Int

    public init(
        id: String,
        name: String,
        status: String,
        topology: TopologyValue,
        rbacMode: RBACModeValue,
        kanbanPrefix: String,
        epicPrefix: String,
        maxBodyChars: Int,
        chatRetention: RetentionValue,
        rateLimit: LimitValue,
        loopGuard: LimitValue,
        createdAt: Date,
        updatedAt: Date,
        trashedAt: Date?,
        purgeAfter: Date?,
        isCurrent: Bool,
        repoCount: Int,
        agentCount: Int,
        liveSessionCount: Int
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.topology = topology
        self.rbacMode = rbacMode
        self.kanbanPrefix = kanbanPrefix
        self.epicPrefix = epicPrefix
        self.maxBodyChars = maxBodyChars
        self.chatRetention = chatRetention
        self.rateLimit = rateLimit
        self.loopGuard = loopGuard
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.trashedAt = trashedAt
        self.purgeAfter = purgeAfter
        self.isCurrent = isCurrent
        self.repoCount = repoCount
        self.agentCount = agentCount
        self.liveSessionCount = liveSessionCount
    }
}

/// `GET /api/v1/workspaces`.
public struct WorkspaceList: Codable, Sendable, Equatable {
    public var workspaces: [WorkspaceResponse]
    public var currentWorkspaceId: String?

    public init(workspaces: [WorkspaceResponse], currentWorkspaceId: String?) {
        self.workspaces = workspaces
        self.currentWorkspaceId = currentWorkspaceId
    }
}

/// `POST /api/v1/workspaces`.
public struct CreateWorkspaceRequest: Codable, Sendable, Equatable {
    public var name: String
    public var topology: TopologyValue?
    public var rbacMode: RBACModeValue?
    public var kanbanPrefix: String?
    public var epicPrefix: String?
    public var rateLimit: LimitValue?
    public var loopGuard: LimitValue?

    public init(
        name: String,
        topology: TopologyValue? = nil,
        rbacMode: RBACModeValue? = nil,
        kanbanPrefix: String? = nil,
        epicPrefix: String? = nil,
        rateLimit: LimitValue? = nil,
        loopGuard: LimitValue? = nil
    ) {
        self.name = name
        self.topology = topology
        self.rbacMode = rbacMode
        self.kanbanPrefix = kanbanPrefix
        self.epicPrefix = epicPrefix
        self.rateLimit = rateLimit
        self.loopGuard = loopGuard
    }
}

/// `PATCH /api/v1/workspaces/{workspace}`: absent fields stay as they are.
public struct UpdateWorkspaceRequest: Codable, Sendable, Equatable {
    public var name: String?
    public var topology: TopologyValue?
    public var rbacMode: RBACModeValue?
    public var kanbanPrefix: String?
    public var epicPrefix: String?
    public var maxBodyChars: Int?
    public var chatRetention: RetentionValue?
    public var rateLimit: LimitValue?
    public var loopGuard: LimitValue?

    public init(
        name: String? = nil,
        topology: TopologyValue? = nil,
        rbacMode: RBACModeValue? = nil,
        kanbanPrefix: String? = nil,
        epicPrefix: String? = nil,
        maxBodyChars: Int? = nil,
        chatRetention: RetentionValue? = nil,
        rateLimit: LimitValue? = nil,
        loopGuard: LimitValue? = nil
    ) {
        self.name = name
        self.topology = topology
        self.rbacMode = rbacMode
        self.kanbanPrefix = kanbanPrefix
        self.epicPrefix = epicPrefix
        self.maxBodyChars = maxBodyChars
        self.chatRetention = chatRetention
        self.rateLimit = rateLimit
        self.loopGuard = loopGuard
    }
}

/// `PUT /api/v1/current-workspace`.
public struct SelectWorkspaceRequest: Codable, Sendable, Equatable {
    /// Name or id.
    public var workspace: String

    public init(workspace: String) {
        self.workspace = workspace
    }
}

/// `POST /api/v1/workspaces/{workspace}/trash`, and the removal of repos and agents.
public struct RemovalRequest: Codable, Sendable, Equatable {
    /// Stop live sessions first instead of refusing.
    public var force: Bool

    public init(force: Bool) {
        self.force = force
    }
}
