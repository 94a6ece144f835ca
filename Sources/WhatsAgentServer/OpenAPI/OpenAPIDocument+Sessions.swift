import Foundation
import WhatsAgentAPI

/// Sessions, messages sent as human-web, and the agent protocol.
extension OpenAPIDocument {
    func sessionPaths() -> [String: Any] {
        [
            "/api/v1/workspaces/{workspace}/agents/{agent}/connect": [
                "post": self.operation(
                    "connectAgent",
                    tag: "Sessions",
                    summary: "Open an external session for an agent you run yourself",
                    description: "Returns the session token once (it is stored hashed) and writes the MCP config file (0600).",
                    parameters: [self.workspaceParameter, self.agentParameter],
                    body: ConnectAgentRequest.self,
                    status: 201,
                    response: self.schema(AgentConnection.self),
                    responseDescription: "The new session, its token, environment and MCP config path."
                )
            ],
            "/api/v1/workspaces/{workspace}/agents/{agent}/disconnect": [
                "post": self.operation(
                    "disconnectAgent",
                    tag: "Sessions",
                    summary: "End an agent's live session; its token dies at once",
                    parameters: [self.workspaceParameter, self.agentParameter],
                    response: self.schema(LiveSessionResponse.self),
                    responseDescription: "The session that ended."
                )
            ],
            "/api/v1/workspaces/{workspace}/messages": [
                "get": self.operation(
                    "listHumanMessages",
                    tag: "Messages",
                    summary: "The human's direct messages (to or from human-web), oldest first; reading marks those to the human acknowledged",
                    parameters: [
                        self.workspaceParameter,
                        ["name": "peer", "in": "query", "required": false, "description": "Only the thread with this agent.", "schema": self.string],
                        [
                            "name": "broadcasts", "in": "query", "required": false, "description": "`true`: one row per broadcast too.",
                            "schema": self.boolean,
                        ],
                        [
                            "name": "limit", "in": "query", "required": false,
                            "schema": ["type": "integer", "minimum": 1, "maximum": 500, "default": 50],
                        ],
                    ],
                    response: self.schema(MessageList.self),
                    responseDescription: "The newest messages, oldest first."
                ),
                "post": self.operation(
                    "sendMessage",
                    tag: "Messages",
                    summary: "Send a direct message as human-web",
                    description: "Stored before the response; an offline agent gets it when it next connects. 403 `topology_refused` "
                        + "when the workspace topology forbids it (the refusal is recorded).",
                    parameters: [self.workspaceParameter],
                    body: SendMessageRequest.self,
                    status: 201,
                    response: self.schema(SendMessageResult.self),
                    responseDescription: "The stored message."
                ),
            ],
            "/api/v1/agent/tools": [
                "get": self.agentOperation(
                    "listAgentTools",
                    summary: "The calling agent's tool catalogue with JSON Schemas",
                    response: ["200": ["description": "The tools.", "content": self.json(self.schema(AgentToolCatalogue.self))]]
                )
            ],
            "/api/v1/agent/tools/{tool}": [
                "post": self.agentOperation(
                    "callAgentTool",
                    summary: "Call a tool; refusals are results with isError, not HTTP errors",
                    parameters: [self.pathParameter("tool", "Tool name, e.g. send_message.")],
                    body: ["type": "object", "description": "The tool's arguments (see its inputSchema)."],
                    response: ["200": ["description": "The tool result.", "content": self.json(self.schema(AgentToolResult.self))]]
                )
            ],
            "/api/v1/agent/ack": [
                "post": self.agentOperation(
                    "acknowledgeLease",
                    summary: "The client has the leased messages of a check_messages result: mark them acknowledged",
                    body: self.schema(AgentAckRequest.self),
                    response: ["204": ["description": "Acknowledged."]]
                )
            ],
            "/api/v1/agent/inbox": [
                "get": self.agentOperation(
                    "readAgentInbox",
                    summary: "whatsagent://inbox: how much mail waits and the newest ids, never a body; confirms the pushes before it",
                    response: ["200": ["description": "The inbox summary.", "content": self.json(self.schema(AgentInboxResponse.self))]]
                )
            ],
            "/api/v1/agent/inbox/subscription": [
                "put": self.agentOperation(
                    "setAgentInboxSubscription",
                    summary: "The session's MCP client subscribed to whatsagent://inbox (push path resource), or unsubscribed",
                    body: self.schema(AgentInboxSubscriptionRequest.self),
                    response: ["204": ["description": "Recorded."]]
                )
            ],
            "/api/v1/agent/events": [
                "get": self.agentOperation(
                    "agentEvents",
                    summary: "The session's push events as newline-delimited JSON; holding this stream makes the agent online",
                    response: [
                        "200": [
                            "description": "A chunked stream of AgentEvent lines; the first is `hello`.",
                            "content": ["application/x-ndjson": ["schema": self.schema(AgentEvent.self)]],
                        ]
                    ]
                )
            ],
        ]
    }

    /// An agent-protocol operation: bearer-authenticated, 401 for a dead or forged token.
    func agentOperation(
        _ operationId: String,
        summary: String,
        parameters: [[String: Any]] = [],
        body: [String: Any]? = nil,
        response: [String: Any]
    ) -> [String: Any] {
        var responses = response
        responses["400"] = self.errorResponse("The request is invalid.")
        responses["401"] = self.errorResponse("The session token is missing, malformed, forged or dead (`invalid_session_token`).")
        var operation: [String: Any] = [
            "operationId": operationId,
            "tags": ["Agent protocol"],
            "summary": summary,
            "security": [["sessionToken": [String]()]],
            "responses": responses,
        ]
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body { operation["requestBody"] = ["required": true, "content": self.json(body)] }
        return operation
    }

}
