import Foundation
import WhatsAgentAPI
import WhatsAgentCore

// Board: domain → wire, and wire requests → domain drafts and patches. Used by the agent tools and the REST routes.

extension BoardTaskResponse {
    init(_ task: BoardTask) {
        self.init(
            id: task.id,
            displayId: task.displayID,
            sequence: task.sequence,
            title: task.title,
            details: task.details,
            status: task.status,
            priority: task.priority,
            effort: task.effort,
            assignee: task.assignee,
            creator: task.creator,
            githubUrl: task.github.url,
            githubNumber: task.github.number,
            githubTitle: task.github.title,
            epicId: task.epicDisplayID,
            dependsOnTaskIds: task.dependsOn,
            createdAt: task.createdAt,
            updatedAt: task.updatedAt,
            completedAt: task.completedAt,
            archivedAt: task.archivedAt,
            archivedBy: task.archivedBy
        )
        self.branch = task.branch
    }
}

extension BoardEpicResponse {
    init(_ epic: BoardEpic) {
        let approval = epic.closeApproval
        self.init(
            id: epic.id,
            displayId: epic.displayID,
            sequence: epic.sequence,
            title: epic.title,
            details: epic.details,
            status: epic.status,
            priority: epic.priority,
            effort: epic.effort,
            assignee: epic.assignee,
            creator: epic.creator,
            githubUrl: epic.github.url,
            githubNumber: epic.github.number,
            githubTitle: epic.github.title,
            closeApproval: BoardCloseApproval(
                status: approval.status,
                requestedAt: approval.requestedAt,
                requestedBy: approval.requestedBy,
                approvedAt: approval.approvedAt,
                approvedBy: approval.approvedBy
            ),
            createdAt: epic.createdAt,
            updatedAt: epic.updatedAt,
            completedAt: epic.completedAt,
            archivedAt: epic.archivedAt,
            archivedBy: epic.archivedBy
        )
    }
}

extension BoardTaskRefResponse {
    init(_ ref: BoardTaskRef) {
        self.init(
            id: ref.id,
            displayId: ref.displayID,
            title: ref.title,
            status: ref.status,
            assignee: ref.assignee,
            archived: ref.isArchived
        )
    }
}

extension BoardCommentResponse {
    init(_ comment: BoardComment) {
        self.init(
            id: comment.id,
            itemKind: comment.itemKind,
            itemId: comment.itemDisplayID,
            author: comment.author,
            type: comment.type,
            body: comment.body,
            createdAt: comment.createdAt
        )
    }
}

extension BoardActivityResponse {
    init(_ entry: BoardActivity) {
        self.init(
            id: entry.id,
            itemKind: entry.itemKind,
            itemId: entry.itemDisplayID,
            actor: entry.actor,
            action: entry.action.rawValue,
            field: entry.field,
            before: entry.before,
            after: entry.after,
            createdAt: entry.createdAt
        )
    }
}

extension BoardTaskDetail {
    init(_ detail: TaskDetail) {
        self.init(
            task: BoardTaskResponse(detail.task),
            dependencies: detail.dependencies.map(BoardTaskRefResponse.init),
            dependedBy: detail.dependedBy.map(BoardTaskRefResponse.init),
            comments: detail.comments.map(BoardCommentResponse.init),
            activity: detail.activity.map(BoardActivityResponse.init)
        )
    }
}

extension BoardEpicDetail {
    init(_ detail: EpicDetail) {
        self.init(
            epic: BoardEpicResponse(detail.epic),
            children: detail.children.map(BoardTaskRefResponse.init),
            openChildren: detail.openChildren.count,
            comments: detail.comments.map(BoardCommentResponse.init),
            activity: detail.activity.map(BoardActivityResponse.init)
        )
    }
}

extension BoardTaskChange {
    init(_ change: BoardChange<BoardTask>) {
        self.init(task: BoardTaskResponse(change.item), changedFields: change.changedFields, warnings: change.warnings, notified: change.notified)
    }
}

extension BoardCloseOutcome {
    init(_ outcome: EpicCloseOutcome) {
        self.init(status: outcome.status, openChildren: outcome.openChildren, childDisplayIds: outcome.childDisplayIDs)
    }
}

extension BoardEpicChange {
    init(_ change: BoardChange<BoardEpic>) {
        self.init(
            epic: BoardEpicResponse(change.item),
            changedFields: change.changedFields,
            warnings: change.warnings,
            notified: change.notified,
            closeApproval: change.close.map(BoardCloseOutcome.init)
        )
    }

    /// A close request's result.
    init(_ outcome: EpicCloseOutcome) {
        self.init(
            epic: BoardEpicResponse(outcome.epic),
            changedFields: outcome.status == .pending ? ["closeApproval"] : ["status"],
            warnings: [],
            notified: outcome.notified,
            closeApproval: BoardCloseOutcome(outcome)
        )
    }
}

