import Foundation

extension PushPlan {
    /// The push to `agent`'s live `session` of what `summary` counts, planned once for every store (nil: nothing
    /// waits): the hint counting everything waiting and naming the newest (``MailSummary``), the path the session's
    /// push `record` gives (``AgentPushStatus/path(agent:push:)``), and — when the hint on the events stream is the
    /// session's push (channel, resource, plugin, extension) — the record to store with this hint as its last push.
    ///
    /// The store, in the use case's transaction, marks the agent's queued messages pushed by `path` into `markedIDs`
    /// (path `none` marks nothing) and stores `recordedPush` (issue 19: not written by the stream after it).
    package static func draft(to agent: Agent, session: SessionID, summary: MailSummary, record: SessionPush?, now: Date) -> PushPlan? {
        guard summary.count > 0 else { return nil }
        let single = summary.count == 1 ? summary.newest.first : nil
        let hint = MailHint(
            count: summary.count,
            messageIDs: summary.newest.map(\.id),
            kinds: summary.kinds,
            from: single?.from,
            threadID: single?.thread,
            kind: single?.kind,
            cursor: summary.cursor,
            committedAt: nil
        )
        let path = AgentPushStatus.path(agent: agent, push: record)
        var plan = PushPlan(agentID: agent.id, session: session, hint: hint, path: path, markedIDs: [], markedAt: now)
        if let streamPath = AgentPushStatus.streamPath(agent: agent, push: record) {
            var recorded = record ?? SessionPush(sessionID: session)
            recorded.pushed(streamPath, at: now)
            (plan.recordedPush, plan.recordBefore, plan.hint.recordedPath) = (recorded, record, streamPath)
        }
        return plan
    }
}
