import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import WhatsAgentRunners
import WhatsAgentTerminal

/// One browser viewer of an agent's terminal: its own runner connection and subscription, bridged to its WebSocket.
///
/// Three tasks: the runner subscription fills a ``TerminalOutbox``; the writer sends its frames one after the other;
/// the reader forwards the viewer's input, resizes, redraws and nudges to the runner. The viewer leaving closes the
/// runner connection; the agent exiting, the runner going away, the viewer falling too far behind or the daemon
/// stopping closes the WebSocket (docs/http-api.md lists the close codes).
struct TerminalViewer: Sendable {
    /// Close codes besides 1000 (after `exited`): all but 1008/1011 invite a reconnect with `from=<offset>`.
    enum CloseCode {
        static let normal: UInt16 = 1000
        static let goingAway: UInt16 = 1001
        static let invalidRequest: UInt16 = 1008
        static let runnerGone: UInt16 = 1011
        static let tooSlow: UInt16 = 1013
    }

    /// The largest message a viewer may send (a paste).
    static let maxInboundMessage = 1 << 20
    /// How long the viewer has to answer the close before the connection is dropped.
    static let closeGrace: Duration = .seconds(2)

    let target: TerminalViewerTarget
    let fromOffset: UInt64?
    let runners: RunnerSupervisor
    let logger: Logger

    private enum Side: Sendable {
        case runner, writer, viewer, timeout
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let connection: RunnerConnection
        do {
            connection = try await self.target.connect()
        } catch {
            self.logger.info("terminal viewer: runner unreachable", metadata: ["agent": "\(self.target.agent)", "error": "\(error)"])
            let message = "cannot reach the runner of \(self.target.agent) (\(error)); reload the page, or stop and relaunch the agent"
            try? await outbound.write(.text(TerminalStreamMessage.error(code: "runner_unreachable", message: message)))
            try? await outbound.close(.unexpectedServerError, reason: "runner_unreachable")
            return
        }
        self.logger.info("terminal viewer connected", metadata: ["agent": "\(self.target.agent)", "session.id": "\(self.target.sessionID)"])
        let outbox = TerminalOutbox()
        let events = connection.subscribe(fromOffset: self.fromOffset)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Side.self) { group in
                group.addTask {
                    await self.pump(events, connection: connection, into: outbox)
                    return .runner
                }
                group.addTask {
                    await Self.write(outbox, to: outbound)
                    return .writer
                }
                group.addTask {
                    await self.read(inbound, connection: connection, outbox: outbox)
                    return .viewer
                }
                while let side = await group.next() {
                    if side == .viewer || side == .timeout { break }
                    if side == .writer {
                        // The close went out (or the socket failed): give the viewer a moment to answer it.
                        group.addTask {
                            try? await Task.sleep(for: Self.closeGrace)
                            return .timeout
                        }
                    }
                }
                outbox.abandon()
                await connection.close()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            outbox.close(code: CloseCode.goingAway, reason: "the daemon is stopping; reconnect once it is back")
        }
        self.logger.debug("terminal viewer closed", metadata: ["agent": "\(self.target.agent)"])
    }

    /// Runner events → the outbox, until the agent exits, the runner goes away or the viewer leaves.
    private func pump(_ events: AsyncThrowingStream<RunnerEvent, any Error>, connection: RunnerConnection, into outbox: TerminalOutbox) async {
        do {
            for try await event in events {
                switch event {
                case .subscribed(let start, _):
                    // Asked after subscribing, so the size and attention are those the live events continue from.
                    let info = try await connection.requestInfo()
                    outbox.append(
                        text: TerminalStreamMessage.subscribed(
                            startOffset: start,
                            endOffset: max(start, info.endOffset),
                            size: info.size,
                            attention: info.attention != nil
                        )
                    )
                case .output(_, let bytes):
                    guard outbox.append(bytes) else {
                        self.logger.info("terminal viewer too slow", metadata: ["agent": "\(self.target.agent)"])
                        outbox.close(code: CloseCode.tooSlow, reason: "too_slow")
                        await connection.close()
                        return
                    }
                case .resized(let size):
                    outbox.append(text: TerminalStreamMessage.resized(size))
                case .attention(let phrase):
                    outbox.append(text: TerminalStreamMessage.attention(phrase != nil))
                case .exited(let status):
                    outbox.append(text: TerminalStreamMessage.exited(status))
                    outbox.close(code: CloseCode.normal, reason: "exited")
                    return
                }
            }
            outbox.close(code: CloseCode.runnerGone, reason: "runner_gone")
        } catch TerminalError.refused(code: "too_slow", _) {
            // The runner dropped this connection: the viewer resumes from its offset.
            outbox.close(code: CloseCode.tooSlow, reason: "too_slow")
        } catch {
            let message =
                "the runner of \(self.target.agent) went away (\(error)); the agent's session ends with it — see its exit in the agents list"
            outbox.append(text: TerminalStreamMessage.error(code: "runner_gone", message: message))
            outbox.close(code: CloseCode.runnerGone, reason: "runner_gone")
        }
    }

    /// The outbox → the WebSocket, one frame after the other; returns after the close frame or a failed write.
    private static func write(_ outbox: TerminalOutbox, to outbound: WebSocketOutboundWriter) async {
        do {
            while let frame = await outbox.next() {
                switch frame {
                case .bytes(let buffer): try await outbound.write(.binary(buffer))
                case .text(let text): try await outbound.write(.text(text))
                case .close(let code, let reason):
                    try await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
                    return
                }
            }
        } catch {
            outbox.abandon()
        }
    }

    /// The viewer's messages → the runner, in order, until the viewer closes or goes away.
    private func read(_ inbound: WebSocketInboundStream, connection: RunnerConnection, outbox: TerminalOutbox) async {
        do {
            for try await message in inbound.messages(maxSize: Self.maxInboundMessage) {
                switch message {
                case .binary(let buffer):
                    try await connection.send(input: Array(buffer.readableBytesView))
                case .text(let text):
                    let request: TerminalViewerRequest
                    do {
                        request = try TerminalViewerRequest(parsing: text)
                    } catch let invalid as TerminalViewerRequest.Invalid {
                        outbox.append(text: TerminalStreamMessage.error(code: "invalid_request", message: invalid.message))
                        outbox.close(code: CloseCode.invalidRequest, reason: "invalid_request")
                        continue
                    }
                    try await self.perform(request, connection: connection)
                }
            }
        } catch {
            // The runner connection failed (the pump reports it) or the viewer vanished.
            self.logger.debug("terminal viewer input ended", metadata: ["agent": "\(self.target.agent)", "error": "\(error)"])
        }
    }

    private func perform(_ request: TerminalViewerRequest, connection: RunnerConnection) async throws {
        switch request {
        case .input(let text): try await connection.send(input: Array(text.utf8))
        case .resize(let size): try await connection.resize(size)
        case .redraw: try await connection.redraw()
        case .nudge: _ = await self.runners.typePendingNudgeNow(session: self.target.sessionID)
        case .ignored: break
        }
    }
}
