import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners

/// The agent protocol's inbox resource (SPEC §8): `whatsagent mcp` reads the body-free `whatsagent://inbox` through it
/// and reports its client's subscription, which makes the session's push path `resource`.
struct AgentInboxController {
    let services: DaemonServices

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/agent/inbox", use: self.inbox)
        router.put("/api/v1/agent/inbox/subscription", use: self.subscription)
    }

    /// Count, newest ids and kinds; leases nothing. The read confirms the pushes before it (path `resource`).
    @Sendable func inbox(_ request: Request, context: APIRequestContext) async throws -> AgentInboxResponse {
        let identity = try await self.services.sessions.authenticate(bearer: request)
        let summary = try await self.services.pushes.inbox(identity)
        return AgentInboxResponse(count: summary.count, messageIds: summary.newestMessageIDs, kinds: summary.kinds, hint: summary.hint)
    }

    @Sendable func subscription(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        let identity = try await self.services.sessions.authenticate(bearer: request)
        let body = try await request.decode(as: AgentInboxSubscriptionRequest.self, context: context)
        try await self.services.pushes.setInboxSubscribed(identity, body.subscribed)
        // The agents page shows the path: refetch.
        self.services.hub.bus.publish(.agentsChanged, workspace: identity.workspace.id)
        return .noContent
    }
}

extension AgentProtocolController {
    /// A mail hint was written to the session's events stream: a push, when that stream is its push path. The hint's
    /// own transaction recorded it (``MailHint/recordedPath``; issue 19: no write of its own here). A managed Claude's
    /// channel push is followed until confirmed (``RunnerSupervisor/channelPushed(_:count:pushes:)``).
    static func recordPush(_ identity: AgentIdentity, hint: MailHint, _ services: DaemonServices) async {
        if hint.recordedPath == .channel, identity.session.kind == .managed {
            await services.runners.channelPushed(identity.session.id, count: hint.count, pushes: services.pushes)
        }
    }

    /// A `check_messages` that went through confirms the pushes before it (whatever path the last one took).
    func confirmPush(after tool: String, _ result: AgentToolResult, _ identity: AgentIdentity, logger: Logger) async {
        guard tool == "check_messages", !result.isError else { return }
        do {
            try await self.services.pushes.confirmPush(workspace: identity.workspace.id, session: identity.session.id)
        } catch {
            logger.debug("cannot record a push confirmation", metadata: ["session.id": "\(identity.session.id)", "error": "\(error)"])
        }
    }
}

extension SessionService {
    /// The session of `Authorization: Bearer <session token>`.
    func authenticate(bearer request: Request) async throws -> AgentIdentity {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw DomainError(
                .invalidSessionToken,
                "the agent API needs `Authorization: Bearer <session token>` (WHATSAGENT_SESSION_TOKEN of the session)"
            )
        }
        return try await self.authenticate(String(header.dropFirst("bearer ".count)))
    }
}

extension AgentInboxResponse: ResponseEncodable {}
