import Foundation

/// The text the search tools return: like the inbox envelope (SPEC §7.4), every preview is fenced between
/// nonce-marked lines as untrusted text, with control and terminal-escape characters removed; metadata lines are
/// trusted.
public struct SearchEnvelope: Sendable {
    /// One result: its trusted metadata lines (`key: value`) and its untrusted preview.
    public struct Item: Sendable {
        public var metadata: [String]
        public var preview: String

        public init(metadata: [String], preview: String) {
            self.metadata = metadata
            self.preview = preview
        }
    }

    public var text: String
    /// The fence of every preview, here and in the result's structured content.
    public var fence: UntrustedFence
    public var nonce: String { self.fence.nonce }

    /// - Parameters:
    ///   - scope: what was searched, e.g. "your direct messages".
    ///   - total: how many results match in all (more than `items.count` when the page was cut).
    public init(query: String, scope: String, items: [Item], total: Int, makeNonce: () -> String = { SessionID.generate().rawValue }) {
        let fence = UntrustedFence(covering: items.map(\.preview) + [query], makeNonce: makeNonce)
        self.fence = fence
        let nonce = fence.nonce
        let shownQuery = InboxEnvelope.clean(query).replacingOccurrences(of: "\n", with: " ")
        guard !items.isEmpty else {
            self.text = "No results for \"\(shownQuery)\" in \(scope). Try fewer or other words; matching ignores case and accents."
            return
        }
        var lines = [
            "WhatsAgent search for \"\(shownQuery)\" in \(scope): \(items.count) of \(total) result\(total == 1 ? "" : "s"), best first [nonce \(nonce)]"
        ]
        lines += fence.legend
        for item in items {
            lines.append("")
            lines += item.metadata
            lines.append(fence.wrap(item.preview))
        }
        if total > items.count {
            lines.append("")
            lines.append("\(total - items.count) more match: raise limit (at most \(SearchQuery.limits.upperBound)) or narrow the query.")
        }
        self.text = lines.joined(separator: "\n")
    }
}
