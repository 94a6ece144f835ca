import Foundation
import PostgresNIO
import WhatsAgentAPI
import WhatsAgentCore

extension PostgresBoardRows {
    /// Full-text search of tasks or epics (docs/board.md, "Search"), over the words ``PostgresBoardSearch`` indexed:
    /// field hits ranked by `ts_rank` (display id above title above details) merged with each item's best comment hit
    /// at half weight, an exact display-id query first, then the filters. `rank` is minus that score (lower is better,
    /// as on SQLite; the numbers of the two stores are not comparable). `pattern` (FTS5's form) is not used: the words
    /// come from the query's text.
    func search(_ kind: BoardItemKind, pattern: String, exact: String?, query: BoardSearchQuery) throws -> BoardSearchResult {
        let words = BoardSearchText.queryWords(query.text)
        guard let tsquery = PostgresBoardSearch.query(words) else { return BoardSearchResult(hits: [], total: 0, truncated: false) }
        let table = kind == .task ? "board_task" : "board_epic"
        let ranked = try self.rank(kind, table: table, tsquery: tsquery, query: query)
        var top = ranked.top.map { (id: $0.id, score: $0.score) }
        var bestComment: [Int64: Int64] = [:]
        for hit in ranked.top {
            if let commentID = hit.commentID { bestComment[hit.id] = commentID }
        }
        var total = ranked.total
        // An exact display-id query ranks that item first.
        var exactID: Int64?
        if let exact {
            var lookup = PostgresQueryBuilder("SELECT item.id FROM \(table) AS item WHERE item.workspace_id = ")
            lookup.bind(self.workspace)
            lookup.add(" AND lower(item.display_id) = lower(")
            lookup.bind(exact)
            lookup.add(")")
            Self.searchFilters(query, &lookup)
            if let id = try self.queries.values(Int64.self, lookup.query).first {
                exactID = id
                if let index = top.firstIndex(where: { $0.id == id }) {
                    top.remove(at: index)
                } else {
                    let matched = try self.queries.values(
                        Bool.self,
                        """
                        SELECT EXISTS (SELECT 1 FROM \(unescaped: table) WHERE workspace_id = \(self.workspace) AND id = \(id)
                                AND search @@ \(tsquery)::tsquery)
                            OR EXISTS (SELECT 1 FROM board_comment WHERE workspace_id = \(self.workspace) AND item_kind = \(kind.rawValue)
                                AND item_id = \(id) AND search @@ \(tsquery)::tsquery)
                        """
                    )
                    if matched.first != true { total += 1 }
                    if top.count == query.limit { top.removeLast() }
                }
                top.insert((id, Double.greatestFiniteMagnitude), at: 0)
            }
        }
        guard !top.isEmpty else { return BoardSearchResult(hits: [], total: 0, truncated: false) }
        let items = try self.searchItems(table: table, ids: top.map(\.id))
        let comments = try self.searchComments(Array(bestComment.values), items: items)
        let hits: [BoardSearchHit] = top.compactMap { id, score in
            guard let item = items[id] else { return nil }
            let comment = bestComment[id].flatMap { comments[$0] }
            return Self.hit(kind, item, score: score, exact: id == exactID, comment: comment, words: words)
        }
        return BoardSearchResult(hits: hits, total: total, truncated: total > query.limit)
    }

    /// The best `query.limit` hits (highest score first, then id), each with its best comment hit, and how many items
    /// match in all.
    func rank(
        _ kind: BoardItemKind,
        table: String,
        tsquery: String,
        query: BoardSearchQuery
    ) throws
        -> (top: [(id: Int64, score: Double, commentID: Int64?)], total: Int)
    {
        var ranking = PostgresQueryBuilder("WITH q AS (SELECT ")
        ranking.bind(tsquery)
        ranking.add(
            """
            ::tsquery AS query),
            field_hits AS (
                SELECT item.id, ts_rank('\(PostgresBoardSearch.weights)', item.search, q.query) AS score
                FROM \(table) AS item, q WHERE item.workspace_id =
            """
        )
        ranking.bind(self.workspace)
        ranking.add(" AND item.search @@ q.query")
        Self.searchFilters(query, &ranking)
        ranking.add(
            """
            ),
            comment_hits AS (
                SELECT DISTINCT ON (comment.item_id) comment.item_id AS id, comment.id AS comment_id,
                    ts_rank('\(PostgresBoardSearch.weights)', comment.search, q.query) / 2 AS score
                FROM board_comment AS comment
                JOIN \(table) AS item ON item.workspace_id = comment.workspace_id AND item.id = comment.item_id, q
                WHERE comment.workspace_id =
            """
        )
        ranking.bind(self.workspace)
        ranking.add(" AND comment.item_kind = ")
        ranking.bind(kind.rawValue)
        ranking.add(" AND comment.search @@ q.query")
        Self.searchFilters(query, &ranking)
        ranking.add(
            """
                ORDER BY comment.item_id, score DESC, comment.id
            ),
            hits AS (
                SELECT COALESCE(field.id, comment.id) AS id, COALESCE(field.score, 0) + COALESCE(comment.score, 0) AS score,
                    comment.comment_id
                FROM field_hits AS field FULL JOIN comment_hits AS comment ON comment.id = field.id
            )
            SELECT id, score::float8 AS score, comment_id, count(*) OVER () AS total FROM hits ORDER BY score DESC, id LIMIT
            """
        )
        ranking.bind(query.limit)
        let rows = try self.queries.rows(ranking.query) { row in
            (
                id: try row.value("id", as: Int64.self), score: try row.value("score", as: Double.self),
                commentID: try row.value("comment_id", as: Int64?.self), total: try row.value("total", as: Int.self)
            )
        }
        return (rows.map { ($0.id, $0.score, $0.commentID) }, rows.first?.total ?? 0)
    }

