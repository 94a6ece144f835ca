import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// The board's tasks as the human sees them (SPEC §9): list, search, create, show, field patches, status moves,
/// comments, archive and unarchive. The human is not subject to RBAC or to the status rules of scoped grants.
struct BoardTaskController {
    let board: BoardService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/board/tasks", use: self.list)
        router.post("/api/v1/workspaces/{workspace}/board/tasks", use: self.create)
        router.get("/api/v1/workspaces/{workspace}/board/tasks/search", use: self.search)
        router.get("/api/v1/workspaces/{workspace}/board/tasks/{task}", use: self.show)
        router.patch("/api/v1/workspaces/{workspace}/board/tasks/{task}", use: self.update)
        router.put("/api/v1/workspaces/{workspace}/board/tasks/{task}/status", use: self.move)
        router.post("/api/v1/workspaces/{workspace}/board/tasks/{task}/comments", use: self.comment)
        router.post("/api/v1/workspaces/{workspace}/board/tasks/{task}/archive", use: self.archive)
        router.post("/api/v1/workspaces/{workspace}/board/tasks/{task}/unarchive", use: self.unarchive)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> BoardTaskList {
        let filter = BoardFilter(try BoardController.listQuery(request))
        let tasks = try await self.board.tasks(filter, by: .human, workspace: try AgentController.workspace(context))
        return BoardTaskList(tasks: tasks.map(BoardTaskResponse.init))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<BoardTaskChange> {
        let body = try await request.decode(as: CreateBoardTaskRequest.self, context: context)
        let change = try await self.board.createTask(TaskDraft(body), by: .human, workspace: try AgentController.workspace(context))
        return EditedResponse(status: .created, response: BoardTaskChange(change))
    }

    @Sendable func search(_ request: Request, context: APIRequestContext) async throws -> BoardSearchResponse {
        let query = BoardSearchQuery(try BoardController.searchParameters(request))
        return BoardSearchResponse(try await self.board.searchTasks(query, by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> BoardTaskDetail {
        BoardTaskDetail(try await self.board.task(try Self.task(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> BoardTaskChange {
        let body = try await request.decode(as: UpdateBoardTaskRequest.self, context: context)
        let change = try await self.board.updateTask(
            try Self.task(context),
            TaskPatch(body),
            by: .human,
            workspace: try AgentController.workspace(context)
        )
        return BoardTaskChange(change)
    }

    @Sendable func move(_ request: Request, context: APIRequestContext) async throws -> BoardTaskChange {
        let body = try await request.decode(as: BoardStatusRequest.self, context: context)
        let change = try await self.board.moveTask(
            try Self.task(context),
            to: body.status.domain,
            by: .human,
            workspace: try AgentController.workspace(context)
        )
        return BoardTaskChange(change)
    }

    @Sendable func comment(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<BoardCommentChange> {
        let body = try await request.decode(as: BoardCommentRequest.self, context: context)
        let change = try await self.board.commentTask(
            try Self.task(context),
            type: body.type.domain,
            body: body.body,
            by: .human,
            workspace: try AgentController.workspace(context)
        )
        return EditedResponse(status: .created, response: BoardCommentChange(change))
    }

    @Sendable func archive(_ request: Request, context: APIRequestContext) async throws -> BoardTaskChange {
        BoardTaskChange(try await self.board.archiveTask(try Self.task(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func unarchive(_ request: Request, context: APIRequestContext) async throws -> BoardTaskChange {
        BoardTaskChange(try await self.board.unarchiveTask(try Self.task(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    private static func task(_ context: APIRequestContext) throws -> String {
        try BoardController.item("task", context)
    }
}
