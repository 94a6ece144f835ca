import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// Issue 21's row: a send and its push cost the same whatever already waits for the recipient.
///
/// One sender sends `sends` DMs, each awaited until its `mail` hint arrives, to a recipient whose inbox starts empty,
/// then as many to a second recipient already holding `waiting` unread messages (sent first, unmeasured). Neither
/// recipient reads in between. The daemon's CPU per send of the second batch over the first's is the ratio; then both
/// drain, so the rows after this one start from empty inboxes.
enum Backlog {
    struct Run: Sendable {
        var waiting: Int
        /// Daemon CPU seconds per send (and its push) to the empty inbox, and to the one holding `waiting`.
        var emptyCPU: Double
        var backlogCPU: Double

        var ratio: Double { self.emptyCPU > 0 ? self.backlogCPU / self.emptyCPU : 0 }
    }

    static func run(agents: [DaemonHarness.Agent], board: MailBoard, sends: Int, waiting: Int, daemonPID: Int32) async throws -> Run {
        guard agents.count >= 3 else { throw BenchError.unexpected("the backlog row needs 3 agents") }
        let (sender, empty, full) = (agents[0], agents[1], agents[2])
        for index in 0..<waiting {
            _ = try await self.send(from: sender, to: full, "backlog \(index)")
        }
        let emptyCPU = try await self.measure(from: sender, to: empty, sends: sends, board: board, daemonPID: daemonPID)
        let backlogCPU = try await self.measure(from: sender, to: full, sends: sends, board: board, daemonPID: daemonPID)
        for agent in [empty, full] { try await self.drain(agent) }
        return Run(waiting: waiting, emptyCPU: emptyCPU, backlogCPU: backlogCPU)
    }

    private static func measure(
        from sender: DaemonHarness.Agent,
        to recipient: DaemonHarness.Agent,
        sends: Int,
        board: MailBoard,
        daemonPID: Int32
    ) async throws -> Double {
        let before = CPUTime.seconds(pid: daemonPID)
        for index in 0..<sends {
            _ = try await board.arrival(of: try await self.send(from: sender, to: recipient, "measured \(index)"))
        }
        return (CPUTime.seconds(pid: daemonPID) - before) / Double(max(sends, 1))
    }

    /// Sends one DM; returns its id.
    private static func send(from sender: DaemonHarness.Agent, to recipient: DaemonHarness.Agent, _ body: String) async throws -> String {
        let result = try await sender.client.call("send_message", arguments: ["to": .string(recipient.address), "body": .string(body)])
        guard !result.isError, let id = result.structured?["messageId"]?.stringValue else {
            throw BenchError.unexpected("send_message from \(sender.address) failed: \(result.text)")
        }
        return id
    }

    private static func drain(_ agent: DaemonHarness.Agent) async throws {
        while true {
            let inbox = try await agent.client.call("check_messages", arguments: ["limit": 100])
            guard !inbox.isError, let lease = inbox.leaseId else { return }
            try await agent.client.ack(leaseId: lease)
        }
    }
}
