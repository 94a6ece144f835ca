import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The board's full-text search (docs/board.md, "Search") held against every implementation of ``BoardStore``
/// (``BoardStoreUnderTest/all``): what matches (prefix phrases, case and accents ignored, `_` and `-` inside words,
/// query syntax searched as text), the order of fields (display id and title above details above comments), exact
/// ids first, the filters, the total and the previews. Each store's `rank` is its own (lower is better).
@Suite struct BoardSearchContractTests {
    typealias BoardContract = BoardStoreContractTests

    /// Tasks WA-001…WA-012 and their comments, as `BoardSearchTests` seeds them through the service.
    func seeded(_ implementation: BoardStoreUnderTest) async throws -> any BoardStoreSeed {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let dev2 = try await seed.addAgent("api:dev2")
        _ = try await seed.boardStore.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            try Self.task(tx, "Write docs", assignee: dev, details: "The payment gateway needs documenting for partners.")
            try Self.task(tx, "Payment gateway retries", assignee: dev2, status: .review)
            try Self.task(tx, "Café menu", assignee: dev, details: String(repeating: "filler ", count: 40) + "crème brûlée")
            let unrelated = try Self.task(tx, "Unrelated", assignee: dev)
            _ = try tx.addComment(
                .task,
                unrelated.id ?? 0,
                displayID: unrelated.displayId,
                type: .blocker,
                body: "blocked by the payment provider outage"
            )
            for index in 5...12 { try Self.task(tx, "filler \(index)", assignee: dev) }
        }
        return seed
    }

    @discardableResult
    static func task(
        _ tx: BoardTransaction,
        _ title: String,
        assignee: Agent,
        details: String = "",
        status: BoardStatus = .backlog
    ) throws -> BoardTaskRecord {
        var record = try BoardContract.newTask(tx, title, assignee: assignee)
        record.details = details
        record.status = status.rawValue
        try tx.update(record)
        return record
    }

    /// What `search_kanban_tasks` / `search_kanban_epics` run inside their read transaction.
    static func search(_ store: any BoardStore, _ query: BoardSearchQuery, kind: BoardItemKind = .task) async throws -> BoardSearchResult {
        let pattern = try BoardService.searchPattern(query.text)
        let exact: String? =
            switch try? BoardDisplayID.parse(query.text, kind: kind) {
            case .display(let id): id
            default: nil
            }
        return try await store.boardRead(prefixes: BoardContract.prefixes) { tx in try tx.search(kind, pattern: pattern, exact: exact, query: query) }
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func titleMatchesRankAboveDetailsAndComments(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await self.seeded(implementation)

        let result = try await Self.search(seed.boardStore, BoardSearchQuery("payment"))

        #expect(result.hits.map(\.displayID) == ["WA-002", "WA-001", "WA-004"])
        #expect(result.total == 3)
        #expect(!result.truncated)
        #expect(result.hits.map(\.rank) == result.hits.map(\.rank).sorted(), "rank ascends: lower is better")
        #expect(result.hits.map(\.matchedIn) == [["title"], ["details"], ["comments"]])
        #expect(result.hits[2].matchingComment?.body == "blocked by the payment provider outage")
        #expect(result.hits[2].matchingComment?.itemDisplayID == "WA-004")
        #expect(result.hits[1].preview == "The payment gateway needs documenting for partners.")
        #expect(result.hits[2].preview == "blocked by the payment provider outage")
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func queriesArePrefixPhrasesIgnoringCaseAndDiacritics(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await self.seeded(implementation)
        let store = seed.boardStore

        let prefix = try await Self.search(store, BoardSearchQuery("PAYM"))
        let phrase = try await Self.search(store, BoardSearchQuery("gateway retr"))
        let notAPhrase = try await Self.search(store, BoardSearchQuery("retries gateway"))
        let accents = try await Self.search(store, BoardSearchQuery("creme brulee"))

        #expect(prefix.total == 3)
        #expect(phrase.hits.map(\.displayID) == ["WA-002"])
        #expect(notAPhrase.total == 0, "the words must stand in this order, next to each other")
        #expect(accents.hits.map(\.displayID) == ["WA-003"])
        #expect(accents.hits.first?.preview.hasPrefix("…") == true, "a long text is cut 100 characters before the match")
        #expect(accents.hits.first?.preview.hasSuffix("crème brûlée") == true)
        #expect((accents.hits.first?.preview.count ?? 0) <= 1 + 100 + 140 + 1)
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func underscoresAndHyphensStayInsideWords(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        _ = try await seed.boardStore.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            try Self.task(tx, "Fix the snake_case parser", assignee: dev)
            try Self.task(tx, "Case study", assignee: dev, details: "see the follow-up of WA-001")
        }
        let store = seed.boardStore

        #expect(try await Self.search(store, BoardSearchQuery("snake_case")).hits.map(\.displayID) == ["WA-001"])
        #expect(try await Self.search(store, BoardSearchQuery("snake")).hits.map(\.displayID) == ["WA-001"], "a prefix of the word")
        #expect(try await Self.search(store, BoardSearchQuery("case")).hits.map(\.displayID) == ["WA-002"], "not a word inside snake_case")
        #expect(try await Self.search(store, BoardSearchQuery("follow-up")).hits.map(\.displayID) == ["WA-002"])
        #expect(try await Self.search(store, BoardSearchQuery("up")).total == 0, "not a word inside follow-up")
        let byID = try await Self.search(store, BoardSearchQuery("WA-001"))
        #expect(byID.hits.map(\.displayID) == ["WA-001", "WA-002"], "the exact id first, then the details naming it")
        #expect(byID.hits.map(\.matchedIn) == [["display_id"], ["details"]])
    }

    @Test(arguments: BoardStoreUnderTest.all.flatMap { implementation in ["WA-12", "wa-012", "WA-0012"].map { (implementation, $0) } })
    func anExactIDRanksThatItemFirst(_ implementation: BoardStoreUnderTest, query: String) async throws {
        let seed = try await self.seeded(implementation)
        let store = seed.boardStore

        let result = try await Self.search(store, BoardSearchQuery(query))

        #expect(result.hits.first?.displayID == "WA-012")
        #expect(result.hits.first?.matchedIn.first == "display_id")
        #expect(result.total >= 1)
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func filtersAndLimitsApply(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await self.seeded(implementation)
        let store = seed.boardStore
        _ = try await store.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            var first = try tx.requireTask("WA-1")
            first.archivedAt = tx.now
            first.archivedBy = "human-web"
            try tx.update(first)
        }

        #expect(try await Self.search(store, BoardSearchQuery("payment")).hits.map(\.displayID) == ["WA-002", "WA-004"])
        #expect(try await Self.search(store, BoardSearchQuery("payment", includeArchived: true)).total == 3)
        #expect(try await Self.search(store, BoardSearchQuery("payment", status: .review)).hits.map(\.displayID) == ["WA-002"])
        #expect(try await Self.search(store, BoardSearchQuery("payment", assignee: "API:DEV")).hits.map(\.displayID) == ["WA-004"])
        #expect(try await Self.search(store, BoardSearchQuery("payment", assignee: "none")).total == 0)
        let limited = try await Self.search(store, BoardSearchQuery("filler", limit: 3))
        #expect(limited.hits.count == 3)
        #expect(limited.total == 9)
        #expect(limited.truncated)
    }

    @Test(
        arguments: BoardStoreUnderTest.all.flatMap { implementation in
            ["NEAR(a b)", "payment OR docs", "title:payment", "pay\"ment", "a*b^c", "AND", "it's \\ 'quoted'", "a <-> b & c | !d:*"].map {
                (implementation, $0)
            }
        }
    )
    func querySyntaxIsSearchedAsText(_ implementation: BoardStoreUnderTest, query: String) async throws {
        let seed = try await self.seeded(implementation)
        let store = seed.boardStore

        _ = try await Self.search(store, BoardSearchQuery(query))
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func quotesAndBackslashesInTextAreFound(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        _ = try await seed.boardStore.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            try Self.task(tx, "Don't break C:\\Users\\o'brien", assignee: dev)
        }

        #expect(try await Self.search(seed.boardStore, BoardSearchQuery("o'brien")).hits.map(\.displayID) == ["WA-001"])
        #expect(try await Self.search(seed.boardStore, BoardSearchQuery("users\\o")).hits.map(\.displayID) == ["WA-001"])
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func epicsAreSearchedSeparately(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await self.seeded(implementation)
        let dev = try await seed.addAgent("api:epics")
        _ = try await seed.boardStore.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            let epic = try BoardContract.newEpic(tx, "Payments platform", assignee: dev)
            _ = try tx.addComment(.epic, epic.id ?? 0, displayID: epic.displayId, type: .note, body: "gateway vendor chosen")
        }

        let epics = try await Self.search(seed.boardStore, BoardSearchQuery("gateway"), kind: .epic)

        #expect(epics.hits.map(\.displayID) == ["EP-001"])
        #expect(epics.hits.first?.kind == .epic)
        #expect(epics.hits.first?.matchedIn == ["comments"])
        #expect(try await Self.search(seed.boardStore, BoardSearchQuery("vendor"), kind: .task).total == 0, "an epic's comment is not a task's")
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func anEditIsSearchedAsItNowReads(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await self.seeded(implementation)
        let store = seed.boardStore
        _ = try await store.boardWrite(now: BoardContract.start, actor: .human, prefixes: BoardContract.prefixes) { tx in
            var task = try tx.requireTask("WA-2")
            task.title = "Checkout retries"
            try tx.update(task)
        }

        #expect(try await Self.search(store, BoardSearchQuery("payment")).hits.map(\.displayID) == ["WA-001", "WA-004"])
        #expect(try await Self.search(store, BoardSearchQuery("checkout")).hits.map(\.displayID) == ["WA-002"])
    }
}
