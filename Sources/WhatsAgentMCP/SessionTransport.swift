import Foundation
import Logging
import MCP
import WhatsAgentAPI

/// The transport the SDK server of one session reads and writes through: it wraps the stdio transport.
///
/// - Every `tools/call` request goes to the ``ToolCallPath`` and is answered from here; the SDK never sees one.
/// - `initialize` is patched both ways for the Claude channel (``ClaudeChannelCapability``).
/// - A tool result's lease (``ToolCallPath/Answer``) is acknowledged only after the result has been written
///   (``LeaseAcknowledger``), so messages count as delivered once the client has them (SPEC §7.2). The next inbound
///   message waits until those acknowledgements are done. The lease comes beside the result, so no result is parsed
///   again on its way out.
/// - The ``LaunchMailReminder`` learns when the answer to the first `tools/list` request has been written.
///
/// Messages are only parsed when a cheap byte search says they might need it; all others pass through as is.
actor SessionTransport: Transport {
    nonisolated let logger: Logger

    private let inner: any Transport
    private let toolCalls: ToolCallPath
    private let acknowledger: LeaseAcknowledger
    private var channel = ClaudeChannelCapability()
    /// Ids of inbound `tools/list` requests, until the first answer to one has been written.
    private var toolsListRequestIDs: Set<JSONValue> = []
    private var toolsListed = false
    private var pendingAcknowledgements = 0
    private var inboundWaiters: [CheckedContinuation<Void, Never>] = []
    /// The inner transport's messages, pulled one at a time by the single consumer (the server's receive loop).
    private var inbound: AsyncThrowingStream<Data, any Error>.Iterator?

    init(wrapping inner: any Transport, toolCalls: ToolCallPath, acknowledger: LeaseAcknowledger, logger: Logger) {
        self.inner = inner
        self.toolCalls = toolCalls
        self.acknowledger = acknowledger
        self.logger = logger
    }

    func connect() async throws {
        try await self.inner.connect()
    }

    func disconnect() async {
        await self.inner.disconnect()
    }

    /// What the SDK server writes (everything but tool results): patched for the Claude channel when it answers
    /// `initialize`.
    func send(_ data: Data) async throws {
        try await self.inner.send(self.outbound(data))
        await self.noteToolsListAnswer(data)
    }

    /// Writes a tool result, then acknowledges its lease.
    private func write(_ answer: ToolCallPath.Answer) async throws {
        // Counted before the write: the client can only send its next request after reading this response, and that
        // request is held in `nextInbound` until the acknowledgement is done, so it never sees the lease again.
        let leases = answer.leaseId == nil ? 0 : 1
        self.pendingAcknowledgements += leases
        defer { self.releaseInboundIfSettled() }
        do {
            try await self.inner.send(answer.response)
        } catch {
            self.pendingAcknowledgements -= leases
            throw error
        }
        if let leaseId = answer.leaseId {
            await self.acknowledger.acknowledge(leaseId)
            self.pendingAcknowledgements -= 1
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { try await self.nextInbound() }
    }

    // MARK: - Inbound

    private func nextInbound() async throws -> Data? {
        while true {
            var iterator: AsyncThrowingStream<Data, any Error>.Iterator
            if let current = self.inbound {
                iterator = current
            } else {
                iterator = await self.inner.receive().makeAsyncIterator()
            }
            let next = try await iterator.next(isolation: self)
            self.inbound = iterator
            await self.waitForAcknowledgements()
            guard let data = next else { return nil }
            if let claimed = await self.toolCalls.claim(data) {
                self.answer(claimed)
                continue
            }
            self.noteToolsListRequest(data)
            return self.channel.sanitize(data, logger: self.logger)
        }
    }

    /// Runs a `tools/call` concurrently with the next messages, as the SDK runs its requests, and writes the
    /// response, acknowledging its lease after the write.
    private func answer(_ claimed: DirectToolCall.Reading) {
        Task {
            do {
                try await self.write(try await self.toolCalls.answer(claimed))
            } catch {
                self.logger.warning("could not write a tool result", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Waits while acknowledgements of already written results are in flight.
    private func waitForAcknowledgements() async {
        guard self.pendingAcknowledgements > 0 else { return }
        await withCheckedContinuation { self.inboundWaiters.append($0) }
    }

    private func releaseInboundIfSettled() {
        guard self.pendingAcknowledgements == 0 else { return }
        let waiters = self.inboundWaiters
        self.inboundWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Notes the id of a `tools/list` request until the first one has been answered.
    private func noteToolsListRequest(_ data: Data) {
        // Not `"tools/list"`: an encoder may escape the slash (`tools\/list`), as Foundation's does.
        guard self.toolCalls.reminder != nil, !self.toolsListed, data.range(of: Data("list\"".utf8)) != nil,
            case .object(let message) = try? WireJSON.decoder().decode(JSONValue.self, from: data),
            message["method"] == .string(ListTools.name), let id = message["id"]
        else { return }
        self.toolsListRequestIDs.insert(id)
    }

    /// Tells the reminder once the answer to the first `tools/list` request has been written.
    private func noteToolsListAnswer(_ written: Data) async {
        guard let reminder = self.toolCalls.reminder, !self.toolsListed, !self.toolsListRequestIDs.isEmpty,
            written.range(of: Data(#""tools""#.utf8)) != nil,
            case .object(let message) = try? WireJSON.decoder().decode(JSONValue.self, from: written),
            let id = message["id"], self.toolsListRequestIDs.contains(id), message["result"] != nil
        else { return }
        self.toolsListed = true
        self.toolsListRequestIDs = []
        await reminder.toolsListed()
    }

    // MARK: - Outbound

    /// The message to write: an answer to `initialize` advertises the Claude channel; anything else passes as is.
    private func outbound(_ data: Data) -> Data {
        guard self.channel.mayAnswerInitialize(data), let parsed = try? WireJSON.decoder().decode(JSONValue.self, from: data) else {
            return data
        }
        let patched: JSONValue
        switch parsed {
        case .object(let message):
            patched = .object(self.patch(message))
        case .array(let batch):
            patched = .array(
                batch.map { element in
                    guard case .object(let message) = element else { return element }
                    return .object(self.patch(message))
                }
            )
        default:
            return data
        }
        guard patched != parsed, let encoded = try? WireJSON.encoder().encode(patched) else { return data }
        return encoded
    }

    private func patch(_ message: [String: JSONValue]) -> [String: JSONValue] {
        guard case .object(var result) = message["result"] else { return message }
        var message = message
        self.channel.advertise(in: &result, answering: message["id"])
        message["result"] = .object(result)
        return message
    }
}
