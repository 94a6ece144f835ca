import Foundation

/// A member of a channel with its presence.
public struct ChannelMember: Equatable, Sendable {
    public var agent: Agent
    /// The agent holds its events stream now.
    public var online: Bool
}

extension ChannelService {
    /// The agents who read and receive `channel` (every agent for `#shared`), by address, with presence.
    public func members(workspace reference: String?, channel raw: String) async throws -> (channel: Channel, members: [ChannelMember]) {
        let (_, database) = try await self.workspaces.database(for: reference)
        try await database.ensureSharedChannel(now: self.now())
        let channel = try await database.channel(named: try Channel.normalize(raw))
        var members: [ChannelMember] = []
        for agent in try await database.members(of: channel) {
            var online = false
            if let session = try await database.liveSession(of: agent.id) { online = await self.messages.hub.isConnected(session.id) }
            members.append(ChannelMember(agent: agent, online: online))
        }
        return (channel, members)
    }
}
