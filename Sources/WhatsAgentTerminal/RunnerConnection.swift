import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A client of one runner, as the daemon uses it: connect (hello), subscribe, send input, resize, redraw, stop.
///
/// ```swift
/// let runner = try await RunnerConnection.connect(socketPath: metadata.socketPath, secret: secret)
/// for try await event in runner.subscribe(fromOffset: lastSeen) { … }   // replay, then live, then .exited
/// try await runner.send(input: Array("y\n".utf8))
/// ```
/// A runner built with another protocol version is refused with `TerminalError.versionMismatch`; a wrong secret
/// with `TerminalError.refused(code: "unauthorized", …)`. One subscription per connection; open another
/// connection for another viewer.
public final class RunnerConnection: Sendable {
    /// The runner's state at connection time.
    public let info: RunnerInfo
    private let channel: any Channel
    private let state: ClientState

    private init(info: RunnerInfo, channel: any Channel, state: ClientState) {
        self.info = info
        self.channel = channel
        self.state = state
    }

    /// Connects and authenticates; returns once the runner answered `hello` with its `info`.
    public static func connect(
        socketPath: String,
        secret: String,
        timeout: Duration = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RunnerConnection {
        try await self.connect(socketPath: socketPath, secret: secret, version: RunnerProtocol.version, timeout: timeout, group: group)
    }

    /// `connect` with an explicit protocol version (tests use it to check the mismatch refusal).
    static func connect(
        socketPath: String,
        secret: String,
        version: Int,
        timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RunnerConnection {
        guard socketPath.utf8.count <= RunnerFiles.maxSocketPathBytes else { throw TerminalError.socketPathTooLong(socketPath) }
        let state = ClientState(version: version)
        // The hello goes out from the event loop the moment the socket connects, not when this task resumes: on a
        // loaded machine the task may wait its turn longer than the runner's `RunnerProtocol.helloTimeout`.
        let hello = try RunnerFrame.json(.hello, RunnerHello(version: version, secret: secret))
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(timeout.milliseconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(RunnerFrameDecoder()),
                        MessageToByteHandler(RunnerFrameEncoder()),
                        RunnerClientHandler(state: state, hello: hello),
                    ])
                }
            }
            .connect(unixDomainSocketPath: socketPath)
            .get()
        let deadline = channel.eventLoop.scheduleTask(in: .milliseconds(timeout.milliseconds)) {
            state.fail(TerminalError.timedOut("the runner did not answer hello on \(socketPath)"))
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            let info = try await state.awaitHelloAnswer()
            guard info.protocolVersion == RunnerProtocol.version else {
                throw TerminalError.versionMismatch(runner: info.protocolVersion, client: RunnerProtocol.version)
            }
            return RunnerConnection(info: info, channel: channel, state: state)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Replays the buffered output from `fromOffset` (nil: the oldest buffered byte), then streams live output and
    /// events. Ends after `.exited`; throws when the runner refuses or the connection drops before that.
    public func subscribe(fromOffset: UInt64? = nil) -> AsyncThrowingStream<RunnerEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: RunnerEvent.self, throwing: (any Error).self)
        guard self.state.attach(continuation) else {
            continuation.finish(throwing: TerminalError.protocolViolation("this connection already has a subscription"))
            return stream
        }
        do {
            self.channel.writeAndFlush(try RunnerFrame.json(.subscribe, RunnerSubscribeRequest(fromOffset: fromOffset)), promise: nil)
        } catch {
            continuation.finish(throwing: error)
        }
        return stream
    }

    /// Writes `input` to the child's terminal (and clears the attention flag).
    public func send(input: [UInt8]) async throws {
        try await self.send(RunnerFrame(kind: .input, payload: ByteBuffer(bytes: input)))
    }

    /// Writes `input` unless the screen shows a prompt (the runner decides, atomically with its output); returns the
    /// runner's state at that decision: the input was written when its `prompt` and `exit` are nil. Only for runners
    /// whose `info.guardsInput` is true (older runners close the connection on this frame).
    public func send(inputUnlessPrompt input: [UInt8]) async throws -> RunnerInfo {
        try await self.state.awaitInfo {
            self.channel.writeAndFlush(RunnerFrame(kind: .inputUnlessPrompt, payload: ByteBuffer(bytes: input)), promise: nil)
        }
    }

    /// Resizes the terminal; every subscriber gets `.resized`.
    public func resize(_ size: TerminalSize) async throws {
        try await self.send(try RunnerFrame.json(.resize, size))
    }

    /// The redraw nudge (size toggle → SIGWINCH).
    public func redraw() async throws {
        try await self.send(RunnerFrame(kind: .redraw))
    }

    /// Stops the child: SIGTERM to its group, SIGHUP after 2/5 of `grace`, SIGKILL after `grace` (the runner's default, 5 s, when nil).
    /// The outcome arrives as `.exited` on subscriptions.
    public func stop(grace: Duration? = nil) async throws {
        let milliseconds = grace.map { Int($0.milliseconds) }
        try await self.send(try RunnerFrame.json(.stop, RunnerStopRequest(graceMilliseconds: milliseconds)))
    }

    /// Tells the runner its exit was recorded, so it removes its files and exits without lingering.
    public func acknowledgeExit() async throws {
        try await self.send(RunnerFrame(kind: .acknowledgeExit))
    }

    /// The runner's current state.
    public func requestInfo() async throws -> RunnerInfo {
        try await self.state.awaitInfo {
            self.channel.writeAndFlush(RunnerFrame(kind: .requestInfo), promise: nil)
        }
    }

    /// Closes the connection (the runner and its child keep running).
    public func close() async {
        try? await self.channel.close()
    }

    private func send(_ frame: RunnerFrame) async throws {
        if let failure = self.state.failure { throw failure }
        do {
            try await self.channel.writeAndFlush(frame)
        } catch {
            throw self.state.failure ?? TerminalError.connectionClosed
        }
    }
}

