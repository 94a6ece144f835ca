import Foundation
import WhatsAgentAPI

/// Message and channel search, the human's broadcast, channel members, and the metrics scrape.
extension OpenAPIDocument {
    func searchPaths() -> [String: Any] {
        let query: [String: Any] = [
            "name": "q", "in": "query", "required": true,
            "description": "Words to find (2–200 characters), matched as one phrase whose last word may be a prefix; "
                + "case and accents are ignored. Search syntax characters are searched for literally.",
            "schema": ["type": "string", "minLength": 2, "maxLength": 200],
        ]
        let sender: [String: Any] = [
            "name": "sender", "in": "query", "required": false,
            "description": "Only messages from this sender: `repo:agent` or `human-web`.", "schema": self.string,
        ]
        let limit: [String: Any] = [
            "name": "limit", "in": "query", "required": false,
            "schema": ["type": "integer", "minimum": 1, "maximum": 100, "default": 20],
        ]
        let channelFilter: [String: Any] = [
            "name": "channel", "in": "query", "required": false, "description": "Only this channel (`#` optional).", "schema": self.string,
        ]
        return [
            "/api/v1/workspaces/{workspace}/messages/search": [
                "get": self.operation(
                    "searchMessages",
                    tag: "Messages",
                    summary: "Full-text search in every direct and broadcast message of the workspace",
                    description: "Ranked with bm25, best first. A broadcast is listed once. Refused messages are included "
                        + "(agents never find them). 400 `invalid_argument` for a query that is too short, too long or has no words.",
                    parameters: [self.workspaceParameter, query, sender, limit],
                    response: self.schema(MessageSearchResults.self),
                    responseDescription: "The best matches and how many match in all."
                )
            ],
            "/api/v1/workspaces/{workspace}/channels/search": [
                "get": self.operation(
                    "searchChannels",
                    tag: "Channels",
                    summary: "Full-text search in the posts of every channel, or of one",
                    parameters: [self.workspaceParameter, query, channelFilter, sender, limit],
                    response: self.schema(ChannelSearchResults.self),
                    responseDescription: "The best matches and how many match in all."
                )
            ],
            "/api/v1/workspaces/{workspace}/broadcasts": [
                "post": self.operation(
                    "broadcastMessage",
                    tag: "Messages",
                    summary: "Send one message as human-web to every agent",
                    description: "One stored copy per agent (kind `broadcast`, one thread); offline agents get it when they "
                        + "connect. The human is not rate limited. 403 `topology_refused` in channel topology (post in #shared instead); "
                        + "409 `invalid_state` when the workspace has no agents.",
                    parameters: [self.workspaceParameter],
                    body: BroadcastRequest.self,
                    status: 201,
                    response: self.schema(BroadcastResult.self),
                    responseDescription: "The stored copies."
                )
            ],
            "/api/v1/workspaces/{workspace}/channels/{channel}/members": [
                "get": self.operation(
                    "listChannelMembers",
                    tag: "Channels",
                    summary: "The agents in a channel (every agent is in #shared), with presence",
                    parameters: [self.workspaceParameter, self.pathParameter("channel", "Channel name.")],
                    response: self.schema(ChannelMemberList.self),
                    responseDescription: "The members."
                )
            ],
            "/metrics": [
                "get": [
                    "operationId": "getMetrics",
                    "tags": ["Metrics"],
                    "summary": "Daemon metrics in the Prometheus text format 0.0.4",
                    "description": "Owner only: served on the Unix socket. Sessions, messages sent/acknowledged/queued, push latency, "
                        + "tool calls by outcome, HTTP requests. The metric names are listed in docs/http-api.md.",
                    "responses": [
                        "200": [
                            "description": "The exposition text.",
                            "content": ["text/plain; version=0.0.4": ["schema": self.string]],
                        ]
                    ],
                ]
            ],
        ]
    }

}
