import Foundation
import WhatsAgentAPI

/// What `agent connect` hands out: the session, its token (shown once, never stored) and its environment.
public struct SessionGrant: Sendable {
    public var session: LiveSession
    public var workspace: Workspace
    public var token: SessionToken
    /// The variables of SPEC §6.2, token included.
    public var environment: [String: String]
    /// The generated MCP config (0600), nil for in-memory storage.
    public var mcpConfigPath: String?
    /// `{"mcpServers":{"whatsagent":{…}}}` as written to the file.
    public var mcpConfig: Data
    public var executablePath: String
}

/// Opens, authenticates and ends agent sessions (SPEC §6.2, §6.5).
public struct SessionService: Sendable {
    let workspaces: WorkspaceService
    let hub: EventHub
    let socketPath: String
    let executablePath: String
    let now: @Sendable () -> Date
    /// The live runners of managed sessions (presence, attention, the owner-socket boundary).
    public let runners: RunnerRegistry

    public init(
        workspaces: WorkspaceService,
        hub: EventHub,
        socketPath: String,
        executablePath: String,
        runners: RunnerRegistry? = nil,
        now: @escaping @Sendable () -> Date = WallClock.now
    ) {
        self.workspaces = workspaces
        self.hub = hub
        self.socketPath = socketPath
        self.executablePath = executablePath
        self.runners = runners ?? RunnerRegistry(events: workspaces.events)
        self.now = now
    }

    /// Opens an external session for an agent the user runs in their own terminal.
    public func connect(workspace reference: String?, _ address: AgentAddress, replace: Bool) async throws -> SessionGrant {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        if replace, let live = try await database.liveSession(of: try await database.agent(address).id), live.kind == .managed {
            // Its runner would keep running without a session: the human stops it explicitly.
            throw DomainError(
                .sessionExists,
                "\(address) runs in a managed session (\(live.id)); stop it with `whatsagent agent stop \(address)` before connecting it yourself"
            )
        }
        return try await self.open(.external, workspace: workspace, database: database, address: address, replace: replace)
    }

    /// Opens a session of `kind` (token, environment, MCP config file): `agent connect` and `agent launch` share it.
    func open(
        _ kind: LiveSession.Kind,
        workspace: Workspace,
        database: any WorkspaceStore,
        address: AgentAddress,
        replace: Bool
    ) async throws -> SessionGrant {
        let agent = try await database.agent(address)
        let sessionID = SessionID.generate()
        let token = SessionToken.generate(for: workspace.id)
        let configPath = await self.workspaces.runDirectory(workspace.id).map {
            "\($0)/\(sessionID.rawValue.prefix(HomeLayout.sessionSocketNameLength)).mcp.json"
        }
        var environment = [
            "WHATSAGENT_SOCKET": self.socketPath,
            "WHATSAGENT_WORKSPACE_ID": workspace.id.rawValue,
            "WHATSAGENT_AGENT": address.description,
            "WHATSAGENT_SESSION_ID": sessionID.rawValue,
            "WHATSAGENT_SESSION_TOKEN": token.rawValue,
            "WHATSAGENT_RUNTIME": agent.runtime.rawValue,
        ]
        if let configPath { environment["WHATSAGENT_MCP_CONFIG"] = configPath }
        let config = try Self.mcpConfig(command: self.executablePath, environment: environment)

        let now = self.now()
        let session = LiveSession(
            id: sessionID,
            agentID: agent.id,
            agentAddress: address.description,
            kind: kind,
            startedAt: now,
            runtime: agent.runtime.rawValue,
            mcpConfigPath: configPath
        )
        if let configPath {
            guard FileManager.default.createFile(atPath: configPath, contents: config, attributes: [.posixPermissions: 0o600]) else {
                throw DomainError(.storage, "cannot write the MCP config \(configPath)")
            }
        }
        let replaced: LiveSession?
        do {
            replaced = try await database.openSession(session, tokenHash: token.hash, replace: replace, now: now).replaced
        } catch {
            if let configPath { try? FileManager.default.removeItem(atPath: configPath) }
            throw error
        }
        if let replaced { await self.closed(replaced, reason: "replaced by a new session") }
        self.workspaces.events.publish(.agentsChanged, workspace: workspace.id)
        return SessionGrant(
            session: session,
            workspace: workspace,
            token: token,
            environment: environment,
            mcpConfigPath: configPath,
            mcpConfig: config,
            executablePath: self.executablePath
        )
    }

    /// Ends an agent's live session; its token dies at once and connected streams receive `session_ended`.
    public func disconnect(workspace reference: String?, _ address: AgentAddress) async throws -> LiveSession {
        let (_, database) = try await self.workspaces.database(for: reference)
        if let live = try await database.liveSession(of: try await database.agent(address).id), live.kind == .managed {
            throw DomainError(
                .invalidState,
                "\(address) runs in a managed session (\(live.id)) that WhatsAgent launched; stop it with `whatsagent agent stop \(address)`"
            )
        }
        guard let ended = try await database.endSession(of: address, reason: "disconnected by the human", now: self.now()) else {
            throw DomainError(.invalidState, "\(address) has no live session; nothing to disconnect")
        }
        await self.closed(ended, reason: "disconnected by the human")
        self.workspaces.events.publish(.sessionEnded(agent: ended.agentAddress, reason: "disconnected by the human", exitCode: nil), in: database)
        self.workspaces.events.publish(.agentsChanged, in: database)
        return ended
    }

