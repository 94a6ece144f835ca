import Logging
import NIOCore
import Synchronization

/// The first handler of every TCP connection of the web listener. It sits before HTTP decoding, so it sees raw bytes
/// and runs for connections that never send a request: it holds the connection cap (``ConnectionCounter``) and the
/// header and idle deadlines (``ConnectionTimeouts``).
///
/// The HTTP side tells it when a request head arrives and when the last response is written through outbound user
/// events (``Signal``, sent by ``RequestPhaseHandler``). A connection upgraded to a WebSocket never sends them, so after
/// its upgrade request it has no deadline here.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the HTTP side reports, as an outbound user event.
    enum Signal: Sendable {
        case requestHead
        case responseFinished
    }

    private enum State {
        case new
        case serving
        case refused
        case finished
    }

    private let counter: ConnectionCounter
    private let outcome: ConnectionOutcome
    private var timeouts: ConnectionTimeouts
    private var timer: Scheduled<Void>?
    private var state = State.new

    init(counter: ConnectionCounter, timeouts: ConnectionTimeouts, outcome: ConnectionOutcome) {
        self.counter = counter
        self.timeouts = timeouts
        self.outcome = outcome
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.activate(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.finish()
    }

    func channelActive(context: ChannelHandlerContext) {
        self.activate(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .refused, .finished:
            return  // a refused connection's request is never read
        case .new, .serving:
            let bytes = self.unwrapInboundIn(data)
            self.perform(self.timeouts.read(bytes.readableBytesView, at: .now()), context: context)
            context.fireChannelRead(data)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if self.state == .refused, let event = event as? ChannelEvent, event == .inputClosed {
            // The refused client read the 503 and closed its side: done lingering.
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let signal = event as? Signal else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch signal {
        case .requestHead: self.perform(self.timeouts.requestHeadReceived(), context: context)
        case .responseFinished: self.perform(self.timeouts.responseFinished(at: .now()), context: context)
        }
        promise?.succeed()
    }

    // MARK: Helpers

    private func activate(context: ChannelHandlerContext) {
        guard self.state == .new else { return }
        switch self.counter.opened() {
        case .accept:
            self.state = .serving
            self.perform(self.timeouts.opened(at: .now()), context: context)
        case .refuse(let linger):
            self.state = .refused
            self.outcome.closedOnPurpose()
            context.writeAndFlush(self.wrapOutboundOut(self.counter.refusal), promise: nil)
            guard linger else {
                context.close(promise: nil)
                return
            }
            // Half-close after the answer and give the client a moment to read it and close; closing at once with its
            // request unread would reset the connection, and the client could lose the answer.
            context.close(mode: .output, promise: nil)
            self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: self.counter.lingerTime) {
                context.close(promise: nil)
            }
        }
    }

    private func perform(_ action: ConnectionTimeouts.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .schedule(let deadline):
            self.timer?.cancel()
            self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                self.timer = nil
                self.perform(self.timeouts.timerFired(at: .now()), context: context)
            }
        case .cancelTimer:
            self.timer?.cancel()
            self.timer = nil
        case .close:
            self.timer = nil
            self.outcome.closedOnPurpose()
            self.counter.logger.debug(
                "closed a slow or idle web connection",
                metadata: ["connection.remote": "\(context.remoteAddress.map { "\($0)" } ?? "?")"]
            )
            context.close(promise: nil)
        }
    }

    /// Uncounts the connection once, whichever of close and removal comes first.
    private func finish() {
        self.timer?.cancel()
        self.timer = nil
        _ = self.timeouts.closed()
        switch self.state {
        case .serving, .refused: self.counter.closed()
        case .new, .finished: break
        }
        self.state = .finished
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}

/// Whether the guard closed its connection on purpose (a refusal or a deadline), read by the connection's logger (see
/// ``GuardedConnectionLogHandler``) once the connection is over.
final class ConnectionOutcome: Sendable {
    private let onPurpose = Atomic<Bool>(false)

    var closedByGuard: Bool { self.onPurpose.load(ordering: .relaxed) }

    func closedOnPurpose() {
        self.onPurpose.store(true, ordering: .relaxed)
    }
}
