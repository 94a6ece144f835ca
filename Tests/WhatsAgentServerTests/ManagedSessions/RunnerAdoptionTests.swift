import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore
import WhatsAgentTerminal

/// Daemon restarts, the owner-socket boundary, presence and PTY nudges against a real daemon and real runners.
@Suite(.serialized) struct RunnerAdoptionTests {
    /// A shell snippet that holds the agent events stream with curl (what makes a session online).
    static let holdEvents =
        #"curl -sN --unix-socket "$WHATSAGENT_SOCKET" -H "Authorization: Bearer $WHATSAGENT_SESSION_TOKEN" http://localhost/api/v1/agent/events >/dev/null &"#

    @Test func aDaemonRestartKeepsRunnersAndReadoptsThem() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("shell", "exec cat")
            let go = "\(daemon.repo)/go"
            try await daemon.addShellAgent("short", "while [ ! -e \(go) ]; do sleep 0.05; done; echo got go; exit 7")
            let shell = try await daemon.client.launch(workspace: nil, "api:shell")
            let short = try await daemon.client.launch(workspace: nil, "api:short")
            let runner = try #require(shell.session.runnerPid)
            let metadata = "\(try await daemon.runDirectory())/\(short.session.id.prefix(8)).runner.json"

            try await daemon.stopDaemon()
            #expect(processAlive(runner), "stopping the daemon must not stop runners")
            // While the daemon is down, one agent exits: its runner records the exit in its metadata.
            FileManager.default.createFile(atPath: go, contents: Data())
            _ = try await eventually("the exit recorded by the runner") { (try? RunnerMetadata.read(from: metadata))?.exit }
            try await daemon.restartDaemon()
            let readopted = try #require(try await daemon.agent("api:shell").session)
            #expect(readopted.id == shell.session.id && readopted.endedAt == nil && readopted.runnerAlive == true)
            let ended = try #require(try await daemon.agent("api:short").session)
            #expect(ended.id == short.session.id && ended.endedAt != nil && ended.exitCode == 7)
            #expect(ended.endReason == "exited with code 7 while the daemon was down")
            #expect(ended.exitTail?.contains("got go") == true)
            // Its lingering runner was told the exit is recorded, and exited.
            let shortRunner = try #require(short.session.runnerPid)
            _ = try await eventually("the exited agent's runner to exit") { processAlive(shortRunner) ? nil : true }

            // Output flows again through the re-adopted runner.
            let access = try await daemon.client.terminalAccess(workspace: nil, "api:shell")
            let again = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
            var output = again.subscribe(fromOffset: again.info.endOffset).makeAsyncIterator()
            try await again.send(input: Array("after restart\n".utf8))
            var seen = ""
            while !seen.contains("after restart\r\nafter restart") {
                guard case .output(_, let bytes)? = try await output.next() ?? nil else { continue }
                seen += String(decoding: bytes, as: UTF8.self)
            }
            await again.close()

