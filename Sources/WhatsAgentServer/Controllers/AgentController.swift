import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners

/// `/api/v1/workspaces/{workspace}/repos…` and `…/agents…`.
struct AgentController {
    let repos: RepoService
    let agents: AgentService
    let sessions: SessionService
    let messages: MessageService
    /// Stops the runners of managed sessions that a forced removal ends.
    let runners: RunnerSupervisor
    /// Agents' git worktrees (issue 23).
    let worktrees: WorktreeService
    /// Each agent's push path, confirmation and warning.
    let pushes: PushConfirmationService

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
        WorktreeController(agents: self.agents, worktrees: self.worktrees).addRoutes(to: router)
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
        let all = try await self.agents.list(workspace: workspace)
        let worktrees = try await self.worktreeResponses(workspace: workspace, all)
        let pushes = try await self.pushes.statuses(workspace: workspace, agents: all, sessions: latest)
        for agent in all {
            var response = AgentResponse(agent)
            if let detail = latest[agent.id] {
                response.session = await AgentSessionResponse(detail, sessions: self.sessions, withTail: false)
            }
            response.worktree = worktrees[agent.id]
            if let push = pushes[agent.id] { response.apply(push) }
            agents.append(response)
        }
        return AgentList(agents: agents)
    }

    @Sendable func addAgent(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<AgentResponse> {
        let body = try await request.decode(as: CreateAgentRequest.self, context: context)
        let draft = AgentDraft(
            address: try AgentAddress(parsing: body.address),
            runtime: body.runtime,
            command: body.command,
            args: body.args ?? [],
            roles: body.roles ?? [],
            isMain: body.main ?? false,
            persona: body.persona,
            nudgeEnabled: body.nudgeEnabled ?? true
        )
        let workspace = try Self.workspace(context)
        let worktree = body.worktree ?? false
        if let branch = body.worktreeBranch { _ = try WorktreeBranch.validate(branch) }
        if worktree { try await self.worktrees.requireRepository(workspace: workspace, repo: draft.address.repo) }
        let agent = try await self.agents.add(workspace: workspace, draft)
        var response = AgentResponse(agent)
        if worktree || body.worktreeBranch != nil {
            try await self.worktrees.configure(workspace: workspace, agent.address, enabled: worktree, branch: body.worktreeBranch)
            response.worktree = try await self.worktreeResponses(workspace: workspace, [agent])[agent.id]
        }
        return EditedResponse(status: .created, response: response)
    }

    @Sendable func showAgent(_ request: Request, context: APIRequestContext) async throws -> AgentResponse {
        let workspace = try Self.workspace(context)
        let agent = try await self.agents.show(workspace: workspace, try Self.address(context))
        var response = AgentResponse(agent)
        let latest = try await self.sessions.latestSessions(workspace: workspace, withTail: true)
        if let detail = latest[agent.id] {
            response.session = await AgentSessionResponse(detail, sessions: self.sessions, withTail: true)
        }
        if let push = try await self.pushes.statuses(workspace: workspace, agents: [agent], sessions: latest)[agent.id] {
            response.apply(push)
        }
        response.worktree = try await self.worktreeResponses(workspace: workspace, [agent])[agent.id]
        return response
    }

    @Sendable func updateAgent(_ request: Request, context: APIRequestContext) async throws -> AgentResponse {
        let body = try await request.decode(as: UpdateAgentRequest.self, context: context)
        let patch = AgentPatch(
            runtime: body.runtime,
            command: body.command,
            args: body.args,
            roles: body.roles,
            persona: body.persona,
            pushEnabled: body.pushEnabled,
            muted: body.muted,
            nudgeEnabled: body.nudgeEnabled
        )
        let workspace = try Self.workspace(context)
        if body.worktree != nil || body.worktreeBranch != nil {
            let current = try await self.agents.show(workspace: workspace, try Self.address(context))
            let stored = try await self.worktrees.settings(workspace: workspace)[current.id]?.enabled ?? false
            let enabled = body.worktree ?? stored
            try await self.worktrees.configure(workspace: workspace, current.address, enabled: enabled, branch: body.worktreeBranch)
        }
        let agent = try await self.agents.update(workspace: workspace, try Self.address(context), patch)
        if body.roles != nil { try await self.sessions.toolsChanged(workspace: workspace, agent: agent.id) }
        // Pushes back on: what waited while they were paused is pushed now.
        if body.pushEnabled == true { try await self.messages.pushWaiting(workspace: workspace, agent: agent.address) }
        var response = AgentResponse(agent)
        response.worktree = try await self.worktreeResponses(workspace: workspace, [agent])[agent.id]
        return response
    }

    @Sendable func removeAgent(_ request: Request, context: APIRequestContext) async throws -> RemovalResult {
        let address = try Self.address(context)
        let force = try Self.force(request)
        // Uncommitted work in the agent's worktree is refused like a live session (issue 23).
        let worktree = try await self.worktrees.checkAgentRemoval(workspace: try Self.workspace(context), address, force: force)
        let stopped = try await self.agents.remove(workspace: try Self.workspace(context), address, force: force)
        await self.sessions.ended(stopped, reason: "agent \(address) was removed")
        await self.runners.stopRunners(of: stopped, workspace: try Self.workspace(context))
        if let worktree { try await self.worktrees.removeAfterAgent(worktree) }
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

    /// The worktree of each agent that has a worktree setting.
    func worktreeResponses(workspace: String, _ agents: [Agent]) async throws -> [AgentID: AgentWorktreeResponse] {
        guard !agents.isEmpty else { return [:] }
        return try await self.worktrees.statuses(workspace: workspace, agents: agents).mapValues { setting, status in
            AgentWorktreeResponse(setting: setting, status: status)
        }
    }

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
