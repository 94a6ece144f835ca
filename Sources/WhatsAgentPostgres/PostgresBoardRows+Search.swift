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
        // An exact display-id query ranks that item first.
        let exactID = try exact.flatMap { exact in
            var lookup = PostgresQueryBuilder("SELECT item.id FROM \(table) AS item WHERE item.workspace_id =")
            lookup.bind(self.workspace)
            lookup.add(" AND lower(item.display_id) = lower(")
            lookup.bind(exact)
            lookup.add(")")
            Self.searchFilters(query, &lookup)
            return try self.queries.values(Int64.self, lookup.query).first
        }
        let (top, total) = try BoardSearchHits.placingExact(exactID, in: ranked.top, total: ranked.total, limit: query.limit) { id in
            try self.queries.values(
                Bool.self,
                """
                SELECT EXISTS (SELECT 1 FROM \(unescaped: table) WHERE workspace_id = \(self.workspace) AND id = \(id)
                        AND search @@ \(tsquery)::tsquery)
                    OR EXISTS (SELECT 1 FROM board_comment WHERE workspace_id = \(self.workspace) AND item_kind = \(kind.rawValue)
                        AND item_id = \(id) AND search @@ \(tsquery)::tsquery)
                """
            ).first == true
        }
        guard !top.isEmpty else { return BoardSearchResult(hits: [], total: 0, truncated: false) }
        let items = try self.searchItems(table: table, ids: top.map(\.id))
        let comments = try self.searchComments(top.compactMap(\.commentID), items: items)
        let hits: [BoardSearchHit] = top.compactMap { ranked in
            guard let item = items[ranked.id] else { return nil }
            let comment = ranked.commentID.flatMap { comments[$0] }
            let marked = BoardSearchHits.Marked(
                displayID: BoardSearchText.marked(item.displayID, words: words),
                title: BoardSearchText.marked(item.title, words: words),
                details: BoardSearchText.marked(item.details, words: words),
                comment: comment.map { BoardSearchText.marked($0.body, words: words) ?? $0.body }
            )
            return BoardSearchHits.hit(kind, item, rank: ranked.rank, exact: ranked.id == exactID, marked: marked, comment: comment)
        }
        return BoardSearchResult(hits: hits, total: total, truncated: total > query.limit)
    }

    /// The best `query.limit` hits (highest score first, then id; ranked by minus the score), each with its best
    /// comment hit, and how many items match in all.
    func rank(_ kind: BoardItemKind, table: String, tsquery: String, query: BoardSearchQuery) throws -> (top: [BoardSearchHits.Ranked], total: Int) {
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
        return (rows.map { BoardSearchHits.Ranked(id: $0.id, rank: -$0.score, commentID: $0.commentID) }, rows.first?.total ?? 0)
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

    func searchItems(table: String, ids: [Int64]) throws -> [Int64: BoardSearchHits.Row] {
        let rows = try self.queries.rows(
            """
            SELECT id, display_id, title, details, status, priority, assignee_address, archived_at, created_at, updated_at
            FROM \(unescaped: table) WHERE workspace_id = \(self.workspace) AND id = ANY(\(ids))
            """
        ) { row in
            BoardSearchHits.Row(
                id: try row.value("id"),
                displayID: try row.value("display_id"),
                title: try row.value("title"),
                details: try row.value("details"),
                status: try row.value("status"),
                priority: try row.value("priority"),
                assignee: try row.value("assignee_address"),
                isArchived: try row.value("archived_at", as: Date?.self) != nil,
                createdAt: try row.value("created_at"),
                updatedAt: try row.value("updated_at")
            )
        }
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The comments of `ids`, each named by its item's display id.
    func searchComments(_ ids: [Int64], items: [Int64: BoardSearchHits.Row]) throws -> [Int64: BoardComment] {
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
}
