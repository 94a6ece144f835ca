import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners

/// Managed sessions: `agent launch`, `agent stop` and, on the owner socket only, `agent attach`'s runner access.
struct RunnerController {
    let runners: RunnerSupervisor

    /// Launch and stop: part of the management API (socket and, behind the login, the web).
    func addRoutes(to router: Router<APIRequestContext>) {
        router.post("/api/v1/workspaces/{workspace}/agents/{agent}/launch", use: self.launch)
        router.post("/api/v1/workspaces/{workspace}/agents/{agent}/stop", use: self.stop)
    }

    /// The runner socket and secret: only the owner's CLI on the Unix socket gets them.
    func addSocketRoutes(to router: Router<APIRequestContext>) {
        router.post("/api/v1/workspaces/{workspace}/agents/{agent}/terminal", use: self.terminal)
    }

    @Sendable func launch(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<AgentLaunchResult> {
        let result = try await self.runners.launch(workspace: try AgentController.workspace(context), try AgentController.address(context))
        return EditedResponse(status: result.alreadyRunning ? .ok : .created, response: result)
    }

    @Sendable func stop(_ request: Request, context: APIRequestContext) async throws -> AgentStopResult {
        try await self.runners.stop(workspace: try AgentController.workspace(context), try AgentController.address(context))
    }

    @Sendable func terminal(_ request: Request, context: APIRequestContext) async throws -> AgentTerminalAccess {
        let access = try await self.runners.terminalAccess(
            workspace: try AgentController.workspace(context),
            try AgentController.address(context)
        )
        context.logger.info("terminal attach", metadata: ["agent": "\(access.agent)", "session.id": "\(access.sessionId)"])
        return access
    }
}

extension AgentLaunchResult: ResponseEncodable {}
extension AgentStopResult: ResponseEncodable {}
extension AgentTerminalAccess: ResponseEncodable {}
