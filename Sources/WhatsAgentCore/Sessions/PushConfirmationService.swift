import Foundation
import WhatsAgentAPI

/// Records, per session, when pushes went out and when the agent's client acted on one (SPEC §7.2, "per agent"), and
/// derives each agent's ``AgentPushStatus``. Confirmation never marks a message surfaced.
///
/// ```swift
/// try await pushes.pushed(workspace: id, session: session, path: .channel)   // a hint went out
/// try await pushes.confirmPush(workspace: id, session: session)             // check_messages followed it
/// try await pushes.confirmPush(workspace: id, session: session, path: .appServer)  // the app-server reported the turn
/// ```
/// What confirms a push: a `check_messages` call of the session (whatever path the last push took), a re-read of
/// `whatsagent://inbox` (path `resource`), the Codex app-server reporting the turn the daemon started (`app-server`).
public struct PushConfirmationService: Sendable {
    let workspaces: WorkspaceService
    /// How long a push may wait for its confirmation before the agent shows a warning and a managed Claude falls back
    /// to typed nudges (`[push] confirm_seconds`).
    public let confirmWithin: Duration
    let now: @Sendable () -> Date

    public init(workspaces: WorkspaceService, confirmWithin: Duration = .seconds(60), now: @escaping @Sendable () -> Date = WallClock.now) {
        self.workspaces = workspaces
        self.confirmWithin = confirmWithin
        self.now = now
    }

    // MARK: - Writes

    /// A push hint went out to `session` by `path`: the events stream for channel, resource, plugin and extension, a
    /// typed nudge, an app-server turn.
    public func pushed(workspace: WorkspaceID, session: SessionID, path: MessagePushPath) async throws {
        let now = self.now()
        _ = try await self.database(workspace).updateSessionPush(session) { $0.pushed(path, at: now) }
    }

    /// A mail hint was written to `identity`'s events stream: recorded as a push when that hint is the session's push
    /// (``AgentPushStatus/streamPath(agent:push:)``), not for agents pushed by typing or through an app-server.
    /// Returns the path it recorded.
    @discardableResult
    public func pushedOnStream(_ identity: AgentIdentity) async throws -> MessagePushPath? {
        let database = try await self.database(identity.workspace.id)
        var enabled = identity.agent
        enabled.pushEnabled = true  // the hub publishes mail only with pushes on; the identity may predate `--push on`
        let agent = enabled
        let now = self.now()
        return try await database.updateSessionPush(identity.session.id) { push in
            let path = AgentPushStatus.streamPath(agent: agent, push: push)
            if let path { push.pushed(path, at: now) }
            return path
        }.1
    }

    /// The hook for a push confirmation: the client acted on the pushes of `session`. `path` names the signal's own
    /// path (`resource` for a re-read of the inbox, `app-server` for a turn the app-server reported); nil confirms
    /// whatever path the last push took (a `check_messages` call). Returns whether a push was waiting for it.
    @discardableResult
    public func confirmPush(workspace: WorkspaceID, session: SessionID, path: MessagePushPath? = nil) async throws -> Bool {
        let now = self.now()
        return try await self.database(workspace).updateSessionPush(session) { $0.confirmed(by: path, at: now) }.1
    }

    /// The session's MCP client subscribed to `whatsagent://inbox` (or unsubscribed).
    public func setInboxSubscribed(_ identity: AgentIdentity, _ subscribed: Bool) async throws {
        _ = try await self.database(identity.workspace.id).updateSessionPush(identity.session.id) { $0.inboxSubscribed = subscribed }
    }

    /// Sets the path `session` is pushed by instead of its runtime's (`typed` with the reason when a channel goes
    /// unconfirmed, `app-server` for a managed Codex); nil goes back to the runtime's path.
    public func usePath(_ path: MessagePushPath?, reason: String?, workspace: WorkspaceID, session: SessionID) async throws {
        _ = try await self.database(workspace).updateSessionPush(session) { push in
            push.path = path
            push.pathReason = path == nil ? nil : reason
        }
    }

    // MARK: - Reads

    /// What `session` recorded (nil: nothing yet).
    public func record(workspace: WorkspaceID, session: SessionID) async throws -> SessionPush? {
        try await self.database(workspace).sessionPushes([session])[session]
    }

    /// The push status of each of `agents`, from its latest session in `sessions` (``SessionService/latestSessions``).
    public func statuses(workspace: String?, agents: [Agent], sessions: [AgentID: SessionDetail]) async throws -> [AgentID: AgentPushStatus] {
        let (_, database) = try await self.workspaces.database(for: workspace)
        let records = try await database.sessionPushes(agents.compactMap { sessions[$0.id]?.session.id })
        let now = self.now()
        var result: [AgentID: AgentPushStatus] = [:]
        for agent in agents {
            let detail = sessions[agent.id]
            result[agent.id] = AgentPushStatus(
                agent: agent,
                push: detail.flatMap { records[$0.session.id] },
                live: detail != nil && detail?.endedAt == nil,
                managed: detail?.session.kind == .managed,
                confirmWithin: self.confirmWithin,
                now: now
            )
        }
        return result
    }

    /// What `whatsagent://inbox` shows `identity`'s client: how much mail waits and the newest ids, never a body.
    /// Reading it confirms a push (path `resource`) and leases nothing.
    public func inbox(_ identity: AgentIdentity) async throws -> InboxSummary {
        let database = try await self.database(identity.workspace.id)
        let summary = try await database.mailSummary(for: identity.agent.id)  // counts and the newest ids only
        try await self.confirmPush(workspace: identity.workspace.id, session: identity.session.id, path: .resource)
        return InboxSummary(count: summary.count, newestMessageIDs: summary.newest.map(\.id), kinds: summary.kinds)
    }

    private func database(_ workspace: WorkspaceID) async throws -> any WorkspaceStore {
        try await self.workspaces.database(for: workspace.rawValue).1
    }
}

/// The body-free content of `whatsagent://inbox` (SPEC §8).
public struct InboxSummary: Sendable, Equatable {
    /// At most this many ids are listed, the newest.
    public static let newestLimit = MailSummary.limit

    public var count: Int
    public var newestMessageIDs: [String]
    public var kinds: [String]

    /// "N WhatsAgent messages waiting — call check_messages", the same words as the push.
    public var hint: String {
        self.count == 0
            ? "No WhatsAgent messages waiting."
            : "\(self.count) WhatsAgent message\(self.count == 1 ? "" : "s") waiting — call check_messages"
    }
}
