import Foundation
import GRDB

extension WorkspaceDatabase {
    /// Stores the rows of one broadcast in one transaction, in order. Returns them with their ids.
    func insertBroadcast(_ messages: [Message]) async throws -> [Message] {
        try await self.writer.write { db in
            try messages.map { message in
                var record = MessageRecord(
                    id: nil,
                    kind: message.kind,
                    fromAgentId: message.fromAgentID?.rawValue,
                    fromAddress: message.fromAddress,
                    toAgentId: message.toAgentID?.rawValue,
                    toAddress: message.toAddress,
                    threadId: message.threadID,
                    body: message.body,
                    state: message.state.rawValue,
                    rejection: message.rejection,
                    clientMessageId: nil,
                    sentAt: message.sentAt,
                    pushedAt: nil,
                    pushPath: nil,
                    surfacedAt: nil,
                    deliveredAt: nil,
                    leaseId: nil,
                    leaseSessionId: nil,
                    deliveries: 0
                )
                try record.insert(db)
                return record.domain
            }
        }
    }
}
