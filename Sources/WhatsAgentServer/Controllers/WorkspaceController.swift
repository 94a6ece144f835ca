import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners

/// `/api/v1/workspaces…`: the workspace lifecycle.
struct WorkspaceController {
    let workspaces: WorkspaceService
    let sessions: SessionService
    let retention: RetentionService
    /// A forced trash stops the workspace's runners first (their sockets live in its folder).
    let runners: RunnerSupervisor

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces", use: self.list)
        router.post("/api/v1/workspaces", use: self.create)
        router.put("/api/v1/current-workspace", use: self.select)
        router.get("/api/v1/workspaces/{workspace}", use: self.get)
        router.patch("/api/v1/workspaces/{workspace}", use: self.update)
        router.post("/api/v1/workspaces/{workspace}/trash", use: self.trash)
        router.post("/api/v1/workspaces/{workspace}/restore", use: self.restore)
        router.post("/api/v1/workspaces/{workspace}/purge", use: self.purge)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> WorkspaceList {
        let summaries = try await self.workspaces.list()
        return WorkspaceList(
            workspaces: summaries.map(WorkspaceResponse.init),
            currentWorkspaceId: summaries.first(where: \.isCurrent)?.workspace.id.rawValue
        )
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<WorkspaceResponse> {
        let body = try await request.decode(as: CreateWorkspaceRequest.self, context: context)
        let draft = WorkspaceDraft(
            name: body.name,
            topology: body.topology,
            rbacMode: body.rbacMode,
            kanbanPrefix: body.kanbanPrefix,
            epicPrefix: body.epicPrefix,
            rateLimit: body.rateLimit?.domain,
            loopGuard: body.loopGuard?.domain
        )
        let workspace = try await self.workspaces.create(draft)
        return EditedResponse(status: .created, response: WorkspaceResponse(try await self.workspaces.summary(id: workspace.id)))
    }

    @Sendable func select(_ request: Request, context: APIRequestContext) async throws -> WorkspaceResponse {
        let body = try await request.decode(as: SelectWorkspaceRequest.self, context: context)
        let workspace = try await self.workspaces.use(body.workspace)
        return WorkspaceResponse(try await self.workspaces.summary(id: workspace.id))
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> WorkspaceResponse {
        WorkspaceResponse(try await self.workspaces.summary(try context.parameters.require("workspace")))
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> WorkspaceResponse {
        let body = try await request.decode(as: UpdateWorkspaceRequest.self, context: context)
        let patch = WorkspacePatch(
            name: body.name,
            topology: body.topology,
            rbacMode: body.rbacMode,
            kanbanPrefix: body.kanbanPrefix,
            epicPrefix: body.epicPrefix,
            maxBodyChars: body.maxBodyChars,
            chatRetention: try body.chatRetention?.domain(),
            rateLimit: body.rateLimit?.domain,
            loopGuard: body.loopGuard?.domain
        )
        let workspace = try await self.workspaces.update(try context.parameters.require("workspace"), patch)
        if body.rbacMode != nil { try await self.sessions.toolsChanged(workspace: workspace.id.rawValue) }
        if body.chatRetention != nil {
            // A shorter retention takes effect now, not at the next maintenance tick.
            let pruned = try await self.retention.pruneChat(workspace: workspace.id.rawValue)
            context.logger.info(
                "chat retention changed: pruned",
                metadata: ["workspace.id": "\(workspace.id)", "messages": "\(pruned.messages)", "posts": "\(pruned.posts)"]
            )
        }
        return WorkspaceResponse(try await self.workspaces.summary(id: workspace.id))
    }

    @Sendable func trash(_ request: Request, context: APIRequestContext) async throws -> WorkspaceResponse {
        let body = try await request.decode(as: RemovalRequest.self, context: context)
        let reference = try context.parameters.require("workspace")
        if body.force { await self.runners.stopAll(workspace: reference) }
        let live = try await self.sessions.liveSessions(workspace: reference)
        let workspace = try await self.workspaces.trash(reference, force: body.force)
        await self.sessions.ended(live, reason: "workspace \(workspace.name) was trashed")
        return WorkspaceResponse(try await self.workspaces.summary(id: workspace.id))
    }

    @Sendable func restore(_ request: Request, context: APIRequestContext) async throws -> WorkspaceResponse {
        let workspace = try await self.workspaces.restore(try context.parameters.require("workspace"))
        return WorkspaceResponse(try await self.workspaces.summary(id: workspace.id))
    }

    @Sendable func purge(_ request: Request, context: APIRequestContext) async throws -> WorkspaceResponse {
        let workspace = try await self.workspaces.purge(try context.parameters.require("workspace"))
        let summary = WorkspaceSummary(
            workspace: workspace,
            repoCount: 0,
            agentCount: 0,
            liveSessionCount: 0,
            isCurrent: false,
            purgeAfter: nil
        )
        return WorkspaceResponse(summary)
    }
}
