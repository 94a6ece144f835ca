import Foundation
import WhatsAgentTerminal

/// The text frames of the browser terminal stream (docs/http-api.md, "Terminal stream"): one JSON object each.
enum TerminalStreamMessage {
    /// The first frame: where the replay starts, the end of the output so far, the terminal size and attention.
    static func subscribed(startOffset: UInt64, endOffset: UInt64, size: TerminalSize, attention: Bool) -> String {
        self.json([
            "type": "subscribed", "startOffset": startOffset, "endOffset": endOffset, "cols": size.cols, "rows": size.rows,
            "attention": attention,
        ])
    }

    static func resized(_ size: TerminalSize) -> String {
        self.json(["type": "resized", "cols": size.cols, "rows": size.rows])
    }

    static func attention(_ raised: Bool) -> String {
        self.json(["type": "attention", "attention": raised])
    }

    static func exited(_ status: PTYExitStatus) -> String {
        self.json(["type": "exited", "reason": status.description, "exitCode": status.code.map { Int($0) as Any } ?? NSNull()])
    }

    static func error(code: String, message: String) -> String {
        self.json(["type": "error", "code": code, "message": message])
    }

    private static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"type":"error","code":"internal_error","message":"cannot encode an event"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A text frame from the browser.
enum TerminalViewerRequest: Equatable {
    /// Keystrokes as UTF-8 (binary frames carry raw bytes instead).
    case input(String)
    case resize(TerminalSize)
    case redraw
    case nudge
    /// `ping` and types this build does not know: nothing to do.
    case ignored

    private struct Wire: Decodable {
        var type: String
        var data: String?
        var cols: Int?
        var rows: Int?
    }

    /// Parses one text frame.
    /// - Throws: `TerminalViewerRequest.Invalid` naming what is wrong.
    init(parsing text: String) throws {
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(text.utf8)) else {
            throw Invalid(message: #"text frames are JSON objects with a "type" ("input", "resize", "redraw" or "nudge")"#)
        }
        switch wire.type {
        case "input":
            guard let data = wire.data else { throw Invalid(message: #"an input frame needs "data" (the typed text)"#) }
            self = .input(data)
        case "resize":
            guard let cols = wire.cols, let rows = wire.rows, TerminalSize(cols: cols, rows: rows).isValid else {
                throw Invalid(
                    message: #"a resize frame needs whole numbers "cols" and "rows" between 1 and \#(TerminalSize.validRange.upperBound)"#
                )
            }
            self = .resize(TerminalSize(cols: cols, rows: rows))
        case "redraw": self = .redraw
        case "nudge": self = .nudge
        default: self = .ignored
        }
    }

    struct Invalid: Error {
        let message: String
    }
}
