// The board tools of SPEC §8. Argument names are frozen: taskId, epicId, title, details, status, priority, effort,
// assignedTo, dependsOnTaskIds, type, body, githubUrl, githubNumber, githubTitle, includeArchived, createdBy, plus
// query and limit for search and listings.

extension AgentTools {
    // MARK: - Tasks

    static let tasks: [AgentToolDefinition] = [
        tool(
            "create_kanban_task",
            "kanban-admin",
            action: "kanban_action:create_task",
            "Create a board task (needs kanban-admin). Returns its id (WA-003 style); the assignee is notified. Without assignedTo the task is unassigned (nobody is notified); assign it later with update_kanban_task.",
            boardItemFields(nullable: false).merging([
                "assignedTo": boardString(
                    "Assignee: an agent's repo:agent address; omit it (or pass none) to leave the task unassigned.",
                    nullable: false
                ),
                "epicId": boardString("Parent epic id (EP-1, any case) or none.", nullable: true),
                "dependsOnTaskIds": boardIDList,
            ]) { first, _ in first },
            required: ["title"]
        ),
        tool(
            "read_kanban_task",
            "kanban-read",
            "Read one task with its dependencies, dependents, comments and activity log.",
            ["taskId": taskID],
            required: ["taskId"]
        ),
        tool(
            "list_kanban_tasks",
            "kanban-read",
            "List board tasks, filtered by status, assignee, creator, priority or epic; archived tasks only when asked.",
            boardListFilters.merging([
                "epicId": boardString("Only tasks of this epic (EP-1), or none for tasks without an epic.", nullable: false),
                "assignedTo": boardString("Only tasks assigned to this agent (repo:agent), or none for unassigned tasks.", nullable: false),
            ]) { first, _ in first },
        ),
        tool(
            "update_kanban_task",
            "kanban-admin",
            action: "kanban_action:update_task",
            "Edit a task (needs kanban-admin): any fields; only the fields you pass change. dependsOnTaskIds replaces the whole list (cycles are refused); epicId null or none unlinks; null clears a GitHub field.",
            boardItemFields(nullable: true).merging([
                "taskId": taskID,
                "assignedTo": boardString("New assignee (repo:agent), or none to unassign the task.", nullable: false),
                "epicId": boardString("Parent epic id (EP-1), or null / none to unlink.", nullable: true),
                "dependsOnTaskIds": boardIDList,
                "branch": boardString("The git branch the task is done on (e.g. your worktree's wa/<agent>); null clears.", nullable: true),
            ]) { first, _ in first },
            required: ["taskId"]
        ),
        tool(
            "update_kanban_task_status",
            "kanban-status",
            action: "kanban_action:update_task_status",
            "Move a task to another status. With an engineer's own-task grant: only your tasks, from Queued/In Progress/Blocked/Review to In Progress/Blocked/Review. Starting with unfinished dependencies warns.",
            ["taskId": taskID, "status": boardStatus],
            required: ["taskId", "status"]
        ),
        tool(
            "comment_kanban_task",
            "kanban-comment",
            action: "kanban_action:comment_task",
            "Comment on a task: progress, note, blocker, or a review verdict (verdict_go, verdict_no_go, verdict_needs_revision; needs the verdict grant). Blockers and verdicts notify the assignee and creator.",
            ["taskId": taskID, "type": boardCommentType, "body": boardString("Comment text, at most 16,000 characters.", nullable: false)],
            required: ["taskId", "type", "body"]
        ),
        tool(
            "archive_kanban_task",
            "kanban-admin",
            action: "kanban_action:archive_task",
            "Archive a task (hidden from listings unless includeArchived; only the human can unarchive). Repeating it is harmless.",
            ["taskId": taskID],
            required: ["taskId"]
        ),
        tool(
            "search_kanban_tasks",
            "kanban-read",
            "Full-text search of tasks over ids, titles, details and comments; best matches first with a preview.",
            boardSearchArguments,
            required: ["query"]
        ),
    ]

    // MARK: - Epics

