import Foundation
import WhatsAgentAPI

/// The Kanban board as the human (`/api/v1/workspaces/{workspace}/board/…`).
///
/// ```swift
/// let created = try await client.create(BoardTasks.self, workspace: nil, CreateBoardTaskRequest(title: "Add login", assignedTo: "api:dev"))
/// _ = try await client.move(BoardTasks.self, workspace: nil, created.task.displayId, to: .inProgress)
/// ```
extension DaemonClient {
    /// What `board export` can produce.
    public enum BoardExportFormat: String, Sendable, CaseIterable {
        case json
        case csv
        case markdown
    }

    // MARK: - Tasks and epics

    /// Items matching the filters, in sequence order (`epicId` filters tasks only).
    public func items<Kind: BoardItemResource>(
        _: Kind.Type,
        workspace: String?,
        _ query: BoardListQuery = BoardListQuery()
    ) async throws
        -> Kind.List
    {
        try await self.request("GET", Self.boardPath(workspace, Kind.collection) + Self.listQueryString(query))
    }

    public func create<Kind: BoardItemResource>(_: Kind.Type, workspace: String?, _ body: Kind.Create) async throws -> Kind.Change {
        try await self.request("POST", Self.boardPath(workspace, Kind.collection), body: body)
    }

    public func item<Kind: BoardItemResource>(_: Kind.Type, workspace: String?, _ id: String) async throws -> Kind.Detail {
        try await self.request("GET", Self.boardPath(workspace, Kind.collection, id))
    }

    /// A field-level patch: only the fields set in `body` change.
    public func update<Kind: BoardItemResource>(_: Kind.Type, workspace: String?, _ id: String, _ body: Kind.Update) async throws -> Kind.Change {
        try await self.request("PATCH", Self.boardPath(workspace, Kind.collection, id), body: body)
    }

    /// An epic moved to Completed enters the close workflow (completed at once, or pending approval).
    public func move<Kind: BoardItemResource>(
        _: Kind.Type,
        workspace: String?,
        _ id: String,
        to status: BoardStatusValue
    ) async throws
        -> Kind.Change
    {
        try await self.request("PUT", Self.boardPath(workspace, Kind.collection, id) + "/status", body: BoardStatusRequest(status: status))
    }

    public func comment<Kind: BoardItemResource>(
        _: Kind.Type,
        workspace: String?,
        _ id: String,
        _ body: BoardCommentRequest
    ) async throws
        -> BoardCommentChange
    {
        try await self.request("POST", Self.boardPath(workspace, Kind.collection, id) + "/comments", body: body)
    }

    public func archive<Kind: BoardItemResource>(_: Kind.Type, workspace: String?, _ id: String) async throws -> Kind.Change {
        try await self.request("POST", Self.boardPath(workspace, Kind.collection, id) + "/archive")
    }

    public func unarchive<Kind: BoardItemResource>(_: Kind.Type, workspace: String?, _ id: String) async throws -> Kind.Change {
        try await self.request("POST", Self.boardPath(workspace, Kind.collection, id) + "/unarchive")
    }

    public func search<Kind: BoardItemResource>(
        _: Kind.Type,
        workspace: String?,
        _ query: BoardSearchQueryParameters
    ) async throws
        -> BoardSearchResponse
    {
        try await self.request("GET", Self.boardPath(workspace, Kind.collection) + "/search" + Self.searchQueryString(query))
    }

    // MARK: - Epic close approval

    public func requestEpicClose(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/close/request")
    }

    public func approveEpicClose(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/close/approve")
    }

    public func cancelEpicClose(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/close/cancel")
    }

    // MARK: - Export and import

    /// The whole board as a re-importable export.
    public func exportBoard(workspace: String?) async throws -> BoardExport {
        try await self.request("GET", Self.boardPath(workspace, "export") + "?format=json")
    }

    /// The whole board rendered by the daemon, byte for byte (CSV with CRLF line ends, or Markdown).
    public func exportBoard(workspace: String?, format: BoardExportFormat) async throws -> Data {
        try await self.raw(Self.boardPath(workspace, "export") + "?format=\(format.rawValue)")
    }

    /// Imports an export into a workspace whose board is empty.
    public func importBoard(workspace: String?, _ export: BoardExport) async throws -> BoardImportResult {
        try await self.request("POST", Self.boardPath(workspace, "import"), body: export)
    }

    // MARK: - Paths

    static func boardPath(_ workspace: String?, _ collection: String, _ id: String? = nil) -> String {
        let path = self.workspacePath(workspace) + "/board/" + collection
        guard let id else { return path }
        return path + "/" + self.segment(id)
    }

    static func listQueryString(_ query: BoardListQuery) -> String {
        self.queryString([
            ("status", query.status?.rawValue),
            ("assignedTo", query.assignedTo),
            ("createdBy", query.createdBy),
            ("priority", query.priority?.rawValue),
            ("epicId", query.epicId),
            ("includeArchived", query.includeArchived.map(String.init)),
            ("limit", query.limit.map(String.init)),
        ])
    }

    static func searchQueryString(_ query: BoardSearchQueryParameters) -> String {
        self.queryString([
            ("query", query.query),
            ("status", query.status?.rawValue),
            ("assignedTo", query.assignedTo),
            ("includeArchived", query.includeArchived.map(String.init)),
            ("limit", query.limit.map(String.init)),
        ])
    }

    /// `?a=1&b=2` of the pairs that have a value, each value percent-encoded; empty when none has.
    static func queryString(_ pairs: [(String, String?)]) -> String {
        let items = pairs.compactMap { name, value in value.map { "\(name)=\(self.queryValue($0))" } }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }
}
