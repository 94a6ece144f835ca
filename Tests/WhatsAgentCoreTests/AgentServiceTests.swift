import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

@Suite struct AgentServiceTests {
    /// A workspace with repo `api` and the agent service.
    func setUp() async throws -> (WorkspaceService, AgentService, TemporaryHome) {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        _ = try await service.create(WorkspaceDraft(name: "w"))
        _ = try await RepoService(workspaces: service).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        return (service, AgentService(workspaces: service), home)
    }

    func address(_ text: String) throws -> AgentAddress { try AgentAddress(parsing: text) }

    @Test func defaultRolesFollowTheName() async throws {
        let (_, agents, _) = try await self.setUp()

        let main = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:main")))
        let dev = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:dev")))
        let reviewer = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:rev"), roles: ["Reviewer", "reviewer"]))

        #expect(main.roles == ["pm"])
        #expect(dev.roles == ["engineer"])
        #expect(reviewer.roles == ["reviewer"])
        #expect(try await agents.show(workspace: nil, try self.address("api:rev")).roles == ["reviewer"])
    }

    @Test func badInputIsRefusedAndNothingIsWritten() async throws {
        let (_, agents, _) = try await self.setUp()
        let cases: [(AgentDraft, DomainError.Code)] = [
            (AgentDraft(address: try self.address("api:dev"), roles: ["wizard"]), .invalidArgument),
            (AgentDraft(address: try self.address("web:dev")), .repoNotFound),
            (AgentDraft(address: try self.address("api:dev"), runtime: .custom), .invalidArgument),
            (AgentDraft(address: try self.address("api:dev"), persona: Persona(description: String(repeating: "x", count: 4001))), .invalidArgument),
        ]

        for (draft, code) in cases {
            let error = await #expect(throws: DomainError.self) { try await agents.add(workspace: nil, draft) }
            #expect(error?.code == code)
        }
        #expect(try await agents.list(workspace: nil).isEmpty)
    }

    @Test(arguments: ["api", "api:", ":dev", "api:dev:x", "api:has space", "a b:dev"])
    func malformedAddressesAreRefused(text: String) {
        #expect(throws: DomainError.self) { try AgentAddress(parsing: text) }
    }

    @Test func duplicateAgentsAreRefusedIgnoringCase() async throws {
        let (_, agents, _) = try await self.setUp()
        _ = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:dev")))

        let error = await #expect(throws: DomainError.self) { try await agents.add(workspace: nil, AgentDraft(address: try self.address("API:DEV"))) }

        #expect(error?.code == .nameTaken)
    }

    @Test func onlyOneMainAgent() async throws {
        let (_, agents, _) = try await self.setUp()
        _ = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:lead"), isMain: true))
        _ = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:dev")))

        _ = try await agents.setMain(workspace: nil, try self.address("api:dev"))
        #expect(try await agents.list(workspace: nil).filter(\.isMain).map(\.name) == ["dev"])

        _ = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:boss"), isMain: true))
        #expect(try await agents.list(workspace: nil).filter(\.isMain).map(\.name) == ["boss"])

        let previous = try await agents.unsetMain(workspace: nil)
        #expect(previous?.name == "boss")
        #expect(try await agents.list(workspace: nil).allSatisfy { !$0.isMain })
    }

    @Test func updateChangesOnlyWhatIsGiven() async throws {
        let (_, agents, _) = try await self.setUp()
        let original = try await agents.add(
            workspace: nil,
            AgentDraft(address: try self.address("api:dev"), command: "claude-beta", args: ["--model", "opus"], persona: Persona(skills: "Go"))
        )

        let updated = try await agents.update(
            workspace: nil,
            try self.address("api:dev"),
            AgentPatch(runtime: .codex, roles: ["engineer", "reviewer"], pushEnabled: false)
        )

        #expect(updated.runtime == .codex)
        #expect(updated.command == "claude-beta")
        #expect(updated.args == ["--model", "opus"])
        #expect(updated.roles == ["engineer", "reviewer"])
        #expect(updated.persona == Persona(skills: "Go"))
        #expect(!updated.pushEnabled)
        #expect(updated.id == original.id)

        let cleared = try await agents.update(workspace: nil, try self.address("api:dev"), AgentPatch(command: "", args: [], persona: Persona()))
        #expect(cleared.command == nil)
        #expect(cleared.args.isEmpty)
        #expect(cleared.persona == nil)
    }

    @Test func switchingToCustomWithoutACommandIsRefused() async throws {
        let (_, agents, _) = try await self.setUp()
        _ = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:dev")))

        await #expect(throws: DomainError.self) {
            try await agents.update(workspace: nil, try self.address("api:dev"), AgentPatch(runtime: .custom))
        }

        #expect(try await agents.show(workspace: nil, try self.address("api:dev")).runtime == .claude)
    }

    @Test func removeRefusesALiveSessionUnlessForced() async throws {
        let (service, agents, _) = try await self.setUp()
        _ = try await agents.add(workspace: nil, AgentDraft(address: try self.address("api:dev")))
        let session = try await insertLiveSession(service, workspace: nil, address: "api:dev")

        let refusal = await #expect(throws: DomainError.self) { try await agents.remove(workspace: nil, try self.address("api:dev"), force: false) }
        #expect(refusal?.code == .liveSessions)

        let stopped = try await agents.remove(workspace: nil, try self.address("api:dev"), force: true)

        #expect(stopped.map(\.id) == [session.id])
        #expect(try await agents.list(workspace: nil).isEmpty)
        await #expect(throws: DomainError.self) { try await agents.show(workspace: nil, try self.address("api:dev")) }
    }
}
