/// Who is calling on the agent API: a live session of an agent in a workspace (resolved from its token).
public struct AgentIdentity: Sendable, Equatable {
    public var workspace: Workspace
    public var agent: Agent
    public var session: LiveSession
}

/// Who sends a message: an agent session, or the human (`human-web`).
public enum MessageSender: Sendable, Equatable {
    case agent(AgentIdentity)
    case human

    public static let humanAddress = "human-web"

    var address: String {
        switch self {
        case .agent(let identity): identity.agent.address.description
        case .human: Self.humanAddress
        }
    }
}
