import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes

@testable import WhatsAgentRunners
@testable import WhatsAgentServer

/// The push path a managed Codex's session takes from what `codex-attach` recorded (issue 16): `app-server`, `typed`
/// because the app-server did not start, or `typed` because it stopped during the session — each reason says which.
@Suite struct AttachPushPathTests {
    @Test func eachStatusGivesItsPathAndReason() {
        #expect(RunnerSupervisor.attachPushPath(CodexAttachStatus(path: .appServer, appServerPID: 42)) == (.appServer, nil))
        let start = RunnerSupervisor.attachPushPath(CodexAttachStatus(path: .typed, reason: "`codex app-server` exited (status 2)"))
        #expect(start.0 == .typed)
        #expect(start.1 == "Codex's app-server did not start (`codex app-server` exited (status 2)); mail is typed")
        let lost = RunnerSupervisor.attachPushPath(
            CodexAttachStatus(path: .typed, reason: "it was killed by signal 9", duringSession: true)
        )
        #expect(lost.0 == .typed)
        #expect(
            lost.1 == "Codex's app-server stopped during the session (it was killed by signal 9); "
                + "Codex went on without it, so mail is typed until the agent is relaunched"
        )
    }

    @Test func theStatusFileKeepsDuringSessionOnlyWhenSet() throws {
        let encoded = try JSONEncoder().encode(CodexAttachStatus(path: .typed, reason: "r"))
        #expect(!String(decoding: encoded, as: UTF8.self).contains("duringSession"))
        let lost = try JSONDecoder().decode(CodexAttachStatus.self, from: Data(#"{"path":"typed","reason":"r","duringSession":true}"#.utf8))
        #expect(lost.duringSession == true)
    }
}
