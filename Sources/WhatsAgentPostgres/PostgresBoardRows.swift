import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

/// The board's rows in one PostgreSQL transaction (``BoardRows``), read and written from the thread the board's rules
/// run on (``PostgresBlockingQueries``). Every statement names the workspace.
///
/// Row ids are the workspace's own, as in a workspace's SQLite file: a new row takes the workspace's highest id plus
/// one, which is safe because every board change holds the workspace's lock (``PostgresWorkspaceStore/write(locked:_:)``),
/// and lets an import keep the ids of its export without meeting another workspace's rows.
/// It is an RBAC check's rows too: a board change checks its caller inside its transaction.
final class PostgresBoardRows: BoardRows {
    let store: PostgresWorkspaceStore
    let queries: PostgresBlockingQueries

    init(_ store: PostgresWorkspaceStore, _ queries: PostgresBlockingQueries) {
        (self.store, self.queries) = (store, queries)
    }

    /// The `workspace_id` of every row.
    var workspace: String { self.store.id }

    // MARK: - RBAC (CheckRows)

    func effectiveGrants(of agent: AgentID) throws -> EffectiveGrants {
        let workspace = self.workspace
        return try self.queries.wait { connection, logger in
            try await PostgresCheckRows.load(workspace: workspace, agent: agent, on: connection, logger: logger).effectiveGrants(of: agent)
        }
    }

    func roles() throws -> [RoleDefinition] {
        let workspace = self.workspace
        return try self.queries.wait { connection, logger in try await PostgresRoles.all(workspace: workspace, on: connection, logger: logger) }
    }

    func appendAudit(_ entry: AuditEntry) throws {
        let workspace = self.workspace
        try self.queries.wait { connection, logger in
            _ = try await PostgresAudit.append(entry, workspace: workspace, on: connection, logger: logger)
        }
    }

    // MARK: - Agents

    func isMuted(_ agent: AgentID) throws -> Bool {
        let store = self.store
        return try self.queries.wait { connection, _ in try await store.isMuted(agent, on: connection) }
    }

    func agent(_ address: AgentAddress) throws -> Agent {
        let store = self.store
        return try self.queries.wait { connection, _ in try await store.agent(at: address, on: connection) }
    }

    func agents() throws -> [Agent] {
        let store = self.store
        return try self.queries.wait { connection, _ in try await store.agents(on: connection) }
    }

    // MARK: - Items

    func task(id: Int64) throws -> BoardTaskRecord? {
        try self.tasks(where: {
            $0.add("id = ")
            $0.bind(id)
        }).first
    }

    func task(displayID: String) throws -> BoardTaskRecord? {
        try self.tasks(where: {
            $0.add("lower(display_id) = lower(")
            $0.bind(displayID)
            $0.add(")")
        }).first
    }

    func epic(id: Int64) throws -> BoardEpicRecord? {
        try self.epics(where: {
            $0.add("id = ")
            $0.bind(id)
        }).first
    }

    func epic(displayID: String) throws -> BoardEpicRecord? {
        try self.epics(where: {
            $0.add("lower(display_id) = lower(")
            $0.bind(displayID)
            $0.add(")")
        }).first
    }

    func tasks(_ filter: BoardFilter, epic: BoardEpicFilter) throws -> [BoardTaskRecord] {
        try self.tasks(
            where: { query in
                Self.conditions(filter, &query)
                switch epic {
                case .any: break
                case .none: query.add(" AND epic_id IS NULL")
                case .epic(let id):
                    query.add(" AND epic_id = ")
                    query.bind(id)
                }
            },
            limit: filter.limit
        )
    }

    func epics(_ filter: BoardFilter) throws -> [BoardEpicRecord] {
        try self.epics(where: { Self.conditions(filter, &$0) }, limit: filter.limit)
    }

    func tasks(inEpic epicID: Int64) throws -> [BoardTaskRecord] {
        try self.tasks(where: {
            $0.add("epic_id = ")
            $0.bind(epicID)
        })
    }

    /// Tasks matching the condition `where` appends, in sequence order.
    func tasks(where condition: (inout PostgresQueryBuilder) -> Void, limit: Int? = nil) throws -> [BoardTaskRecord] {
        var query = PostgresQueryBuilder("SELECT \(PostgresBoardRecords.taskColumns) FROM board_task WHERE workspace_id = ")
        query.bind(self.workspace)
        query.add(" AND ")
        condition(&query)
        query.add(" ORDER BY sequence")
        if let limit {
            query.add(" LIMIT ")
            query.bind(limit)
        }
        return try self.queries.rows(query.query, PostgresBoardRecords.task)
    }

