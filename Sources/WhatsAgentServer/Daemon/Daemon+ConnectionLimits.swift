import Logging
import NIOPosix
import WhatsAgentCore

extension Daemon {
    /// Raises the descriptor limit and sizes the web listener's connection cap to it, leaving ``DescriptorBudget/reserve``
    /// descriptors to the owner socket, runners and databases; says at start what it chose.
    func connectionCap() -> Int {
        // The event loops' own descriptors exist before the count, so the budget is not short by them.
        _ = MultiThreadedEventLoopGroup.singleton
        guard let budget = DescriptorBudget.takeForProcess() else {
            self.logger.warning("cannot read the descriptor limit; the web connection cap is [ui] max_connections as configured")
            return self.configuration.maxConnections
        }
        let cap = budget.connectionCap(maxConnections: self.configuration.maxConnections)
        var metadata: Logger.Metadata = [
            "connections.cap": "\(cap)",
            "connections.max": "\(self.configuration.maxConnections)",
            "descriptors.soft": "\(budget.softLimit)",
            "descriptors.hard": "\(budget.hardLimit)",
            "descriptors.in_use": "\(budget.inUse)",
            "descriptors.reserve": "\(DescriptorBudget.reserve)",
            "timeouts.header_seconds": "\(self.configuration.headerTimeoutSeconds)",
            "timeouts.idle_seconds": "\(self.configuration.idleTimeoutSeconds)",
        ]
        if cap < self.configuration.maxConnections {
            metadata["hint"] = "raise the hard descriptor limit (ulimit -Hn, or LimitNOFILE= in a systemd unit) to serve more"
            self.logger.warning("the descriptor limit lowers the web connection cap below [ui] max_connections", metadata: metadata)
        } else {
            self.logger.info("web connection limits", metadata: metadata)
        }
        return cap
    }
}
