import Foundation

extension SessionService {
    /// Opens a managed session for `agent launch` (token, environment and MCP config as for `agent connect`).
    ///
    /// - Returns: the new grant, or the live managed session when there already is one (no duplicate).
    /// - Throws: `session_exists` when the agent has a live external session (disconnect it first).
    public func openManaged(
        workspace reference: String?,
        _ address: AgentAddress
    ) async throws -> (grant: SessionGrant?, existing: SessionDetail?) {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let agent = try await database.agent(address)
        if let live = try await database.liveSession(of: agent.id) {
            guard live.kind == .managed else {
                throw DomainError(
                    .sessionExists,
                    "\(address) has a live external session (\(live.id)); end it with `whatsagent agent disconnect \(address)` before launching it here"
                )
            }
            return (nil, try await database.sessionDetail(live.id))
        }
        return (try await self.open(.managed, workspace: workspace, database: database, address: address, replace: false), nil)
    }

    /// Stores the runner of a managed session once it listens.
    public func recordRunner(workspace: WorkspaceID, session: SessionID, runnerPID: Int32, childPID: Int32, socket: String) async throws {
        let (_, database) = try await self.workspaces.database(for: workspace.rawValue)
        try await database.recordRunner(session: session, runnerPID: runnerPID, childPID: childPID, socket: socket)
    }

    /// Ends a managed session with how its child ended: the token dies, streams get `session_ended`, the generated
    /// config is removed. Returns the session when this call ended it (nil when it had ended already).
    @discardableResult
    public func endManaged(workspace: WorkspaceID, session: SessionID, exit: SessionExit) async throws -> LiveSession? {
        await self.runners.remove(session)
        let (_, database) = try await self.workspaces.database(for: workspace.rawValue)
        guard let ended = try await database.endManagedSession(session, exit: exit, now: self.now()) else { return nil }
        await self.closed(ended, reason: exit.reason)
        self.workspaces.events.publish(.sessionEnded(agent: ended.agentAddress, reason: exit.reason, exitCode: exit.code), workspace: workspace)
        self.workspaces.events.publish(.agentsChanged, workspace: workspace)
        return ended
    }

    /// One session with its runner and exit columns.
    public func detail(workspace: WorkspaceID, session: SessionID) async throws -> SessionDetail? {
        try await self.workspaces.database(for: workspace.rawValue).1.sessionDetail(session)
    }

    /// Each agent's live session, else its latest one; the output tail only when `withTail`.
    public func latestSessions(workspace reference: String?, withTail: Bool) async throws -> [AgentID: SessionDetail] {
        try await self.workspaces.database(for: reference).1.latestSessions(withTail: withTail)
    }

    /// The live session of one agent with its runner columns, if any.
    public func liveDetail(workspace reference: String?, _ address: AgentAddress) async throws -> (Workspace, SessionDetail?) {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        let agent = try await database.agent(address)
        guard let live = try await database.liveSession(of: agent.id) else { return (workspace, nil) }
        return (workspace, try await database.sessionDetail(live.id))
    }

    /// The live managed sessions of a workspace (re-adoption at start, `stop --all`).
    public func liveManagedSessions(workspace: WorkspaceID) async throws -> [SessionDetail] {
        try await self.workspaces.database(for: workspace.rawValue).1.liveManagedSessions()
    }
}

extension SessionService {
    /// How many messages and unread channel posts wait for the agent of `session` (PTY nudges say the number).
    public func waitingMailCount(workspace: WorkspaceID, session: SessionID) async throws -> Int {
        let (_, database) = try await self.workspaces.database(for: workspace.rawValue)
        guard let detail = try await database.sessionDetail(session), let agent = detail.session.agentID else { return 0 }
        return try await database.waitingMessages(for: agent).count + database.unreadPosts(for: agent).count
    }
}
