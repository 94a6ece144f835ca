import Foundation
import WhatsAgentAPI

/// Daemon-wide runtime settings and detection.
extension OpenAPIDocument {
    func runtimePaths() -> [String: Any] {
        [
            "/api/v1/runtimes": [
                "get": self.operation(
                    "listRuntimes",
                    tag: "Runtimes",
                    summary: "List the runtimes' launch commands",
                    description: "Runtimes never set show their built-in default (`isDefault`): the runtime's own name, no "
                        + "arguments, and no command for `custom`.",
                    response: self.schema(RuntimeSettingList.self),
                    responseDescription: "Every runtime, in a fixed order."
                )
            ],
            "/api/v1/runtimes/{runtime}": [
                "put": self.operation(
                    "setRuntime",
                    tag: "Runtimes",
                    summary: "Set a runtime's command and extra arguments",
                    description: "Applies to later launches of agents of that runtime that have no command of their own; the "
                        + "extra arguments come before the agent's.",
                    parameters: [
                        self.pathParameter("runtime", "`claude`, `codex`, `opencode`, `pi` or `custom`.")
                    ],
                    body: SetRuntimeRequest.self,
                    response: self.schema(RuntimeSettingResponse.self),
                    responseDescription: "The runtime's new setting."
                )
            ],
            "/api/v1/runtimes/detect": [
                "post": self.operation(
                    "detectRuntimes",
                    tag: "Runtimes",
                    summary: "Run every runtime's command with --version (3 s timeout each, all at once)",
                    response: self.schema(RuntimeDetectionList.self),
                    responseDescription: "Per runtime: the resolved path and version, or why there is none."
                )
            ],
        ]
    }

}
