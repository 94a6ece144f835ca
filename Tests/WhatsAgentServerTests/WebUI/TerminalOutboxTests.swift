import NIOCore
import Testing

@testable import WhatsAgentServer

/// The per-viewer queue between the runner subscription and the WebSocket writer.
@Suite struct TerminalOutboxTests {
    @Test func outputWaitingForTheWriterLeavesAsFewFramesOfAtMostTheFrameSize() async {
        let outbox = TerminalOutbox(frameBytes: 10, limitBytes: 1_000)
        #expect(outbox.append(Array("abc".utf8)))
        #expect(outbox.append(Array("defghijklmno".utf8)))
        outbox.append(text: "event")
        #expect(outbox.append(Array("pq".utf8)))
        #expect(outbox.queuedBytes == 17)

        #expect(await outbox.next() == .bytes(ByteBuffer(string: "abcdefghij")))
        #expect(await outbox.next() == .bytes(ByteBuffer(string: "klmno")))
        #expect(await outbox.next() == .text("event"))
        #expect(await outbox.next() == .bytes(ByteBuffer(string: "pq")))
        #expect(outbox.queuedBytes == 0)
    }

    @Test func aWaitingWriterGetsOutputAtOnce() async {
        let outbox = TerminalOutbox()
        async let frame = outbox.next()
        // Appended after the writer started waiting (or before: either way it arrives as one frame).
        _ = outbox.append([0x61])
        #expect(await frame == .bytes(ByteBuffer(bytes: [0x61])))
    }

    @Test func aViewerTooFarBehindIsRefusedAndTheCloseComesAfterWhatWasQueued() async {
        let outbox = TerminalOutbox(frameBytes: 4, limitBytes: 8)
        #expect(outbox.append(Array("12345678".utf8)))
        #expect(!outbox.append([0x39]))
        outbox.close(code: 1013, reason: "too_slow")
        outbox.close(code: 1000, reason: "ignored: the first close wins")
        outbox.append(text: "dropped after the close")

        #expect(await outbox.next() == .bytes(ByteBuffer(string: "1234")))
        #expect(await outbox.next() == .bytes(ByteBuffer(string: "5678")))
        #expect(await outbox.next() == .close(code: 1013, reason: "too_slow"))
        #expect(await outbox.next() == nil)
    }

    @Test func abandonAndCancellationEndTheWriter() async {
        let outbox = TerminalOutbox()
        _ = outbox.append([1, 2, 3])
        outbox.abandon()
        #expect(await outbox.next() == nil)

        let idle = TerminalOutbox()
        let writer = Task { await idle.next() }
        writer.cancel()
        #expect(await writer.value == nil)
    }
}
