import Foundation
import WhatsAgentAPI

/// The OpenAPI 3.1 description of the `/api/v1` API (served at `/api/v1/openapi.json`).
enum OpenAPIDocument {
    /// The document as JSON (sorted keys).
    static func data(version: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: self.object(version: version), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The document as a JSON object tree.
    static func object(version: String) -> [String: Any] {
        [
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
            "paths": self.paths().merging(self.sessionPaths()) { first, _ in first }.merging(self.channelPaths()) { first, _ in first }
                .merging(self.rbacPaths()) { first, _ in first }.merging(self.searchPaths()) { first, _ in first }
                .merging(self.peerRulePaths()) { first, _ in first }.merging(self.runtimePaths()) { first, _ in first }
                .merging(self.boardPaths()) { first, _ in first }.merging(self.authPaths()) { first, _ in first }
                .merging(self.managedSessionPaths()) { first, _ in first }.merging(self.webPaths()) { first, _ in first }
                .merging(self.colleagueProtocolPaths()) { first, _ in first }.merging(self.worktreePaths()) { first, _ in first },
            "components": [
                "schemas": self.schemas().merging(self.sessionSchemas()) { first, _ in first }
                    .merging(self.channelSchemas()) { first, _ in first }.merging(self.rbacSchemas()) { first, _ in first }
                    .merging(self.searchSchemas()) { first, _ in first }.merging(self.peerRuleSchemas()) { first, _ in first }
                    .merging(self.runtimeSchemas()) { first, _ in first }.merging(self.boardSchemas()) { first, _ in first }
                    .merging(self.authSchemas()) { first, _ in first }.merging(self.managedSessionSchemas()) { first, _ in first }
                    .merging(self.webSchemas()) { first, _ in first }
                    .merging(self.colleagueProtocolSchemas()) { first, _ in first }.merging(self.worktreeSchemas()) { first, _ in first },
                "securitySchemes": self.securitySchemes,
            ],
        ]
    }

    // MARK: - Paths

    static func paths() -> [String: Any] {
        [
            "/health": [
                "get": self.operation(
                    "getHealth",
                    tag: "Daemon",
                    summary: "Check that the daemon is up",
                    description: "Also served on TCP, without authentication.",
                    response: self.ref("Health"),
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
                    response: self.ref("DaemonStatus"),
                    responseDescription: "Where the daemon is and what it holds."
                )
            ],
            "/api/v1/daemon/stop": [
                "post": self.operation(
                    "stopDaemon",
                    tag: "Daemon",
                    summary: "Stop the daemon",
                    description: "The daemon answers first, then begins a graceful shutdown.",
                    body: "StopDaemonRequest",
                    status: 202,
                    response: self.ref("DaemonInfo"),
                    responseDescription: "Shutdown accepted: the daemon that is stopping."
                )
            ],
            "/api/v1/backup": [
                "post": self.operation(
                    "createBackup",
                    tag: "Daemon",
                    summary: "Back up the configuration and every database into an archive",
                    body: "BackupRequest",
                    response: self.ref("BackupResult"),
                    responseDescription: "The archive that was written."
                )
            ],
            "/api/v1/workspaces": [
                "get": self.operation(
                    "listWorkspaces",
                    tag: "Workspaces",
                    summary: "List workspaces",
                    description: "Includes trashed workspaces (status `trashed`).",
                    response: self.ref("WorkspaceList"),
                    responseDescription: "Every workspace."
                ),
                "post": self.operation(
                    "createWorkspace",
                    tag: "Workspaces",
                    summary: "Create a workspace",
                    body: "CreateWorkspaceRequest",
                    status: 201,
                    response: self.ref("WorkspaceResponse"),
                    responseDescription: "The new workspace."
                ),
            ],
            "/api/v1/current-workspace": [
                "put": self.operation(
                    "selectWorkspace",
                    tag: "Workspaces",
                    summary: "Choose the current workspace (`workspace use`)",
                    body: "SelectWorkspaceRequest",
                    response: self.ref("WorkspaceResponse"),
                    responseDescription: "The workspace that is now current."
                )
            ],
            "/api/v1/workspaces/{workspace}": [
                "get": self.operation(
                    "getWorkspace",
                    tag: "Workspaces",
                    summary: "Show a workspace",
                    parameters: [self.workspaceParameter],
                    response: self.ref("WorkspaceResponse"),
                    responseDescription: "The workspace."
                ),
                "patch": self.operation(
                    "updateWorkspace",
                    tag: "Workspaces",
                    summary: "Change a workspace's settings",
                    description: "Absent fields stay as they are.",
                    parameters: [self.workspaceParameter],
                    body: "UpdateWorkspaceRequest",
                    response: self.ref("WorkspaceResponse"),
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
                    body: "RemovalRequest",
                    response: self.ref("WorkspaceResponse"),
                    responseDescription: "The trashed workspace."
                )
            ],
            "/api/v1/workspaces/{workspace}/restore": [
                "post": self.operation(
                    "restoreWorkspace",
                    tag: "Workspaces",
                    summary: "Restore a trashed workspace",
                    parameters: [self.trashedWorkspaceParameter],
                    response: self.ref("WorkspaceResponse"),
                    responseDescription: "The restored workspace."
                )
            ],
            "/api/v1/workspaces/{workspace}/purge": [
                "post": self.operation(
                    "purgeWorkspace",
                    tag: "Workspaces",
                    summary: "Delete a trashed workspace for good",
                    parameters: [self.trashedWorkspaceParameter],
                    response: self.ref("WorkspaceResponse"),
                    responseDescription: "The workspace as it was when purged."
                )
            ],
            "/api/v1/workspaces/{workspace}/repos": [
                "get": self.operation(
                    "listRepos",
                    tag: "Repos",
                    summary: "List a workspace's repos",
                    parameters: [self.workspaceParameter],
                    response: self.ref("RepoList"),
                    responseDescription: "The registered repos."
                ),
                "post": self.operation(
                    "addRepo",
                    tag: "Repos",
                    summary: "Register a directory as a repo",
                    parameters: [self.workspaceParameter],
                    body: "CreateRepoRequest",
                    status: 201,
                    response: self.ref("RepoResponse"),
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
                    response: self.ref("RemovalResult"),
                    responseDescription: "The removed repo and the sessions that were stopped."
                )
            ],
            "/api/v1/workspaces/{workspace}/agents": [
                "get": self.operation(
                    "listAgents",
                    tag: "Agents",
                    summary: "List a workspace's agents",
                    parameters: [self.workspaceParameter],
                    response: self.ref("AgentList"),
                    responseDescription: "The agents."
                ),
                "post": self.operation(
                    "addAgent",
                    tag: "Agents",
                    summary: "Add an agent",
                    parameters: [self.workspaceParameter],
                    body: "CreateAgentRequest",
                    status: 201,
                    response: self.ref("AgentResponse"),
                    responseDescription: "The new agent."
                ),
            ],
            "/api/v1/workspaces/{workspace}/agents/{agent}": [
                "get": self.operation(
                    "getAgent",
                    tag: "Agents",
                    summary: "Show an agent",
                    parameters: [self.workspaceParameter, self.agentParameter],
                    response: self.ref("AgentResponse"),
                    responseDescription: "The agent."
                ),
                "patch": self.operation(
                    "updateAgent",
                    tag: "Agents",
                    summary: "Change an agent",
                    description: "Absent fields stay as they are.",
                    parameters: [self.workspaceParameter, self.agentParameter],
                    body: "UpdateAgentRequest",
                    response: self.ref("AgentResponse"),
                    responseDescription: "The updated agent."
                ),
                "delete": self.operation(
                    "removeAgent",
                    tag: "Agents",
                    summary: "Remove an agent",
                    description: "Refused with 409 `live_sessions` when it has live sessions and `force` is false.",
                    parameters: [self.workspaceParameter, self.agentParameter, self.forceParameter],
                    response: self.ref("RemovalResult"),
                    responseDescription: "The removed agent and the sessions that were stopped."
                ),
            ],
            "/api/v1/workspaces/{workspace}/main-agent": [
                "put": self.operation(
                    "setMainAgent",
                    tag: "Agents",
                    summary: "Make an agent the workspace's main agent",
                    parameters: [self.workspaceParameter],
                    body: "SetMainAgentRequest",
                    response: self.ref("AgentResponse"),
                    responseDescription: "The new main agent."
                ),
                "delete": self.operation(
                    "unsetMainAgent",
                    tag: "Agents",
                    summary: "Leave the workspace without a main agent",
                    parameters: [self.workspaceParameter],
                    response: self.ref("MainAgentResult"),
                    responseDescription: "The agent that was main, if any."
                ),
            ],
        ]
    }

    /// One operation: its success response, the error responses every route can give, and 503 where storage is touched.
    static func operation(
        _ operationId: String,
        tag: String,
        summary: String,
        description: String? = nil,
        parameters: [[String: Any]] = [],
        body: String? = nil,
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
        if let body { operation["requestBody"] = ["required": true, "content": self.json(self.ref(body))] }
        return operation
    }

    static func json(_ schema: [String: Any]) -> [String: Any] {
        ["application/json": ["schema": schema]]
    }

    static func errorResponse(_ description: String) -> [String: Any] {
        ["description": description, "content": self.json(self.ref("APIErrorBody"))]
    }

    // MARK: Parameters

    static var workspaceParameter: [String: Any] {
        self.pathParameter(
            "workspace",
            "Workspace name or id, or `current`: the workspace chosen with `workspace use`, or the only live one."
        )
    }

    static var trashedWorkspaceParameter: [String: Any] {
        self.pathParameter("workspace", "A trashed workspace's id, or a name only one trashed workspace has.")
    }

    static var repoParameter: [String: Any] {
        self.pathParameter("repo", "Repo name.")
    }

    static var agentParameter: [String: Any] {
        self.pathParameter("agent", "Agent address `repo:agent` (the colon may be percent-encoded).")
    }

    static var forceParameter: [String: Any] {
        [
            "name": "force",
            "in": "query",
            "required": false,
            "description": "Stop live sessions first instead of refusing with 409 `live_sessions`.",
            "schema": ["type": "boolean", "default": false],
        ]
    }

    static func pathParameter(_ name: String, _ description: String) -> [String: Any] {
        ["name": name, "in": "path", "required": true, "description": description, "schema": self.string]
    }

    // MARK: - Schemas

    static func schemas() -> [String: Any] {
        [
            // Daemon
            "Health": self.object(
                description: "`GET /health`.",
                required: ["ok": self.boolean, "version": self.string, "startedAt": self.dateTime]
            ),
            "DaemonInfo": self.object(
                description: "Where a running daemon is.",
                required: [
                    "url": self.string,
                    "pid": self.int32,
                    "socket": self.string,
                    "home": self.string,
                    "version": self.string,
                ],
                optional: [
                    "setupURL": self.string,
                    "stoppedAgents": self.described(self.integer, "With `stopRunners`: how many managed agents were stopped."),
                ]
            ),
            "DaemonStatus": self.object(
                description: "`GET /api/v1/status`.",
                required: [
                    "url": self.string,
                    "pid": self.int32,
                    "socket": self.string,
                    "home": self.string,
                    "version": self.string,
                    "startedAt": self.dateTime,
                    "workspaces": self.described(self.count, "Live (not trashed) workspaces."),
                    "sessions": self.described(self.count, "Live sessions across all workspaces."),
                ],
                optional: ["currentWorkspaceId": self.string]
            ),
            "StopDaemonRequest": self.object(
                required: ["stopRunners": self.described(self.boolean, "Also stop every managed runner.")]
            ),
            "BackupRequest": self.object(
                required: ["path": self.described(self.string, "Absolute path of the archive to write.")]
            ),
            "BackupResult": self.object(
                description: "The result of a backup.",
                required: ["path": self.string, "bytes": self.count, "databases": self.array(self.string)]
            ),
            "APIErrorBody": self.object(
                description: "The error body of every failed request.",
                required: [
                    "error": self.object(
                        required: [
                            "code": self.described(self.string, "Stable machine code (e.g. `workspace_not_found`)."),
                            "message": self.described(self.string, "One line: what was refused, why, and what to do instead."),
                        ]
                    )
                ]
            ),

            // Setting values
            "LimitValue": [
                "description": "A limit: a whole number, or `\"off\"`.",
                "oneOf": [["type": "integer"], ["type": "string", "enum": ["off"]]],
            ],
            "RetentionValue": [
                "description": "A retention: a number of days, or `\"forever\"`.",
                "oneOf": [["type": "integer"], ["type": "string", "enum": ["forever"]]],
            ],
            "TopologyValue": self.enumeration(["star", "p2p", "channel"], "Workspace topology."),
            "RBACModeValue": self.enumeration(["enforce", "soft", "off"], "RBAC mode."),
            "RuntimeValue": self.enumeration(["claude", "codex", "opencode", "pi", "custom"], "Agent runtime."),

            // Workspaces
            "WorkspaceResponse": self.object(
                description: "A workspace as the API shows it.",
                required: [
                    "id": self.string,
                    "name": self.string,
                    "status": self.enumeration(["active", "trashed"]),
                    "topology": self.ref("TopologyValue"),
                    "rbacMode": self.ref("RBACModeValue"),
                    "kanbanPrefix": self.string,
                    "epicPrefix": self.string,
                    "maxBodyChars": self.integer,
                    "chatRetention": self.ref("RetentionValue"),
                    "rateLimit": self.ref("LimitValue"),
                    "loopGuard": self.ref("LimitValue"),
                    "createdAt": self.dateTime,
                    "updatedAt": self.dateTime,
                    "isCurrent": self.boolean,
                    "repoCount": self.count,
                    "agentCount": self.count,
                    "liveSessionCount": self.count,
                ],
                optional: [
                    "trashedAt": self.dateTime,
                    "purgeAfter": self.described(self.dateTime, "When a trashed workspace will be purged automatically."),
                ]
            ),
            "WorkspaceList": self.object(
                required: ["workspaces": self.array(self.ref("WorkspaceResponse"))],
                optional: ["currentWorkspaceId": self.string]
            ),
            "CreateWorkspaceRequest": self.object(
                required: ["name": self.string],
                optional: [
                    "topology": self.ref("TopologyValue"),
                    "rbacMode": self.ref("RBACModeValue"),
                    "kanbanPrefix": self.string,
                    "epicPrefix": self.string,
                    "rateLimit": self.ref("LimitValue"),
                    "loopGuard": self.ref("LimitValue"),
                ]
            ),
            "UpdateWorkspaceRequest": self.object(
                description: "Absent fields stay as they are.",
                optional: [
                    "name": self.string,
                    "topology": self.ref("TopologyValue"),
                    "rbacMode": self.ref("RBACModeValue"),
                    "kanbanPrefix": self.string,
                    "epicPrefix": self.string,
                    "maxBodyChars": self.integer,
                    "chatRetention": self.ref("RetentionValue"),
                    "rateLimit": self.ref("LimitValue"),
                    "loopGuard": self.ref("LimitValue"),
                ]
            ),
            "SelectWorkspaceRequest": self.object(
                required: ["workspace": self.described(self.string, "Name or id.")]
            ),
            "RemovalRequest": self.object(
                required: ["force": self.described(self.boolean, "Stop live sessions first instead of refusing.")]
            ),

            // Repos
            "RepoResponse": self.object(
                description: "A registered directory.",
                required: [
                    "id": self.string,
                    "name": self.string,
                    "path": self.string,
                    "exists": self.described(self.boolean, "False when the directory was deleted after registration."),
                    "createdAt": self.dateTime,
                ]
            ),
            "RepoList": self.object(
                required: ["repos": self.array(self.ref("RepoResponse"))]
            ),
            "CreateRepoRequest": self.object(
                required: ["path": self.described(self.string, "Absolute path of an existing directory.")],
                optional: ["name": self.described(self.string, "Defaults to the sanitized folder name.")]
            ),

            // Agents
            "PersonaValue": self.object(
                description: "Optional prompt material for an agent.",
                optional: [
                    "description": self.string,
                    "responsibilities": self.string,
                    "boundaries": self.string,
                    "skills": self.string,
                    "workingStyle": self.string,
                    "extraPrompt": self.string,
                ]
            ),
            "LiveSessionResponse": self.object(
                description: "A session that has not ended.",
                required: [
                    "id": self.string,
                    "agent": self.string,
                    "kind": self.enumeration(["managed", "external"]),
                    "startedAt": self.dateTime,
                ]
            ),
            "AgentResponse": self.object(
                description: "An agent as the API shows it.",
                required: [
                    "id": self.string,
                    "address": self.described(self.string, "`repo:agent`."),
                    "repo": self.string,
                    "name": self.string,
                    "runtime": self.ref("RuntimeValue"),
                    "args": self.array(self.string),
                    "roles": self.array(self.string),
                    "isMain": self.boolean,
                    "pushEnabled": self.boolean,
                    "nudgeEnabled": self.described(
                        self.boolean,
                        "PTY nudges for a Codex or custom agent (with pushes on); off, mail only raises the session's `pendingNudge`."
                    ),
                    "muted": self.described(self.boolean, "The human muted the agent: its sends are refused."),
                    "createdAt": self.dateTime,
                    "updatedAt": self.dateTime,
                    "pushPath": self.enumeration(AgentPushPath.allCases.map(\.rawValue), "How mail reaches its model now, decided by the daemon."),
                ],
                optional: [
                    "command": self.string,
                    "persona": self.ref("PersonaValue"),
                    "session": self.described(self.ref("AgentSessionResponse"), "The live session, else the latest one; lists omit `exitTail`."),
                    "worktree": self.described(self.ref("AgentWorktreeResponse"), "The agent's git worktree (absent: never switched on)."),
                    "pushPathReason": self.described(self.string, "Why pushPath is not the runtime's own (a managed Claude's typed fallback)."),
                    "lastPushAt": self.described(self.dateTime, "When a push hint last went out to its latest session."),
                    "lastPushPath": self.enumeration(AgentPushPath.allCases.map(\.rawValue)),
                    "lastPushConfirmedAt": self.described(
                        self.dateTime,
                        "When its client last acted on a push (check_messages after it, a re-read of whatsagent://inbox, the app-server's turn)."
                    ),
                    "pushWarning": self.described(self.string, "Pushes unconfirmed past [push] confirm_seconds, or a fallback standing in."),
                ]
            ),
            "AgentList": self.object(
                required: ["agents": self.array(self.ref("AgentResponse"))]
            ),
            "CreateAgentRequest": self.object(
                required: ["address": self.described(self.string, "`repo:agent`.")],
                optional: [
                    "runtime": self.ref("RuntimeValue"),
                    "command": self.string,
                    "args": self.array(self.string),
                    "roles": self.described(
                        self.array(self.string),
                        "Role names; defaults by name (`main` → pm, others → engineer)."
                    ),
                    "main": self.boolean,
                    "persona": self.ref("PersonaValue"),
                    "nudgeEnabled": self.described(self.boolean, "PTY nudges for a Codex or custom agent (default true)."),
                    "worktree": self.described(self.boolean, "Start the agent in its own git worktree (the repo must be a git repository)."),
                    "worktreeBranch": self.described(self.string, "The worktree's branch (default `wa/<agent>`)."),
                ]
            ),
            "UpdateAgentRequest": self.object(
                description: "Absent fields stay as they are.",
                optional: [
                    "runtime": self.ref("RuntimeValue"),
                    "command": self.described(self.string, "An empty string clears the command override."),
                    "args": self.described(self.array(self.string), "Replaces the extra arguments."),
                    "roles": self.described(self.array(self.string), "Replaces the roles."),
                    "persona": self.described(self.ref("PersonaValue"), "Replaces the persona; an object with no fields clears it."),
                    "pushEnabled": self.boolean,
                    "muted": self.described(self.boolean, "Mute (true) or unmute the agent: a muted agent's sends are refused."),
                    "nudgeEnabled": self.described(
                        self.boolean,
                        "PTY nudges on or off for a Codex or custom agent; MCP notifications and plugin pushes do not depend on it."
                    ),
                    "worktree": self.described(self.boolean, "The worktree switch; off, the next launch starts in the repo (the folder stays)."),
                    "worktreeBranch": self.described(self.string, "Replaces the worktree's branch (used when the worktree is next created)."),
                ]
            ),
            "SetMainAgentRequest": self.object(
                required: ["agent": self.described(self.string, "`repo:agent`.")]
            ),
            "RemovalResult": self.object(
                description: "The result of removing a repo or an agent: the sessions that had to be stopped (with `force`).",
                required: [
                    "removed": self.string,
                    "stoppedSessions": self.array(self.ref("LiveSessionResponse")),
                ]
            ),
            "MainAgentResult": self.object(
                optional: ["previous": self.described(self.string, "The agent that was main, if any (`repo:agent`).")]
            ),
        ]
    }

    // MARK: Schema helpers

    static func ref(_ name: String) -> [String: Any] {
        ["$ref": "#/components/schemas/\(name)"]
    }

    /// A closed object: `required` fields are always present; `optional` ones are omitted when they have no value.
    static func object(
        description: String? = nil,
        required: [String: [String: Any]] = [:],
        optional: [String: [String: Any]] = [:]
    ) -> [String: Any] {
        var schema: [String: Any] = [
            "type": "object",
            "properties": required.merging(optional) { first, _ in first },
            "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = required.keys.sorted() }
        if let description { schema["description"] = description }
        return schema
    }

    static func array(_ items: [String: Any]) -> [String: Any] {
        ["type": "array", "items": items]
    }

    static func enumeration(_ values: [String], _ description: String? = nil) -> [String: Any] {
        self.described(["type": "string", "enum": values], description)
    }

    static func described(_ schema: [String: Any], _ description: String?) -> [String: Any] {
        guard let description else { return schema }
        return schema.merging(["description": description]) { _, new in new }
    }

    static var string: [String: Any] { ["type": "string"] }
    static var integer: [String: Any] { ["type": "integer"] }
    static var int32: [String: Any] { ["type": "integer", "format": "int32"] }
    static var count: [String: Any] { ["type": "integer", "minimum": 0] }
    static var boolean: [String: Any] { ["type": "boolean"] }
    /// RFC 3339 with milliseconds, in UTC (`2026-11-21T09:26:40.123Z`).
    static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
}
