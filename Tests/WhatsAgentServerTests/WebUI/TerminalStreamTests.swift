import Foundation
import Testing
import WebSocketProbe
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentTerminal

@testable import WhatsAgentServer

/// The browser terminal WebSocket against a real daemon (in this process) and real runners, through its TCP listener
/// with a real login, from a plain WebSocket client.
@Suite(.serialized) struct TerminalStreamTests {
    @Test func restoresThenStreamsLiveOutputInputAndResize() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("sh", "echo printed-before-any-viewer; PS1='$ ' exec /bin/sh -i")
            _ = try await daemon.client.launch(workspace: nil, "api:sh")
            try await daemon.waitForOutput("api:sh", containing: "printed-before-any-viewer")
            let login = try await WebLogin.setUp(daemon)

            let view = try await login.openTerminal("api:sh")
            #expect(view.startOffset == 0 && view.endOffset > 0)
            #expect(view.size == TerminalSize.default)
            // Restore: what was printed before connecting arrives first.
            try await view.read { $0.offset >= view.endOffset }
            #expect(view.text.hasPrefix("printed-before-any-viewer"))

            // Input (binary frames) reaches the shell and its output comes back live.
            try await view.type("echo typed-$((6*7))\n")
            try await view.read(untilOutputContains: "typed-42")
            // Text input frames too.
            try await view.socket.send(text: #"{"type":"input","data":"echo text-$((7*8))\n"}"#)
            try await view.read(untilOutputContains: "text-56")

            // Resize reaches the PTY: every viewer hears it, and the shell sees the new size.
            try await view.socket.send(text: #"{"type":"resize","cols":100,"rows":40}"#)
            try await view.read { !$0.events(ofType: "resized").isEmpty }
            let resized = try #require(view.events(ofType: "resized").first)
            #expect(resized["cols"] as? Int == 100 && resized["rows"] as? Int == 40)
            try await view.type("stty size\n")
            try await view.read(untilOutputContains: "40 100")

            // A redraw is a size toggle (one row less, then back): the size ends where it was.
            try await view.socket.send(text: #"{"type":"redraw"}"#)
            var restored = false
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while !restored, ContinuousClock.now < deadline {
                let before = view.bytes.count
                try await view.type("stty size\n")
                try await view.read { String(decoding: $0.bytes[before...], as: UTF8.self).contains(" 100\r\n$ ") }
                restored = String(decoding: view.bytes[before...], as: UTF8.self).contains("40 100")
            }
            #expect(restored && view.closeCode == nil)
            await view.socket.close()
        }
    }

    @Test func twoViewersSeeTheSameBytesAndAReconnectResumesWithoutGapOrDuplicate() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("echo", #"stty -echo; echo ready; while read -r line; do echo "got:$line"; done"#)
            _ = try await daemon.client.launch(workspace: nil, "api:echo")
            try await daemon.waitForOutput("api:echo", containing: "ready")
            let login = try await WebLogin.setUp(daemon)

            let first = try await login.openTerminal("api:echo")
            let second = try await login.openTerminal("api:echo")
            #expect(first.startOffset == second.startOffset)
            for index in 1...20 { try await first.type("line-\(index)\n") }
            try await first.read(untilOutputContains: "got:line-20")
            try await second.read(untilOutputContains: "got:line-20")
            #expect(first.bytes == second.bytes)

            // The first viewer leaves; output goes on; it comes back with from=<its offset>.
            let resumeAt = first.offset
            await first.socket.close()
            for index in 21...40 { try await second.type("line-\(index)\n") }
            try await second.read(untilOutputContains: "got:line-40")
            let resumed = try await login.openTerminal("api:echo", from: resumeAt)
            #expect(resumed.startOffset == resumeAt)
            try await resumed.read(untilOutputContains: "got:line-40")
            let missed = Array(second.bytes[Int(resumeAt - second.startOffset)...])
            #expect(Array(resumed.bytes.prefix(missed.count)) == missed, "the resumed stream has a gap or a duplicate")
            #expect(resumed.text.hasPrefix("got:line-21"))

            // A paste of 20 KB arrives as one frame (over hummingbird's 16 KiB default) and reaches the agent whole.
            try await second.type(String(repeating: "p\n", count: 10_000))
            let pasted = try await second.read { $0.text.components(separatedBy: "got:p\r\n").count > 10_000 }
            #expect(pasted && second.closeCode == nil)
            await resumed.socket.close()
            await second.socket.close()
        }
    }

