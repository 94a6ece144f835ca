import Foundation
import WhatsAgentAPI
import WhatsAgentCore

/// A board item kind as the agent tools read and write it: the draft and patch an agent's arguments give, and the
/// compact text of a new item, a listing line and a detail (the model reads the text; titles and other words people
/// wrote stay inside the result's fence).
protocol BoardItemTool: BoardItemWire {
    static func draft(_ arguments: ToolArguments) throws -> Draft
    static func patch(_ arguments: ToolArguments) throws -> Patch
    /// `Created WA-1 for api:dev …, titled:` and the fenced title.
    static func createdText(_ item: Self, _ fence: UntrustedFence) -> String
    /// The trusted facts of an item on one line, its title fenced on the next.
    static func line(_ item: Self, _ fence: UntrustedFence) -> String
    static func text(_ detail: Detail, _ fence: UntrustedFence) -> String
}

extension BoardTask: BoardItemTool {
    static func draft(_ arguments: ToolArguments) throws -> TaskDraft {
        let github = try arguments.boardGitHubLink()
        return TaskDraft(
            title: try arguments.requiredString("title"),
            assignedTo: try arguments.optionalString("assignedTo"),
            details: try arguments.optionalString("details"),
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)),
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)),
            githubUrl: github.url,
            githubNumber: github.number,
            githubTitle: github.title,
            epicId: try arguments.optionalString("epicId"),
            dependsOnTaskIds: try arguments.boardStringList("dependsOnTaskIds")
        )
    }

    static func patch(_ arguments: ToolArguments) throws -> TaskPatch {
        TaskPatch(
            title: try arguments.optionalString("title"),
            details: try arguments.optionalString("details"),
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)),
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)),
            assignedTo: try arguments.optionalString("assignedTo"),
            epicId: try arguments.boardNullableString("epicId"),
            dependsOnTaskIds: try arguments.boardStringList("dependsOnTaskIds"),
            githubUrl: try arguments.boardNullableString("githubUrl"),
            githubNumber: try arguments.boardNullablePositiveInt("githubNumber"),
            githubTitle: try arguments.boardNullableString("githubTitle"),
            branch: try arguments.boardNullableString("branch")
        )
    }

    static func createdText(_ task: BoardTask, _ fence: UntrustedFence) -> String {
        "Created \(task.displayID) \(task.assignee.map { "for \($0)" } ?? "unassigned") (\(task.status.rawValue), \(task.priority.rawValue), \(task.effort.rawValue))"
            + (task.epicDisplayID.map { " in \($0)" } ?? "") + ", titled:\n" + fence.wrap(task.title)
    }

    static func line(_ task: BoardTask, _ fence: UntrustedFence) -> String {
        "\(task.displayID) [\(task.status.rawValue)] \(task.priority.rawValue) \(task.effort.rawValue) \(BoardUnassigned.display(task.assignee))"
            + (task.epicDisplayID.map { " (epic \($0))" } ?? "")
            + (task.dependsOn.isEmpty ? "" : " (after \(task.dependsOn.joined(separator: ", ")))")
            + (task.isArchived ? " (archived)" : "") + ", title:\n" + fence.wrap(task.title)
    }

    static func text(_ detail: TaskDetail, _ fence: UntrustedFence) -> String {
        let task = detail.task
        var lines = ["Task \(task.displayID) [nonce \(fence.nonce)]"] + fence.legend + ["", self.line(task, fence), "Created by \(task.creator)."]
        if let branch = task.branch { lines += ["Branch:", fence.wrap(branch)] }
        lines += BoardToolText.github(task.github, fence)
        if !task.details.isEmpty { lines += ["Details:", fence.wrap(task.details)] }
        if !detail.dependencies.isEmpty {
            lines.append("Depends on: " + detail.dependencies.map { "\($0.displayID) (\($0.status.rawValue))" }.joined(separator: ", "))
        }
        if !detail.dependedBy.isEmpty { lines.append("Needed by: " + detail.dependedBy.map(\.displayID).joined(separator: ", ")) }
        lines += BoardToolText.comments(detail.comments, fence)
        return lines.joined(separator: "\n")
    }
}

extension BoardEpic: BoardItemTool {
    static func draft(_ arguments: ToolArguments) throws -> EpicDraft {
        let github = try arguments.boardGitHubLink()
        return EpicDraft(
            title: try arguments.requiredString("title"),
            assignedTo: try arguments.requiredString("assignedTo"),
            details: try arguments.optionalString("details"),
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)),
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)),
            githubUrl: github.url,
            githubNumber: github.number,
            githubTitle: github.title
        )
    }

    static func patch(_ arguments: ToolArguments) throws -> EpicPatch {
        EpicPatch(
            title: try arguments.optionalString("title"),
            details: try arguments.optionalString("details"),
            status: try arguments.optionalString("status").map(BoardStatus.init(parsing:)),
            priority: try arguments.optionalString("priority").map(BoardPriority.init(parsing:)),
            effort: try arguments.optionalString("effort").map(BoardEffort.init(parsing:)),
            assignedTo: try arguments.optionalString("assignedTo"),
            githubUrl: try arguments.boardNullableString("githubUrl"),
            githubNumber: try arguments.boardNullablePositiveInt("githubNumber"),
            githubTitle: try arguments.boardNullableString("githubTitle")
        )
    }

    static func createdText(_ epic: BoardEpic, _ fence: UntrustedFence) -> String {
        "Created epic \(epic.displayID) for \(epic.assignee) (\(epic.status.rawValue)), titled:\n" + fence.wrap(epic.title)
    }

    static func line(_ epic: BoardEpic, _ fence: UntrustedFence) -> String {
        "\(epic.displayID) [\(epic.status.rawValue)] \(epic.priority.rawValue) \(epic.assignee)"
            + (epic.closeApproval.status == .pending ? " (close pending approval)" : "") + (epic.isArchived ? " (archived)" : "")
            + ", title:\n" + fence.wrap(epic.title)
    }

    static func text(_ detail: EpicDetail, _ fence: UntrustedFence) -> String {
        let epic = detail.epic
        var lines = ["Epic \(epic.displayID) [nonce \(fence.nonce)]"] + fence.legend + ["", self.line(epic, fence), "Created by \(epic.creator)."]
        lines += BoardToolText.github(epic.github, fence)
        if !epic.details.isEmpty { lines += ["Details:", fence.wrap(epic.details)] }
        lines.append(
            detail.children.isEmpty
                ? "No tasks."
                : "Tasks: " + detail.children.map { "\($0.displayID) (\($0.status.rawValue))" }.joined(separator: ", ")
        )
        lines += BoardToolText.comments(detail.comments, fence)
        return lines.joined(separator: "\n")
    }
}

/// The lines a task's and an epic's detail text share.
enum BoardToolText {
    static func github(_ link: GitHubLink, _ fence: UntrustedFence) -> [String] {
        var lines: [String] = []
        if let number = link.number { lines.append("GitHub number: \(number)") }
        if let url = link.url { lines += ["GitHub link:", fence.wrap(url)] }
        if let title = link.title { lines += ["GitHub title:", fence.wrap(title)] }
        return lines
    }

    static func comments(_ comments: [BoardComment], _ fence: UntrustedFence) -> [String] {
        guard !comments.isEmpty else { return [] }
        return ["", "Comments:"] + comments.flatMap { ["- \($0.author) [\($0.type.rawValue)]:", fence.wrap($0.body)] }
    }
}
