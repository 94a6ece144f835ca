import Foundation
import WebSocketProbe
import WhatsAgentTerminal

/// SPEC §14 terminal rows: a managed agent launched through the daemon, its PTY owned by a `whatsagent runner`, read
/// two ways in turn — by this bench as a runner subscriber (``ManagedTerminal``, the hop `agent attach` uses), then as
/// a browser would, over the daemon's terminal WebSocket with a real web login (``WebTerminal``: runner → daemon →
/// WebSocket), next to the daemon's own watch subscription.
///
/// - Output throughput: `api:out` runs `stty -echo; printf bench-ready; while read -r _; do head -c N /dev/zero; done`.
///   Each round sends one newline and counts the output until exactly N bytes arrived; the rate is the bytes after
///   the first chunk over the time from the first chunk to the last.
/// - Keystroke echo: `api:echo` runs `stty raw -echo; printf bench-ready; exec cat`, so every byte goes through the
///   child and back (no line discipline echo). One byte at a time: send → the same byte back in the output stream.
enum TerminalRows {
    struct Run: Sendable {
        /// Output bytes per second seen by the subscriber.
        var bytesPerSecond: Double
        /// Trigger sent → first output byte (ms).
        var firstByte: Double
        /// Output chunks the subscriber received.
        var chunks: Int
        /// Every keystroke's echo (ms).
        var echo: [Double]
        /// The same over the browser WebSocket (filled by the second pass).
        var web = Path()
    }

    /// One pass over the browser WebSocket.
    struct Path: Sendable {
        var bytesPerSecond: Double = 0
        var firstByte: Double = 0
        /// Binary frames received.
        var chunks = 0
        var echo: [Double] = []
    }

    static let outputAgent = "api:out"
    static let echoAgent = "api:echo"
    static let echoWarmUp = 20

    /// One daemon; both agents launched once; `rounds` rounds of `bytes` output and `keystrokes` echoes. The agents
    /// are stopped with `agent stop` before the daemon stops, also when a round fails.
    static func run(binary: String, bytes: Int, keystrokes: Int, rounds: Int) async throws -> [Run] {
        try await DaemonHarness.with(binary: binary) { daemon in
            try await daemon.cli(["workspace", "add", "terminal"])
            let repo = daemon.home + "/repo"
            try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
            try await daemon.cli(["repo", "add", repo, "--name", "api"])
            var launched: [String] = []
            do {
                let generator = "stty -echo; printf bench-ready; while read -r _; do head -c \(bytes) /dev/zero; done"
                try await ManagedTerminal.launch(daemon: daemon, address: self.outputAgent, script: generator)
                launched.append(self.outputAgent)
                try await ManagedTerminal.launch(daemon: daemon, address: self.echoAgent, script: "stty raw -echo; printf bench-ready; exec cat")
                launched.append(self.echoAgent)
                var runs = try await self.measure(daemon: daemon, bytes: bytes, keystrokes: keystrokes, rounds: rounds)
                let web = try await self.measureWeb(daemon: daemon, bytes: bytes, keystrokes: keystrokes, rounds: rounds)
                for index in runs.indices where index < web.count { runs[index].web = web[index] }
                for address in launched { try await daemon.cli(["agent", "stop", address]) }
                return runs
            } catch {
                for address in launched { _ = try? await daemon.cli(["agent", "stop", address]) }
                throw error
            }
        }
    }

    private static func measure(daemon: DaemonHarness, bytes: Int, keystrokes: Int, rounds: Int) async throws -> [Run] {
        let connections = Locked<[RunnerConnection]>([])
        let deadline = Deadline(
            seconds: 60 + Double(rounds) * (Double(bytes) / 1e6 + Double(keystrokes) * 0.05),
            what: "terminal rows",
            onTimeout: {
                let open = connections.withLock { $0 }
                Task { for connection in open { await connection.close() } }
            }
        )
        return try await deadline.run {
            let note: @Sendable (RunnerConnection) -> Void = { connection in connections.withLock { $0.append(connection) } }
            let output = try await ManagedTerminal.connect(daemon: daemon, address: self.outputAgent, connected: note)
            let echo = try await ManagedTerminal.connect(daemon: daemon, address: self.echoAgent, connected: note)
            for index in 0..<self.echoWarmUp { _ = try await self.keystroke(index, echo) }
            var runs: [Run] = []
            for _ in 0..<rounds {
                var run = try await self.throughput(output, bytes: bytes)
                for index in 0..<keystrokes { run.echo.append(try await self.keystroke(index, echo)) }
                runs.append(run)
            }
            await output.connection.close()
            await echo.connection.close()
            return runs
        }
    }

