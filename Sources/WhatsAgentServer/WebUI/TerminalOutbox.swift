import NIOConcurrencyHelpers
import NIOCore

/// What waits for one terminal viewer's WebSocket, in order: PTY output coalesced into binary frames of up to
/// `frameBytes`, the text events between them, and at the end the close.
///
/// The runner subscription fills it as fast as output arrives; the socket writer takes the next frame as soon as its
/// previous write went out, so whatever arrived in the meantime leaves as one frame (no timers). A viewer that falls
/// more than `limitBytes` behind is not kept up with: `append` refuses, and the stream closes so that the viewer
/// resumes from its offset (its own backlog never holds up the runner or other viewers).
///
/// ```swift
/// let outbox = TerminalOutbox()
/// _ = outbox.append(bytes)            // producer
/// while let frame = await outbox.next() { … }   // consumer; nil after the close frame (or abandon)
/// ```
final class TerminalOutbox: Sendable {
    enum Frame: Sendable, Equatable {
        case bytes(ByteBuffer)
        case text(String)
        /// The last frame: close the WebSocket with this code and reason.
        case close(code: UInt16, reason: String)
    }

    /// The largest binary frame.
    static let defaultFrameBytes = 64 << 10
    /// The most output kept for a viewer that does not keep up (the runner drops its own subscribers at 8 MiB too).
    static let defaultLimitBytes = 8 << 20

    private struct State {
        var frames: [Frame] = []
        var queuedBytes = 0
        /// Sent after the queued frames; nothing is queued after it.
        var closing: Frame?
        /// The close frame went out, or the viewer is gone: `next` answers nil.
        var done = false
        var waiter: CheckedContinuation<Frame?, Never>?
    }

    let frameBytes: Int
    let limitBytes: Int
    private let state = NIOLockedValueBox(State())

    init(frameBytes: Int = TerminalOutbox.defaultFrameBytes, limitBytes: Int = TerminalOutbox.defaultLimitBytes) {
        self.frameBytes = frameBytes
        self.limitBytes = limitBytes
    }

    /// Output bytes not yet taken by the writer.
    var queuedBytes: Int {
        self.state.withLockedValue { $0.queuedBytes }
    }

    /// Queues output, appended to the last binary frame while it has room. False (nothing queued) when the viewer is
    /// more than `limitBytes` behind; true when the outbox is closing (the bytes are dropped).
    func append(_ bytes: some Collection<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return true }
        let (accepted, delivery) = self.state.withLockedValue { state -> (Bool, Delivery?) in
            guard state.closing == nil, !state.done else { return (true, nil) }
            guard state.queuedBytes + bytes.count <= self.limitBytes else { return (false, nil) }
            var rest = bytes[...]
            if let last = state.frames.indices.last, case .bytes(var buffer) = state.frames[last], buffer.readableBytes < self.frameBytes {
                // Release the array's reference first, so the buffer grows in place instead of being copied.
                state.frames[last] = .text("")
                let room = self.frameBytes - buffer.readableBytes
                buffer.writeBytes(rest.prefix(room))
                rest = rest.dropFirst(room)
                state.frames[last] = .bytes(buffer)
            }
            while !rest.isEmpty {
                var buffer = ByteBufferAllocator().buffer(capacity: min(self.frameBytes, max(rest.count, 4096)))
                buffer.writeBytes(rest.prefix(self.frameBytes))
                rest = rest.dropFirst(self.frameBytes)
                state.frames.append(.bytes(buffer))
            }
            state.queuedBytes += bytes.count
            return (true, Self.deliver(&state))
        }
        delivery?.resume()
        return accepted
    }

    /// Queues a text frame (an event).
    func append(text: String) {
        let delivery = self.state.withLockedValue { state -> Delivery? in
            guard state.closing == nil, !state.done else { return nil }
            state.frames.append(.text(text))
            return Self.deliver(&state)
        }
        delivery?.resume()
    }

    /// Closes with `code` once the queued frames went out; later frames are dropped. The first close wins.
    func close(code: UInt16, reason: String) {
        let delivery = self.state.withLockedValue { state -> Delivery? in
            guard state.closing == nil, !state.done else { return nil }
            state.closing = .close(code: code, reason: reason)
            return Self.deliver(&state)
        }
        delivery?.resume()
    }

    /// The viewer is gone: drops everything and ends `next`.
    func abandon() {
        let waiter = self.state.withLockedValue { state -> CheckedContinuation<Frame?, Never>? in
            state.done = true
            state.frames = []
            state.queuedBytes = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next frame to write; waits for one. Nil once the close frame was taken, or after `abandon` or cancellation.
    func next() async -> Frame? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Frame?, Never>) in
                let ready = self.state.withLockedValue { state -> Frame?? in
                    if let frame = Self.take(&state) { return .some(frame) }
                    if state.done || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.abandon()
        }
    }

    /// A waiting writer and the frame it gets (resumed outside the lock).
    private struct Delivery {
        let waiter: CheckedContinuation<Frame?, Never>
        let frame: Frame

        func resume() {
            self.waiter.resume(returning: self.frame)
        }
    }

    private static func deliver(_ state: inout State) -> Delivery? {
        guard let waiter = state.waiter, let frame = self.take(&state) else { return nil }
        state.waiter = nil
        return Delivery(waiter: waiter, frame: frame)
    }

    private static func take(_ state: inout State) -> Frame? {
        guard !state.done else { return nil }
        if !state.frames.isEmpty {
            let frame = state.frames.removeFirst()
            if case .bytes(let buffer) = frame { state.queuedBytes -= buffer.readableBytes }
            return frame
        }
        if let closing = state.closing {
            state.done = true
            return closing
        }
        return nil
    }
}
