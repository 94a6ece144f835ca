import Foundation

/// Sessions: open, end, the live ones, runner records and push confirmations.
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol SessionStore: Sendable {
    /// Opens a session for `agent`. At most one live session per agent: a live one is refused unless `replace`,
    /// which ends it first (same transaction). Returns the new session and the one replaced, if any.
    func openSession(
        _ session: LiveSession,
        tokenHash: String,
        replace: Bool,
        now: Date
    ) async throws -> (opened: LiveSession, replaced: LiveSession?)

    /// The live session a token hash belongs to, with its agent; nil for an unknown or ended session.
    func liveSession(tokenHash: String) async throws -> (LiveSession, Agent)?

    /// Ends the live session of `address`. Returns it, or nil when there was none.
    func endSession(of address: AgentAddress, reason: String, now: Date) async throws -> LiveSession?

    /// Every live session, keyed by agent.
    func liveSessionsByAgent() async throws -> [AgentID: LiveSession]

    /// The live session of one agent, if any.
    func liveSession(of agent: AgentID) async throws -> LiveSession?

    /// Sets a session's summary; one write transaction with the agent's RBAC `check` (a denial commits its audit row
    /// alone and is thrown) and its mute (refused with `refuseMuted()` while the human has muted `agent`).
    func setSummary(
        _ summary: String,
        session: SessionID,
        agent: AgentID,
        check: ToolCheck?,
        refuseMuted: @escaping @Sendable () -> DomainError
    ) async throws

    /// Stores the runner of a managed session once it listens.
    func recordRunner(session: SessionID, runnerPID: Int32, childPID: Int32, socket: String) async throws

    /// Ends a managed session with how its child ended. When the session had already ended (forced removal, a stop
    /// racing the exit), the original reason stays and only the exit code, signal and tail are added. Returns the
    /// session when this call ended it.
    func endManagedSession(_ session: SessionID, exit: SessionExit, now: Date) async throws -> LiveSession?

    /// One session with its runner and exit columns.
    func sessionDetail(_ session: SessionID) async throws -> SessionDetail?

    /// Each agent's live session, else its most recent one (with the tail only when `withTail`).
    func latestSessions(withTail: Bool) async throws -> [AgentID: SessionDetail]

    /// The live managed sessions (re-adoption at start).
    func liveManagedSessions() async throws -> [SessionDetail]

    /// Reads `session`'s push record (a fresh one when none is stored), applies `change` and stores it. One
    /// transaction. Returns the record and what `change` returned.
    func updateSessionPush<Outcome: Sendable>(
        _ session: SessionID,
        _ change: @escaping @Sendable (inout SessionPush) -> Outcome
    ) async throws -> (SessionPush, Outcome)

    /// The push records of `sessions` that have one.
    func sessionPushes(_ sessions: [SessionID]) async throws -> [SessionID: SessionPush]
}
