import Foundation
import GRDB
import WhatsAgentCore

/// The audit log. Every method is one transaction.
extension WorkspaceDatabase {
    // MARK: - Writes

    /// Appends one entry and returns it with its id.
    package func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        try await self.writer.write { db in
            var record = AuditRecord(entry)
            try record.insert(db)
            return record.domain
        }
    }

    /// Deletes the entries older than `date` and, when `limit` is given, the oldest ones beyond the newest `limit`;
    /// returns how many.
    package func pruneAudit(before date: Date, keepingAtMost limit: Int? = nil) async throws -> Int {
        try await self.writer.write { db in
            var deleted = try AuditRecord.filter(AuditRecord.Columns.at < date).deleteAll(db)
            // Ids grow with every append, so "the newest `limit`" is everything above the limit-th highest id.
            if let limit {
                try db.execute(
                    sql: "DELETE FROM audit WHERE id <= (SELECT id FROM audit ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    arguments: [limit]
                )
                deleted += db.changesCount
            }
            return deleted
        }
    }

    // MARK: - Reads

    /// Entries matching `filter`, newest first, at most `filter.limit` (1...``AuditFilter/maxLimit``).
    /// - Throws: `invalid_argument` for a limit outside 1...``AuditFilter/maxLimit``.
    package func auditEntries(_ filter: AuditFilter) async throws -> [AuditEntry] {
        let filter = try filter.validated()
        return try await self.writer.read { db in
            try Self.auditRequest(filter)
                .order(sql: "at DESC, id DESC")
                .limit(filter.limit)
                .fetchAll(db)
                .map(\.domain)
        }
    }

    /// How many entries match `filter` (its limit is ignored).
    package func auditCount(_ filter: AuditFilter) async throws -> Int {
        try await self.writer.read { db in try Self.auditRequest(filter).fetchCount(db) }
    }

    // MARK: Helpers

    private static func auditRequest(_ filter: AuditFilter) -> QueryInterfaceRequest<AuditRecord> {
        var request = AuditRecord.all()
        if let kind = filter.kind {
            request = request.filter(sql: "kind = ?", arguments: [kind])
        }
        if let actor = filter.actor {
            request = request.filter(sql: "actorAddress = ? COLLATE NOCASE", arguments: [actor])
        }
        if let since = filter.since {
            request = request.filter(AuditRecord.Columns.at >= since)
        }
        return request
    }
}
