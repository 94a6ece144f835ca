import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// The human's broadcast to every agent, and channel membership as the human sees it.
struct BroadcastController {
    let messages: MessageService
    let channels: ChannelService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.post("/api/v1/workspaces/{workspace}/broadcasts", use: self.broadcast)
        router.get("/api/v1/workspaces/{workspace}/channels/{channel}/members", use: self.members)
    }

    @Sendable func broadcast(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<BroadcastResult> {
        let body = try await request.decode(as: BroadcastRequest.self, context: context)
        let outcomes = try await self.messages.broadcast(workspace: try AgentController.workspace(context), fromHumanBody: body.body)
        let result = BroadcastResult(
            messages: outcomes.map { MessageResponse($0.message) },
            online: outcomes.filter(\.recipientOnline).count
        )
        return EditedResponse(status: .created, response: result)
    }

    @Sendable func members(_ request: Request, context: APIRequestContext) async throws -> ChannelMemberList {
        let (channel, members) = try await self.channels.members(
            workspace: try AgentController.workspace(context),
            channel: try AgentController.parameter("channel", context)
        )
        return ChannelMemberList(
            channel: channel.name,
            members: members.map { ChannelMemberResponse(agent: $0.agent.address.description, online: $0.online, isMain: $0.agent.isMain) }
        )
    }
}

extension BroadcastResult: ResponseEncodable {}
extension ChannelMemberList: ResponseEncodable {}
