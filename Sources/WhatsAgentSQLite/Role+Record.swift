import Foundation
import GRDB
import WhatsAgentCore

/// Row of the `role` table.
struct RoleRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "role"

    var name: String
    var description: String
    var isBuiltin: Bool
    var createdAt: Date
    var updatedAt: Date

    func domain(grants: [Grant]) -> RoleDefinition {
        RoleDefinition(name: self.name, description: self.description, isBuiltin: self.isBuiltin, grants: grants)
    }
}

/// Row of the `roleGrant` table: one grant held by one role.
struct RoleGrantRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "roleGrant"

    var roleName: String
    var kind: String
    var value: String
    var scope: String?

    init(roleName: String, grant: Grant) {
        self.roleName = roleName
        self.kind = grant.kind.rawValue
        self.value = grant.value
        self.scope = grant.scope?.rawValue
    }

    /// The grant; the schema's checks keep kind and scope to known values.
    func domain() throws -> Grant {
        guard let kind = GrantKind(rawValue: self.kind) else {
            throw DomainError(.storage, "role \(self.roleName) holds a grant of unknown kind '\(self.kind)'")
        }
        var scope: GrantScope?
        if let text = self.scope {
            guard let parsed = GrantScope(rawValue: text) else {
                throw DomainError(.storage, "role \(self.roleName) holds a grant with unknown scope '\(text)'")
            }
            scope = parsed
        }
        return Grant(kind, self.value, scope: scope)
    }
}

/// Row of the `audit` table.
struct AuditRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audit"

    enum Columns {
        static let at = Column("at")
    }

    var id: Int64?
    var at: Date
    var kind: String
    var actorAddress: String
    var actorAgentId: String?
    var tool: String?
    var expectedGrant: String?
    var outcome: String
    var detailJSON: String?

    init(_ entry: AuditEntry) {
        self.id = nil
        self.at = entry.at
        self.kind = entry.kind
        self.actorAddress = entry.actorAddress
        self.actorAgentId = entry.actorAgentID?.rawValue
        self.tool = entry.tool
        self.expectedGrant = entry.expectedGrant
        self.outcome = entry.outcome
        self.detailJSON = entry.detailJSON
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    var domain: AuditEntry {
        AuditEntry(
            id: self.id ?? 0,
            at: self.at,
            kind: self.kind,
            actorAddress: self.actorAddress,
            actorAgentID: self.actorAgentId.map(AgentID.init(rawValue:)),
            tool: self.tool,
            expectedGrant: self.expectedGrant,
            outcome: self.outcome,
            detailJSON: self.detailJSON
        )
    }
}
