import Foundation

/// The daemon's metrics (SPEC §13), served by `GET /metrics`. One instance per daemon, shared by the services that
/// record into it; recording is a lock and a dictionary update, cheap enough for the send path.
///
/// | Metric | Type | Labels |
/// |---|---|---|
/// | `whatsagent_sessions_live` | gauge (at scrape) | — |
/// | `whatsagent_sessions_connected` | gauge (at scrape) | — |
/// | `whatsagent_messages_sent_total` | counter | `kind` = direct, broadcast, channel |
/// | `whatsagent_messages_acknowledged_total` | counter | `kind` = direct, broadcast, kanban, channel |
/// | `whatsagent_messages_delivered_total` | counter | the same, under its name before SPEC §7.2's states (one release) |
/// | `whatsagent_messages_queued` | gauge (at scrape) | `kind` |
/// | `whatsagent_push_latency_seconds` | histogram | — |
/// | `whatsagent_tool_calls_total` | counter | `tool`, `outcome` = ok, refused, denied, failed |
/// | `whatsagent_http_requests_total` | counter | `method`, `route`, `status` = 2xx … 5xx |
/// | `whatsagent_store_write_transactions_total` | counter (read at scrape) | `store` = sqlite |
public struct DaemonMetrics: Sendable {
    /// Upper bounds of the push latency histogram, in seconds: SPEC §14 wants p50 ≤ 2 ms and p99 ≤ 10 ms.
    public static let pushLatencyBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public let registry: MetricsRegistry
    public let sessionsLive: GaugeFamily
    public let sessionsConnected: GaugeFamily
    public let messagesSent: CounterFamily
    public let messagesAcknowledged: CounterFamily
    /// `whatsagent_messages_delivered_total`: the old name of ``messagesAcknowledged``, counted alongside it for one
    /// release so dashboards can move.
    public let messagesDelivered: CounterFamily
    public let messagesQueued: GaugeFamily
    public let pushLatency: HistogramFamily
    public let toolCalls: CounterFamily
    public let httpRequests: CounterFamily
    /// Write transactions of the workspace stores (docs/store.md: one per use case).
    public let storeWriteTransactions: CounterFamily

    public init() {
        let registry = MetricsRegistry()
        self.registry = registry
        self.sessionsLive = registry.gauge(
            "whatsagent_sessions_live",
            help: "Agent sessions that have not ended (managed and external), in active workspaces."
        )
        self.sessionsConnected = registry.gauge(
            "whatsagent_sessions_connected",
            help: "Sessions holding their events stream now (the agent is online)."
        )
        self.messagesSent = registry.counter(
            "whatsagent_messages_sent_total",
            help: "Messages stored for delivery (refused sends and idempotent repeats are not counted; a broadcast counts once per recipient).",
            labels: ["kind"]
        )
        self.messagesAcknowledged = registry.counter(
            "whatsagent_messages_acknowledged_total",
            help: "Messages and channel posts an agent acknowledged after check_messages returned them.",
            labels: ["kind"]
        )
        self.messagesDelivered = registry.counter(
            "whatsagent_messages_delivered_total",
            help: "Deprecated: the same count as whatsagent_messages_acknowledged_total, under its old name (removed next release).",
            labels: ["kind"]
        )
        self.messagesQueued = registry.gauge(
            "whatsagent_messages_queued",
            help: "Messages waiting for their recipient (queued, pushed or surfaced; not yet acknowledged), at scrape time.",
            labels: ["kind"]
        )
        self.pushLatency = registry.histogram(
            "whatsagent_push_latency_seconds",
            help: "From the commit of a send to the push hint written to the recipient's events stream.",
            buckets: Self.pushLatencyBuckets
        )
        self.toolCalls = registry.counter(
            "whatsagent_tool_calls_total",
            help: "Agent tool calls by outcome: ok, refused (a rule or bad input), denied (RBAC), failed (inside the daemon).",
            labels: ["tool", "outcome"]
        )
        self.httpRequests = registry.counter(
            "whatsagent_http_requests_total",
            help: "HTTP requests on the Unix socket by method, matched route and status class.",
            labels: ["method", "route", "status"]
        )
        self.storeWriteTransactions = registry.counter(
            "whatsagent_store_write_transactions_total",
            help: "Write transactions (committed or rolled back) run by the workspace stores of this process, by store implementation.",
            labels: ["store"]
        )
    }

    /// Records the latency of one push hint, committed at `committedAt` and written now.
    public func recordPush(committedAt: ContinuousClock.Instant, now: ContinuousClock.Instant = .now) {
        let elapsed = now - committedAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        self.pushLatency.observe(max(0, seconds))
    }

    /// Sets the gauges computed at scrape time, then renders every metric.
    public func scrape(workspaces: WorkspaceService, hub: EventHub) async -> String {
        let snapshot = await workspaces.metricsSnapshot()
        self.sessionsLive.set(Double(snapshot.liveSessions))
        self.sessionsConnected.set(Double(await hub.connectedSessionCount()))
        self.messagesQueued.replaceAll(Dictionary(uniqueKeysWithValues: snapshot.queued.map { ([$0.key], Double($0.value)) }))
        self.storeWriteTransactions.advance(to: Double(workspaces.stores.writeTransactionTotal), [workspaces.stores.metricsLabel])
        return self.registry.render()
    }
}
