import Foundation

/// A checked full-text query (reference §13.5): 2 to 200 characters, matched as one quoted prefix phrase, so FTS5
/// syntax in the text (`AND`, `*`, `"`, `:`, parentheses…) is searched for literally and never reaches SQLite as
/// syntax.
public struct SearchQuery: Equatable, Sendable {
    /// Fewest and most characters of a query (after trimming).
    public static let lengths = 2...200
    /// Allowed result limits and the default.
    public static let limits = 1...100
    public static let defaultLimit = 20

    /// The query as given, trimmed.
    public let text: String
    /// The FTS5 MATCH expression: `"<text with quotes doubled>"*`.
    public let match: String

    /// Checks `raw` and builds the MATCH expression. Refuses (with `invalid_argument`) what cannot be searched.
    public init(_ raw: String) throws {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.lengths.contains(FreeText.length(text)) else {
            throw DomainError.invalidArgument(
                "the search query must have \(Self.lengths.lowerBound) to \(Self.lengths.upperBound) characters (got \(FreeText.length(text))); "
                    + "search for a word or a phrase"
            )
        }
        guard text.unicodeScalars.contains(where: Self.isWordCharacter) else {
            throw DomainError.invalidArgument(
                "the search query '\(text)' has no letters or digits to search for; search for a word or a phrase"
            )
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }) else {
            throw DomainError.invalidArgument("the search query contains control characters; search for plain words")
        }
        self.text = text
        self.match = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
    }

    /// Checks a result limit (nil: the default).
    public static func limit(_ value: Int?) throws -> Int {
        let limit = value ?? Self.defaultLimit
        guard Self.limits.contains(limit) else {
            throw DomainError.invalidArgument("limit must be from \(Self.limits.lowerBound) to \(Self.limits.upperBound) (got \(limit))")
        }
        return limit
    }

    /// The words of `text` as the search tokenizer cuts them (FTS5's `unicode61` with `_` and `-` as token
    /// characters): maximal runs of ``isWordCharacter(_:)``, in order. A store without that tokenizer (PostgreSQL)
    /// stores and matches these words, so an identifier such as `user_account_id` stays one word there too.
    package static func words(in text: String) -> [String] {
        text.unicodeScalars.split { !Self.isWordCharacter($0) }.map { String(String.UnicodeScalarView($0)) }
    }

    /// The characters the tokenizer keeps in words: letters, digits, `_` and `-`.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "-"
    }

    /// A preview of `body` around the first match (reference §13.5): from 100 characters before it to 140 after its
    /// start, with `…` where the body was cut. The match is found ignoring case and diacritics, first as the whole query,
    /// then as its first word; without either, the preview is the start of the body.
    public func preview(of body: String) -> String {
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        let firstWord =
            self.text.unicodeScalars.split { !Self.isWordCharacter($0) }.first.map { String(String.UnicodeScalarView($0)) } ?? self.text
        let found = body.range(of: self.text, options: options) ?? body.range(of: firstWord, options: options)
        let matchStart = found.map { body.distance(from: body.startIndex, to: $0.lowerBound) } ?? 0
        let start = max(0, matchStart - 100)
        let end = min(body.count, matchStart + 140)
        let lower = body.index(body.startIndex, offsetBy: start)
        let upper = body.index(lower, offsetBy: end - start)
        return (start > 0 ? "…" : "") + body[lower..<upper] + (end < body.count ? "…" : "")
    }
}

/// One page of search results, best match first.
public struct SearchPage<Hit: Sendable>: Sendable {
    public var hits: [Hit]
    /// How many results match in all.
    public var total: Int
    /// More results match than were returned (raise `limit` or narrow the query).
    public var truncated: Bool { self.total > self.hits.count }

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        hits: [Hit],
        total: Int
    ) {
        self.hits = hits
        self.total = total
    }
}

extension SearchPage: Equatable where Hit: Equatable {}

/// A direct or broadcast message that matched a search.
public struct MessageSearchHit: Equatable, Sendable {
    public var message: Message
    /// The body around the first match (see ``SearchQuery/preview(of:)``).
    public var preview: String
    /// The store's score, lower is a better match: SQLite's bm25, PostgreSQL's `ts_rank_cd` negated. Relative within
    /// one result list, never comparable across stores.
    public var rank: Double

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        message: Message,
        preview: String,
        rank: Double
    ) {
        self.message = message
        self.preview = preview
        self.rank = rank
    }
}

/// A channel post that matched a search.
public struct ChannelSearchHit: Equatable, Sendable {
    public var post: ChannelPost
    public var preview: String
    /// The store's score, lower is a better match: SQLite's bm25, PostgreSQL's `ts_rank_cd` negated. Relative within
    /// one result list, never comparable across stores.
    public var rank: Double

    /// Every stored property (the memberwise initializer, visible to the store implementations).
    package init(
        post: ChannelPost,
        preview: String,
        rank: Double
    ) {
        self.post = post
        self.preview = preview
        self.rank = rank
    }
}
