import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// The board's tasks or epics as the human sees them (SPEC §9): list, search, create, show, field patches, status
/// moves, comments, archive and unarchive under `/board/tasks` and `/board/epics`. The human is not subject to RBAC or
/// to the status rules of scoped grants; where the rules differ for a kind, ``BoardItem`` says so. The epic close
/// approval is in ``BoardEpicCloseController``.
struct BoardItemController<Item: BoardItemWire> {
    let board: BoardService

    /// `tasks` or `epics`.
    static var collection: String { "/api/v1/workspaces/{workspace}/board/\(Item.kind.rawValue)s" }
    /// One item: `…/tasks/{task}`, `…/epics/{epic}`.
    static var member: String { "\(Self.collection)/{\(Item.kind.rawValue)}" }

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get(RouterPath(Self.collection), use: self.list)
        router.post(RouterPath(Self.collection), use: self.create)
        router.get(RouterPath(Self.collection + "/search"), use: self.search)
        router.get(RouterPath(Self.member), use: self.show)
        router.patch(RouterPath(Self.member), use: self.update)
        router.put(RouterPath(Self.member + "/status"), use: self.move)
        router.post(RouterPath(Self.member + "/comments"), use: self.comment)
        router.post(RouterPath(Self.member + "/archive"), use: self.archive)
        router.post(RouterPath(Self.member + "/unarchive"), use: self.unarchive)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Item.ListResponse {
        let filter = BoardFilter(try BoardController.listQuery(request))
        return Item.listResponse(try await self.board.list(Item.self, filter, by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Item.ChangeResponse> {
        let body = try await request.decode(as: Item.Draft.Request.self, context: context)
        let change = try await self.board.create(Item.self, Item.Draft(body), by: .human, workspace: try AgentController.workspace(context))
        return EditedResponse(status: .created, response: Item.ChangeResponse(change))
    }

    @Sendable func search(_ request: Request, context: APIRequestContext) async throws -> BoardSearchResponse {
        let query = BoardSearchQuery(try BoardController.searchParameters(request))
        return BoardSearchResponse(try await self.board.search(Item.self, query, by: .human, workspace: try AgentController.workspace(context)))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Item.DetailResponse {
        Item.DetailResponse(
            try await self.board.detail(Item.self, try Self.item(context), by: .human, workspace: try AgentController.workspace(context))
        )
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Item.ChangeResponse {
        let body = try await request.decode(as: Item.Patch.Request.self, context: context)
        let reference = try Self.item(context)
        return Item.ChangeResponse(
            try await self.board.update(Item.self, reference, Item.Patch(body), by: .human, workspace: try AgentController.workspace(context))
        )
    }

    /// An epic moved to Completed enters the close workflow: completed at once without open tasks, else pending approval.
    @Sendable func move(_ request: Request, context: APIRequestContext) async throws -> Item.ChangeResponse {
        let body = try await request.decode(as: BoardStatusRequest.self, context: context)
        let reference = try Self.item(context)
        return Item.ChangeResponse(
            try await self.board.move(Item.self, reference, to: body.status, by: .human, workspace: try AgentController.workspace(context))
        )
    }

    @Sendable func comment(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<BoardCommentChange> {
        let body = try await request.decode(as: BoardCommentRequest.self, context: context)
        let change = try await self.board.comment(
            Item.self,
            try Self.item(context),
            type: body.type,
            body: body.body,
            by: .human,
            workspace: try AgentController.workspace(context)
        )
        return EditedResponse(status: .created, response: BoardCommentChange(change))
    }

    @Sendable func archive(_ request: Request, context: APIRequestContext) async throws -> Item.ChangeResponse {
        Item.ChangeResponse(
            try await self.board.archive(Item.self, try Self.item(context), by: .human, workspace: try AgentController.workspace(context))
        )
    }

    @Sendable func unarchive(_ request: Request, context: APIRequestContext) async throws -> Item.ChangeResponse {
        Item.ChangeResponse(
            try await self.board.unarchive(Item.self, try Self.item(context), by: .human, workspace: try AgentController.workspace(context))
        )
    }

    private static func item(_ context: APIRequestContext) throws -> String {
        try BoardController.item(Item.kind.rawValue, context)
    }
}
