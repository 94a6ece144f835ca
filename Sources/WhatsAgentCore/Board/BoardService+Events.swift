import Foundation
import WhatsAgentAPI

/// What the web UI hears of a board change (``WorkspaceEvent/board(itemID:kind:)``), published after the commit.
extension BoardService {
    /// The events of a committed change's result: the item it touched, and `close_approval` when an epic's close now
    /// waits for the human.
    static func events(of result: some Sendable) -> [WorkspaceEvent] {
        switch result {
        case let change as BoardChange<BoardTask>:
            return [.board(itemID: change.item.displayID, kind: .task)]
        case let change as BoardChange<BoardEpic>:
            return self.epicEvents(change.item, close: change.close)
        case let change as BoardChange<BoardComment>:
            return [.board(itemID: change.item.itemDisplayID, kind: change.item.itemKind)]
        case let outcome as EpicCloseOutcome:
            return self.epicEvents(outcome.epic, close: outcome)
        default:
            return []
        }
    }

    /// A `message` event per stored board notification (kind `kanban`, from `whatsagent`).
    static func events(notifying notifications: [BoardNotification]) -> [WorkspaceEvent] {
        notifications.compactMap { notification in
            notification.messageID.map {
                .message(
                    MessageNotice(
                        messageID: String($0),
                        from: BoardNotification.senderAddress,
                        to: notification.toAddress,
                        kind: "kanban",
                        threadID: notification.threadID
                    )
                )
            }
        }
    }

    private static func epicEvents(_ epic: BoardEpic, close: EpicCloseOutcome?) -> [WorkspaceEvent] {
        var events: [WorkspaceEvent] = [.board(itemID: epic.displayID, kind: .epic)]
        if close?.status == .pending || (close == nil && epic.closeApproval.status == .pending) {
            events.append(.closeApproval(epicID: epic.displayID))
        }
        return events
    }
}
