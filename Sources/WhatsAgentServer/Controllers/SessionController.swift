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
        router.get("/api/v1/workspaces/{workspace}/messages", use: self.list)
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

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> MessageList {
        let query = request.uri.queryParameters
        let limit = try query["limit"].map { raw -> Int in
            guard let value = Int(raw) else { throw DomainError.invalidArgument("limit must be a whole number (got '\(raw)')") }
            return value
        }
        let messages = try await self.messages.humanMessages(
            workspace: try AgentController.workspace(context),
            peer: query["peer"].map(String.init),
            limit: limit ?? 50,
            broadcasts: query["broadcasts"] == "true"
        )
        return MessageList(messages: messages.map(MessageResponse.init))
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
