import Foundation

/// A session row with what a managed session adds: its runner while it runs, and how it ended.
public struct SessionDetail: Equatable, Sendable {
    public var session: LiveSession
    public var endedAt: Date?
    public var endReason: String?
    /// The detached `whatsagent runner` process and its child (the agent) of a managed session.
    public var runnerPID: Int32?
    public var childPID: Int32?
    public var runnerSocket: String?
    /// How the child ended: its exit code, or the signal that killed it.
    public var exitCode: Int32?
    public var exitSignal: Int32?
    /// The last output (at most 256 KiB) of an ended managed session, so the human can read why it exited.
    public var exitTail: Data?

    public init(
        session: LiveSession,
        endedAt: Date? = nil,
        endReason: String? = nil,
        runnerPID: Int32? = nil,
        childPID: Int32? = nil,
        runnerSocket: String? = nil,
        exitCode: Int32? = nil,
        exitSignal: Int32? = nil,
        exitTail: Data? = nil
    ) {
        self.session = session
        self.endedAt = endedAt
        self.endReason = endReason
        self.runnerPID = runnerPID
        self.childPID = childPID
        self.runnerSocket = runnerSocket
        self.exitCode = exitCode
        self.exitSignal = exitSignal
        self.exitTail = exitTail
    }

    public var isLive: Bool { self.endedAt == nil }
}

/// How a managed session ended, as the runner reported it (or why nobody could ask it).
public struct SessionExit: Equatable, Sendable {
    public var reason: String
    public var code: Int32?
    public var signal: Int32?
    /// The saved output tail, when there is one.
    public var tail: Data?

    public init(reason: String, code: Int32? = nil, signal: Int32? = nil, tail: Data? = nil) {
        self.reason = reason
        self.code = code
        self.signal = signal
        self.tail = tail
    }
}

/// What the daemon knows about each live runner right now. Not stored: a restarted daemon learns it again when it
/// re-adopts the runner. Used for presence (a managed session is online only while its runner lives), the attention
/// badge, the pending-nudge flag, and the owner-socket boundary (which processes are agents).
public actor RunnerRegistry {
    /// One live runner.
    public struct Entry: Equatable, Sendable {
        public var workspaceID: WorkspaceID
        public var agentAddress: String
        public var runnerPID: Int32
        public var childPID: Int32
        /// The "waiting for approval" phrase while the attention flag is up.
        public var attention: String?
        /// Mail arrived but the nudge could not be typed yet (output busy or the human typing).
        public var pendingNudge: Bool

        public init(
            workspaceID: WorkspaceID,
            agentAddress: String,
            runnerPID: Int32,
            childPID: Int32,
            attention: String? = nil,
            pendingNudge: Bool = false
        ) {
            self.workspaceID = workspaceID
            self.agentAddress = agentAddress
            self.runnerPID = runnerPID
            self.childPID = childPID
            self.attention = attention
            self.pendingNudge = pendingNudge
        }
    }

    private var entries: [SessionID: Entry] = [:]
    /// Where attention and pending-nudge changes are announced (the web UI's event stream).
    private let events: WorkspaceEventBus?

    public init(events: WorkspaceEventBus? = nil) {
        self.events = events
    }

    /// Registers (or replaces) a live runner.
    public func register(_ session: SessionID, _ entry: Entry) {
        self.entries[session] = entry
        self.events?.publish(.agentsChanged, workspace: entry.workspaceID)
    }

    /// Forgets a runner (its child exited, or it died).
    public func remove(_ session: SessionID) {
        guard let entry = self.entries.removeValue(forKey: session) else { return }
        self.events?.publish(.agentsChanged, workspace: entry.workspaceID)
    }

    public func entry(_ session: SessionID) -> Entry? {
        self.entries[session]
    }

    /// Whether the session has a live runner.
    public func isAlive(_ session: SessionID) -> Bool {
        self.entries[session] != nil
    }

    public func setAttention(_ attention: String?, session: SessionID) {
        guard let entry = self.entries[session] else { return }
        self.entries[session]?.attention = attention
        if (entry.attention != nil) != (attention != nil) {
            self.events?.publish(.attention(agent: entry.agentAddress, attention: attention != nil), workspace: entry.workspaceID)
        }
    }

    public func setPendingNudge(_ pending: Bool, session: SessionID) {
        guard let entry = self.entries[session] else { return }
        self.entries[session]?.pendingNudge = pending
        if entry.pendingNudge != pending {
            self.events?.publish(.nudgePending(agent: entry.agentAddress, pending: pending), workspace: entry.workspaceID)
        }
    }

    /// The live session whose runner or child is one of `pids` (a process's ancestry, nearest first).
    public func session(owningAnyOf pids: [Int32]) -> (SessionID, Entry)? {
        for pid in pids {
            for (session, entry) in self.entries where entry.runnerPID == pid || entry.childPID == pid {
                return (session, entry)
            }
        }
        return nil
    }

    /// Every live runner.
    public func all() -> [SessionID: Entry] {
        self.entries
    }
}
