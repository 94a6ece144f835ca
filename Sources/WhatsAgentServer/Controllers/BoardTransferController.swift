import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// Export of the whole board (JSON, CSV or Markdown) and import of a JSON export into a workspace whose board is empty.
struct BoardTransferController {
    let board: BoardService
    let workspaces: WorkspaceService

    /// The largest JSON export an import accepts (a board of many thousands of tasks fits).
    static let maxImportBytes = 64 * 1024 * 1024

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/board/export", use: self.export)
        router.post("/api/v1/workspaces/{workspace}/board/import", use: self.importBoard)
    }

    /// `?format=json` (default; `BoardExport`, re-importable), `csv` (RFC 4180, one row per epic and task) or
    /// `markdown` (for people: epics with their tasks, comments included).
    @Sendable func export(_ request: Request, context: APIRequestContext) async throws -> Response {
        let format = request.uri.queryParameters["format"].map { String($0).lowercased() } ?? "json"
        let reference = try AgentController.workspace(context)
        let snapshot = try await self.board.export(workspace: reference)
        switch format {
        case "json":
            let data = try WireJSON.encoder().encode(BoardExport(snapshot))
            return Self.response(ByteBuffer(bytes: data), contentType: "application/json; charset=utf-8", filename: nil)
        case "csv":
            return Self.response(ByteBuffer(string: BoardRenderer.csv(snapshot)), contentType: "text/csv; charset=utf-8", filename: "board.csv")
        case "markdown":
            let name = try await self.workspaces.resolve(reference).name
            let text = BoardRenderer.markdown(snapshot, title: "Board of \(name)")
            return Self.response(ByteBuffer(string: text), contentType: "text/markdown; charset=utf-8", filename: "board.md")
        default:
            throw DomainError.invalidArgument("unknown export format '\(format)'; use json, csv or markdown")
        }
    }

    /// The body is a JSON export (`BoardExport`); the workspace's board must be empty.
    @Sendable func importBoard(_ request: Request, context: APIRequestContext) async throws -> BoardImportResult {
        let body = try await request.body.collect(upTo: Self.maxImportBytes)
        let export = try WireJSON.decoder().decode(BoardExport.self, from: Data(body.readableBytesView))
        let summary = try await self.board.importBoard(try export.snapshot(), workspace: try AgentController.workspace(context))
        return BoardImportResult(summary)
    }

    private static func response(_ body: ByteBuffer, contentType: String, filename: String?) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if let filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