    /// Resolves a presented bearer token to its live session.
    /// - Throws: `invalid_session_token` for a malformed, forged, ended or foreign token.
    public func authenticate(_ presented: String) async throws -> AgentIdentity {
        let invalid = DomainError(
            .invalidSessionToken,
            "the session token is not valid (its session ended, or it was never issued); connect again with `whatsagent agent connect repo:agent`"
        )
        guard let token = SessionToken(presented: presented) else { throw invalid }
        guard let (workspace, database) = try? await self.workspaces.database(for: token.workspaceID.rawValue),
            workspace.id == token.workspaceID,
            let (session, agent) = try await database.liveSession(tokenHash: token.hash)
        else { throw invalid }
        return AgentIdentity(workspace: workspace, agent: agent, session: session, store: database)
    }

    /// The other agents of the caller's workspace with their presence (holding the events stream) and summary.
    public func peers(of identity: AgentIdentity) async throws -> [Peer] {
        let database = identity.store
        let sessions = try await database.liveSessionsByAgent()
        var peers: [Peer] = []
        for agent in try await database.agents() where agent.id != identity.agent.id {
            let session = sessions[agent.id]
            var online = false
            if let session { online = await self.isOnline(session) }
            peers.append(Peer(agent: agent, session: session, online: online))
        }
        return peers
    }

    /// Online: its MCP server (or plugin/extension) holds the events stream and, for a managed session, its runner
    /// is alive (SPEC §6.3 presence).
    public func isOnline(_ session: LiveSession) async -> Bool {
        guard await self.hub.isConnected(session.id) else { return false }
        guard session.kind == .managed else { return true }
        return await self.runners.isAlive(session.id)
    }

    /// Sets the caller's one-line summary (at most 500 characters, control characters removed; a NUL is refused).
    /// - Throws: `invalid_argument` (NUL, too long), `agent_muted` while the human has muted the agent.
    public func setSummary(_ identity: AgentIdentity, _ summary: String, check: ToolCheck? = nil) async throws -> String {
        try FreeText.rejectNUL(summary, field: "summary")
        let cleaned = InboxEnvelope.clean(summary).trimmingCharacters(in: .whitespacesAndNewlines)
        try FreeText.check(cleaned, field: "summary", limit: 500, advice: "keep it to one short line")
        let address = identity.agent.address.description
        try await identity.store.setSummary(cleaned, session: identity.session.id, agent: identity.agent.id, check: check) {
            DomainError(.agentMuted, MessageService.mutedText(address))
        }
        check?.committed()
        self.workspaces.events.publish(.agentsChanged, workspace: identity.workspace.id)
        return cleaned
    }

    /// Tells connected sessions that their visible tools may have changed (roles, grants or the RBAC mode changed):
    /// one agent's, or every agent's of the workspace when `agent` is nil.
    public func toolsChanged(workspace reference: String?, agent: AgentID? = nil) async throws {
        let (_, database) = try await self.workspaces.database(for: reference)
        for (agentID, session) in try await database.liveSessionsByAgent() where agent == nil || agent == agentID {
            await self.hub.publish(.toolsChanged, to: session.id)
        }
    }

    /// Closes the streams of sessions ended elsewhere (forced removal or trash) and removes their generated configs.
    public func ended(_ sessions: [LiveSession], reason: String) async {
        for session in sessions { await self.closed(session, reason: reason) }
    }

    /// The live sessions of a workspace (to close their streams after a forced trash).
    public func liveSessions(workspace reference: String?) async throws -> [LiveSession] {
        try await self.workspaces.database(for: reference).1.liveSessions()
    }

    /// After a session ended: close its streams and remove its generated config.
    func closed(_ session: LiveSession, reason: String) async {
        await self.hub.end(session.id, reason: reason)
        if let path = session.mcpConfigPath { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The standard MCP config shape of SPEC §6.2.
    static func mcpConfig(command: String, environment: [String: String]) throws -> Data {
        let server: [String: Any] = ["command": command, "args": ["mcp"], "env": environment]
        return try JSONSerialization.data(
            withJSONObject: ["mcpServers": ["whatsagent": server]],
            options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        )
    }
}

/// Another agent as `list_peers` shows it.
public struct Peer: Sendable, Equatable {
    public var agent: Agent
    public var session: LiveSession?
    /// Holding its events stream right now.
    public var online: Bool

    /// Online and accepting pushes.
    public var canReceivePush: Bool { self.online && self.agent.pushEnabled }
}