/// What the client handler and the `RunnerConnection` share.
final class ClientState: Sendable {
    private struct State {
        var infoWaiters: [CheckedContinuation<RunnerInfo, any Error>] = []
        var subscription: AsyncThrowingStream<RunnerEvent, any Error>.Continuation?
        var subscribed = false
        var failure: (any Error)?
        var exited = false
        /// Whether the first `info` (the answer to `hello`) arrived; it is kept here until `connect` claims it.
        var helloAnswered = false
        var unclaimedHelloAnswer: RunnerInfo?
    }

    private let state = NIOLockedValueBox(State())
    /// The protocol version this client announced.
    let version: Int

    init(version: Int) {
        self.version = version
    }

    var failure: (any Error)? {
        self.state.withLockedValue { $0.failure }
    }

    /// The runner's answer to `hello` (its first `info`), which may have arrived before this call: the handler sends
    /// the hello as soon as the socket connects.
    func awaitHelloAnswer() async throws -> RunnerInfo {
        try await withCheckedThrowingContinuation { continuation in
            let early: Result<RunnerInfo, any Error>? = self.state.withLockedValue { state in
                if let answer = state.unclaimedHelloAnswer {
                    state.unclaimedHelloAnswer = nil
                    return .success(answer)
                }
                if let failure = state.failure { return .failure(failure) }
                state.infoWaiters.append(continuation)
                return nil
            }
            if let early { continuation.resume(with: early) }
        }
    }

    /// Registers for the next `info` frame, then runs `send`.
    func awaitInfo(then send: @escaping @Sendable () throws -> Void) async throws -> RunnerInfo {
        try await withCheckedThrowingContinuation { continuation in
            let failure: (any Error)? = self.state.withLockedValue { state in
                if let failure = state.failure { return failure }
                state.infoWaiters.append(continuation)
                return nil
            }
            if let failure {
                continuation.resume(throwing: failure)
                return
            }
            do {
                try send()
            } catch {
                self.fail(error)
            }
        }
    }

    func attach(_ continuation: AsyncThrowingStream<RunnerEvent, any Error>.Continuation) -> Bool {
        let failure: (any Error)?? = self.state.withLockedValue { state in
            guard !state.subscribed else { return .some(nil) }
            state.subscribed = true
            if let failure = state.failure { return .some(failure) }
            state.subscription = continuation
            return nil
        }
        switch failure {
        case .none: return true
        case .some(.none): return false
        case .some(.some(let error)):
            continuation.finish(throwing: error)
            return true
        }
    }

    func received(_ info: RunnerInfo) {
        let waiter = self.state.withLockedValue { state -> CheckedContinuation<RunnerInfo, any Error>? in
            let isHelloAnswer = !state.helloAnswered
            state.helloAnswered = true
            if state.infoWaiters.isEmpty {
                if isHelloAnswer { state.unclaimedHelloAnswer = info }
                return nil
            }
            return state.infoWaiters.removeFirst()
        }
        waiter?.resume(returning: info)
    }

    func received(_ event: RunnerEvent) {
        let subscription = self.state.withLockedValue { state in
            if case .exited = event { state.exited = true }
            return state.subscription
        }
        subscription?.yield(event)
        if case .exited = event {
            subscription?.finish()
            self.state.withLockedValue { $0.subscription = nil }
        }
    }

    /// Fails everything pending and every later call with `error`.
    func fail(_ error: any Error) {
        let (waiters, subscription) = self.state.withLockedValue { state in
            if state.failure == nil { state.failure = error }
            defer {
                state.infoWaiters = []
                state.subscription = nil
            }
            return (state.infoWaiters, state.subscription)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
        subscription?.finish(throwing: error)
    }
}

/// Routes the runner's frames to `ClientState`.
final class RunnerClientHandler: ChannelInboundHandler {
    typealias InboundIn = RunnerFrame

    private let state: ClientState
    private let hello: RunnerFrame

    init(state: ClientState, hello: RunnerFrame) {
        self.state = state
        self.hello = hello
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(self.hello), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        do {
            switch frame.kind {
            case .info:
                self.state.received(try frame.decode(RunnerInfo.self))
            case .refused:
                let refusal = try frame.decode(RunnerRefusal.self)
                if refusal.code == "version_mismatch" {
                    self.state.fail(TerminalError.versionMismatch(runner: refusal.version, client: self.state.version))
                } else {
                    self.state.fail(TerminalError.refused(code: refusal.code, message: refusal.message))
                }
            case .output:
                var payload = frame.payload
                guard let offset = payload.readInteger(as: UInt64.self) else {
                    throw TerminalError.protocolViolation("output frame without an offset")
                }
                self.state.received(.output(offset: offset, bytes: Array(payload.readableBytesView)))
            case .event:
                // Event kinds this build does not know are skipped (newer runners may add some).
                if let event = try frame.decode(RunnerEventBody.self).event { self.state.received(event) }
            case .hello, .subscribe, .input, .resize, .redraw, .stop, .requestInfo, .acknowledgeExit, .inputUnlessPrompt:
                throw TerminalError.protocolViolation("unexpected \(frame.kind) frame from the runner")
            }
        } catch {
            self.state.fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.state.fail(TerminalError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.state.fail(error)
        context.close(promise: nil)
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        self.components.seconds * 1000 + self.components.attoseconds / 1_000_000_000_000_000
    }
}
