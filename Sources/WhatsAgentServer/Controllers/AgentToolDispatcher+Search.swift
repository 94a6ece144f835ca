import WhatsAgentAPI
import WhatsAgentCore

extension AgentToolDispatcher {
    /// `search_direct_messages(query, sender?, limit?)` and `search_channel_messages(query, channel?, sender?, limit?)`
    /// (SPEC §8): ranked results with previews fenced as untrusted text, and the same as structured content.
    func searchTool(_ name: String, _ identity: AgentIdentity, _ arguments: ToolArguments) async throws -> AgentToolResult {
        let query = try arguments.requiredString("query")
        let sender = try arguments.optionalString("sender")
        let limit = try arguments.optionalInt("limit")
        if name == "search_direct_messages" {
            let page = try await self.services.search.directMessages(workspace: nil, as: .agent(identity), query: query, sender: sender, limit: limit)
            let items = page.hits.map { hit in
                let message = hit.message
                return SearchEnvelope.Item(
                    metadata: [
                        "id: \(message.wireID)", "from: \(message.fromAddress)", "to: \(message.toAddress)",
                        "sent: \(WireDate.format(message.sentAt))", "kind: \(message.kind)", "thread: \(message.threadID)",
                        "state: \(message.state.rawValue)",
                    ],
                    preview: hit.preview
                )
            }
            let results: [JSONValue] = page.hits.map { hit in
                [
                    "id": .string(hit.message.wireID),
                    "kind": .string(hit.message.kind),
                    "from": .string(hit.message.fromAddress),
                    "to": .string(hit.message.toAddress),
                    "threadId": .string(hit.message.threadID),
                    "sentAt": .string(WireDate.format(hit.message.sentAt)),
                    "state": .string(hit.message.state.rawValue),
                    "preview": .string(hit.preview),
                    "rank": .number(hit.rank),
                ]
            }
            let envelope = SearchEnvelope(query: query, scope: "your direct messages", items: items, total: page.total)
            return self.searchResult(envelope, results, page.total, page.truncated)
        }
        let channel = try arguments.optionalString("channel")
        let page = try await self.services.search.channelPosts(
            workspace: nil,
            as: .agent(identity),
            query: query,
            channel: channel,
            sender: sender,
            limit: limit
        )
        let items = page.hits.map { hit in
            let post = hit.post
            return SearchEnvelope.Item(
                metadata: [
                    "id: \(post.wireID)", "from: \(post.fromAddress)", "channel: #\(post.channelName)",
                    "sent: \(WireDate.format(post.sentAt))", "thread: \(post.threadID)",
                ],
                preview: hit.preview
            )
        }
        let results: [JSONValue] = page.hits.map { hit in
            [
                "id": .string(hit.post.wireID),
                "channel": .string(hit.post.channelName),
                "from": .string(hit.post.fromAddress),
                "rootId": hit.post.rootID.map { .string("c\($0)") } ?? .null,
                "threadId": .string(hit.post.threadID),
                "sentAt": .string(WireDate.format(hit.post.sentAt)),
                "preview": .string(hit.preview),
                "rank": .number(hit.rank),
            ]
        }
        let scope = channel.map { "#\($0.hasPrefix("#") ? String($0.dropFirst()) : $0)" } ?? "your channels"
        let envelope = SearchEnvelope(query: query, scope: scope, items: items, total: page.total)
        return self.searchResult(envelope, results, page.total, page.truncated)
    }

    /// `results` carry their previews raw; they are fenced here with the envelope's fence, as in the text.
    private func searchResult(_ envelope: SearchEnvelope, _ results: [JSONValue], _ total: Int, _ truncated: Bool) -> AgentToolResult {
        let fenced: [JSONValue] = results.map { result in
            guard case .object(var fields) = result, case .string(let preview) = fields["preview"] else { return result }
            fields["preview"] = .string(envelope.fence.wrap(preview))
            return .object(fields)
        }
        return .shaped(
            envelope.text,
            [
                "results": .array(fenced),
                "total": .number(Double(total)),
                "truncated": .bool(truncated),
                "nonce": .string(envelope.nonce),
            ]
        )
    }
}