extension BoardCommentChange {
    init(_ change: BoardChange<BoardComment>) {
        self.init(comment: BoardCommentResponse(change.item), notified: change.notified)
    }
}

extension BoardSearchResponse {
    init(_ result: BoardSearchResult) {
        self.init(
            results: result.hits.map { hit in
                BoardSearchHitResponse(
                    kind: hit.kind,
                    id: hit.id,
                    displayId: hit.displayID,
                    title: hit.title,
                    status: hit.status,
                    priority: hit.priority,
                    assignee: hit.assignee,
                    archived: hit.isArchived,
                    createdAt: hit.createdAt,
                    updatedAt: hit.updatedAt,
                    matchedIn: hit.matchedIn,
                    preview: hit.preview,
                    matchingComment: hit.matchingComment.map(BoardCommentResponse.init),
                    // JSON has no infinity: an exact id match is reported with the lowest finite rank.
                    rank: hit.rank.isFinite ? hit.rank : -Double.greatestFiniteMagnitude
                )
            },
            total: result.total,
            truncated: result.truncated
        )
    }
}

extension BoardImportResult {
    init(_ summary: BoardImportSummary) {
        self.init(
            tasks: summary.tasks,
            epics: summary.epics,
            comments: summary.comments,
            dependencies: summary.dependencies,
            activity: summary.activity
        )
    }
}

// MARK: - Requests → domain

extension TaskDraft {
    init(_ request: CreateBoardTaskRequest) {
        self.init(
            title: request.title,
            assignedTo: request.assignedTo,
            details: request.details ?? "",
            status: request.status ?? .backlog,
            priority: request.priority ?? .p2,
            effort: request.effort ?? .m,
            github: GitHubLink(url: request.githubUrl, number: request.githubNumber, title: request.githubTitle),
            epic: request.epicId,
            dependsOn: request.dependsOnTaskIds ?? []
        )
    }
}

extension TaskPatch {
    init(_ request: UpdateBoardTaskRequest) {
        self.init(
            title: request.title,
            details: request.details,
            status: request.status,
            priority: request.priority,
            effort: request.effort,
            assignedTo: request.assignedTo,
            epic: request.epicId,
            dependsOn: request.dependsOnTaskIds,
            githubURL: request.githubUrl,
            githubNumber: request.githubNumber,
            githubTitle: request.githubTitle,
            branch: request.branch
        )
    }
}

extension EpicDraft {
    init(_ request: CreateBoardEpicRequest) {
        self.init(
            title: request.title,
            assignedTo: request.assignedTo,
            details: request.details ?? "",
            status: request.status ?? .backlog,
            priority: request.priority ?? .p2,
            effort: request.effort ?? .m,
            github: GitHubLink(url: request.githubUrl, number: request.githubNumber, title: request.githubTitle)
        )
    }
}

extension EpicPatch {
    init(_ request: UpdateBoardEpicRequest) {
        self.init(
            title: request.title,
            details: request.details,
            status: request.status,
            priority: request.priority,
            effort: request.effort,
            assignedTo: request.assignedTo,
            githubURL: request.githubUrl,
            githubNumber: request.githubNumber,
            githubTitle: request.githubTitle
        )
    }
}

extension BoardFilter {
    init(_ query: BoardListQuery) {
        self.init(
            status: query.status,
            assignedTo: query.assignedTo,
            createdBy: query.createdBy,
            priority: query.priority,
            epic: query.epicId,
            includeArchived: query.includeArchived ?? false,
            limit: query.limit ?? BoardLimits.defaultListLimit
        )
    }
}

extension BoardSearchQuery {
    init(_ parameters: BoardSearchQueryParameters) {
        self.init(
            parameters.query,
            status: parameters.status,
            assignee: parameters.assignedTo,
            includeArchived: parameters.includeArchived ?? false,
            limit: parameters.limit ?? BoardLimits.defaultSearchLimit
        )
    }
}

// MARK: - Export ↔ snapshot

extension BoardExport {
    init(_ snapshot: BoardSnapshot) {
        let names: [BoardItemKind: [Int64: String]] = [
            .task: Dictionary(uniqueKeysWithValues: snapshot.tasks.map { ($0.id, $0.displayID) }),
            .epic: Dictionary(uniqueKeysWithValues: snapshot.epics.map { ($0.id, $0.displayID) }),
        ]
        self.init(
            version: snapshot.version,
            taskPrefix: snapshot.taskPrefix,
            epicPrefix: snapshot.epicPrefix,
            taskSequence: snapshot.taskSequence,
            epicSequence: snapshot.epicSequence,
            tasks: snapshot.tasks.map(BoardTaskResponse.init),
            epics: snapshot.epics.map(BoardEpicResponse.init),
            comments: snapshot.comments.map(BoardCommentResponse.init),
            dependencies: snapshot.dependencies.map { dependency in
                BoardDependencyResponse(
                    taskId: names[.task]?[dependency.taskID] ?? String(dependency.taskID),
                    dependsOnTaskId: names[.task]?[dependency.dependsOnTaskID] ?? String(dependency.dependsOnTaskID),
                    createdBy: dependency.createdBy,
                    createdAt: dependency.createdAt
                )
            },
            activity: snapshot.activity.map(BoardActivityResponse.init)
        )
    }

