import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes

@testable import WhatsAgentRunners
@testable import WhatsAgentServer

/// `/api/v1/workspaces/{workspace}/colleague-protocol` and the launch prompt that uses it (SPEC §6.4).
@Suite struct WorkspaceColleagueProtocolAPITests {
    @Test func aWorkspaceEditsAndResetsItsColleagueProtocol() async throws {
        try await withSocketAPI { client, _ in
            _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w"))
            _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "other"))

            let (shown, shownBody) = try await client.send(.get, "/api/v1/workspaces/w/colleague-protocol")
            let initial = try decode(WorkspaceColleagueProtocol.self, shownBody)
            #expect(shown == .ok)
            #expect(initial.isDefault && initial.text == ColleagueProtocol.defaultText && initial.defaultText == initial.text)
            #expect(initial.maxLength == Workspace.maxColleagueProtocolChars)

            let (stored, storedBody) = try await client.send(
                .put,
                "/api/v1/workspaces/w/colleague-protocol",
                body: SetColleagueProtocolRequest(text: "# Our way\nAlways reply.")
            )
            #expect(stored == .ok)
            #expect(try decode(WorkspaceColleagueProtocol.self, storedBody).isDefault == false)
            let reread = try decode(WorkspaceColleagueProtocol.self, try await client.send(.get, "/api/v1/workspaces/w/colleague-protocol").1)
            #expect(reread.text == "# Our way\nAlways reply." && !reread.isDefault)
            let other = try decode(WorkspaceColleagueProtocol.self, try await client.send(.get, "/api/v1/workspaces/other/colleague-protocol").1)
            #expect(other.isDefault)

            let (reset, resetBody) = try await client.send(.delete, "/api/v1/workspaces/w/colleague-protocol")
            #expect(reset == .ok)
            #expect(try decode(WorkspaceColleagueProtocol.self, resetBody) == initial)
        }
    }

    @Test func badTextsAndUnknownWorkspacesAreRefused() async throws {
        try await withSocketAPI { client, _ in
            _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w"))
            let tooLong = String(repeating: "x", count: Workspace.maxColleagueProtocolChars + 1)

            let path = "/api/v1/workspaces/w/colleague-protocol"
            let (empty, emptyBody) = try await client.send(.put, path, body: SetColleagueProtocolRequest(text: "  "))
            let (long, longBody) = try await client.send(.put, path, body: SetColleagueProtocolRequest(text: tooLong))
            let (missing, _) = try await client.send(.put, path, json: "{}")
            let (unknown, unknownBody) = try await client.send(.get, "/api/v1/workspaces/nope/colleague-protocol")

            #expect(empty == .badRequest)
            #expect(try decode(APIErrorBody.self, emptyBody).error.code == "invalid_argument")
            #expect(long == .badRequest)
            #expect(try decode(APIErrorBody.self, longBody).error.message.contains("at most 20000 characters"))
            #expect(missing == .badRequest)
            #expect(unknown == .notFound)
            #expect(try decode(APIErrorBody.self, unknownBody).error.code == "workspace_not_found")
            let after = try decode(WorkspaceColleagueProtocol.self, try await client.send(.get, "/api/v1/workspaces/w/colleague-protocol").1)
            #expect(after.isDefault, "a refused text stores nothing")
        }
    }

    @Test func launchesUseTheWorkspacesTextThenThePersona() async throws {
        try await withSocketAPI { client, services in
            _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w"))
            let directory = FileManager.default.temporaryDirectory.path
            _ = try await client.send(.post, "/api/v1/workspaces/w/repos", body: CreateRepoRequest(path: directory, name: "api"))
            _ = try await client.send(.post, "/api/v1/workspaces/w/agents", body: CreateAgentRequest(address: "api:dev"))
            let address = try AgentAddress(parsing: "api:dev")
            let agent = try await services.agents.show(workspace: "w", address)

            let builtIn = RunnerSupervisor.prompt(workspace: try await services.workspaces.resolve("w"), agent: agent)
            _ = try await client.send(.put, "/api/v1/workspaces/w/colleague-protocol", body: SetColleagueProtocolRequest(text: "HOUSE RULES"))
            let edited = RunnerSupervisor.prompt(workspace: try await services.workspaces.resolve("w"), agent: agent)

            #expect(builtIn.colleagueProtocol == ColleagueProtocol.defaultText)
            #expect(edited.colleagueProtocol == "HOUSE RULES")
            #expect(edited.text(for: .claude).hasPrefix("HOUSE RULES"))
        }
    }
}
