import Foundation
import Testing

@testable import WhatsAgentCore
@testable import WhatsAgentSQLite

@Suite struct RepoServiceTests {
    @Test func addRegistersAnExistingDirectoryUnderItsSanitizedName() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        _ = try await service.create(WorkspaceDraft(name: "w"))
        let directory = try home.makeDirectory("my web.app")

        let repo = try await RepoService(workspaces: service).add(workspace: nil, path: directory + "/", name: nil)

        #expect(repo.name == "my_web_app")
        #expect(repo.path == directory)
        #expect(repo.directoryExists)
    }

    @Test func relativeMissingAndFilePathsAreRefused() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        _ = try await service.create(WorkspaceDraft(name: "w"))
        let repos = RepoService(workspaces: service)
        let file = try home.makeDirectory("x") + "/file.txt"
        FileManager.default.createFile(atPath: file, contents: Data())

        for path in ["relative/dir", "/nonexistent/wa-test-dir", file] {
            let error = await #expect(throws: DomainError.self) { try await repos.add(workspace: nil, path: path, name: nil) }
            #expect(error?.code == .invalidArgument)
        }
        #expect(try await repos.list(workspace: nil).isEmpty)
    }

    @Test func namesAndPathsAreUniquePerWorkspace() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        _ = try await service.create(WorkspaceDraft(name: "w"))
        _ = try await service.create(WorkspaceDraft(name: "other"))
        let repos = RepoService(workspaces: service)
        let api = try home.makeDirectory("api")
        _ = try await repos.add(workspace: "w", path: api, name: nil)

        let sameName = await #expect(throws: DomainError.self) {
            try await repos.add(workspace: "w", path: try home.makeDirectory("api2"), name: "API")
        }
        let samePath = await #expect(throws: DomainError.self) { try await repos.add(workspace: "w", path: api, name: "second") }

        #expect(sameName?.code == .nameTaken)
        #expect(samePath?.code == .pathTaken)
        // Another workspace may register the same path.
        #expect(try await repos.add(workspace: "other", path: api, name: nil).name == "api")
    }

    @Test func removeCascadesToAgentsAndRespectsLiveSessions() async throws {
        let home = try TemporaryHome()
        let service = try makeFileService(home: home)
        _ = try await service.create(WorkspaceDraft(name: "w"))
        let repos = RepoService(workspaces: service)
        let agents = AgentService(workspaces: service)
        _ = try await repos.add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        _ = try await agents.add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:dev")))
        _ = try await insertLiveSession(service, workspace: nil, address: "api:dev")

        let refusal = await #expect(throws: DomainError.self) { try await repos.remove(workspace: nil, name: "api", force: false) }
        #expect(refusal?.code == .liveSessions)
        #expect(try await agents.list(workspace: nil).count == 1)

        let stopped = try await repos.remove(workspace: nil, name: "api", force: true)

        #expect(stopped.map(\.agentAddress) == ["api:dev"])
        #expect(try await repos.list(workspace: nil).isEmpty)
        #expect(try await agents.list(workspace: nil).isEmpty)
        #expect(try await service.sqliteDatabase(for: nil).1.liveSessions().isEmpty)
    }

    @Test func removingAnUnknownRepoSaysHowToListThem() async throws {
        let service = try makeInMemoryService()
        _ = try await service.create(WorkspaceDraft(name: "w"))

        let error = await #expect(throws: DomainError.self) {
            try await RepoService(workspaces: service).remove(workspace: nil, name: "nope", force: false)
        }

        #expect(error?.code == .repoNotFound)
        #expect(error?.message.contains("whatsagent repo list") == true)
    }
}
