import Foundation
import Logging
import MCP

/// An inner transport for the decorator's unit tests: hands out scripted inbound messages and records every write
/// (to `log` too, so a test can see what happened before what).
actor RecordingTransport: Transport {
    nonisolated let logger = Logger(label: "whatsagent.tests.recording", factory: { _ in SwiftLogNoOpLogHandler() })

    private let inbound: [Data]
    private let log: EventLog
    private(set) var written: [Data] = []

    init(inbound: [String] = [], log: EventLog = EventLog()) {
        self.inbound = inbound.map { Data($0.utf8) }
        self.log = log
    }

    func connect() async throws {}

    func disconnect() async {}

    func send(_ data: Data) async throws {
        self.written.append(data)
        await self.log.append("write")
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        for message in self.inbound { continuation.yield(message) }
        continuation.finish()
        return stream
    }
}
