import Foundation
import WhatsAgentAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SPEC §14 row 2: every agent sends DMs concurrently through its own `whatsagent mcp` process, and every message is
/// delivered: messages/s = total / (first send → last `check_messages` result that completes a recipient's count).
///
/// Each sender pipelines `tools/call send_message` with a window of ``window`` requests in flight. Each recipient
/// calls `check_messages` through its own MCP server whenever a push arrives, and again at once while a call
/// returns a full page, until it has everything addressed to it.
enum Throughput {
    static let window = 16
    static let page = 100

    /// Spawns one `whatsagent mcp` per agent with its session environment, initialized.
    static func spawn(binary: String, agents: [DaemonHarness.Agent], logDirectory: String) async throws -> [MCPStdioClient] {
        var clients: [MCPStdioClient] = []
        do {
            for (index, agent) in agents.enumerated() {
                let environment = Subprocess.environment(adding: agent.connection.environment)
                clients.append(try MCPStdioClient(binary: binary, environment: environment, stderrPath: "\(logDirectory)/mcp-a\(index).log"))
            }
            for client in clients {
                _ = try await client.initialize()
                try client.initialized()
            }
            // Warm each server's path to the daemon once, outside the measurement.
            for client in clients { _ = try await client.callTool("whoami", arguments: [:]) }
        } catch {
            for client in clients { client.terminate() }
            throw error
        }
        return clients
    }

    struct Run: Sendable {
        var messagesPerSecond: Double
        var messages: Int
        /// CPU seconds used during the run by the daemon, all `whatsagent mcp` processes, and the bench itself.
        var daemonCPU: Double
        var mcpCPU: Double
        var benchCPU: Double
        var wallSeconds: Double
        /// Share of the machine's CPU other processes used while the row ran.
        var foreignShare: Double

        /// CPU seconds per delivered message, every process of the row counted.
        var cpuPerMessage: Double { (self.daemonCPU + self.mcpCPU + self.benchCPU) / Double(max(self.messages, 1)) }
        /// The rate the CPU left to the row allowed: the cores not used by other processes over the CPU one message costs.
        var ceiling: Double {
            let cores = Double(ProcessInfo.processInfo.activeProcessorCount) * (1 - self.foreignShare)
            return self.cpuPerMessage > 0 ? cores / self.cpuPerMessage : 0
        }
    }

    /// Resident memory of each initialized `whatsagent mcp` while all of them run: RSS and PSS in bytes.
    static func memory(of clients: [MCPStdioClient]) throws -> [(resident: Double, proportional: Double)] {
        try clients.map { (try ResidentMemory.bytes(pid: $0.pid), try ResidentMemory.proportional(pid: $0.pid)) }
    }

    /// One measured run of `total` messages (rounded down to a multiple of the agent count).
    static func run(clients: [MCPStdioClient], agents: [DaemonHarness.Agent], total: Int, daemonPID: Int32) async throws -> Run {
        let count = agents.count
        let perSender = max(1, total / count)
        var expected = [Int](repeating: 0, count: count)
        for sender in 0..<count {
            for index in 0..<perSender { expected[self.recipient(of: sender, index, count)] += 1 }
        }
        let addresses = agents.map(\.address)
        let expectedCounts = expected
        let lastDelivery = Locked<ContinuousClock.Instant?>(nil)
        let progress = Locked<(sent: Int, received: [Int])>((0, [Int](repeating: 0, count: count)))

        let cpuBefore = (CPUTime.seconds(pid: daemonPID), clients.reduce(0) { $0 + CPUTime.seconds(pid: $1.pid) }, CPUTime.seconds(pid: getpid()))
        let mark = CPUAccounting.mark()
        let started = ContinuousClock.now
        let deadline = Deadline(
            seconds: 60 + Double(perSender * count) * 0.05,
            what: "end-to-end throughput",
            onTimeout: {
                let (sent, received) = progress.withLock { $0 }
                let short = received.enumerated().filter { $0.element < expectedCounts[$0.offset] }
                    .map { "a\($0.offset) \($0.element)/\(expectedCounts[$0.offset])" }
                FileHandle.standardError.write(Data("[bench] at the timeout: \(sent) sends returned; short of their mail: \(short)\n".utf8))
                for client in clients { client.terminate() }
            }
        )
        try await deadline.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (sender, client) in clients.enumerated() {
                    group.addTask {
                        try await self.send(from: sender, client: client, count: perSender, addresses: addresses) {
                            progress.withLock { $0.sent += 1 }
                        }
                    }
                    group.addTask {
                        try await self.receive(client: client, expected: expectedCounts[sender]) { got in
                            progress.withLock { $0.received[sender] += got }
                        }
                        let now = ContinuousClock.now
                        lastDelivery.withLock { $0 = max($0 ?? now, now) }
                    }
                }
                // The first failure ends the run at once (a refused send would otherwise leave its recipient
                // waiting until the deadline, and the row would report a timeout instead of the refusal).
                while try await group.next() != nil {}
            }
        }
        guard let finished = lastDelivery.withLock({ $0 }) else { throw BenchError.unexpected("no message was delivered") }
        let seconds = (finished - started).milliseconds / 1_000
        let daemonCPU = CPUTime.seconds(pid: daemonPID) - cpuBefore.0
        let mcpCPU = clients.reduce(0) { $0 + CPUTime.seconds(pid: $1.pid) } - cpuBefore.1
        return Run(
            messagesPerSecond: Double(perSender * count) / seconds,
            messages: perSender * count,
            daemonCPU: daemonCPU,
            mcpCPU: mcpCPU,
            benchCPU: CPUTime.seconds(pid: getpid()) - cpuBefore.2,
            wallSeconds: seconds,
            foreignShare: CPUAccounting.foreignShare(since: mark, running: daemonCPU + mcpCPU)
        )
    }

    static func recipient(of sender: Int, _ index: Int, _ count: Int) -> Int {
        (sender + 1 + index % (count - 1)) % count
    }

    /// Pipelined `send_message` calls, at most ``window`` in flight.
    private static func send(
        from sender: Int,
        client: MCPStdioClient,
        count: Int,
        addresses: [String],
        returned: @escaping @Sendable () -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                if index >= self.window { try await group.next() }
                let to = addresses[self.recipient(of: sender, index, addresses.count)]
                group.addTask {
                    _ = try await client.callTool("send_message", arguments: ["to": to, "body": "throughput \(sender)-\(index)"])
                    returned()
                }
            }
            try await group.waitForAll()
        }
    }

    /// `check_messages` on every push (coalesced), until `expected` messages arrived.
    private static func receive(client: MCPStdioClient, expected: Int, got report: @Sendable (Int) -> Void) async throws {
        var received = 0
        guard expected > 0 else { return }
        for await _ in client.pushes {
            var got = self.page
            while got == self.page && received < expected {
                let result = try await client.callTool("check_messages", arguments: ["limit": self.page])
                got = result.structuredContent?.count ?? 0
                received += got
                report(got)
            }
            if received >= expected { return }
        }
        throw BenchError.unexpected("`whatsagent mcp` (pid \(client.pid)) ended after \(received) of \(expected) messages")
    }
}
