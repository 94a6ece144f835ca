import Testing
import WhatsAgentTerminal

/// `inputUnlessPrompt` (what the daemon types nudges with): nothing reaches the child while its screen shows a
/// prompt, the human's own input still does, and once the prompt is cleared the input goes through.
@Suite struct GuardedInputTests {
    @Test("input unless a prompt is on screen: refused while a y/n prompt shows, written once it is cleared")
    func refusedWhileAPromptShows() async throws {
        let runner = try await LaunchedRunner.start(
            #"printf 'Overwrite it? [y/N] '; IFS= read -r a; printf 'got:%s\n' "$a"; printf '\033[2J\033[Hready> '; IFS= read -r b; printf 'then:%s\n' "$b""#
        )
        let connection = try await runner.connect()
        #expect(connection.info.guardsInput == true)
        let events = EventRecorder.subscribe(connection)
        try await events.waitForText("[y/N] ")
        #expect(try await connection.requestInfo().prompt == "[y/n]")

        let refused = try await connection.send(inputUnlessPrompt: Array("abc\r".utf8))
        #expect(refused.prompt == "[y/n]" && refused.exit == nil)
        #expect(try await connection.requestInfo().lastInputAt == nil, "nothing was written")
        // The human answers (plain input is never held back): the child read only that.
        try await connection.send(input: Array("n\r".utf8))
        try await events.waitForText("got:n\r\n")
        try await events.waitForText("ready> ")
        #expect(try await connection.requestInfo().prompt == nil)

        let written = try await connection.send(inputUnlessPrompt: Array("hello\r".utf8))
        #expect(written.prompt == nil && written.exit == nil)
        try await events.waitForText("then:hello\r\n")
        #expect(try await events.waitForExit() == PTYExitStatus(code: 0))
        #expect(!events.text.contains("abc"))
        try await connection.acknowledgeExit()
    }
}
