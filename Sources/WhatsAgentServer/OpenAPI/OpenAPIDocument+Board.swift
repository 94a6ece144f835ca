import Foundation
import WhatsAgentAPI

/// The Kanban board (SPEC §9): tasks, epics, comments, status moves, archive, epic close approval, search, export
/// and import — as the human.
extension OpenAPIDocument {
    func boardPaths() -> [String: Any] {
        let board = "/api/v1/workspaces/{workspace}/board"
        let task = self.pathParameter("task", "Task id: display id in any case, zero padding optional (`WA-001`, `wa-1`), or row id (`12`, `#12`).")
        let epic = self.pathParameter("epic", "Epic id: display id in any case, zero padding optional (`EP-001`, `ep-1`), or row id.")
        return self.boardTaskPaths(board, task).merging(self.boardEpicPaths(board, epic)) { first, _ in first }
            .merging(self.boardTransferPaths(board)) { first, _ in first }
    }

    // MARK: - Parameters

    func boardListParameters(tasks: Bool) -> [[String: Any]] {
        var parameters: [[String: Any]] = [
            self.queryParameter("status", self.schema(BoardStatusValue.self), "Only this status (`in_progress`, `in progress` are accepted too)."),
            self.queryParameter("assignedTo", self.string, "Only items assigned to this agent (`repo:agent`, any case); `none`: unassigned tasks."),
            self.queryParameter("createdBy", self.string, "Only items created by this agent or by `human-web`."),
            self.queryParameter("priority", self.schema(BoardPriorityValue.self), "Only this priority."),
        ]
        if tasks {
            parameters.append(
                self.queryParameter("epicId", self.string, "Only tasks of this epic (display or row id); `none`: tasks without an epic.")
            )
        }
        parameters += [
            self.queryParameter("includeArchived", self.boolean, "Include archived items (default false)."),
            self.queryParameter("limit", ["type": "integer", "minimum": 1, "maximum": 1000, "default": 200], "Most items, in sequence order."),
        ]
        return parameters
    }

    var boardSearchParameters: [[String: Any]] {
        [
            self.queryParameter(
                "query",
                ["type": "string", "minLength": 2, "maxLength": 200],
                "Words to find in ids, titles, details and comments (2–200 characters), matched as one phrase whose last word may be "
                    + "a prefix; case and accents are ignored.",
                required: true
            ),
            self.queryParameter("status", self.schema(BoardStatusValue.self), "Only this status."),
            self.queryParameter("assignedTo", self.string, "Only items assigned to this agent; `none`: unassigned tasks."),
            self.queryParameter("includeArchived", self.boolean, "Include archived items (default false)."),
            self.queryParameter("limit", ["type": "integer", "minimum": 1, "maximum": 100, "default": 20], "Most results."),
        ]
    }

    func queryParameter(_ name: String, _ schema: [String: Any], _ description: String, required: Bool = false) -> [String: Any] {
        ["name": name, "in": "query", "required": required, "description": description, "schema": schema]
    }

    // MARK: - Tasks

