import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

@testable import WhatsAgentServer

/// `GET /metrics`: the exposition over the in-process router, and a real daemon whose counters and push latency
/// histogram follow a real send.
@Suite struct MetricsAPITests {
    @Test func metricsAreServedAsPrometheusTextAndCountRequestsByRouteTemplate() async throws {
        try await withSocketAPI { client, _ in
            _ = try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: "w"))
            _ = try await client.send(.get, "/api/v1/workspaces/w")
            _ = try await client.send(.get, "/api/v1/workspaces/nope")
            _ = try await client.send(.get, "/no/such/route")
            _ = try await client.send(.post, "/api/v1/agent/tools/whoami", json: "{}")

            let (status, contentType, text) = try await client.execute(uri: "/metrics", method: .get) { response in
                (response.status, response.headers[.contentType], String(buffer: response.body))
            }

            #expect(status == .ok)
            #expect(contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            for family in [
                "whatsagent_sessions_live gauge", "whatsagent_sessions_connected gauge", "whatsagent_messages_sent_total counter",
                "whatsagent_messages_acknowledged_total counter", "whatsagent_messages_delivered_total counter",
                "whatsagent_messages_queued gauge",
                "whatsagent_push_latency_seconds histogram", "whatsagent_tool_calls_total counter", "whatsagent_http_requests_total counter",
            ] {
                #expect(text.contains("# TYPE \(family)\n"), "\(family)")
            }
            #expect(text.contains(#"whatsagent_http_requests_total{method="GET",route="/api/v1/workspaces/{workspace}",status="2xx"} 1"#))
            #expect(text.contains(#"whatsagent_http_requests_total{method="GET",route="/api/v1/workspaces/{workspace}",status="4xx"} 1"#))
            #expect(text.contains(#"whatsagent_http_requests_total{method="POST",route="/api/v1/workspaces",status="2xx"} 1"#))
            #expect(text.contains(#"whatsagent_http_requests_total{method="GET",route="unmatched",status="4xx"} 1"#))
            #expect(text.contains(#"route="/api/v1/agent/tools/{tool}",status="4xx"} 1"#), "no token: 401")
            #expect(text.contains("whatsagent_sessions_live 0\n"))
        }
    }

    @Test func aRealSendFeedsTheCountersAndThePushLatencyHistogram() async throws {
        let home = HomeLayout(root: "/tmp/wam-\(UUID().uuidString.prefix(8).lowercased())")
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
        let main = AgentClient(socketPath: info.socket, token: try await client.connect(workspace: nil, "api:main", replace: false).token)
        let dev = AgentClient(socketPath: info.socket, token: try await client.connect(workspace: nil, "api:dev", replace: false).token)
        var events = dev.events().makeAsyncIterator()
        #expect(try await events.next()?.kind == .hello)

        let sent = try await main.call("send_message", arguments: ["to": "api:dev", "body": "ping"])
        let hint = try await events.next()
        let denied = try await dev.call("broadcast_message", arguments: ["body": "engineers may not broadcast"])
        let inbox = try await dev.call("check_messages", arguments: [:])
        try await dev.ack(leaseId: try #require(inbox.leaseId))
        // The histogram is written just after the hint goes out; poll the scrape until it shows, with a deadline.
        var text = try await client.metrics()
        let deadline = ContinuousClock.now + .seconds(10)
        while !text.contains("whatsagent_push_latency_seconds_count 1\n"), ContinuousClock.now < deadline {
            await Task.yield()
            text = try await client.metrics()
        }
        _ = try await client.stop(stopRunners: false)
        try await task.value

        #expect(!sent.isError && hint?.kind == .mail && denied.isError)
        #expect(text.contains("whatsagent_push_latency_seconds_count 1\n"))
        #expect(text.contains("whatsagent_push_latency_seconds_bucket{le=\"+Inf\"} 1\n"))
        #expect(text.contains("whatsagent_messages_sent_total{kind=\"direct\"} 1\n"))
        #expect(text.contains("whatsagent_messages_acknowledged_total{kind=\"direct\"} 1\n"))
        #expect(text.contains("whatsagent_messages_delivered_total{kind=\"direct\"} 1\n"), "the old name, one more release")
        #expect(text.contains("whatsagent_tool_calls_total{tool=\"send_message\",outcome=\"ok\"} 1\n"))
        #expect(text.contains("whatsagent_tool_calls_total{tool=\"broadcast_message\",outcome=\"denied\"} 1\n"))
        #expect(text.contains("whatsagent_sessions_live 2\n"))
        #expect(text.contains("whatsagent_sessions_connected 1\n"))
        #expect(!text.contains("whatsagent_messages_queued{"), "nothing waits any more")
    }
}
