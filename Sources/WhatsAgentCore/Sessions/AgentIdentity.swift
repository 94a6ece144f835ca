/// Who is calling on the agent API: a live session of an agent in a workspace, resolved from its token once per request
/// by the transport (``SessionService/authenticate(_:)``). It is the request's context (issue 19: resolve once): the
/// services act on `workspace` — the row as of this request — and on `store` without looking either up again. Hold it
/// for one request: a later request authenticates again and sees the settings changed since.
public struct AgentIdentity: Sendable, Equatable {
    public var workspace: Workspace
    public var agent: Agent
    public var session: LiveSession
    /// The workspace's open store.
    package let store: any WorkspaceStore

    package init(workspace: Workspace, agent: Agent, session: LiveSession, store: any WorkspaceStore) {
        (self.workspace, self.agent, self.session, self.store) = (workspace, agent, session, store)
    }

    /// The same caller and workspace (the store is the workspace's).
    public static func == (lhs: AgentIdentity, rhs: AgentIdentity) -> Bool {
        lhs.workspace == rhs.workspace && lhs.agent == rhs.agent && lhs.session == rhs.session
    }
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
