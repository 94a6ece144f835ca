import Foundation
import Logging
import MCP
import WhatsAgentAPI
import WhatsAgentClient

/// A transport decorator that patches, on the wire, what swift-sdk 0.12.1 cannot express, and acknowledges leases.
///
/// - Outgoing `initialize` result: adds `capabilities.experimental = {"claude/channel": {}}`, which makes Claude Code
///   treat this server as a channel (`Server.Capabilities` has no `experimental` field).
/// - Incoming `initialize` request: removes `params.capabilities.experimental`. The spec types it
///   `{[key]: object}` but the SDK decodes `[String: String]`, so a client sending `{"claude/channel": {}}` would
///   get an internal error and a dead session (`reference/swift-stack-findings.md` §A, gotcha 2).
/// - Outgoing tool results carrying a ``LeaseMarker``: removes the marker, writes the message, and only after the
///   write has returned acknowledges the lease, so messages count as delivered once the client has them (SPEC §7.2).
///
/// - For the ``LaunchMailReminder``: tells it the names of the tools called, and when the answer to the first
///   `tools/list` request has been written.
/// - Incoming `tools/call` requests, when it has a forwarder: answered here (``DirectToolCall``), without the SDK's
///   slow `Value` decoding; malformed ones still go to the SDK.
///
/// Messages are only parsed when a cheap byte search says they might need patching; all others pass through as is.
actor ExperimentalCapabilitiesTransport: Transport {
    nonisolated let logger: Logger

    private let inner: any Transport
    private let backend: any AgentBackend
    private let ackRetryDelays: [Duration]
    /// Answers well-formed `tools/call` requests directly; nil hands every request to the SDK.
    private let toolCalls: ToolCallForwarder?
    private let reminder: LaunchMailReminder?
    /// Ids of inbound `tools/list` requests, until the first answer to one has been written.
    private var toolsListRequestIDs: Set<JSONValue> = []
    private var toolsListed = false
    private var pendingAcknowledgements = 0
    private var inboundWaiters: [CheckedContinuation<Void, Never>] = []
    /// Ids of inbound `initialize` requests whose response has not been written yet.
    private var initializeRequestIDs: Set<JSONValue> = []
    /// The inner transport's messages, pulled one at a time by the single consumer (the server's receive loop).
    private var inbound: AsyncThrowingStream<Data, any Error>.Iterator?

    /// - Parameter ackRetryDelays: Waits between acknowledgement attempts when the daemon cannot be reached; a
    ///   lease left unacknowledged is not lost, it returns to the inbox and is redelivered.
    init(
        wrapping inner: any Transport,
        backend: any AgentBackend,
        ackRetryDelays: [Duration] = [.milliseconds(100), .milliseconds(400)],
        toolCalls: ToolCallForwarder? = nil,
        reminder: LaunchMailReminder? = nil,
        logger: Logger
    ) {
        self.inner = inner
        self.backend = backend
        self.ackRetryDelays = ackRetryDelays
        self.toolCalls = toolCalls
        self.reminder = reminder
        self.logger = logger
    }

    func connect() async throws {
        try await self.inner.connect()
    }

    func disconnect() async {
        await self.inner.disconnect()
    }

    func send(_ data: Data) async throws {
        let (message, leaseIds) = self.outbound(data)
        // Counted before the write: the client can only send its next request after reading this response, and that
        // request is held in `nextInbound` until the acknowledgement is done, so it never sees the lease again.
        self.pendingAcknowledgements += leaseIds.count
        defer { self.releaseInboundIfSettled() }
        do {
            try await self.inner.send(message)
        } catch {
            self.pendingAcknowledgements -= leaseIds.count
            throw error
        }
        await self.noteToolsListAnswer(data)
        for leaseId in leaseIds {
            await self.acknowledge(leaseId)
            self.pendingAcknowledgements -= 1
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
            if let toolCalls = self.toolCalls, let call = DirectToolCall(data) {
                await self.reminder?.called(call.name)
                self.answer(call, with: toolCalls)
                continue
            }
            self.noteToolsListRequest(data)
            return self.sanitizeInbound(data)
        }
    }

    /// Notes the id of a `tools/list` request until the first one has been answered.
    private func noteToolsListRequest(_ data: Data) {
        // Not `"tools/list"`: an encoder may escape the slash (`tools\/list`), as Foundation's does.
        guard self.reminder != nil, !self.toolsListed, data.range(of: Data("list\"".utf8)) != nil,
            case .object(let message) = try? WireJSON.decoder().decode(JSONValue.self, from: data),
            message["method"] == .string(ListTools.name), let id = message["id"]
        else { return }
        self.toolsListRequestIDs.insert(id)
    }

    /// Tells the reminder once the answer to the first `tools/list` request has been written.
    private func noteToolsListAnswer(_ written: Data) async {
        guard let reminder = self.reminder, !self.toolsListed, !self.toolsListRequestIDs.isEmpty,
            written.range(of: Data(#""tools""#.utf8)) != nil,
            case .object(let message) = try? WireJSON.decoder().decode(JSONValue.self, from: written),
            let id = message["id"], self.toolsListRequestIDs.contains(id), message["result"] != nil
        else { return }
        self.toolsListed = true
        self.toolsListRequestIDs = []
        await reminder.toolsListed()
    }

    /// Runs a `tools/call` concurrently with the next messages, as the SDK runs its requests, and writes the
    /// response through ``send(_:)`` so its lease is acknowledged after the write.
    private func answer(_ call: DirectToolCall, with toolCalls: ToolCallForwarder) {
        Task {
            let result = await toolCalls.call(call.name, arguments: call.arguments)
            do {
                try await self.send(try call.response(result))
            } catch {
                self.logger.warning("could not write a tool result", metadata: ["tool.name": "\(call.name)", "error": "\(error)"])
            }
        }
    }

    /// Notes the id of an `initialize` request and strips its client `experimental` capabilities.
    private func sanitizeInbound(_ data: Data) -> Data {
        guard data.range(of: Data(#""initialize""#.utf8)) != nil,
            case .object(var message) = try? WireJSON.decoder().decode(JSONValue.self, from: data),
            message["method"] == .string(Initialize.name)
        else { return data }
        if let id = message["id"] { self.initializeRequestIDs.insert(id) }
        guard case .object(var params) = message["params"],
            case .object(var capabilities) = params["capabilities"],
            let experimental = capabilities.removeValue(forKey: "experimental")
        else { return data }
        self.logger.debug("stripped the client's experimental capabilities", metadata: ["mcp.experimental": "\(experimental)"])
        params["capabilities"] = .object(capabilities)
        message["params"] = .object(params)
        return (try? WireJSON.encoder().encode(JSONValue.object(message))) ?? data
    }

    // MARK: - Outbound

    /// The message to write, and the leases it carries.
    private func outbound(_ data: Data) -> (Data, [String]) {
        let mayBeInitialize = !self.initializeRequestIDs.isEmpty && data.range(of: Data(#""protocolVersion""#.utf8)) != nil
        let mayHaveLease = data.range(of: Data(LeaseMarker.key.utf8)) != nil
        guard mayBeInitialize || mayHaveLease,
            let parsed = try? WireJSON.decoder().decode(JSONValue.self, from: data)
        else { return (data, []) }

        var leaseIds: [String] = []
        let patched: JSONValue
        switch parsed {
        case .object(let message):
            patched = .object(self.patch(message, leaseIds: &leaseIds))
        case .array(let batch):
            patched = .array(
                batch.map { element in
                    guard case .object(let message) = element else { return element }
                    return .object(self.patch(message, leaseIds: &leaseIds))
                }
            )
        default:
            return (data, [])
        }
        guard patched != parsed, let encoded = try? WireJSON.encoder().encode(patched) else { return (data, []) }
        return (encoded, leaseIds)
    }

    private func patch(_ message: [String: JSONValue], leaseIds: inout [String]) -> [String: JSONValue] {
        guard case .object(var result) = message["result"] else { return message }
        var message = message
        if let id = message["id"], self.initializeRequestIDs.remove(id) != nil {
            var capabilities: [String: JSONValue] = [:]
            if case .object(let existing) = result["capabilities"] { capabilities = existing }
            var experimental: [String: JSONValue] = [:]
            if case .object(let existing) = capabilities["experimental"] { experimental = existing }
            experimental["claude/channel"] = .object([:])
            capabilities["experimental"] = .object(experimental)
            result["capabilities"] = .object(capabilities)
        }
        if case .object(var meta) = result["_meta"], case .string(let leaseId) = meta.removeValue(forKey: LeaseMarker.key) {
            leaseIds.append(leaseId)
            result["_meta"] = meta.isEmpty ? nil : .object(meta)
        }
        message["result"] = .object(result)
        return message
    }

    /// Acknowledges a lease whose result has been written. Retries briefly only when the daemon could not be
    /// reached; a refusal is final. Either way an unacknowledged lease returns to the inbox, so nothing is lost.
    private func acknowledge(_ leaseId: String) async {
        var delays = self.ackRetryDelays[...]
        while true {
            do {
                try await self.backend.ack(leaseId: leaseId)
                self.logger.debug("acknowledged lease", metadata: ["lease.id": "\(leaseId)"])
                return
            } catch {
                if DaemonFailure.unreachable(error), let delay = delays.popFirst(), (try? await Task.sleep(for: delay)) != nil {
                    continue
                }
                self.logger.warning(
                    "could not acknowledge a lease; its messages will be redelivered",
                    metadata: ["lease.id": "\(leaseId)", "error": "\(error)"]
                )
                return
            }
        }
    }
}
