import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// The epic close approval (reference §13.3) as the human sees it: request a close, approve it (only the human can),
/// or cancel it. The rest of the epic routes are ``BoardItemController``'s.
struct BoardEpicCloseController {
    let board: BoardService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/close/request", use: self.requestClose)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/close/approve", use: self.approveClose)
        router.post("/api/v1/workspaces/{workspace}/board/epics/{epic}/close/cancel", use: self.cancelClose)
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
