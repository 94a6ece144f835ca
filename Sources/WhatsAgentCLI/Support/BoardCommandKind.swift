import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// What differs between `task` and `epic` in the subcommands they share (list, show, move, comment, archive,
/// unarchive, search): the words of their help, the resource the client calls, the options `list` adds, and how a
/// listing, a detail and a move are shown.
protocol BoardCommandKind: Sendable {
    /// The daemon's collection of this kind.
    associatedtype Resource: BoardItemResource

    /// `task` or `epic`.
    static var noun: String { get }
    /// `a task` or `an epic`.
    static var withArticle: String { get }
    /// The help of the id argument (`Task id (WA-001).`).
    static var idHelp: String { get }
    /// The abstract of `archive`.
    static var archiveAbstract: String { get }
    /// The options `list` adds to the shared filters (`--epic` for tasks).
    associatedtype ListOptions: ParsableArguments

    /// The epic filter of `list`'s own options.
    static func epic(_ options: ListOptions) -> String?
    /// Prints a listing as text.
    static func list(_ list: Resource.List)
    /// The abstract of `show`.
    static var showAbstract: String { get }
    /// Prints a detail as text.
    static func show(_ detail: Resource.Detail)
    /// The abstract of `move`.
    static var moveAbstract: String { get }
    /// Prints a move's result as text.
    static func moved(_ change: Resource.Change)
    /// The display id and changed fields of an archive or unarchive change.
    static func summary(_ change: Resource.Change) -> (displayID: String, changedFields: [String])
}

/// `task` in the shared subcommands.
enum TaskCommandKind: BoardCommandKind {
    typealias Resource = BoardTasks
    static let noun = "task"
    static let withArticle = "a task"
    static let idHelp = "Task id (WA-001)."
    static let archiveAbstract = "Archive a task (nothing is deleted; unarchive brings it back)."
    static func epic(_ options: TaskListOptions) -> String? { options.epic }
    static func list(_ list: BoardTaskList) { BoardText.tasks(list.tasks) }
    static let showAbstract = "Show a task with its dependencies, comments and activity."
    static func show(_ detail: BoardTaskDetail) { BoardText.task(detail) }
    static let moveAbstract = "Move a task to another status."
    static func moved(_ change: BoardTaskChange) {
        BoardText.warnings(change.warnings)
        BoardText.moved(change.task.displayId, to: change.task.status, changedFields: change.changedFields, notified: change.notified)
    }
    static func summary(_ change: BoardTaskChange) -> (displayID: String, changedFields: [String]) { (change.task.displayId, change.changedFields) }
}

/// `epic` in the shared subcommands.
enum EpicCommandKind: BoardCommandKind {
    typealias Resource = BoardEpics
    static let noun = "epic"
    static let withArticle = "an epic"
    static let idHelp = "Epic id (EP-001)."
    static let archiveAbstract = "Archive an epic (its tasks must be archived first)."
    static func epic(_ options: NoListOptions) -> String? { nil }
    static func list(_ list: BoardEpicList) { BoardText.epics(list.epics) }
    static let showAbstract = "Show an epic with its tasks, comments and activity."
    static func show(_ detail: BoardEpicDetail) { BoardText.epic(detail) }
    static let moveAbstract = "Move an epic to another status; Completed asks to close it (pending approval while tasks are open)."
    /// A move to Completed shows the close outcome instead.
    static func moved(_ change: BoardEpicChange) {
        BoardText.warnings(change.warnings)
        if let outcome = change.closeApproval { return print(BoardText.close(change.epic, outcome) + BoardText.notified(change.notified)) }
        BoardText.moved(change.epic.displayId, to: change.epic.status, changedFields: change.changedFields, notified: change.notified)
    }
    static func summary(_ change: BoardEpicChange) -> (displayID: String, changedFields: [String]) { (change.epic.displayId, change.changedFields) }
}

/// `task list --epic`.
struct TaskListOptions: ParsableArguments {
    @Option(help: "Only tasks of this epic; none: tasks without an epic.") var epic: String?
}

/// `epic list` adds no options to the shared filters.
struct NoListOptions: ParsableArguments {}
