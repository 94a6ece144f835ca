import Foundation
import WhatsAgentAPI

/// Channels as the human sees them.
extension OpenAPIDocument {
    func channelPaths() -> [String: Any] {
        let channel = self.pathParameter("channel", "Channel name (a leading `#` may be percent-encoded as %23).")
        return [
            "/api/v1/workspaces/{workspace}/channels": [
                "get": self.operation(
                    "listChannels",
                    tag: "Channels",
                    summary: "List the workspace's channels (#shared always exists)",
                    parameters: [self.workspaceParameter],
                    response: self.schema(ChannelList.self),
                    responseDescription: "The channels."
                ),
                "post": self.operation(
                    "createChannel",
                    tag: "Channels",
                    summary: "Create a channel",
                    parameters: [self.workspaceParameter],
                    body: CreateChannelRequest.self,
                    status: 201,
                    response: self.schema(ChannelResponse.self),
                    responseDescription: "The new channel."
                ),
            ],
            "/api/v1/workspaces/{workspace}/channels/{channel}/posts": [
                "get": self.operation(
                    "readChannel",
                    tag: "Channels",
                    summary: "Read a channel: posts after sinceId (oldest first), or the newest page before beforeId",
                    parameters: [
                        self.workspaceParameter, channel,
                        ["name": "sinceId", "in": "query", "required": false, "schema": self.string],
                        ["name": "beforeId", "in": "query", "required": false, "schema": self.string],
                        [
                            "name": "limit", "in": "query", "required": false,
                            "schema": ["type": "integer", "minimum": 1, "maximum": 100, "default": 50],
                        ],
                    ],
                    response: self.schema(ChannelPostList.self),
                    responseDescription: "A page of posts."
                ),
                "post": self.operation(
                    "postInChannel",
                    tag: "Channels",
                    summary: "Post as human-web: a new thread, or a reply with replyTo (needs the channel topology)",
                    parameters: [self.workspaceParameter, channel],
                    body: ChannelPostRequest.self,
                    status: 201,
                    response: self.schema(ChannelPostResponse.self),
                    responseDescription: "The stored post."
                ),
            ],
        ]
    }

}
