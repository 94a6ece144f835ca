import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

/// The registry keeps its workspace rows in memory between writes; every write is seen by the next read.
@Suite struct WorkspaceRowCacheTests {
    @Test func aReadThatRacedAWriteDoesNotStoreWhatItRead() {
        let cache = WorkspaceRowCache()
        let before = cache.lookup()
        #expect(before.rows == nil)

        cache.invalidate()
        cache.store([], readAt: before.generation)
        #expect(cache.lookup().rows == nil)

        let after = cache.lookup()
        cache.store([], readAt: after.generation)
        #expect(cache.lookup().rows == [])
    }

    @Test func everyWorkspaceWriteIsSeenByTheNextResolve() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        let created = try await service.create(WorkspaceDraft(name: "alpha"))
        #expect(try await service.resolve("alpha").id == created.id)

        _ = try await service.update("alpha", WorkspacePatch(name: "beta", topology: .p2p))
        await #expect(throws: DomainError.self) { try await service.resolve("alpha") }
        #expect(try await service.resolve("beta").topology == .p2p)

        _ = try await service.create(WorkspaceDraft(name: "gamma"))
        #expect(Set(try await service.list().map(\.workspace.name)) == ["beta", "gamma"])

        _ = try await service.trash("gamma", force: false)
        let refusal = await #expect(throws: DomainError.self) { try await service.resolve("gamma") }
        #expect(refusal?.code == .workspaceNotFound)
    }
}
