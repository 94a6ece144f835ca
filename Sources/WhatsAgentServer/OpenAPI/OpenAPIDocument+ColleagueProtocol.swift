import Foundation
import WhatsAgentAPI

/// The colleague protocol text (Settings in the web UI).
extension OpenAPIDocument {
    func colleagueProtocolPaths() -> [String: Any] {
        [
            "/api/v1/colleague-protocol": [
                "get": self.operation(
                    "getColleagueProtocol",
                    tag: "Runtimes",
                    summary: "The colleague protocol launched agents get in their system prompt",
                    description: "The built-in text and, per runtime, the note on how messages reach the agent.",
                    response: self.schema(ColleagueProtocolResponse.self),
                    responseDescription: "The protocol text and the delivery notes.",
                    storage: false
                )
            ],
            "/api/v1/workspaces/{workspace}/colleague-protocol": [
                "get": self.operation(
                    "getWorkspaceColleagueProtocol",
                    tag: "Workspaces",
                    summary: "The colleague protocol the workspace's launches inject",
                    description: "The workspace's own text, or the built-in one when it has none (`isDefault`).",
                    parameters: [self.workspaceParameter],
                    response: self.schema(WorkspaceColleagueProtocol.self),
                    responseDescription: "The text in effect."
                ),
                "put": self.operation(
                    "setWorkspaceColleagueProtocol",
                    tag: "Workspaces",
                    summary: "Store the workspace's own colleague protocol",
                    description: """
                        Used by the next launches of the workspace's agents; running agents keep their prompt. Refused with \
                        400 `invalid_argument` when the text is empty, longer than `maxLength` characters or has a NUL.
                        """,
                    parameters: [self.workspaceParameter],
                    body: SetColleagueProtocolRequest.self,
                    response: self.schema(WorkspaceColleagueProtocol.self),
                    responseDescription: "The stored text."
                ),
                "delete": self.operation(
                    "resetWorkspaceColleagueProtocol",
                    tag: "Workspaces",
                    summary: "Go back to the built-in colleague protocol",
                    parameters: [self.workspaceParameter],
                    response: self.schema(WorkspaceColleagueProtocol.self),
                    responseDescription: "The built-in text, now in effect."
                ),
            ],
        ]
    }

}
