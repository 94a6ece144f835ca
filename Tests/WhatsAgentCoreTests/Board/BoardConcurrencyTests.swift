import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Concurrent writers: display ids are never shared, and field-level patches never lose an update.
@Suite struct BoardConcurrencyTests {
    @Test(arguments: WorldStore.allCases)
    func fiftyConcurrentCreatesGetFiftyDistinctConsecutiveIDs(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        let board = world.board
        // One check per call, as the dispatcher makes it.
        let actor: @Sendable (Int) -> BoardActor = { index in index.isMultiple(of: 2) ? world.agent("main", BoardTask.tool(.create)) : .human }

        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await board.create(BoardTask.self, TaskDraft(title: "task \(index)", assignedTo: "api:dev"), by: actor(index)).item
                        .displayID
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }

        #expect(Set(ids).count == 50)
        #expect(Set(ids) == Set((1...50).map { BoardDisplayID.format(prefix: "WA", sequence: $0) }))
        #expect(try await board.list(BoardTask.self, BoardFilter(limit: 100), by: .human).count == 50)
    }

    @Test(arguments: WorldStore.allCases)
    func twoAgentsEditingDifferentFieldsOfOneTaskBothLand(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("shared", for: "dev", status: .queued)
        let board = world.board

        for round in 0..<20 {
            async let title = board.update(
                BoardTask.self,
                "WA-1",
                TaskPatch(title: "title \(round)"),
                by: world.agent("main", BoardTask.tool(.update))
            )
            async let status = board.move(
                BoardTask.self,
                "WA-1",
                to: round.isMultiple(of: 2) ? .inProgress : .review,
                by: world.agent("dev", BoardTask.tool(.move))
            )
            async let details = board.update(BoardTask.self, "WA-1", TaskPatch(details: "details \(round)"), by: .human)
            _ = try await (title, status, details)

            let task = try await board.detail(BoardTask.self, "WA-1", by: .human).task
            #expect(task.title == "title \(round)")
            #expect(task.details == "details \(round)")
            #expect(task.status == (round.isMultiple(of: 2) ? .inProgress : .review))
        }
    }

    @Test(arguments: WorldStore.allCases)
    func conflictingEditsOfOneFieldLastWriterWinsAndBothAreLogged(_ store: WorldStore) async throws {
        let world = try await BoardWorld.make(on: store)
        try await world.task("t")
        let board = world.board

        async let first = board.update(BoardTask.self, "WA-1", TaskPatch(priority: .p0), by: world.agent("main", BoardTask.tool(.update)))
        async let second = board.update(BoardTask.self, "WA-1", TaskPatch(priority: .p3), by: .human)
        _ = try await (first, second)

        let detail = try await board.detail(BoardTask.self, "WA-1", by: .human)
        let entries = detail.activity.filter { $0.field == "priority" }
        #expect(entries.count == 2)
        #expect(Set(entries.compactMap(\.after)) == [#""P0""#, #""P3""#])
        #expect(entries.last?.after == "\"\(detail.task.priority.rawValue)\"", "the last logged write is the stored value")
        #expect(entries.last?.before == entries.first?.after, "the second writer saw the first one's value")
    }
}
