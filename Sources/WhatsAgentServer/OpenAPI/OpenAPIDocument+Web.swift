import Foundation
import WhatsAgentAPI

/// The web UI's own routes on TCP (behind the login): its optional assets and its event stream. The static files
/// (`/`, `/js/…`, …) are not part of the API and not described here.
extension OpenAPIDocument {
    func webPaths() -> [String: Any] {
        [
            "/api/v1/web/assets": [
                "get": [
                    "operationId": "getWebAssets",
                    "tags": ["Web"],
                    "summary": "Whether the optional web assets (xterm.js for the terminal page) are installed",
                    "description": "TCP only. `make web-assets` fetches them into the web folder's `vendor/xterm/`.",
                    "security": [["sessionCookie": []]],
                    "responses": [
                        "200": ["description": "What is installed.", "content": self.json(self.schema(WebAssetsResponse.self))],
                        "401": self.errorResponse("Not logged in (`authentication_required`)."),
                    ],
                ]
            ],
            "/api/v1/events": [
                "get": [
                    "operationId": "streamWebEvents",
                    "tags": ["Web"],
                    "summary": "The web UI's event stream (WebSocket): what changed, daemon-wide, as JSON text frames",
                    "description": """
                    TCP only, a WebSocket upgrade: the session cookie, an `Origin` equal to the daemon's own and the \
                    session's CSRF token as `?csrf=`. Text frames carry one JSON event each (`hello` first, then \
                    `message`, `message_state`, `agents`, `attention`, `nudge_pending`, `session_ended`, `board`, \
                    `close_approval`, `loop_held`, `loop_released`, `channels`, `workspaces`, `resync`); see docs/http-api.md. Close codes: 4401 \
                    when the login session ends, 1001 when the daemon stops. A plain GET answers 426.
                    """,
                    "security": [["sessionCookie": []]],
                    "parameters": [
                        [
                            "name": "csrf", "in": "query", "required": true, "schema": self.string,
                            "description": "The csrfToken of GET /api/v1/auth/session.",
                        ]
                    ],
                    "responses": [
                        "101": ["description": "Switching to the WebSocket protocol."],
                        "401": self.errorResponse("Not logged in (`authentication_required`)."),
                        "403": self.errorResponse("Wrong Origin or CSRF token (`origin_not_allowed`, `csrf_token_invalid`)."),
                        "426": self.errorResponse("Not a WebSocket upgrade (`invalid_request`)."),
                    ],
                ]
            ],
        ]
    }

}