            // A runner killed while the daemon is down: its session ends with that reason at the next start.
            try await daemon.stopDaemon()
            #expect(kill(runner, SIGKILL) == 0)
            _ = try await eventually("the runner to die") { processAlive(runner) ? nil : true }
            try await daemon.restartDaemon()
            let gone = try #require(try await daemon.agent("api:shell").session)
            #expect(gone.endedAt != nil && gone.endReason == "runner gone while the daemon was down")
        }
    }

    @Test func processesOfAManagedAgentAreRefusedTheHumanAPI() async throws {
        try await ManagedDaemon.with { daemon in
            let out = daemon.repo
            let cli = "env -u WHATSAGENT_SESSION_TOKEN \(ManagedDaemon.executable) msg send --home \(daemon.home.root) api:other hi"
            try await daemon.addShellAgent("other", "exec cat")
            try await daemon.addShellAgent(
                "sneaky",
                """
                curl -s --unix-socket "$WHATSAGENT_SOCKET" http://localhost/api/v1/status > \(out)/status.json
                curl -s --unix-socket "$WHATSAGENT_SOCKET" -H "Authorization: Bearer $WHATSAGENT_SESSION_TOKEN" \
                  http://localhost/api/v1/agent/tools > \(out)/tools.json
                \(cli) 2> \(out)/cli.err; echo $? > \(out)/cli.tmp; mv \(out)/cli.tmp \(out)/cli.rc
                exec cat
                """
            )
            _ = try await daemon.client.launch(workspace: nil, "api:sneaky")
            let rc = try await eventually("the agent's requests") { FileManager.default.contents(atPath: "\(out)/cli.rc") }
            #expect(String(decoding: rc, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            let cliError = String(decoding: FileManager.default.contents(atPath: "\(out)/cli.err") ?? Data(), as: UTF8.self)
            #expect(cliError.contains("managed agent") && cliError.contains("MCP tools"))
            let status = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: "\(out)/status.json")))
            #expect(((status as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "human_only")
            // The agent protocol still works for it.
            let tools = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: "\(out)/tools.json")))
            #expect((tools as? [String: Any])?["agent"] as? String == "api:sneaky")

            // The same request from this process (not a runner descendant) acts as the human.
            let sent = try await daemon.client.sendMessage(workspace: nil, SendMessageRequest(to: "api:other", body: "hi"))
            #expect(sent.message.from == "human-web")
            // Only the human's message was stored.
            #expect(try await daemon.client.humanMessages(workspace: nil, peer: "api:other", limit: 10).messages.count == 1)
        }
    }

    @Test func aManagedSessionIsOnlineWhileItHoldsTheEventsStreamAndItsRunnerLives() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("plain", "exec cat")
            try await daemon.addShellAgent("listening", "\(Self.holdEvents)\nexec cat")
            _ = try await daemon.client.launch(workspace: nil, "api:plain")
            _ = try await daemon.client.launch(workspace: nil, "api:listening")
            let online = try await eventually("api:listening to come online") { () -> AgentSessionResponse? in
                let session = try await daemon.agent("api:listening").session
                return session?.online == true ? session : nil
            }
            #expect(online.runnerAlive == true)
            let plain = try #require(try await daemon.agent("api:plain").session)
            #expect(plain.online == false && plain.runnerAlive == true)

            // The runner dies: offline at once, and the session ends.
            let runner = try #require(online.runnerPid)
            #expect(kill(runner, SIGKILL) == 0)
            let ended = try await eventually("api:listening to end") { () -> AgentSessionResponse? in
                let session = try await daemon.agent("api:listening").session
                return session?.endedAt == nil ? nil : session
            }
            #expect(ended.online == false)
        }
    }

    @Test func mailForACustomAgentIsTypedAsANudgeOnceItsTerminalIsQuiet() async throws {
        try await ManagedDaemon.with { daemon in
            let lines = "\(daemon.repo)/lines.txt"
            try await daemon.addShellAgent(
                "nudged",
                """
                \(Self.holdEvents)
                while IFS= read -r line; do printf '%s\\n' "$line" >> \(lines); done
                """
            )
            _ = try await daemon.client.launch(workspace: nil, "api:nudged")
            _ = try await eventually("api:nudged to come online") { try await daemon.agent("api:nudged").session?.online == true ? true : nil }

            _ = try await daemon.client.sendMessage(workspace: nil, SendMessageRequest(to: "api:nudged", body: "first"))
            let typed = try await eventually("the nudge") { () -> String? in
                let text = String(decoding: FileManager.default.contents(atPath: lines) ?? Data(), as: UTF8.self)
                return text.isEmpty ? nil : text
            }
            #expect(typed == "[WhatsAgent] new message waiting — call check_messages\n")

            // A second message: the nudge says that several wait (the count comes with check_messages: no digit is typed).
            _ = try await daemon.client.sendMessage(workspace: nil, SendMessageRequest(to: "api:nudged", body: "second"))
            let second = try await eventually("the second nudge") { () -> String? in
                let text = String(decoding: FileManager.default.contents(atPath: lines) ?? Data(), as: UTF8.self)
                return text.split(separator: "\n").count >= 2 ? text : nil
            }
            #expect(second.hasSuffix("\n[WhatsAgent] new messages waiting — call check_messages\n"))
            _ = try await daemon.client.stopAgent(workspace: nil, "api:nudged")
        }
    }

    @Test func aNudgeWaitsWhileTheHumanIsTyping() async throws {
        try await ManagedDaemon.with { daemon in
            let lines = "\(daemon.repo)/drafts.txt"
            try await daemon.addShellAgent(
                "drafting",
                """
                \(Self.holdEvents)
                while IFS= read -r line; do printf '%s\\n' "$line" >> \(lines); done
                """
            )
            _ = try await daemon.client.launch(workspace: nil, "api:drafting")
            _ = try await eventually("api:drafting to come online") { try await daemon.agent("api:drafting").session?.online == true ? true : nil }

            // The human types a draft (no Enter): the nudge waits, flagged on the session, then follows the draft once the
            // human has been quiet for 3 s.
            let access = try await daemon.client.terminalAccess(workspace: nil, "api:drafting")
            let human = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
            try await human.send(input: Array("draft ".utf8))
            let typedAt = ContinuousClock.now
            _ = try await daemon.client.sendMessage(workspace: nil, SendMessageRequest(to: "api:drafting", body: "hello"))
            _ = try await eventually("the pending-nudge flag") { try await daemon.agent("api:drafting").session?.pendingNudge == true ? true : nil }
            let line = try await eventually("the delayed nudge", timeout: .seconds(20)) { () -> String? in
                let text = String(decoding: FileManager.default.contents(atPath: lines) ?? Data(), as: UTF8.self)
                return text.isEmpty ? nil : text
            }
            #expect(typedAt.duration(to: .now) >= .seconds(3))
            #expect(line == "draft [WhatsAgent] new message waiting — call check_messages\n")
            #expect(try await daemon.agent("api:drafting").session?.pendingNudge == false)
            await human.close()
        }
    }

    @Test func pushesOffMeansNoNudge() async throws {
        try await ManagedDaemon.with { daemon in
            let lines = "\(daemon.repo)/quiet.txt"
            try await daemon.addShellAgent(
                "quiet",
                """
                \(Self.holdEvents)
                while IFS= read -r line; do printf '%s\\n' "$line" >> \(lines); done
                """
            )
            _ = try await daemon.client.updateAgent(workspace: nil, "api:quiet", UpdateAgentRequest(pushEnabled: false))
            _ = try await daemon.client.launch(workspace: nil, "api:quiet")
            _ = try await eventually("api:quiet to come online") { try await daemon.agent("api:quiet").session?.online == true ? true : nil }
            _ = try await daemon.client.sendMessage(workspace: nil, SendMessageRequest(to: "api:quiet", body: "hello"))
            // A marker typed after the message: once it is in the file, a nudge (typed after 1 s of quiet) would be too.
            let access = try await daemon.client.terminalAccess(workspace: nil, "api:quiet")
            let human = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
            let sentAt = ContinuousClock.now
            _ = try await eventually("1.5 s of quiet") { sentAt.duration(to: .now) >= .milliseconds(1500) ? true : nil }
            try await human.send(input: Array("marker\r".utf8))
            let text = try await eventually("the marker") { () -> String? in
                let text = String(decoding: FileManager.default.contents(atPath: lines) ?? Data(), as: UTF8.self)
                return text.contains("marker") ? text : nil
            }
            #expect(text == "marker\n")
            #expect(try await daemon.agent("api:quiet").session?.pendingNudge == false)
            await human.close()
        }
    }
}
