import Foundation
import GRDB
import WhatsAgentAPI
import WhatsAgentCore

extension SQLiteBoardRows {
    /// Full-text search of tasks or epics (reference §13.5): field hits (display id and title weighted above details)
    /// merged with comment hits (weighted below details), an exact display-id query first, then the filters.
    func search(_ kind: BoardItemKind, pattern: String, exact: String?, query: BoardSearchQuery) throws -> BoardSearchResult {
        let table = kind == .task ? "boardTask" : "boardEpic"
        let fts = kind == .task ? "boardTaskSearch" : "boardEpicSearch"
        var filters = ["1"]
        var filterArguments: [(any DatabaseValueConvertible)?] = []
        if !query.includeArchived { filters.append("item.archivedAt IS NULL") }
        if let status = query.status {
            filters.append("item.status = ?")
            filterArguments.append(status.rawValue)
        }
        if let assignee = query.assignee, BoardUnassigned.matches(assignee) {
            filters.append("item.assigneeAddress IS NULL")
        } else if let assignee = query.assignee {
            filters.append("item.assigneeAddress = ? COLLATE NOCASE")
            filterArguments.append(assignee.trimmingCharacters(in: .whitespaces))
        }
        let filter = filters.joined(separator: " AND ")

        let ranking =
            query.status == nil && query.assignee == nil
            ? try self.rankIndexFirst(kind, table: table, fts: fts, pattern: pattern, query: query, filter: filter)
            : nil
        let ranked = try ranking ?? self.rankJoined(kind, table: table, fts: fts, pattern: pattern, query: query, filter: filter, filterArguments)
        // An exact display-id query ranks that item first.
        let exactID =
            try exact.flatMap { exact in
                try Int64.fetchOne(
                    self.db,
                    sql: "SELECT item.id FROM \(table) AS item WHERE item.displayId = ? COLLATE NOCASE AND \(filter)",
                    arguments: StatementArguments([exact] + filterArguments)
                )
            }
        let (top, total) = try BoardSearchHits.placingExact(
            exactID,
            in: ranked.top.map { BoardSearchHits.Ranked(id: $0.id, rank: $0.score, commentID: $0.commentID) },
            total: ranked.total,
            limit: query.limit
        ) { id in
            try Bool.fetchOne(
                self.db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM \(fts) WHERE \(fts) MATCH ? AND rowid = ?)
                        OR EXISTS (SELECT 1 FROM boardCommentSearch JOIN boardComment AS comment ON comment.id = boardCommentSearch.rowid
                                   WHERE boardCommentSearch MATCH ? AND comment.itemKind = ? AND comment.itemId = ?)
                    """,
                arguments: [pattern, id, pattern, kind.rawValue, id]
            ) == true
        }

        guard !top.isEmpty else { return BoardSearchResult(hits: [], total: 0, truncated: false) }
        let ids = top.map(\.id)
        let placeholders = ids.map { _ in "?" }.joined(separator: ",")
        var highlights: [Int64: [String]] = [:]
        let marked = try Row.fetchAll(
            self.db,
            sql: """
                SELECT rowid AS id, highlight(\(fts), 0, char(2), char(3)) AS h0, highlight(\(fts), 1, char(2), char(3)) AS h1,
                       highlight(\(fts), 2, char(2), char(3)) AS h2
                FROM \(fts) WHERE \(fts) MATCH ? AND rowid IN (\(placeholders))
                """,
            arguments: StatementArguments([pattern] + ids)
        )
        for row in marked { highlights[row["id"]] = [row["h0"], row["h1"], row["h2"]] }
        var commentHighlights: [Int64: String] = [:]
        let commentIDs = top.compactMap(\.commentID)
        if !commentIDs.isEmpty {
            let rows = try Row.fetchAll(
                self.db,
                sql: """
                    SELECT rowid AS id, highlight(boardCommentSearch, 0, char(2), char(3)) AS h FROM boardCommentSearch
                    WHERE boardCommentSearch MATCH ? AND rowid IN (\(commentIDs.map { _ in "?" }.joined(separator: ",")))
                    """,
                arguments: StatementArguments([pattern] + commentIDs)
            )
            for row in rows { commentHighlights[row["id"]] = row["h"] }
        }

        let rows = try Row.fetchAll(self.db, sql: "SELECT * FROM \(table) WHERE id IN (\(placeholders))", arguments: StatementArguments(ids))
        var items: [Int64: BoardSearchHits.Row] = [:]
        for row in rows {
            let item = Self.searchRow(row)
            items[item.id] = item
        }
        var hits: [BoardSearchHit] = []
        for ranked in top {
            guard let item = items[ranked.id] else { continue }
            let marks = (highlights[ranked.id] ?? []).map { $0.contains("\u{2}") ? $0 : nil }
            let comment = try ranked.commentID.flatMap { try BoardCommentRecord.fetchOne(self.db, key: $0) }?.domain(displayID: item.displayID)
            let fields = BoardSearchHits.Marked(
                displayID: marks.first ?? nil,
                title: marks.count > 1 ? marks[1] : nil,
                details: marks.count > 2 ? marks[2] : nil,
                comment: ranked.commentID.flatMap { commentHighlights[$0] }
            )
            hits.append(BoardSearchHits.hit(kind, item, rank: ranked.rank, exact: ranked.id == exactID, marked: fields, comment: comment))
        }
        return BoardSearchResult(hits: hits, total: total, truncated: total > query.limit)
    }

    /// The best `query.limit` hits (lowest score first, then id) and how many items match in all.
    struct Ranking {
        var top: [(id: Int64, score: Double, commentID: Int64?)]
        var total: Int
    }

    /// Archived rows beyond which the index-first ranking gives way to the joined one.
    static let indexFirstArchivedLimit = 1_000

    /// Ranking with every filter joined in. Scores are bm25 (lower is better). Field hits: displayId ×10, title ×5,
    /// details ×1; the best comment of an item adds half its score. Ranking, the cut to the limit and the total
    /// happen inside SQLite. CROSS JOIN keeps the full-text index driving each join: left to itself the planner scans
    /// every comment of the kind and probes the index per row (150 ms on 100,000 tasks instead of 1 ms).
    func rankJoined(
        _ kind: BoardItemKind,
        table: String,
        fts: String,
        pattern: String,
        query: BoardSearchQuery,
        filter: String,
        _ filterArguments: [(any DatabaseValueConvertible)?]
    ) throws -> Ranking {
        let rows = try Row.fetchAll(
            self.db,
            sql: """
                WITH fieldHits AS MATERIALIZED (
                    SELECT item.id AS id, bm25(\(fts), 10.0, 5.0, 1.0) AS score
                    FROM \(fts) CROSS JOIN \(table) AS item ON item.id = \(fts).rowid
                    WHERE \(fts) MATCH ? AND \(filter)
                ),
                commentHits AS MATERIALIZED (
                    SELECT comment.itemId AS id, comment.id AS commentId, bm25(boardCommentSearch) AS score
                    FROM boardCommentSearch
                    CROSS JOIN boardComment AS comment ON comment.id = boardCommentSearch.rowid
                    CROSS JOIN \(table) AS item ON item.id = comment.itemId
                    WHERE boardCommentSearch MATCH ? AND comment.itemKind = ? AND \(filter)
                ),
                hits AS (
                    SELECT id, score AS fieldScore, NULL AS commentScore, NULL AS commentId FROM fieldHits
                    UNION ALL
                    SELECT id, NULL, MIN(score) / 2, commentId FROM commentHits GROUP BY id
                )
                SELECT id, total(fieldScore) + total(commentScore) AS score, max(commentId) AS commentId, count(*) OVER () AS total
                FROM hits GROUP BY id ORDER BY score, id LIMIT ?
                """,
            arguments: StatementArguments([pattern] + filterArguments + [pattern, kind.rawValue] + filterArguments + [query.limit])
        )
        return Ranking(top: rows.map { ($0["id"], $0["score"], $0["commentId"]) }, total: rows.first.map { $0["total"] } ?? 0)
    }

    /// The same ranking as ``rankJoined`` without touching a row per match, for searches whose only filter is
    /// "not archived" with few archived rows: a common word on a large board matches tens of thousands of items, and
    /// joining each to its row costs more than the search. The index alone gives the best `limit + archived` field
    /// hits and the count; comment hits (few) and archived rows (few) are settled exactly. nil when it does not apply.
    func rankIndexFirst(
        _ kind: BoardItemKind,
        table: String,
        fts: String,
        pattern: String,
        query: BoardSearchQuery,
        filter: String
    ) throws -> Ranking? {
        var archived: Set<Int64> = []
        if !query.includeArchived {
            let ids = try Int64.fetchAll(
                self.db,
                sql: "SELECT id FROM \(table) WHERE archivedAt IS NOT NULL LIMIT ?",
                arguments: [Self.indexFirstArchivedLimit + 1]
            )
            guard ids.count <= Self.indexFirstArchivedLimit else { return nil }
            archived = Set(ids)
        }
        func list(_ ids: some Collection<Int64>) -> String { ids.map(String.init).joined(separator: ",") }

        // Comment hits with their item's best comment, filters applied by a join (comments are few).
        let comments = try Row.fetchAll(
            self.db,
            sql: """
                WITH commentHits AS MATERIALIZED (
                    SELECT comment.itemId AS id, comment.id AS commentId, bm25(boardCommentSearch) AS score
                    FROM boardCommentSearch
                    CROSS JOIN boardComment AS comment ON comment.id = boardCommentSearch.rowid
                    CROSS JOIN \(table) AS item ON item.id = comment.itemId
                    WHERE boardCommentSearch MATCH ? AND comment.itemKind = ? AND \(filter)
                )
                SELECT id, commentId, MIN(score) / 2 AS score FROM commentHits GROUP BY id
                """,
            arguments: [pattern, kind.rawValue]
        )
        var commentScore: [Int64: (id: Int64, score: Double)] = [:]
        for row in comments { commentScore[row["id"]] = (row["commentId"], row["score"]) }

        // The best field hits straight from the index: enough to survive dropping every archived row.
        var fieldScore: [Int64: Double] = [:]
        let best = try Row.fetchAll(
            self.db,
            sql: "SELECT rowid AS id, bm25(\(fts), 10.0, 5.0, 1.0) AS score FROM \(fts) WHERE \(fts) MATCH ? ORDER BY score, rowid LIMIT ?",
            arguments: [pattern, query.limit + archived.count]
        )
        for row in best { fieldScore[row["id"]] = row["score"] }
        // Field scores of commented items outside that page (bm25 uses corpus-wide statistics, so it is the same).
        let missing = commentScore.keys.filter { fieldScore[$0] == nil }
        if !missing.isEmpty {
            for row in try Row.fetchAll(
                self.db,
                sql: "SELECT rowid AS id, bm25(\(fts), 10.0, 5.0, 1.0) AS score FROM \(fts) WHERE \(fts) MATCH ? AND rowid IN (\(list(missing)))",
                arguments: [pattern]
            ) {
                fieldScore[row["id"]] = row["score"]
            }
        }

        var fieldMatches = try Int.fetchOne(self.db, sql: "SELECT count(*) FROM \(fts) WHERE \(fts) MATCH ?", arguments: [pattern]) ?? 0
        if !archived.isEmpty {
            fieldMatches -=
                try Int.fetchOne(
                    self.db,
                    sql: "SELECT count(*) FROM \(fts) WHERE \(fts) MATCH ? AND rowid IN (\(list(archived)))",
                    arguments: [pattern]
                ) ?? 0
        }
        var scores: [(id: Int64, score: Double, commentID: Int64?)] = []
        for (id, score) in fieldScore where !archived.contains(id) && commentScore[id] == nil { scores.append((id, score, nil)) }
        for (id, comment) in commentScore { scores.append((id, (fieldScore[id] ?? 0) + comment.score, comment.id)) }
        scores.sort { $0.score == $1.score ? $0.id < $1.id : $0.score < $1.score }
        let commentOnly = commentScore.keys.filter { fieldScore[$0] == nil }.count
        return Ranking(top: Array(scores.prefix(query.limit)), total: fieldMatches + commentOnly)
    }

    /// The columns of a hit's row a search result shows.
    static func searchRow(_ row: Row) -> BoardSearchHits.Row {
        BoardSearchHits.Row(
            id: row["id"],
            displayID: row["displayId"],
            title: row["title"],
            details: row["details"],
            status: row["status"],
            priority: row["priority"],
            assignee: row["assigneeAddress"],
            isArchived: (row["archivedAt"] as Date?) != nil,
            createdAt: row["createdAt"],
            updatedAt: row["updatedAt"]
        )
    }
}
