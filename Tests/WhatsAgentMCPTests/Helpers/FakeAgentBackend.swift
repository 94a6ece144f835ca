import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// A daemon stand-in for the MCP server: serves a catalogue, records tool calls and acks, and lets a test push
/// events down the current events connection (or drop it, as a daemon restart would).
actor FakeAgentBackend: AgentBackend {
    typealias Responder = @Sendable (_ name: String, _ arguments: JSONValue) async throws -> AgentToolResult

    struct Call: Equatable, Sendable {
        var name: String
        var arguments: JSONValue
    }

    private typealias Connection = (
        stream: AsyncThrowingStream<AgentEvent, any Error>, continuation: AsyncThrowingStream<AgentEvent, any Error>.Continuation
    )

    private var catalogue: AgentToolCatalogue
    private let respond: Responder
    private let log: EventLog?
    private(set) var calls: [Call] = []
    private(set) var acks: [String] = []
    private var ackFailures: [any Error] = []
    /// What `inbox()` answers, how often it was read, and each subscription change the MCP server reported.
    var inboxContent = AgentInboxResponse(count: 0, messageIds: [], kinds: [], hint: "No WhatsAgent messages waiting.")
    private(set) var inboxReads = 0
    private(set) var subscriptions: [Bool] = []

    /// Each acknowledged lease id, as it happens.
    nonisolated let acked: AsyncStream<String>
    private nonisolated let ackedContinuation: AsyncStream<String>.Continuation
    /// The number of each events connection, as it is opened.
    nonisolated let connections: AsyncStream<Int>
    private nonisolated let connectionsContinuation: AsyncStream<Int>.Continuation
    private nonisolated let streams = Locked((all: [Connection](), handedOut: 0))

    init(catalogue: AgentToolCatalogue = .sample, log: EventLog? = nil, respond: @escaping Responder = FakeAgentBackend.echo) {
        self.catalogue = catalogue
        self.log = log
        self.respond = respond
        (self.acked, self.ackedContinuation) = AsyncStream<String>.makeStream()
        (self.connections, self.connectionsContinuation) = AsyncStream<Int>.makeStream()
    }

    /// Answers every call with its name and arguments.
    static let echo: Responder = { name, arguments in
        let text = String(decoding: try WireJSON.encoder().encode(arguments), as: UTF8.self)
        return AgentToolResult(text: "\(name) \(text)", structured: ["tool": .string(name), "arguments": arguments])
    }

    // MARK: - AgentBackend

    func tools() async throws -> AgentToolCatalogue {
        self.catalogue
    }

    func call(_ name: String, arguments: JSONValue) async throws -> AgentToolResult {
        self.calls.append(Call(name: name, arguments: arguments))
        return try await self.respond(name, arguments)
    }

    func ack(leaseId: String) async throws {
        await self.log?.append("ack \(leaseId)")
        if !self.ackFailures.isEmpty { throw self.ackFailures.removeFirst() }
        self.acks.append(leaseId)
        self.ackedContinuation.yield(leaseId)
    }

    func inbox() async throws -> AgentInboxResponse {
        self.inboxReads += 1
        return self.inboxContent
    }

    func setInbox(_ content: AgentInboxResponse) {
        self.inboxContent = content
    }

    func setInboxSubscription(_ subscribed: Bool) async throws {
        self.subscriptions.append(subscribed)
    }

    nonisolated func events() -> AsyncThrowingStream<AgentEvent, any Error> {
        let (stream, number) = self.streams.withLock { streams in
            if streams.handedOut == streams.all.count { streams.all.append(AsyncThrowingStream.makeStream()) }
            streams.handedOut += 1
            return (streams.all[streams.handedOut - 1].stream, streams.handedOut)
        }
        self.connectionsContinuation.yield(number)
        // Like the daemon, every events stream opens with `hello`.
        let hello = AgentEvent(kind: .hello, agent: "api:main", sessionId: "s-\(number)")
        return AsyncThrowingStream { continuation in
            // Bridges the buffered test stream into one that starts with the greeting.
            let forward = Task {
                continuation.yield(hello)
                do {
                    for try await event in stream { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in forward.cancel() }
        }
    }

    // MARK: - Test controls

    func setCatalogue(_ catalogue: AgentToolCatalogue) {
        self.catalogue = catalogue
    }

    /// The next acknowledgements fail with these errors, in order.
    func failAcks(with errors: [any Error]) {
        self.ackFailures = errors
    }

    /// Sends `event` down the newest events connection (buffered until the server opens it).
    nonisolated func push(_ event: AgentEvent) {
        self.newest { $0.continuation.yield(event) }
    }

    /// Ends the newest connection, cleanly or with `error`; later pushes go to the next one.
    nonisolated func dropConnection(throwing error: (any Error)? = nil) {
        self.streams.withLock { streams in
            if streams.all.isEmpty { streams.all.append(AsyncThrowingStream.makeStream()) }
            streams.all[streams.all.count - 1].continuation.finish(throwing: error)
            streams.all.append(AsyncThrowingStream.makeStream())
        }
    }

    private nonisolated func newest(_ body: (Connection) -> Void) {
        self.streams.withLock { streams in
            if streams.all.isEmpty { streams.all.append(AsyncThrowingStream.makeStream()) }
            body(streams.all[streams.all.count - 1])
        }
    }
}

/// An ordered record of what happened, shared by fakes to check ordering.
actor EventLog {
    private(set) var entries: [String] = []

    func append(_ entry: String) {
        self.entries.append(entry)
    }
}

extension AgentToolCatalogue {
    /// A few real tools of the surface.
    static let sample = AgentToolCatalogue(
        agent: "api:main",
        tools: AgentTools.all.filter { ["whoami", "send_message", "check_messages", "set_summary"].contains($0.name) }.map(\.descriptor)
    )
}

extension AgentEvent {
    static func mail(
        count: Int,
        ids: [String],
        kinds: [String],
        from: String? = nil,
        thread: String? = nil,
        kind: String? = nil
    )
        -> AgentEvent
    {
        AgentEvent(
            kind: .mail,
            agent: "api:main",
            sessionId: "s-1",
            count: count,
            messageIds: ids,
            kinds: kinds,
            from: from,
            threadId: thread,
            messageKind: kind
        )
    }

    static func simple(_ kind: Kind, reason: String? = nil) -> AgentEvent {
        AgentEvent(kind: kind, agent: "api:main", sessionId: "s-1", reason: reason)
    }
}
