import Foundation

/// Reading messages: waiting mail, the human's conversations, the mail summary, holds and full-text search.
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol MessageQueryStore: Sendable {
    /// Whether the human muted the agent (read fresh: a mute takes effect on the next send).
    func isMuted(_ agent: AgentID) async throws -> Bool

    /// Messages waiting for `agent` (not yet acknowledged), oldest first.
    func waitingMessages(for agent: AgentID) async throws -> [Message]

    /// What waits for `agent` (``MailSummary``), read once.
    func mailSummary(for agent: AgentID) async throws -> MailSummary

    /// Releases the active hold between two agents: its held messages become queued (their order is their ids), and
    /// the release time restarts the pair's counting window.
    /// - Returns: the released hold and how many messages it released.
    /// - Throws: `not_found` when the pair is not held.
    func releaseHold(_ first: Agent, _ second: Agent, now: Date) async throws -> (hold: LoopHold, released: Int)

    /// Direct and broadcast messages matching `query`, best first (bm25), with the total number of matches. With
    /// `agent`, only what that agent sent or received and that was not refused or held; without, everything (the
    /// human). A broadcast counts once: by its first row for the human and for its sender. One read transaction.
    func searchMessages(_ query: SearchQuery, visibleTo agent: AgentID?, sender: String?, limit: Int) async throws -> SearchPage<MessageSearchHit>

    /// Channel posts matching `query`, best first (bm25), with the total number of matches. With `agent`, only posts
    /// of channels it is a member of (every agent is in #shared); `channel` narrows to one channel. One read transaction.
    func searchPosts(
        _ query: SearchQuery,
        visibleTo agent: AgentID?,
        channel: Channel?,
        sender: String?,
        limit: Int
    ) async throws -> SearchPage<ChannelSearchHit>
}
