import Foundation
import WhatsAgentAPI
import WhatsAgentCore

/// The readable (non-`--json`) output of `task`, `epic` and `board` commands.
enum BoardText {
    /// `task list`.
    static func tasks(_ tasks: [BoardTaskResponse]) {
        if tasks.isEmpty { return print("no tasks") }
        Output.table(
            ["ID", "STATUS", "PRI", "EFFORT", "ASSIGNEE", "EPIC", "TITLE"],
            tasks.map { task in
                [
                    task.displayId, task.status.rawValue, task.priority.rawValue, task.effort.rawValue,
                    BoardUnassigned.display(task.assignee), task.epicId ?? "",
                    self.oneLine(task.title) + (task.archivedAt == nil ? "" : " (archived)"),
                ]
            }
        )
    }

    /// `epic list`.
    static func epics(_ epics: [BoardEpicResponse]) {
        if epics.isEmpty { return print("no epics") }
        Output.table(
            ["ID", "STATUS", "PRI", "EFFORT", "ASSIGNEE", "CLOSE", "TITLE"],
            epics.map { epic in
                [
                    epic.displayId, epic.status.rawValue, epic.priority.rawValue, epic.effort.rawValue, epic.assignee,
                    epic.closeApproval.status == .none ? "" : epic.closeApproval.status.rawValue,
                    self.oneLine(epic.title) + (epic.archivedAt == nil ? "" : " (archived)"),
                ]
            }
        )
    }

    /// `task show`.
    static func task(_ detail: BoardTaskDetail) {
        let task = detail.task
        print("\(task.displayId): \(Terminal.safe(self.oneLine(task.title)))\(task.archivedAt == nil ? "" : " (archived)")")
        print(
            "Status: \(task.status.rawValue) · Priority: \(task.priority.rawValue) · Effort: \(task.effort.rawValue) · "
                + "Assignee: \(BoardUnassigned.display(task.assignee)) · Created by: \(task.creator)"
        )
        if let epic = task.epicId { print("Epic: \(epic)") }
        if let branch = task.branch { print("Branch: \(Terminal.safe(branch))") }
        if !detail.dependencies.isEmpty { print("Depends on: \(self.refs(detail.dependencies))") }
        if !detail.dependedBy.isEmpty { print("Depended on by: \(self.refs(detail.dependedBy))") }
        self.github(url: task.githubUrl, number: task.githubNumber, title: task.githubTitle)
        self.dates(created: task.createdAt, updated: task.updatedAt, completed: task.completedAt, archived: task.archivedAt, by: task.archivedBy)
        self.body(task.details, comments: detail.comments, activity: detail.activity)
    }

    /// `epic show`.
    static func epic(_ detail: BoardEpicDetail) {
        let epic = detail.epic
        print("\(epic.displayId): \(Terminal.safe(self.oneLine(epic.title)))\(epic.archivedAt == nil ? "" : " (archived)")")
        print(
            "Status: \(epic.status.rawValue) · Priority: \(epic.priority.rawValue) · Effort: \(epic.effort.rawValue) · "
                + "Assignee: \(epic.assignee) · Created by: \(epic.creator)"
        )
        switch epic.closeApproval.status {
        case .pending:
            print(
                "Close: pending approval (requested by \(epic.closeApproval.requestedBy ?? "?")); approve with "
                    + "`whatsagent epic approve-close \(epic.displayId)` or cancel with `whatsagent epic cancel-close \(epic.displayId)`"
            )
        case .approved: print("Close: approved by \(epic.closeApproval.approvedBy ?? "?")")
        case .none: break
        }
        print("Tasks: \(detail.children.count) (\(detail.openChildren) open)\(detail.children.isEmpty ? "" : ": " + self.refs(detail.children))")
        self.github(url: epic.githubUrl, number: epic.githubNumber, title: epic.githubTitle)
        self.dates(created: epic.createdAt, updated: epic.updatedAt, completed: epic.completedAt, archived: epic.archivedAt, by: epic.archivedBy)
        self.body(epic.details, comments: detail.comments, activity: detail.activity)
    }

    /// `task search`, `epic search`.
    static func search(_ results: BoardSearchResponse) {
        for hit in results.results {
            let archived = hit.archived ? " (archived)" : ""
            print(
                "[\(hit.displayId)] \(hit.status.rawValue) · \(BoardUnassigned.display(hit.assignee)) · \(Terminal.safe(self.oneLine(hit.title)))\(archived)"
            )
            print("  \(Terminal.safe(self.oneLine(hit.preview)))")
        }
        if results.total == 0 { return print("no matches") }
        let shown = results.results.count
        print(
            shown < results.total
                ? "\(shown) of \(results.total) matches (raise --limit to see more)" : "\(results.total) match\(results.total == 1 ? "" : "es")"
        )
    }