    static let epics: [AgentToolDefinition] = [
        tool(
            "create_kanban_epic",
            "kanban-admin",
            action: "kanban_action:create_epic",
            "Create an epic (a group of tasks) for an agent (needs kanban-admin). It cannot start Completed: close it with request_kanban_epic_close.",
            boardItemFields(nullable: false),
            required: ["title", "assignedTo"]
        ),
        tool(
            "read_kanban_epic",
            "kanban-read",
            "Read one epic with its tasks, comments, activity and close-approval state.",
            ["epicId": epicID],
            required: ["epicId"]
        ),
        tool(
            "list_kanban_epics",
            "kanban-read",
            "List epics, filtered by status, assignee, creator or priority; archived epics only when asked.",
            boardListFilters
        ),
        tool(
            "update_kanban_epic",
            "kanban-admin",
            action: "kanban_action:update_epic",
            "Edit an epic (needs kanban-admin); only the fields you pass change. Not while a close approval is pending, and not to Completed (use request_kanban_epic_close).",
            boardItemFields(nullable: true).merging(["epicId": epicID]) { first, _ in first },
            required: ["epicId"]
        ),
        tool(
            "update_kanban_epic_status",
            "kanban-status",
            action: "kanban_action:update_epic_status",
            "Move an epic. Completed starts the close workflow: with open tasks it waits for the human's approval.",
            ["epicId": epicID, "status": boardStatus],
            required: ["epicId", "status"]
        ),
        tool(
            "comment_kanban_epic",
            "kanban-comment",
            action: "kanban_action:comment_epic",
            "Comment on an epic (progress, note, blocker or a verdict with the verdict grant).",
            ["epicId": epicID, "type": boardCommentType, "body": boardString("Comment text, at most 16,000 characters.", nullable: false)],
            required: ["epicId", "type", "body"]
        ),
        tool(
            "archive_kanban_epic",
            "kanban-admin",
            action: "kanban_action:archive_epic",
            "Archive an epic that has no unarchived tasks (archive or move them first).",
            ["epicId": epicID],
            required: ["epicId"]
        ),
        tool(
            "search_kanban_epics",
            "kanban-read",
            "Full-text search of epics over ids, titles, details and comments.",
            boardSearchArguments,
            required: ["query"]
        ),
        tool(
            "request_kanban_epic_close",
            "kanban-status",
            action: "kanban_action:request_epic_close",
            "Ask to close an epic: with no open tasks it is Completed at once; otherwise it waits for the human's approval.",
            ["epicId": epicID],
            required: ["epicId"]
        ),
        tool(
            "cancel_kanban_epic_close",
            "kanban-status",
            action: "kanban_action:cancel_epic_close",
            "Withdraw a pending close request of an epic (the requester, the assignee or an any-scope grant).",
            ["epicId": epicID],
            required: ["epicId"]
        ),
    ]

    // MARK: Schemas

    static let taskID = boardString("Task id: WA-3, wa-003 (any case) or the number.", nullable: false)
    static let epicID = boardString("Epic id: EP-1, ep-001 (any case) or the number.", nullable: false)

    static let boardStatus: JSONValue = [
        "type": "string",
        "enum": ["Backlog", "Queued", "In Progress", "Blocked", "Review", "Completed"],
        "description": "Backlog, Queued, In Progress, Blocked, Review or Completed.",
    ]

    static let boardCommentType: JSONValue = [
        "type": "string",
        "enum": ["progress", "note", "blocker", "verdict_go", "verdict_no_go", "verdict_needs_revision"],
        "description": "Comment type; verdicts need the verdict grant (reviewers, pm).",
    ]

    static let boardIDList: JSONValue = [
        "type": "array",
        "items": ["type": "string"],
        "maxItems": 100,
        "description": "Ids of the tasks this one depends on (WA-1 …); replaces the whole list, [] removes all.",
    ]

    static let boardListFilters: [String: JSONValue] = [
        "status": boardStatus,
        "assignedTo": boardString("Only items assigned to this agent (repo:agent).", nullable: false),
        "createdBy": boardString("Only items created by this agent (repo:agent) or human-web.", nullable: false),
        "priority": boardPriority,
        "includeArchived": ["type": "boolean", "description": "Include archived items (default false)."],
        "limit": integer("Most items (1–1000, default 200).", minimum: 1, maximum: 1000),
    ]

    static let boardSearchArguments: [String: JSONValue] = [
        "query": ["type": "string", "minLength": 2, "maxLength": 200, "description": "Words or an id to find (2–200 characters; prefix match)."],
        "status": boardStatus,
        "assignedTo": boardString("Only items assigned to this agent (repo:agent).", nullable: false),
        "includeArchived": ["type": "boolean", "description": "Include archived items (default false)."],
        "limit": integer("Most results (1–100, default 20).", minimum: 1, maximum: 100),
    ]

    static let boardPriority: JSONValue = [
        "type": "string", "enum": ["P0", "P1", "P2", "P3"], "description": "P0 (most urgent) to P3; default P2.",
    ]

    /// The fields tasks and epics share; `nullable` lets an update clear the GitHub fields with null.
    static func boardItemFields(nullable: Bool) -> [String: JSONValue] {
        [
            "title": ["type": "string", "minLength": 1, "maxLength": 500, "description": "Short title, at most 500 characters."],
            "details": ["type": "string", "maxLength": 16000, "description": "Description (Markdown), at most 16,000 characters."],
            "status": boardStatus,
            "priority": boardPriority,
            "effort": ["type": "string", "enum": ["XS", "S", "M", "L", "XL"], "description": "XS, S, M, L or XL; default M."],
            "assignedTo": boardString("Assignee: an agent's repo:agent address.", nullable: false),
            "githubUrl": [
                "type": nullable ? ["string", "null"] : "string", "maxLength": 2000,
                "description": .string("Link to a GitHub issue or PR (http(s)://…)\(nullable ? "; null clears" : "")."),
            ],
            "githubNumber": [
                "type": nullable ? ["integer", "null"] : "integer", "minimum": 1,
                "description": .string("Issue or PR number (≥ 1)\(nullable ? "; null clears" : "")."),
            ],
            "githubTitle": [
                "type": nullable ? ["string", "null"] : "string", "maxLength": 500,
                "description": .string("Title of the GitHub issue or PR\(nullable ? "; null clears" : "")."),
            ],
        ]
    }

    static func boardString(_ description: String, nullable: Bool) -> JSONValue {
        ["type": nullable ? ["string", "null"] : "string", "description": .string(description)]
    }
}
