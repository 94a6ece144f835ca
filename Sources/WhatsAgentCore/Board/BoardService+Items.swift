import Foundation
import WhatsAgentAPI

/// The patch fields tasks and epics share.
package protocol BoardItemPatch: Sendable {
    var title: String? { get }
    var details: String? { get }
    var priority: BoardPriority? { get }
    var effort: BoardEffort? { get }
    var assignedTo: String? { get }
    var githubURL: String?? { get }
    var githubNumber: Int?? { get }
    var githubTitle: String?? { get }
}

extension BoardItemPatch {
    /// Whether the patch writes text (title, details, GitHub link or title): refused while the agent is muted.
    var writesText: Bool {
        self.title != nil || self.details != nil || self.githubURL != nil || self.githubTitle != nil
    }
}

extension TaskPatch: BoardItemPatch {}
extension EpicPatch: BoardItemPatch {}

/// The fields one patch changed, each logged as one activity entry on the item.
struct BoardFieldChanges {
    let kind: BoardItemKind
    let id: Int64
    let tx: BoardTransaction
    private(set) var fields: [String] = []

    init(_ kind: BoardItemKind, _ id: Int64, _ tx: BoardTransaction) {
        self.kind = kind
        self.id = id
        self.tx = tx
    }

    /// Logs `field` changing from `before` to `after` (JSON texts).
    mutating func log(_ field: String, _ before: String, _ after: String) throws {
        try self.tx.log(self.kind, self.id, .updated, field: field, before: before, after: after)
        self.fields.append(field)
    }

    /// Sets `record[keyPath:]` to `value` and logs it as `field`, unless it already is that.
    mutating func set<Record>(_ field: String, _ keyPath: WritableKeyPath<Record, String>, _ value: String, in record: inout Record) throws {
        try self.set(field, keyPath, value, in: &record) { BoardTransaction.json($0) }
    }

    mutating func set<Record>(_ field: String, _ keyPath: WritableKeyPath<Record, String?>, _ value: String?, in record: inout Record) throws {
        try self.set(field, keyPath, value, in: &record) { BoardTransaction.json($0) }
    }

    mutating func set<Record>(_ field: String, _ keyPath: WritableKeyPath<Record, Int?>, _ value: Int?, in record: inout Record) throws {
        try self.set(field, keyPath, value, in: &record) { BoardTransaction.json($0) }
    }

    private mutating func set<Record, Value: Equatable>(
        _ field: String,
        _ keyPath: WritableKeyPath<Record, Value>,
        _ value: Value,
        in record: inout Record,
        json: (Value) -> String
    ) throws {
        guard record[keyPath: keyPath] != value else { return }
        try self.log(field, json(record[keyPath: keyPath]), json(value))
        record[keyPath: keyPath] = value
    }
}

extension BoardService {
    // MARK: - Flows tasks and epics share

