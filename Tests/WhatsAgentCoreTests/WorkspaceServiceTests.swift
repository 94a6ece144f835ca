import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

@Suite struct WorkspaceServiceTests {
    @Test func createAppliesDefaultsAndBecomesCurrent() async throws {
        let service = try makeInMemoryService()

        let workspace = try await service.create(WorkspaceDraft(name: "alpha"))

        #expect(workspace.status == .active)
        #expect(workspace.topology == .star)
        #expect(workspace.rbacMode == .enforce)
        #expect(workspace.kanbanPrefix == "WA")
        #expect(workspace.epicPrefix == "EP")
        #expect(workspace.rateLimit == .value(120))
        #expect(try await service.currentID() == workspace.id)
    }

    @Test func namesAreUniqueIgnoringCase() async throws {
        let service = try makeInMemoryService()
        _ = try await service.create(WorkspaceDraft(name: "alpha"))

        await #expect(throws: DomainError.self) { try await service.create(WorkspaceDraft(name: "ALPHA")) }

        #expect(try await service.list().count == 1)
    }

    @Test(arguments: ["", "has space", "a:b", "current", "-lead", String(repeating: "x", count: 65)])
    func invalidNamesAreRefused(name: String) async throws {
        let service = try makeInMemoryService()

        let error = await #expect(throws: DomainError.self) { try await service.create(WorkspaceDraft(name: name)) }

        #expect(error?.code == .invalidName)
        #expect(try await service.list().isEmpty)
    }

    @Test func resolveFallsBackToTheOnlyWorkspaceAndExplainsAmbiguity() async throws {
        let service = try makeInMemoryService()
        await #expect(throws: DomainError(.noCurrentWorkspace, "there are no workspaces yet; create one with `whatsagent workspace add NAME`")) {
            try await service.resolve(nil)
        }
        let alpha = try await service.create(WorkspaceDraft(name: "alpha"))
        let beta = try await service.create(WorkspaceDraft(name: "beta"))

        #expect(try await service.resolve(nil).id == alpha.id)
        #expect(try await service.resolve("BETA").id == beta.id)
        #expect(try await service.resolve(beta.id.rawValue).id == beta.id)
        _ = try await service.use("beta")
        #expect(try await service.resolve("current").id == beta.id)
    }

    @Test func addingAWorkspaceKeepsTheCurrentOne() async throws {
        let service = try makeInMemoryService()
        _ = try await service.create(WorkspaceDraft(name: "alpha"))
        let beta = try await service.create(WorkspaceDraft(name: "beta"))
        _ = try await service.use("beta")
        _ = try await service.trash("alpha", force: false)
        _ = try await service.use("beta")
        _ = try await service.trash("beta", force: false)
        let gamma = try await service.create(WorkspaceDraft(name: "gamma"))

        // gamma is the only live one, so current; a newer workspace must not take over.
        _ = try await service.create(WorkspaceDraft(name: "delta"))
        #expect(try await service.currentID() == gamma.id)

        // A restored workspace becomes current only when there is none.
        _ = try await service.restore(beta.id.rawValue)
        #expect(try await service.currentID() == gamma.id)
    }

    @Test func updateValidatesEveryFieldBeforeWriting() async throws {
        let service = try makeInMemoryService()
        let original = try await service.create(WorkspaceDraft(name: "alpha"))

        await #expect(throws: DomainError.self) {
            try await service.update("alpha", WorkspacePatch(name: "renamed", maxBodyChars: 40_000))
        }
        await #expect(throws: DomainError.self) {
            try await service.update("alpha", WorkspacePatch(topology: .p2p, kanbanPrefix: "9X"))
        }

        #expect(try await service.resolve("alpha") == original)
    }

    @Test func updateChangesSettings() async throws {
        let service = try makeInMemoryService()
        _ = try await service.create(WorkspaceDraft(name: "alpha"))

        let updated = try await service.update(
            "alpha",
            WorkspacePatch(
                name: "beta",
                topology: .channel,
                rbacMode: .soft,
                kanbanPrefix: "task",
                maxBodyChars: 1000,
                chatRetention: .forever,
                rateLimit: .off,
                loopGuard: .value(10)
            )
        )

        #expect(updated.name == "beta")
        #expect(updated.topology == .channel)
        #expect(updated.rbacMode == .soft)
        #expect(updated.kanbanPrefix == "TASK")
        #expect(updated.maxBodyChars == 1000)
        #expect(updated.chatRetention == .forever)
        #expect(updated.rateLimit == .off)
        #expect(updated.loopGuard == .value(10))
    }

    @Test func rbacCeilingOnlyLoosens() {
        #expect(RBACMode.enforce.capped(by: .soft) == .soft)
        #expect(RBACMode.off.capped(by: .enforce) == .off)
        #expect(RBACMode.soft.capped(by: .off) == .off)
    }
}
