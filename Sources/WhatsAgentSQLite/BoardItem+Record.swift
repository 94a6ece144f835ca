import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

extension BoardTaskRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "boardTask"

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }
}

extension BoardEpicRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "boardEpic"

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }
}

/// Row of `boardComment`.
struct BoardCommentRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "boardComment"

    var id: Int64?
    var itemKind: String
    var itemId: Int64
    var authorAgentId: String?
    var authorAddress: String
    var type: String
    var body: String
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    init(_ comment: BoardComment) {
        self.id = comment.id == 0 ? nil : comment.id
        self.itemKind = comment.itemKind.rawValue
        self.itemId = comment.itemID
        self.authorAgentId = comment.authorAgentID?.rawValue
        self.authorAddress = comment.author
        self.type = comment.type.rawValue
        self.body = comment.body
        self.createdAt = comment.createdAt
    }

    func domain(displayID: String) -> BoardComment {
        BoardComment(
            id: self.id ?? 0,
            itemKind: BoardItemKind(rawValue: self.itemKind) ?? .task,
            itemID: self.itemId,
            itemDisplayID: displayID,
            author: self.authorAddress,
            authorAgentID: self.authorAgentId.map(AgentID.init(rawValue:)),
            type: CommentType(rawValue: self.type) ?? .note,
            body: self.body,
            createdAt: self.createdAt
        )
    }
}

/// Row of `boardActivity`.
struct BoardActivityRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "boardActivity"

    var id: Int64?
    var itemKind: String
    var itemId: Int64
    var actorAgentId: String?
    var actorAddress: String
    var action: String
    var field: String?
    var beforeJSON: String?
    var afterJSON: String?
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    init(_ entry: BoardActivity) {
        self.id = entry.id == 0 ? nil : entry.id
        self.itemKind = entry.itemKind.rawValue
        self.itemId = entry.itemID
        self.actorAgentId = entry.actorAgentID?.rawValue
        self.actorAddress = entry.actor
        self.action = entry.action.rawValue
        self.field = entry.field
        self.beforeJSON = entry.before
        self.afterJSON = entry.after
        self.createdAt = entry.createdAt
    }

    func domain(displayID: String) -> BoardActivity {
        BoardActivity(
            id: self.id ?? 0,
            itemKind: BoardItemKind(rawValue: self.itemKind) ?? .task,
            itemID: self.itemId,
            itemDisplayID: displayID,
            actor: self.actorAddress,
            actorAgentID: self.actorAgentId.map(AgentID.init(rawValue:)),
            action: BoardActivity.Action(rawValue: self.action) ?? .updated,
            field: self.field,
            before: self.beforeJSON,
            after: self.afterJSON,
            createdAt: self.createdAt
        )
    }
}
