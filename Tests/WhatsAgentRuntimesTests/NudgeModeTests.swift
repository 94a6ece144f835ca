import Testing
import WhatsAgentRuntimes

/// The decision table of `--push` × `--nudge` per push strategy (SPEC §6.3).
@Suite struct NudgeModeTests {
    @Test func pushesOffMeanNothingWhateverTheNudgeSwitch() {
        for nudge in [true, false] {
            #expect(PushStrategy.ptyNudge(idle: .seconds(1)).nudgeMode(pushEnabled: false, nudgeEnabled: nudge) == nil)
        }
    }

    @Test func ptyNudgedRuntimesTypeOnlyWithTheNudgeOn() {
        let strategy = PushStrategy.ptyNudge(idle: .seconds(1))
        #expect(strategy.nudgeMode(pushEnabled: true, nudgeEnabled: true) == .type)
        #expect(strategy.nudgeMode(pushEnabled: true, nudgeEnabled: false) == .flagOnly)
    }

    @Test func runtimesPushedAnotherWayAreNeverTypedInto() {
        for strategy in [PushStrategy.mcpNotification, .plugin, .extension, .none] {
            for push in [true, false] {
                for nudge in [true, false] {
                    #expect(strategy.nudgeMode(pushEnabled: push, nudgeEnabled: nudge) == nil, "\(strategy) push \(push) nudge \(nudge)")
                }
            }
        }
    }
}
