import Foundation

/// The web UI's own routes on TCP (behind the login): its optional assets and its event stream. The static files
/// (`/`, `/js/…`, …) are not part of the API and not described here.
extension OpenAPIDocument {
    static func webPaths() -> [String: Any] {
        [
            "/api/v1/web/assets": [
                "get": [
                    "operationId": "getWebAssets",
                    "tags": ["Web"],
                    "summary": "Whether the optional web assets (xterm.js for the terminal page) are installed",
                    "description": "TCP only. `make web-assets` fetches them into the web folder's `vendor/xterm/`.",
                    "security": [["sessionCookie": []]],
                    "responses": [
                        "200": ["description": "What is installed.", "content": self.json(self.ref("WebAssets"))],
                        "401": self.errorResponse("Not logged in (`authentication_required`)."),
                    ],
                ]
            ]
        ]
    }

    static func webSchemas() -> [String: Any] {
        [
            "WebAssets": self.object(
                required: [
                    "xterm": self.described(self.boolean, "`vendor/xterm/xterm.js` and `xterm.css` are in the web folder.")
                ]
            )
        ]
    }
}
