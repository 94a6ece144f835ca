import Foundation
import WhatsAgentAPI

/// Display ids: `<PREFIX>-<n>` with `n` zero-padded to three digits (`WA-001`, `EP-1234`).
public enum BoardDisplayID {
    /// The display id of sequence `number` under `prefix`.
    public static func format(prefix: String, sequence number: Int) -> String {
        let digits = String(number)
        return "\(prefix.uppercased())-\(String(repeating: "0", count: max(0, 3 - digits.count)))\(digits)"
    }

    /// How a reference typed by someone names an item.
    enum Reference: Equatable {
        /// A bare number: the row id.
        case rowID(Int64)
        /// `PREFIX-n`, normalized to the stored spelling (`wa-1` → `WA-001`).
        case display(String)
    }

    /// Parses `WA-1`, `wa-001`, `#12` or `12`.
    /// - Throws: `invalid_argument` naming the accepted forms.
    static func parse(_ text: String, kind: BoardItemKind) throws -> Reference {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let bare = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
        if let number = Int64(bare), number > 0 { return .rowID(number) }
        if let dash = bare.lastIndex(of: "-") {
            let prefix = bare[..<dash]
            if let number = Int(bare[bare.index(after: dash)...]), number > 0, !prefix.isEmpty,
                prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            {
                return .display(self.format(prefix: String(prefix), sequence: number))
            }
        }
        let example = kind == .task ? "WA-12" : "EP-3"
        throw DomainError.invalidArgument("'\(text)' is not a \(kind.rawValue) id; write the display id (\(example), any case) or the number")
    }

    /// Checks a workspace prefix: a letter then up to 11 letters or digits (stored upper-case).
    static func validatePrefix(_ prefix: String) -> Bool {
        guard let first = prefix.first, first.isASCII, first.isLetter, FreeText.length(prefix) <= 12 else { return false }
        return prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
