import Foundation
import WhatsAgentAPI

/// Text renderings of a board export, as pure functions: CSV (RFC 4180) and Markdown for people.
public enum BoardRenderer {
    /// The CSV header row's columns.
    public static let csvColumns = [
        "kind", "displayId", "title", "status", "priority", "effort", "assignee", "creator", "epic", "dependsOn", "closeApproval",
        "githubUrl", "githubNumber", "githubTitle", "createdAt", "updatedAt", "completedAt", "archivedAt", "details",
    ]

    /// Epics then tasks, one row each, CRLF line ends, fields quoted when they hold a comma, quote or line break.
    public static func csv(_ board: BoardSnapshot) -> String {
        var rows = [self.csvColumns]
        for epic in board.epics {
            rows.append([
                "epic", epic.displayID, epic.title, epic.status.rawValue, epic.priority.rawValue, epic.effort.rawValue, epic.assignee,
                epic.creator, "", "", epic.closeApproval.status.rawValue, epic.github.url ?? "", epic.github.number.map(String.init) ?? "",
                epic.github.title ?? "", self.date(epic.createdAt), self.date(epic.updatedAt), self.date(epic.completedAt),
                self.date(epic.archivedAt), epic.details,
            ])
        }
        for task in board.tasks {
            rows.append([
                "task", task.displayID, task.title, task.status.rawValue, task.priority.rawValue, task.effort.rawValue, task.assignee ?? "",
                task.creator, task.epicDisplayID ?? "", task.dependsOn.joined(separator: " "), "", task.github.url ?? "",
                task.github.number.map(String.init) ?? "", task.github.title ?? "", self.date(task.createdAt), self.date(task.updatedAt),
                self.date(task.completedAt), self.date(task.archivedAt), task.details,
            ])
        }
        return rows.map { $0.map(self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// Epics with their tasks (then tasks without an epic): status, assignee, dependencies, details and comments.
    public static func markdown(_ board: BoardSnapshot, title: String = "Board") -> String {
        var lines = [
            "# \(title)",
            "",
            "\(board.epics.count) epic\(board.epics.count == 1 ? "" : "s"), \(board.tasks.count) task\(board.tasks.count == 1 ? "" : "s"). "
                + "Task ids \(board.taskPrefix)-…, epic ids \(board.epicPrefix)-….",
        ]
        let comments = Dictionary(grouping: board.comments) { "\($0.itemKind.rawValue):\($0.itemID)" }
        for epic in board.epics {
            lines += ["", "## \(epic.displayID): \(self.inline(epic.title))\(epic.isArchived ? " (archived)" : "")", ""]
            var meta =
                "Status: **\(epic.status.rawValue)** · Priority: \(epic.priority.rawValue) · Effort: \(epic.effort.rawValue) · "
                + "Assignee: \(epic.assignee) · Created by: \(epic.creator)"
            switch epic.closeApproval.status {
            case .pending: meta += " · Close: **pending approval** (requested by \(epic.closeApproval.requestedBy ?? "?"))"
            case .approved: meta += " · Close: approved by \(epic.closeApproval.approvedBy ?? "?")"
            case .none: break
            }
            lines.append(meta)
            lines += self.body(epic.details, github: epic.github)
            lines += self.comments(comments["epic:\(epic.id)"] ?? [])
            for task in board.tasks where task.epicID == epic.id {
                lines += self.task(task, comments: comments["task:\(task.id)"] ?? [])
            }
        }
        let loose = board.tasks.filter { $0.epicID == nil }
        if !loose.isEmpty {
            lines += ["", "## Tasks without an epic"]
            for task in loose { lines += self.task(task, comments: comments["task:\(task.id)"] ?? []) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Helpers

    private static func task(_ task: BoardTask, comments: [BoardComment]) -> [String] {
        var lines = ["", "### \(task.displayID): \(self.inline(task.title))\(task.isArchived ? " (archived)" : "")", ""]
        lines.append(
            "Status: **\(task.status.rawValue)** · Priority: \(task.priority.rawValue) · Effort: \(task.effort.rawValue) · "
                + "Assignee: \(BoardUnassigned.display(task.assignee)) · Created by: \(task.creator)"
                + (task.dependsOn.isEmpty ? "" : " · Depends on: \(task.dependsOn.joined(separator: ", "))")
        )
        lines += self.body(task.details, github: task.github)
        lines += self.comments(comments)
        return lines
    }

    private static func body(_ details: String, github: GitHubLink) -> [String] {
        var lines: [String] = []
        if let url = github.url {
            let label = [github.number.map { "#\($0)" }, github.title].compactMap { $0 }.joined(separator: " ")
            lines += ["", "GitHub: \(label.isEmpty ? url : "[\(self.inline(label))](\(url))")"]
        }
        if !details.isEmpty { lines += ["", details] }
        return lines
    }

    private static func comments(_ comments: [BoardComment]) -> [String] {
        guard !comments.isEmpty else { return [] }
        var lines = ["", "Comments:", ""]
        for comment in comments {
            let body = comment.body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: "\n  ")
            lines.append("- \(self.date(comment.createdAt)) \(comment.author) (\(comment.type.rawValue)): \(body)")
        }
        return lines
    }

    /// One line: line breaks become spaces.
    private static func inline(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// RFC 3339 with milliseconds, UTC; empty for nil.
    static func date(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
