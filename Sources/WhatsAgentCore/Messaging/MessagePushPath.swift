import WhatsAgentAPI

/// The path a push hint took to an agent's model (SPEC §7.2), recorded on each message it pushed: the API's
/// ``AgentPushPath`` (declared once, there), derived from the agent's runtime and switches here. `resource` is not
/// derived from the runtime; a session's client subscribing to `whatsagent://inbox` sets it (``PushConfirmationService``).
public typealias MessagePushPath = AgentPushPath

extension MessagePushPath {
    /// The path `agent`'s runtime and switches give it.
    public init(_ agent: Agent) {
        guard agent.pushEnabled else {
            self = .none
            return
        }
        switch agent.runtime {
        case .claude: self = .channel
        case .opencode: self = .plugin
        case .pi: self = .extension
        case .codex, .custom: self = agent.nudgeEnabled ? .typed : .none
        }
    }
}
