import NIOCore

/// Splits the byte stream into `RunnerFrame`s; a frame over `maxLength` or of an unknown kind is an error.
struct RunnerFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = RunnerFrame

    var maxLength = RunnerProtocol.maxFrameLength

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length >= 1, length <= self.maxLength else {
            throw TerminalError.protocolViolation("a frame of \(length) bytes (the limit is \(self.maxLength))")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let kindByte = buffer.readInteger(as: UInt8.self), let payload = buffer.readSlice(length: Int(length) - 1) else {
            return .needMoreData
        }
        guard let kind = RunnerFrameKind(rawValue: kindByte) else {
            throw TerminalError.protocolViolation("unknown frame kind \(kindByte)")
        }
        context.fireChannelRead(Self.wrapInboundOut(RunnerFrame(kind: kind, payload: payload)))
        return .continue
    }
}

/// Writes a `RunnerFrame` as length, kind, payload.
struct RunnerFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = RunnerFrame

    func encode(data frame: RunnerFrame, out: inout ByteBuffer) throws {
        out.writeInteger(UInt32(1 + frame.payload.readableBytes))
        out.writeInteger(frame.kind.rawValue)
        var payload = frame.payload
        out.writeBuffer(&payload)
    }
}
