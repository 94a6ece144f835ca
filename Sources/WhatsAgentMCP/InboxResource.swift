import Foundation
import Logging
import MCP
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent://inbox`, the standard push for any MCP client (SPEC §8): `resources/list`, `resources/read` and
/// `resources/subscribe`. Its content is body-free (count, newest ids, "call check_messages"), so reading it bypasses
/// no lease; bodies travel only through `check_messages`. New mail sends `notifications/resources/updated` to a
/// subscribed client (``EventPump``). The daemon hears of the subscription, which makes the session's push path
/// `resource`, and of each read, which confirms the pushes before it.
actor InboxResource {
    static let resource = Resource(
        name: "inbox",
        uri: WhatsAgentAPI.InboxResource.uri,
        title: "WhatsAgent inbox",
        description:
            "How many WhatsAgent messages wait for you and their newest ids (no message text). Subscribe to hear of new "
            + "mail; call check_messages to read it.",
        mimeType: "application/json"
    )

    let backend: any AgentBackend
    let logger: Logger
    /// The client subscribed to the inbox (and has not unsubscribed).
    private(set) var subscribed = false

    init(backend: any AgentBackend, logger: Logger) {
        self.backend = backend
        self.logger = logger
    }

    /// Registers the handlers on `server` (which must declare the `resources` capability with `subscribe`).
    nonisolated func register(on server: Server) async {
        await server.withMethodHandler(ListResources.self) { _ in ListResources.Result(resources: [Self.resource]) }
        await server.withMethodHandler(ReadResource.self) { parameters in try await self.read(parameters.uri) }
        await server.withMethodHandler(ResourceSubscribe.self) { parameters in
            try await self.subscribe(parameters.uri, true)
            return Empty()
        }
        await server.withMethodHandler(ResourceUnsubscribe.self) { parameters in
            try await self.subscribe(parameters.uri, false)
            return Empty()
        }
    }

    /// The inbox as JSON text: `{"count", "messageIds", "kinds", "hint"}`.
    func read(_ uri: String) async throws -> ReadResource.Result {
        try Self.check(uri)
        let inbox: AgentInboxResponse
        do {
            inbox = try await self.backend.inbox()
        } catch {
            throw MCPError.internalError("cannot read the inbox from the WhatsAgent daemon: \(error); call check_messages instead")
        }
        let text = String(decoding: try WireJSON.encoder().encode(inbox), as: UTF8.self)
        return ReadResource.Result(contents: [.text(text, uri: uri, mimeType: "application/json")])
    }

    /// Remembers the subscription (notifications follow it at once) and tells the daemon. A daemon that cannot be
    /// reached only costs the path shown in `agent show`: logged, not refused.
    func subscribe(_ uri: String, _ on: Bool) async throws {
        try Self.check(uri)
        self.subscribed = on
        do {
            try await self.backend.setInboxSubscription(on)
        } catch {
            self.logger.warning("could not tell the daemon about the inbox subscription", metadata: ["error": "\(error)"])
        }
    }

    private static func check(_ uri: String) throws {
        guard uri == WhatsAgentAPI.InboxResource.uri else {
            throw MCPError.invalidParams("unknown resource \(uri); this server offers \(WhatsAgentAPI.InboxResource.uri)")
        }
    }
}
