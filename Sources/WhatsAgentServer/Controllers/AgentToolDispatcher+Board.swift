import Foundation
import WhatsAgentAPI
import WhatsAgentCore

extension AgentToolDispatcher {
    /// The board tools of SPEC §8: each ``BoardItemAction`` for tasks and for epics, and the epic close request and
    /// cancel. The board runs their checks with the facts of the target row (assignee, creator, comment type), inside
    /// the change's transaction.
    static let boardToolNames: [String] =
        BoardItemKind.allCases.flatMap { kind in BoardItemAction.allCases.map { $0.tool(kind) } }
        + ["request_kanban_epic_close", "cancel_kanban_epic_close"]

    /// Runs one board tool: compact text for the model, the wire types as structured content — every title, detail,
    /// GitHub link and title, comment, preview and activity value in the result's fence, in both.
    func boardTool(_ name: String, _ identity: AgentIdentity, _ arguments: ToolArguments, _ check: ToolCheck) async throws -> AgentToolResult {
        let actor = BoardActor.agent(identity, check)
        for action in BoardItemAction.allCases {
            if name == BoardTask.tool(action) { return try await self.itemTool(action, BoardTask.self, actor, arguments) }
            if name == BoardEpic.tool(action) { return try await self.itemTool(action, BoardEpic.self, actor, arguments) }
        }
        let reference = try arguments.requiredString("epicId")
        if name == "request_kanban_epic_close" {
            let outcome = try await self.services.board.requestEpicClose(reference, by: actor)
            return try Self.boardResult(BoardEpicChange(outcome)) { _ in Self.closeText(outcome) }
        }
        let change = try await self.services.board.cancelEpicClose(reference, by: actor)
        return try Self.boardResult(BoardEpicChange(change)) { _ in
            "Cancelled the close request of \(change.item.displayID); it stays \(change.item.status.rawValue)."
        }
    }

    /// Runs `action` on an item of one kind; the kind words the text where tasks and epics differ.
    private func itemTool<Item: BoardItemTool>(
        _ action: BoardItemAction,
        _: Item.Type,
        _ actor: BoardActor,
        _ arguments: ToolArguments
    ) async throws -> AgentToolResult {
        let board = self.services.board
        let idArgument = "\(Item.kind.rawValue)Id"
        switch action {
        case .create:
            let change = try await board.create(Item.self, try Item.draft(arguments), by: actor)
            return try Self.boardResult(Item.ChangeResponse(change)) { Item.createdText(change.item, $0) + Self.suffix(change) }
        case .read:
            let detail = try await board.detail(Item.self, try arguments.requiredString(idArgument), by: actor)
            return try Self.boardResult(Item.DetailResponse(detail)) { Item.text(detail, $0) }
        case .list:
            let items = try await board.list(Item.self, try arguments.boardFilter(epic: Item.kind == .task), by: actor)
            let noun = Item.kind.rawValue
            return try Self.boardResult(Item.listResponse(items)) { fence in
                items.isEmpty
                    ? "No \(noun)s match."
                    : Self.listing("\(items.count) \(noun)\(items.count == 1 ? "" : "s")", items.map { Item.line($0, fence) }, fence)
            }
        case .update:
            let reference = try arguments.requiredString(idArgument)
            let change = try await board.update(Item.self, reference, try Item.patch(arguments), by: actor)
            return try Self.boardResult(Item.ChangeResponse(change)) { _ in Self.changeText(change.item.displayID, change) }
        case .move:
            let change = try await board.move(Item.self, try arguments.requiredString(idArgument), to: try arguments.boardStatus(), by: actor)
            let text =
                change.close.map(Self.closeText)
                ?? Self.moveText(change.item.displayID, from: change.before?.status, to: change.item.status, changed: change.changedFields)
                + Self.suffix(change)
            return try Self.boardResult(Item.ChangeResponse(change)) { _ in text }
        case .comment:
            let type = try CommentType(parsing: try arguments.requiredString("type"))
            let body = try arguments.requiredString("body")
            let change = try await board.comment(Item.self, try arguments.requiredString(idArgument), type: type, body: body, by: actor)
            return try Self.boardResult(BoardCommentChange(change)) { _ in
                "Posted a \(type.rawValue) comment on \(change.item.itemDisplayID)." + Self.suffix(change)
            }
        case .archive:
            let change = try await board.archive(Item.self, try arguments.requiredString(idArgument), by: actor)
            let noun = Item.kind == .epic ? "epic " : ""
            let text = change.changedFields.isEmpty ? "\(change.item.displayID) was already archived." : "Archived \(noun)\(change.item.displayID)."
            return try Self.boardResult(Item.ChangeResponse(change)) { _ in text }
        case .search:
            let result = try await board.search(Item.self, try arguments.boardSearchQuery(), by: actor)
            return try Self.boardResult(BoardSearchResponse(result)) { Self.text(result, $0) }
        }
    }

