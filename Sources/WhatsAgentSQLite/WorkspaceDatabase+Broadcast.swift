import Foundation
import GRDB
import WhatsAgentCore

extension WorkspaceDatabase {
    /// Stores the rows of one broadcast in one transaction, in order. Returns them with their ids.
    func insertBroadcast(_ messages: [Message]) async throws -> [Message] {
        try await self.writer.write { db in try Self.insertBroadcast(messages, db) }
    }

    /// ``insertBroadcast(_:)`` inside the caller's transaction (the rows carry no `clientMessageId`).
    static func insertBroadcast(_ messages: [Message], _ db: Database) throws -> [Message] {
        try messages.map { message in
            var row = message
            row.clientMessageID = nil
            return try Self.insertMessage(row, db).message
        }
    }
}
