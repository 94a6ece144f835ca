import Foundation

extension BroadcastRequest {
    /// The row this broadcast stores for `recipient` (no `clientMessageId`: a broadcast is not idempotent).
    package func message(to recipient: Agent) -> Message {
        Message(
            id: 0,
            kind: "broadcast",
            fromAgentID: self.senderAgentID,
            fromAddress: self.fromAddress,
            toAgentID: recipient.id,
            toAddress: recipient.address.description,
            threadID: self.threadID,
            body: self.body,
            state: .queued,
            rejection: nil,
            clientMessageID: nil,
            sentAt: self.now,
            deliveries: 0
        )
    }
}

extension ChannelPostRequest {
    /// The post this request stored as `id` in `channel` (in the thread of `rootID`, if a reply).
    package func post(id: Int64, in channel: Channel, rootID: Int64?) -> ChannelPost {
        ChannelPost(
            id: id,
            channelID: channel.id,
            channelName: channel.name,
            fromAgentID: self.senderAgentID,
            fromAddress: self.fromAddress,
            rootID: rootID,
            body: self.body,
            sentAt: self.now
        )
    }
}

extension Message {
    /// This message once the human has read it in a conversation (``MessagingStore/humanConversation(peer:limit:now:broadcasts:)``):
    /// a message to the human not yet acknowledged nor rejected becomes acknowledged now (surfaced now unless it was
    /// before); nil when reading changes nothing.
    package func readByHuman(now: Date) -> Message? {
        guard self.toAddress == MessageSender.humanAddress, self.state != .acknowledged, self.state != .rejected else { return nil }
        var read = self
        read.state = .acknowledged
        read.surfacedAt = self.surfacedAt ?? now
        read.acknowledgedAt = now
        return read
    }
}
