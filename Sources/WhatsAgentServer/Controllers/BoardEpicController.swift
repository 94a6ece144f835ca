import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// The board's epics as the human sees them (SPEC §9): list, search, create, show, field patches, status moves,
/// comments, archive and unarchive, and the close approval (reference §13.3) that only the human can give.
struct BoardEpicController {
    let board: BoardService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/board/epics", use: self.list)
        router.post("/api/v1/workspaces/{workspace}/board/epics", use: self.create)
        router.get("/api/v1/workspaces/{workspace}/board/epics/search", use: self.search)
        router.get("/api/v1/workspaces/{workspace}/board/epics/{epic}", use: self.show)
        router.patch("/api/v1/workspaces/{workspace}/board/epics/{epic}", use: self.update)
        router.put("/api/v1/workspaces/{workspace}/board/epics/{epic}/status", use: self.move)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/comments", use: self.comment)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/archive", use: self.archive)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/unarchive", use: self.unarchive)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/close/request", use: self.requestClose)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/close/approve", use: self.approveClose)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/close/cancel", use: self.cancelClose)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> BoardEpicList {
        let filter = BoardFilter(try BoardController.listQuery(request))
        let epics = try await self.board.epics(filter, by: .human, workspace: try AgentController.workspace(context))
        return BoardEpicList(epics: epics.map(BoardEpicResponse.init))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<BoardEpicChange> {
        let body = try await request.decode(as: CreateBoardEpicRequest.self, context: context)
        let change = try await self.board.createEpic(EpicDraft(body), by: .human, workspace: try AgentController.workspace(context))
        return EditedResponse(status: .created, response: BoardEpicChange(change))
    }

    @Sendable func search(_ request: Request, context: APIRequestContext) async throws -> BoardSearchResponse {
        let query = BoardSearchQuery(try BoardController.searchParameters(request))
        return BoardSearchResponse(try await self.board.searchEpics(query, by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> BoardEpicDetail {
        BoardEpicDetail(try await self.board.epic(try Self.epic(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> BoardEpicChange {
        let body = try await request.decode(as: UpdateBoardEpicRequest.self, context: context)
        let change = try await self.board.updateEpic(
            try Self.epic(context),
            EpicPatch(body),
            by: .human,
            workspace: try AgentController.workspace(context)
        )
        return BoardEpicChange(change)
    }

    /// A move to Completed enters the close workflow: completed at once without open children, else pending approval.
    @Sendable func move(_ request: Request, context: APIRequestContext) async throws -> BoardEpicChange {
        let body = try await request.decode(as: BoardStatusRequest.self, context: context)
        let change = try await self.board.moveEpic(
            try Self.epic(context),
            to: body.status.domain,
            by: .human,
            workspace: try AgentController.workspace(context)
        )
        return BoardEpicChange(change)
    }

    @Sendable func comment(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<BoardCommentChange> {
        let body = try await request.decode(as: BoardCommentRequest.self, context: context)
        let change = try await self.board.commentEpic(
            try Self.epic(context),
            type: body.type.domain,
            body: body.body,
            by: .human,
            workspace: try AgentController.workspace(context)
        )
        return EditedResponse(status: .created, response: BoardCommentChange(change))
    }

    @Sendable func archive(_ request: Request, context: APIRequestContext) async throws -> BoardEpicChange {
        BoardEpicChange(try await self.board.archiveEpic(try Self.epic(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func unarchive(_ request: Request, context: APIRequestContext) async throws -> BoardEpicChange {
        BoardEpicChange(try await self.board.unarchiveEpic(try Self.epic(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func requestClose(_ request: Request, context: APIRequestContext) async throws -> BoardEpicChange {
        BoardEpicChange(try await self.board.requestEpicClose(try Self.epic(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func approveClose(_ request: Request, context: APIRequestContext) async throws -> BoardEpicChange {
        BoardEpicChange(try await self.board.approveEpicClose(try Self.epic(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func cancelClose(_ request: Request, context: APIRequestContext) async throws -> BoardEpicChange {
        BoardEpicChange(try await self.board.cancelEpicClose(try Self.epic(context), by: .human, workspace: try AgentController.workspace(context)))
    }

    private static func epic(_ context: APIRequestContext) throws -> String {
        try BoardController.item("epic", context)
    }
}
