import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// `/api/v1/workspaces/{workspace}/repos…` and `…/agents…`.
struct AgentController {
    let repos: RepoService
    let agents: AgentService
    let sessions: SessionService
    let messages: MessageService
    /// Stops the runners of managed sessions that a forced removal ends.
    let runners: RunnerSupervisor

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/repos", use: self.listRepos)
        router.post("/api/v1/workspaces/{workspace}/repos", use: self.addRepo)
        router.delete("/api/v1/workspaces/{workspace}/repos/{repo}", use: self.removeRepo)
        router.get("/api/v1/workspaces/{workspace}/agents", use: self.listAgents)
        router.post("/api/v1/workspaces/{workspace}/agents", use: self.addAgent)
        router.get("/api/v1/workspaces/{workspace}/agents/{agent}", use: self.showAgent)
        router.patch("/api/v1/workspaces/{workspace}/agents/{agent}", use: self.updateAgent)
        router.delete("/api/v1/workspaces/{workspace}/agents/{agent}", use: self.removeAgent)
        router.put("/api/v1/workspaces/{workspace}/main-agent", use: self.setMain)
        router.delete("/api/v1/workspaces/{workspace}/main-agent", use: self.unsetMain)
    }

    // MARK: - Repos

    @Sendable func listRepos(_ request: Request, context: APIRequestContext) async throws -> RepoList {
        RepoList(repos: try await self.repos.list(workspace: try Self.workspace(context)).map(RepoResponse.init))
    }

    @Sendable func addRepo(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<RepoResponse> {
        let body = try await request.decode(as: CreateRepoRequest.self, context: context)
        let repo = try await self.repos.add(workspace: try Self.workspace(context), path: body.path, name: body.name)
        return EditedResponse(status: .created, response: RepoResponse(repo))
    }

    @Sendable func removeRepo(_ request: Request, context: APIRequestContext) async throws -> RemovalResult {
        let name = try Self.parameter("repo", context)
        let stopped = try await self.repos.remove(workspace: try Self.workspace(context), name: name, force: try Self.force(request))
        await self.sessions.ended(stopped, reason: "repo \(name) was removed")
        await self.runners.stopRunners(of: stopped, workspace: try Self.workspace(context))
        return RemovalResult(removed: name, stoppedSessions: stopped.map(LiveSessionResponse.init))
    }

    // MARK: - Agents

    @Sendable func listAgents(_ request: Request, context: APIRequestContext) async throws -> AgentList {
        let workspace = try Self.workspace(context)
        let latest = try await self.sessions.latestSessions(workspace: workspace, withTail: false)
        var agents: [AgentResponse] = []
        for agent in try await self.agents.list(workspace: workspace) {
            var response = AgentResponse(agent)
            if let detail = latest[agent.id] {
                response.session = await AgentSessionResponse(detail, sessions: self.sessions, withTail: false)
            }
            agents.append(response)
        }
        return AgentList(agents: agents)
    }

    @Sendable func addAgent(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<AgentResponse> {
        let body = try await request.decode(as: CreateAgentRequest.self, context: context)
        let draft = AgentDraft(
            address: try AgentAddress(parsing: body.address),
            runtime: body.runtime?.domain,
            command: body.command,
            args: body.args ?? [],
            roles: body.roles ?? [],
            isMain: body.main ?? false,
            persona: body.persona?.domain,
            nudgeEnabled: body.nudgeEnabled ?? true
        )
        let agent = try await self.agents.add(workspace: try Self.workspace(context), draft)
        return EditedResponse(status: .created, response: AgentResponse(agent))
    }

    @Sendable func showAgent(_ request: Request, context: APIRequestContext) async throws -> AgentResponse {
        let workspace = try Self.workspace(context)
        let agent = try await self.agents.show(workspace: workspace, try Self.address(context))
        var response = AgentResponse(agent)
        if let detail = try await self.sessions.latestSessions(workspace: workspace, withTail: true)[agent.id] {
            response.session = await AgentSessionResponse(detail, sessions: self.sessions, withTail: true)
        }
        return response
    }

    @Sendable func updateAgent(_ request: Request, context: APIRequestContext) async throws -> AgentResponse {
        let body = try await request.decode(as: UpdateAgentRequest.self, context: context)
        let patch = AgentPatch(
            runtime: body.runtime?.domain,
            command: body.command,
            args: body.args,
            roles: body.roles,
            persona: body.persona?.domain,
            pushEnabled: body.pushEnabled,
            muted: body.muted,
            nudgeEnabled: body.nudgeEnabled
        )
        let workspace = try Self.workspace(context)
        let agent = try await self.agents.update(workspace: workspace, try Self.address(context), patch)
        if body.roles != nil { try await self.sessions.toolsChanged(workspace: workspace, agent: agent.id) }
        // Pushes back on: what waited while they were paused is pushed now.
        if body.pushEnabled == true { try await self.messages.pushWaiting(workspace: workspace, agent: agent.address) }
        return AgentResponse(agent)
    }

    @Sendable func removeAgent(_ request: Request, context: APIRequestContext) async throws -> RemovalResult {
        let address = try Self.address(context)
        let stopped = try await self.agents.remove(workspace: try Self.workspace(context), address, force: try Self.force(request))
        await self.sessions.ended(stopped, reason: "agent \(address) was removed")
        await self.runners.stopRunners(of: stopped, workspace: try Self.workspace(context))
        return RemovalResult(removed: address.description, stoppedSessions: stopped.map(LiveSessionResponse.init))
    }

    @Sendable func setMain(_ request: Request, context: APIRequestContext) async throws -> AgentResponse {
        let body = try await request.decode(as: SetMainAgentRequest.self, context: context)
        let agent = try await self.agents.setMain(workspace: try Self.workspace(context), try AgentAddress(parsing: body.agent))
        return AgentResponse(agent)
    }

    @Sendable func unsetMain(_ request: Request, context: APIRequestContext) async throws -> MainAgentResult {
        let previous = try await self.agents.unsetMain(workspace: try Self.workspace(context))
        return MainAgentResult(previous: previous?.address.description)
    }

    // MARK: Helpers

    static func parameter(_ name: String, _ context: APIRequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    static func workspace(_ context: APIRequestContext) throws -> String {
        try self.parameter("workspace", context)
    }

    static func address(_ context: APIRequestContext) throws -> AgentAddress {
        try AgentAddress(parsing: try self.parameter("agent", context))
    }

    static func force(_ request: Request) throws -> Bool {
        guard let raw = request.uri.queryParameters["force"] else { return false }
        switch raw.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw DomainError.invalidArgument("query parameter force must be true or false (got '\(raw)')")
        }
    }
}
