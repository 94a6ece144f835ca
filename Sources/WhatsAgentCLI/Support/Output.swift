import Foundation
import WhatsAgentAPI

/// Printing for humans and for scripts.
enum Output {
    /// Prints a wire value as JSON (the same types the REST API returns).
    static func json(_ value: some Encodable) throws {
        let encoder = WireJSON.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Prints rows as aligned columns under a header.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows.map { $0.map(Terminal.safe) }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
    }

    /// One `warning: …` line on stderr (also in `--json` mode: stdout stays the API's JSON).
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(Terminal.safe(message))\n".utf8))
    }
}

/// Makes daemon-provided text safe to print: control and escape characters (but newlines and tabs) are dropped.
enum Terminal {
    static func safe(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter { scalar in
                    scalar == "\n" || scalar == "\t" || !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
                }
            )
        )
    }
}
