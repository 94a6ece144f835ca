/// The rules every free-text input shares — message bodies, channel posts, board titles, details and comments,
/// summaries, personas, names and descriptions — in one place.
///
/// - No U+0000: SQLite binds text as C strings and the password hash reads one, so everything after a NUL would be
///   silently lost; the input is refused instead, naming the field.
/// - Lengths count Unicode scalars, never grapheme clusters (`Character`s): one `e` followed by a million combining
///   marks is a single `Character` but a million and one scalars.
/// - Bodies (messages, channel posts, comments) are also capped at ``maxBodyBytes`` of UTF-8, whatever their length.
///
/// ```swift
/// try FreeText.check(title, field: "title", limit: 500, advice: "put the rest in details")
/// try FreeText.checkBody(body, field: "body", limit: workspace.maxBodyChars, advice: "split it into several messages")
/// ```
public enum FreeText {
    /// Most UTF-8 bytes of a message body, channel post or board comment (128 KiB).
    public static let maxBodyBytes = 131_072

    /// The length every text limit counts: Unicode scalars.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// Refuses a U+0000 anywhere in `text`.
    /// - Throws: `invalid_argument` naming `field` and saying to remove the character.
    public static func rejectNUL(_ text: String, field: String) throws {
        guard text.utf8.contains(0) else { return }
        throw DomainError.invalidArgument(
            "`\(field)` contains a NUL character (U+0000), which cannot be stored; remove the NUL character (U+0000) from `\(field)`"
        )
    }

    /// Refuses a NUL and more than `limit` Unicode scalars; `advice` says what to do with a text that is too long.
    /// - Throws: `invalid_argument` naming `field`.
    public static func check(_ text: String, field: String, limit: Int, advice: String) throws {
        try self.rejectNUL(text, field: field)
        let length = self.length(text)
        guard length <= limit else {
            throw DomainError.invalidArgument("`\(field)` has \(length) characters; at most \(limit) are allowed — \(advice)")
        }
    }

    /// ``check(_:field:limit:advice:)`` plus the byte cap of a body (``maxBodyBytes``).
    /// - Throws: `invalid_argument` naming `field`.
    public static func checkBody(_ text: String, field: String, limit: Int, advice: String) throws {
        try self.check(text, field: field, limit: limit, advice: advice)
        let bytes = text.utf8.count
        guard bytes <= self.maxBodyBytes else {
            throw DomainError.invalidArgument(
                "`\(field)` has \(bytes) bytes of UTF-8; at most \(self.maxBodyBytes) (128 KiB) are allowed — \(advice)"
            )
        }
    }
}
