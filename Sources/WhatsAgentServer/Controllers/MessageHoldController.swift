import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore

/// `/api/v1/workspaces/{workspace}/message-holds…`: pairs held by the loop guard, and their release by the human
/// (SPEC §7.5, `whatsagent msg holds` / `msg release`).
struct MessageHoldController {
    let messages: MessageService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/message-holds", use: self.list)
        router.post("/api/v1/workspaces/{workspace}/message-holds/release", use: self.release)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> MessageHoldList {
        let holds = try await self.messages.holds(workspace: try AgentController.workspace(context))
        return MessageHoldList(holds: holds.map(MessageHoldResponse.init))
    }

    @Sendable func release(_ request: Request, context: APIRequestContext) async throws -> ReleaseHoldResult {
        let (first, second) = try await request.decode(as: AgentPairRequest.self, context: context).pair()
        let (hold, released) = try await self.messages.release(workspace: try AgentController.workspace(context), first, second)
        context.logger.info(
            "loop-guard hold released",
            metadata: ["agents": "\(hold.agents.joined(separator: " "))", "released": "\(released)"]
        )
        return ReleaseHoldResult(hold: MessageHoldResponse(hold), released: released)
    }
}
