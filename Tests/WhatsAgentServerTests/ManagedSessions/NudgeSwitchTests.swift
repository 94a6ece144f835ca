import Foundation
import HTTPTypes
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentTerminal

@testable import WhatsAgentServer

/// `agent add|set --nudge on|off` (SPEC §6.3): the REST shapes, and what a running custom agent's terminal gets.
@Suite(.serialized) struct NudgeSwitchTests {
    @Test func theSwitchIsInTheCreateAndPatchBodiesAndTheAgentAsDocumented() async throws {
        try await withSocketAPI { client, _ in
            let schema = try OpenAPISchemaCheck()
            #expect(try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w")).0 == .created)
            let directory = FileManager.default.temporaryDirectory.path
            _ = try await client.send(.post, "/api/v1/workspaces/w/repos", body: CreateRepoRequest(path: directory, name: "api"))
            let agents = "/api/v1/workspaces/{workspace}/agents"

            let (created, createdBody) = try await client.send(
                .post,
                "/api/v1/workspaces/w/agents",
                json: #"{"address":"api:dev","runtime":"codex","nudgeEnabled":false}"#
            )
            #expect(created == .created)
            #expect(try schema.problems(createdBody, "POST", agents, 201) == [])
            let added = try decode(AgentResponse.self, createdBody)
            #expect(added.pushEnabled && !added.nudgeEnabled)

            // PATCH one switch: the other stays.
            let (patched, patchedBody) = try await client.send(.patch, "/api/v1/workspaces/w/agents/api:dev", json: #"{"pushEnabled":false}"#)
            #expect(patched == .ok)
            #expect(try schema.problems(patchedBody, "PATCH", "\(agents)/{agent}", 200) == [])
            #expect(try decode(AgentResponse.self, patchedBody).nudgeEnabled == false)
            let (_, onBody) = try await client.send(.patch, "/api/v1/workspaces/w/agents/api:dev", json: #"{"nudgeEnabled":true}"#)
            let on = try decode(AgentResponse.self, onBody)
            #expect(!on.pushEnabled && on.nudgeEnabled)
            let (_, shownBody) = try await client.send(.get, "/api/v1/workspaces/w/agents/api:dev")
            #expect(try schema.problems(shownBody, "GET", "\(agents)/{agent}", 200) == [])
            #expect(try decode(AgentResponse.self, shownBody) == on)
            // A wrong type is refused like any bad body.
            let (refused, _) = try await client.send(.patch, "/api/v1/workspaces/w/agents/api:dev", json: #"{"nudgeEnabled":"off"}"#)
            #expect(refused == .badRequest)
        }
    }

    @Test func nudgesOffRaiseTheFlagAndTypeNothingUntilTheyAreTurnedOn() async throws {
        try await ManagedDaemon.with { daemon in
            let lines = "\(daemon.repo)/held.txt"
            try await daemon.addShellAgent(
                "held",
                """
                \(RunnerAdoptionTests.holdEvents)
                while IFS= read -r line; do printf '%s\\n' "$line" >> \(lines); done
                """
            )
            let off = try await daemon.client.updateAgent(workspace: nil, "api:held", UpdateAgentRequest(nudgeEnabled: false))
            #expect(off.pushEnabled && !off.nudgeEnabled)
            _ = try await daemon.client.launch(workspace: nil, "api:held")
            _ = try await eventually("api:held to come online") { try await daemon.agent("api:held").session?.online == true ? true : nil }

            _ = try await daemon.client.sendMessage(workspace: nil, SendMessageRequest(to: "api:held", body: "hello"))
            // Pushes are on, so the session shows the pending nudge for a UI to insert.
            _ = try await eventually("the pending-nudge flag") { try await daemon.agent("api:held").session?.pendingNudge == true ? true : nil }
            // A marker typed after 1.5 s of quiet: once it is in the file, a nudge (typed after 1 s) would be too.
            let access = try await daemon.client.terminalAccess(workspace: nil, "api:held")
            let human = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
            let sentAt = ContinuousClock.now
            _ = try await eventually("1.5 s of quiet") { sentAt.duration(to: .now) >= .milliseconds(1500) ? true : nil }
            try await human.send(input: Array("marker\r".utf8))
            let text = try await eventually("the marker") { () -> String? in
                let text = String(decoding: FileManager.default.contents(atPath: lines) ?? Data(), as: UTF8.self)
                return text.contains("marker") ? text : nil
            }
            #expect(text == "marker\n")
            #expect(try await daemon.agent("api:held").session?.pendingNudge == true)
            await human.close()

            // Turned on, the switch applies to the running session: the held nudge follows once the human is quiet.
            _ = try await daemon.client.updateAgent(workspace: nil, "api:held", UpdateAgentRequest(nudgeEnabled: true))
            let typed = try await eventually("the nudge", timeout: .seconds(20)) { () -> String? in
                let text = String(decoding: FileManager.default.contents(atPath: lines) ?? Data(), as: UTF8.self)
                return text.contains("check_messages") ? text : nil
            }
            #expect(typed == "marker\n[WhatsAgent] new message waiting — call check_messages\n")
            #expect(try await daemon.agent("api:held").session?.pendingNudge == false)
            _ = try await daemon.client.stopAgent(workspace: nil, "api:held")
        }
    }
}