    func epics(where condition: (inout PostgresQueryBuilder) -> Void, limit: Int? = nil) throws -> [BoardEpicRecord] {
        var query = PostgresQueryBuilder("SELECT \(PostgresBoardRecords.epicColumns) FROM board_epic WHERE workspace_id = ")
        query.bind(self.workspace)
        query.add(" AND ")
        condition(&query)
        query.add(" ORDER BY sequence")
        if let limit {
            query.add(" LIMIT ")
            query.bind(limit)
        }
        return try self.queries.rows(query.query, PostgresBoardRecords.epic)
    }

    /// The conditions shared by task and epic listings (after the workspace's).
    static func conditions(_ filter: BoardFilter, _ query: inout PostgresQueryBuilder) {
        query.add("true")
        if !filter.includeArchived { query.add(" AND archived_at IS NULL") }
        if let status = filter.status {
            query.add(" AND status = ")
            query.bind(status.rawValue)
        }
        if let priority = filter.priority {
            query.add(" AND priority = ")
            query.bind(priority.rawValue)
        }
        if let assignee = filter.assignedTo, BoardUnassigned.matches(assignee) {
            query.add(" AND assignee_address IS NULL")
        } else if let assignee = filter.assignedTo {
            query.add(" AND lower(assignee_address) = lower(")
            query.bind(assignee.trimmingCharacters(in: .whitespaces))
            query.add(")")
        }
        if let creator = filter.createdBy {
            query.add(" AND lower(creator_address) = lower(")
            query.bind(creator.trimmingCharacters(in: .whitespaces))
            query.add(")")
        }
    }

    func insert(_ task: inout BoardTaskRecord) throws {
        let (workspace, record) = (self.workspace, task)
        let search = PostgresBoardSearch.vector(displayID: record.displayId, title: record.title, details: record.details)
        let ids = try self.queries.values(
            Int64.self,
            """
            INSERT INTO board_task (workspace_id, id, display_id, sequence, title, details, status, priority, effort, assignee_agent_id,
                assignee_address, creator_agent_id, creator_address, github_url, github_number, github_title, epic_id, branch, created_at,
                updated_at, completed_at, archived_at, archived_by, search)
            VALUES (\(workspace), COALESCE(\(record.id), (SELECT COALESCE(MAX(id), 0) + 1 FROM board_task WHERE workspace_id = \(workspace))),
                \(record.displayId), \(record.sequence), \(record.title), \(record.details), \(record.status), \(record.priority),
                \(record.effort), \(record.assigneeAgentId), \(record.assigneeAddress), \(record.creatorAgentId), \(record.creatorAddress),
                \(record.githubUrl), \(record.githubNumber), \(record.githubTitle), \(record.epicId), \(record.branch), \(record.createdAt),
                \(record.updatedAt), \(record.completedAt), \(record.archivedAt), \(record.archivedBy), \(search)::tsvector)
            RETURNING id
            """
        )
        guard let id = ids.first else { throw DomainError(.storage, "the task \(record.displayId) was not stored") }
        task.id = id
    }

    func update(_ task: BoardTaskRecord) throws {
        let search = PostgresBoardSearch.vector(displayID: task.displayId, title: task.title, details: task.details)
        try self.queries.execute(
            """
            UPDATE board_task SET display_id = \(task.displayId), sequence = \(task.sequence), title = \(task.title), details = \(task.details),
                status = \(task.status), priority = \(task.priority), effort = \(task.effort), assignee_agent_id = \(task.assigneeAgentId),
                assignee_address = \(task.assigneeAddress), creator_agent_id = \(task.creatorAgentId), creator_address = \(task.creatorAddress),
                github_url = \(task.githubUrl), github_number = \(task.githubNumber), github_title = \(task.githubTitle), epic_id = \(task.epicId),
                branch = \(task.branch), created_at = \(task.createdAt), updated_at = \(task.updatedAt), completed_at = \(task.completedAt),
                archived_at = \(task.archivedAt), archived_by = \(task.archivedBy), search = \(search)::tsvector
            WHERE workspace_id = \(self.workspace) AND id = \(task.id)
            """
        )
    }