    func boardTaskPaths(_ board: String, _ task: [String: Any]) -> [String: Any] {
        let workspace = self.workspaceParameter
        return [
            board + "/tasks": [
                "get": self.operation(
                    "listBoardTasks",
                    tag: "Board",
                    summary: "List tasks, in sequence order",
                    description: "Archived tasks are left out unless `includeArchived=true`. 400 `invalid_argument` for a bad status, "
                        + "priority or limit; 404 `not_found` for an unknown epic.",
                    parameters: [workspace] + self.boardListParameters(tasks: true),
                    response: self.schema(BoardTaskList.self),
                    responseDescription: "The matching tasks."
                ),
                "post": self.operation(
                    "createBoardTask",
                    tag: "Board",
                    summary: "Create a task as human-web",
                    description: "Defaults: Backlog, P2, M; without `assignedTo` the task is unassigned. The assignee and creator "
                        + "are notified through their inbox. 400 "
                        + "`invalid_argument` for over-long fields, bad values, a dependency cycle or an archived epic; 404 "
                        + "`agent_not_found` for an unknown assignee, `not_found` for an unknown epic or dependency.",
                    parameters: [workspace],
                    body: CreateBoardTaskRequest.self,
                    status: 201,
                    response: self.schema(BoardTaskChange.self),
                    responseDescription: "The new task and who was notified."
                ),
            ],
            board + "/tasks/search": [
                "get": self.operation(
                    "searchBoardTasks",
                    tag: "Board",
                    summary: "Full-text search in tasks (ids, titles, details, comments), best first",
                    parameters: [workspace] + self.boardSearchParameters,
                    response: self.schema(BoardSearchResponse.self),
                    responseDescription: "The best matches and how many match in all."
                )
            ],
            board + "/tasks/{task}": [
                "get": self.operation(
                    "getBoardTask",
                    tag: "Board",
                    summary: "Show a task with its dependencies, dependents, comments and activity",
                    parameters: [workspace, task],
                    response: self.schema(BoardTaskDetail.self),
                    responseDescription: "The task."
                ),
                "patch": self.operation(
                    "updateBoardTask",
                    tag: "Board",
                    summary: "Change some fields of a task",
                    description: "A field-level patch: absent fields are untouched, so concurrent edits of different fields all land "
                        + "(the same field: the last writer wins; both edits are in the activity log). An explicit `null` clears "
                        + "`epicId` and the GitHub fields; `dependsOnTaskIds` replaces the whole list.",
                    parameters: [workspace, task],
                    body: UpdateBoardTaskRequest.self,
                    response: self.schema(BoardTaskChange.self),
                    responseDescription: "The task after the change, the changed fields and any warnings."
                ),
            ],
            board + "/tasks/{task}/status": [
                "put": self.operation(
                    "moveBoardTask",
                    tag: "Board",
                    summary: "Move a task to another status",
                    description: "Moving to In Progress while dependencies are unfinished succeeds with a warning.",
                    parameters: [workspace, task],
                    body: BoardStatusRequest.self,
                    response: self.schema(BoardTaskChange.self),
                    responseDescription: "The moved task."
                )
            ],
            board + "/tasks/{task}/comments": [
                "post": self.operation(
                    "commentBoardTask",
                    tag: "Board",
                    summary: "Comment on a task as human-web",
                    parameters: [workspace, task],
                    body: BoardCommentRequest.self,
                    status: 201,
                    response: self.schema(BoardCommentChange.self),
                    responseDescription: "The comment and who was notified."
                )
            ],
            board + "/tasks/{task}/archive": [
                "post": self.operation(
                    "archiveBoardTask",
                    tag: "Board",
                    summary: "Archive a task (idempotent: `changedFields` is empty when it already was)",
                    parameters: [workspace, task],
                    response: self.schema(BoardTaskChange.self),
                    responseDescription: "The archived task."
                )
            ],
            board + "/tasks/{task}/unarchive": [
                "post": self.operation(
                    "unarchiveBoardTask",
                    tag: "Board",
                    summary: "Bring an archived task back (the human only)",
                    parameters: [workspace, task],
                    response: self.schema(BoardTaskChange.self),
                    responseDescription: "The task, no longer archived."
                )
            ],
        ]
    }

    // MARK: - Epics

