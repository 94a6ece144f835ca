import Testing
import WhatsAgentTerminal

/// `AttentionDetector.promptOnScreen` on the real prompts a typed nudge must never answer (docs/security.md, "Typed
/// nudges"), and on what clears them.
@Suite("AttentionDetector.promptOnScreen")
struct PromptOnScreenTests {
    /// `text` fed in pieces of `piece` bytes (a prompt split across reads).
    static func screen(_ text: String, piece: Int = 7) -> AttentionDetector {
        var detector = AttentionDetector()
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: piece) { _ = detector.scan(bytes[start..<min(bytes.count, start + piece)]) }
        return detector
    }

    static let esc = "\u{1b}"

    @Test("Codex's MCP tool approval, drawn cell runs with cursor moves, the cursor on 1. Allow")
    func codexToolApproval() {
        let e = Self.esc
        let frame =
            "\(e)[12;1H\(e)[1mAllow the whatsagent MCP server to run tool \"send_message\"?\(e)[0m"
            + "\(e)[14;3H\(e)[36m› 1. Allow\(e)[39m\(e)[15;5H2. Allow for this session\(e)[16;5H3. Cancel"
            + "\(e)[18;3H\(e)[2mPress enter to confirm or esc to cancel\(e)[0m"
        #expect(Self.screen(frame).promptOnScreen == "mcp server to run tool")
        // Only the option lines in view (the question scrolled above): still a prompt.
        #expect(Self.screen("\(e)[14;3H› 1. Allow\(e)[15;5H2. Deny").promptOnScreen == "1. allow")
    }

    @Test("y/n questions, in any case and bracket")
    func yesNo() {
        #expect(Self.screen("Overwrite config.toml? [y/N] ").promptOnScreen == "[y/n]")
        #expect(Self.screen("Continue (Y/n)? ").promptOnScreen == "(y/n)")
        #expect(Self.screen("Delete it? [yes/no] ").promptOnScreen == "[yes/no]")
    }

    @Test("Claude Code's prompts: a tool approval, folder trust, a custom API key, development channels")
    func claudePrompts() {
        #expect(
            Self.screen("Bash command\r\n  rm -rf build\r\nDo you want to proceed?\r\n❯ 1. Yes\r\n  2. No").promptOnScreen == "do you want to proceed"
        )
        #expect(Self.screen("Do you want to make this edit to main.swift?\r\n❯ 1. Yes\r\n  2. No").promptOnScreen == "do you want to")
        let trust = "Quick safety check: Is this a project you created or one you trust?\r\n ❯ 1. Yes, I trust this folder\r\n   2. No, exit"
        #expect(Self.screen(trust).promptOnScreen == "quick safety check")
        #expect(Self.screen(" ❯ 1. Yes, I trust this folder\r\n   2. No, exit").promptOnScreen == "yes, i trust this folder")
        #expect(
            Self.screen("Detected a custom API key in your environment\r\n❯ 1. Yes\r\n  2. No (recommended)").promptOnScreen
                == "detected a custom api key"
        )
        #expect(
            Self.screen("WARNING: Loading development channels\r\n❯ 1. I am using this for local development\r\n  2. Exit").promptOnScreen
                == "i am using this for local development"
        )
    }

    @Test("ordinary output is no prompt")
    func ordinaryOutput() {
        let work = "Compiling 12 files… done\r\n• Ran swift build\r\n  └ Build complete! (3.2s)\r\n› Ask Codex to do anything\r\n"
        #expect(Self.screen(work).promptOnScreen == nil)
        #expect(Self.screen("1. Parse the input\r\n2. Allow empty lines\r\nyes/no flags are booleans").promptOnScreen == nil)
    }

    @Test("a prompt the screen no longer shows stops counting: cleared, or pushed out by later output")
    func promptsGoAway() {
        let e = Self.esc
        let prompt = "Overwrite config.toml? [y/N] "
        for clear in ["\(e)[2J", "\(e)[3J", "\(e)[H\(e)[J", "\(e)[1;1H\(e)[0J", "\(e)c", "\(e)[?1049h", "\(e)[?1049l"] {
            var detector = Self.screen(prompt)
            #expect(detector.promptOnScreen == "[y/n]")
            _ = detector.scan(Array("\(clear)ready\r\n".utf8))
            #expect(detector.promptOnScreen == nil, "\(clear.debugDescription) clears the screen")
        }
        var scrolled = Self.screen(prompt)
        _ = scrolled.scan(Array(String(repeating: "building target 42 of 99\r\n", count: 100).utf8))
        #expect(scrolled.promptOnScreen == nil)
        // Some output after it is not enough: it is still in view.
        var shown = Self.screen(prompt)
        _ = shown.scan(Array("\(e)[2K\(e)[1G(waiting)\r\n".utf8))
        #expect(shown.promptOnScreen == "[y/n]")
    }

    @Test("a full-frame redraw (home, the frame, erase the rest) keeps the prompt it draws")
    func redrawnFrame() {
        let e = Self.esc
        let detector = Self.screen("\(e)[H\(e)[2KApply the patch? [y/N] \(e)[J")
        #expect(detector.promptOnScreen == "[y/n]")
    }
}
