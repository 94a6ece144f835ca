import NIOCore
import NIOEmbedded
import Testing

@testable import WhatsAgentTerminal

@Suite("Runner frames")
struct RunnerFrameCodecTests {
    @Test("frames survive encoding and decoding, split at any byte")
    func roundTrip() throws {
        let frames = [
            try RunnerFrame.json(.hello, RunnerHello(version: 1, secret: "s")),
            RunnerFrame.output(offset: 1 << 40, bytes: Array("hi\r\n".utf8)),
            RunnerFrame(kind: .redraw),
        ]
        var wire = ByteBuffer()
        for frame in frames { try RunnerFrameEncoder().encode(data: frame, out: &wire) }
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RunnerFrameDecoder()))
        while let byte = wire.readSlice(length: 1) {
            try channel.writeInbound(byte)
        }
        let first = try #require(try channel.readInbound(as: RunnerFrame.self))
        #expect(first.kind == .hello)
        #expect(try first.decode(RunnerHello.self).secret == "s")
        var second = try #require(try channel.readInbound(as: RunnerFrame.self))
        #expect(second.kind == .output)
        #expect(second.payload.readInteger(as: UInt64.self) == 1 << 40)
        #expect(Array(second.payload.readableBytesView) == Array("hi\r\n".utf8))
        let third = try #require(try channel.readInbound(as: RunnerFrame.self))
        #expect(third.kind == .redraw && third.payload.readableBytes == 0)
        #expect(try channel.finish().isClean)
    }

    @Test("an oversized or unknown frame is refused")
    func badFrames() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RunnerFrameDecoder(maxLength: 16)))
        var oversized = ByteBuffer()
        oversized.writeInteger(UInt32(17))
        #expect(throws: TerminalError.self) { try channel.writeInbound(oversized) }

        let other = EmbeddedChannel(handler: ByteToMessageHandler(RunnerFrameDecoder()))
        var unknown = ByteBuffer()
        unknown.writeInteger(UInt32(1))
        unknown.writeInteger(UInt8(0x7f))
        #expect(throws: TerminalError.protocolViolation("unknown frame kind 127")) { try other.writeInbound(unknown) }
    }
}
