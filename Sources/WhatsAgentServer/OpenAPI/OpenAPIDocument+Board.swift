import Foundation

/// The Kanban board (SPEC §9): tasks, epics, comments, status moves, archive, epic close approval, search, export
/// and import — as the human.
extension OpenAPIDocument {
    static func boardPaths() -> [String: Any] {
        let board = "/api/v1/workspaces/{workspace}/board"
        let task = self.pathParameter("task", "Task id: display id in any case, zero padding optional (`WA-001`, `wa-1`), or row id (`12`, `#12`).")
        let epic = self.pathParameter("epic", "Epic id: display id in any case, zero padding optional (`EP-001`, `ep-1`), or row id.")
        return self.boardTaskPaths(board, task).merging(self.boardEpicPaths(board, epic)) { first, _ in first }
            .merging(self.boardTransferPaths(board)) { first, _ in first }
    }

    // MARK: - Parameters

    static func boardListParameters(tasks: Bool) -> [[String: Any]] {
        var parameters: [[String: Any]] = [
            self.queryParameter("status", self.ref("BoardStatusValue"), "Only this status (`in_progress`, `in progress` are accepted too)."),
            self.queryParameter("assignedTo", self.string, "Only items assigned to this agent (`repo:agent`, any case); `none`: unassigned tasks."),
            self.queryParameter("createdBy", self.string, "Only items created by this agent or by `human-web`."),
            self.queryParameter("priority", self.ref("BoardPriorityValue"), "Only this priority."),
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

    static var boardSearchParameters: [[String: Any]] {
        [
            self.queryParameter(
                "query",
                ["type": "string", "minLength": 2, "maxLength": 200],
                "Words to find in ids, titles, details and comments (2–200 characters), matched as one phrase whose last word may be "
                    + "a prefix; case and accents are ignored.",
                required: true
            ),
            self.queryParameter("status", self.ref("BoardStatusValue"), "Only this status."),
            self.queryParameter("assignedTo", self.string, "Only items assigned to this agent; `none`: unassigned tasks."),
            self.queryParameter("includeArchived", self.boolean, "Include archived items (default false)."),
            self.queryParameter("limit", ["type": "integer", "minimum": 1, "maximum": 100, "default": 20], "Most results."),
        ]
    }

    static func queryParameter(_ name: String, _ schema: [String: Any], _ description: String, required: Bool = false) -> [String: Any] {
        ["name": name, "in": "query", "required": required, "description": description, "schema": schema]
    }

    // MARK: - Tasks

    static func boardTaskPaths(_ board: String, _ task: [String: Any]) -> [String: Any] {
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
                    response: self.ref("BoardTaskList"),
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
                    body: "CreateBoardTaskRequest",
                    status: 201,
                    response: self.ref("BoardTaskChange"),
                    responseDescription: "The new task and who was notified."
                ),
            ],
            board + "/tasks/search": [
                "get": self.operation(
                    "searchBoardTasks",
                    tag: "Board",
                    summary: "Full-text search in tasks (ids, titles, details, comments), best first",
                    parameters: [workspace] + self.boardSearchParameters,
                    response: self.ref("BoardSearchResponse"),
                    responseDescription: "The best matches and how many match in all."
                )
            ],
            board + "/tasks/{task}": [
                "get": self.operation(
                    "getBoardTask",
                    tag: "Board",
                    summary: "Show a task with its dependencies, dependents, comments and activity",
                    parameters: [workspace, task],
                    response: self.ref("BoardTaskDetail"),
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
                    body: "UpdateBoardTaskRequest",
                    response: self.ref("BoardTaskChange"),
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
                    body: "BoardStatusRequest",
                    response: self.ref("BoardTaskChange"),
                    responseDescription: "The moved task."
                )
            ],
            board + "/tasks/{task}/comments": [
                "post": self.operation(
                    "commentBoardTask",
                    tag: "Board",
                    summary: "Comment on a task as human-web",
                    parameters: [workspace, task],
                    body: "BoardCommentRequest",
                    status: 201,
                    response: self.ref("BoardCommentChange"),
                    responseDescription: "The comment and who was notified."
                )
            ],
            board + "/tasks/{task}/archive": [
                "post": self.operation(
                    "archiveBoardTask",
                    tag: "Board",
                    summary: "Archive a task (idempotent: `changedFields` is empty when it already was)",
                    parameters: [workspace, task],
                    response: self.ref("BoardTaskChange"),
                    responseDescription: "The archived task."
                )
            ],
            board + "/tasks/{task}/unarchive": [
                "post": self.operation(
                    "unarchiveBoardTask",
                    tag: "Board",
                    summary: "Bring an archived task back (the human only)",
                    parameters: [workspace, task],
                    response: self.ref("BoardTaskChange"),
                    responseDescription: "The task, no longer archived."
                )
            ],
        ]
    }

    // MARK: - Epics

    static func boardEpicPaths(_ board: String, _ epic: [String: Any]) -> [String: Any] {
        let workspace = self.workspaceParameter
        return [
            board + "/epics": [
                "get": self.operation(
                    "listBoardEpics",
                    tag: "Board",
                    summary: "List epics, in sequence order",
                    parameters: [workspace] + self.boardListParameters(tasks: false),
                    response: self.ref("BoardEpicList"),
                    responseDescription: "The matching epics."
                ),
                "post": self.operation(
                    "createBoardEpic",
                    tag: "Board",
                    summary: "Create an epic as human-web",
                    description: "Status Completed is refused (400): epics are completed through the close workflow.",
                    parameters: [workspace],
                    body: "CreateBoardEpicRequest",
                    status: 201,
                    response: self.ref("BoardEpicChange"),
                    responseDescription: "The new epic."
                ),
            ],
            board + "/epics/search": [
                "get": self.operation(
                    "searchBoardEpics",
                    tag: "Board",
                    summary: "Full-text search in epics (ids, titles, details, comments), best first",
                    parameters: [workspace] + self.boardSearchParameters,
                    response: self.ref("BoardSearchResponse"),
                    responseDescription: "The best matches and how many match in all."
                )
            ],
            board + "/epics/{epic}": [
                "get": self.operation(
                    "getBoardEpic",
                    tag: "Board",
                    summary: "Show an epic with its tasks, comments and activity",
                    parameters: [workspace, epic],
                    response: self.ref("BoardEpicDetail"),
                    responseDescription: "The epic."
                ),
                "patch": self.operation(
                    "updateBoardEpic",
                    tag: "Board",
                    summary: "Change some fields of an epic",
                    description: "A field-level patch like the task's. Status Completed is refused (400; use the close workflow); "
                        + "409 `invalid_state` while a close approval is pending.",
                    parameters: [workspace, epic],
                    body: "UpdateBoardEpicRequest",
                    response: self.ref("BoardEpicChange"),
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
                    body: "BoardStatusRequest",
                    response: self.ref("BoardEpicChange"),
                    responseDescription: "The epic, and the close outcome when the move asked to complete it."
                )
            ],
            board + "/epics/{epic}/comments": [
                "post": self.operation(
                    "commentBoardEpic",
                    tag: "Board",
                    summary: "Comment on an epic as human-web",
                    parameters: [workspace, epic],
                    body: "BoardCommentRequest",
                    status: 201,
                    response: self.ref("BoardCommentChange"),
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
                    response: self.ref("BoardEpicChange"),
                    responseDescription: "The archived epic."
                )
            ],
            board + "/epics/{epic}/unarchive": [
                "post": self.operation(
                    "unarchiveBoardEpic",
                    tag: "Board",
                    summary: "Bring an archived epic back (the human only)",
                    parameters: [workspace, epic],
                    response: self.ref("BoardEpicChange"),
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
                    response: self.ref("BoardEpicChange"),
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
                    response: self.ref("BoardEpicChange"),
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
                    response: self.ref("BoardEpicChange"),
                    responseDescription: "The epic, back to its status before the request."
                )
            ],
        ]
    }

    // MARK: - Export and import

    static func boardTransferPaths(_ board: String) -> [String: Any] {
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
            response: self.ref("BoardExport"),
            responseDescription: "The board in the requested format."
        )
        if var responses = export["responses"] as? [String: Any], var ok = responses["200"] as? [String: Any] {
            ok["content"] = [
                "application/json": ["schema": self.ref("BoardExport")],
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
                    body: "BoardExport",
                    response: self.ref("BoardImportResult"),
                    responseDescription: "How much was restored."
                )
            ],
        ]
    }

    // MARK: - Schemas

    static func boardSchemas() -> [String: Any] {
        self.boardValueSchemas().merging(self.boardItemSchemas()) { first, _ in first }
            .merging(self.boardResultSchemas()) { first, _ in first }
            .merging(self.boardRequestSchemas()) { first, _ in first }
    }

    static func boardValueSchemas() -> [String: Any] {
        [
            "BoardStatusValue": self.enumeration(["Backlog", "Queued", "In Progress", "Blocked", "Review", "Completed"], "Board status."),
            "BoardPriorityValue": self.enumeration(["P0", "P1", "P2", "P3"], "Priority, P0 the most urgent."),
            "BoardEffortValue": self.enumeration(["XS", "S", "M", "L", "XL"], "Effort."),
            "BoardCommentTypeValue": self.enumeration(
                ["progress", "note", "blocker", "verdict_go", "verdict_no_go", "verdict_needs_revision"],
                "Comment type."
            ),
            "BoardItemKindValue": self.enumeration(["task", "epic"]),
            "BoardCloseApprovalStatusValue": self.enumeration(["none", "pending", "approved"], "Where an epic is in the close workflow."),
        ]
    }

    static var rowID: [String: Any] { ["type": "integer", "format": "int64"] }

    static func boardItemSchemas() -> [String: Any] {
        let github: [String: [String: Any]] = ["githubUrl": self.string, "githubNumber": self.integer, "githubTitle": self.string]
        let lifecycle: [String: [String: Any]] = [
            "completedAt": self.dateTime,
            "archivedAt": self.dateTime,
            "archivedBy": self.described(self.string, "`repo:agent` or `human-web`."),
        ]
        let common: [String: [String: Any]] = [
            "id": self.described(self.rowID, "Row id (lookups accept it as well as the display id)."),
            "sequence": self.integer,
            "title": self.string,
            "details": self.string,
            "status": self.ref("BoardStatusValue"),
            "priority": self.ref("BoardPriorityValue"),
            "effort": self.ref("BoardEffortValue"),
            "creator": self.described(self.string, "`repo:agent` or `human-web`."),
            "createdAt": self.dateTime,
            "updatedAt": self.dateTime,
        ]
        return [
            "BoardTaskResponse": self.object(
                description: "A task. Items reference each other by display id.",
                required: common.merging([
                    "displayId": self.described(self.string, "`WA-003`."),
                    "dependsOnTaskIds": self.described(self.array(self.string), "Display ids of the tasks this one depends on."),
                ]) { first, _ in first },
                optional: github.merging(lifecycle) { first, _ in first }
                    .merging([
                        "epicId": self.described(self.string, "Display id of the parent epic."),
                        "assignee": self.described(self.string, "`repo:agent`; absent when the task is unassigned."),
                    ]) { first, _ in first }
            ),
            "BoardCloseApproval": self.object(
                description: "An epic's close-approval state.",
                required: ["status": self.ref("BoardCloseApprovalStatusValue")],
                optional: [
                    "requestedAt": self.dateTime,
                    "requestedBy": self.string,
                    "approvedAt": self.dateTime,
                    "approvedBy": self.described(self.string, "`human-web`."),
                ]
            ),
            "BoardEpicResponse": self.object(
                description: "An epic.",
                required: common.merging([
                    "displayId": self.described(self.string, "`EP-001`."),
                    "closeApproval": self.ref("BoardCloseApproval"),
                    "assignee": self.described(self.string, "`repo:agent`."),
                ]) { first, _ in first },
                optional: github.merging(lifecycle) { first, _ in first }
            ),
            "BoardTaskRefResponse": self.object(
                description: "A short reference to a task.",
                required: [
                    "id": self.rowID, "displayId": self.string, "title": self.string, "status": self.ref("BoardStatusValue"),
                    "archived": self.boolean,
                ],
                optional: ["assignee": self.described(self.string, "Absent when the task is unassigned.")]
            ),
            "BoardCommentResponse": self.object(
                required: [
                    "id": self.rowID,
                    "itemKind": self.ref("BoardItemKindValue"),
                    "itemId": self.described(self.string, "Display id of the task or epic."),
                    "author": self.described(self.string, "`repo:agent` or `human-web`."),
                    "type": self.ref("BoardCommentTypeValue"),
                    "body": self.string,
                    "createdAt": self.dateTime,
                ]
            ),
            "BoardActivityResponse": self.object(
                description: "One activity-log entry.",
                required: [
                    "id": self.rowID,
                    "itemKind": self.ref("BoardItemKindValue"),
                    "itemId": self.string,
                    "actor": self.string,
                    "action": self.described(
                        self.string,
                        "`created`, `updated` (one per field), `commented`, `archived`, `unarchived`, `close_approval_requested`, "
                            + "`close_approval_cancelled` or `close_approved`."
                    ),
                    "createdAt": self.dateTime,
                ],
                optional: [
                    "field": self.string,
                    "before": self.described(self.string, "The value before, as JSON text (`\"Backlog\"`, `null`, `[\"WA-001\"]`)."),
                    "after": self.described(self.string, "The value after, as JSON text."),
                ]
            ),
            "BoardDependencyResponse": self.object(
                description: "A dependency edge by display ids.",
                required: ["taskId": self.string, "dependsOnTaskId": self.string, "createdBy": self.string, "createdAt": self.dateTime]
            ),
        ]
    }

    static func boardResultSchemas() -> [String: Any] {
        let change: [String: [String: Any]] = [
            "changedFields": self.described(self.array(self.string), "Fields that changed (empty: nothing did)."),
            "warnings": self.described(self.array(self.string), "Non-blocking notes, e.g. started with unfinished dependencies."),
            "notified": self.described(self.array(self.string), "Agents notified through their inbox."),
        ]
        let tasks = self.array(self.ref("BoardTaskRefResponse"))
        let comments = self.array(self.ref("BoardCommentResponse"))
        let activity = self.described(self.array(self.ref("BoardActivityResponse")), "Oldest first.")
        return [
            "BoardTaskList": self.object(required: ["tasks": self.array(self.ref("BoardTaskResponse"))]),
            "BoardEpicList": self.object(required: ["epics": self.array(self.ref("BoardEpicResponse"))]),
            "BoardTaskDetail": self.object(
                required: [
                    "task": self.ref("BoardTaskResponse"), "dependencies": tasks, "dependedBy": tasks, "comments": comments,
                    "activity": activity,
                ]
            ),
            "BoardEpicDetail": self.object(
                required: [
                    "epic": self.ref("BoardEpicResponse"), "children": tasks,
                    "openChildren": self.described(self.count, "Tasks neither Completed nor archived."),
                    "comments": comments, "activity": activity,
                ]
            ),
            "BoardTaskChange": self.object(required: change.merging(["task": self.ref("BoardTaskResponse")]) { first, _ in first }),
            "BoardCloseOutcome": self.object(
                description: "`approved`: the epic was completed at once; `pending`: it waits for the human's approval.",
                required: [
                    "status": self.ref("BoardCloseApprovalStatusValue"),
                    "openChildren": self.count,
                    "childDisplayIds": self.described(self.array(self.string), "The open tasks."),
                ]
            ),
            "BoardEpicChange": self.object(
                required: change.merging(["epic": self.ref("BoardEpicResponse")]) { first, _ in first },
                optional: ["closeApproval": self.described(self.ref("BoardCloseOutcome"), "Set when the call entered the close workflow.")]
            ),
            "BoardCommentChange": self.object(
                required: ["comment": self.ref("BoardCommentResponse"), "notified": self.array(self.string)]
            ),
            "BoardSearchHitResponse": self.object(
                required: [
                    "kind": self.ref("BoardItemKindValue"), "id": self.rowID, "displayId": self.string, "title": self.string,
                    "status": self.ref("BoardStatusValue"), "priority": self.ref("BoardPriorityValue"),
                    "archived": self.boolean, "createdAt": self.dateTime, "updatedAt": self.dateTime,
                    "matchedIn": self.described(self.array(self.string), "Of `display_id`, `title`, `details`, `comments`."),
                    "preview": self.described(self.string, "About 100 characters before the first match to 140 after it."),
                    "rank": self.described(["type": "number"], "Lower is better."),
                ],
                optional: [
                    "matchingComment": self.ref("BoardCommentResponse"),
                    "assignee": self.described(self.string, "`repo:agent`; absent for an unassigned task."),
                ]
            ),
            "BoardSearchResponse": self.object(
                required: [
                    "results": self.array(self.ref("BoardSearchHitResponse")), "total": self.count,
                    "truncated": self.described(self.boolean, "More matched than were returned."),
                ]
            ),
            "BoardImportResult": self.object(
                required: [
                    "tasks": self.count, "epics": self.count, "comments": self.count, "dependencies": self.count, "activity": self.count,
                ]
            ),
            "BoardExport": self.object(
                description: "The whole board, re-importable into a workspace whose board is empty (exact round trip).",
                required: [
                    "version": self.described(self.integer, "Format version (1)."),
                    "taskPrefix": self.string,
                    "epicPrefix": self.string,
                    "taskSequence": self.described(self.count, "The last task sequence handed out."),
                    "epicSequence": self.described(self.count, "The last epic sequence handed out."),
                    "tasks": self.array(self.ref("BoardTaskResponse")),
                    "epics": self.array(self.ref("BoardEpicResponse")),
                    "comments": self.array(self.ref("BoardCommentResponse")),
                    "dependencies": self.array(self.ref("BoardDependencyResponse")),
                    "activity": self.array(self.ref("BoardActivityResponse")),
                ]
            ),
        ]
    }

    static func boardRequestSchemas() -> [String: Any] {
        let nullableString = ["type": ["string", "null"]] as [String: Any]
        let nullableInteger = ["type": ["integer", "null"]] as [String: Any]
        let fields: [String: [String: Any]] = [
            "details": self.described(self.string, "Up to 16,000 characters."),
            "status": self.ref("BoardStatusValue"),
            "priority": self.ref("BoardPriorityValue"),
            "effort": self.ref("BoardEffortValue"),
        ]
        let github: [String: [String: Any]] = ["githubUrl": self.string, "githubNumber": self.integer, "githubTitle": self.string]
        let githubPatch: [String: [String: Any]] = [
            "githubUrl": self.described(nullableString, "`null` clears."),
            "githubNumber": self.described(nullableInteger, "`null` clears."),
            "githubTitle": self.described(nullableString, "`null` clears."),
        ]
        let title = self.described(self.string, "Up to 500 characters.")
        let assignee = self.described(self.string, "`repo:agent` of an existing agent.")
        let taskAssignee = self.described(self.string, "`repo:agent` of an existing agent; absent or `none`: unassigned.")
        return [
            "CreateBoardTaskRequest": self.object(
                description: "Unset fields take the defaults (Backlog, P2, M; unassigned).",
                required: ["title": title],
                optional: fields.merging(github) { first, _ in first }.merging([
                    "assignedTo": taskAssignee,
                    "epicId": self.described(self.string, "Epic display or row id."),
                    "dependsOnTaskIds": self.described(self.array(self.string), "Tasks this one depends on (cycles are refused)."),
                ]) { first, _ in first }
            ),
            "UpdateBoardTaskRequest": self.object(
                description: "Absent fields are untouched.",
                optional: fields.merging(githubPatch) { first, _ in first }.merging([
                    "title": title,
                    "assignedTo": self.described(self.string, "`repo:agent` of an existing agent; `none` unassigns."),
                    "epicId": self.described(nullableString, "Epic display or row id; `null` or `none` unlinks."),
                    "dependsOnTaskIds": self.described(self.array(self.string), "Replaces the whole list."),
                ]) { first, _ in first }
            ),
            "CreateBoardEpicRequest": self.object(
                description: "Unset fields take the defaults (Backlog, P2, M); status Completed is refused.",
                required: ["title": title, "assignedTo": assignee],
                optional: fields.merging(github) { first, _ in first }
            ),
            "UpdateBoardEpicRequest": self.object(
                description: "Absent fields are untouched; status Completed is refused (use the close workflow).",
                optional: fields.merging(githubPatch) { first, _ in first }.merging(["title": title, "assignedTo": assignee]) { first, _ in first }
            ),
            "BoardStatusRequest": self.object(required: ["status": self.ref("BoardStatusValue")]),
            "BoardCommentRequest": self.object(
                required: ["type": self.ref("BoardCommentTypeValue"), "body": self.described(self.string, "Up to 16,000 characters.")]
            ),
        ]
    }
}
