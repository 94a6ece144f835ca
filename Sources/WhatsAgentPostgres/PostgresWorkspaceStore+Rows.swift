import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// The rows the messaging use cases read: agents, messages, the facts of a send; inside the caller's transaction.
extension PostgresWorkspaceStore {
    /// An agent's columns, with its repo's name.
    static let agentColumns = """
        agent.id, agent.repo_id, repo.name AS repo_name, agent.name, agent.runtime, agent.command, agent.args_json, agent.is_main,
        agent.push_enabled, agent.persona_json, agent.created_at, agent.updated_at, agent.muted, agent.nudge_enabled
        FROM agent JOIN repo ON repo.workspace_id = agent.workspace_id AND repo.id = agent.repo_id
        """

    /// A message's columns.
    static let messageColumns = """
        id, kind, from_agent_id, from_address, to_agent_id, to_address, thread_id, body, state, rejection, client_message_id,
        sent_at, pushed_at, push_path, surfaced_at, delivered_at, deliveries
        """

    /// Every agent of the workspace, by repo and name.
    func agents(on connection: PostgresConnection) async throws -> [Agent] {
        try await self.agents(
            """
            SELECT \(unescaped: Self.agentColumns) WHERE agent.workspace_id = \(self.id)
            ORDER BY lower(repo.name) COLLATE "C", lower(agent.name) COLLATE "C"
            """,
            on: connection
        )
    }

    /// The agent with `id`, if any.
    func agent(id: AgentID, on connection: PostgresConnection) async throws -> Agent? {
        try await self.agents(
            "SELECT \(unescaped: Self.agentColumns) WHERE agent.workspace_id = \(self.id) AND agent.id = \(id.rawValue)",
            on: connection
        ).first
    }

    /// The agent at `address` (repo and name compared without case).
    /// - Throws: `repo_not_found` / `agent_not_found`.
    func agent(at address: AgentAddress, on connection: PostgresConnection) async throws -> Agent {
        let found = try await self.agents(
            """
            SELECT \(unescaped: Self.agentColumns) WHERE agent.workspace_id = \(self.id) AND lower(repo.name) = lower(\(address.repo))
                AND lower(agent.name) = lower(\(address.agent))
            """,
            on: connection
        )
        if let agent = found.first { return agent }
        let repos = try await self.values(
            Int.self,
            "SELECT COUNT(*)::int8 FROM repo WHERE workspace_id = \(self.id) AND lower(name) = lower(\(address.repo))",
            on: connection
        )
        guard repos.first ?? 0 > 0 else { throw DomainError.repoNotFound(address.repo) }
        throw DomainError.agentNotFound(address.description)
    }

    /// What a direct send's rules need besides its recipient, read in one statement (each statement is a round trip
    /// made while the workspace's lock is held): `repo:agent` of the main agent, whether the human muted the sender,
    /// and — when `pair` is given (p2p topology, two distinct agents) — the peer-rule facts of the pair.
    func sendFacts(
        recipient: Agent?,
        sender: AgentID?,
        pair: (AgentID, AgentID)?,
        on connection: PostgresConnection
    ) async throws -> DirectSendFacts {
        var (low, high): (AgentID?, AgentID?) = (nil, nil)
        if let (first, second) = pair { (low, high) = first.rawValue < second.rawValue ? (first, second) : (second, first) }
        var facts = DirectSendFacts(recipient: recipient, senderMuted: false, peerRules: .unrestricted)
        for try await (main, muted, mode, pairHasRule) in try await connection.query(
            """
            SELECT
                (SELECT repo.name || ':' || agent.name FROM agent
                    JOIN repo ON repo.workspace_id = agent.workspace_id AND repo.id = agent.repo_id
                    WHERE agent.workspace_id = \(self.id) AND agent.is_main),
                COALESCE((SELECT muted FROM agent WHERE workspace_id = \(self.id) AND id = \(sender?.rawValue)), false),
                (SELECT value FROM messaging_setting WHERE workspace_id = \(self.id) AND key = \(Self.peerRuleModeKey)),
                EXISTS(SELECT 1 FROM peer_rule WHERE workspace_id = \(self.id) AND low_agent_id = \(low?.rawValue)
                    AND high_agent_id = \(high?.rawValue))
            """,
            logger: self.logger
        ).decode((String?, Bool, String?, Bool).self) {
            facts.mainAddress = main
            facts.senderMuted = muted
            if pair != nil {
                facts.peerRules = PeerRuleCheck(mode: mode.flatMap(PeerRuleMode.init(rawValue:)) ?? .denyList, pairHasRule: pairHasRule)
            }
        }
        return facts
    }