    /// The filters of a search, each after ` AND `, on the item's row (`item`).
    static func searchFilters(_ query: BoardSearchQuery, _ builder: inout PostgresQueryBuilder) {
        if !query.includeArchived { builder.add(" AND item.archived_at IS NULL") }
        if let status = query.status {
            builder.add(" AND item.status = ")
            builder.bind(status.rawValue)
        }
        if let assignee = query.assignee, BoardUnassigned.matches(assignee) {
            builder.add(" AND item.assignee_address IS NULL")
        } else if let assignee = query.assignee {
            builder.add(" AND lower(item.assignee_address) = lower(")
            builder.bind(assignee.trimmingCharacters(in: .whitespaces))
            builder.add(")")
        }
    }

    /// The columns of a hit's row a search result shows.
    struct SearchItem: Sendable {
        var id: Int64
        var displayID: String
        var title: String
        var details: String
        var status: String
        var priority: String
        var assignee: String?
        var archived: Bool
        var created: Date
        var updated: Date
    }

    func searchItems(table: String, ids: [Int64]) throws -> [Int64: SearchItem] {
        let rows = try self.queries.rows(
            """
            SELECT id, display_id, title, details, status, priority, assignee_address, archived_at, created_at, updated_at
            FROM \(unescaped: table) WHERE workspace_id = \(self.workspace) AND id = ANY(\(ids))
            """
        ) { row in
            SearchItem(
                id: try row.value("id"),
                displayID: try row.value("display_id"),
                title: try row.value("title"),
                details: try row.value("details"),
                status: try row.value("status"),
                priority: try row.value("priority"),
                assignee: try row.value("assignee_address"),
                archived: try row.value("archived_at", as: Date?.self) != nil,
                created: try row.value("created_at"),
                updated: try row.value("updated_at")
            )
        }
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The comments of `ids`, each named by its item's display id.
    func searchComments(_ ids: [Int64], items: [Int64: SearchItem]) throws -> [Int64: BoardComment] {
        guard !ids.isEmpty else { return [:] }
        let comments = try self.queries.rows(
            """
            SELECT \(unescaped: PostgresBoardRecords.commentColumns) FROM board_comment
            WHERE workspace_id = \(self.workspace) AND id = ANY(\(ids))
            """
        ) { row in try PostgresBoardRecords.comment(row, displayID: "") }
        return Dictionary(
            comments.map { comment in
                var comment = comment
                comment.itemDisplayID = items[comment.itemID]?.displayID ?? ""
                return (comment.id, comment)
            },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// A hit: where the words matched (found again in the row's fields, as they were indexed) and its preview.
    static func hit(
        _ kind: BoardItemKind,
        _ item: SearchItem,
        score: Double,
        exact: Bool,
        comment: BoardComment?,
        words: [String]
    )
        -> BoardSearchHit
    {
        let title = BoardSearchText.marked(item.title, words: words)
        let details = BoardSearchText.marked(item.details, words: words)
        var matchedIn: [String] = []
        if exact || BoardSearchText.firstMatch(of: words, in: item.displayID) != nil { matchedIn.append("display_id") }
        if title != nil { matchedIn.append("title") }
        if details != nil { matchedIn.append("details") }
        if comment != nil { matchedIn.append("comments") }
        let preview =
            details ?? comment.map { BoardSearchText.marked($0.body, words: words) ?? $0.body } ?? title
            ?? (item.details.isEmpty ? item.title : item.details)
        return BoardSearchHit(
            kind: kind,
            id: item.id,
            displayID: item.displayID,
            title: item.title,
            status: BoardStatus(rawValue: item.status) ?? .backlog,
            priority: BoardPriority(rawValue: item.priority) ?? .p2,
            assignee: item.assignee,
            isArchived: item.archived,
            createdAt: item.created,
            updatedAt: item.updated,
            matchedIn: matchedIn,
            preview: BoardSearchText.preview(preview),
            matchingComment: comment,
            rank: -score
        )
    }
}
