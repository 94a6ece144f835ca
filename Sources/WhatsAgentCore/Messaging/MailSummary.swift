import Foundation

/// What a push (and `whatsagent://inbox`) says about an agent's waiting mail (SPEC §8, issue 21): how much, of which
/// kinds, at most the newest ``limit`` ids, and a cursor; read by counts and bounded index lookups, so it costs the
/// same with 10 or 10,000 messages waiting.
package struct MailSummary: Sendable, Equatable {
    /// At most this many ids are listed, the newest.
    package static let limit = 20

    package struct Item: Sendable, Equatable {
        package var id: String
        package var kind: String
        package var from: String
        package var thread: String

        package init(id: String, kind: String, from: String, thread: String) {
            (self.id, self.kind, self.from, self.thread) = (id, kind, from, thread)
        }
    }

    /// Waiting direct, broadcast and kanban messages plus unread channel posts.
    package var count: Int
    package var kinds: [String]
    /// The newest ≤ ``limit``: messages oldest first, then posts oldest first (the order `check_messages` returns them).
    package var newest: [Item]
    /// The newest waiting message's id and the newest unread post's id, joined by `+` (`14`, `c3`, `14+c3`; nil when
    /// nothing waits): equal cursors mean no new mail arrived in between.
    package var cursor: String?

    package init(count: Int, kinds: [String], newest: [Item], cursor: String?) {
        (self.count, self.kinds, self.newest, self.cursor) = (count, kinds, newest, cursor)
    }
}
