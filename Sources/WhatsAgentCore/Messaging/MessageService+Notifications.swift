import Foundation

// Board notifications (SPEC §9, reference §13.4) travel through the inbox like direct messages: kind `kanban`, from
// `whatsagent`, thread `kanban:<display id>`. They are stored inside the board change's own transaction (so a
// change and its notifications commit or fail together) and pushed right after the commit. Rows are only written
// for agents: the human sees every change on the board itself, so nothing is queued for human-web.
extension MessageService {
    /// Pushes a mail hint to each notified agent that is connected (committed notifications wait otherwise); one
    /// write transaction for the push marks of all of them.
    func pushNotifications(_ notifications: [BoardNotification], _ store: any MessagingStore) async throws {
        var recipients: [AgentID] = []
        for id in notifications.map(\.toAgentID) where !recipients.contains(id) { recipients.append(id) }
        try await self.pushWaiting(to: recipients, store)
    }
}
