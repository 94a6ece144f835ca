import Foundation
import GRDB
import WhatsAgentCore

/// Row of the `message` table.
struct MessageRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "message"

    var id: Int64?
    var kind: String
    var fromAgentId: String?
    var fromAddress: String
    var toAgentId: String?
    var toAddress: String
    var threadId: String
    var body: String
    var state: String
    var rejection: String?
    var clientMessageId: String?
    var sentAt: Date
    var pushedAt: Date?
    var pushPath: String?
    var surfacedAt: Date?
    /// When the lease was acknowledged (the column keeps its name from before the `acknowledged` state).
    var deliveredAt: Date?
    var leaseId: String?
    var leaseSessionId: String?
    var deliveries: Int

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    var domain: Message {
        Message(
            id: self.id ?? 0,
            kind: self.kind,
            fromAgentID: self.fromAgentId.map(AgentID.init(rawValue:)),
            fromAddress: self.fromAddress,
            toAgentID: self.toAgentId.map(AgentID.init(rawValue:)),
            toAddress: self.toAddress,
            threadID: self.threadId,
            body: self.body,
            state: Message.State(rawValue: self.state) ?? .queued,
            rejection: self.rejection,
            clientMessageID: self.clientMessageId,
            sentAt: self.sentAt,
            pushedAt: self.pushedAt,
            pushPath: self.pushPath,
            surfacedAt: self.surfacedAt,
            acknowledgedAt: self.deliveredAt,
            deliveries: self.deliveries
        )
    }
}
