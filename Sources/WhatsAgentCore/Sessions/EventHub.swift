import Foundation

/// What the daemon pushes to a connected session.
public enum SessionEvent: Sendable, Equatable {
    /// Mail is waiting: a body-free hint.
    case mail(MailHint)
    case toolsChanged
    case sessionEnded(reason: String)
}

/// The content of a push hint (SPEC §7.2, §8): counts and ids, never bodies.
public struct MailHint: Sendable, Equatable {
    /// Everything waiting: direct, broadcast and kanban messages and unread channel posts.
    public var count: Int
    /// At most the newest 20 (``MailSummary/limit``): messages oldest first, then posts.
    public var messageIDs: [String]
    public var kinds: [String]
    /// Set when exactly one message waits.
    public var from: String?
    public var threadID: String?
    public var kind: String?
    /// Names the newest waiting mail (``MailSummary/cursor``): equal cursors, no new mail in between.
    public var cursor: String? = nil
    /// When the send that caused this hint committed (nil for hints not caused by a send, e.g. on connect): the start
    /// of `whatsagent_push_latency_seconds`. A measurement, not content: equality ignores it.
    public var committedAt: ContinuousClock.Instant?
    /// The path under which the hint's transaction recorded it as the session's push
    /// (``AgentPushStatus/streamPath(agent:push:)``; nil: this hint is not the session's push, nothing recorded). The
    /// events stream reads it instead of writing the record itself (issue 19: one write transaction per send).
    /// Bookkeeping, not content: equality ignores it.
    public var recordedPath: MessagePushPath? = nil

    public static func == (lhs: MailHint, rhs: MailHint) -> Bool {
        lhs.count == rhs.count && lhs.messageIDs == rhs.messageIDs && lhs.kinds == rhs.kinds && lhs.from == rhs.from
            && lhs.threadID == rhs.threadID && lhs.kind == rhs.kind && lhs.cursor == rhs.cursor
    }

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        count: Int,
        messageIDs: [String],
        kinds: [String],
        from: String? = nil,
        threadID: String? = nil,
        kind: String? = nil,
        cursor: String? = nil,
        committedAt: ContinuousClock.Instant? = nil,
        recordedPath: MessagePushPath? = nil
    ) {
        self.count = count
        self.messageIDs = messageIDs
        self.kinds = kinds
        self.from = from
        self.threadID = threadID
        self.kind = kind
        self.cursor = cursor
        self.committedAt = committedAt
        self.recordedPath = recordedPath
    }
}