    /// Non-blocking warnings of a change, on stderr (stdout stays the result).
    static func warnings(_ warnings: [String]) {
        for warning in warnings { FileHandle.standardError.write(Data("warning: \(Terminal.safe(warning))\n".utf8)) }
    }

    /// `task create`, `epic create`.
    static func created(_ displayID: String, for assignee: String?, warnings: [String], notified: [String]) {
        self.warnings(warnings)
        print("created \(displayID) \(assignee.map { "for \($0)" } ?? BoardUnassigned.label)\(self.notified(notified))")
    }

    /// `task edit`, `epic edit`.
    static func updated(_ displayID: String, changedFields: [String], warnings: [String], notified: [String]) {
        self.warnings(warnings)
        if changedFields.isEmpty { return print("\(displayID) already had those values") }
        print("updated \(displayID): \(changedFields.joined(separator: ", "))\(self.notified(notified))")
    }

    /// `task move`, `epic move` (after the epic's close outcome, if any).
    static func moved(_ displayID: String, to status: BoardStatusValue, changedFields: [String], notified: [String]) {
        if changedFields.isEmpty { return print("\(displayID) is already \(status.rawValue)") }
        print("moved \(displayID) to \(status.rawValue)\(self.notified(notified))")
    }

    /// ` (notified a:b, c:d)`, or nothing.
    static func notified(_ addresses: [String]) -> String {
        addresses.isEmpty ? "" : " (notified \(addresses.joined(separator: ", ")))"
    }

    /// A close outcome in one line.
    static func close(_ epic: BoardEpicResponse, _ outcome: BoardCloseOutcome) -> String {
        switch outcome.status {
        case .pending:
            let open = outcome.childDisplayIds.isEmpty ? "" : ": \(outcome.childDisplayIds.joined(separator: ", "))"
            return
                "the close of \(epic.displayId) is pending approval (\(outcome.openChildren) open task\(outcome.openChildren == 1 ? "" : "s")\(open)); "
                + "approve with `whatsagent epic approve-close \(epic.displayId)`"
        case .approved, .none:
            return "completed \(epic.displayId)"
        }
    }

    // MARK: Helpers

    static func oneLine(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A logged value in one line of at most 80 characters.
    private static func short(_ value: String?) -> String {
        let text = self.oneLine(value ?? "null")
        return text.count > 80 ? String(text.prefix(79)) + "…" : text
    }

    private static func refs(_ refs: [BoardTaskRefResponse]) -> String {
        refs.map { "\($0.displayId) (\($0.status.rawValue)\($0.archived ? ", archived" : ""))" }.joined(separator: ", ")
    }

    private static func github(url: String?, number: Int?, title: String?) {
        guard url != nil || number != nil || title != nil else { return }
        let parts = [number.map { "#\($0)" }, title.map { Terminal.safe(self.oneLine($0)) }, url].compactMap { $0 }
        print("GitHub: \(parts.joined(separator: " "))")
    }

    private static func dates(created: Date, updated: Date, completed: Date?, archived: Date?, by: String?) {
        var line = "Created \(TimeText.local(created)) · Updated \(TimeText.local(updated))"
        if let completed { line += " · Completed \(TimeText.local(completed))" }
        if let archived { line += " · Archived \(TimeText.local(archived))\(by.map { " by \($0)" } ?? "")" }
        print(line)
    }

    private static func body(_ details: String, comments: [BoardCommentResponse], activity: [BoardActivityResponse]) {
        if !details.isEmpty { print("\n\(Terminal.safe(details))") }
        if !comments.isEmpty {
            print("\nComments:")
            for comment in comments {
                print("  [\(TimeText.local(comment.createdAt))] \(comment.author) (\(comment.type.rawValue)): \(Terminal.safe(comment.body))")
            }
        }
        if !activity.isEmpty {
            print("\nActivity:")
            for entry in activity {
                var line = "  [\(TimeText.local(entry.createdAt))] \(entry.actor) \(entry.action.replacingOccurrences(of: "_", with: " "))"
                if let field = entry.field { line += " \(field): \(self.short(entry.before)) → \(self.short(entry.after))" }
                print(Terminal.safe(line))
            }
        }
    }
}
