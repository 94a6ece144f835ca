import Testing
import WhatsAgentTerminal

@testable import WhatsAgentRunners
@testable import WhatsAgentServer

/// The typed nudge's line (docs/security.md, "Typed nudges"): if it ever reaches a prompt, its keys must not answer it.
@Suite struct NudgeTextTests {
    @Test("the line starts with a key no prompt takes, holds no digit, and is one line")
    func noKeyAMenuTakes() {
        for count in [1, 2, 9, 10, 100, 12_345] {
            let text = RunnerSupervisor.nudgeText(count: count)
            // y/n prompts take y, Y, n, N (and Enter, space); numbered menus take digits; Codex's approvals a, p, y, n.
            let first = text.unicodeScalars.first
            #expect(first == "[", "\(text) starts with a key a prompt could take")
            #expect(!text.unicodeScalars.contains { $0.properties.numericType != nil }, "\(text) holds a digit: it picks a menu option")
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "\(text) holds a control key")
            #expect(text.hasSuffix("call check_messages"))
        }
        #expect(RunnerSupervisor.nudgeText(count: 1) == "[WhatsAgent] new message waiting — call check_messages")
        #expect(RunnerSupervisor.nudgeText(count: 3) == "[WhatsAgent] new messages waiting — call check_messages")
    }

    @Test("the line echoed on screen is not itself taken for a prompt (it would hold back the next nudge)")
    func notAPrompt() {
        var detector = AttentionDetector()
        _ = detector.scan(Array("› \(RunnerSupervisor.nudgeText(count: 2))\r\n".utf8))
        #expect(detector.promptOnScreen == nil)
    }
}
