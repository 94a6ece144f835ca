import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentTerminal

/// `agent launch | stop`, exits, refusals and kill -9 against a real daemon and real runners.
@Suite(.serialized) struct ManagedSessionTests {
    @Test func launchAttachRelaunchAndStop() async throws {
        try await ManagedDaemon.with { daemon in
            _ = try await daemon.client.addAgent(workspace: nil, CreateAgentRequest(address: "api:cat", runtime: .custom, command: "/bin/cat"))

            let launched = try await daemon.client.launch(workspace: nil, "api:cat")
            #expect(!launched.alreadyRunning && launched.command == "/bin/cat" && launched.session.kind == "managed")
            #expect(launched.session.runnerAlive == true && launched.session.endedAt == nil)
            let child = try #require(launched.session.childPid)
            let runner = try #require(launched.session.runnerPid)
            #expect(processAlive(child) && processAlive(runner))

            // The runner's files: 0600 secret and metadata in the workspace run directory.
            let run = try await daemon.runDirectory()
            let stem = String(launched.session.id.prefix(8))
            for name in ["\(stem).secret", "\(stem).runner.json", "\(stem).mcp.json"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(run)/\(name)")
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(name)")
            }

            // No duplicate: a second launch returns the live session.
            let again = try await daemon.client.launch(workspace: nil, "api:cat")
            #expect(again.alreadyRunning && again.session.id == launched.session.id)

            // Output flows through the runner: what is typed comes back.
            let access = try await daemon.client.terminalAccess(workspace: nil, "api:cat")
            #expect(access.sessionId == launched.session.id && access.protocolVersion == RunnerProtocol.version)
            let connection = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
            var events = connection.subscribe().makeAsyncIterator()
            try await connection.send(input: Array("ping\n".utf8))
            var seen = ""
            while !seen.contains("ping\r\nping") {
                guard case .output(_, let bytes)? = try await events.next() ?? nil else { continue }
                seen += String(decoding: bytes, as: UTF8.self)
            }
            await connection.close()

            let listed = try await daemon.client.agents(workspace: nil).agents.first { $0.address == "api:cat" }
            #expect(listed?.session?.id == launched.session.id && listed?.session?.runnerAlive == true)

            let stopped = try await daemon.client.stopAgent(workspace: nil, "api:cat")
            #expect(stopped.session.endedAt != nil && stopped.session.runnerAlive == false)
            #expect(stopped.session.endReason?.hasPrefix("stopped by the human") == true)
            #expect(stopped.session.exitSignal == SIGTERM || stopped.session.exitCode != nil)
            #expect(stopped.session.exitTail?.contains("ping") == true)
            _ = try await eventually("the runner and its child to exit") { !processAlive(child) && !processAlive(runner) ? true : nil }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.hasPrefix(stem) && !$0.hasSuffix(".log") }
            #expect(leftovers.isEmpty, "\(leftovers)")

            // Idempotent, with a clear message.
            do {
                _ = try await daemon.client.stopAgent(workspace: nil, "api:cat")
                Issue.record("a second stop succeeded")
            } catch let error as ClientError {
                #expect(error.apiCode == "invalid_state")
                #expect(error.apiMessage?.contains("already stopped") == true && error.apiMessage?.contains("agent launch api:cat") == true)
            }
        }
    }

    @Test func aChildThatExitsAtOnceEndsTheSessionWithItsExitAndTail() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("quick", "echo goodbye from the agent; exit 3")
            _ = try await daemon.client.launch(workspace: nil, "api:quick")
            let session = try await eventually("the session to end") { () -> AgentSessionResponse? in
                let session = try await daemon.agent("api:quick").session
                return session?.endedAt == nil ? nil : session
            }
            #expect(session.endReason == "exited with code 3" && session.exitCode == 3 && session.exitSignal == nil)
            #expect(session.exitTail?.contains("goodbye from the agent") == true)
            #expect(session.online == false && session.runnerAlive == false)
            // Lists carry no tail.
            let listed = try await daemon.client.agents(workspace: nil).agents.first { $0.address == "api:quick" }
            #expect(listed?.session?.exitCode == 3 && listed?.session?.exitTail == nil)
            // A relaunch starts a new session.
            let relaunched = try await daemon.client.launch(workspace: nil, "api:quick")
            #expect(!relaunched.alreadyRunning && relaunched.session.id != session.id)
        }
    }

    @Test func aFloodOfOutputStaysBoundedAndStops() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("flood", "yes flooding-the-terminal")
            let launched = try await daemon.client.launch(workspace: nil, "api:flood")
            let child = try #require(launched.session.childPid)
            let stopped = try await daemon.client.stopAgent(workspace: nil, "api:flood")
            #expect(stopped.session.endedAt != nil)
            let tail = try #require(stopped.session.exitTail)
            #expect(tail.utf8.count <= 256 * 1024 && tail.contains("flooding-the-terminal"))
            _ = try await eventually("the flood to stop") { processAlive(child) ? nil : true }
        }
    }

    @Test func refusalsNameTheFix() async throws {
        try await ManagedDaemon.with { daemon in
            func refusal(_ address: String) async -> ClientError? {
                do {
                    _ = try await daemon.client.launch(workspace: nil, address)
                    return nil
                } catch {
                    return error as? ClientError
                }
            }

            // A missing program: the agent's own command, and the runtime's.
            _ = try await daemon.client.addAgent(
                workspace: nil,
                CreateAgentRequest(address: "api:nope", runtime: .custom, command: "no-such-program-x")
            )
            let missing = try #require(await refusal("api:nope"))
            #expect(missing.apiCode == "command_not_found")
            #expect(missing.apiMessage?.contains("no-such-program-x") == true)
            #expect(missing.apiMessage?.contains("whatsagent agent set api:nope --command") == true)
            _ = try await daemon.client.setRuntime("codex", SetRuntimeRequest(command: "/nonexistent/codex"))
            _ = try await daemon.client.addAgent(workspace: nil, CreateAgentRequest(address: "api:codex", runtime: .codex))
            let runtimeMissing = try #require(await refusal("api:codex"))
            #expect(runtimeMissing.apiCode == "command_not_found" && runtimeMissing.apiMessage?.contains("whatsagent runtime set codex") == true)
            // Nothing was left behind by the refusals.
            #expect(try await daemon.agent("api:nope").session == nil)

            // A live external session: disconnect first.
            try await daemon.addShellAgent("ext", "exec cat")
            _ = try await daemon.client.connect(workspace: nil, "api:ext", replace: false)
            let external = try #require(await refusal("api:ext"))
            #expect(external.apiCode == "session_exists" && external.apiMessage?.contains("whatsagent agent disconnect api:ext") == true)
            do {
                _ = try await daemon.client.stopAgent(workspace: nil, "api:ext")
                Issue.record("stop of an external session succeeded")
            } catch let error as ClientError {
                #expect(error.apiCode == "invalid_state" && error.apiMessage?.contains("agent disconnect") == true)
            }

            // The repo directory is gone.
            try await daemon.addShellAgent("gone", "exec cat")
            try FileManager.default.removeItem(atPath: daemon.repo)
            let gone = try #require(await refusal("api:gone"))
            #expect(gone.apiCode == "invalid_state" && gone.apiMessage?.contains("no longer exists") == true)
        }
    }

    @Test func stopEscalatesToSIGKILLForAChildThatIgnoresSIGTERMAndSIGHUP() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("stubborn", "trap '' TERM HUP; echo ready; while :; do sleep 1; done")
            let launched = try await daemon.client.launch(workspace: nil, "api:stubborn")
            let child = try #require(launched.session.childPid)
            let stopped = try await daemon.client.stopAgent(workspace: nil, "api:stubborn")
            #expect(stopped.session.exitSignal == SIGKILL)
            #expect(stopped.session.endReason == "stopped by the human (killed by signal 9)")
            #expect(!processAlive(child))
            // The whole process group went: no `sleep` of that agent survives (zombies left to PID 1 do not count).
            _ = try await eventually("the agent's process group to go") { liveMembers(ofGroup: child).isEmpty ? true : nil }
        }
    }

    @Test func aKilledRunnerEndsTheSessionAndKeepsItsMail() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("victim", "exec cat")
            let launched = try await daemon.client.launch(workspace: nil, "api:victim")
            let runner = try #require(launched.session.runnerPid)
            let sent = try await daemon.client.sendMessage(workspace: nil, SendMessageRequest(to: "api:victim", body: "keep me"))

            #expect(kill(runner, SIGKILL) == 0)
            let session = try await eventually("the session to end") { () -> AgentSessionResponse? in
                let session = try await daemon.agent("api:victim").session
                return session?.endedAt == nil ? nil : session
            }
            #expect(session.endReason?.contains("runner died") == true && session.runnerAlive == false)
            let mail = try await daemon.client.humanMessages(workspace: nil, peer: "api:victim", limit: 10).messages
            #expect(mail.first { $0.id == sent.message.id }?.state == "queued")

            let relaunched = try await daemon.client.launch(workspace: nil, "api:victim")
            #expect(!relaunched.alreadyRunning && relaunched.session.endedAt == nil)
        }
    }
}
