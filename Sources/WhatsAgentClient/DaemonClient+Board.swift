import Foundation
import WhatsAgentAPI

/// The Kanban board as the human (`/api/v1/workspaces/{workspace}/board/…`).
///
/// ```swift
/// let created = try await client.createTask(workspace: nil, CreateBoardTaskRequest(title: "Add login", assignedTo: "api:dev"))
/// _ = try await client.moveTask(workspace: nil, created.task.displayId, to: .inProgress)
/// ```
extension DaemonClient {
    /// What `board export` can produce.
    public enum BoardExportFormat: String, Sendable, CaseIterable {
        case json
        case csv
        case markdown
    }

    // MARK: - Tasks

    /// Tasks matching the filters, in sequence order.
    public func tasks(workspace: String?, _ query: BoardListQuery = BoardListQuery()) async throws -> BoardTaskList {
        try await self.request("GET", Self.boardPath(workspace, "tasks") + Self.listQueryString(query))
    }

    public func createTask(workspace: String?, _ body: CreateBoardTaskRequest) async throws -> BoardTaskChange {
        try await self.request("POST", Self.boardPath(workspace, "tasks"), body: body)
    }

    public func task(workspace: String?, _ id: String) async throws -> BoardTaskDetail {
        try await self.request("GET", Self.boardPath(workspace, "tasks", id))
    }

    /// A field-level patch: only the fields set in `body` change.
    public func updateTask(workspace: String?, _ id: String, _ body: UpdateBoardTaskRequest) async throws -> BoardTaskChange {
        try await self.request("PATCH", Self.boardPath(workspace, "tasks", id), body: body)
    }

    public func moveTask(workspace: String?, _ id: String, to status: BoardStatusValue) async throws -> BoardTaskChange {
        try await self.request("PUT", Self.boardPath(workspace, "tasks", id) + "/status", body: BoardStatusRequest(status: status))
    }

    public func commentTask(workspace: String?, _ id: String, _ body: BoardCommentRequest) async throws -> BoardCommentChange {
        try await self.request("POST", Self.boardPath(workspace, "tasks", id) + "/comments", body: body)
    }

    public func archiveTask(workspace: String?, _ id: String) async throws -> BoardTaskChange {
        try await self.request("POST", Self.boardPath(workspace, "tasks", id) + "/archive")
    }

    public func unarchiveTask(workspace: String?, _ id: String) async throws -> BoardTaskChange {
        try await self.request("POST", Self.boardPath(workspace, "tasks", id) + "/unarchive")
    }

    public func searchTasks(workspace: String?, _ query: BoardSearchQueryParameters) async throws -> BoardSearchResponse {
        try await self.request("GET", Self.boardPath(workspace, "tasks") + "/search" + Self.searchQueryString(query))
    }

    // MARK: - Epics

    public func epics(workspace: String?, _ query: BoardListQuery = BoardListQuery()) async throws -> BoardEpicList {
        try await self.request("GET", Self.boardPath(workspace, "epics") + Self.listQueryString(query))
    }

    public func createEpic(workspace: String?, _ body: CreateBoardEpicRequest) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics"), body: body)
    }

    public func epic(workspace: String?, _ id: String) async throws -> BoardEpicDetail {
        try await self.request("GET", Self.boardPath(workspace, "epics", id))
    }

    public func updateEpic(workspace: String?, _ id: String, _ body: UpdateBoardEpicRequest) async throws -> BoardEpicChange {
        try await self.request("PATCH", Self.boardPath(workspace, "epics", id), body: body)
    }

    /// A move to Completed enters the close workflow (completed at once, or pending approval).
    public func moveEpic(workspace: String?, _ id: String, to status: BoardStatusValue) async throws -> BoardEpicChange {
        try await self.request("PUT", Self.boardPath(workspace, "epics", id) + "/status", body: BoardStatusRequest(status: status))
    }

    public func commentEpic(workspace: String?, _ id: String, _ body: BoardCommentRequest) async throws -> BoardCommentChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/comments", body: body)
    }

    public func archiveEpic(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/archive")
    }

    public func unarchiveEpic(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/unarchive")
    }

    public func requestEpicClose(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/close/request")
    }

    public func approveEpicClose(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/close/approve")
    }

    public func cancelEpicClose(workspace: String?, _ id: String) async throws -> BoardEpicChange {
        try await self.request("POST", Self.boardPath(workspace, "epics", id) + "/close/cancel")
    }

    public func searchEpics(workspace: String?, _ query: BoardSearchQueryParameters) async throws -> BoardSearchResponse {
        try await self.request("GET", Self.boardPath(workspace, "epics") + "/search" + Self.searchQueryString(query))
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
