import Foundation
import WhatsAgentAPI
import WhatsAgentCore

/// The JSON text frames of the web event stream (`GET /api/v1/events`, WEB-CONTRACT.md): one object per frame, with
/// `type` and, except `hello` and `resync`, `workspaceId`. Explicit `null`s where the contract has them.
enum WebEventWire {
    static func hello(version: String) -> String {
        self.text(["type": "hello", "version": version])
    }

    static func text(of item: WorkspaceFeedItem) -> String {
        switch item {
        case .resync: self.text(["type": "resync"])
        case .event(let workspace, let event): self.text(self.object(event, workspace: workspace.rawValue))
        }
    }

    static func object(_ event: WorkspaceEvent, workspace: String) -> [String: Any] {
        var object: [String: Any] = ["workspaceId": workspace]
        switch event {
        case .message(let notice):
            object["type"] = "message"
            object["messageId"] = notice.messageID
            object["from"] = notice.from
            object["to"] = notice.to
            object["kind"] = notice.kind
            object["channel"] = notice.channel ?? NSNull()
            object["threadId"] = notice.threadID ?? NSNull()
        case .messageState(let ids, let state):
            object["type"] = "message_state"
            object["messageIds"] = ids
            object["state"] = state.rawValue
        case .agentsChanged:
            object["type"] = "agents"
        case .attention(let agent, let attention):
            object["type"] = "attention"
            object["agent"] = agent
            object["attention"] = attention
        case .nudgePending(let agent, let pending):
            object["type"] = "nudge_pending"
            object["agent"] = agent
            object["pending"] = pending
        case .sessionEnded(let agent, let reason, let exitCode):
            object["type"] = "session_ended"
            object["agent"] = agent
            object["reason"] = reason
            object["exitCode"] = exitCode.map { Int($0) as Any } ?? NSNull()
        case .board(let itemID, let kind):
            object["type"] = "board"
            object["itemId"] = itemID
            object["kind"] = kind.rawValue
        case .closeApproval(let epicID):
            object["type"] = "close_approval"
            object["epicId"] = epicID
        case .loopHeld(let hold):
            object["type"] = "loop_held"
            object["pair"] = hold.agents
        case .loopReleased(let hold, let released):
            object["type"] = "loop_released"
            object["pair"] = hold.agents
            object["released"] = released
        case .workspacesChanged:
            object["type"] = "workspaces"
        case .channelsChanged:
            object["type"] = "channels"
        }
        return object
    }

    private static func text(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
