import Foundation
import WhatsAgentAPI
import WhatsAgentCore

extension AgentToolDispatcher {
    /// The board tools of SPEC §8. The board service authorizes them itself, with the facts of the target row
    /// (assignee, creator, comment type), inside the change's transaction.
    static let boardToolNames: [String] = [
        "create_kanban_task", "read_kanban_task", "list_kanban_tasks", "update_kanban_task", "update_kanban_task_status",
        "comment_kanban_task", "archive_kanban_task", "search_kanban_tasks",
        "create_kanban_epic", "read_kanban_epic", "list_kanban_epics", "update_kanban_epic", "update_kanban_epic_status",
        "comment_kanban_epic", "archive_kanban_epic", "search_kanban_epics", "request_kanban_epic_close", "cancel_kanban_epic_close",
    ]

    /// Runs one board tool: compact text for the model, the wire types as structured content — every title, detail,
    /// GitHub link and title, comment, preview and activity value in the result's fence, in both.
    func boardTool(_ name: String, _ identity: AgentIdentity, _ arguments: ToolArguments) async throws -> AgentToolResult {
        let board = self.services.board
        let actor = BoardActor.agent(identity)
        switch name {
        case "create_kanban_task":
            let change = try await board.createTask(try Self.taskDraft(arguments), by: actor)
            let task = change.item
            return try Self.boardResult(BoardTaskChange(change)) { fence in
                "Created \(task.displayID) \(task.assignee.map { "for \($0)" } ?? "unassigned") (\(task.status.rawValue), \(task.priority.rawValue), \(task.effort.rawValue))"
                    + (task.epicDisplayID.map { " in \($0)" } ?? "") + ", titled:\n" + fence.wrap(task.title) + Self.suffix(change)
            }
        case "read_kanban_task":
            let detail = try await board.task(try arguments.requiredString("taskId"), by: actor)
            return try Self.boardResult(BoardTaskDetail(detail)) { Self.text(detail, $0) }
        case "list_kanban_tasks":
            let tasks = try await board.tasks(try Self.filter(arguments, epic: true), by: actor)
            return try Self.boardResult(BoardTaskList(tasks: tasks.map(BoardTaskResponse.init))) { fence in
                tasks.isEmpty
                    ? "No tasks match." : Self.listing("\(tasks.count) task\(tasks.count == 1 ? "" : "s")", tasks.map { Self.line($0, fence) }, fence)
            }
        case "update_kanban_task":
            let reference = try arguments.requiredString("taskId")
            let change = try await board.updateTask(reference, try Self.taskPatch(arguments), by: actor)
            return try Self.boardResult(BoardTaskChange(change)) { _ in Self.changeText(change.item.displayID, change) }
        case "update_kanban_task_status":
            let change = try await board.moveTask(try arguments.requiredString("taskId"), to: try Self.status(arguments), by: actor)
            return try Self.boardResult(BoardTaskChange(change)) { _ in
                Self.moveText(change.item.displayID, from: change.before?.status, to: change.item.status, changed: change.changedFields)
                    + Self.suffix(change)
            }
        case "comment_kanban_task", "comment_kanban_epic":
            let type = try CommentType(parsing: try arguments.requiredString("type"))
            let body = try arguments.requiredString("body")
            let change =
                name == "comment_kanban_task"
                ? try await board.commentTask(try arguments.requiredString("taskId"), type: type, body: body, by: actor)
                : try await board.commentEpic(try arguments.requiredString("epicId"), type: type, body: body, by: actor)
            return try Self.boardResult(BoardCommentChange(change)) { _ in
                "Posted a \(type.rawValue) comment on \(change.item.itemDisplayID)." + Self.suffix(change)
            }
        case "archive_kanban_task":
            let change = try await board.archiveTask(try arguments.requiredString("taskId"), by: actor)
            let text = change.changedFields.isEmpty ? "\(change.item.displayID) was already archived." : "Archived \(change.item.displayID)."
            return try Self.boardResult(BoardTaskChange(change)) { _ in text }
        case "search_kanban_tasks", "search_kanban_epics":
            let query = try Self.searchQuery(arguments)
            let result =
                name == "search_kanban_tasks" ? try await board.searchTasks(query, by: actor) : try await board.searchEpics(query, by: actor)
            return try Self.boardResult(BoardSearchResponse(result)) { Self.text(result, $0) }
        case "create_kanban_epic":
            let change = try await board.createEpic(try Self.epicDraft(arguments), by: actor)
            let epic = change.item
            return try Self.boardResult(BoardEpicChange(change)) { fence in
                "Created epic \(epic.displayID) for \(epic.assignee) (\(epic.status.rawValue)), titled:\n" + fence.wrap(epic.title)
                    + Self.suffix(change)
            }
        case "read_kanban_epic":
            let detail = try await board.epic(try arguments.requiredString("epicId"), by: actor)
            return try Self.boardResult(BoardEpicDetail(detail)) { Self.text(detail, $0) }
        case "list_kanban_epics":
            let epics = try await board.epics(try Self.filter(arguments, epic: false), by: actor)
            return try Self.boardResult(BoardEpicList(epics: epics.map(BoardEpicResponse.init))) { fence in
                epics.isEmpty
                    ? "No epics match." : Self.listing("\(epics.count) epic\(epics.count == 1 ? "" : "s")", epics.map { Self.line($0, fence) }, fence)
            }
        case "update_kanban_epic":
            let change = try await board.updateEpic(try arguments.requiredString("epicId"), try Self.epicPatch(arguments), by: actor)
            return try Self.boardResult(BoardEpicChange(change)) { _ in Self.changeText(change.item.displayID, change) }
        case "update_kanban_epic_status":
            let change = try await board.moveEpic(try arguments.requiredString("epicId"), to: try Self.status(arguments), by: actor)
            let text: String
            if let close = change.close {
                text = Self.closeText(close)
            } else {
                text =
                    Self.moveText(change.item.displayID, from: change.before?.status, to: change.item.status, changed: change.changedFields)
                    + (change.changedFields.isEmpty ? "" : Self.suffix(change))
            }
            return try Self.boardResult(BoardEpicChange(change)) { _ in text }
        case "archive_kanban_epic":
            let change = try await board.archiveEpic(try arguments.requiredString("epicId"), by: actor)
            let text = change.changedFields.isEmpty ? "\(change.item.displayID) was already archived." : "Archived epic \(change.item.displayID)."
            return try Self.boardResult(BoardEpicChange(change)) { _ in text }
        case "request_kanban_epic_close":
            let outcome = try await board.requestEpicClose(try arguments.requiredString("epicId"), by: actor)
            return try Self.boardResult(BoardEpicChange(outcome)) { _ in Self.closeText(outcome) }
        default:
            let change = try await board.cancelEpicClose(try arguments.requiredString("epicId"), by: actor)
            return try Self.boardResult(BoardEpicChange(change)) { _ in
                "Cancelled the close request of \(change.item.displayID); it stays \(change.item.status.rawValue)."
            }
        }
    }

