import Foundation

/// An agent's live session, or its latest one once ended: presence, the runner of a managed session, how it ended.
public struct AgentSessionResponse: Codable, Sendable, Equatable {
    public var id: String
    /// `managed` or `external`.
    public var kind: String
    public var startedAt: Date
    /// Set once the session ended.
    public var endedAt: Date?
    /// Why it ended ("exited with code 0", "stopped by the human", "runner gone while the daemon was down", …).
    public var endReason: String?
    /// Its MCP server (or plugin/extension) holds the events stream and, when managed, its runner is alive.
    public var online: Bool
    /// Managed sessions: whether the runner is alive (nil for external sessions).
    public var runnerAlive: Bool?
    public var runnerPid: Int32?
    /// The agent process (the runner's child).
    public var childPid: Int32?
    /// The "waiting for approval" phrase seen in the output while the attention flag is up.
    public var attention: String?
    /// Mail arrived for a PTY-nudged agent but the nudge could not be typed yet (output busy or the human typing).
    public var pendingNudge: Bool
    /// How the agent process ended: its exit code, or the signal that killed it.
    public var exitCode: Int32?
    public var exitSignal: Int32?
    /// The last output of an ended managed session (at most 256 KiB, decoded as UTF-8 with replacement); only in
    /// `GET …/agents/{agent}` and launch/stop results, never in lists.
    public var exitTail: String?
    /// The agent's own one-line summary of what it is working on (`set_summary`).
    public var summary: String?

    public init(
        id: String,
        kind: String,
        startedAt: Date,
        endedAt: Date? = nil,
        endReason: String? = nil,
        online: Bool = false,
        runnerAlive: Bool? = nil,
        runnerPid: Int32? = nil,
        childPid: Int32? = nil,
        attention: String? = nil,
        pendingNudge: Bool = false,
        exitCode: Int32? = nil,
        exitSignal: Int32? = nil,
        exitTail: String? = nil,
        summary: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.online = online
        self.runnerAlive = runnerAlive
        self.runnerPid = runnerPid
        self.childPid = childPid
        self.attention = attention
        self.pendingNudge = pendingNudge
        self.exitCode = exitCode
        self.exitSignal = exitSignal
        self.exitTail = exitTail
        self.summary = summary
    }
}

/// `POST /api/v1/workspaces/{workspace}/agents/{agent}/launch`: the managed session.
public struct AgentLaunchResult: Codable, Sendable, Equatable {
    public var agent: String
    public var session: AgentSessionResponse
    /// The agent already had a live managed session; it was returned instead of starting a second one.
    public var alreadyRunning: Bool
    /// The program the runner started (absolute path) and its arguments (never the session token).
    public var command: String?
    public var args: [String]?

    public init(agent: String, session: AgentSessionResponse, alreadyRunning: Bool, command: String? = nil, args: [String]? = nil) {
        self.agent = agent
        self.session = session
        self.alreadyRunning = alreadyRunning
        self.command = command
        self.args = args
    }
}

/// `POST /api/v1/workspaces/{workspace}/agents/{agent}/stop`: the session as it ended.
public struct AgentStopResult: Codable, Sendable, Equatable {
    public var agent: String
    public var session: AgentSessionResponse

    public init(agent: String, session: AgentSessionResponse) {
        self.agent = agent
        self.session = session
    }
}

/// `POST /api/v1/workspaces/{workspace}/agents/{agent}/terminal`: how the owner's CLI attaches to the runner of a
/// live managed session (owner socket only; refused to agent processes).
public struct AgentTerminalAccess: Codable, Sendable, Equatable {
    public var agent: String
    public var sessionId: String
    /// The runner's Unix socket.
    public var socketPath: String
    /// The runner's per-session secret (the `hello` frame of the runner protocol).
    public var secret: String
    public var protocolVersion: Int

    public init(agent: String, sessionId: String, socketPath: String, secret: String, protocolVersion: Int) {
        self.agent = agent
        self.sessionId = sessionId
        self.socketPath = socketPath
        self.secret = secret
        self.protocolVersion = protocolVersion
    }
}
