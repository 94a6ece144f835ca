import Foundation
import WhatsAgentAPI

/// Managed sessions: launch, stop, terminal access (SPEC §4, §6.1, §12).
extension OpenAPIDocument {
    func managedSessionPaths() -> [String: Any] {
        [
            "/api/v1/workspaces/{workspace}/agents/{agent}/launch": [
                "post": self.managedOperation(
                    "launchAgent",
                    summary: "Start the agent in a managed session (a runner owns its terminal), or return its live one",
                    description: "The command is the agent's, else the runtime setting's, else the runtime's default. 201 for a new "
                        + "session, 200 with `alreadyRunning` for the live managed one. 409 `session_exists` while the agent has a "
                        + "live external session (disconnect it first), `command_not_found` when the program is missing (the "
                        + "message names the `runtime set` fix), `invalid_state` when the repo directory is gone; 503 "
                        + "`launch_failed` when the runner could not start.",
                    status: 201,
                    response: self.schema(AgentLaunchResult.self),
                    responseDescription: "The managed session."
                )
            ],
            "/api/v1/workspaces/{workspace}/agents/{agent}/stop": [
                "post": self.managedOperation(
                    "stopAgent",
                    summary: "Stop the agent's managed session: SIGTERM to its process group, SIGHUP after 2 s, SIGKILL at 5 s",
                    description: "Returns once the session ended, with the exit and the output tail. 409 `invalid_state` when there "
                        + "is no live session (already stopped) or it is external (use disconnect).",
                    response: self.schema(AgentStopResult.self),
                    responseDescription: "The session as it ended."
                )
            ],
            "/api/v1/workspaces/{workspace}/agents/{agent}/terminal": [
                "post": self.managedOperation(
                    "agentTerminalAccess",
                    summary: "The runner socket and secret of a live managed session (`agent attach`); owner socket only",
                    description: "Not served on TCP. 409 `invalid_state` when the agent has no running managed session.",
                    response: self.schema(AgentTerminalAccess.self),
                    responseDescription: "How to connect to the runner."
                )
            ],
            "/api/v1/workspaces/{workspace}/agents/{agent}/terminal/stream": ["get": self.terminalStreamOperation],
        ]
    }

    /// The browser terminal WebSocket (TCP only, behind the login); docs/http-api.md "Terminal stream" has the frames.
    var terminalStreamOperation: [String: Any] {
        [
            "operationId": "agentTerminalStream",
            "tags": ["Sessions"],
            "summary": "The live terminal of a managed agent as a WebSocket (the web UI's terminal page); TCP only",
            "description": "Upgrade with `?csrf=<csrfToken>` and the daemon's own `Origin`. Server → client: a `subscribed` text "
                + "frame first, then the PTY output as binary frames (up to 64 KiB each) and `resized`, `attention`, `exited` "
                + "and `error` text frames. Client → server: binary frames are keystrokes; text frames `input`, `resize`, "
                + "`redraw`, `nudge`. `from=<offset>` resumes without a gap or duplicate while the runner still buffers that "
                + "offset. Close codes: 1000 after `exited`; 1001 daemon stopping, 1013 `too_slow` (more than 8 MiB behind) → "
                + "reconnect with `from`; 1008 invalid client frame, 1011 runner gone.",
            "security": [["sessionCookie": []]],
            "parameters": [
                self.workspaceParameter, self.agentParameter,
                [
                    "name": "csrf", "in": "query", "required": true, "description": "The session's CSRF token.",
                    "schema": self.string,
                ],
                [
                    "name": "from", "in": "query", "required": false,
                    "description": "Output offset to resume from (startOffset + bytes received); absent: replay the whole buffer.",
                    "schema": ["type": "integer", "minimum": 0],
                ],
            ],
            "responses": [
                "101": ["description": "Switching to the WebSocket protocol."],
                "400": self.errorResponse("`from` is not an offset (`invalid_argument`)."),
                "401": self.errorResponse("Not logged in (`authentication_required`)."),
                "403": self.errorResponse("Wrong or missing `csrf` (`csrf_token_invalid`) or foreign `Origin` (`origin_not_allowed`)."),
                "404": self.errorResponse("No such workspace or agent (`workspace_not_found`, `agent_not_found`)."),
                "409": self.errorResponse(
                    "`invalid_state`: the agent is not running in a managed session (launch it first), or runs externally."
                ),
            ],
        ]
    }

    /// An operation of the management API that also documents the owner-socket boundary's 403.
    func managedOperation(
        _ operationId: String,
        summary: String,
        description: String,
        status: Int = 200,
        response: [String: Any],
        responseDescription: String
    ) -> [String: Any] {
        var operation = self.operation(
            operationId,
            tag: "Sessions",
            summary: summary,
            description: description,
            parameters: [self.workspaceParameter, self.agentParameter],
            status: status,
            response: response,
            responseDescription: responseDescription
        )
        if var responses = operation["responses"] as? [String: Any] {
            responses["403"] = self.errorResponse(
                "`human_only`: the caller is a process of a managed agent (it descends from a runner); agents use their MCP tools."
            )
            if status == 201 {
                responses["200"] = ["description": "The agent's live managed session (`alreadyRunning`).", "content": self.json(response)]
            }
            operation["responses"] = responses
        }
        return operation
    }

}