    // MARK: Arguments

    private static func taskDraft(_ arguments: ToolArguments) throws -> TaskDraft {
        TaskDraft(
            title: try arguments.requiredString("title"),
            assignedTo: try arguments.optionalString("assignedTo"),
            details: try arguments.optionalString("details") ?? "",
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)) ?? .backlog,
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)) ?? .p2,
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)) ?? .m,
            github: try Self.githubLink(arguments),
            epic: try arguments.optionalString("epicId"),
            dependsOn: try arguments.boardStringList("dependsOnTaskIds") ?? []
        )
    }

    private static func taskPatch(_ arguments: ToolArguments) throws -> TaskPatch {
        TaskPatch(
            title: try arguments.optionalString("title"),
            details: try arguments.optionalString("details"),
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)),
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)),
            assignedTo: try arguments.optionalString("assignedTo"),
            epic: try arguments.boardNullableString("epicId"),
            dependsOn: try arguments.boardStringList("dependsOnTaskIds"),
            githubURL: try arguments.boardNullableString("githubUrl"),
            githubNumber: try arguments.boardNullablePositiveInt("githubNumber"),
            githubTitle: try arguments.boardNullableString("githubTitle"),
            branch: try arguments.boardNullableString("branch")
        )
    }

    private static func epicDraft(_ arguments: ToolArguments) throws -> EpicDraft {
        EpicDraft(
            title: try arguments.requiredString("title"),
            assignedTo: try arguments.requiredString("assignedTo"),
            details: try arguments.optionalString("details") ?? "",
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)) ?? .backlog,
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)) ?? .p2,
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)) ?? .m,
            github: try Self.githubLink(arguments)
        )
    }

    private static func epicPatch(_ arguments: ToolArguments) throws -> EpicPatch {
        EpicPatch(
            title: try arguments.optionalString("title"),
            details: try arguments.optionalString("details"),
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)),
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)),
            assignedTo: try arguments.optionalString("assignedTo"),
            githubURL: try arguments.boardNullableString("githubUrl"),
            githubNumber: try arguments.boardNullablePositiveInt("githubNumber"),
            githubTitle: try arguments.boardNullableString("githubTitle")
        )
    }

    private static func githubLink(_ arguments: ToolArguments) throws -> GitHubLink {
        GitHubLink(
            url: try arguments.optionalString("githubUrl"),
            number: try arguments.boardPositiveInt("githubNumber"),
            title: try arguments.optionalString("githubTitle")
        )
    }

    private static func status(_ arguments: ToolArguments) throws -> BoardStatus {
        try BoardStatus(parsing: try arguments.requiredString("status"))
    }

    private static func filter(_ arguments: ToolArguments, epic: Bool) throws -> BoardFilter {
        BoardFilter(
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            assignedTo: try arguments.optionalString("assignedTo"),
            createdBy: try arguments.optionalString("createdBy"),
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)),
            epic: epic ? try arguments.optionalString("epicId") : nil,
            includeArchived: try arguments.boardBool("includeArchived") ?? false,
            limit: try arguments.optionalInt("limit") ?? BoardLimits.defaultListLimit
        )
    }

    private static func searchQuery(_ arguments: ToolArguments) throws -> BoardSearchQuery {
        BoardSearchQuery(
            try arguments.requiredString("query"),
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            assignee: try arguments.optionalString("assignedTo"),
            includeArchived: try arguments.boardBool("includeArchived") ?? false,
            limit: try arguments.optionalInt("limit") ?? BoardLimits.defaultSearchLimit
        )
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

    /// The trusted facts of a task on one line, its title fenced on the next.
    private static func line(_ task: BoardTask, _ fence: UntrustedFence) -> String {
        "\(task.displayID) [\(task.status.rawValue)] \(task.priority.rawValue) \(task.effort.rawValue) \(BoardUnassigned.display(task.assignee))"
            + (task.epicDisplayID.map { " (epic \($0))" } ?? "")
            + (task.dependsOn.isEmpty ? "" : " (after \(task.dependsOn.joined(separator: ", ")))")
            + (task.isArchived ? " (archived)" : "") + ", title:\n" + fence.wrap(task.title)
    }

    private static func line(_ epic: BoardEpic, _ fence: UntrustedFence) -> String {
        "\(epic.displayID) [\(epic.status.rawValue)] \(epic.priority.rawValue) \(epic.assignee)"
            + (epic.closeApproval.status == .pending ? " (close pending approval)" : "") + (epic.isArchived ? " (archived)" : "")
            + ", title:\n" + fence.wrap(epic.title)
    }

    private static func text(_ detail: TaskDetail, _ fence: UntrustedFence) -> String {
        let task = detail.task
        var lines = ["Task \(task.displayID) [nonce \(fence.nonce)]"] + fence.legend + ["", self.line(task, fence), "Created by \(task.creator)."]
        if let branch = task.branch { lines += ["Branch:", fence.wrap(branch)] }
        lines += self.githubLines(url: task.github.url, number: task.github.number, title: task.github.title, fence)
        if !task.details.isEmpty { lines += ["Details:", fence.wrap(task.details)] }
        if !detail.dependencies.isEmpty {
            lines.append("Depends on: " + detail.dependencies.map { "\($0.displayID) (\($0.status.rawValue))" }.joined(separator: ", "))
        }
        if !detail.dependedBy.isEmpty { lines.append("Needed by: " + detail.dependedBy.map(\.displayID).joined(separator: ", ")) }
        lines += self.commentLines(detail.comments, fence)
        return lines.joined(separator: "\n")
    }

    private static func text(_ detail: EpicDetail, _ fence: UntrustedFence) -> String {
        let epic = detail.epic
        var lines = ["Epic \(epic.displayID) [nonce \(fence.nonce)]"] + fence.legend + ["", self.line(epic, fence), "Created by \(epic.creator)."]
        lines += self.githubLines(url: epic.github.url, number: epic.github.number, title: epic.github.title, fence)
        if !epic.details.isEmpty { lines += ["Details:", fence.wrap(epic.details)] }
        lines.append(
            detail.children.isEmpty
                ? "No tasks."
                : "Tasks: " + detail.children.map { "\($0.displayID) (\($0.status.rawValue))" }.joined(separator: ", ")
        )
        lines += self.commentLines(detail.comments, fence)
        return lines.joined(separator: "\n")
    }

    private static func githubLines(url: String?, number: Int?, title: String?, _ fence: UntrustedFence) -> [String] {
        var lines: [String] = []
        if let number { lines.append("GitHub number: \(number)") }
        if let url { lines += ["GitHub link:", fence.wrap(url)] }
        if let title { lines += ["GitHub title:", fence.wrap(title)] }
        return lines
    }

    private static func commentLines(_ comments: [BoardComment], _ fence: UntrustedFence) -> [String] {
        guard !comments.isEmpty else { return [] }
        return ["", "Comments:"] + comments.flatMap { ["- \($0.author) [\($0.type.rawValue)]:", fence.wrap($0.body)] }
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

extension ToolArguments {
    fileprivate func boardBool(_ name: String) throws -> Bool? {
        switch self.values[name] {
        case nil, .null: return nil
        case .bool(let value): return value
        default: throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be true or false")
        }
    }

    fileprivate func boardPositiveInt(_ name: String) throws -> Int? {
        guard let value = try self.optionalInt(name) else { return nil }
        guard value >= 1 else { throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a whole number ≥ 1 (got \(value))") }
        return value
    }

    /// nil when absent, `.some(nil)` for an explicit null.
    fileprivate func boardNullableString(_ name: String) throws -> String?? {
        guard let value = self.values[name] else { return nil }
        if value == .null { return .some(nil) }
        return .some(try self.optionalString(name))
    }

    fileprivate func boardNullablePositiveInt(_ name: String) throws -> Int?? {
        guard let value = self.values[name] else { return nil }
        if value == .null { return .some(nil) }
        return .some(try self.boardPositiveInt(name))
    }

    fileprivate func boardStringList(_ name: String) throws -> [String]? {
        switch self.values[name] {
        case nil, .null: return nil
        case .array(let items):
            return try items.map { item in
                guard case .string(let text) = item else {
                    throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a list of task ids (strings such as \"WA-3\")")
                }
                return text
            }
        default:
            throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a list of task ids (strings such as \"WA-3\")")
        }
    }
}
