import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore

/// Human-side session and message routes: `agent connect/disconnect`, messages sent as human-web.
struct SessionController {
    let sessions: SessionService
    let messages: MessageService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.post("/api/v1/workspaces/{workspace}/agents/{agent}/connect", use: self.connect)
        router.post("/api/v1/workspaces/{workspace}/agents/{agent}/disconnect", use: self.disconnect)
        router.post("/api/v1/workspaces/{workspace}/messages", use: self.send)
    }

    @Sendable func connect(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<AgentConnection> {
        let body = try await request.decode(as: ConnectAgentRequest.self, context: context)
        let grant = try await self.sessions.connect(
            workspace: try AgentController.workspace(context),
            try AgentController.address(context),
            replace: body.replace
        )
        let connection = AgentConnection(
            session: LiveSessionResponse(grant.session),
            workspaceId: grant.workspace.id.rawValue,
            token: grant.token.rawValue,
            environment: grant.environment,
            mcpConfigPath: grant.mcpConfigPath,
            command: grant.executablePath
        )
        context.logger.info("agent connected", metadata: ["agent": "\(grant.session.agentAddress)", "session.id": "\(grant.session.id)"])
        return EditedResponse(status: .created, response: connection)
    }

    @Sendable func disconnect(_ request: Request, context: APIRequestContext) async throws -> LiveSessionResponse {
        let ended = try await self.sessions.disconnect(workspace: try AgentController.workspace(context), try AgentController.address(context))
        return LiveSessionResponse(ended)
    }

    @Sendable func send(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<SendMessageResult> {
        let body = try await request.decode(as: SendMessageRequest.self, context: context)
        let outcome = try await self.messages.send(
            workspace: try AgentController.workspace(context),
            from: .human,
            to: body.to,
            body: body.body,
            clientMessageID: body.clientMessageId
        )
        let result = SendMessageResult(
            message: MessageResponse(outcome.message),
            recipientOnline: outcome.recipientOnline,
            duplicate: outcome.duplicate
        )
        return EditedResponse(status: .created, response: result)
    }
}
