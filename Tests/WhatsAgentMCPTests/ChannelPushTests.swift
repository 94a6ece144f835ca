import Foundation
import MCP
import Testing
import WhatsAgentAPI
import WhatsAgentClient

@testable import WhatsAgentMCP

/// Daemon events become MCP notifications as they arrive; the session's end ends the server.
@Suite struct ChannelPushTests {
    @Test func mailBecomesAClaudeChannelNotification() async throws {
        let backend = FakeAgentBackend()

        let received = try await withMCPSession(backend: backend) { session in
            backend.push(.mail(count: 2, ids: ["m-1", "m-2"], kinds: ["direct", "channel"]))
            return await session.nextNotification()
        }

        #expect(
            received
                == .channel(
                    content: "2 WhatsAgent messages waiting — call check_messages",
                    meta: ["count": "2", "message_ids": "m-1,m-2", "kinds": "direct,channel"]
                )
        )
    }

    @Test func aSingleMessageAlsoNamesSenderThreadAndKind() async throws {
        let backend = FakeAgentBackend()

        let received = try await withMCPSession(backend: backend) { session in
            backend.push(.mail(count: 1, ids: ["m-9"], kinds: ["direct"], from: "web:ui", thread: "m-3", kind: "direct"))
            return await session.nextNotification()
        }

        #expect(
            received
                == .channel(
                    content: "1 WhatsAgent message waiting — call check_messages",
                    meta: ["count": "1", "message_ids": "m-9", "kinds": "direct", "from": "web:ui", "thread_id": "m-3", "kind": "direct"]
                )
        )
    }

    @Test func toolsChangedRefetchesTheCatalogueAndAnnouncesIt() async throws {
        let backend = FakeAgentBackend()
        let smaller = AgentToolCatalogue(agent: "api:main", tools: Array(AgentToolCatalogue.sample.tools.prefix(1)))

        let (received, names) = try await withMCPSession(backend: backend) { session in
            await backend.setCatalogue(smaller)
            backend.push(.simple(.toolsChanged))
            let received = await session.nextNotification()
            return (received, try await session.client.listTools().tools.map(\.name))
        }

        #expect(received == .toolsChanged)
        #expect(names == smaller.tools.map(\.name))
    }

    @Test func sessionEndedStopsTheServer() async throws {
        let backend = FakeAgentBackend()

        let ending = try await withMCPSession(backend: backend) { session in
            backend.push(.simple(.sessionEnded, reason: "disconnected by the human"))
            return await session.ending()
        }

        #expect(ending == .sessionEnded(reason: "disconnected by the human"))
    }

    @Test func aRejectedTokenOnTheEventsStreamStopsTheServer() async throws {
        let backend = FakeAgentBackend()

        let ending = try await withMCPSession(backend: backend) { session in
            backend.dropConnection(throwing: ClientError.api(status: 401, code: "invalid_token", message: "the session has ended"))
            return await session.ending()
        }

        #expect(ending == .refused(status: 401, message: "the session has ended"))
    }

    @Test func anyOtherRefusalOfTheEventsStreamAlsoStopsTheServer() async throws {
        let backend = FakeAgentBackend()

        let ending = try await withMCPSession(backend: backend) { session in
            backend.dropConnection(throwing: ClientError.api(status: 409, code: "already_connected", message: "another MCP server holds it"))
            return await session.ending()
        }

        #expect(ending == .refused(status: 409, message: "another MCP server holds it"))
    }

    @Test func afterADaemonRestartThePumpReconnectsAndResyncsTools() async throws {
        let backend = FakeAgentBackend()
        let smaller = AgentToolCatalogue(agent: "api:main", tools: Array(AgentToolCatalogue.sample.tools.prefix(2)))

        let (connections, received) = try await withMCPSession(backend: backend) { session in
            var connections = backend.connections.makeAsyncIterator()
            let first = await connections.next()
            await backend.setCatalogue(smaller)
            backend.dropConnection()  // the daemon went away
            let second = await connections.next()
            backend.push(.mail(count: 1, ids: ["m-5"], kinds: ["broadcast"]))
            let received = [await session.nextNotification(), await session.nextNotification()]
            return ([first, second], received)
        }

        #expect(connections == [1, 2])
        #expect(received.first == .toolsChanged)
        #expect(
            received.last
                == .channel(
                    content: "1 WhatsAgent message waiting — call check_messages",
                    meta: ["count": "1", "message_ids": "m-5", "kinds": "broadcast"]
                )
        )
    }

    @Test func aReconnectWithUnchangedToolsAnnouncesNothing() async throws {
        let backend = FakeAgentBackend()

        let received = try await withMCPSession(backend: backend) { session in
            var connections = backend.connections.makeAsyncIterator()
            _ = await connections.next()
            backend.dropConnection(throwing: ClientError.daemonNotRunning(socket: "/tmp/wa.sock"))
            _ = await connections.next()
            backend.push(.mail(count: 3, ids: ["a", "b", "c"], kinds: ["direct", "direct", "kanban"]))
            return await session.nextNotification()
        }

        #expect(
            received
                == .channel(
                    content: "3 WhatsAgent messages waiting — call check_messages",
                    meta: ["count": "3", "message_ids": "a,b,c", "kinds": "direct,direct,kanban"]
                )
        )
    }
}
