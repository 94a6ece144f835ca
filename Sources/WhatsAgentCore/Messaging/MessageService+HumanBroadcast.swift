import Foundation
import WhatsAgentAPI

extension MessageService {
    /// The human (human-web) sends one message to every agent of the workspace (kind `broadcast`, one row per agent,
    /// one thread), in one write transaction: every agent gets it, or nobody does. The human needs no grant and is not
    /// rate limited; refused in channel topology, where the human posts in `#shared` instead. Agents without a live
    /// session get it when they next connect.
    public func broadcast(workspace reference: String?, fromHumanBody body: String) async throws -> [SendOutcome] {
        let (workspace, store) = try await self.workspaces.messagingStore(for: reference)
        try Self.validate(body: body, limit: workspace.maxBodyChars)
        guard workspace.topology != .channel else {
            throw DomainError(
                .topologyRefused,
                "the workspace uses channel topology: broadcasts are off; post in #shared instead (`whatsagent channel post shared BODY`)"
            )
        }
        let request = BroadcastRequest(
            senderAgentID: nil,
            fromAddress: MessageSender.humanAddress,
            threadID: "broadcast:\(SessionID.generate().rawValue)",
            body: body,
            connected: await self.hub.connectedSessions(),
            now: self.now()
        )
        let commit = try await store.broadcast(request) { facts in
            guard !facts.recipients.isEmpty else {
                throw DomainError(.invalidState, "the workspace has no agents to broadcast to; add one with `whatsagent agent add REPO:NAME`")
            }
        }
        return try await self.published(commit, of: store)
    }
}