/// Fan-out of session events to the connections holding a session's events stream. Holding one is what makes an
/// agent "online". No timers: publishers call in, subscribers iterate an `AsyncStream`.
public actor EventHub {
    /// A connection holding a session's events stream, with the mail hint it has not taken yet.
    private struct Connection {
        let continuation: AsyncStream<SessionEvent>.Continuation
        let mail: PendingMail

        /// Delivers `event`; a mail hint replaces one the connection has not taken yet (``SessionEvents``).
        func deliver(_ event: SessionEvent) {
            if case .mail(let hint) = event, !self.mail.offer(hint) { return }
            self.continuation.yield(event)
        }
    }

    private var subscribers: [SessionID: [UUID: Connection]] = [:]
    /// Watchers of workspace-wide events (the human's surfaces), see ``WorkspaceEvent``.
    private var workspaceSubscribers: [WorkspaceID: [UUID: AsyncStream<WorkspaceEvent>.Continuation]] = [:]
    /// Watchers of a session's events that do not count as holding its stream (the runner supervisor types PTY
    /// nudges from them): they never make an agent look online.
    private var observers: [SessionID: [UUID: AsyncStream<SessionEvent>.Continuation]] = [:]
    private var closed = false
    /// The web UI's daemon-wide fan-out; workspace events published here also go there.
    public nonisolated let bus: WorkspaceEventBus

    public init(bus: WorkspaceEventBus = WorkspaceEventBus()) {
        self.bus = bus
    }

    /// Watches the events published to `session` without counting as a connection. Returns the stream and a key
    /// for ``stopObserving(_:key:)``.
    public func observe(_ session: SessionID) -> (AsyncStream<SessionEvent>, UUID) {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionEvent.self, bufferingPolicy: .bufferingNewest(16))
        let key = UUID()
        if self.closed {
            continuation.finish()
        } else {
            self.observers[session, default: [:]][key] = continuation
        }
        return (stream, key)
    }

    /// Ends an observer's stream.
    public func stopObserving(_ session: SessionID, key: UUID) {
        self.observers[session]?.removeValue(forKey: key)?.finish()
        if self.observers[session]?.isEmpty == true { self.observers[session] = nil }
    }

    /// Registers a connection for `session`. Returns its events (mail hints coalesced while one is in flight) and a
    /// key for ``unsubscribe(_:key:)``.
    public func subscribe(_ session: SessionID) -> (SessionEvents, UUID) {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionEvent.self, bufferingPolicy: .bufferingNewest(256))
        let connection = Connection(continuation: continuation, mail: PendingMail())
        let key = UUID()
        if self.closed {
            continuation.finish()
        } else {
            self.subscribers[session, default: [:]][key] = connection
        }
        return (SessionEvents(stream: stream, mail: connection.mail), key)
    }

    /// Forgets a connection (it closed) and ends its stream.
    public func unsubscribe(_ session: SessionID, key: UUID) {
        self.subscribers[session]?.removeValue(forKey: key)?.continuation.finish()
        if self.subscribers[session]?.isEmpty == true { self.subscribers[session] = nil }
    }

    /// Whether any connection holds this session's stream.
    public func isConnected(_ session: SessionID) -> Bool {
        !(self.subscribers[session]?.isEmpty ?? true)
    }

    /// The sessions holding at least one events stream now: read before a store transaction that pushes (issue 19).
    public func connectedSessions() -> Set<SessionID> {
        Set(self.subscribers.keys)
    }

    /// How many sessions hold at least one events stream (for `whatsagent_sessions_connected`).
    public func connectedSessionCount() -> Int {
        self.subscribers.count
    }

    /// Delivers `event` to every connection of `session`. Returns whether at least one received it.
    @discardableResult
    public func publish(_ event: SessionEvent, to session: SessionID) -> Bool {
        guard let connections = self.subscribers[session], !connections.isEmpty else { return false }
        for connection in connections.values { connection.deliver(event) }
        for continuation in self.observers[session]?.values ?? [:].values { continuation.yield(event) }
        return true
    }

    /// Sends `session_ended` and closes every stream of the session.
    public func end(_ session: SessionID, reason: String) {
        for continuation in self.observers.removeValue(forKey: session)?.values ?? [:].values {
            continuation.yield(.sessionEnded(reason: reason))
            continuation.finish()
        }
        for connection in self.subscribers.removeValue(forKey: session)?.values ?? [:].values {
            connection.continuation.yield(.sessionEnded(reason: reason))
            connection.continuation.finish()
        }
    }

    /// Closes every stream (daemon shutdown), so long-lived responses end and the server can stop.
    public func closeAll() {
        self.closed = true
        for connections in self.subscribers.values {
            for connection in connections.values { connection.continuation.finish() }
        }
        self.subscribers = [:]
        for watchers in self.observers.values {
            for continuation in watchers.values { continuation.finish() }
        }
        self.observers = [:]
        for watchers in self.workspaceSubscribers.values {
            for continuation in watchers.values { continuation.finish() }
        }
        self.workspaceSubscribers = [:]
        self.bus.closeAll()
    }

    // MARK: - Workspace events

    /// Registers a watcher of `workspace`'s events. Returns its stream and a key for ``unsubscribe(workspace:key:)``.
    public func subscribe(workspace: WorkspaceID) -> (AsyncStream<WorkspaceEvent>, UUID) {
        let (stream, continuation) = AsyncStream.makeStream(of: WorkspaceEvent.self, bufferingPolicy: .bufferingNewest(256))
        let key = UUID()
        if self.closed {
            continuation.finish()
        } else {
            self.workspaceSubscribers[workspace, default: [:]][key] = continuation
        }
        return (stream, key)
    }

    /// Forgets a watcher and ends its stream.
    public func unsubscribe(workspace: WorkspaceID, key: UUID) {
        self.workspaceSubscribers[workspace]?.removeValue(forKey: key)?.finish()
        if self.workspaceSubscribers[workspace]?.isEmpty == true { self.workspaceSubscribers[workspace] = nil }
    }

    /// Delivers `event` to every watcher of `workspace`. Returns whether at least one received it.
    @discardableResult
    public func publish(_ event: WorkspaceEvent, workspace: WorkspaceID) -> Bool {
        self.bus.publish(event, workspace: workspace)
        guard let watchers = self.workspaceSubscribers[workspace], !watchers.isEmpty else { return false }
        for continuation in watchers.values { continuation.yield(event) }
        return true
    }
}
