import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// Channels as the human sees them: every channel, read and post (SPEC §7.3).
struct ChannelController {
    let channels: ChannelService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/channels", use: self.list)
        router.post("/api/v1/workspaces/{workspace}/channels", use: self.create)
        router.get("/api/v1/workspaces/{workspace}/channels/{channel}/posts", use: self.read)
        router.post("/api/v1/workspaces/{workspace}/channels/{channel}/posts", use: self.post)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> ChannelList {
        let summaries = try await self.channels.list(workspace: try AgentController.workspace(context), as: .human)
        return ChannelList(channels: summaries.map(ChannelResponse.init))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<ChannelResponse> {
        let body = try await request.decode(as: CreateChannelRequest.self, context: context)
        let channel = try await self.channels.create(workspace: try AgentController.workspace(context), name: body.name)
        let response = ChannelResponse(
            id: String(channel.id),
            name: channel.name,
            createdBy: channel.createdBy,
            createdAt: channel.createdAt,
            posts: 0
        )
        return EditedResponse(status: .created, response: response)
    }

    @Sendable func read(_ request: Request, context: APIRequestContext) async throws -> ChannelPostList {
        let query = request.uri.queryParameters
        let limit = try query["limit"].map { raw -> Int in
            guard let value = Int(raw) else { throw DomainError.invalidArgument("limit must be a whole number (got '\(raw)')") }
            return value
        }
        let posts = try await self.channels.read(
            workspace: try AgentController.workspace(context),
            as: .human,
            channel: try AgentController.parameter("channel", context),
            sinceID: query["sinceId"].map(String.init),
            beforeID: query["beforeId"].map(String.init),
            limit: limit ?? 50
        )
        return ChannelPostList(posts: posts.map(ChannelPostResponse.init))
    }

    @Sendable func post(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<ChannelPostResponse> {
        let body = try await request.decode(as: ChannelPostRequest.self, context: context)
        let workspace = try AgentController.workspace(context)
        let post: ChannelPost
        if let parent = body.replyTo {
            post = try await self.channels.reply(workspace: workspace, from: .human, to: parent, body: body.body)
        } else {
            post = try await self.channels.post(
                workspace: workspace,
                from: .human,
                channel: try AgentController.parameter("channel", context),
                body: body.body
            )
        }
        return EditedResponse(status: .created, response: ChannelPostResponse(post))
    }
}
