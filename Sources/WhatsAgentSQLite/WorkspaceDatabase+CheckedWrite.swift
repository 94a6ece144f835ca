import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Runs `body` in one write transaction after the caller's RBAC `check` (its audit row in the same transaction).
    /// A denial commits the audit row alone and is thrown after the commit; `body` does not run then.
    func checkedWrite<T: Sendable>(_ check: ToolCheck?, _ body: @Sendable (Database) throws -> T) async throws -> T {
        try await self.writer.write { db -> Checked<T> in
            if let check, case .denied(let denial) = try check.run(SQLiteCheckRows(db)) { return .denied(denial) }
            return .done(try body(db))
        }.get()
    }
}
