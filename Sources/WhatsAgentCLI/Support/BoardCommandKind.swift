import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// What differs between `task` and `epic` in the subcommands they share (show, move, comment, archive, unarchive,
/// search): the words of their help, the resource the client calls, and how a detail and a move are shown.
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
