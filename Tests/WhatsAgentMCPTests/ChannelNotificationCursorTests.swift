import Testing
import WhatsAgentAPI

/// SPEC §8 (issue 21): Claude's channel meta carries the mail event's `cursor` beside the count and the newest ids.
@Suite struct ChannelNotificationCursorTests {
    @Test func theMailEventsCursorIsInTheMeta() throws {
        let event = AgentEvent(
            kind: .mail,
            agent: "api:dev",
            sessionId: "s",
            count: 1_000,
            messageIds: (981...1_000).map(String.init),
            kinds: ["direct"],
            cursor: "1000"
        )
        let notification = try #require(ChannelNotification(event))
        #expect(notification.content == "1000 WhatsAgent messages waiting — call check_messages")
        #expect(notification.meta["count"] == "1000")
        #expect(notification.meta["cursor"] == "1000")
        #expect(notification.meta["message_ids"]?.split(separator: ",").count == 20)
    }
}
