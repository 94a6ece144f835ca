import ArgumentParser
import Testing

@testable import WhatsAgentCLI

/// `msg search`, `msg broadcast` and `channel members` parse as documented.
@Suite struct MessageSearchCommandTests {
    @Test func searchTakesSenderChannelAndLimit() throws {
        let direct = try #require(
            try WhatsAgent.parseAsRoot(["msg", "search", "deploy window", "--sender", "api:dev", "--limit", "5", "--json"])
                as? MessageCommand.Search
        )
        let channel = try #require(try WhatsAgent.parseAsRoot(["msg", "search", "keys", "--channel", "#ops"]) as? MessageCommand.Search)
        let every = try #require(try WhatsAgent.parseAsRoot(["msg", "search", "keys", "--channels"]) as? MessageCommand.Search)

        #expect(direct.query == "deploy window" && direct.sender == "api:dev" && direct.limit == 5 && direct.global.json)
        #expect(direct.channel == nil && !direct.channels)
        #expect(channel.channel == "#ops" && channel.limit == 20)
        #expect(every.channels)
    }

    @Test func searchRefusesOneChannelAndAllChannelsTogether() {
        #expect(throws: (any Error).self) { try WhatsAgent.parseAsRoot(["msg", "search", "keys", "--channel", "ops", "--channels"]) }
    }

    @Test func broadcastAndMembersTakeTheirArgument() throws {
        let broadcast = try #require(
            try WhatsAgent.parseAsRoot(["msg", "broadcast", "lunch at noon", "--workspace", "w"]) as? MessageCommand.Broadcast
        )
        let members = try #require(try WhatsAgent.parseAsRoot(["channel", "members", "shared", "--json"]) as? ChannelCommand.Members)

        #expect(broadcast.body == "lunch at noon" && broadcast.scope.workspace == "w")
        #expect(members.name == "shared" && members.global.json)
    }
}
