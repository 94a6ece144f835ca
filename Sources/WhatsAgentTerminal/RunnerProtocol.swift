import Foundation
import NIOCore

/// The runner↔daemon protocol over the runner's Unix socket (docs/architecture.md, "Runner").
///
/// Every frame is a 4-byte big-endian length (of what follows), a 1-byte kind and the payload. Control payloads
/// are JSON; `input` is raw bytes; `output` is an 8-byte big-endian offset then raw bytes. The framing, the `hello`
/// frame (`{"version","secret"}`) and the `refused` frame are frozen across versions, so any two builds can tell
/// each other that their versions differ.
public enum RunnerProtocol {
    /// Bumped on any incompatible change; a runner refuses a client of another version (`version_mismatch`).
    public static let version = 1
    /// The largest frame either side accepts.
    public static let maxFrameLength = 4 << 20
    /// The largest output chunk in one frame when replaying the buffer.
    static let replayChunk = 256 << 10
    /// How long a new connection has to authenticate.
    public static let helloTimeout: TimeAmount = .seconds(5)
}

/// The kind byte of a frame.
public enum RunnerFrameKind: UInt8, Sendable {
    // client → runner
    case hello = 0x01
    case subscribe = 0x02
    case input = 0x03
    case resize = 0x04
    case redraw = 0x05
    case stop = 0x06
    case requestInfo = 0x07
    case acknowledgeExit = 0x08
    /// `input`, written only while no prompt is on screen; answered with `info` (see `RunnerConnection.send(inputUnlessPrompt:)`).
    /// Sent only to runners whose `info.guardsInput` is true.
    case inputUnlessPrompt = 0x09
    // runner → client
    case info = 0x41
    case refused = 0x42
    case output = 0x43
    case event = 0x44
}

/// One frame.
public struct RunnerFrame: Sendable {
    public var kind: RunnerFrameKind
    public var payload: ByteBuffer

    public init(kind: RunnerFrameKind, payload: ByteBuffer = ByteBuffer()) {
        self.kind = kind
        self.payload = payload
    }

    /// A frame whose payload is `value` as JSON.
    static func json(_ kind: RunnerFrameKind, _ value: some Encodable) throws -> RunnerFrame {
        RunnerFrame(kind: kind, payload: ByteBuffer(bytes: try RunnerJSON.encoder.encode(value)))
    }

    /// An `output` frame: offset, then the bytes.
    static func output(offset: UInt64, bytes: some Collection<UInt8>) -> RunnerFrame {
        var payload = ByteBuffer()
        payload.reserveCapacity(8 + bytes.count)
        payload.writeInteger(offset)
        payload.writeBytes(bytes)
        return RunnerFrame(kind: .output, payload: payload)
    }

    /// Decodes the JSON payload.
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        guard let bytes = self.payload.getBytes(at: self.payload.readerIndex, length: self.payload.readableBytes) else {
            throw TerminalError.protocolViolation("empty \(self.kind) frame")
        }
        do {
            return try RunnerJSON.decoder.decode(type, from: Data(bytes))
        } catch {
            throw TerminalError.protocolViolation("malformed \(self.kind) frame")
        }
    }
}

/// `hello`: the first frame of every connection.
public struct RunnerHello: Codable, Sendable {
    public var version: Int
    public var secret: String
}

/// `refused`: why the runner is closing the connection. `version` is the runner's protocol version.
public struct RunnerRefusal: Codable, Sendable {
    public var code: String
    public var message: String
    public var version: Int
}

/// `subscribe`: replay from `fromOffset` (the oldest buffered byte when nil or too old), then live output.
public struct RunnerSubscribeRequest: Codable, Sendable {
    public var fromOffset: UInt64?
}

/// `stop`: SIGTERM to the child's process group, SIGHUP after 2/5 of the grace period, SIGKILL after it (the runner's default when nil).
public struct RunnerStopRequest: Codable, Sendable {
    public var graceMilliseconds: Int?
}

/// `info`: the runner's state, sent after `hello` and on `requestInfo`.
public struct RunnerInfo: Codable, Sendable, Equatable {
    public var protocolVersion: Int
    public var sessionID: String
    public var runnerPID: Int32
    public var childPID: Int32
    /// The executable the child runs.
    public var command: String
    public var startedAt: Date
    public var size: TerminalSize
    /// The offsets of the oldest buffered byte and just past the newest (total output so far).
    public var startOffset: UInt64
    public var endOffset: UInt64
    /// The matched "waiting for approval" phrase while the attention flag is up.
    public var attention: String?
    public var exit: PTYExitStatus?
    public var endedAt: Date?
    /// When a client last sent input (absent from runners that predate it).
    public var lastInputAt: Date? = nil
    /// The prompt the screen shows now (`AttentionDetector.promptOnScreen`); nil when there is none.
    public var prompt: String? = nil
    /// True from runners that take `inputUnlessPrompt` (absent from runners that predate it).
    public var guardsInput: Bool? = nil
}

/// What a subscriber receives, in order.
public enum RunnerEvent: Sendable, Equatable {
    /// The replay starts at `startOffset`; when that is after `requestedOffset`, the bytes between were overwritten.
    case subscribed(startOffset: UInt64, requestedOffset: UInt64?)
    /// Output starting at absolute offset `offset`.
    case output(offset: UInt64, bytes: [UInt8])
    /// The terminal was resized (by any client: the last writer wins).
    case resized(TerminalSize)
    /// The attention flag went up (the matched phrase) or down (nil, after input).
    case attention(String?)
    /// The child ended; every output byte was sent before this. The last event of a subscription.
    case exited(PTYExitStatus)
}

/// The JSON body of an `event` frame.
struct RunnerEventBody: Codable {
    var kind: String
    var startOffset: UInt64?
    var requestedOffset: UInt64?
    var size: TerminalSize?
    var reason: String?
    var exit: PTYExitStatus?

    init(_ event: RunnerEvent) {
        self.kind = ""
        switch event {
        case .subscribed(let start, let requested):
            self.kind = "subscribed"
            self.startOffset = start
            self.requestedOffset = requested
        case .output:
            self.kind = "output"
        case .resized(let size):
            self.kind = "resized"
            self.size = size
        case .attention(let reason):
            self.kind = "attention"
            self.reason = reason
        case .exited(let status):
            self.kind = "exited"
            self.exit = status
        }
    }

    var event: RunnerEvent? {
        switch self.kind {
        case "subscribed": return self.startOffset.map { .subscribed(startOffset: $0, requestedOffset: self.requestedOffset) }
        case "resized": return self.size.map { .resized($0) }
        case "attention": return .attention(self.reason)
        case "exited": return self.exit.map { .exited($0) }
        default: return nil
        }
    }
}

/// JSON for frames and the metadata file: RFC 3339 dates with milliseconds.
enum RunnerJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
        }
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            if let date = (try? withFraction.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 date: \(text)")
        }
        return decoder
    }
}
