import Foundation

/// Channels as the human sees them.
extension OpenAPIDocument {
    static func channelPaths() -> [String: Any] {
        let channel = self.pathParameter("channel", "Channel name (a leading `#` may be percent-encoded as %23).")
        return [
            "/api/v1/workspaces/{workspace}/channels": [
                "get": self.operation(
                    "listChannels",
                    tag: "Channels",
                    summary: "List the workspace's channels (#shared always exists)",
                    parameters: [self.workspaceParameter],
                    response: self.ref("ChannelList"),
                    responseDescription: "The channels."
                ),
                "post": self.operation(
                    "createChannel",
                    tag: "Channels",
                    summary: "Create a channel",
                    parameters: [self.workspaceParameter],
                    body: "CreateChannelRequest",
                    status: 201,
                    response: self.ref("ChannelResponse"),
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
                    response: self.ref("ChannelPostList"),
                    responseDescription: "A page of posts."
                ),
                "post": self.operation(
                    "postInChannel",
                    tag: "Channels",
                    summary: "Post as human-web: a new thread, or a reply with replyTo (needs the channel topology)",
                    parameters: [self.workspaceParameter, channel],
                    body: "ChannelPostRequest",
                    status: 201,
                    response: self.ref("ChannelPostResponse"),
                    responseDescription: "The stored post."
                ),
            ],
        ]
    }

    static func channelSchemas() -> [String: Any] {
        [
            "ChannelResponse": self.object(
                required: ["id": self.string, "name": self.string, "createdBy": self.string, "createdAt": self.dateTime, "posts": self.count]
            ),
            "ChannelList": self.object(required: ["channels": self.array(self.ref("ChannelResponse"))]),
            "CreateChannelRequest": self.object(required: ["name": self.string]),
            "ChannelPostRequest": self.object(required: ["body": self.string], optional: ["replyTo": self.string]),
            "ChannelPostResponse": self.object(
                required: [
                    "id": self.string, "channel": self.string, "from": self.string, "threadId": self.string, "body": self.string,
                    "sentAt": self.dateTime,
                ],
                optional: ["rootId": self.string]
            ),
            "ChannelPostList": self.object(required: ["posts": self.array(self.ref("ChannelPostResponse"))]),
        ]
    }
}
