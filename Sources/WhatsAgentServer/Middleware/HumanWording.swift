import Foundation
import WhatsAgentAPI
import WhatsAgentCore

/// Refusals are written once, mostly for the agents that meet them, with MCP tool names ("use send_message"). The
/// human — the management API on the owner socket and behind the web login — gets the same refusal in its own words:
/// CLI commands and web UI buttons instead of tools and tool arguments. `ErrorMiddleware` applies it once per
/// transport: every error of the management API, none of the agent protocol (`/api/v1/agent/…`).
enum HumanWording {
    /// What the human uses instead of each agent tool (every tool of `AgentTools.all` has one) and tool argument.
    static let insteadOf: [String: String] = [
        "whoami": "`whatsagent agent show REPO:NAME`",
        "list_peers": "`whatsagent agent list` (the Agents page)",
        "list_channels": "`whatsagent channel list`",
        "set_summary": "the agent's own summary (`whatsagent agent show`)",
        "send_message": "`whatsagent msg send` (Send on the Messages page)",
        "broadcast_message": "`whatsagent msg broadcast`",
        "check_messages": "`whatsagent msg inbox`",
        "search_direct_messages": "`whatsagent msg search`",
        "join_channel": "`whatsagent channel members`",
        "leave_channel": "`whatsagent channel members`",
        "create_channel": "`whatsagent channel create`",
        "post_channel_message": "`whatsagent channel post` (Post on the Channels page)",
        "reply_channel_thread": "`whatsagent channel reply`",
        "read_channel_messages": "`whatsagent channel read`",
        "search_channel_messages": "`whatsagent msg search --channels`",
        "create_kanban_task": "`whatsagent task create` (New task on the Board)",
        "read_kanban_task": "`whatsagent task show`",
        "list_kanban_tasks": "`whatsagent task list`",
        "update_kanban_task": "`whatsagent task edit`",
        "update_kanban_task_status": "`whatsagent task move`",
        "comment_kanban_task": "`whatsagent task comment`",
        "archive_kanban_task": "`whatsagent task archive`",
        "search_kanban_tasks": "`whatsagent task search`",
        "create_kanban_epic": "`whatsagent epic create`",
        "read_kanban_epic": "`whatsagent epic show`",
        "list_kanban_epics": "`whatsagent epic list`",
        "update_kanban_epic": "`whatsagent epic edit`",
        "update_kanban_epic_status": "`whatsagent epic move`",
        "comment_kanban_epic": "`whatsagent epic comment`",
        "archive_kanban_epic": "`whatsagent epic archive`",
        "search_kanban_epics": "`whatsagent epic search`",
        "request_kanban_epic_close": "`whatsagent epic move ID completed`",
        "cancel_kanban_epic_close": "`whatsagent epic cancel-close`",
        "assignedTo": "--assignee",
        "taskId": "the task id",
        "epicId": "the epic id",
        "dependsOn": "--depends-on",
    ]

    /// `error` as the human reads it; the code never changes. One decision per code (the switch is exhaustive, so a
    /// new code is decided here): every code's message is reworded, since any refusal may name a tool.
    static func forHuman(_ error: DomainError) -> DomainError {
        switch error.code {
        case .invalidArgument, .invalidName, .notFound, .workspaceNotFound, .repoNotFound, .agentNotFound, .noCurrentWorkspace,
            .nameTaken, .pathTaken, .liveSessions, .invalidState, .configuration, .databaseTooNew, .storage, .daemonAlreadyRunning,
            .homePathTooLong, .bindFailed, .invalidSessionToken, .sessionExists, .topologyRefused, .idempotencyConflict, .rateLimited,
            .rbacDenied, .agentMuted, .authenticationRequired, .invalidCredentials, .accountLocked, .csrfTokenInvalid, .hostNotAllowed,
            .originNotAllowed, .humanOnly, .commandNotFound, .launchFailed:
            return DomainError(error.code, self.reword(error.message))
        }
    }

    /// `message` with every tool or argument name (a whole word) replaced by what the human uses instead.
    static func reword(_ message: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            result += self.insteadOf[word] ?? word
            word = ""
        }
        for character in message {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        // A name that was already in backticks: keep one pair.
        return result.replacingOccurrences(of: "``", with: "`")
    }

    /// True for the agent protocol's paths, whose errors keep the tool names agents act on.
    static func isAgentProtocol(path: String) -> Bool {
        path.hasPrefix("/api/v1/agent/") || path == "/api/v1/agent"
    }
}
