import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

/// Row of the `repo` table.
struct RepoRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "repo"

    enum Columns {
        static let id = Column("id")
        static let name = Column("name")
        static let path = Column("path")
    }

    var id: String
    var name: String
    var path: String
    var createdAt: Date
    var updatedAt: Date

    init(_ repo: Repo) {
        self.id = repo.id.rawValue
        self.name = repo.name
        self.path = repo.path
        self.createdAt = repo.createdAt
        self.updatedAt = repo.updatedAt
    }

    var domain: Repo {
        Repo(id: RepoID(rawValue: self.id), name: self.name, path: self.path, createdAt: self.createdAt, updatedAt: self.updatedAt)
    }
}

/// Row of the `agent` table.
struct AgentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "agent"

    enum Columns {
        static let id = Column("id")
        static let repoId = Column("repoId")
        static let name = Column("name")
        static let isMain = Column("isMain")
    }

    var id: String
    var repoId: String
    var name: String
    var runtime: String
    var command: String?
    var argsJSON: String
    var isMain: Bool
    var pushEnabled: Bool
    var personaJSON: String?
    var createdAt: Date
    var updatedAt: Date
    var muted: Bool
    var nudgeEnabled: Bool

    init(_ agent: Agent) throws {
        self.id = agent.id.rawValue
        self.repoId = agent.repoID.rawValue
        self.name = agent.name
        self.runtime = agent.runtime.rawValue
        self.command = agent.command
        self.argsJSON = String(decoding: try JSONEncoder().encode(agent.args), as: UTF8.self)
        self.isMain = agent.isMain
        self.pushEnabled = agent.pushEnabled
        self.personaJSON = try agent.persona.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        self.createdAt = agent.createdAt
        self.updatedAt = agent.updatedAt
        self.muted = agent.muted
        self.nudgeEnabled = agent.nudgeEnabled
    }

    func domain(repoName: String, roles: [String]) throws -> Agent {
        guard let runtime = Runtime(rawValue: self.runtime) else {
            throw DomainError(.storage, "agent \(self.id) has an unknown runtime '\(self.runtime)'")
        }
        let decoder = JSONDecoder()
        return Agent(
            id: AgentID(rawValue: self.id),
            repoID: RepoID(rawValue: self.repoId),
            repoName: repoName,
            name: self.name,
            runtime: runtime,
            command: self.command,
            args: try decoder.decode([String].self, from: Data(self.argsJSON.utf8)),
            roles: roles,
            isMain: self.isMain,
            pushEnabled: self.pushEnabled,
            persona: try self.personaJSON.map { try decoder.decode(Persona.self, from: Data($0.utf8)) },
            createdAt: self.createdAt,
            updatedAt: self.updatedAt,
            muted: self.muted,
            nudgeEnabled: self.nudgeEnabled
        )
    }
}

/// Row of the `agentRole` table: one role name held by one agent.
struct AgentRoleRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "agentRole"

    enum Columns {
        static let agentId = Column("agentId")
        static let roleName = Column("roleName")
    }

    var agentId: String
    var roleName: String
}

/// Row of the `session` table.
struct SessionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "session"

    enum Columns {
        static let id = Column("id")
        static let agentId = Column("agentId")
        static let endedAt = Column("endedAt")
        static let startedAt = Column("startedAt")
    }

    var id: String
    var agentId: String?
    var agentAddress: String
    var kind: String
    var startedAt: Date
    var endedAt: Date?
    var endReason: String?
    var tokenHash: String?
    var runtime: String?
    var summary: String?
    var mcpConfigPath: String?

    var liveSession: LiveSession {
        LiveSession(
            id: SessionID(rawValue: self.id),
            agentID: self.agentId.map(AgentID.init(rawValue:)),
            agentAddress: self.agentAddress,
            kind: LiveSession.Kind(rawValue: self.kind) ?? .external,
            startedAt: self.startedAt,
            runtime: self.runtime,
            summary: self.summary,
            mcpConfigPath: self.mcpConfigPath
        )
    }
}