    /// The browser pass: one web login, one WebSocket viewer per agent, the same rounds.
    private static func measureWeb(daemon: DaemonHarness, bytes: Int, keystrokes: Int, rounds: Int) async throws -> [Path] {
        let sockets = Locked<[WebSocketProbe]>([])
        let deadline = Deadline(
            // The web login hashes with bcrypt (cost 12) first.
            seconds: 120 + Double(rounds) * (Double(bytes) / 1e6 + Double(keystrokes) * 0.05),
            what: "terminal rows over the browser WebSocket",
            onTimeout: {
                let open = sockets.withLock { $0 }
                Task { for socket in open { await socket.close() } }
            }
        )
        return try await deadline.run {
            let login = try await WebTerminal.logIn(daemon: daemon)
            let output = try await WebTerminal.connect(login: login, address: self.outputAgent)
            sockets.withLock { $0.append(output.socket) }
            let echo = try await WebTerminal.connect(login: login, address: self.echoAgent)
            sockets.withLock { $0.append(echo.socket) }
            for index in 0..<self.echoWarmUp { _ = try await self.keystroke(index, echo) }
            var paths: [Path] = []
            for _ in 0..<rounds {
                let run = try await self.throughput(output, bytes: bytes)
                var path = Path(bytesPerSecond: run.bytesPerSecond, firstByte: run.firstByte, chunks: run.chunks)
                for index in 0..<keystrokes { path.echo.append(try await self.keystroke(index, echo)) }
                paths.append(path)
            }
            await output.socket.close()
            await echo.socket.close()
            return paths
        }
    }

    /// One newline to the generator, then exactly `bytes` bytes of output.
    private static func throughput(_ terminal: some TerminalPeer, bytes: Int) async throws -> Run {
        let trigger = ContinuousClock.now
        try await terminal.send([UInt8(ascii: "\n")])
        let firstChunk = try await terminal.nextOutput().count
        let firstAt = ContinuousClock.now
        var lastAt = firstAt
        var received = firstChunk
        var chunks = 1
        while received < bytes {
            received += try await terminal.nextOutput().count
            lastAt = ContinuousClock.now
            chunks += 1
        }
        guard received == bytes else {
            throw BenchError.unexpected("\(terminal.address) wrote \(received) bytes, expected \(bytes)")
        }
        let seconds = (lastAt - firstAt).milliseconds / 1_000
        guard seconds > 0 else { throw BenchError.unexpected("\(bytes) bytes arrived in one chunk: raise --terminal-bytes") }
        return Run(
            bytesPerSecond: Double(received - firstChunk) / seconds,
            firstByte: (firstAt - trigger).milliseconds,
            chunks: chunks,
            echo: []
        )
    }

    /// Keystroke `index` (a letter) to `cat` in raw mode, timed until the same byte comes back.
    private static func keystroke(_ index: Int, _ terminal: some TerminalPeer) async throws -> Double {
        let byte = UInt8(ascii: "a") + UInt8(index % 26)
        let sent = ContinuousClock.now
        try await terminal.send([byte])
        let echoed = try await terminal.nextOutput()
        let back = ContinuousClock.now
        guard echoed == [byte] else {
            throw BenchError.unexpected("\(terminal.address) echoed \(echoed.prefix(16)) for \(byte)")
        }
        return (back - sent).milliseconds
    }
}

/// What the rows need of a terminal: send keystrokes, read the next output chunk.
protocol TerminalPeer {
    var address: String { get }
    func nextOutput() async throws -> [UInt8]
    func send(_ bytes: [UInt8]) async throws
}

extension ManagedTerminal: TerminalPeer {}
extension WebTerminal: TerminalPeer {}
