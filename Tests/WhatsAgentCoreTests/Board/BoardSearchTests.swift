import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Full-text search: ranking, exact ids, previews, matchedIn, filters, and bad input.
@Suite struct BoardSearchTests {
    func world(_ store: WorldStore = .sqlite) async throws -> BoardWorld {
        let world = try await BoardWorld.make(on: store)
        let board = world.board
        _ = try await board.create(
            BoardTask.self,
            TaskDraft(title: "Write docs", assignedTo: "api:dev", details: "The payment gateway needs documenting for partners."),
            by: .human
        )
        _ = try await board.create(BoardTask.self, TaskDraft(title: "Payment gateway retries", assignedTo: "api:dev2", status: .review), by: .human)
        _ = try await board.create(
            BoardTask.self,
            TaskDraft(title: "Café menu", assignedTo: "api:dev", details: String(repeating: "filler ", count: 40) + "crème brûlée"),
            by: .human
        )
        _ = try await board.create(BoardTask.self, TaskDraft(title: "Unrelated", assignedTo: "api:dev"), by: .human)
        _ = try await board.comment(BoardTask.self, "WA-4", type: .blocker, body: "blocked by the payment provider outage", by: .human)
        for index in 5...12 { try await world.task("filler \(index)") }
        return world
    }

    @Test(arguments: WorldStore.allCases)
    func titleMatchesRankAboveDetailsAndComments(_ store: WorldStore) async throws {
        let world = try await self.world(store)

        let result = try await world.board.search(BoardTask.self, BoardSearchQuery("payment"), by: world.agent("ro", BoardTask.tool(.search)))

        #expect(result.hits.map(\.displayID) == ["WA-002", "WA-001", "WA-004"])
        #expect(result.total == 3)
        #expect(!result.truncated)
        #expect(result.hits[0].matchedIn == ["title"])
        #expect(result.hits[1].matchedIn == ["details"])
        #expect(result.hits[2].matchedIn == ["comments"])
        #expect(result.hits[2].matchingComment?.body == "blocked by the payment provider outage")
        #expect(result.hits[1].preview == "The payment gateway needs documenting for partners.")
    }

    @Test(arguments: WorldStore.allCases)
    func queriesArePrefixPhrasesIgnoringCaseAndDiacritics(_ store: WorldStore) async throws {
        let world = try await self.world(store)

        let prefix = try await world.board.search(BoardTask.self, BoardSearchQuery("PAYM"), by: .human)
        let phrase = try await world.board.search(BoardTask.self, BoardSearchQuery("gateway retr"), by: .human)
        let accents = try await world.board.search(BoardTask.self, BoardSearchQuery("creme brulee"), by: .human)

        #expect(prefix.total == 3)
        #expect(phrase.hits.map(\.displayID) == ["WA-002"])
        #expect(accents.hits.map(\.displayID) == ["WA-003"])
        #expect(accents.hits[0].preview.hasPrefix("…"), "a long text is cut 100 characters before the match")
        #expect(accents.hits[0].preview.hasSuffix("crème brûlée"))
        #expect(accents.hits[0].preview.count <= 1 + 100 + 140 + 1)
    }

    @Test(arguments: WorldStore.allCases, ["WA-12", "wa-012", "WA-0012"])
    func anExactIDRanksThatItemFirst(_ store: WorldStore, query: String) async throws {
        let world = try await self.world(store)

        let result = try await world.board.search(BoardTask.self, BoardSearchQuery(query), by: .human)

        #expect(result.hits.first?.displayID == "WA-012")
        #expect(result.hits.first?.matchedIn.first == "display_id")
    }

    @Test(arguments: WorldStore.allCases)
    func filtersAndLimitsApply(_ store: WorldStore) async throws {
        let world = try await self.world(store)
        _ = try await world.board.archive(BoardTask.self, "WA-1", by: .human)

        let board = world.board
        #expect(try await board.search(BoardTask.self, BoardSearchQuery("payment"), by: .human).hits.map(\.displayID) == ["WA-002", "WA-004"])
        #expect(try await board.search(BoardTask.self, BoardSearchQuery("payment", includeArchived: true), by: .human).total == 3)
        #expect(try await board.search(BoardTask.self, BoardSearchQuery("payment", status: .review), by: .human).hits.map(\.displayID) == ["WA-002"])
        #expect(
            try await board.search(BoardTask.self, BoardSearchQuery("payment", assignee: "API:DEV"), by: .human).hits.map(\.displayID) == ["WA-004"]
        )
        let limited = try await board.search(BoardTask.self, BoardSearchQuery("filler", limit: 3), by: .human)
        #expect(limited.hits.count == 3)
        #expect(limited.total == 9)
        #expect(limited.truncated)
    }

    @Test(arguments: WorldStore.allCases, ["a", String(repeating: "x", count: 201), "\"\"", "()*", "--", "  "])
    func badQueriesAreRefusedBeforeReachingSQLite(_ store: WorldStore, query: String) async throws {
        let world = try await self.world(store)

        let error = await #expect(throws: DomainError.self) { try await world.board.search(BoardTask.self, BoardSearchQuery(query), by: .human) }

        #expect(error?.code == .invalidArgument)
    }

    @Test(arguments: WorldStore.allCases, ["NEAR(a b)", "payment OR docs", "title:payment", "pay\"ment", "a*b^c", "AND"])
    func ftsSyntaxInQueriesIsSearchedAsText(_ store: WorldStore, query: String) async throws {
        let world = try await self.world(store)

        _ = try await world.board.search(BoardTask.self, BoardSearchQuery(query), by: .human)
    }

    @Test(arguments: WorldStore.allCases)
    func epicsAreSearchedSeparately(_ store: WorldStore) async throws {
        let world = try await self.world(store)
        try await world.epic("Payments platform")
        _ = try await world.board.comment(BoardEpic.self, "EP-1", type: .note, body: "gateway vendor chosen", by: .human)

        let epics = try await world.board.search(BoardEpic.self, BoardSearchQuery("gateway"), by: .human)

        #expect(epics.hits.map(\.displayID) == ["EP-001"])
        #expect(epics.hits[0].kind == .epic)
        #expect(epics.hits[0].matchedIn == ["comments"])
    }
}
