import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// Human-side search (reference §13.5): every direct/broadcast message of the workspace, and every channel's posts.
/// Query parameters: `q` (2–200 characters), `sender` (`repo:agent` or `human-web`), `limit` (1–100, default 20),
/// and `channel` for the channel search.
struct MessageSearchController {
    let search: MessageSearchService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/messages/search", use: self.searchMessages)
        router.get("/api/v1/workspaces/{workspace}/channels/search", use: self.searchChannels)
    }

    @Sendable func searchMessages(_ request: Request, context: APIRequestContext) async throws -> MessageSearchResults {
        let query = request.uri.queryParameters
        let text = try Self.query(request)
        let page = try await self.search.directMessages(
            workspace: try AgentController.workspace(context),
            as: .human,
            query: text,
            sender: query["sender"].map(String.init),
            limit: try Self.limit(request)
        )
        return MessageSearchResults(
            query: text.trimmingCharacters(in: .whitespacesAndNewlines),
            results: page.hits.map(MessageSearchHitResponse.init),
            total: page.total,
            truncated: page.truncated
        )
    }

    @Sendable func searchChannels(_ request: Request, context: APIRequestContext) async throws -> ChannelSearchResults {
        let query = request.uri.queryParameters
        let text = try Self.query(request)
        let page = try await self.search.channelPosts(
            workspace: try AgentController.workspace(context),
            as: .human,
            query: text,
            channel: query["channel"].map(String.init),
            sender: query["sender"].map(String.init),
            limit: try Self.limit(request)
        )
        return ChannelSearchResults(
            query: text.trimmingCharacters(in: .whitespacesAndNewlines),
            results: page.hits.map(ChannelSearchHitResponse.init),
            total: page.total,
            truncated: page.truncated
        )
    }

    private static func query(_ request: Request) throws -> String {
        guard let text = request.uri.queryParameters["q"] else {
            throw DomainError.invalidArgument("the query parameter q is missing; pass the words to search for, e.g. ?q=deploy")
        }
        return String(text)
    }

    private static func limit(_ request: Request) throws -> Int? {
        try request.uri.queryParameters["limit"].map { raw -> Int in
            guard let value = Int(raw) else { throw DomainError.invalidArgument("limit must be a whole number (got '\(raw)')") }
            return value
        }
    }
}

extension MessageSearchResults: ResponseEncodable {}
extension ChannelSearchResults: ResponseEncodable {}

extension MessageSearchHitResponse {
    init(_ hit: MessageSearchHit) {
        self.init(
            id: hit.message.wireID,
            kind: hit.message.kind,
            from: hit.message.fromAddress,
            to: hit.message.toAddress,
            threadId: hit.message.threadID,
            state: hit.message.state.rawValue,
            sentAt: hit.message.sentAt,
            preview: hit.preview,
            rank: hit.rank
        )
    }
}

extension ChannelSearchHitResponse {
    init(_ hit: ChannelSearchHit) {
        self.init(
            id: hit.post.wireID,
            channel: hit.post.channelName,
            from: hit.post.fromAddress,
            rootId: hit.post.rootID.map { "c\($0)" },
            threadId: hit.post.threadID,
            sentAt: hit.post.sentAt,
            preview: hit.preview,
            rank: hit.rank
        )
    }
}
