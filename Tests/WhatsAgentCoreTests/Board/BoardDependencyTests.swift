import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// Dependencies: replacement lists, self-dependencies, unknown ids, cycles (direct and transitive), start warnings.
@Suite struct BoardDependencyTests {
    func world(tasks count: Int, _ store: WorldStore = .sqlite) async throws -> BoardWorld {
        let world = try await BoardWorld.make(on: store)
        for index in 1...count { try await world.task("task \(index)") }
        return world
    }

    @Test(arguments: WorldStore.allCases)
    func dependenciesAreAReplacementListLoggedAsDisplayIDs(_ store: WorldStore) async throws {
        let world = try await self.world(tasks: 4, store)

        _ = try await world.board.update(BoardTask.self, "WA-4", TaskPatch(dependsOnTaskIds: ["WA-1", "wa-2"]), by: .human)
        let replaced = try await world.board.update(BoardTask.self, "WA-4", TaskPatch(dependsOnTaskIds: ["3", "WA-2"]), by: .human)
        let detail = try await world.board.detail(BoardTask.self, "WA-2", by: .human)
        let entry = try #require(try await world.board.detail(BoardTask.self, "WA-4", by: .human).activity.last)

        #expect(replaced.item.dependsOn == ["WA-002", "WA-003"])
        #expect(detail.dependedBy.map(\.displayID) == ["WA-004"])
        #expect(entry.field == "dependencies")
        #expect(entry.before == #"["WA-001","WA-002"]"#)
        #expect(entry.after == #"["WA-002","WA-003"]"#)
        #expect(try await world.board.update(BoardTask.self, "WA-4", TaskPatch(dependsOnTaskIds: []), by: .human).item.dependsOn.isEmpty)
    }

    @Test(arguments: WorldStore.allCases)
    func selfDependencyAndUnknownIDsAreRefused(_ store: WorldStore) async throws {
        let world = try await self.world(tasks: 1, store)

        let itself = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardTask.self, "WA-1", TaskPatch(dependsOnTaskIds: ["WA-1"]), by: .human)
        }
        let unknown = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardTask.self, "WA-1", TaskPatch(dependsOnTaskIds: ["WA-9"]), by: .human)
        }

        #expect(itself?.message.contains("cannot depend on itself") == true)
        #expect(unknown?.message.contains("no task 'WA-9'") == true)
    }

    @Test(arguments: WorldStore.allCases)
    func aDirectCycleIsRefusedWithItsPath(_ store: WorldStore) async throws {
        let world = try await self.world(tasks: 2, store)
        _ = try await world.board.update(BoardTask.self, "WA-2", TaskPatch(dependsOnTaskIds: ["WA-1"]), by: .human)

        let error = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardTask.self, "WA-1", TaskPatch(dependsOnTaskIds: ["WA-2"]), by: .human)
        }

        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("WA-001 → WA-002 → WA-001") == true, "\(error?.message ?? "")")
        #expect(try await world.board.detail(BoardTask.self, "WA-1", by: .human).task.dependsOn.isEmpty)
    }

    @Test(arguments: WorldStore.allCases)
    func aTransitiveCycleIsRefusedWithItsPath(_ store: WorldStore) async throws {
        let world = try await self.world(tasks: 4, store)
        _ = try await world.board.update(BoardTask.self, "WA-2", TaskPatch(dependsOnTaskIds: ["WA-1"]), by: .human)
        _ = try await world.board.update(BoardTask.self, "WA-3", TaskPatch(dependsOnTaskIds: ["WA-2"]), by: .human)
        _ = try await world.board.update(BoardTask.self, "WA-4", TaskPatch(dependsOnTaskIds: ["WA-3"]), by: .human)

        let error = await #expect(throws: DomainError.self) {
            try await world.board.update(BoardTask.self, "WA-1", TaskPatch(dependsOnTaskIds: ["WA-4"]), by: .human)
        }
        let diamond = try await world.board.update(BoardTask.self, "WA-4", TaskPatch(dependsOnTaskIds: ["WA-3", "WA-1"]), by: .human)

        #expect(error?.message.contains("WA-001 → WA-004 → WA-003 → WA-002 → WA-001") == true, "\(error?.message ?? "")")
        #expect(diamond.item.dependsOn == ["WA-001", "WA-003"], "a diamond is not a cycle")
    }

    @Test(arguments: WorldStore.allCases)
    func startingWithUnfinishedDependenciesSucceedsWithAWarning(_ store: WorldStore) async throws {
        let world = try await self.world(tasks: 3, store)
        _ = try await world.board.update(BoardTask.self, "WA-3", TaskPatch(dependsOnTaskIds: ["WA-1", "WA-2"]), by: .human)
        _ = try await world.board.move(BoardTask.self, "WA-1", to: .completed, by: .human)
        _ = try await world.board.move(BoardTask.self, "WA-3", to: .queued, by: .human)

        let started = try await world.board.move(BoardTask.self, "WA-3", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move)))
        _ = try await world.board.move(BoardTask.self, "WA-2", to: .completed, by: .human)
        _ = try await world.board.move(BoardTask.self, "WA-3", to: .blocked, by: world.agent("dev", BoardTask.tool(.move)))
        let clean = try await world.board.move(BoardTask.self, "WA-3", to: .inProgress, by: world.agent("dev", BoardTask.tool(.move)))

        #expect(started.item.status == .inProgress)
        #expect(started.warnings.count == 1)
        #expect(started.warnings.first?.contains("WA-002 (Backlog)") == true)
        #expect(started.warnings.first?.contains("WA-001") == false, "completed dependencies are not named")
        #expect(clean.warnings.isEmpty)
    }
}
