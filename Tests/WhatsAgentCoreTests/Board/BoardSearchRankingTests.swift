import Foundation
import GRDB
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// The index-first ranking (used when "not archived" is the only filter) must give exactly what the joined ranking
/// gives: same hits, same order, same best comments, same total — with archived rows and comment-only hits around.
@Suite struct BoardSearchRankingTests {
    static let words = ["deploy", "depot", "cache", "migrate", "migration", "queue", "retry", "audit", "zebra"]

    @Test func indexFirstRankingEqualsTheJoinedRanking() async throws {
        let world = try await BoardWorld.make()
        var seeded = Seeded(seed: 42)
        func text(_ count: Int) -> String {
            (0..<count).map { _ in Self.words[Int(seeded.next() % UInt64(Self.words.count))] }.joined(separator: " ")
        }
        for index in 1...80 {
            try await world.task("\(text(3)) \(index)")
            if index % 3 == 0 {
                _ = try await world.board.update(BoardTask.self, "WA-\(index)", TaskPatch(details: text(12)), by: .human)
            }
            if index % 4 == 0 { _ = try await world.board.comment(BoardTask.self, "WA-\(index)", type: .note, body: text(5), by: .human) }
            if index % 7 == 0 { _ = try await world.board.archive(BoardTask.self, "WA-\(index)", by: .human) }
        }
        // A comment-only hit: no field mentions "zebra" on this task.
        try await world.task("plain title")
        _ = try await world.board.comment(BoardTask.self, "WA-81", type: .note, body: "zebra crossing", by: .human)

        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        for word in Self.words + ["dep", "migr", "plain", "WA-12"] {
            for limit in [1, 3, 20, 100] {
                for includeArchived in [false, true] {
                    let query = BoardSearchQuery(word, includeArchived: includeArchived, limit: limit)
                    let pattern = try BoardService.searchPattern(word)
                    let (joined, indexFirst) = try await database.sqliteBoardRows { tx in
                        let filter = includeArchived ? "1" : "1 AND item.archivedAt IS NULL"
                        let table = (name: "boardTask", fts: "boardTaskSearch")
                        return (
                            try tx.rankJoined(.task, table: table.name, fts: table.fts, pattern: pattern, query: query, filter: filter, []),
                            try tx.rankIndexFirst(.task, table: table.name, fts: table.fts, pattern: pattern, query: query, filter: filter)
                        )
                    }
                    let context = "query \(word), limit \(limit), includeArchived \(includeArchived)"
                    let fast = try #require(indexFirst, "index-first applies with few archived rows (\(context))")
                    #expect(fast.total == joined.total, "\(context)")
                    #expect(fast.top.map(\.id) == joined.top.map(\.id), "\(context)")
                    #expect(fast.top.map(\.score) == joined.top.map(\.score), "\(context)")
                    #expect(fast.top.map(\.commentID) == joined.top.map(\.commentID), "\(context)")
                }
            }
        }
        let zebra = try await world.board.search(BoardTask.self, BoardSearchQuery("zebra", limit: 100), by: .human)
        #expect(zebra.hits.contains { $0.displayID == "WA-081" && $0.matchedIn == ["comments"] })
    }

    @Test func readingTheArchivedRowsUsesThePartialIndexes() async throws {
        let world = try await BoardWorld.make()
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        let plans = try await database.writer.read { db in
            try ["boardTask", "boardEpic"].map { table in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM \(table) WHERE archivedAt IS NOT NULL LIMIT 10")
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("COVERING INDEX boardTask_archived"), "\(plans[0])")
        #expect(plans[1].contains("COVERING INDEX boardEpic_archived"), "\(plans[1])")
    }

    @Test func manyArchivedRowsFallBackToTheJoinedRanking() async throws {
        let world = try await BoardWorld.make()
        try await world.task("deploy now")
        let (_, database) = try await world.workspaces.sqliteDatabase(for: nil)
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE boardTask SET archivedAt = '2026-01-01'")
            for index in 0..<SQLiteBoardRows.indexFirstArchivedLimit {
                try db.execute(
                    sql: """
                        INSERT INTO boardTask (displayId, sequence, title, status, priority, effort, assigneeAddress, creatorAddress,
                            createdAt, updatedAt, archivedAt)
                        VALUES (?, ?, 'old', 'Completed', 'P2', 'M', 'api:dev', 'human-web', '2026-01-01', '2026-01-01', '2026-01-01')
                        """,
                    arguments: ["OLD-\(index)", 10_000 + index]
                )
            }
        }
        let query = BoardSearchQuery("deploy")
        let pattern = try BoardService.searchPattern("deploy")
        let ranking = try await database.sqliteBoardRows { tx in
            let filter = "1 AND item.archivedAt IS NULL"
            return try tx.rankIndexFirst(.task, table: "boardTask", fts: "boardTaskSearch", pattern: pattern, query: query, filter: filter)?.total
        }
        #expect(ranking == nil, "more than \(SQLiteBoardRows.indexFirstArchivedLimit) archived rows: the joined ranking")
        #expect(try await world.board.search(BoardTask.self, query, by: .human).total == 0)
    }
}

/// A small deterministic generator so the corpus is the same on every run.
private struct Seeded {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