    /// Whether the human muted the agent (read fresh: a mute takes effect on the next send).
    func isMuted(_ agent: AgentID, on connection: PostgresConnection) async throws -> Bool {
        try await self.values(Bool.self, "SELECT muted FROM agent WHERE workspace_id = \(self.id) AND id = \(agent.rawValue)", on: connection)
            .first ?? false
    }

    /// The key of the peer-rule mode among the messaging settings (the same as SQLite's).
    static let peerRuleModeKey = "peerRules.mode"

    /// The agent's live session, if it has one.
    func liveSession(of agent: AgentID, on connection: PostgresConnection) async throws -> SessionID? {
        try await self.values(
            String.self,
            """
            SELECT id FROM session WHERE workspace_id = \(self.id) AND agent_id = \(agent.rawValue) AND ended_at IS NULL
            ORDER BY started_at LIMIT 1
            """,
            on: connection
        ).first.map(SessionID.init(rawValue:))
    }

    /// The messages of `query` (which selects ``messageColumns``).
    func messages(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [Message] {
        try await self.rows(query, on: connection, Self.decodeMessage)
    }

    // MARK: Decoding

    private func agents(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [Agent] {
        var agents = try await self.rows(query, on: connection, Self.decodeAgent)
        guard !agents.isEmpty else { return [] }
        var roles: [String: [String]] = [:]
        for try await (agent, role) in try await connection.query(
            """
            SELECT agent_id, role_name FROM agent_role WHERE workspace_id = \(self.id) AND agent_id = ANY(\(agents.map(\.id.rawValue)))
            ORDER BY position, role_name
            """,
            logger: self.logger
        ).decode((String, String).self) {
            roles[agent, default: []].append(role)
        }
        for index in agents.indices { agents[index].roles = roles[agents[index].id.rawValue] ?? [] }
        return agents
    }

    private static func decodeAgent(_ row: PostgresRandomAccessRow) throws -> Agent {
        let runtimeName = try row.value("runtime", as: String.self)
        guard let runtime = Runtime(rawValue: runtimeName) else {
            throw DomainError(.storage, "agent \(try row.value("id", as: String.self)) has an unknown runtime '\(runtimeName)'")
        }
        let decoder = JSONDecoder()
        return Agent(
            id: AgentID(rawValue: try row.value("id")),
            repoID: RepoID(rawValue: try row.value("repo_id")),
            repoName: try row.value("repo_name"),
            name: try row.value("name"),
            runtime: runtime,
            command: try row.value("command"),
            args: try decoder.decode([String].self, from: Data(try row.value("args_json", as: String.self).utf8)),
            roles: [],
            isMain: try row.value("is_main"),
            pushEnabled: try row.value("push_enabled"),
            persona: try row.value("persona_json", as: String?.self).map { try decoder.decode(Persona.self, from: Data($0.utf8)) },
            createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"),
            muted: try row.value("muted"),
            nudgeEnabled: try row.value("nudge_enabled")
        )
    }

    static func decodeMessage(_ row: PostgresRandomAccessRow) throws -> Message {
        let stateName = try row.value("state", as: String.self)
        guard let state = Message.State(rawValue: stateName) else {
            throw DomainError(.storage, "message \(try row.value("id", as: Int64.self)) has an unknown state '\(stateName)'")
        }
        return Message(
            id: try row.value("id"),
            kind: try row.value("kind"),
            fromAgentID: try row.value("from_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
            fromAddress: try row.value("from_address"),
            toAgentID: try row.value("to_agent_id", as: String?.self).map(AgentID.init(rawValue:)),
            toAddress: try row.value("to_address"),
            threadID: try row.value("thread_id"),
            body: try row.value("body"),
            state: state,
            rejection: try row.value("rejection"),
            clientMessageID: try row.value("client_message_id"),
            sentAt: try row.value("sent_at"),
            pushedAt: try row.value("pushed_at"),
            pushPath: try row.value("push_path"),
            surfacedAt: try row.value("surfaced_at"),
            acknowledgedAt: try row.value("delivered_at"),
            deliveries: try row.value("deliveries")
        )
    }
}