    func boardEpicPaths(_ board: String, _ epic: [String: Any]) -> [String: Any] {
        let workspace = self.workspaceParameter
        return [
            board + "/epics": [
                "get": self.operation(
                    "listBoardEpics",
                    tag: "Board",
                    summary: "List epics, in sequence order",
                    parameters: [workspace] + self.boardListParameters(tasks: false),
                    response: self.schema(BoardEpicList.self),
                    responseDescription: "The matching epics."
                ),
                "post": self.operation(
                    "createBoardEpic",
                    tag: "Board",
                    summary: "Create an epic as human-web",
                    description: "Status Completed is refused (400): epics are completed through the close workflow.",
                    parameters: [workspace],
                    body: CreateBoardEpicRequest.self,
                    status: 201,
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The new epic."
                ),
            ],
            board + "/epics/search": [
                "get": self.operation(
                    "searchBoardEpics",
                    tag: "Board",
                    summary: "Full-text search in epics (ids, titles, details, comments), best first",
                    parameters: [workspace] + self.boardSearchParameters,
                    response: self.schema(BoardSearchResponse.self),
                    responseDescription: "The best matches and how many match in all."
                )
            ],
            board + "/epics/{epic}": [
                "get": self.operation(
                    "getBoardEpic",
                    tag: "Board",
                    summary: "Show an epic with its tasks, comments and activity",
                    parameters: [workspace, epic],
                    response: self.schema(BoardEpicDetail.self),
                    responseDescription: "The epic."
                ),
                "patch": self.operation(
                    "updateBoardEpic",
                    tag: "Board",
                    summary: "Change some fields of an epic",
                    description: "A field-level patch like the task's. Status Completed is refused (400; use the close workflow); "
                        + "409 `invalid_state` while a close approval is pending.",
                    parameters: [workspace, epic],
                    body: UpdateBoardEpicRequest.self,
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The epic after the change."
                ),
            ],
            board + "/epics/{epic}/status": [
                "put": self.operation(
                    "moveBoardEpic",
                    tag: "Board",
                    summary: "Move an epic to another status",
                    description: "Completed enters the close workflow: without open tasks the epic is completed at once, otherwise "
                        + "its close waits for approval (`closeApproval.status` `pending`). 409 `invalid_state` while pending.",
                    parameters: [workspace, epic],
                    body: BoardStatusRequest.self,
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The epic, and the close outcome when the move asked to complete it."
                )
            ],
            board + "/epics/{epic}/comments": [
                "post": self.operation(
                    "commentBoardEpic",
                    tag: "Board",
                    summary: "Comment on an epic as human-web",
                    parameters: [workspace, epic],
                    body: BoardCommentRequest.self,
                    status: 201,
                    response: self.schema(BoardCommentChange.self),
                    responseDescription: "The comment and who was notified."
                )
            ],
            board + "/epics/{epic}/archive": [
                "post": self.operation(
                    "archiveBoardEpic",
                    tag: "Board",
                    summary: "Archive an epic",
                    description: "409 `invalid_state` naming its tasks that are not archived yet.",
                    parameters: [workspace, epic],
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The archived epic."
                )
            ],
            board + "/epics/{epic}/unarchive": [
                "post": self.operation(
                    "unarchiveBoardEpic",
                    tag: "Board",
                    summary: "Bring an archived epic back (the human only)",
                    parameters: [workspace, epic],
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The epic, no longer archived."
                )
            ],
            board + "/epics/{epic}/close/request": [
                "post": self.operation(
                    "requestBoardEpicClose",
                    tag: "Board",
                    summary: "Ask to complete an epic",
                    description: "Without open tasks the epic is completed at once (`approved`); otherwise the close is `pending` "
                        + "until the human approves it.",
                    parameters: [workspace, epic],
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The epic and the close outcome."
                )
            ],
            board + "/epics/{epic}/close/approve": [
                "post": self.operation(
                    "approveBoardEpicClose",
                    tag: "Board",
                    summary: "Approve a pending close: the epic becomes Completed (the human only)",
                    description: "409 `invalid_state` when no close is pending.",
                    parameters: [workspace, epic],
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The completed epic."
                )
            ],
            board + "/epics/{epic}/close/cancel": [
                "post": self.operation(
                    "cancelBoardEpicClose",
                    tag: "Board",
                    summary: "Cancel a pending close",
                    description: "409 `invalid_state` when no close is pending.",
                    parameters: [workspace, epic],
                    response: self.schema(BoardEpicChange.self),
                    responseDescription: "The epic, back to its status before the request."
                )
            ],
        ]
    }

    // MARK: - Export and import

    func boardTransferPaths(_ board: String) -> [String: Any] {
        let format = self.queryParameter(
            "format",
            ["type": "string", "enum": ["json", "csv", "markdown"], "default": "json"],
            "`json`: the whole board, re-importable; `csv`: one row per epic and task (RFC 4180, CRLF); `markdown`: for people."
        )
        var export = self.operation(
            "exportBoard",
            tag: "Board",
            summary: "Export the whole board: tasks, epics, comments, dependencies and activity",
            parameters: [self.workspaceParameter, format],
            response: self.schema(BoardExport.self),
            responseDescription: "The board in the requested format."
        )
        if var responses = export["responses"] as? [String: Any], var ok = responses["200"] as? [String: Any] {
            ok["content"] = [
                "application/json": ["schema": self.schema(BoardExport.self)],
                "text/csv": ["schema": self.string],
                "text/markdown": ["schema": self.string],
            ]
            responses["200"] = ok
            export["responses"] = responses
        }
        return [
            board + "/export": ["get": export],
            board + "/import": [
                "post": self.operation(
                    "importBoard",
                    tag: "Board",
                    summary: "Import a JSON export into a workspace whose board is empty",
                    description: "Exact: ids, display ids, sequences, timestamps, comments, dependencies, activity and close state; "
                        + "the workspace's task and epic prefixes become the export's. Agents are matched by address. One "
                        + "transaction. 409 `invalid_state` when the board is not empty; 400 for an export that does not fit together.",
                    parameters: [self.workspaceParameter],
                    body: BoardExport.self,
                    response: self.schema(BoardImportResult.self),
                    responseDescription: "How much was restored."
                )
            ],
        ]
    }

    // MARK: - Schemas

    var rowID: [String: Any] { ["type": "integer", "format": "int64"] }

}
