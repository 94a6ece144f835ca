import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// Issue 19's row: how many write transactions the daemon's stores run per `send_message` to a connected agent.
///
/// Reads `whatsagent_store_write_transactions_total` before and after `messages` sends (each waits for its `mail`
/// hint, so the push marks belong to the count), divides the difference by the sends. Every write of the daemon in
/// that window counts: the send itself, its push marks and the RBAC audit row of the call. The recipients drain their
/// inboxes afterwards, outside the count.
enum WriteTransactions {
    static let metric = "whatsagent_store_write_transactions_total"

    /// Write transactions per send; nil when the binary does not export the metric.
    static func run(daemon: DaemonHarness, agents: [DaemonHarness.Agent], board: MailBoard, messages: Int) async throws -> Double? {
        let client = DaemonClient(socketPath: daemon.info.socket)
        guard let before = self.total(try await client.metrics()) else { return nil }
        let count = agents.count
        for index in 0..<messages {
            let sender = agents[index % count]
            let recipient = agents[(index + 1) % count]
            let result = try await sender.client.call(
                "send_message",
                arguments: ["to": .string(recipient.address), "body": .string("write transactions \(index)")]
            )
            guard !result.isError, let id = result.structured?["messageId"]?.stringValue else {
                throw BenchError.unexpected("send_message from \(sender.address) failed: \(result.text)")
            }
            _ = try await board.arrival(of: id)
        }
        guard let after = self.total(try await client.metrics()) else { return nil }
        for agent in agents {
            while true {
                let inbox = try await agent.client.call("check_messages", arguments: ["limit": 100])
                guard !inbox.isError, let lease = inbox.leaseId else { break }
                try await agent.client.ack(leaseId: lease)
            }
        }
        return (after - before) / Double(messages)
    }

    /// The sum of the metric's series in a Prometheus text page; nil when it is absent.
    static func total(_ page: String) -> Double? {
        let samples = page.split(separator: "\n").filter { $0.hasPrefix(self.metric + "{") || $0.hasPrefix(self.metric + " ") }
        guard !samples.isEmpty else { return nil }
        return samples.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }
}
