import Foundation
import GRDB
import WhatsAgentCore

/// The rows of an RBAC check (``CheckRows``) in one SQLite transaction: grants, roles, the audit log.
class SQLiteCheckRows: CheckRows {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    func effectiveGrants(of agent: AgentID) throws -> EffectiveGrants {
        try WorkspaceDatabase.fetchEffectiveGrants(of: agent, self.db)
    }

    func roles() throws -> [RoleDefinition] {
        try WorkspaceDatabase.fetchRoles(self.db)
    }

    func appendAudit(_ entry: AuditEntry) throws {
        var record = AuditRecord(entry)
        try record.insert(self.db)
    }
}
