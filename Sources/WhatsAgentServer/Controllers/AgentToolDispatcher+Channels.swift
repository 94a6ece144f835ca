import WhatsAgentAPI
import WhatsAgentCore

extension AgentToolDispatcher {
    /// The channel tools of SPEC §8. The ones that write run `check` inside their transaction; reads were checked.
    func channelTool(_ name: String, _ identity: AgentIdentity, _ arguments: ToolArguments, check: ToolCheck?) async throws -> AgentToolResult {
        let channels = self.services.channels
        switch name {
        case "list_channels":
            let summaries = try await channels.list(workspace: nil, as: .agent(identity))
            let lines = summaries.map { summary in
                "#\(summary.channel.name): \(summary.isMember ? "member, \(summary.unread) unread" : "not a member"), \(summary.posts) posts"
            }
            let structured: [JSONValue] = summaries.map { summary in
                [
                    "name": .string(summary.channel.name),
                    "member": .bool(summary.isMember),
                    "unread": .number(Double(summary.unread)),
                    "posts": .number(Double(summary.posts)),
                ]
            }
            return .shaped(lines.isEmpty ? "No channels yet." : lines.joined(separator: "\n"), ["channels": .array(structured)])
        case "join_channel":
            let channel = try await channels.join(identity, name: try arguments.requiredString("channel"), check: check)
            return .shaped("Joined #\(channel.name).", ["channel": .string(channel.name)])
        case "leave_channel":
            let channel = try await channels.leave(identity, name: try arguments.requiredString("channel"), check: check)
            return .shaped("Left #\(channel.name).", ["channel": .string(channel.name)])
        case "create_channel":
            let channel = try await channels.create(identity, name: try arguments.requiredString("channel"), check: check)
            return .shaped("Created #\(channel.name) and joined it.", ["channel": .string(channel.name)])
        case "post_channel_message":
            let post = try await channels.post(
                workspace: nil,
                from: .agent(identity),
                channel: try arguments.optionalString("channel"),
                body: try arguments.requiredString("body"),
                check: check
            )
            return self.posted(post, verb: "Posted")
        case "reply_channel_thread":
            let post = try await channels.reply(
                workspace: nil,
                from: .agent(identity),
                to: try arguments.requiredString("messageId"),
                body: try arguments.requiredString("body"),
                check: check
            )
            return self.posted(post, verb: "Replied")
        default:
            let posts = try await channels.read(
                workspace: nil,
                as: .agent(identity),
                channel: try arguments.optionalString("channel"),
                sinceID: try arguments.optionalString("sinceId"),
                beforeID: try arguments.optionalString("beforeId"),
                limit: try arguments.optionalInt("limit") ?? 50
            )
            let messages = posts.map { post in
                InboxMessage(
                    id: post.wireID,
                    from: post.fromAddress,
                    to: "#\(post.channelName)",
                    sentAt: WireDate.format(post.sentAt),
                    kind: post.rootID == nil ? "channel" : "channel reply",
                    threadID: post.threadID,
                    body: post.body,
                    redelivered: false
                )
            }
            let envelope = InboxEnvelope(recipient: identity.agent.address.description, messages: messages)
            return .shaped(envelope.text, Self.structured(envelope, rootIDs: posts.map { $0.rootID.map { "c\($0)" } }))
        }
    }

    private func posted(_ post: ChannelPost, verb: String) -> AgentToolResult {
        .shaped(
            "\(verb) \(post.wireID) in #\(post.channelName) (thread \(post.threadID)).",
            [
                "messageId": .string(post.wireID),
                "channel": .string(post.channelName),
                "threadId": .string(post.threadID),
            ]
        )
    }
}
