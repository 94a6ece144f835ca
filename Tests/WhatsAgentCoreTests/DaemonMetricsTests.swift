import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The daemon's metrics are fed by real sends, acknowledgements and channel posts, and the gauges are computed at
/// scrape time.
@Suite struct DaemonMetricsTests {
    @Test func sendsDeliveriesAndWaitingMailAreCounted() async throws {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .star))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        for (name, main) in [("main", true), ("dev", false), ("qa", false)] {
            _ = try await AgentService(workspaces: workspaces).add(
                workspace: nil,
                AgentDraft(address: try AgentAddress(parsing: "api:\(name)"), isMain: main)
            )
        }
        let hub = EventHub()
        let metrics = DaemonMetrics()
        let messages = MessageService(workspaces: workspaces, hub: hub, metrics: metrics)
        let sessions = SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent")
        let grant = try await sessions.connect(workspace: nil, try AgentAddress(parsing: "api:main"), replace: false)
        let main = try await sessions.authenticate(grant.token.rawValue)
        let devGrant = try await sessions.connect(workspace: nil, try AgentAddress(parsing: "api:dev"), replace: false)
        let dev = try await sessions.authenticate(devGrant.token.rawValue)
        let (_, key) = await hub.subscribe(dev.session.id)

        _ = try await messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "one", clientMessageID: "c1")
        _ = try await messages.send(workspace: nil, from: .agent(main), to: "api:dev", body: "one", clientMessageID: "c1")
        _ = try await messages.broadcast(from: main, body: "all hands")
        await #expect(throws: DomainError.self) {
            try await messages.send(workspace: nil, from: .agent(dev), to: "api:qa", body: "refused in star", clientMessageID: nil)
        }
        let before = await metrics.scrape(workspaces: workspaces, hub: hub)
        let batch = try await messages.checkMessages(dev, limit: 10)
        try await messages.acknowledge(dev, leaseID: try #require(batch.leaseID))
        let after = await metrics.scrape(workspaces: workspaces, hub: hub)
        await hub.unsubscribe(dev.session.id, key: key)

        #expect(metrics.messagesSent.value(["direct"]) == 1, "the idempotent repeat and the refusal are not counted")
        #expect(metrics.messagesSent.value(["broadcast"]) == 2)
        #expect(metrics.messagesDelivered.value(["direct"]) == 1)
        #expect(metrics.messagesDelivered.value(["broadcast"]) == 1)
        #expect(before.contains("whatsagent_messages_queued{kind=\"direct\"} 1\n"))
        #expect(before.contains("whatsagent_messages_queued{kind=\"broadcast\"} 2\n"))
        #expect(after.contains("whatsagent_messages_queued{kind=\"broadcast\"} 1\n"), "qa's copy still waits")
        #expect(!after.contains("whatsagent_messages_queued{kind=\"direct\"}"))
        #expect(after.contains("whatsagent_sessions_live 2\n"))
        #expect(after.contains("whatsagent_sessions_connected 1\n"))
        #expect(metrics.pushLatency.snapshot()?.count == nil, "latency is recorded where the hint is written to the stream")
    }

    @Test func channelPostsAndTheirDeliveryAreCounted() async throws {
        let home = try TemporaryHome()
        let workspaces = try makeFileService(home: home)
        _ = try await workspaces.create(WorkspaceDraft(name: "w", topology: .channel))
        _ = try await RepoService(workspaces: workspaces).add(workspace: nil, path: try home.makeDirectory("api"), name: nil)
        for name in ["main", "dev"] {
            _ = try await AgentService(workspaces: workspaces).add(workspace: nil, AgentDraft(address: try AgentAddress(parsing: "api:\(name)")))
        }
        let hub = EventHub()
        let metrics = DaemonMetrics()
        let messages = MessageService(workspaces: workspaces, hub: hub, metrics: metrics)
        let channels = ChannelService(workspaces: workspaces, messages: messages)
        let sessions = SessionService(workspaces: workspaces, hub: hub, socketPath: "/s", executablePath: "/bin/whatsagent")
        let devGrant = try await sessions.connect(workspace: nil, try AgentAddress(parsing: "api:dev"), replace: false)
        let dev = try await sessions.authenticate(devGrant.token.rawValue)

        _ = try await channels.post(workspace: nil, from: .human, channel: "shared", body: "first")
        _ = try await channels.post(workspace: nil, from: .human, channel: "shared", body: "second")
        let batch = try await messages.checkMessages(dev, limit: 10)
        try await messages.acknowledge(dev, leaseID: try #require(batch.leaseID))

        #expect(metrics.messagesSent.value(["channel"]) == 2)
        #expect(metrics.messagesDelivered.value(["channel"]) == 2)
    }

    @Test func pushLatencyIsMeasuredFromTheCommitInstant() {
        let metrics = DaemonMetrics()
        let committed = ContinuousClock.now

        metrics.recordPush(committedAt: committed, now: committed.advanced(by: .milliseconds(3)))

        let snapshot = metrics.pushLatency.snapshot()
        #expect(snapshot?.count == 1)
        #expect(abs((snapshot?.sum ?? 0) - 0.003) < 1e-9)
        #expect(metrics.registry.render().contains("whatsagent_push_latency_seconds_bucket{le=\"0.005\"} 1\n"))
        #expect(metrics.registry.render().contains("whatsagent_push_latency_seconds_bucket{le=\"0.002\"} 0\n"))
    }
}
