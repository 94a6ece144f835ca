import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// `/api/v1/workspaces/{workspace}/peer-rules…`: the p2p topology's peer rules (SPEC §7.1, `whatsagent peer-rule`).
struct PeerRuleController {
    let peerRules: PeerRuleService
    let workspaces: WorkspaceService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/peer-rules", use: self.list)
        router.post("/api/v1/workspaces/{workspace}/peer-rules", use: self.add)
        router.put("/api/v1/workspaces/{workspace}/peer-rules/mode", use: self.setMode)
        router.delete("/api/v1/workspaces/{workspace}/peer-rules/{first}/{second}", use: self.remove)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> PeerRuleList {
        let workspace = try AgentController.workspace(context)
        return try await self.response(try await self.peerRules.list(workspace: workspace), workspace)
    }

    @Sendable func add(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<PeerRuleResponse> {
        let (first, second) = try await request.decode(as: AgentPairRequest.self, context: context).pair()
        let rule = try await self.peerRules.add(workspace: try AgentController.workspace(context), first, second)
        return EditedResponse(status: .created, response: PeerRuleResponse(rule))
    }

    @Sendable func setMode(_ request: Request, context: APIRequestContext) async throws -> PeerRuleList {
        let body = try await request.decode(as: PeerRuleModeRequest.self, context: context)
        let workspace = try AgentController.workspace(context)
        return try await self.response(try await self.peerRules.setMode(workspace: workspace, body.mode), workspace)
    }

    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> PeerRuleResponse {
        let rule = try await self.peerRules.remove(
            workspace: try AgentController.workspace(context),
            try AgentController.parameter("first", context),
            try AgentController.parameter("second", context)
        )
        return PeerRuleResponse(rule)
    }

    private func response(_ set: PeerRuleSet, _ workspace: String) async throws -> PeerRuleList {
        PeerRuleList(set, topology: try await self.workspaces.resolve(workspace).topology)
    }
}