    func insert(_ epic: inout BoardEpicRecord) throws {
        let (workspace, record) = (self.workspace, epic)
        let search = PostgresBoardSearch.vector(displayID: record.displayId, title: record.title, details: record.details)
        let ids = try self.queries.values(
            Int64.self,
            """
            INSERT INTO board_epic (workspace_id, id, display_id, sequence, title, details, status, priority, effort, assignee_agent_id,
                assignee_address, creator_agent_id, creator_address, github_url, github_number, github_title, created_at, updated_at,
                completed_at, archived_at, archived_by, close_approval, close_requested_at, close_requested_by, close_requested_by_agent_id,
                close_approved_at, close_approved_by, search)
            VALUES (\(workspace), COALESCE(\(record.id), (SELECT COALESCE(MAX(id), 0) + 1 FROM board_epic WHERE workspace_id = \(workspace))),
                \(record.displayId), \(record.sequence), \(record.title), \(record.details), \(record.status), \(record.priority),
                \(record.effort), \(record.assigneeAgentId), \(record.assigneeAddress ?? ""), \(record.creatorAgentId), \(record.creatorAddress),
                \(record.githubUrl), \(record.githubNumber), \(record.githubTitle), \(record.createdAt), \(record.updatedAt),
                \(record.completedAt), \(record.archivedAt), \(record.archivedBy), \(record.closeApproval), \(record.closeRequestedAt),
                \(record.closeRequestedBy), \(record.closeRequestedByAgentId), \(record.closeApprovedAt), \(record.closeApprovedBy),
                \(search)::tsvector)
            RETURNING id
            """
        )
        guard let id = ids.first else { throw DomainError(.storage, "the epic \(record.displayId) was not stored") }
        epic.id = id
    }

    func update(_ epic: BoardEpicRecord) throws {
        let search = PostgresBoardSearch.vector(displayID: epic.displayId, title: epic.title, details: epic.details)
        try self.queries.execute(
            """
            UPDATE board_epic SET display_id = \(epic.displayId), sequence = \(epic.sequence), title = \(epic.title), details = \(epic.details),
                status = \(epic.status), priority = \(epic.priority), effort = \(epic.effort), assignee_agent_id = \(epic.assigneeAgentId),
                assignee_address = \(epic.assigneeAddress ?? ""), creator_agent_id = \(epic.creatorAgentId),
                creator_address = \(epic.creatorAddress), github_url = \(epic.githubUrl), github_number = \(epic.githubNumber),
                github_title = \(epic.githubTitle), created_at = \(epic.createdAt), updated_at = \(epic.updatedAt),
                completed_at = \(epic.completedAt), archived_at = \(epic.archivedAt), archived_by = \(epic.archivedBy),
                close_approval = \(epic.closeApproval), close_requested_at = \(epic.closeRequestedAt),
                close_requested_by = \(epic.closeRequestedBy), close_requested_by_agent_id = \(epic.closeRequestedByAgentId),
                close_approved_at = \(epic.closeApprovedAt), close_approved_by = \(epic.closeApprovedBy), search = \(search)::tsvector
            WHERE workspace_id = \(self.workspace) AND id = \(epic.id)
            """
        )
    }

    /// The counter row of `kind` (`board_counter`), created at the first use: its row lock, held to the commit, is
    /// what keeps two creates from sharing a sequence, besides the workspace's lock.
    func nextSequence(_ kind: BoardItemKind) throws -> Int {
        let values = try self.queries.values(
            Int.self,
            """
            INSERT INTO board_counter (workspace_id, kind, last) VALUES (\(self.workspace), \(kind.rawValue), 1)
            ON CONFLICT (workspace_id, kind) DO UPDATE SET last = board_counter.last + 1
            RETURNING last
            """
        )
        guard let value = values.first else { throw DomainError(.storage, "the board's \(kind.rawValue) counter was not advanced") }
        return value
    }

    // MARK: - Dependencies

    func dependencyIDs(of taskID: Int64) throws -> [Int64] {
        try self.queries.values(
            Int64.self,
            """
            SELECT depends_on_task_id FROM board_dependency WHERE workspace_id = \(self.workspace) AND task_id = \(taskID)
            ORDER BY depends_on_task_id
            """
        )
    }

    func dependencyTasks(of taskID: Int64, dependents: Bool) throws -> [BoardTaskRecord] {
        let workspace = self.workspace
        return try self.tasks(where: { query in
            query.add(
                dependents
                    ? "id IN (SELECT task_id FROM board_dependency WHERE workspace_id = "
                    : "id IN (SELECT depends_on_task_id FROM board_dependency WHERE workspace_id = "
            )
            query.bind(workspace)
            query.add(dependents ? " AND depends_on_task_id = " : " AND task_id = ")
            query.bind(taskID)
            query.add(")")
        })
    }

