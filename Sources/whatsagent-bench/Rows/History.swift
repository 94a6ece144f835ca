import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// Issue 21's history row: a whole exchange (a DM, its push, `check_messages`, the acknowledgement) costs the daemon
/// the same whether the workspace's history holds a few hundred messages or a million.
///
/// One daemon, two agents. The daemon's CPU per exchange is measured on the fresh workspace; the daemon is then stopped
/// with `whatsagent stop`, the workspace file is given `history` acknowledged messages (``HistorySeed``), and a new
/// daemon on the same home measures the same exchanges again. Both daemons get the same warm-up first, so the ratio
/// compares like with like: the first process's caches are as cold as the second's.
enum History {
    struct Run: Sendable {
        var history: Int
        var seedSeconds: Double
        /// Daemon CPU seconds per exchange on the fresh workspace, and with `history` messages behind it.
        var freshCPU: Double
        var historyCPU: Double

        var ratio: Double { self.freshCPU > 0 ? self.historyCPU / self.freshCPU : 0 }
    }

    static func run(binary: String, history: Int, exchanges: Int, progress: (String) -> Void) async throws -> Run {
        try await DaemonHarness.with(binary: binary) { first in
            let (_, workspace, agents) = try await first.setUpAgents(count: 2, rbacMode: "enforce")
            progress("history: \(exchanges) exchanges on the fresh workspace")
            let freshCPU = try await self.measure(agents: agents, exchanges: exchanges, daemonPID: first.info.pid)

            CPUAccounting.noteDaemonStopping(pid: first.info.pid)
            try await first.cli(["stop"])
            progress("history: writing \(history.formatted()) acknowledged messages into the stopped daemon's workspace")
            let seedStarted = ContinuousClock.now
            try await HistorySeed.write(history, into: first.home + "/workspaces/\(workspace)/whatsagent.sqlite")
            let seedSeconds = (ContinuousClock.now - seedStarted).milliseconds / 1_000

            let second = DaemonHarness(binary: binary, home: first.home, info: try await DaemonHarness.start(binary: binary, home: first.home))
            let reconnected = try await second.reconnect(agents)
            progress("history: \(exchanges) exchanges with \(history.formatted()) messages in the history")
            let historyCPU = try await self.measure(agents: reconnected, exchanges: exchanges, daemonPID: second.info.pid)
            return Run(history: history, seedSeconds: seedSeconds, freshCPU: freshCPU, historyCPU: historyCPU)
        }
    }

    /// Warms the daemon up with `exchanges / 5` exchanges, then returns its CPU seconds per exchange over `exchanges`.
    private static func measure(agents: [DaemonHarness.Agent], exchanges: Int, daemonPID: Int32) async throws -> Double {
        let (sender, recipient) = (agents[0], agents[1])
        let streams = try await AgentStreams.open([recipient])
        defer { streams.close() }
        for index in 0..<max(1, exchanges / 5) {
            try await self.exchange(from: sender, to: recipient, board: streams.board, body: "warm-up \(index)")
        }
        let before = CPUTime.seconds(pid: daemonPID)
        for index in 0..<exchanges {
            try await self.exchange(from: sender, to: recipient, board: streams.board, body: "measured \(index)")
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
