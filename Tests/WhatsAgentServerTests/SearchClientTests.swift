import Foundation
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

@testable import WhatsAgentServer

/// `DaemonClient`'s search, broadcast, members and metrics calls against a real daemon, with query text that needs
/// encoding (`&`, `#`, `+`, quotes, accents).
@Suite struct SearchClientTests {
    @Test func theClientRoundTripsSearchBroadcastMembersAndMetrics() async throws {
        let home = HomeLayout(root: "/tmp/wsc-\(UUID().uuidString.prefix(8).lowercased())")
        let repo = home.root + "-repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: home.root)
            try? FileManager.default.removeItem(atPath: repo)
        }
        var configuration = DaemonConfiguration()
        configuration.port = 0
        let daemon = Daemon(home: home, configuration: configuration, version: "9.9.9", executablePath: "/usr/bin/whatsagent", logger: quietLogger)
        let (ready, continuation) = AsyncStream.makeStream(of: DaemonInfo.self)
        let task = Task {
            defer { continuation.finish() }
            try await daemon.run { info in continuation.yield(info) }
        }
        var readiness = ready.makeAsyncIterator()
        let info = try #require(await readiness.next())
        let client = DaemonClient(socketPath: info.socket)
        _ = try await client.createWorkspace(CreateWorkspaceRequest(name: "w"))
        _ = try await client.addRepo(workspace: nil, CreateRepoRequest(path: repo, name: "api"))
        _ = try await client.addAgent(workspace: nil, CreateAgentRequest(address: "api:main", main: true))
        _ = try await client.addAgent(workspace: nil, CreateAgentRequest(address: "api:dev"))

        let broadcast = try await client.broadcast(workspace: nil, BroadcastRequest(body: "Q&A #3: \"naïve\" C++ tips"))
        _ = try await client.sendMessage(workspace: nil, SendMessageRequest(to: "api:dev", body: "unrelated"))
        let found = try await client.searchMessages(workspace: nil, query: "Q&A #3: \"naive\" C++", sender: "human-web", limit: 5)
        let none = try await client.searchMessages(workspace: "w", query: "nothing here", sender: nil, limit: nil)
        let posts = try await client.searchChannels(workspace: nil, query: "tips", channel: "#shared", sender: nil, limit: nil)
        let members = try await client.channelMembers(workspace: nil, channel: "#shared")
        let metrics = try await client.metrics()
        await #expect(throws: ClientError.self) { try await client.searchMessages(workspace: nil, query: "x", sender: nil, limit: nil) }
        _ = try await client.stop(stopRunners: false)
        try await task.value

        #expect(broadcast.messages.count == 2 && broadcast.online == 0)
        #expect(found.query == "Q&A #3: \"naive\" C++")
        #expect(found.results.map(\.id) == [broadcast.messages[0].id], "one hit for the broadcast")
        #expect(found.results.first?.kind == "broadcast")
        #expect(none.results.isEmpty && none.total == 0 && !none.truncated)
        #expect(posts.results.isEmpty)
        #expect(members.channel == "shared" && Set(members.members.map(\.agent)) == ["api:main", "api:dev"])
        #expect(metrics.contains("whatsagent_messages_sent_total{kind=\"broadcast\"} 2\n"))
        #expect(metrics.contains("whatsagent_messages_queued{kind=\"direct\"} 1\n"))
    }
}
