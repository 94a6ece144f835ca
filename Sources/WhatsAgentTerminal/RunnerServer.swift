import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The heart of a runner: one `PTYProcess`, its `RingBuffer`, and the socket server its clients connect to.
///
/// Output goes into the ring and to every subscriber under one lock, so a new subscriber's replay and the live
/// stream meet without a gap or a duplicate. A subscriber whose socket stops draining (more than 8 MiB queued) is
/// dropped with `refused{code:"too_slow"}`; it reconnects and resumes from its last offset.
public final class RunnerServer: Sendable {
    /// What to run and where to listen.
    public struct Configuration: Sendable {
        public var sessionID: String
        /// The Unix socket to listen on (at most 107 bytes; its directory should be 0700).
        public var socketPath: String
        public var secret: String
        public var process: PTYProcess.Configuration
        /// SPEC `buffer_bytes`.
        public var bufferBytes: Int
        /// The default grace between SIGTERM and SIGKILL for `stop`.
        public var stopGrace: Duration
        public var attentionPatterns: [String]

        public init(
            sessionID: String,
            socketPath: String,
            secret: String,
            process: PTYProcess.Configuration,
            bufferBytes: Int = RingBuffer.defaultCapacity,
            stopGrace: Duration = PTYProcess.defaultStopGrace,
            attentionPatterns: [String] = AttentionDetector.defaultPatterns
        ) {
            self.sessionID = sessionID
            self.socketPath = socketPath
            self.secret = secret
            self.process = process
            self.bufferBytes = bufferBytes
            self.stopGrace = stopGrace
            self.attentionPatterns = attentionPatterns
        }
    }

    let configuration: Configuration
    /// Runs when the child has ended, before any client hears of it (the runner saves the tail and metadata here,
    /// so a client that sees `exited` finds the files up to date).
    private let beforeExitReported: @Sendable (RunnerServer, PTYExitStatus) -> Void
    private let startedAt = Date()
    private let state: NIOLockedValueBox<State>
    private let serverChannel: NIOLockedValueBox<(any Channel)?> = NIOLockedValueBox(nil)

    private struct State {
        var ring: RingBuffer
        var detector: AttentionDetector
        var attention: String?
        var process: PTYProcess?
        var subscribers: [ObjectIdentifier: any Channel] = [:]
        var connections: [ObjectIdentifier: any Channel] = [:]
        var exit: PTYExitStatus?
        var endedAt: Date?
        /// When a client last sent input (the daemon holds PTY nudges back while a human types).
        var lastInputAt: Date?
        var acknowledged = false
        var exitWaiters: [CheckedContinuation<PTYExitStatus, Never>] = []
        var acknowledgementWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private init(configuration: Configuration, beforeExitReported: @escaping @Sendable (RunnerServer, PTYExitStatus) -> Void) {
        self.configuration = configuration
        self.beforeExitReported = beforeExitReported
        self.state = NIOLockedValueBox(
            State(ring: RingBuffer(capacity: configuration.bufferBytes), detector: AttentionDetector(patterns: configuration.attentionPatterns))
        )
    }

