import Foundation
import Synchronization
import WhatsAgentAPI

/// The OpenAPI 3.1 description of the `/api/v1` API (served at `/api/v1/openapi.json`). The operations are declared
/// in the `OpenAPIDocument+…` files, each naming its request and response types; the component schemas are derived
/// from those types by `SchemaRegistry`, never written by hand.
final class OpenAPIDocument {
    private let registry = SchemaRegistry()
    private var problems: [any Error] = []

    /// The document as JSON (sorted keys).
    static func data(version: String) throws -> Data {
        if let cached = self.cache.withLock({ $0[version] }) { return cached }
        let data = try JSONSerialization.data(withJSONObject: self.object(version: version), options: [.sortedKeys, .withoutEscapingSlashes])
        self.cache.withLock { $0[version] = data }
        return data
    }

    /// The serialised document by version: deriving it reads every API type, so it is done once per process.
    private static let cache = Mutex<[String: Data]>([:])

    /// The document as a JSON object tree; throws `SchemaRegistry.Underivable` when a type an operation uses has no
    /// derivable schema.
    static func object(version: String) throws -> [String: Any] {
        try OpenAPIDocument().document(version: version)
    }

    /// The document, once every operation has been declared; throws the first type whose schema could not be derived.
    func document(version: String) throws -> [String: Any] {
        let paths = self.paths().merging(self.sessionPaths()) { first, _ in first }.merging(self.channelPaths()) { first, _ in first }
            .merging(self.rbacPaths()) { first, _ in first }.merging(self.searchPaths()) { first, _ in first }
            .merging(self.peerRulePaths()) { first, _ in first }.merging(self.runtimePaths()) { first, _ in first }
            .merging(self.boardPaths()) { first, _ in first }.merging(self.authPaths()) { first, _ in first }
            .merging(self.managedSessionPaths()) { first, _ in first }.merging(self.webPaths()) { first, _ in first }
            .merging(self.colleagueProtocolPaths()) { first, _ in first }.merging(self.worktreePaths()) { first, _ in first }
        if let problem = self.problems.first { throw problem }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "WhatsAgent daemon API",
                "version": version,
                "description": """
                The management API of the WhatsAgent daemon. It is served on the owner-only Unix socket \
                `<home>/daemon.sock` for the CLI, which is authenticated by socket ownership, and on TCP for the web UI \
                behind its login (session cookie, `X-CSRF-Token` on state-changing requests, exact `Origin`); the agent \
                protocol is served on the socket only. Dates are RFC 3339 strings with milliseconds, in UTC. \
                Optional fields are omitted when they have no value (never `null`). Every error is \
                `{"error":{"code","message"}}` with a stable machine `code`.
                """,
            ],
            "tags": [
                ["name": "Daemon", "description": "Health, status, shutdown, backup and this description."],
                ["name": "Workspaces", "description": "The workspace lifecycle."],
                ["name": "Repos", "description": "Directories registered in a workspace."],
                ["name": "Agents", "description": "Agents of a workspace and its main agent."],
                ["name": "Sessions", "description": "External agent sessions (`agent connect`) and their tokens."],
                ["name": "Messages", "description": "Direct messages sent as human-web."],
                ["name": "Channels", "description": "Channels: the human reads and posts in every one."],
                ["name": "Peer rules", "description": "Which pairs of agents may exchange direct messages in the p2p topology."],
                ["name": "RBAC", "description": "Roles, grants and the audit log of RBAC decisions."],
                ["name": "Metrics", "description": "Prometheus metrics of the daemon (owner only)."],
                ["name": "Runtimes", "description": "Daemon-wide launch commands of the agent runtimes, and their detection."],
                ["name": "Board", "description": "The Kanban board: tasks, epics, comments, close approval, search, export and import."],
                ["name": "Auth", "description": "The web login: first-run setup, login, recovery, sessions (TCP only, but reset-password)."],
                ["name": "Web", "description": "The web UI's assets and its event stream (TCP only, behind the login)."],
                [
                    "name": "Agent protocol",
                    "description": "Used by `whatsagent mcp` and runtime plugins, with `Authorization: Bearer <session token>`.",
                ],
            ],
            "paths": paths,
            "components": [
                "schemas": self.registry.components,
                "securitySchemes": self.securitySchemes,
            ],
        ]
    }

    // MARK: - Paths

    func paths() -> [String: Any] {
        [
            "/health": [
                "get": self.operation(
                    "getHealth",
                    tag: "Daemon",
                    summary: "Check that the daemon is up",
                    description: "Also served on TCP, without authentication.",
                    response: self.schema(Health.self),
                    responseDescription: "The daemon is up.",
                    storage: false
                )
            ],
            "/api/v1/openapi.json": [
                "get": self.operation(
                    "getOpenAPIDocument",
                    tag: "Daemon",
                    summary: "This API description",
                    response: ["type": "object"],
                    responseDescription: "The OpenAPI 3.1 document.",
                    storage: false
                )
            ],
            "/api/v1/status": [
                "get": self.operation(
                    "getStatus",
                    tag: "Daemon",
                    summary: "Daemon status",
                    response: self.schema(DaemonStatus.self),
                    responseDescription: "Where the daemon is and what it holds."
                )
            ],
            "/api/v1/daemon/stop": [
                "post": self.operation(
                    "stopDaemon",
                    tag: "Daemon",
                    summary: "Stop the daemon",
                    description: "The daemon answers first, then begins a graceful shutdown.",
                    body: StopDaemonRequest.self,
                    status: 202,
                    response: self.schema(DaemonInfo.self),
                    responseDescription: "Shutdown accepted: the daemon that is stopping."
                )
            ],
            "/api/v1/backup": [
                "post": self.operation(
                    "createBackup",
                    tag: "Daemon",
                    summary: "Back up the configuration and every database into an archive",
                    body: BackupRequest.self,
                    response: self.schema(BackupResult.self),
                    responseDescription: "The archive that was written."
                )
            ],
            "/api/v1/workspaces": [
                "get": self.operation(
                    "listWorkspaces",
                    tag: "Workspaces",
                    summary: "List workspaces",
                    description: "Includes trashed workspaces (status `trashed`).",
                    response: self.schema(WorkspaceList.self),
                    responseDescription: "Every workspace."
                ),
                "post": self.operation(
                    "createWorkspace",
                    tag: "Workspaces",
                    summary: "Create a workspace",
                    body: CreateWorkspaceRequest.self,
                    status: 201,
                    response: self.schema(WorkspaceResponse.self),
                    responseDescription: "The new workspace."
                ),
            ],
            "/api/v1/current-workspace": [
                "put": self.operation(
                    "selectWorkspace",
                    tag: "Workspaces",
                    summary: "Choose the current workspace (`workspace use`)",
                    body: SelectWorkspaceRequest.self,
                    response: self.schema(WorkspaceResponse.self),
                    responseDescription: "The workspace that is now current."
                )
            ],
            "/api/v1/workspaces/{workspace}": [
                "get": self.operation(
                    "getWorkspace",
                    tag: "Workspaces",
                    summary: "Show a workspace",
                    parameters: [self.workspaceParameter],
                    response: self.schema(WorkspaceResponse.self),
                    responseDescription: "The workspace."
                ),
                "patch": self.operation(
                    "updateWorkspace",
                    tag: "Workspaces",
                    summary: "Change a workspace's settings",
                    description: "Absent fields stay as they are.",
                    parameters: [self.workspaceParameter],
                    body: UpdateWorkspaceRequest.self,
                    response: self.schema(WorkspaceResponse.self),
                    responseDescription: "The updated workspace."
                ),
            ],
            "/api/v1/workspaces/{workspace}/trash": [
                "post": self.operation(
                    "trashWorkspace",
                    tag: "Workspaces",
                    summary: "Move a workspace to the trash",
                    description: "Refused with 409 `live_sessions` when it has live sessions and `force` is false.",
                    parameters: [self.workspaceParameter],
                    body: RemovalRequest.self,
                    response: self.schema(WorkspaceResponse.self),
                    responseDescription: "The trashed workspace."
                )
            ],
            "/api/v1/workspaces/{workspace}/restore": [
                "post": self.operation(
                    "restoreWorkspace",
                    tag: "Workspaces",
                    summary: "Restore a trashed workspace",
                    parameters: [self.trashedWorkspaceParameter],
                    response: self.schema(WorkspaceResponse.self),
                    responseDescription: "The restored workspace."
                )
            ],
            "/api/v1/workspaces/{workspace}/purge": [
                "post": self.operation(
                    "purgeWorkspace",
                    tag: "Workspaces",
                    summary: "Delete a trashed workspace for good",
                    parameters: [self.trashedWorkspaceParameter],
                    response: self.schema(WorkspaceResponse.self),
                    responseDescription: "The workspace as it was when purged."
                )
            ],
            "/api/v1/workspaces/{workspace}/repos": [
                "get": self.operation(
                    "listRepos",
                    tag: "Repos",
                    summary: "List a workspace's repos",
                    parameters: [self.workspaceParameter],
                    response: self.schema(RepoList.self),
                    responseDescription: "The registered repos."
                ),
                "post": self.operation(
                    "addRepo",
                    tag: "Repos",
                    summary: "Register a directory as a repo",
                    parameters: [self.workspaceParameter],
                    body: CreateRepoRequest.self,
                    status: 201,
                    response: self.schema(RepoResponse.self),
                    responseDescription: "The new repo."
                ),
            ],
            "/api/v1/workspaces/{workspace}/repos/{repo}": [
                "delete": self.operation(
                    "removeRepo",
                    tag: "Repos",
                    summary: "Remove a repo and its agents",
                    description: "Refused with 409 `live_sessions` when it has live sessions and `force` is false.",
                    parameters: [self.workspaceParameter, self.repoParameter, self.forceParameter],
                    response: self.schema(RemovalResult.self),
                    responseDescription: "The removed repo and the sessions that were stopped."
                )
            ],
            "/api/v1/workspaces/{workspace}/agents": [
                "get": self.operation(
                    "listAgents",
                    tag: "Agents",
                    summary: "List a workspace's agents",
                    parameters: [self.workspaceParameter],
                    response: self.schema(AgentList.self),
                    responseDescription: "The agents."
                ),
                "post": self.operation(
                    "addAgent",
                    tag: "Agents",
                    summary: "Add an agent",
                    parameters: [self.workspaceParameter],
                    body: CreateAgentRequest.self,
                    status: 201,
                    response: self.schema(AgentResponse.self),
                    responseDescription: "The new agent."
                ),
            ],
            "/api/v1/workspaces/{workspace}/agents/{agent}": [
                "get": self.operation(
                    "getAgent",
                    tag: "Agents",
                    summary: "Show an agent",
                    parameters: [self.workspaceParameter, self.agentParameter],
                    response: self.schema(AgentResponse.self),
                    responseDescription: "The agent."
                ),
                "patch": self.operation(
                    "updateAgent",
                    tag: "Agents",
                    summary: "Change an agent",
                    description: "Absent fields stay as they are.",
                    parameters: [self.workspaceParameter, self.agentParameter],
                    body: UpdateAgentRequest.self,
                    response: self.schema(AgentResponse.self),
                    responseDescription: "The updated agent."
                ),
                "delete": self.operation(
                    "removeAgent",
                    tag: "Agents",
                    summary: "Remove an agent",
                    description: "Refused with 409 `live_sessions` when it has live sessions and `force` is false.",
                    parameters: [self.workspaceParameter, self.agentParameter, self.forceParameter],
                    response: self.schema(RemovalResult.self),
                    responseDescription: "The removed agent and the sessions that were stopped."
                ),
            ],
            "/api/v1/workspaces/{workspace}/main-agent": [
                "put": self.operation(
                    "setMainAgent",
                    tag: "Agents",
                    summary: "Make an agent the workspace's main agent",
                    parameters: [self.workspaceParameter],
                    body: SetMainAgentRequest.self,
                    response: self.schema(AgentResponse.self),
                    responseDescription: "The new main agent."
                ),
                "delete": self.operation(
                    "unsetMainAgent",
                    tag: "Agents",
                    summary: "Leave the workspace without a main agent",
                    parameters: [self.workspaceParameter],
                    response: self.schema(MainAgentResult.self),
                    responseDescription: "The agent that was main, if any."
                ),
            ],
        ]
    }

    /// One operation: its success response, the error responses every route can give, and 503 where storage is touched.
    func operation(
        _ operationId: String,
        tag: String,
        summary: String,
        description: String? = nil,
        parameters: [[String: Any]] = [],
        body: (any Decodable.Type)? = nil,
        status: Int = 200,
        response: [String: Any],
        responseDescription: String,
        storage: Bool = true
    ) -> [String: Any] {
        var responses: [String: Any] = [
            String(status): ["description": responseDescription, "content": self.json(response)],
            "400": self.errorResponse("The request is invalid (`invalid_request`, `invalid_argument`, `invalid_name`, …)."),
            "404": self.errorResponse("No such route, workspace, repo or agent (`not_found`, `workspace_not_found`, …)."),
            "409": self.errorResponse(
                "The request conflicts with the current state (`no_current_workspace`, `name_taken`, `path_taken`, "
                    + "`live_sessions`, `invalid_state`, …)."
            ),
        ]
        if storage || body != nil {
            responses["503"] = self.errorResponse("Storage is unavailable (`storage_error`, `database_too_new`, …).")
        }
        var operation: [String: Any] = [
            "operationId": operationId,
            "tags": [tag],
            "summary": summary,
            "responses": responses,
        ]
        if let description { operation["description"] = description }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body { operation["requestBody"] = ["required": true, "content": self.json(self.schema(body))] }
        return operation
    }

    func json(_ schema: [String: Any]) -> [String: Any] {
        ["application/json": ["schema": schema]]
    }

    func errorResponse(_ description: String) -> [String: Any] {
        ["description": description, "content": self.json(self.schema(APIErrorBody.self))]
    }

    // MARK: Parameters

    var workspaceParameter: [String: Any] {
        self.pathParameter(
            "workspace",
            "Workspace name or id, or `current`: the workspace chosen with `workspace use`, or the only live one."
        )
    }

    var trashedWorkspaceParameter: [String: Any] {
        self.pathParameter("workspace", "A trashed workspace's id, or a name only one trashed workspace has.")
    }

    var repoParameter: [String: Any] {
        self.pathParameter("repo", "Repo name.")
    }

    var agentParameter: [String: Any] {
        self.pathParameter("agent", "Agent address `repo:agent` (the colon may be percent-encoded).")
    }

    var forceParameter: [String: Any] {
        [
            "name": "force",
            "in": "query",
            "required": false,
            "description": "Stop live sessions first instead of refusing with 409 `live_sessions`.",
            "schema": ["type": "boolean", "default": false],
        ]
    }

    func pathParameter(_ name: String, _ description: String) -> [String: Any] {
        ["name": name, "in": "path", "required": true, "description": description, "schema": self.string]
    }

    // MARK: Schema helpers

    /// The schema of `type` where an operation uses it: a `$ref` to its derived component, or an enum's values inline.
    func schema(_ type: any Decodable.Type) -> [String: Any] {
        do {
            return try self.registry.schema(type)
        } catch {
            self.problems.append(error)
            return [:]
        }
    }

    var string: [String: Any] { ["type": "string"] }
    var boolean: [String: Any] { ["type": "boolean"] }
}