    @Test func theAgentExitingSendsExitedThenANormalClose() async throws {
        try await ManagedDaemon.with { daemon in
            try await daemon.addShellAgent("quits", "echo ready; read -r _; echo bye; exit 7")
            _ = try await daemon.client.launch(workspace: nil, "api:quits")
            try await daemon.waitForOutput("api:quits", containing: "ready")
            let login = try await WebLogin.setUp(daemon)

            let view = try await login.openTerminal("api:quits")
            try await view.type("\n")
            let closed = try await view.read { $0.closeCode != nil }
            #expect(closed && view.closeCode == 1000)
            #expect(view.text.contains("bye"))
            let exited = try #require(view.events(ofType: "exited").first)
            #expect(exited["exitCode"] as? Int == 7 && exited["reason"] as? String == "exited with code 7")
            // The session ended: a new viewer is refused.
            _ = try await eventually("the session to end") { try await daemon.agent("api:quits").session?.endedAt }
            await #expect(throws: WebSocketProbe.Failure.self) {
                _ = try await WebSocketProbe.connect(base: login.base, path: login.streamPath("api:quits"), cookie: login.cookie)
            }
        }
    }

    @Test func aViewerThatDoesNotReadIsClosedWithoutHoldingUpTheOthers() async throws {
        try await ManagedDaemon.with { daemon in
            // 24 MB on a newline: more than the 8 MiB a viewer may fall behind, plus what the socket buffers hold.
            let flood = "stty -echo; echo ready; read -r _; head -c 24000000 /dev/zero | tr '\\0' x; echo; echo flood-done; exec cat"
            try await daemon.addShellAgent("flood", flood)
            _ = try await daemon.client.launch(workspace: nil, "api:flood")
            try await daemon.waitForOutput("api:flood", containing: "ready")
            let login = try await WebLogin.setUp(daemon)

            let stalled = try await login.openTerminal("api:flood")
            // The other viewer follows like the web page: a close with 1013 (it fell behind too, as a debug build on a
            // busy machine may) is followed by a reconnect from its offset.
            var follower = try await login.openTerminal("api:flood")
            try await follower.type("\n")
            var reconnects = 0
            while true {
                try await follower.read(timeout: .seconds(60)) { $0.tail(contains: "flood-done") || $0.closeCode != nil }
                if follower.tail(contains: "flood-done") { break }
                #expect(follower.closeCode == TerminalViewer.CloseCode.tooSlow)
                reconnects += 1
                try #require(reconnects < 50, "the follower never caught up")
                follower = try await login.openTerminal("api:flood", from: follower.offset)
            }
            #expect(follower.closeCode == nil)

            // The stalled viewer now reads: what was queued for it, then a reconnect-able close.
            let closed = try await stalled.read(timeout: .seconds(60)) { $0.closeCode != nil }
            #expect(closed && stalled.closeCode == TerminalViewer.CloseCode.tooSlow)
            #expect(!stalled.text.contains("flood-done"))
            // It resumes from its offset (the runner keeps the newest output; the bytes before startOffset are gone).
            let again = try await login.openTerminal("api:flood", from: stalled.offset)
            #expect(again.startOffset >= stalled.offset)
            try await again.read(untilOutputContains: "flood-done")
            await again.socket.close()
            await follower.socket.close()
        }
    }
}
