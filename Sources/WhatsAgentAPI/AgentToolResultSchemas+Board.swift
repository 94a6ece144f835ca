// The board tools' result types (SPEC §8, §9): the wire types of the board API, with every text an agent or a
// person wrote — titles, details, GitHub links and titles, comment bodies, search previews, the before/after values of the
// activity log — in the result's nonce fence.

extension AgentToolResultSchemas {
    static let task = object(
        [
            "id": integer, "displayId": string, "sequence": integer, "title": fenced, "details": fenced, "status": string,
            "priority": string, "effort": string, "assignee": string, "creator": string, "githubUrl": fenced,
            "githubNumber": integer, "githubTitle": fenced, "epicId": string, "dependsOnTaskIds": array(string),
            "createdAt": string, "updatedAt": string, "completedAt": string, "archivedAt": string, "archivedBy": string,
            "branch": fenced,
        ],
        // No assignee on an unassigned task (issue 18).
        required: ["id", "displayId", "title", "details", "status", "priority", "effort", "creator", "dependsOnTaskIds"]
    )

    static let epic = object(
        [
            "id": integer, "displayId": string, "sequence": integer, "title": fenced, "details": fenced, "status": string,
            "priority": string, "effort": string, "assignee": string, "creator": string, "githubUrl": fenced,
            "githubNumber": integer, "githubTitle": fenced,
            "closeApproval": object(
                ["status": string, "requestedAt": string, "requestedBy": string, "approvedAt": string, "approvedBy": string],
                required: ["status"]
            ),
            "createdAt": string, "updatedAt": string, "completedAt": string, "archivedAt": string, "archivedBy": string,
        ],
        required: ["id", "displayId", "title", "details", "status", "priority", "effort", "assignee", "creator", "closeApproval"]
    )

    static let taskReference = object(
        ["id": integer, "displayId": string, "title": fenced, "status": string, "assignee": string, "archived": boolean],
        required: ["id", "displayId", "title", "status", "archived"]
    )

    static let comment = object(
        [
            "id": integer, "itemKind": string, "itemId": string, "author": string, "type": string, "body": fenced,
            "createdAt": string,
        ],
        required: ["id", "itemKind", "itemId", "author", "type", "body", "createdAt"]
    )

    static let activity = object(
        [
            "id": integer, "itemKind": string, "itemId": string, "actor": string, "action": string, "field": string,
            "before": fenced, "after": fenced, "createdAt": string,
        ],
        required: ["id", "itemKind", "itemId", "actor", "action", "createdAt"]
    )

    static let taskDetail = result(
        [
            "task": task, "dependencies": array(taskReference), "dependedBy": array(taskReference),
            "comments": array(comment), "activity": array(activity), "nonce": string,
        ],
        required: ["task", "dependencies", "dependedBy", "comments", "activity", "nonce"]
    )

    static let epicDetail = result(
        [
            "epic": epic, "children": array(taskReference), "openChildren": integer, "comments": array(comment),
            "activity": array(activity), "nonce": string,
        ],
        required: ["epic", "children", "openChildren", "comments", "activity", "nonce"]
    )

    static let taskList = result(["tasks": array(task), "nonce": string], required: ["tasks", "nonce"])

    static let epicList = result(["epics": array(epic), "nonce": string], required: ["epics", "nonce"])

    static let taskChange = result(
        [
            "task": task, "changedFields": array(string), "warnings": array(string), "notified": array(string),
            "nonce": string,
        ],
        required: ["task", "changedFields", "warnings", "notified", "nonce"]
    )

    static let epicChange = result(
        [
            "epic": epic, "changedFields": array(string), "warnings": array(string), "notified": array(string),
            "closeApproval": object(
                ["status": string, "openChildren": integer, "childDisplayIds": array(string)],
                required: ["status", "openChildren", "childDisplayIds"]
            ),
            "nonce": string,
        ],
        required: ["epic", "changedFields", "warnings", "notified", "nonce"]
    )

    static let commentChange = result(
        ["comment": comment, "notified": array(string), "nonce": string],
        required: ["comment", "notified", "nonce"]
    )

    static let boardSearch = result(
        [
            "results": array(
                object(
                    [
                        "kind": string, "id": integer, "displayId": string, "title": fenced, "status": string,
                        "priority": string, "assignee": string, "archived": boolean, "createdAt": string,
                        "updatedAt": string, "matchedIn": array(string), "preview": fenced, "matchingComment": comment,
                        "rank": number,
                    ],
                    required: ["kind", "id", "displayId", "title", "status", "matchedIn", "preview", "rank"]
                )
            ),
            "total": integer, "truncated": boolean, "nonce": string,
        ],
        required: ["results", "total", "truncated", "nonce"]
    )
}