    /// Comments on a task or an epic (`comment_kanban_task`, `comment_kanban_epic`); blocker and verdict comments
    /// notify the assignee and creator.
    package func comment<Item: BoardItem>(
        _: Item.Type,
        _ reference: String,
        type: CommentType,
        body: String,
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws -> BoardChange<BoardComment> {
        let text = try BoardRules.commentBody(body)
        let target = Self.itemTarget(Item.Record.self, reference, actor)
        return try await self.change(actor, workspace, commentType: type, writesText: true, target: target) { tx, _ in
            let record = try Item.Record.require(reference, tx)
            let comment = try tx.addComment(Item.kind, record.id ?? 0, displayID: record.displayId, type: type, body: text)
            if let event = Self.commentEvent(type, epic: Item.kind == .epic) {
                let noun = Item.kind == .epic ? "epic " : ""
                tx.notify(
                    Self.recipients(record),
                    event: event,
                    displayID: record.displayId,
                    body: "\(tx.actor.address) posted a \(type.rawValue) comment on \(noun)\(record.displayId) (\(record.title)): \(text)"
                )
            }
            return BoardChange(item: comment, changedFields: ["comments"], notified: tx.notifications.map(\.toAddress))
        }
    }

    /// Archives a task or an epic (`archive_kanban_task`, `archive_kanban_epic`) once its kind lets it; archiving an
    /// archived item changes nothing.
    package func archive<Item: BoardItem>(
        _: Item.Type,
        _ reference: String,
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws
        -> BoardChange<Item>
    {
        try await self.change(actor, workspace, target: Self.itemTarget(Item.Record.self, reference, actor)) { tx, _ in
            var record = try Item.Record.require(reference, tx)
            guard record.archivedAt == nil else { return BoardChange(item: try record.item(tx)) }
            try Item.checkArchivable(record, tx)
            return try Self.setArchived(&record, true, tx)
        }
    }

    /// Brings an archived task or epic back (the human only; checked as the `archive` tool).
    package func unarchive<Item: BoardItem>(
        _: Item.Type,
        _ reference: String,
        by actor: BoardActor = .human,
        workspace: String? = nil
    ) async throws
        -> BoardChange<Item>
    {
        let noun = Item.kind.rawValue
        try Self.requireHuman(actor, "unarchive \(Item.kind == .epic ? "an" : "a") \(noun)", command: "whatsagent \(noun) unarchive \(reference)")
        return try await self.change(actor, workspace, target: nil) { tx, _ in
            var record = try Item.Record.require(reference, tx)
            guard record.archivedAt != nil else { return BoardChange(item: try record.item(tx)) }
            return try Self.setArchived(&record, false, tx)
        }
    }

    // MARK: Helpers

    /// The actor's relation to the task or epic `reference` names, for RBAC scope.
    static func itemTarget<Record: BoardItemRecord>(
        _: Record.Type,
        _ reference: String,
        _ actor: BoardActor
    ) -> @Sendable (BoardTransaction) throws -> AuthorizationFacts.Target {
        { tx in
            guard let record = try Record.find(reference, tx) else { return .notFound }
            return Self.target(assignee: record.assigneeAgentId, creator: record.creatorAgentId, actor)
        }
    }

    /// The item's current status, once a move to `status` passed the rules of reference §13.2 that apply under a
    /// narrow (scoped) grant.
    static func checkMove<Record: BoardItemRecord>(
        _ record: Record,
        to status: BoardStatus,
        _ auth: Authorization,
        _ tx: BoardTransaction,
        tool: String
    ) throws -> BoardStatus {
        let current = BoardStatus(rawValue: record.status) ?? .backlog
        if auth.isNarrow, current != status {
            try BoardRules.checkScopedMove(
                kind: Record.kind,
                displayID: record.displayId,
                from: current,
                to: status,
                actor: tx.actor.address,
                tool: tool
            )
        }
        return current
    }

    /// Who hears about an item: its assignee (none when unassigned) and its creator.
    static func recipients(_ record: some BoardItemRecord) -> [(AgentID?, String)] {
        [
            (record.assigneeAgentId.map(AgentID.init(rawValue:)), record.assigneeAddress ?? BoardUnassigned.label),
            (record.creatorAgentId.map(AgentID.init(rawValue:)), record.creatorAddress),
        ]
    }

    /// Archives (`true`) or unarchives an item and logs it.
    private static func setArchived<Record: BoardItemRecord>(
        _ record: inout Record,
        _ archived: Bool,
        _ tx: BoardTransaction
    ) throws -> BoardChange<Record.Item> {
        record.archivedAt = archived ? tx.now : nil
        record.archivedBy = archived ? tx.actor.address : nil
        record.updatedAt = tx.now
        try record.update(tx)
        try tx.log(Record.kind, record.id ?? 0, archived ? .archived : .unarchived)
        return BoardChange(item: try record.item(tx), changedFields: ["archived"])
    }

    /// Applies title, details, priority, effort and assignee from `patch`, logging each changed field. Returns the
    /// previous assignee when the item was reassigned (`unassigned` with no id when it had none). `assignedTo: none`
    /// unassigns a task (issue 18); an epic always keeps an assignee.
    static func applyDescription<Record: BoardItemRecord>(
        _ patch: some BoardItemPatch,
        to record: inout Record,
        _ changes: inout BoardFieldChanges,
        _ tx: BoardTransaction
    ) throws -> (AgentID?, String)? {
        if let value = patch.title { try changes.set("title", \.title, try BoardRules.title(value), in: &record) }
        if let value = patch.details { try changes.set("details", \.details, try BoardRules.details(value), in: &record) }
        if let priority = patch.priority { try changes.set("priority", \.priority, priority.rawValue, in: &record) }
        if let effort = patch.effort { try changes.set("effort", \.effort, effort.rawValue, in: &record) }
        guard let value = patch.assignedTo else { return nil }
        let agent = BoardUnassigned.matches(value) ? nil : try tx.agent(value, field: "assignedTo")
        if agent == nil, Record.kind == .epic {
            throw DomainError.invalidArgument(
                "an epic always has an assignee; name an agent (repo:agent) to reassign it — only tasks can be unassigned"
            )
        }
        let (id, address) = (agent?.id.rawValue, agent?.address.description)
        guard id != record.assigneeAgentId || address != record.assigneeAddress else { return nil }
        try changes.log("assignee", BoardTransaction.json(record.assigneeAddress), BoardTransaction.json(address))
        let previous = (record.assigneeAgentId.map(AgentID.init(rawValue:)), BoardUnassigned.display(record.assigneeAddress))
        record.assigneeAgentId = id
        record.assigneeAddress = address
        return previous
    }

    /// Applies the GitHub link, number and title from `patch`, logging each changed field.
    static func applyGitHub<Record: BoardItemRecord>(
        _ patch: some BoardItemPatch,
        to record: inout Record,
        _ changes: inout BoardFieldChanges
    ) throws {
        if let value = patch.githubURL { try changes.set("githubUrl", \.githubUrl, try BoardRules.githubURL(value), in: &record) }
        if let value = patch.githubNumber { try changes.set("githubNumber", \.githubNumber, try BoardRules.githubNumber(value), in: &record) }
        if let value = patch.githubTitle { try changes.set("githubTitle", \.githubTitle, try BoardRules.githubTitle(value), in: &record) }
    }
}
