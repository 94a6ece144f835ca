import Foundation

extension MessageService {
    /// The human (human-web) sends one message to every agent of the workspace (kind `broadcast`, one row per agent,
    /// one thread). The human needs no grant and is not rate limited; refused in channel topology, where the human
    /// posts in `#shared` instead. Agents without a live session get it when they next connect.
    public func broadcast(workspace reference: String?, fromHumanBody body: String) async throws -> [SendOutcome] {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        try Self.validate(body: body, limit: workspace.maxBodyChars)
        guard workspace.topology != .channel else {
            throw DomainError(
                .topologyRefused,
                "the workspace uses channel topology: broadcasts are off; post in #shared instead (`whatsagent channel post shared BODY`)"
            )
        }
        let agents = try await database.agents()
        guard !agents.isEmpty else {
            throw DomainError(.invalidState, "the workspace has no agents to broadcast to; add one with `whatsagent agent add REPO:NAME`")
        }
        let threadID = "broadcast:\(SessionID.generate().rawValue)"
        let drafts = agents.map { recipient in
            Message(
                id: 0,
                kind: "broadcast",
                fromAgentID: nil,
                fromAddress: MessageSender.humanAddress,
                toAgentID: recipient.id,
                toAddress: recipient.address.description,
                threadID: threadID,
                body: body,
                state: .queued,
                rejection: nil,
                clientMessageID: nil,
                sentAt: self.now(),
                deliveries: 0
            )
        }
        // One transaction: every agent gets it, or nobody does.
        let stored = try await database.insertBroadcast(drafts)
        let committedAt = ContinuousClock.now
        self.metrics.messagesSent.increment(["broadcast"], by: Double(stored.count))
        for message in stored { self.workspaces.events.publish(.message(MessageNotice(message)), workspace: workspace.id) }
        var outcomes: [SendOutcome] = []
        for (recipient, message) in zip(agents, stored) {
            let push = try await self.push(to: recipient, database, committedAt: committedAt)
            outcomes.append(SendOutcome(message: push.applied(to: message), duplicate: false, recipientOnline: push.online))
        }
        return outcomes
    }
}