    // MARK: Text

    /// The result of a board tool: the wire type as structured content with every field in ``boardFencedKeys``
    /// fenced, and the text `render` writes with the same fence.
    private static func boardResult(_ value: some Encodable, render: (UntrustedFence) -> String) throws -> AgentToolResult {
        let data = try WireJSON.encoder().encode(value)
        let json = try WireJSON.decoder().decode(JSONValue.self, from: data)
        let fence = UntrustedFence(covering: Self.untrustedStrings(in: json))
        guard case .object(var fields) = Self.fencing(json, with: fence) else {
            throw DomainError.invalidArgument("a board result must be a JSON object")
        }
        fields["nonce"] = .string(fence.nonce)
        return .shaped(render(fence), fields)
    }

    /// Keys of the board's wire types whose values an agent or a person wrote (SPEC §8): fenced wherever they occur.
    static let boardFencedKeys: Set<String> = ["title", "details", "body", "preview", "githubTitle", "githubUrl", "branch", "before", "after"]

    private static func untrustedStrings(in json: JSONValue) -> [String] {
        switch json {
        case .object(let fields):
            return fields.flatMap { key, value -> [String] in
                if Self.boardFencedKeys.contains(key), case .string(let text) = value { return [text] }
                return Self.untrustedStrings(in: value)
            }
        case .array(let items): return items.flatMap(Self.untrustedStrings)
        default: return []
        }
    }

    private static func fencing(_ json: JSONValue, with fence: UntrustedFence) -> JSONValue {
        switch json {
        case .object(let fields):
            return .object(
                Dictionary(
                    uniqueKeysWithValues: fields.map { key, value in
                        if Self.boardFencedKeys.contains(key), case .string(let text) = value { return (key, .string(fence.wrap(text))) }
                        return (key, Self.fencing(value, with: fence))
                    }
                )
            )
        case .array(let items): return .array(items.map { Self.fencing($0, with: fence) })
        default: return json
        }
    }

    /// A listing's text: a header with the nonce, the fence's legend, then the items.
    private static func listing(_ header: String, _ items: [String], _ fence: UntrustedFence) -> String {
        (["\(header) [nonce \(fence.nonce)]"] + fence.legend + items.flatMap { ["", $0] }).joined(separator: "\n")
    }

    private static func suffix<Item>(_ change: BoardChange<Item>) -> String {
        var text = ""
        for warning in change.warnings { text += "\nWarning: \(warning)" }
        if !change.notified.isEmpty { text += "\nNotified: \(change.notified.joined(separator: ", "))." }
        return text
    }

    /// `WA-1: Queued → In Progress.`, or that the item already had that status.
    private static func moveText(_ displayID: String, from before: BoardStatus?, to status: BoardStatus, changed: [String]) -> String {
        guard !changed.isEmpty else { return "\(displayID) is already \(status.rawValue)." }
        return "\(displayID): \((before ?? status).rawValue) → \(status.rawValue)."
    }

    private static func changeText<Item>(_ displayID: String, _ change: BoardChange<Item>) -> String {
        guard !change.changedFields.isEmpty else { return "\(displayID): nothing changed." }
        return "Updated \(displayID): \(change.changedFields.joined(separator: ", "))." + self.suffix(change)
    }

    private static func closeText(_ outcome: EpicCloseOutcome) -> String {
        let epic = outcome.epic.displayID
        let notified = outcome.notified.isEmpty ? "" : "\nNotified: \(outcome.notified.joined(separator: ", "))."
        guard outcome.status == .pending else { return "\(epic) is Completed (no open tasks)." + notified }
        return "\(epic) close is pending the human's approval: \(outcome.openChildren) open task\(outcome.openChildren == 1 ? "" : "s") "
            + "(\(outcome.childDisplayIDs.joined(separator: ", ")))." + notified
    }

    private static func text(_ result: BoardSearchResult, _ fence: UntrustedFence) -> String {
        guard !result.hits.isEmpty else { return "No matches." }
        let items = result.hits.map { hit in
            "\(hit.displayID) [\(hit.status.rawValue)] \(BoardUnassigned.display(hit.assignee)) — matched in \(hit.matchedIn.joined(separator: ", ")), title:\n"
                + fence.wrap(hit.title) + (hit.preview.isEmpty ? "" : "\nmatch:\n" + fence.wrap(hit.preview))
        }
        let header =
            result.truncated
            ? "\(result.total) matches; showing \(result.hits.count)" : "\(result.hits.count) match\(result.hits.count == 1 ? "" : "es")"
        return self.listing(header, items, fence)
    }
}