    /// Listens on the socket, then spawns the child. Throws (and cleans up) when either fails.
    public static func start(
        _ configuration: Configuration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        beforeExitReported: @escaping @Sendable (RunnerServer, PTYExitStatus) -> Void = { _, _ in }
    ) async throws -> RunnerServer {
        guard configuration.socketPath.utf8.count <= RunnerFiles.maxSocketPathBytes else {
            throw TerminalError.socketPathTooLong(configuration.socketPath)
        }
        let server = RunnerServer(configuration: configuration, beforeExitReported: beforeExitReported)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 32)
            .childChannelOption(ChannelOptions.writeBufferWaterMark, value: ChannelOptions.Types.WriteBufferWaterMark(low: 1 << 20, high: 8 << 20))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(RunnerFrameDecoder()),
                        MessageToByteHandler(RunnerFrameEncoder()),
                        RunnerServerHandler(server: server),
                    ])
                }
            }
            .bind(unixDomainSocketPath: configuration.socketPath, cleanupExistingSocketFile: true)
            .get()
        chmod(configuration.socketPath, 0o600)
        server.serverChannel.withLockedValue { $0 = channel }
        do {
            let process = try PTYProcess.spawn(configuration.process) { [weak server] event in server?.handle(event) }
            server.state.withLockedValue { $0.process = process }
        } catch {
            try? await channel.close()
            unlink(configuration.socketPath)
            throw error
        }
        return server
    }

    /// The child's process id.
    public var childPID: Int32 {
        self.state.withLockedValue { $0.process?.pid ?? 0 }
    }

    /// The current state as sent in `info`.
    public var info: RunnerInfo {
        self.state.withLockedValue { self.info(of: $0) }
    }

    /// Waits for the child to exit (after every subscriber was sent the `exited` event).
    public func waitForExit() async -> PTYExitStatus {
        await withCheckedContinuation { continuation in
            let exit: PTYExitStatus? = self.state.withLockedValue { state in
                if let exit = state.exit { return exit }
                state.exitWaiters.append(continuation)
                return nil
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }

    /// Waits until a client acknowledged the exit (`acknowledgeExit`), at most `timeout`. Returns whether it did.
    public func waitForAcknowledgement(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let done = self.state.withLockedValue { state in
                        if state.acknowledged { return true }
                        state.acknowledgementWaiters.append(continuation)
                        return false
                    }
                    if done { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            // Release the other child task: a pending acknowledgement waiter is resumed by shutdown().
            group.cancelAll()
            if !first { self.releaseAcknowledgementWaiters() }
            return first
        }
    }

    /// The last `maxBytes` of output (for the tail kept after exit).
    public func tail(maxBytes: Int = RingBuffer.exitTailBytes) -> [UInt8] {
        self.state.withLockedValue { $0.ring.tail(maxBytes: maxBytes).bytes }
    }

    /// Stops the child (SIGTERM, SIGHUP after 2/5 of `grace`, SIGKILL after `grace`).
    public func stop(grace: Duration? = nil) {
        guard let process = self.state.withLockedValue({ $0.process }) else { return }
        let grace = grace ?? self.configuration.stopGrace
        Task { await process.stop(grace: grace) }
    }

    /// Closes the listener and every connection and removes the socket file.
    public func shutdown() async {
        let channel = self.serverChannel.withLockedValue { channel in
            defer { channel = nil }
            return channel
        }
        try? await channel?.close()
        let connections = self.state.withLockedValue { state in
            defer {
                state.connections = [:]
                state.subscribers = [:]
            }
            return Array(state.connections.values)
        }
        for connection in connections { try? await connection.close() }
        self.releaseAcknowledgementWaiters()
        unlink(self.configuration.socketPath)
    }

    // MARK: - Child events

    private func handle(_ event: PTYEvent) {
        switch event {
        case .output(let bytes):
            let (writes, slow) = self.state.withLockedValue { state -> (PendingWrites, [any Channel]) in
                let offset = state.ring.endOffset
                state.ring.append(bytes)
                let frame = RunnerFrame.output(offset: offset, bytes: bytes)
                var writes: PendingWrites = []
                var slow: [any Channel] = []
                for (id, subscriber) in state.subscribers {
                    guard subscriber.isWritable else {
                        state.subscribers[id] = nil
                        slow.append(subscriber)
                        continue
                    }
                    writes.append((subscriber, frame))
                }
                // Every byte goes through the detector (it keeps the screen the prompt check reads).
                if let reason = state.detector.scan(bytes), state.attention == nil {
                    state.attention = reason
                    writes += self.broadcastLocked(.attention(reason), state: &state)
                }
                return (writes, slow)
            }
            Self.send(writes)
            for subscriber in slow {
                Self.refuse(subscriber, code: "too_slow", message: "output backed up: reconnect and subscribe from your last offset")
            }
        case .exited(let status):
            self.state.withLockedValue { $0.endedAt = Date() }
            self.beforeExitReported(self, status)
            let (waiters, writes) = self.state.withLockedValue { state in
                state.exit = status
                let writes = self.broadcastLocked(.exited(status), state: &state)
                state.subscribers = [:]
                defer { state.exitWaiters = [] }
                return (state.exitWaiters, writes)
            }
            Self.send(writes)
            for waiter in waiters { waiter.resume(returning: status) }
        }
    }

    /// Frames to write once the state lock is released. A write on a channel's own event loop can close the channel
    /// at once (the peer went away), and its close handler (`disconnected`) takes the lock again: writing while
    /// holding it crashed the runner with a recursive-lock precondition.
    typealias PendingWrites = [(channel: any Channel, frame: RunnerFrame)]

    static func send(_ writes: PendingWrites) {
        for write in writes { write.channel.writeAndFlush(write.frame, promise: nil) }
    }

    /// The writes that send `event` to every subscriber (call with the lock held, send after releasing it).
    private func broadcastLocked(_ event: RunnerEvent, state: inout State) -> PendingWrites {
        guard let frame = try? RunnerFrame.json(.event, RunnerEventBody(event)) else { return [] }
        return state.subscribers.values.map { ($0, frame) }
    }

    private func info(of state: State) -> RunnerInfo {
        RunnerInfo(
            protocolVersion: RunnerProtocol.version,
            sessionID: self.configuration.sessionID,
            runnerPID: getpid(),
            childPID: state.process?.pid ?? 0,
            command: state.process?.executablePath ?? self.configuration.process.command,
            startedAt: self.startedAt,
            size: state.process?.size ?? self.configuration.process.size,
            startOffset: state.ring.startOffset,
            endOffset: state.ring.endOffset,
            attention: state.attention,
            exit: state.exit,
            endedAt: state.endedAt,
            lastInputAt: state.lastInputAt,
            prompt: state.detector.promptOnScreen,
            guardsInput: true
        )
    }

    private func releaseAcknowledgementWaiters() {
        let waiters = self.state.withLockedValue { state in
            defer { state.acknowledgementWaiters = [] }
            return state.acknowledgementWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    static func refuse(_ channel: any Channel, code: String, message: String) {
        let refusal = RunnerRefusal(code: code, message: message, version: RunnerProtocol.version)
        guard let frame = try? RunnerFrame.json(.refused, refusal) else {
            channel.close(promise: nil)
            return
        }
        channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: - Client requests (from RunnerServerHandler, after authentication)

    func connected(_ channel: any Channel) {
        self.state.withLockedValue { $0.connections[ObjectIdentifier(channel)] = channel }
    }

    func disconnected(_ channel: any Channel) {
        self.state.withLockedValue { state in
            state.connections[ObjectIdentifier(channel)] = nil
            state.subscribers[ObjectIdentifier(channel)] = nil
        }
    }

    func authenticates(_ secret: String) -> Bool {
        RunnerSecret.matches(secret, self.configuration.secret)
    }

    func sendInfo(to channel: any Channel) {
        guard let frame = try? RunnerFrame.json(.info, self.info) else { return }
        channel.writeAndFlush(frame, promise: nil)
    }

    func subscribe(_ channel: any Channel, from requested: UInt64?) {
        let frames = self.state.withLockedValue { state -> [RunnerFrame] in
            let (start, bytes) = state.ring.bytes(from: requested ?? 0)
            var frames: [RunnerFrame] = []
            if let subscribed = try? RunnerFrame.json(.event, RunnerEventBody(.subscribed(startOffset: start, requestedOffset: requested))) {
                frames.append(subscribed)
            }
            var offset = start
            for chunkStart in stride(from: 0, to: bytes.count, by: RunnerProtocol.replayChunk) {
                let chunk = bytes[chunkStart..<min(bytes.count, chunkStart + RunnerProtocol.replayChunk)]
                frames.append(.output(offset: offset, bytes: chunk))
                offset += UInt64(chunk.count)
            }
            var trailing: [RunnerEvent] = []
            if let attention = state.attention { trailing.append(.attention(attention)) }
            if let exit = state.exit { trailing.append(.exited(exit)) }
            for event in trailing {
                if let frame = try? RunnerFrame.json(.event, RunnerEventBody(event)) { frames.append(frame) }
            }
            if state.exit == nil { state.subscribers[ObjectIdentifier(channel)] = channel }
            return frames
        }
        // Written after the lock is released (see PendingWrites). This runs on the channel's event loop, and output
        // appended after the snapshot reaches the channel through that loop's queue, behind these frames: offsets stay
        // contiguous.
        for frame in frames { channel.write(frame, promise: nil) }
        channel.flush()
    }

    func input(_ bytes: [UInt8]) {
        let writes = self.state.withLockedValue { state in self.writeLocked(bytes, state: &state) }
        Self.send(writes)
    }

    /// Writes `bytes` only while the screen shows no prompt, deciding under the lock that orders output, so no
    /// prompt that reached the runner before can be answered by them. Answers with the state the decision saw:
    /// the bytes were written when its `prompt` and `exit` are nil.
    func inputUnlessPrompt(_ bytes: [UInt8], reply channel: any Channel) {
        let (info, writes) = self.state.withLockedValue { state -> (RunnerInfo, PendingWrites) in
            let info = self.info(of: state)
            guard info.prompt == nil else { return (info, []) }
            return (info, self.writeLocked(bytes, state: &state))
        }
        Self.send(writes)
        if let frame = try? RunnerFrame.json(.info, info) { channel.writeAndFlush(frame, promise: nil) }
    }

    /// Writes input to the child (with the lock held): notes the time and clears the attention flag.
    private func writeLocked(_ bytes: [UInt8], state: inout State) -> PendingWrites {
        guard state.exit == nil, let process = state.process else { return [] }
        process.write(bytes)
        state.lastInputAt = Date()
        guard state.attention != nil else { return [] }
        state.attention = nil
        return self.broadcastLocked(.attention(nil), state: &state)
    }

    func resize(_ size: TerminalSize) throws {
        let writes = try self.state.withLockedValue { state -> PendingWrites in
            guard state.exit == nil, let process = state.process else { return [] }
            try process.resize(size)
            return self.broadcastLocked(.resized(size), state: &state)
        }
        Self.send(writes)
    }

    func redraw() {
        guard let process = self.state.withLockedValue({ $0.exit == nil ? $0.process : nil }) else { return }
        Task { try? await process.redraw() }
    }

    func acknowledgeExit() {
        let waiters = self.state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            guard state.exit != nil else { return [] }
            state.acknowledged = true
            defer { state.acknowledgementWaiters = [] }
            return state.acknowledgementWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
