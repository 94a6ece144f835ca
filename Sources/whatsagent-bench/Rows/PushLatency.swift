import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// SPEC §14 row 1: `send_message` returns → the recipient's client has the push, with every agent connected.
///
/// One agent at a time sends a DM with ``AgentClient/call(_:arguments:)`` (the agent protocol over the Unix socket,
/// the path `whatsagent mcp` takes); the recipient's ``AgentClient/events()`` consumer timestamps the `mail` hint.
/// The recipient then drains with `check_messages` + `ack`, outside the timed section, so the waiting counts (and
/// the hints) stay one message long.
enum PushLatency {
    struct Run: Sendable {
        /// Send returned → hint received; 0 when the hint was already there (see ``early``).
        var afterReturn: [Double]
        /// Send call started → hint received.
        var afterCall: [Double]
        /// The `send_message` round trip.
        var sendCall: [Double]
        /// How many hints reached the recipient before the sender had its result.
        var early: Int
        /// Daemon CPU seconds per exchange (send, push, `check_messages`, `ack`).
        var daemonCPUPerExchange: Double
    }

    static func run(agents: [DaemonHarness.Agent], streams: AgentStreams, messages: Int, warmUp: Int, daemonPID: Int32) async throws -> Run {
        let deadline = Deadline(
            seconds: 60 + Double(messages) * 0.1,
            what: "push latency",
            onTimeout: { streams.board.fail(BenchError.timeout("mail")) }
        )
        return try await deadline.run {
            for index in 0..<warmUp { _ = try await self.exchange(index, agents: agents, board: streams.board) }
            var run = Run(afterReturn: [], afterCall: [], sendCall: [], early: 0, daemonCPUPerExchange: 0)
            let cpuBefore = CPUTime.seconds(pid: daemonPID)
            for index in 0..<messages {
                let (call, returned, arrival) = try await self.exchange(warmUp + index, agents: agents, board: streams.board)
                let afterReturn = (arrival - returned).milliseconds
                if afterReturn < 0 { run.early += 1 }
                run.afterReturn.append(max(0, afterReturn))
                run.afterCall.append((arrival - call).milliseconds)
                run.sendCall.append((returned - call).milliseconds)
            }
            run.daemonCPUPerExchange = (CPUTime.seconds(pid: daemonPID) - cpuBefore) / Double(messages)
            return run
        }
    }

    /// Message `index`: sender and recipient rotate over every pair. Returns when the call started, when it
    /// returned and when the hint arrived.
    private static func exchange(
        _ index: Int,
        agents: [DaemonHarness.Agent],
        board: MailBoard
    ) async throws -> (ContinuousClock.Instant, ContinuousClock.Instant, ContinuousClock.Instant) {
        let count = agents.count
        let sender = agents[index % count]
        let recipient = agents[(index + 1 + (index / count) % (count - 1)) % count]
        let arguments: JSONValue = ["to": .string(recipient.address), "body": .string("bench message \(index)")]

        let call = ContinuousClock.now
        let result = try await sender.client.call("send_message", arguments: arguments)
        let returned = ContinuousClock.now
        guard !result.isError, let id = result.structured?["messageId"]?.stringValue else {
            throw BenchError.unexpected("send_message from \(sender.address) failed: \(result.text)")
        }
        let arrival = try await board.arrival(of: id)

        // Untimed: the recipient reads and acknowledges, as its MCP server would.
        let inbox = try await recipient.client.call("check_messages", arguments: [:])
        guard !inbox.isError else { throw BenchError.unexpected("check_messages of \(recipient.address) failed: \(inbox.text)") }
        if let lease = inbox.leaseId { try await recipient.client.ack(leaseId: lease) }
        return (call, returned, arrival)
    }
}
