import Foundation
import WhatsAgentAPI

/// What an agent-side adapter (`whatsagent mcp`) needs from the daemon: the agent protocol of SPEC §2.
///
/// ``AgentClient`` is the real one, over the daemon socket; tests of the MCP server use a fake.
public protocol AgentBackend: Sendable {
    /// `GET /api/v1/agent/tools`: the tools this session's agent may see.
    func tools() async throws -> AgentToolCatalogue
    /// `POST /api/v1/agent/tools/{name}`: one tool call. Refusals are results with `isError`, not throws.
    func call(_ name: String, arguments: JSONValue) async throws -> AgentToolResult
    /// `POST /api/v1/agent/ack`: the client has the result that leased `leaseId`.
    func ack(leaseId: String) async throws
    /// `GET /api/v1/agent/events`: holding this stream open is what makes the agent "connected".
    /// It finishes when the daemon closes it; cancelling the consumer closes the connection.
    func events() -> AsyncThrowingStream<AgentEvent, any Error>
    /// `GET /api/v1/agent/inbox`: the body-free `whatsagent://inbox` (reading it confirms a push, leases nothing).
    func inbox() async throws -> AgentInboxResponse
    /// `PUT /api/v1/agent/inbox/subscription`: the MCP client subscribed to `whatsagent://inbox`, or unsubscribed.
    func setInboxSubscription(_ subscribed: Bool) async throws
}

/// The agent protocol over the daemon's Unix socket, authenticated by a session token (SPEC §6.2).
///
/// Every request carries `Authorization: Bearer <token>`; a 401 means the token is dead (the session ended) or
/// was never valid, and surfaces as ``ClientError/api(status:code:message:)`` with status 401.
public struct AgentClient: AgentBackend {
    let http: UnixSocketHTTPClient

    /// Tool calls and acknowledgements reuse keep-alive connections; the events stream has its own connection.
    public init(socketPath: String, token: String) {
        self.http = UnixSocketHTTPClient(
            socketPath: socketPath,
            headers: [("Authorization", "Bearer \(token)")],
            connections: KeepAliveConnections()
        )
    }

    public func tools() async throws -> AgentToolCatalogue {
        try Self.decode(try await self.http.send(method: "GET", path: "/api/v1/agent/tools"))
    }

    public func call(_ name: String, arguments: JSONValue) async throws -> AgentToolResult {
        let body = try WireJSON.encoder().encode(arguments)
        let path = "/api/v1/agent/tools/\(DaemonClient.segment(name))"
        return try Self.decode(try await self.http.send(method: "POST", path: path, body: body))
    }

    public func ack(leaseId: String) async throws {
        let body = try WireJSON.encoder().encode(AgentAckRequest(leaseId: leaseId))
        try Self.check(try await self.http.send(method: "POST", path: "/api/v1/agent/ack", body: body))
    }

    public func inbox() async throws -> AgentInboxResponse {
        try Self.decode(try await self.http.send(method: "GET", path: "/api/v1/agent/inbox"))
    }

    public func setInboxSubscription(_ subscribed: Bool) async throws {
        let body = try WireJSON.encoder().encode(AgentInboxSubscriptionRequest(subscribed: subscribed))
        try Self.check(try await self.http.send(method: "PUT", path: "/api/v1/agent/inbox/subscription", body: body))
    }

    /// The events stream, one ``AgentEvent`` per line.
    ///
    /// A line that does not decode (say, an event kind from a newer daemon) is skipped rather than ending the
    /// stream: the pushes are hints, and a lost hint never loses a message (SPEC §7.2).
    public func events() -> AsyncThrowingStream<AgentEvent, any Error> {
        let http = self.http
        let (stream, continuation) = AsyncThrowingStream<AgentEvent, any Error>.makeStream()
        // `events()` is synchronous (the stream is its interface), so the connection lives in a task that this
        // bridges to; the consumer ending the stream (cancelled, or simply stopping) cancels it, which closes the
        // connection.
        let task = Task {
            do {
                let decoder = WireJSON.decoder()
                try await http.streamLines(method: "GET", path: "/api/v1/agent/events") { line in
                    guard let event = try? decoder.decode(AgentEvent.self, from: line) else { return }
                    continuation.yield(event)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    // MARK: Helpers

    private static func decode<Response: Decodable>(_ reply: UnixSocketHTTPClient.Reply) throws -> Response {
        try self.check(reply)
        do {
            return try WireJSON.decoder().decode(Response.self, from: reply.body)
        } catch {
            throw ClientError.invalidResponse("cannot decode \(Response.self): \(error)")
        }
    }

    private static func check(_ reply: UnixSocketHTTPClient.Reply) throws {
        guard (200..<300).contains(reply.status) else { throw ClientError.refusal(status: reply.status, body: reply.body) }
    }
}