    func setDependencies(of taskID: Int64, to ids: [Int64], by actor: String, at date: Date) throws {
        try self.queries.execute("DELETE FROM board_dependency WHERE workspace_id = \(self.workspace) AND task_id = \(taskID)")
        guard !ids.isEmpty else { return }
        try self.queries.execute(
            """
            INSERT INTO board_dependency (workspace_id, task_id, depends_on_task_id, created_by, created_at)
            SELECT \(self.workspace), \(taskID), unnest(\(ids)), \(actor), \(date)
            """
        )
    }

    func dependencyDisplayIDs(of taskIDs: [Int64]) throws -> [Int64: [String]] {
        guard !taskIDs.isEmpty else { return [:] }
        let rows = try self.queries.rows(
            """
            SELECT dependency.task_id, task.display_id FROM board_dependency AS dependency
            JOIN board_task AS task ON task.workspace_id = dependency.workspace_id AND task.id = dependency.depends_on_task_id
            WHERE dependency.workspace_id = \(self.workspace) AND dependency.task_id = ANY(\(taskIDs))
            """
        ) { row in (try row.value("task_id", as: Int64.self), try row.value("display_id", as: String.self)) }
        var dependencies: [Int64: [String]] = [:]
        for (task, displayID) in rows { dependencies[task, default: []].append(displayID) }
        return dependencies
    }

    func displayIDs(_ kind: BoardItemKind, _ ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let table = kind == .task ? "board_task" : "board_epic"
        let rows = try self.queries.rows(
            "SELECT id, display_id FROM \(unescaped: table) WHERE workspace_id = \(self.workspace) AND id = ANY(\(ids))"
        ) { row in (try row.value("id", as: Int64.self), try row.value("display_id", as: String.self)) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Comments and activity

    func insert(_ comment: BoardComment) throws -> BoardComment {
        let workspace = self.workspace
        let ids = try self.queries.values(
            Int64.self,
            """
            INSERT INTO board_comment (workspace_id, id, item_kind, item_id, author_agent_id, author_address, type, body, created_at, search)
            VALUES (\(workspace), (SELECT COALESCE(MAX(id), 0) + 1 FROM board_comment WHERE workspace_id = \(workspace)),
                \(comment.itemKind.rawValue), \(comment.itemID), \(comment.authorAgentID?.rawValue), \(comment.author), \(comment.type.rawValue),
                \(comment.body), \(comment.createdAt), \(PostgresBoardSearch.vector(comment: comment.body))::tsvector)
            RETURNING id
            """
        )
        guard let id = ids.first else { throw DomainError(.storage, "the comment was not stored") }
        var stored = comment
        stored.id = id
        return stored
    }

    func insert(_ activity: BoardActivity) throws {
        let workspace = self.workspace
        try self.queries.execute(
            """
            INSERT INTO board_activity (workspace_id, id, item_kind, item_id, actor_agent_id, actor_address, action, field, before_json,
                after_json, created_at)
            VALUES (\(workspace), (SELECT COALESCE(MAX(id), 0) + 1 FROM board_activity WHERE workspace_id = \(workspace)),
                \(activity.itemKind.rawValue), \(activity.itemID), \(activity.actorAgentID?.rawValue), \(activity.actor),
                \(activity.action.rawValue), \(activity.field), \(activity.before), \(activity.after), \(activity.createdAt))
            """
        )
    }

    func comments(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardComment] {
        try self.queries.rows(
            """
            SELECT \(unescaped: PostgresBoardRecords.commentColumns) FROM board_comment
            WHERE workspace_id = \(self.workspace) AND item_kind = \(kind.rawValue) AND item_id = \(itemID) ORDER BY id
            """
        ) { row in try PostgresBoardRecords.comment(row, displayID: displayID) }
    }

    func activity(_ kind: BoardItemKind, _ itemID: Int64, displayID: String) throws -> [BoardActivity] {
        try self.queries.rows(
            """
            SELECT \(unescaped: PostgresBoardRecords.activityColumns) FROM board_activity
            WHERE workspace_id = \(self.workspace) AND item_kind = \(kind.rawValue) AND item_id = \(itemID) ORDER BY id
            """
        ) { row in try PostgresBoardRecords.activity(row, displayID: displayID) }
    }
}
