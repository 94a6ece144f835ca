import Foundation

/// What every store's loop guard computes the same way: the pair as stored, where its counting starts, the new hold
/// and its alert to human-web.
extension LoopGuard {
    /// Two agents as a hold stores them: the lower agent id first.
    package struct Pair: Sendable {
        package var low: Agent
        package var high: Agent

        package init(_ first: Agent, _ second: Agent) {
            (self.low, self.high) = first.id.rawValue < second.id.rawValue ? (first, second) : (second, first)
        }

        /// The threads of the human's direct conversations with either agent.
        package var humanThreads: [String] {
            [self.low, self.high].map { Message.directThread(MessageSender.humanAddress, $0.address.description) }
        }

        /// A hold of this pair created at `now`, with id `id`.
        package func hold(id: Int64, at now: Date) -> LoopHold {
            LoopHold(
                id: id,
                low: (self.low.id, self.low.address.description),
                high: (self.high.id, self.high.address.description),
                heldAt: now,
                releasedAt: nil,
                messages: []
            )
        }
    }

    /// Where a pair's counting starts: the latest of the window's start, the pair's last release and the last message
    /// between the human and either agent.
    package static func countingStart(now: Date, lastRelease: Date?, lastHuman: [Date?]) -> Date {
        var since = now.addingTimeInterval(-Self.window)
        let human = lastHuman.compactMap(\.self).max()
        for date in [lastRelease, human].compactMap(\.self) where date > since { since = date }
        return since
    }

    /// The alert to human-web that `hold` was created, as the message to store.
    package static func alertMessage(_ hold: LoopHold, limit: Int, now: Date) -> Message {
        Message(
            id: 0,
            kind: "direct",
            fromAgentID: nil,
            fromAddress: Self.alertSender,
            toAgentID: nil,
            toAddress: MessageSender.humanAddress,
            threadID: Message.directThread(MessageSender.humanAddress, Self.alertSender),
            body: Self.alert(hold, limit: limit),
            state: .queued,
            rejection: nil,
            clientMessageID: nil,
            sentAt: now,
            deliveries: 0
        )
    }
}

extension LoopHold {
    /// A stored hold: its row's agents (`low`, `high`) and the messages it still holds.
    package init(
        id: Int64,
        low: (id: AgentID, address: String),
        high: (id: AgentID, address: String),
        heldAt: Date,
        releasedAt: Date?,
        messages: [Message]
    ) {
        self.init(
            id: id,
            agents: [low.address, high.address].sorted(),
            agentIDs: [low.id, high.id],
            heldAt: heldAt,
            releasedAt: releasedAt,
            messages: messages
        )
    }
}