    /// The snapshot to import. Display-id references are resolved within the export itself.
    /// - Throws: `invalid_argument` for a reference to an item the export does not hold.
    func snapshot() throws -> BoardSnapshot {
        let taskIDs = Dictionary(self.tasks.map { ($0.displayId.uppercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
        let epicIDs = Dictionary(self.epics.map { ($0.displayId.uppercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
        func id(_ kind: BoardItemKindValue, _ displayID: String) throws -> Int64 {
            guard let id = (kind == .task ? taskIDs : epicIDs)[displayID.uppercased()] else {
                throw DomainError.invalidArgument("the board export names \(kind.rawValue) \(displayID), which it does not hold")
            }
            return id
        }
        return BoardSnapshot(
            version: self.version,
            taskPrefix: self.taskPrefix,
            epicPrefix: self.epicPrefix,
            taskSequence: self.taskSequence,
            epicSequence: self.epicSequence,
            tasks: try self.tasks.map { task in
                BoardTask(
                    id: task.id,
                    displayID: task.displayId,
                    sequence: task.sequence,
                    title: task.title,
                    details: task.details,
                    status: task.status,
                    priority: task.priority,
                    effort: task.effort,
                    assignee: task.assignee,
                    assigneeAgentID: nil,
                    creator: task.creator,
                    creatorAgentID: nil,
                    github: GitHubLink(url: task.githubUrl, number: task.githubNumber, title: task.githubTitle),
                    epicID: try task.epicId.map { try id(.epic, $0) },
                    epicDisplayID: task.epicId,
                    dependsOn: task.dependsOnTaskIds,
                    createdAt: task.createdAt,
                    updatedAt: task.updatedAt,
                    completedAt: task.completedAt,
                    archivedAt: task.archivedAt,
                    archivedBy: task.archivedBy
                )
            },
            epics: self.epics.map { epic in
                BoardEpic(
                    id: epic.id,
                    displayID: epic.displayId,
                    sequence: epic.sequence,
                    title: epic.title,
                    details: epic.details,
                    status: epic.status,
                    priority: epic.priority,
                    effort: epic.effort,
                    assignee: epic.assignee,
                    assigneeAgentID: nil,
                    creator: epic.creator,
                    creatorAgentID: nil,
                    github: GitHubLink(url: epic.githubUrl, number: epic.githubNumber, title: epic.githubTitle),
                    closeApproval: EpicCloseApproval(
                        status: epic.closeApproval.status,
                        requestedAt: epic.closeApproval.requestedAt,
                        requestedBy: epic.closeApproval.requestedBy,
                        approvedAt: epic.closeApproval.approvedAt,
                        approvedBy: epic.closeApproval.approvedBy
                    ),
                    createdAt: epic.createdAt,
                    updatedAt: epic.updatedAt,
                    completedAt: epic.completedAt,
                    archivedAt: epic.archivedAt,
                    archivedBy: epic.archivedBy
                )
            },
            comments: try self.comments.map { comment in
                BoardComment(
                    id: comment.id,
                    itemKind: comment.itemKind,
                    itemID: try id(comment.itemKind, comment.itemId),
                    itemDisplayID: comment.itemId,
                    author: comment.author,
                    authorAgentID: nil,
                    type: comment.type,
                    body: comment.body,
                    createdAt: comment.createdAt
                )
            },
            dependencies: try self.dependencies.map { dependency in
                BoardDependency(
                    taskID: try id(.task, dependency.taskId),
                    dependsOnTaskID: try id(.task, dependency.dependsOnTaskId),
                    createdBy: dependency.createdBy,
                    createdAt: dependency.createdAt
                )
            },
            activity: try self.activity.map { entry in
                guard let action = BoardActivity.Action(rawValue: entry.action) else {
                    throw DomainError.invalidArgument("the board export has an unknown activity action '\(entry.action)'")
                }
                return BoardActivity(
                    id: entry.id,
                    itemKind: entry.itemKind,
                    itemID: try id(entry.itemKind, entry.itemId),
                    itemDisplayID: entry.itemId,
                    actor: entry.actor,
                    actorAgentID: nil,
                    action: action,
                    field: entry.field,
                    before: entry.before,
                    after: entry.after,
                    createdAt: entry.createdAt
                )
            }
        )
    }
}
