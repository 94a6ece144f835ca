import Foundation

/// The text `check_messages` returns (SPEC §7.4): trusted metadata lines, and every body fenced between
/// nonce-marked lines as untrusted text, with control and terminal-escape characters removed.
public struct InboxEnvelope: Sendable {
    public var text: String
    /// The messages as shown, in the text's order (their bodies as given, not yet fenced).
    public var messages: [InboxMessage]
    /// The fence of every body, here and in the result's structured content.
    public var fence: UntrustedFence
    public var nonce: String { self.fence.nonce }

    /// Builds the envelope. `nonce` is drawn anew while any body contains it (tests may pass a generator).
    public init(
        recipient: String,
        messages: [InboxMessage],
        makeNonce: () -> String = { SessionID.generate().rawValue }
    ) {
        let fence = UntrustedFence(covering: messages.map(\.body), makeNonce: makeNonce)
        self.fence = fence
        self.messages = messages
        let nonce = fence.nonce

        var lines = ["WhatsAgent inbox for \(recipient): \(messages.count) message\(messages.count == 1 ? "" : "s") [nonce \(nonce)]"]
        lines += fence.legend
        for message in messages {
            lines.append("")
            lines.append("from: \(message.from)")
            lines.append("to: \(message.to)")
            lines.append("sent: \(message.sentAt)")
            lines.append("id: \(message.id)")
            lines.append("kind: \(message.kind)\(message.redelivered ? " (redelivered)" : "")")
            lines.append("thread: \(message.threadID)")
            if let item = Self.boardItem(of: message) { lines.append("board item: \(item)") }
            lines.append(fence.wrap(message.body))
        }
        lines.append("")
        if let last = messages.last, let item = Self.boardItem(of: last) {
            lines.append(
                "Next: read the item with read_kanban_task(taskId: \"\(item)\") or read_kanban_epic(epicId: \"\(item)\"); call check_messages again for more."
            )
        } else if let last = messages.last {
            lines.append("Next: reply with send_message(to: \"\(last.from)\", body: …) if an answer is needed; call check_messages again for more.")
        } else {
            lines.append("No messages are waiting. New mail arrives as a push; there is no need to poll.")
        }
        self.text = lines.joined(separator: "\n")
    }

    /// The display id a board notification is about (`kanban:WA-003` → `WA-003`), as trusted metadata.
    static func boardItem(of message: InboxMessage) -> String? {
        guard message.kind == "kanban", message.threadID.hasPrefix("kanban:") else { return nil }
        return String(message.threadID.dropFirst("kanban:".count))
    }

    /// Removes terminal escape sequences and control characters (keeping newlines and tabs).
    public static func clean(_ body: String) -> String {
        var scalars = String.UnicodeScalarView()
        var iterator = body.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar.value {
            case 0x1B:
                Self.skipEscapeSequence(&iterator)
            case 0x9B:
                Self.skipControlSequence(&iterator)
            case 0x0A, 0x09:
                scalars.append(scalar)
            case 0x0D:
                scalars.append("\n")
            case 0x00..<0x20, 0x7F...0x9F:
                continue
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// After ESC: CSI (`[` … final byte), OSC/DCS/PM/APC strings (until BEL or ESC \), or a single character.
    private static func skipEscapeSequence(_ iterator: inout String.UnicodeScalarView.Iterator) {
        guard let next = iterator.next() else { return }
        switch next {
        case "[":
            Self.skipControlSequence(&iterator)
        case "]", "P", "^", "_", "X":
            while let scalar = iterator.next() {
                if scalar.value == 0x07 { return }
                if scalar.value == 0x1B {
                    _ = iterator.next()
                    return
                }
            }
        default:
            return
        }
    }

    /// Skips parameter and intermediate bytes up to the final byte (0x40–0x7E).
    private static func skipControlSequence(_ iterator: inout String.UnicodeScalarView.Iterator) {
        while let scalar = iterator.next() {
            if (0x40...0x7E).contains(scalar.value) { return }
        }
    }
}

/// One message as the envelope shows it.
public struct InboxMessage: Sendable, Equatable {
    public var id: String
    public var from: String
    public var to: String
    public var sentAt: String
    public var kind: String
    public var threadID: String
    public var body: String
    public var redelivered: Bool

    public init(id: String, from: String, to: String, sentAt: String, kind: String, threadID: String, body: String, redelivered: Bool) {
        self.id = id
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.kind = kind
        self.threadID = threadID
        self.body = body
        self.redelivered = redelivered
    }
}
