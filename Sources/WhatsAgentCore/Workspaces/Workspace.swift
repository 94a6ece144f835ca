import Foundation
import WhatsAgentAPI

/// A workspace: a container of repos, agents, messages and a board. Its settings live in the registry row.
public struct Workspace: Equatable, Sendable {
    public enum Status: String, Sendable, Codable {
        /// Being created; startup repair finishes or removes it.
        case creating
        case active
        /// Folder moved to `<home>/trash/<id>/`.
        case trashed
    }

    public var id: WorkspaceID
    public var name: String
    public var status: Status
    public var topology: Topology
    public var rbacMode: RBACMode
    public var kanbanPrefix: String
    public var epicPrefix: String
    public var maxBodyChars: Int
    public var chatRetention: Retention
    public var rateLimit: Limit
    public var loopGuard: Limit
    public var createdAt: Date
    public var updatedAt: Date
    public var trashedAt: Date?
    /// The workspace's own colleague protocol (SPEC §6.4, edited in Settings); nil: the built-in text.
    public var colleagueProtocol: String? = nil

    /// Largest message body a workspace may allow (SPEC §7.5).
    public static let maxBodyLimit = 32_000
    /// Longest colleague protocol a workspace may store, in characters (it rides in the launch's system prompt).
    public static let maxColleagueProtocolChars = 20_000

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        id: WorkspaceID,
        name: String,
        status: Status,
        topology: Topology,
        rbacMode: RBACMode,
        kanbanPrefix: String,
        epicPrefix: String,
        maxBodyChars: Int,
        chatRetention: Retention,
        rateLimit: Limit,
        loopGuard: Limit,
        createdAt: Date,
        updatedAt: Date,
        trashedAt: Date? = nil,
        colleagueProtocol: String? = nil
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
        self.colleagueProtocol = colleagueProtocol
    }
}

/// Defaults for new workspaces, from the configuration (SPEC §5).
public struct WorkspaceDefaults: Equatable, Sendable {
    public var topology: Topology = .star
    public var rbacMode: RBACMode = .enforce
    public var kanbanPrefix = "WA"
    public var epicPrefix = "EP"
    public var maxBodyChars = Workspace.maxBodyLimit
    public var chatRetention: Retention = .days(30)
    public var rateLimit: Limit = .value(120)
    public var loopGuard: Limit = .value(40)

    public init() {}
}

/// The fields of `workspace add`.
public struct WorkspaceDraft: Sendable {
    public var name: String
    public var topology: Topology?
    public var rbacMode: RBACMode?
    public var kanbanPrefix: String?
    public var epicPrefix: String?
    public var rateLimit: Limit?
    public var loopGuard: Limit?

    public init(
        name: String,
        topology: Topology? = nil,
        rbacMode: RBACMode? = nil,
        kanbanPrefix: String? = nil,
        epicPrefix: String? = nil,
        rateLimit: Limit? = nil,
        loopGuard: Limit? = nil
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

/// The fields of `workspace set`; nil leaves a field unchanged.
public struct WorkspacePatch: Sendable {
    public var name: String?
    public var topology: Topology?
    public var rbacMode: RBACMode?
    public var kanbanPrefix: String?
    public var epicPrefix: String?
    public var maxBodyChars: Int?
    public var chatRetention: Retention?
    public var rateLimit: Limit?
    public var loopGuard: Limit?

    public init(
        name: String? = nil,
        topology: Topology? = nil,
        rbacMode: RBACMode? = nil,
        kanbanPrefix: String? = nil,
        epicPrefix: String? = nil,
        maxBodyChars: Int? = nil,
        chatRetention: Retention? = nil,
        rateLimit: Limit? = nil,
        loopGuard: Limit? = nil
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
