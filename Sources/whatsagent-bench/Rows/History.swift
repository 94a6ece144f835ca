import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// Issue 21's history row: a whole exchange (a DM, its push, `check_messages`, the acknowledgement) costs the daemon
/// the same whether the workspace's history holds a few thousand messages or a million.
///
/// One daemon, two workspaces of two agents each: `fresh` and `history`. A warm-up of exchanges in both leaves
/// acknowledged messages in both files; the daemon is then stopped with `whatsagent stop`, the `history` workspace's
/// file is given `history` acknowledged messages (``HistorySeed``), and a new daemon on the same home measures both
/// workspaces in alternating blocks (fresh, history, fresh, history, …). The same process, caches and machine load
/// serve both sides, so their ratio compares like with like.
enum History {
    struct Run: Sendable {
        var history: Int
        var seedSeconds: Double
        /// Daemon CPU seconds per exchange in the fresh workspace, and in the one with `history` messages behind it.
        var freshCPU: Double
        var historyCPU: Double

        var ratio: Double { self.freshCPU > 0 ? self.historyCPU / self.freshCPU : 0 }
    }

    /// Blocks per side; `exchanges` are split between them.
    static let rounds = 4

    static func run(binary: String, history: Int, exchanges: Int, progress: (String) -> Void) async throws -> Run {
        try await DaemonHarness.with(binary: binary) { first in
            let (_, _, freshAgents) = try await first.setUpAgents(count: 2, rbacMode: "enforce", name: "fresh")
            let (_, workspace, historyAgents) = try await first.setUpAgents(count: 2, rbacMode: "enforce", name: "history")
            let warmUp = max(1, exchanges / 5)
            for agents in [freshAgents, historyAgents] {
                _ = try await self.measure(agents: agents, exchanges: warmUp, daemonPID: first.info.pid)
            }

            CPUAccounting.noteDaemonStopping(pid: first.info.pid)
            try await first.cli(["stop"])
            progress("history: writing \(history.formatted()) acknowledged messages into the stopped daemon's `history` workspace")
            let seedStarted = ContinuousClock.now
            try await HistorySeed.write(history, into: first.home + "/workspaces/\(workspace)/whatsagent.sqlite")
            let seedSeconds = (ContinuousClock.now - seedStarted).milliseconds / 1_000

            let second = DaemonHarness(binary: binary, home: first.home, info: try await DaemonHarness.start(binary: binary, home: first.home))
            let fresh = try await second.reconnect(freshAgents, workspace: "fresh")
            let long = try await second.reconnect(historyAgents, workspace: "history")
            for agents in [fresh, long] {
                _ = try await self.measure(agents: agents, exchanges: warmUp, daemonPID: second.info.pid)
            }
            progress("history: \(exchanges) exchanges per workspace, in \(self.rounds) alternating blocks")
            var cpu = (fresh: 0.0, history: 0.0)
            let block = max(1, exchanges / self.rounds)
            for _ in 0..<self.rounds {
                cpu.fresh += try await self.measure(agents: fresh, exchanges: block, daemonPID: second.info.pid)
                cpu.history += try await self.measure(agents: long, exchanges: block, daemonPID: second.info.pid)
            }
            return Run(
                history: history,
                seedSeconds: seedSeconds,
                freshCPU: cpu.fresh / Double(self.rounds),
                historyCPU: cpu.history / Double(self.rounds)
            )
        }
    }

    /// The daemon's CPU seconds per exchange over `exchanges` exchanges between the two `agents`.
    private static func measure(agents: [DaemonHarness.Agent], exchanges: Int, daemonPID: Int32) async throws -> Double {
        let (sender, recipient) = (agents[0], agents[1])
        let streams = try await AgentStreams.open([recipient])
        defer { streams.close() }
        let before = CPUTime.seconds(pid: daemonPID)
        for index in 0..<exchanges {
            try await self.exchange(from: sender, to: recipient, board: streams.board, body: "exchange \(index)")
        }
        return (CPUTime.seconds(pid: daemonPID) - before) / Double(max(exchanges, 1))
    }

    /// One DM, awaited until its hint arrives, then read with `check_messages` and acknowledged.
    private static func exchange(
        from sender: DaemonHarness.Agent,
        to recipient: DaemonHarness.Agent,
        board: MailBoard,
        body: String
    ) async throws {
        let sent = try await sender.client.call("send_message", arguments: ["to": .string(recipient.address), "body": .string(body)])
        guard !sent.isError, let id = sent.structured?["messageId"]?.stringValue else {
            throw BenchError.unexpected("send_message from \(sender.address) failed: \(sent.text)")
        }
        _ = try await board.arrival(of: id)
        let inbox = try await recipient.client.call("check_messages", arguments: ["limit": 10])
        guard !inbox.isError, let lease = inbox.leaseId else {
            throw BenchError.unexpected("check_messages of \(recipient.address) returned no lease: \(inbox.text)")
        }
        try await recipient.client.ack(leaseId: lease)
    }
}
