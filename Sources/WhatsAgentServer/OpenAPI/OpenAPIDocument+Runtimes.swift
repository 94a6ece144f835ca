import Foundation

/// Daemon-wide runtime settings and detection.
extension OpenAPIDocument {
    static func runtimePaths() -> [String: Any] {
        [
            "/api/v1/runtimes": [
                "get": self.operation(
                    "listRuntimes",
                    tag: "Runtimes",
                    summary: "List the runtimes' launch commands",
                    description: "Runtimes never set show their built-in default (`isDefault`): the runtime's own name, no "
                        + "arguments, and no command for `custom`.",
                    response: self.ref("RuntimeSettingList"),
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
                    body: "SetRuntimeRequest",
                    response: self.ref("RuntimeSettingResponse"),
                    responseDescription: "The runtime's new setting."
                )
            ],
            "/api/v1/runtimes/detect": [
                "post": self.operation(
                    "detectRuntimes",
                    tag: "Runtimes",
                    summary: "Run every runtime's command with --version (3 s timeout each, all at once)",
                    response: self.ref("RuntimeDetectionList"),
                    responseDescription: "Per runtime: the resolved path and version, or why there is none."
                )
            ],
        ]
    }

    static func runtimeSchemas() -> [String: Any] {
        [
            "RuntimeSettingResponse": self.object(
                description: "How the daemon starts a runtime unless an agent has its own command.",
                required: [
                    "runtime": self.ref("RuntimeValue"),
                    "args": self.array(self.string),
                    "isDefault": self.described(self.boolean, "True while nothing was set: the built-in default applies."),
                ],
                optional: [
                    "command": self.described(self.string, "A program name looked up on PATH, or a path; absent for `custom` until set."),
                    "updatedAt": self.dateTime,
                ]
            ),
            "RuntimeSettingList": self.object(required: ["runtimes": self.array(self.ref("RuntimeSettingResponse"))]),
            "SetRuntimeRequest": self.object(
                required: ["command": self.string],
                optional: ["args": self.described(self.array(self.string), "Replaces the extra arguments (default: none).")]
            ),
            "RuntimeDetectionResponse": self.object(
                required: [
                    "runtime": self.ref("RuntimeValue"),
                    "command": self.string,
                    "status": self.enumeration(["found", "not_found", "timed_out", "failed"]),
                    "message": self.described(self.string, "The version, or the reason and what to do."),
                    "checkedAt": self.dateTime,
                ],
                optional: [
                    "path": self.described(self.string, "The resolved absolute path."),
                    "version": self.described(self.string, "First line of the --version output."),
                    "exitCode": self.int32,
                ]
            ),
            "RuntimeDetectionList": self.object(required: ["runtimes": self.array(self.ref("RuntimeDetectionResponse"))]),
        ]
    }
}
