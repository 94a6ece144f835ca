import WhatsAgentAPI
import WhatsAgentCore

/// How the daemon runs one agent tool: where its RBAC check runs, and its handler. Each tool is declared once in
/// WhatsAgentAPI (``AgentTools/all``: name, arguments, result schema, grants) and bound once here; the catalogue, the
/// dispatcher's coverage and its RBAC placement derive from this table (issue 20). The dispatcher makes the check of
/// every call (``ToolCheck``, for the tool called); the handler says where it runs.
enum AgentToolHandler: Sendable {
    /// A read: checked, and audited (its one write), before it runs.
    case read(@Sendable (AgentToolDispatcher, AgentIdentity, ToolArguments) async throws -> AgentToolResult)
    /// A write: its check runs inside the use case's write transaction, its audit row with it; a call refused before
    /// that transaction ran is checked on its own, and the check's denial wins.
    case write(@Sendable (AgentToolDispatcher, AgentIdentity, ToolArguments, ToolCheck) async throws -> AgentToolResult)
    /// A board tool: the board runs the check — inside the change's transaction with the facts of the item (assignee,
    /// creator, comment type), or before a read. A call refused before it (an unknown item, a mute, a bad argument)
    /// stays unaudited, as the board refused those before its grants were checked.
    case board(@Sendable (AgentToolDispatcher, AgentIdentity, ToolArguments, ToolCheck) async throws -> AgentToolResult)

    var isWrite: Bool {
        if case .write = self { return true }
        return false
    }

    var isBoard: Bool {
        if case .board = self { return true }
        return false
    }
}

extension AgentToolDispatcher {
    /// Every tool this daemon serves, by name.
    static let handlers: [String: AgentToolHandler] = {
        var handlers: [String: AgentToolHandler] = [
            "whoami": .read { dispatcher, identity, _ in try await dispatcher.whoami(identity) },
            "list_peers": .read { dispatcher, identity, _ in try await dispatcher.listPeers(identity) },
            "check_messages": .read { dispatcher, identity, arguments in try await dispatcher.checkMessages(identity, arguments) },
            "set_summary": .write { dispatcher, identity, arguments, check in try await dispatcher.setSummary(identity, arguments, check) },
            "send_message": .write { dispatcher, identity, arguments, check in try await dispatcher.sendMessage(identity, arguments, check) },
            "broadcast_message": .write { dispatcher, identity, arguments, check in try await dispatcher.broadcast(identity, arguments, check) },
        ]
        for name in ["search_direct_messages", "search_channel_messages"] {
            handlers[name] = .read { dispatcher, identity, arguments in try await dispatcher.searchTool(name, identity, arguments) }
        }
        for name in ["list_channels", "read_channel_messages"] {
            handlers[name] = .read { dispatcher, identity, arguments in try await dispatcher.channelTool(name, identity, arguments, check: nil) }
        }
        for name in ["join_channel", "leave_channel", "create_channel", "post_channel_message", "reply_channel_thread"] {
            handlers[name] = .write { dispatcher, identity, arguments, check in
                try await dispatcher.channelTool(name, identity, arguments, check: check)
            }
        }
        for name in Self.boardToolNames {
            handlers[name] = .board { dispatcher, identity, arguments, check in try await dispatcher.boardTool(name, identity, arguments, check) }
        }
        return handlers
    }()

    /// The tools this daemon serves (each declared in ``AgentTools/all``).
    static let served: Set<String> = Set(handlers.keys)

    /// The tools whose RBAC check runs inside their use case's transaction.
    static let checkedInside: Set<String> = Set(handlers.filter(\.value.isWrite).keys)

    /// The board tools (their checks run by the board).
    static let boardTools: Set<String> = Set(handlers.filter(\.value.isBoard).keys)
}
