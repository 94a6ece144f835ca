import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

/// Row of the `workspace` table in `daemon.sqlite`.
struct WorkspaceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "workspace"

    enum Columns {
        static let id = Column("id")
        static let name = Column("name")
        static let status = Column("status")
        static let trashedAt = Column("trashedAt")
        static let createdAt = Column("createdAt")
    }

    var id: String
    var name: String
    var status: String
    var topology: String
    var rbacMode: String
    var kanbanPrefix: String
    var epicPrefix: String
    var maxBodyChars: Int
    var chatRetentionDays: Int?
    var rateLimitPerMinute: Int?
    var loopGuard: Int?
    var createdAt: Date
    var updatedAt: Date
    var trashedAt: Date?
    var colleagueProtocol: String?

    init(_ workspace: Workspace) {
        self.id = workspace.id.rawValue
        self.name = workspace.name
        self.status = workspace.status.rawValue
        self.topology = workspace.topology.rawValue
        self.rbacMode = workspace.rbacMode.rawValue
        self.kanbanPrefix = workspace.kanbanPrefix
        self.epicPrefix = workspace.epicPrefix
        self.maxBodyChars = workspace.maxBodyChars
        self.chatRetentionDays = workspace.chatRetention.days
        self.rateLimitPerMinute = workspace.rateLimit.number
        self.loopGuard = workspace.loopGuard.number
        self.createdAt = workspace.createdAt
        self.updatedAt = workspace.updatedAt
        self.trashedAt = workspace.trashedAt
        self.colleagueProtocol = workspace.colleagueProtocol
    }

    func domain() throws -> Workspace {
        guard let status = Workspace.Status(rawValue: self.status), let topology = Topology(rawValue: self.topology),
            let rbacMode = RBACMode(rawValue: self.rbacMode)
        else {
            throw DomainError(.storage, "workspace \(self.id) has an unreadable row in daemon.sqlite")
        }
        return Workspace(
            id: WorkspaceID(rawValue: self.id),
            name: self.name,
            status: status,
            topology: topology,
            rbacMode: rbacMode,
            kanbanPrefix: self.kanbanPrefix,
            epicPrefix: self.epicPrefix,
            maxBodyChars: self.maxBodyChars,
            chatRetention: self.chatRetentionDays.map(Retention.days) ?? .forever,
            rateLimit: self.rateLimitPerMinute.map(Limit.value) ?? .off,
            loopGuard: self.loopGuard.map(Limit.value) ?? .off,
            createdAt: self.createdAt,
            updatedAt: self.updatedAt,
            trashedAt: self.trashedAt,
            colleagueProtocol: self.colleagueProtocol
        )
    }
}

/// Row of the `setting` table in `daemon.sqlite`: daemon-wide key/value settings.
struct SettingRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "setting"

    static let currentWorkspaceKey = DaemonSettingKey.currentWorkspace

    var key: String
    var value: String
    var updatedAt: Date
}
