import Foundation
import MCP
import Testing
import WhatsAgentAPI

@testable import WhatsAgentMCP

/// `whatsagent://inbox` (SPEC §8, issue 16): the standard push for any MCP client — a body-free resource, a
/// subscription the daemon hears of, and `notifications/resources/updated` next to the Claude notification.
@Suite struct InboxResourceTests {
    static let waiting = AgentInboxResponse(
        count: 2,
        messageIds: ["7", "c3"],
        kinds: ["channel", "direct"],
        hint: "2 WhatsAgent messages waiting — call check_messages"
    )

    @Test func theServerOffersTheInboxWithSubscriptions() async throws {
        let (capabilities, resources) = try await withMCPSession { session in
            (session.initialize.capabilities.resources, try await session.client.listResources().resources)
        }

        #expect(capabilities?.subscribe == true)
        #expect(resources.map(\.uri) == ["whatsagent://inbox"])
    }

    @Test func aSubscribedClientHearsOfNewMailAndReadsTheInboxWithoutBodies() async throws {
        let backend = FakeAgentBackend()
        await backend.setInbox(Self.waiting)

        let (first, second, contents) = try await withMCPSession(backend: backend) { session in
            try await session.client.subscribeToResource(uri: "whatsagent://inbox")
            backend.push(.mail(count: 2, ids: ["7", "c3"], kinds: ["channel", "direct"]))
            let first = await session.nextNotification()
            let second = await session.nextNotification()
            return (first, second, try await session.client.readResource(uri: "whatsagent://inbox"))
        }

        #expect(first == .channel(content: Self.waiting.hint, meta: ["count": "2", "message_ids": "7,c3", "kinds": "channel,direct"]))
        #expect(second == .resourceUpdated(uri: "whatsagent://inbox"))
        #expect(await backend.subscriptions == [true], "the daemon heard of the subscription")
        #expect(await backend.inboxReads == 1)
        let text = try #require(contents.first?.text)
        #expect(try WireJSON.decoder().decode(AgentInboxResponse.self, from: Data(text.utf8)) == Self.waiting)
        #expect(contents.first?.mimeType == "application/json")
    }

    @Test func withoutASubscriptionOnlyTheClaudeNotificationGoesOut() async throws {
        let backend = FakeAgentBackend()

        let (first, second) = try await withMCPSession(backend: backend) { session in
            backend.push(.mail(count: 1, ids: ["7"], kinds: ["direct"]))
            let first = await session.nextNotification()
            // Whatever follows the channel push comes before this one: a resource update would show up here.
            backend.push(.simple(.toolsChanged))
            return (first, await session.nextNotification())
        }

        #expect(first?.isChannel == true)
        #expect(second == .toolsChanged)
    }

    @Test func unsubscribingStopsTheUpdates() async throws {
        let backend = FakeAgentBackend()

        let (first, second) = try await withMCPSession(backend: backend) { session in
            try await session.client.subscribeToResource(uri: "whatsagent://inbox")
            // The SDK's client has no unsubscribe call and its parameters no public initializer: decode them.
            let parameters = try JSONDecoder().decode(ResourceUnsubscribe.Parameters.self, from: Data(#"{"uri":"whatsagent://inbox"}"#.utf8))
            _ = try await session.client.send(ResourceUnsubscribe.request(parameters)).value
            backend.push(.mail(count: 1, ids: ["7"], kinds: ["direct"]))
            let first = await session.nextNotification()
            backend.push(.simple(.toolsChanged))
            return (first, await session.nextNotification())
        }

        #expect(first?.isChannel == true)
        #expect(second == .toolsChanged)
        #expect(await backend.subscriptions == [true, false])
    }

    @Test func anUnknownResourceIsRefusedNamingTheInbox() async throws {
        let error = try await withMCPSession { session in
            do {
                _ = try await session.client.readResource(uri: "whatsagent://outbox")
                return nil as MCPError?
            } catch let error as MCPError {
                return error
            }
        }

        #expect(error?.localizedDescription.contains("whatsagent://inbox") == true)
    }
}

extension ReceivedNotification {
    var isChannel: Bool {
        if case .channel = self { return true }
        return false
    }
}
