import WhatsAgentAPI

/// The daemon's typed configuration, built at the edge from defaults < `daemon.toml` < environment < flags and
/// passed down (SPEC §5).
public struct DaemonConfiguration: Equatable, Sendable {
    /// How the web side treats an unexpected `Host` header.
    public enum HostCheck: String, Sendable, CaseIterable {
        case enforce
        case warn
        case off
    }

    public var host = "127.0.0.1"
    public var port = 4017
    public var allowHosts: [String] = []
    public var hostCheck: HostCheck = .enforce
    public var maxRequestBytes = 256 * 1024
    /// Seconds a TCP connection has to deliver a complete request head, after it opens or after the first byte of a
    /// later request.
    public var headerTimeoutSeconds = 10
    /// Seconds a TCP connection with no request in flight may read nothing before it is closed (WebSockets excepted).
    public var idleTimeoutSeconds = 60
    /// Most TCP connections served at once; fewer when the descriptor limit cannot afford them.
    public var maxConnections = 512
    public var webDirectory: String?
    public var rbacCeiling: RBACMode = .enforce
    public var runnerBufferBytes = 1024 * 1024
    /// Seconds a push may wait for its confirmation (a `check_messages`, a re-read of `whatsagent://inbox`, the
    /// app-server's turn) before the agent shows a warning and a managed Claude falls back to typed nudges.
    public var pushConfirmSeconds = 60
    /// Default chat retention for new workspaces.
    public var chatRetention: Retention = .days(30)
    /// Days a trashed workspace is kept before it is purged; 0 keeps it until purged by hand.
    public var trashDays = 30
    /// Days audit entries are kept.
    public var auditDays = 90
    /// Most audit entries a workspace keeps; the oldest beyond this are pruned even when younger than `auditDays`,
    /// so a busy workspace's audit log stays bounded on disk.
    public var auditMaxEntries = 1_000_000
    /// Seconds between two maintenance passes (trash purge, chat and audit retention).
    public var pruneEverySeconds = 3600
    /// Size at which `logs/daemon.log` is rotated.
    public var logMaxFileBytes = 10 << 20
    /// Rotated log files kept (`daemon.log.1` … `daemon.log.<keep>`).
    public var logKeepFiles = 5
    /// Where the shared data lives: nil for SQLite files in the home (the default), else a PostgreSQL database shared
    /// by several daemons (SPEC §17; `--store`, `WHATSAGENT_STORE_URL`, `[store] url`).
    public var postgres: PostgresAddress?
    /// Seconds a daemon's presence lease lasts on a shared store; it renews it at a third of that.
    public var presenceLeaseSeconds = 30
    /// Seconds between two catch-up scans of a shared store (what a lost notification costs at most).
    public var catchUpScanSeconds = 5

    public init() {}

    /// Defaults for workspaces created under this configuration.
    public var workspaceDefaults: WorkspaceDefaults {
        var defaults = WorkspaceDefaults()
        defaults.chatRetention = self.chatRetention
        return defaults
    }
}

/// Values given as `whatsagent start` flags; they win over everything else.
public struct ConfigurationFlags: Equatable, Sendable {
    public var host: String?
    public var port: Int?
    public var rbacCeiling: RBACMode?
    /// `--store postgresql://…`.
    public var store: String?

    public init(host: String? = nil, port: Int? = nil, rbacCeiling: RBACMode? = nil, store: String? = nil) {
        self.host = host
        self.port = port
        self.rbacCeiling = rbacCeiling
        self.store = store
    }
}
