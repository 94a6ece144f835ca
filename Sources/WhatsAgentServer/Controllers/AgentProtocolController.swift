import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WhatsAgentAPI
import WhatsAgentCore

/// The agent protocol (SPEC §2): tool catalogue, tool calls, lease acknowledgements and the events stream, for
/// `whatsagent mcp` and runtime plugins. Every call is authenticated by the session's bearer token.
struct AgentProtocolController {
    let services: DaemonServices
    var dispatcher: AgentToolDispatcher { AgentToolDispatcher(services: self.services) }

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/agent/tools", use: self.tools)
        router.post("/api/v1/agent/tools/{tool}", use: self.call)
        router.post("/api/v1/agent/ack", use: self.ack)
        router.get("/api/v1/agent/events", use: self.events)
        AgentInboxController(services: self.services).addRoutes(to: router)
    }

    @Sendable func tools(_ request: Request, context: APIRequestContext) async throws -> AgentToolCatalogue {
        let identity = try await self.authenticate(request)
        return AgentToolCatalogue(agent: identity.agent.address.description, tools: try await self.dispatcher.catalogue(for: identity))
    }

    @Sendable func call(_ request: Request, context: APIRequestContext) async throws -> AgentToolResult {
        let identity = try await self.authenticate(request)
        let name = try context.parameters.require("tool")
        let arguments: JSONValue
        do {
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            arguments = buffer.readableBytes == 0 ? [:] : try WireJSON.decoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            return .refusal("the tool arguments are not valid JSON: send a JSON object", code: "invalid_argument")
        }
        let result = await self.dispatcher.call(name, arguments: arguments, identity: identity, logger: context.logger)
        self.services.metrics.recordToolCall(name, served: AgentToolDispatcher.served.contains(name), result: result)
        await self.confirmPush(after: name, result, identity, logger: context.logger)
        return result
    }

    @Sendable func ack(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        let identity = try await self.authenticate(request)
        let body = try await request.decode(as: AgentAckRequest.self, context: context)
        try await self.services.messages.acknowledge(identity, leaseID: body.leaseId)
        return .noContent
    }

    /// A chunked stream of newline-delimited events. It starts with `hello`, pushes waiting mail at once, and ends
    /// when the session ends, the daemon stops, or the client closes the connection (then the agent is offline).
    @Sendable func events(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try await self.authenticate(request)
        let hub = self.services.hub
        let session = identity.session.id
        let (stream, key) = await hub.subscribe(session)
        // Presence changed (online now, and offline when the stream goes): the web UI refetches its agent list.
        let workspace = identity.workspace.id
        hub.bus.publish(.agentsChanged, workspace: workspace)
        // The close callback is synchronous; bridge to the hub actor.
        context.channel.closeFuture.whenComplete { _ in
            Task {
                await hub.unsubscribe(session, key: key)
                hub.bus.publish(.agentsChanged, workspace: workspace)
            }
        }
        try await self.services.messages.pushWaiting(to: identity)
        let agent = identity.agent.address.description
        context.logger.info("agent events stream opened", metadata: ["agent": "\(agent)", "session.id": "\(session)"])
        let metrics = self.services.metrics
        let services = self.services
        let body = ResponseBody { writer in
            let encoder = WireJSON.encoder()
            func write(_ event: AgentEvent) async throws {
                var line = try encoder.encode(event)
                line.append(0x0A)
                try await writer.write(ByteBuffer(bytes: line))
            }
            try await write(AgentEvent(kind: .hello, agent: agent, sessionId: session.rawValue))
            for await event in stream {
                try await write(AgentEvent(event, agent: agent, session: session))
                if case .mail(let hint) = event {
                    if let committedAt = hint.committedAt { metrics.recordPush(committedAt: committedAt) }
                    await Self.recordPush(identity, hint: hint, services)
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .cacheControl: "no-store"], body: body)
    }

    private func authenticate(_ request: Request) async throws -> AgentIdentity {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw DomainError(
                .invalidSessionToken,
                "the agent API needs `Authorization: Bearer <session token>` (WHATSAGENT_SESSION_TOKEN of the session)"
            )
        }
        return try await self.services.sessions.authenticate(String(header.dropFirst("bearer ".count)))
    }
}

extension AgentEvent {
    init(_ event: SessionEvent, agent: String, session: SessionID) {
        switch event {
        case .mail(let hint):
            self.init(
                kind: .mail,
                agent: agent,
                sessionId: session.rawValue,
                count: hint.count,
                messageIds: hint.messageIDs,
                kinds: hint.kinds,
                from: hint.from,
                threadId: hint.threadID,
                messageKind: hint.kind,
                cursor: hint.cursor
            )
        case .toolsChanged:
            self.init(kind: .toolsChanged, agent: agent, sessionId: session.rawValue)
        case .sessionEnded(let reason):
            self.init(kind: .sessionEnded, agent: agent, sessionId: session.rawValue, reason: reason)
        }
    }
}
