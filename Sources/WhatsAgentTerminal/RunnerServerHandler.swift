import NIOCore

/// One client connection on the runner socket: `hello` first (version, then secret), then requests.
final class RunnerServerHandler: ChannelInboundHandler {
    typealias InboundIn = RunnerFrame
    typealias OutboundOut = RunnerFrame

    private let server: RunnerServer
    private var authenticated = false
    private var helloTimeout: Scheduled<Void>?

    init(server: RunnerServer) {
        self.server = server
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        self.server.connected(channel)
        self.helloTimeout = context.eventLoop.scheduleTask(in: RunnerProtocol.helloTimeout) {
            RunnerServer.refuse(channel, code: "unauthorized", message: "no hello within the time allowed")
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.helloTimeout?.cancel()
        self.server.disconnected(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        let channel = context.channel
        do {
            if !self.authenticated {
                try self.hello(frame, channel: channel)
                return
            }
            switch frame.kind {
            case .subscribe:
                self.server.subscribe(channel, from: try frame.decode(RunnerSubscribeRequest.self).fromOffset)
            case .input:
                self.server.input(Array(frame.payload.readableBytesView))
            case .inputUnlessPrompt:
                self.server.inputUnlessPrompt(Array(frame.payload.readableBytesView), reply: channel)
            case .resize:
                try self.server.resize(try frame.decode(TerminalSize.self))
            case .redraw:
                self.server.redraw()
            case .stop:
                let request = try frame.decode(RunnerStopRequest.self)
                self.server.stop(grace: request.graceMilliseconds.map { .milliseconds(max(0, $0)) })
            case .requestInfo:
                self.server.sendInfo(to: channel)
            case .acknowledgeExit:
                self.server.acknowledgeExit()
            case .hello, .info, .refused, .output, .event:
                throw TerminalError.protocolViolation("unexpected \(frame.kind) frame")
            }
        } catch let error as TerminalError {
            if case .invalidSize = error {
                RunnerServer.refuse(channel, code: "invalid_size", message: error.description)
            } else {
                RunnerServer.refuse(channel, code: "bad_frame", message: error.description)
            }
        } catch {
            RunnerServer.refuse(channel, code: "bad_frame", message: "\(error)")
        }
    }

    private func hello(_ frame: RunnerFrame, channel: any Channel) throws {
        guard frame.kind == .hello else {
            RunnerServer.refuse(channel, code: "unauthorized", message: "send hello with the runner secret first")
            return
        }
        let hello = try frame.decode(RunnerHello.self)
        guard hello.version == RunnerProtocol.version else {
            RunnerServer.refuse(
                channel,
                code: "version_mismatch",
                message: "this runner speaks protocol version \(RunnerProtocol.version), the client \(hello.version): stop and relaunch the session"
            )
            return
        }
        guard self.server.authenticates(hello.secret) else {
            RunnerServer.refuse(channel, code: "unauthorized", message: "wrong runner secret")
            return
        }
        self.authenticated = true
        self.helloTimeout?.cancel()
        self.server.sendInfo(to: channel)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        RunnerServer.refuse(context.channel, code: "bad_frame", message: (error as? TerminalError)?.description ?? "\(error)")
    }
}
