import ArgumentParser
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCLI

/// The command names of SPEC §4 for peer rules, loop-guard holds and mute.
@Suite struct MessagingControlsParsingTests {
    @Test func peerRuleSubcommandsParse() throws {
        let mode = try #require(try WhatsAgent.parseAsRoot(["peer-rule", "mode", "allow-list", "--workspace", "w"]) as? PeerRuleCommand.Mode)
        let add = try #require(try WhatsAgent.parseAsRoot(["peer-rule", "add", "api:a", "api:b"]) as? PeerRuleCommand.Add)
        let remove = try #require(try WhatsAgent.parseAsRoot(["peer-rule", "remove", "api:b", "api:a", "--json"]) as? PeerRuleCommand.Remove)

        #expect(mode.mode == .allowList && mode.scope.workspace == "w")
        #expect(add.first == "api:a" && add.second == "api:b")
        #expect(remove.first == "api:b" && remove.global.json)
        #expect(try WhatsAgent.parseAsRoot(["peer-rule", "list"]) is PeerRuleCommand.List)
    }

    @Test func anUnknownPeerRuleModeIsAUsageError() {
        #expect(throws: (any Error).self) { try WhatsAgent.parseAsRoot(["peer-rule", "mode", "maybe"]) }
    }

    @Test func holdsAndReleaseAreMessageSubcommands() throws {
        let release = try #require(try WhatsAgent.parseAsRoot(["msg", "release", "api:a", "api:b"]) as? MessageCommand.Release)

        #expect(release.first == "api:a" && release.second == "api:b")
        #expect(try WhatsAgent.parseAsRoot(["msg", "holds", "--json"]) is MessageCommand.Holds)
        #expect(throws: (any Error).self) { try WhatsAgent.parseAsRoot(["msg", "release", "api:a"]) }
    }

    @Test func agentSetTakesMute() throws {
        let command = try #require(try WhatsAgent.parseAsRoot(["agent", "set", "api:a", "--mute", "on", "--push", "off"]) as? AgentCommand.Set)

        #expect(command.mute == .on)
        #expect(command.push == .off)
        #expect(throws: (any Error).self) { try WhatsAgent.parseAsRoot(["agent", "set", "api:a", "--mute", "loud"]) }
    }
}
