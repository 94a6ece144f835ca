import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentTerminal

/// A managed agent launched through the daemon for the terminal rows, and a consumer connected to its runner the way
/// `whatsagent agent attach` connects: `POST …/agents/{agent}/terminal` for the socket and secret, then
/// ``RunnerConnection``.
///
/// The agent is a `custom` runtime running `sh -c script`. Every script prints ``marker`` once its terminal is set
/// up; ``connect(daemon:address:)`` replays the output up to it, so whatever follows is the measured traffic alone.
final class ManagedTerminal {
    /// What each script prints when it is ready for the bench's input.
    static let marker = Array("bench-ready".utf8)

    let address: String
    let connection: RunnerConnection
    private var events: AsyncThrowingStream<RunnerEvent, any Error>.AsyncIterator

    private init(address: String, connection: RunnerConnection, events: AsyncThrowingStream<RunnerEvent, any Error>.AsyncIterator) {
        self.address = address
        self.connection = connection
        self.events = events
    }

    /// `agent add ADDRESS --runtime custom --command sh --arg -c --arg SCRIPT`, then `agent launch ADDRESS`.
    static func launch(daemon: DaemonHarness, address: String, script: String) async throws {
        try await daemon.cli(["agent", "add", address, "--runtime", "custom", "--command", "sh", "--arg", "-c", "--arg", script])
        try await daemon.cli(["agent", "launch", address])
    }

    /// Connects to the runner of `address`, subscribes from the oldest buffered byte and reads up to ``marker``.
    /// `connected` gets the connection at once, so a deadline can close it.
    static func connect(
        daemon: DaemonHarness,
        address: String,
        connected: @Sendable (RunnerConnection) -> Void = { _ in }
    ) async throws -> ManagedTerminal {
        let access = try await DaemonClient(socketPath: daemon.info.socket).terminalAccess(workspace: nil, address)
        let connection = try await RunnerConnection.connect(socketPath: access.socketPath, secret: access.secret)
        connected(connection)
        let terminal = ManagedTerminal(
            address: address,
            connection: connection,
            events: connection.subscribe(fromOffset: 0).makeAsyncIterator()
        )
        var seen: [UInt8] = []
        while !seen.ends(with: self.marker) {
            seen += try await terminal.nextOutput()
            guard seen.count < 1 << 20 else {
                throw BenchError.unexpected("\(address) printed 1 MiB without '\(String(decoding: self.marker, as: UTF8.self))'")
            }
        }
        return terminal
    }

    /// The next chunk of output (other events are skipped); fails when the agent exits or the runner goes away.
    func nextOutput() async throws -> [UInt8] {
        while let event = try await self.events.next() {
            switch event {
            case .output(_, let bytes): return bytes
            case .exited(let status): throw BenchError.unexpected("\(self.address) ended during the measurement: \(status)")
            case .subscribed, .resized, .attention: continue
            }
        }
        throw BenchError.unexpected("the runner of \(self.address) closed the subscription")
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.connection.send(input: bytes)
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        self.count >= suffix.count && self[(self.count - suffix.count)...].elementsEqual(suffix)
    }
}
